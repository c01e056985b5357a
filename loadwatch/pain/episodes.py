"""Pain episodes and the load before them: grouping, linking, ongoing or over."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch.acute_signs import SEE_SOMEONE, red_flags, remarks
from loadwatch.diaryfile import INJURY_MOMENTS
from loadwatch.flags.model import EVIDENCE, Flag, severity_rank
from loadwatch.pain.diary import Diary
from loadwatch.pain.signs import assessed_after
from loadwatch.pain.words import _words, join_words, pain_words
from loadwatch.words import day_month_words

MAX_GAP_DAYS = 7
"""Pain entries at most this many days apart belong to one episode. [days]"""

WINDOW_DAYS = 21
"""Default look-back before an episode's start for its load flags. [days]"""

@dataclass(frozen=True)
class Episode:
    """A run of pain entries (severity >= 1) at most :data:`MAX_GAP_DAYS` apart.

    Attributes
    ----------
    start, end : datetime.date
        First and last pain day.
    peak : int
        Highest severity. [0-10]
    location, location_key : str
        Readable label and key of the place recorded most often (ties: the first);
        "" when no entry names one.
    side : str or None
        ``left``, ``right``, or ``both`` (also when both sides were recorded).
    onset : str or None
        The first onset recorded.
    red_flags : tuple of str
        Every red-flag reason of its entries (:func:`red_flags`), first seen first.
    symptoms : tuple of str
        Every symptom recorded, first seen first.
    entries : int
        Number of pain entries.
    began_acute : bool
        Its first day had a sudden onset, a red flag or an injury moment (a twist,
        blow or fall): an injury, not a load pattern.
    assessed_on : datetime.date or None
        With red flags: the day of the first entry after the last of them that records
        an assessment (:func:`loadwatch.pain.assessed`); None while one is open.
    """

    start: date
    end: date
    peak: int
    location: str
    location_key: str
    side: str | None
    onset: str | None
    red_flags: tuple[str, ...]
    symptoms: tuple[str, ...]
    entries: int
    began_acute: bool = False
    assessed_on: date | None = None


@dataclass(frozen=True)
class Link:
    """An episode and the load flags raised in its look-back window (:func:`link`)."""

    episode: Episode
    flags: tuple[Flag, ...]
    window_days: int
    sentence: str
    summary: str



def latest_pain(diary: Diary, as_of: date) -> tuple[int, date] | None:
    """The latest severity recorded on or before ``as_of`` and its day, however old.

    Silence is not recovery: the pain the diary last recorded stands until an entry
    says otherwise, and whoever shows it shows its day ("5/10 on 21 Nov").
    Assessment-only entries (no severity) are skipped.

    Returns
    -------
    tuple of (int, datetime.date) or None
        ``(severity 0-10, day)``; None when no entry with a severity is on or before
        ``as_of``.
    """
    e = diary.entries
    e = e[(e["date"] <= pd.Timestamp(as_of)) & e["severity"].notna().to_numpy(bool)]
    if e.empty:
        return None
    latest = e.sort_values(["date", "line"], kind="stable").iloc[-1]
    return int(latest["severity"]), latest["date"].date()


def pain_now(diary: Diary, as_of: date, window_days: int | None = None) -> int | None:
    """The pain going on as of ``as_of``: the latest recorded severity (:func:`latest_pain`).

    Parameters
    ----------
    diary : Diary
    as_of : datetime.date
    window_days : int, optional
        How old the latest entry may be to say something about now [days]; by
        default any age: a diary that went silent after pain still says pain.

    Returns
    -------
    int or None
        Severity 0-10 (0: recorded pain-free), None when nothing is recorded (or
        nothing within ``window_days``).
    """
    latest = latest_pain(diary, as_of)
    if latest is None or (window_days is not None and (as_of - latest[1]).days > window_days):
        return None
    return latest[0]


# -- episodes -----------------------------------------------------------------------------

