"""The pain section of the JSON report and the diary as a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pandas import notna

from loadwatch.pain.diary import Diary
from loadwatch.pain.episodes import Episode, Link, _began, _summary, _value, value_on
from loadwatch.pain.patterns import Patterns
from loadwatch.pain.signs import SEE_SOMEONE, assessed_after, notes_on, red_flags, severity_of
from loadwatch.pain.words import _clip, _words, join_words
from loadwatch.safetext import one_line
from loadwatch.words import day_month_words

# -- output -------------------------------------------------------------------------------

def pain_json(diary: Diary, episodes: Sequence[Episode], links: Iterable[Link],
              patterns: Patterns | None) -> dict:
    """The pain section of the JSON report.

    Returns
    -------
    dict
        ``entries`` (count of valid entries), ``errors``, ``episodes`` (each with
        ``start``, ``end``, ``peak``, ``location``, ``side``, ``onset``,
        ``red_flags``, ``preceding_flags`` [{``code``, ``date``, ``severity``,
        ``value``}] and ``summary``) and ``patterns`` (:meth:`Patterns.to_json`, or
        None). An episode without a link has no preceding flags and a summary that
        does not speak of load.
    """
    by_episode = {lk.episode: lk for lk in links}

    def one(ep: Episode) -> dict:
        lk = by_episode.get(ep)
        return {
            "start": ep.start.isoformat(),
            "end": ep.end.isoformat(),
            "peak": ep.peak,
            "location": ep.location or None,
            "side": ep.side,
            "onset": ep.onset,
            "red_flags": list(ep.red_flags),
            "preceding_flags": [{"code": f.code, "start": f.start.isoformat(),
                                 "severity": f.severity, "kind": f.kind,
                                 "value": None if _value(f) is None else round(_value(f), 3),
                                 "held_on_start": f.held_on(ep.start),
                                 "value_on_start": _rounded(value_on(f, ep.start))
                                 if f.held_on(ep.start) else None}
                                for f in (lk.flags if lk else ())],
            "sentence": lk.sentence if lk else _began(ep) + ".",
            "summary": lk.summary if lk else _summary(ep, _began(ep) + "."),
        }

    return {
        "entries": len(diary.entries),
        "errors": list(diary.errors),
        "episodes": [one(ep) for ep in episodes],
        "patterns": patterns.to_json() if patterns is not None else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)



def format_diary(diary: Diary) -> str:
    """The diary as a table for ``loadwatch pain list``, red flags and remarks below it.

    Read errors are not included: the caller reports :attr:`Diary.errors`.
    """
    df = diary.entries
    if df.empty:
        return "The pain diary has no entries.\n"
    header = ["date", "pain", "where", "side", "onset", "symptoms", "notes"]
    rows, below = [], []
    closed = assessed_after(df)
    for e, done in zip(df.itertuples(index=False), closed, strict=True):
        day = e.date.date()
        severity = severity_of(e)
        # The runner's own words may hold escape codes: shown escaped, never run.
        rows.append([day.isoformat(), "-" if severity is None else f"{severity}/10",
                     _clip(one_line(e.location or "-"), 24),
                     e.side or "-", e.onset or "-",
                     _clip(", ".join(_words(s) for s in e.symptoms) or "-", 36),
                     _clip(one_line(" ".join(e.notes.split())), 40)])
        reasons = red_flags(e)
        if reasons and notna(done):
            below.append(f"Red flag {day.isoformat()}: {join_words(reasons)}; assessed on "
                         f"{day_month_words(done.date())}.")
        elif reasons:
            below.append(f"RED FLAG {day.isoformat()}: {join_words(reasons)}: {SEE_SOMEONE}.")
        below += [n for n in notes_on(e) if n not in below]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, *rows]]
    return "\n".join(lines + ([""] + below if below else [])) + "\n"
