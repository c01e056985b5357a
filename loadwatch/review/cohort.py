"""Episodes and exposure: one athlete's athlete-days at each level and the episodes that followed.

The review compares how often a pain episode began after a day at each load level. Two
counts per athlete and level make it: the *athlete-days* at the level and the *episodes*
attributed to it. Everything here is declared before looking at any result:

* **Episodes** are the diary's (:func:`loadwatch.pain.episodes`: pain entries at most 7 days
  apart, a sudden onset its own episode). Sudden onsets count: most overuse injuries are
  noticed suddenly. An episode whose first day records an injury moment (a ``twist``,
  ``blow`` or ``fall`` among its symptoms, :data:`loadwatch.diaryfile.INJURY_MOMENTS`) is a
  trauma, an injury of another kind: left out and counted apart.
* **The diary's start** is ``[athlete] diary_since`` or else its first entry (a pain-free
  entry starts a diary). An episode that began on the diary's first day or before is left
  out ("at the diary's start"): the diary was likely begun because of it.
* **Athlete-days** are the days from the diary's start to the day before the report date
  (the last day whose next day the diary could record), leaving out days whose level is
  ``unknown``, the days of every episode (its first to its last day with pain, traumas
  included) and ``review_washout_days`` days after each, when load and reporting are not
  usual.
* **Lags.** The primary lag attributes an episode to the level of the day before its first
  entry (``day_before``), and a day counts at its own level. Two secondary lags, declared
  with it: the highest level of the 7 and of the 14 days before the first entry
  (``highest_7_days``, ``highest_14_days``), a day counting at the highest level of the
  7 (14) days ending on it. ``unknown`` days are passed over in the highest; a window of
  only ``unknown`` days is ``unknown``. An episode counts when its day before is an
  athlete-day: not ``unknown``, not in an earlier episode or its washout (else it is left
  out, "in a washout" or "level unknown").

The day arrays are numpy over the days (one entry a day from 13 days before the diary's
start to the report date): no loop over days. The few episodes are looped over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch.diaryfile import INJURY_MOMENTS
from loadwatch.pain import Diary
from loadwatch.pain import episodes as diary_episodes

LEVELS = ("usual", "raised", "high")
"""The levels the review counts, from least to most concerning (``unknown`` is left out)."""

CODES = {"unknown": -1, "usual": 0, "raised": 1, "high": 2}
"""A day's level as a number: the highest of a window is the maximum, ``unknown`` lowest."""

LAGS = (("day_before", 1), ("highest_7_days", 7), ("highest_14_days", 14))
"""The lags, declared in advance: name and window [days] ending on the day before the episode's
first entry. The first is the primary one; the others are secondary."""

PRIMARY = LAGS[0][0]

LOOK_BACK = max(w for _, w in LAGS) - 1
"""Days of levels needed before the diary's start for the longest lag's window. [days]"""

REASONS = ("trauma", "at_diary_start", "in_washout", "level_unknown")
"""Why an episode is not counted: a named trauma on its first day; it began on the diary's first
day or before; its day before lies in an earlier episode or its washout; its level is unknown."""