def episodes(diary: Diary) -> list[Episode]:
    """Group the diary's pain entries (severity >= 1) into episodes.

    Parameters
    ----------
    diary : Diary

    Returns
    -------
    list of Episode
        In date order.

    Notes
    -----
    A new episode starts when the gap to the previous pain entry is more than
    :data:`MAX_GAP_DAYS` days (gap = later date - earlier date, so entries 7 days
    apart belong together and 8 days apart do not), and at a sudden-onset entry:
    an acute event is its own story even in the middle of overuse pain. A
    sudden-onset entry at the same place within 7 days of another sudden-onset
    entry continues its episode (the runner repeating the onset on follow-up days).
    Pain-free entries (severity 0) neither start nor end an episode.
    """
    entries = diary.entries.sort_values(["date", "line"], kind="stable")
    pain = entries[(entries["severity"] >= 1).fillna(False).to_numpy(bool)]
    if pain.empty:
        return []
    closed = assessed_after(entries).reindex(pain.index)
    gap = pain["date"].diff().dt.days
    sudden = pain["onset"].eq("sudden")
    place = pain["location_label"].fillna("").str.lower()
    since_sudden = (pain.loc[sudden, "date"].groupby(place[sudden]).diff().dt.days
                    .reindex(pain.index))
    new = gap.isna() | (gap > MAX_GAP_DAYS) | (sudden & ~(since_sudden <= MAX_GAP_DAYS))
    # The per-entry work once for the whole diary (each row read once, its red flags found
    # once); each episode is then a slice of these lists.
    rows = list(pain.itertuples(index=False))
    red = [tuple(red_flags(row)) for row in rows]
    done = closed.tolist()
    bounds = np.append(np.flatnonzero(new.to_numpy(bool)), len(rows)).tolist()
    return [_episode(rows[a:b], red[a:b], done[a:b])
            for a, b in zip(bounds, bounds[1:], strict=False)]


def episode_of(group: pd.DataFrame) -> Episode:
    """The episode of pain entries already grouped (rows in date, then line order), as
    :func:`episodes` makes it, its ``assessed_on`` left None (the clinical status names an
    episode read from :class:`loadwatch.pain.table.DiaryTable` by its place and side)."""
    rows = list(group.itertuples(index=False))
    return _episode(rows, [tuple(red_flags(row)) for row in rows], [None] * len(rows))


def _given(value) -> bool:
    """A value recorded: not None nor NaN (pandas' missing values)."""
    return value is not None and not (isinstance(value, float) and value != value)


def _episode(rows: list, red: list[tuple[str, ...]], closed: list) -> Episode:
    """One episode from its pain entries (rows of ``Diary.entries`` in order), their red flags
    and, per entry, the day of the first later entry recording an assessment (or NaT)."""
    labels = [row.location_label if _given(row.location_label) else "" for row in rows]
    counts: dict[str, int] = {}
    for label in labels:
        if label != "":
            counts[label] = counts.get(label, 0) + 1
    # The place recorded most often; ties: the first of them recorded.
    most = max(counts.values(), default=0)
    top = next((i for i, label in enumerate(labels) if label != "" and counts[label] == most),
               None)
    sides = {row.side for row in rows if _given(row.side)}
    onset = next((row.onset for row in rows if _given(row.onset)), None)
    flagged = [i for i, r in enumerate(red) if r]
    done = closed[flagged[-1]] if flagged else None
    first_day = rows[0].date
    return Episode(
        start=first_day.date(),
        end=max(row.date for row in rows).date(),
        peak=int(max(row.severity for row in rows)),
        location=rows[top].location_label if top is not None else "",
        location_key=rows[top].location_key if top is not None else "",
        side="both" if "both" in sides or len(sides) > 1 else next(iter(sides), None),
        onset=onset,
        red_flags=tuple(dict.fromkeys(r for flags in red for r in flags)),
        symptoms=tuple(dict.fromkeys(s for row in rows for s in row.symptoms)),
        entries=len(rows),
        began_acute=any(row.onset == "sudden" or r or set(row.symptoms) & set(INJURY_MOMENTS)
                        for row, r in zip(rows, red, strict=True) if row.date == first_day),
        assessed_on=done.date() if done is not None and pd.notna(done) else None,
    )


# -- linking ------------------------------------------------------------------------------

