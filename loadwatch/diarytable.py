"""The pain diary as a table, for ``loadwatch pain list``, without pandas.

The entries come as the diary file holds them (:func:`loadwatch.diaryfile.read_entries`)
or as rows of the verdict's table (:attr:`loadwatch.pain.Diary.entries`): listing the
diary needs no pandas, so ``pain list`` answers at once (issue 18), and the report's
reading of the same diary uses the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from loadwatch.acute_signs import SEE_SOMEONE, notes_on, red_flags, severity_of
from loadwatch.diaryfile import records_assessment
from loadwatch.safetext import one_line
from loadwatch.words import clip, day_month_words, join_words, name_words

HEADER = ("date", "pain", "where", "side", "onset", "symptoms", "notes")


def _day(value) -> date:
    """A row's date: a :class:`datetime.date`, or a pandas Timestamp (a datetime)."""
    return value.date() if isinstance(value, datetime) else value


def assessed_after(entries: list) -> list[date | None]:
    """For each entry (in date, then line order), the day of the first later entry that
    records an assessment, None when none came after it (an entry's own "assessed" never
    closes its own red flags: "pop, physio on Monday" is not dealt with yet)."""
    out: list[date | None] = [None] * len(entries)
    later = None
    for i in range(len(entries) - 1, -1, -1):
        out[i] = later
        e = entries[i]
        if records_assessment(e.symptoms, e.notes):
            later = _day(e.date)
    return out


def render(entries: Iterable) -> str:
    """The diary as a table, red flags and remarks below it.

    Parameters
    ----------
    entries : iterable
        In date, then line order; each with ``date``, ``severity``, ``location``, ``side``,
        ``onset``, ``symptoms`` and ``notes`` (a :class:`loadwatch.diaryfile.PainEntry`
        or a row of the diary's table). Read errors are the caller's to report.
    """
    entries = list(entries)
    if not entries:
        return "The pain diary has no entries.\n"
    rows, below = [], []
    for e, done in zip(entries, assessed_after(entries), strict=True):
        day = _day(e.date)
        severity = severity_of(e)
        # The runner's own words may hold escape codes: shown escaped, never run.
        rows.append([day.isoformat(), "-" if severity is None else f"{severity}/10",
                     clip(one_line(e.location or "-"), 24),
                     e.side or "-", e.onset or "-",
                     clip(", ".join(name_words(s) for s in e.symptoms) or "-", 36),
                     clip(one_line(" ".join(e.notes.split())), 40)])
        reasons = red_flags(e)
        if reasons and done is not None:
            below.append(f"Red flag {day.isoformat()}: {join_words(reasons)}; assessed on "
                         f"{day_month_words(done)}.")
        elif reasons:
            below.append(f"RED FLAG {day.isoformat()}: {join_words(reasons)}: {SEE_SOMEONE}.")
        below += [n for n in notes_on(e) if n not in below]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADER)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [list(HEADER), *rows]]
    return "\n".join(lines + ([""] + below if below else [])) + "\n"