@dataclass(frozen=True)
class Onset:
    """A diary episode as the review needs it.

    Attributes
    ----------
    start, end : datetime.date
        First and last day with pain.
    trauma : bool
        Its first day records a twist, blow or fall.
    """

    start: date
    end: date
    trauma: bool = False


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode and the levels before it.

    Attributes
    ----------
    start, end : datetime.date
    levels : dict of str to str
        Per lag name, the level attributed (``unknown`` when none); empty for a trauma or an
        episode at the diary's start, whose day before lies outside the counted days.
    counted : bool
        Counted in the rates.
    reason : str or None
        One of :data:`REASONS` when not counted.
    """

    start: date
    end: date
    levels: dict[str, str]
    counted: bool
    reason: str | None = None


@dataclass(frozen=True)
class Exposure:
    """One athlete's counts (:func:`exposure`).

    Attributes
    ----------
    diary_start, as_of : datetime.date
        The counted days run from ``diary_start`` to the day before ``as_of``.
    days, events : dict of str to dict of str to int
        Per lag name, per level of :data:`LEVELS`: athlete-days and counted episodes.
    episodes : tuple of EpisodeRecord
        Every episode that began by ``as_of``, counted or not, by start.
    excluded : dict of str to int
        Episodes not counted per reason (:data:`REASONS`), and the days left out of the
        primary lag's count: ``unknown_days``, ``episode_days``, ``washout_days``.
    """

    diary_start: date
    as_of: date
    days: dict[str, dict[str, int]]
    events: dict[str, dict[str, int]]
    episodes: tuple[EpisodeRecord, ...] = ()
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def athlete_days(self) -> int:
        """Counted athlete-days at any known level (primary lag)."""
        return sum(self.days[PRIMARY].values())


def onsets(diary: Diary, found: Sequence | None = None) -> list[Onset]:
    """The diary's episodes (:func:`loadwatch.pain.episodes`) with their trauma mark.

    A trauma is an episode whose first day has a pain entry (severity >= 1) recording an
    injury moment among its symptoms: ``twist``, ``blow`` or ``fall``
    (:data:`loadwatch.diaryfile.INJURY_MOMENTS`; "twisted" and other variants are read as
    these, :data:`loadwatch.pain.ALIASES`). ``found``: the diary's episodes when the caller
    has them.
    """
    if found is None:
        found = diary_episodes(diary)
    if not found:
        return []
    e = diary.entries
    pain = (e["severity"] >= 1).fillna(False).to_numpy(bool)
    moment = e["symptoms"].map(_MOMENTS.intersection).astype(bool).to_numpy(bool)
    trauma_days = set(e.loc[pain & moment, "date"].dt.date)
    return [Onset(ep.start, ep.end, ep.start in trauma_days) for ep in found]


_MOMENTS = frozenset(INJURY_MOMENTS)


def diary_start(diary: Diary, since: date | None = None) -> date | None:
    """``[athlete] diary_since`` when set, else the diary's first entry (None: no entry)."""
    if since is not None:
        return since
    if diary.entries.empty:
        return None
    return pd.Timestamp(diary.entries["date"].min()).date()


def level_codes(history: pd.DataFrame, first: date, last: date) -> np.ndarray:
    """The level of every day from ``first`` to ``last`` as :data:`CODES` (days missing: -1).

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`loadwatch.verdict.history.history`'s table (``date``, ``level``, ...).
    first, last : datetime.date

    Returns
    -------
    numpy.ndarray of int8
        One code a day, ``(last - first).days + 1`` long.
    """
    n = (last - first).days + 1
    out = np.full(max(n, 0), -1, dtype=np.int8)
    if n <= 0 or history.empty:
        return out
    idx = ((history["date"] - pd.Timestamp(first)).dt.days).to_numpy()
    codes = history["level"].map(CODES).fillna(-1).to_numpy(np.int8)
    keep = (idx >= 0) & (idx < n)
    out[idx[keep]] = codes[keep]
    return out


def lag_codes(codes: np.ndarray) -> dict[str, np.ndarray]:
    """Per lag, each day's level: the highest over the window ending on that day.

    ``codes[i]`` is day i's level; the window of day i is days i-w+1..i (days before the array
    count as ``unknown``). The maximum passes over ``unknown`` (-1) unless the window is only
    that.
    """
    out = {}
    for name, window in LAGS:
        best = codes.copy()
        for k in range(1, window):  # at most 13 shifted copies of the array, not a loop over days
            best[k:] = np.maximum(best[k:], codes[:-k])
        out[name] = best
    return out