# Each load flag as a noun phrase, with and without its value.
_PHRASES: dict[str, tuple[str, str]] = {
    "weekly_distance_jump": ("a week with {v:.0f}% more running distance than the week before",
                             "a jump in weekly running distance"),
    "long_run_spike": ("a long run {v:.2f}x your longest in the previous month",
                       "a long run longer than any in the previous month"),
    "return_spike": ("a first run back after a break {v:.2f}x your longest before it",
                     "a first run back after a break longer than before it"),
    "duration_spike": ("a run {v:.2f}x your longest in time in the previous month",
                       "a run longer in time than any in the previous month"),
    "cumulative_ramp": ("weekly distance growing several weeks running ({v:+.0f}% in all)",
                        "weekly distance growing several weeks running"),
    "acwr_high": ("an acute:chronic load ratio of {v:.2f}", "a high acute:chronic load ratio"),
    "run_streak": ("a {v:.0f}-day running streak", "a long running streak"),
    "no_rest_day": ("{v:.0f} days without a rest day", "a long stretch without a rest day"),
    "no_cross_training": ("{v:.0f} days without cross-training",
                          "a long stretch without cross-training"),
    "duration_jump": ("a week with {v:.0f}% more running time than the week before",
                      "a jump in weekly running time"),
    "elevation_jump": ("a week with {v:.0f}% more climbing than the week before",
                       "a jump in weekly climbing"),
    "intensity_jump": ("a week with {v:.0f} hard runs, more than usual",
                       "more hard runs than usual"),
    "monotony_high": ("a week of monotonous training (monotony {v:.1f})",
                      "a week of monotonous training"),
}
_NAMES = {
    "weekly_distance_jump": "a weekly distance jump", "long_run_spike": "a long-run spike",
    "return_spike": "a long first run after a break", "duration_spike": "a long run in time",
    "cumulative_ramp": "weekly distance growing several weeks running",
    "acwr_high": "a high acute:chronic ratio", "run_streak": "a running streak",
    "no_rest_day": "no rest day", "no_cross_training": "no cross-training",
    "duration_jump": "a jump in running time", "elevation_jump": "a jump in climbing",
    "intensity_jump": "more hard runs than usual", "monotony_high": "monotonous training",
}
MAX_MENTIONED = 3
"""At most this many flags are named in an episode's sentence."""


def preceding(episode: Episode, flags: Iterable[Flag],
              window_days: int = WINDOW_DAYS) -> list[Flag]:
    """The load flags active in an episode's look-back window.

    Parameters
    ----------
    episode : Episode
    flags : iterable of Flag
        ``pain_*`` flags are left out.
    window_days : int, default 21
        Days looked back before the start. [days]

    Returns
    -------
    list of Flag
        By date, then code.

    Notes
    -----
    A flag counts when its span ``[date, last_date]`` overlaps
    ``[start - window_days, start]``. The start day itself counts: the diary has
    one date per day, and pain that began on the day of a spike run is the case
    the run most likely caused, not one it followed.
    """
    lo = episode.start - timedelta(days=window_days)
    hits = [f for f in flags
            if not f.code.startswith("pain_") and f.start <= episode.start and f.until >= lo]
    return sorted(hits, key=lambda f: (f.start, f.code))


def link(episodes: Iterable[Episode], flags: Iterable[Flag],
         window_days: int = WINDOW_DAYS, ongoing: Iterable[Episode] = ()) -> list[Link]:
    """Each episode with the load flags raised before it, and the story in words.

    Parameters
    ----------
    episodes : iterable of Episode
    flags : iterable of Flag
        Load flags (``pain_*`` flags are ignored).
    window_days : int, default 21
        Look-back before each start (:func:`preceding`). [days]
    ongoing : iterable of Episode
        Episodes still going on (:func:`ongoing`): "ongoing since", not "lasted until".

    Returns
    -------
    list of Link
        One per episode, in the order given.

    Notes
    -----
    The sentence names at most :data:`MAX_MENTIONED` flags, one per code, the most
    telling first: higher severity, then stronger evidence, then nearer the start,
    then the larger value. A flag still holding on the start day is "during"; one
    that ended before is "n days after". An episode that began suddenly, with a
    red flag or at an injury moment (a twist, blow or fall) is an injury, not a
    load pattern: it is linked to no load flag.
    """
    flags = list(flags)
    still = set(ongoing)
    out = []
    for ep in episodes:
        if acute(ep):
            sentence = (f"{_began(ep)}, {_how_acute(ep)}: that points to an injury, not to the "
                        "training load before it, so loadwatch does not link it to load.")
            out.append(Link(ep, (), window_days, sentence, _summary(ep, sentence, ep in still)))
            continue
        hits = preceding(ep, flags, window_days)
        sentence = _sentence(ep, hits, window_days)
        out.append(Link(ep, tuple(hits), window_days, sentence,
                        _summary(ep, sentence, ep in still)))
    return out


def acute(ep: Episode) -> bool:
    """An episode that began suddenly, with a red flag, or at a twist, blow or fall (on its
    first day: red flags that come later in overuse pain do not make its start an injury)."""
    return ep.began_acute


def _how_acute(ep: Episode) -> str:
    moments = [m for m in INJURY_MOMENTS if m in ep.symptoms]
    if moments:
        return f"at a {' and a '.join(moments)}"
    return "suddenly" if ep.onset == "sudden" else f"with {join_words(list(ep.red_flags))}"


def ongoing(episodes: Sequence[Episode], diary: Diary, as_of: date) -> list[Episode]:
    """The episode still going on as of ``as_of``: the last one, unless a pain-free entry
    came after it. Silence is not recovery: a diary that stopped after pain still has that
    pain going on (its summary says when it was last recorded)."""
    if not episodes:
        return []
    last = episodes[-1]
    entries = diary.entries
    later = entries[(entries["date"] > pd.Timestamp(last.end))
                    & (entries["date"] <= pd.Timestamp(as_of))]
    return [] if (later["severity"] == 0).fillna(False).any() else [last]


def _sentence(ep: Episode, hits: list[Flag], window_days: int) -> str:
    began = _began(ep)
    if not hits:
        return (f"{began}. No load flag was raised in the {window_days} days before it began, "
                "nor on that day.")
    ranked = sorted(hits, key=lambda f: (-severity_rank(f.severity), -_evidence_rank(f),
                                         (ep.start - f.until).days, -(_value(f) or 0.0)))
    best: dict[str, Flag] = {}
    for f in ranked:
        best.setdefault(f.code, f)
    mentioned = list(best.values())[:MAX_MENTIONED]
    return f"{began}, {join_words([_timing(f, ep.start) + _phrase(f, ep.start) for f in mentioned])}."


def _evidence_rank(f: Flag) -> int:
    # EVIDENCE runs strongest first.
    return len(EVIDENCE) - EVIDENCE.index(f.evidence) if f.evidence in EVIDENCE else 0


def _timing(f: Flag, start: date) -> str:
    if f.until >= start:
        return "on the same day as " if f.start == f.until == start else "during "
    days = (start - f.until).days
    return "the day after " if days == 1 else f"{days} days after "


# Flags whose value counts days up to their last day: as of an earlier day it was smaller.
_COUNTING_DAYS = ("run_streak", "no_rest_day", "no_cross_training")


def value_on(f: Flag, day: date) -> float | None:
    """How strongly a flag held on ``day``: a counting flag (a streak, days without rest or
    cross-training) counted fewer days then than at its end; others keep their value."""
    v = _value(f)
    if v is not None and f.code in _COUNTING_DAYS and f.until > day:
        v -= (f.until - day).days
    return v


def _phrase(f: Flag, start: date | None = None) -> str:
    with_value, without = _PHRASES.get(f.code, ("", f"a {_words(f.code)} flag"))
    v = _value(f) if start is None else value_on(f, start)
    return with_value.format(v=v) if with_value and v is not None else without


def _value(f: Flag) -> float | None:
    v = f.value
    return None if v is None or not np.isfinite(v) else float(v)


def _began(ep: Episode) -> str:
    return f"Your {pain_words(ep.location, ep.side)} began on {day_month_words(ep.start)}"


def _summary(ep: Episode, sentence: str, still: bool = False) -> str:
    if still:
        last = f"{ep.peak}/10 so far" if ep.start != ep.end else f"{ep.peak}/10"
        parts = [sentence, f"It is ongoing since {day_month_words(ep.start)} (at worst {last}; last "
                           f"recorded {day_month_words(ep.end)})."]
    else:
        parts = [sentence, f"It was {ep.peak}/10 on that day only." if ep.start == ep.end
                 else f"It peaked at {ep.peak}/10 and lasted until {day_month_words(ep.end)}."]
    if ep.red_flags:
        signs = "a sign" if len(ep.red_flags) == 1 else "signs"
        # Once assessed, "get it checked" is done; loadwatch does not know what was said.
        then = (f"; it was assessed on {day_month_words(ep.assessed_on)}" if ep.assessed_on
                else f": {SEE_SOMEONE}")
        parts.append(f"It came with {join_words(list(ep.red_flags))}, {signs} of an acute injury "
                     f"rather than overload{then}.")
    parts += remarks(ep.symptoms, bool(ep.red_flags))
    return " ".join(parts)