def count(lags: dict[str, np.ndarray], first: date, diary_start: date, as_of: date,
          found: Sequence[Onset], washout_days: int) -> Exposure:
    """Athlete-days and episodes at each level, per lag (the rules of the module).

    Parameters
    ----------
    lags : dict of str to numpy.ndarray
        :func:`lag_codes` of the days from ``first`` to ``as_of``.
    first : datetime.date
        The day of index 0 (at most ``diary_start``).
    diary_start, as_of : datetime.date
    found : sequence of Onset
        The diary's episodes, by start.
    washout_days : int
        ``Thresholds.review_washout_days``. [days]

    Returns
    -------
    Exposure
    """
    primary = lags[PRIMARY]
    n = len(primary)
    lo = (diary_start - first).days
    hi = (as_of - first).days  # exclusive: the counted days end the day before as_of
    shown = [o for o in found if o.start <= as_of]
    base = first.toordinal()
    starts = np.fromiter((o.start.toordinal() - base for o in shown), np.int64, len(shown))
    ends = np.fromiter((min(o.end, as_of).toordinal() - base for o in shown), np.int64,
                       len(shown))
    trauma = np.fromiter((o.trauma for o in shown), bool, len(shown))
    # Episode days and washouts as +1/-1 edges, summed: no loop over the days.
    window = np.zeros(n, dtype=bool)
    window[max(lo, 0):max(hi, 0)] = True
    if len(shown):
        size = n + washout_days + 2
        opened = np.bincount(starts.clip(0, size - 1), minlength=size)
        in_episode = np.cumsum(opened - np.bincount((ends + 1).clip(0, size - 1),
                                                    minlength=size))[:n] > 0
        covered = np.cumsum(opened - np.bincount((ends + washout_days + 1).clip(0, size - 1),
                                                 minlength=size))[:n] > 0
    else:
        in_episode = covered = np.zeros(n, dtype=bool)
    free = window & ~covered

    # The episodes, all at once: the day before each, and why one is not counted
    # (0 counted, else 1 + the index of its reason in REASONS).
    before = starts - 1
    inside = (before >= 0) & (before < n)
    at = np.where(inside, before, 0)
    why = np.zeros(len(shown), dtype=np.int8)
    why[(primary[at] < 0)] = 4
    why[~(inside & free[at])] = 3
    why[before < lo] = 2
    why[trauma] = 1
    counted = why == 0

    days: dict[str, dict[str, int]] = {}
    events: dict[str, dict[str, int]] = {}
    for name, codes in lags.items():
        at_level = np.bincount(codes[free] + 1, minlength=4).tolist()
        days[name] = dict(zip(LEVELS, at_level[1:], strict=True))
        hit = np.bincount(codes[at[counted]] + 1, minlength=4).tolist()
        events[name] = dict(zip(LEVELS, hit[1:], strict=True))

    records = []
    for k, onset in enumerate(shown):  # the episodes (a few), never the days
        reason = REASONS[why[k] - 1] if why[k] else None
        levels = ({} if why[k] in (1, 2) else
                  {name: _NAMES[int(codes[at[k]])] if inside[k] else "unknown"
                   for name, codes in lags.items()})
        records.append(EpisodeRecord(onset.start, onset.end, levels, reason is None, reason))
    per_reason = np.bincount(why, minlength=len(REASONS) + 1).tolist()
    excluded = dict(zip(REASONS, per_reason[1:], strict=True))
    excluded.update(unknown_days=int(np.count_nonzero(free & (primary < 0))),
                    episode_days=int(np.count_nonzero(window & in_episode)),
                    washout_days=int(np.count_nonzero(window & covered & ~in_episode)))
    return Exposure(diary_start, as_of, days, events, tuple(records), excluded)


_NAMES = {-1: "unknown", 0: "usual", 1: "raised", 2: "high"}


def exposure(history: pd.DataFrame, diary: Diary, as_of: date, washout_days: int,
             since: date | None = None, episodes: Sequence | None = None) -> Exposure | None:
    """One athlete's counts from their level history and diary.

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`loadwatch.verdict.history.history` from at least :data:`LOOK_BACK` days before
        the diary's start (earlier days are ignored, missing days are ``unknown``) to ``as_of``.
    diary : loadwatch.pain.Diary
    as_of : datetime.date
        The report date.
    washout_days : int
        ``Thresholds.review_washout_days``. [days]
    since : datetime.date, optional
        ``[athlete] diary_since``.
    episodes : sequence of loadwatch.pain.Episode, optional
        :func:`loadwatch.pain.episodes` of ``diary``, when the caller has them.

    Returns
    -------
    Exposure or None
        None when the diary has no entry (and no ``diary_since``) or starts after ``as_of``.
    """
    start = diary_start(diary, since)
    if start is None or start > as_of:
        return None
    first = start - timedelta(days=LOOK_BACK)
    lags = lag_codes(level_codes(history, first, as_of))
    return count(lags, first, start, as_of, onsets(diary, episodes), washout_days)
