"""Which load flags came before pain, beside how often they came before no pain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch.flags.model import Flag
from loadwatch.pain.episodes import _NAMES, MAX_MENTIONED, WINDOW_DAYS, Episode
from loadwatch.pain.words import _words

MIN_EPISODES = 3
"""Fewer episodes than this are too few to call a pattern."""

@dataclass(frozen=True)
class PatternCount:
    """How often one flag code came before pain and before pain-free stretches."""

    code: str
    before_pain: int
    before_pain_free: int


@dataclass(frozen=True)
class Patterns:
    """Flag codes before pain against the base rate (:func:`patterns`).

    Attributes
    ----------
    window_days : int
        Look-back before each start. [days]
    episodes : int
        Episodes counted: those with a full look-back inside the timeline.
    left_out : int
        Episodes before the timeline had ``window_days`` of data to look back on.
    pain_free_windows : int
        Pain-free stretches of ``window_days + 1`` days, the base-rate windows.
    counts : tuple of PatternCount
        Per flag code, most often before pain first.
    """

    window_days: int
    episodes: int
    left_out: int
    pain_free_windows: int
    counts: tuple[PatternCount, ...]

    @property
    def enough(self) -> bool:
        """Whether there are enough episodes to call a pattern."""
        return self.episodes >= MIN_EPISODES

    @property
    def summary(self) -> str:
        """The result in plain words, with the counts."""
        return _patterns_summary(self)

    def to_json(self) -> dict:
        return {
            "window_days": self.window_days,
            "episodes": self.episodes,
            "left_out": self.left_out,
            "pain_free_windows": self.pain_free_windows,
            "enough": self.enough,
            "codes": [{"code": c.code, "before_pain": c.before_pain,
                       "before_pain_share": _share(c.before_pain, self.episodes),
                       "before_pain_free": c.before_pain_free,
                       "before_pain_free_share": _share(c.before_pain_free,
                                                        self.pain_free_windows)}
                      for c in self.counts],
            "summary": self.summary,
        }



# -- patterns -----------------------------------------------------------------------------

def patterns(episodes: Sequence[Episode], flags: Iterable[Flag], timeline_start: date | None,
             as_of: date, window_days: int = WINDOW_DAYS) -> Patterns:
    """Which load flags came before pain, beside how often they came before no pain.

    Parameters
    ----------
    episodes : sequence of Episode
    flags : iterable of Flag
        Load flags (``pain_*`` flags are ignored).
    timeline_start : datetime.date or None
        First day of the athlete's activity data; None when there is none.
    as_of : datetime.date
        Last day considered.
    window_days : int, default 21
        Look-back before each start, as in :func:`link`. [days]

    Returns
    -------
    Patterns

    Notes
    -----
    A case-crossover comparison within one runner [1]_. For each episode that
    starts in ``[timeline_start + window_days, as_of]`` (a full look-back inside
    the data), each flag code counts once when a flag of that code overlaps its
    window ``[start - window_days, start]`` (``L = window_days + 1`` days). The
    base rate slides non-overlapping ``L``-day windows over the days in
    ``[timeline_start, as_of]`` that are in no episode: each maximal pain-free
    stretch is cut into consecutive ``L``-day windows from its first day (a
    shorter remainder is dropped), and a code counts for a window when one of its
    flags overlaps it. With fewer than :data:`MIN_EPISODES` counted episodes the
    summary says the numbers are too few to call a pattern.

    References
    ----------
    .. [1] M. Maclure, "The case-crossover design: a method for studying transient
       effects on the risk of acute events," Am. J. Epidemiol., vol. 133, no. 2,
       pp. 144-153, 1991, doi:10.1093/oxfordjournals.aje.a115853.
    """
    load = [f for f in flags if not f.code.startswith("pain_")]
    length = window_days + 1
    counted = [ep for ep in episodes if timeline_start is not None
               and ep.start - timedelta(days=window_days) >= timeline_start
               and ep.start <= as_of]
    left_out = sum(ep.start <= as_of for ep in episodes) - len(counted)
    codes = sorted({f.code for f in load})

    starts = np.array([(ep.start - timedelta(days=window_days)).toordinal() for ep in counted],
                      dtype=np.int64)
    ends = np.array([ep.start.toordinal() for ep in counted], dtype=np.int64)
    before_pain = _code_hits(starts, ends, load, codes).sum(axis=0)

    free_starts, free_ends = _pain_free_windows(episodes, timeline_start, as_of, length)
    before_free = _code_hits(free_starts, free_ends, load, codes).sum(axis=0)

    counts = sorted(
        (PatternCount(c, int(p), int(q)) for c, p, q in zip(codes, before_pain, before_free,
                                                            strict=True)),
        key=lambda c: (-c.before_pain, _share(c.before_pain_free, len(free_starts)) or 0.0,
                       c.code))
    return Patterns(window_days, len(counted), left_out, len(free_starts), tuple(counts))


def _code_hits(starts: np.ndarray, ends: np.ndarray, load: list[Flag],
               codes: list[str]) -> np.ndarray:
    """Windows x codes: whether a flag of each code overlaps each window (ordinal days)."""
    if not len(starts) or not codes:
        return np.zeros((len(starts), len(codes)), dtype=bool)
    first = np.array([f.start.toordinal() for f in load])
    last = np.array([f.until.toordinal() for f in load])
    code = np.array([codes.index(f.code) for f in load])
    overlap = (first[None, :] <= ends[:, None]) & (last[None, :] >= starts[:, None])
    of_code = code[:, None] == np.arange(len(codes))[None, :]
    return (overlap.astype(np.int64) @ of_code.astype(np.int64)) > 0


def _pain_free_windows(episodes: Sequence[Episode], timeline_start: date | None, as_of: date,
                       length: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last ordinal day of each pain-free base-rate window."""
    if timeline_start is None or timeline_start > as_of:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    days = np.arange(timeline_start.toordinal(), as_of.toordinal() + 1)
    ep_start = np.array([ep.start.toordinal() for ep in episodes], dtype=np.int64)
    ep_end = np.array([ep.end.toordinal() for ep in episodes], dtype=np.int64)
    in_pain = ((days[:, None] >= ep_start[None, :])
               & (days[:, None] <= ep_end[None, :])).any(axis=1)
    free = pd.Series(~in_pain)
    stretch = (free != free.shift()).cumsum()
    position = free.groupby(stretch).cumcount()
    windows = (pd.DataFrame({"day": days, "stretch": stretch, "window": position // length})[free]
               .groupby(["stretch", "window"])["day"].agg(["min", "max", "size"]))
    windows = windows[windows["size"] == length]
    return windows["min"].to_numpy(np.int64), windows["max"].to_numpy(np.int64)


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def _patterns_summary(p: Patterns) -> str:
    w = p.window_days
    later = (f" {p.left_out} more began before there were {w} days of activity data to look "
             "back on." if p.left_out else "")
    if not p.enough:
        n = p.episodes
        which = ("No pain episode" if n == 0
                 else f"Only {n} pain episode{'s' if n > 1 else ''}")
        return (f"{which} with {w} days of activity data before {'them' if n > 1 else 'it'}: "
                f"too few to call a pattern (at least {MIN_EPISODES} are needed).{later}")
    n, m = p.episodes, p.pain_free_windows
    base = (f"{m} pain-free {w + 1}-day stretches" if m
            else f"no pain-free stretch of {w + 1} days to compare with")
    head = (f"Across {n} pain episodes (the {w} days before each began, and its first day) "
            f"and {base}")
    seen = [c for c in p.counts if c.before_pain][:MAX_MENTIONED]
    if not seen:
        return f"{head}: no load flag came before any of the episodes.{later}"
    items = []
    for c in seen:
        item = (f"{_NAMES.get(c.code, _words(c.code))} came before {c.before_pain} of {n} "
                f"episodes ({c.before_pain / n:.0%})")
        if m:
            item += (f" and {c.before_pain_free} of {m} pain-free stretches "
                     f"({c.before_pain_free / m:.0%})")
        items.append(item)
    return (f"{head}: {'; '.join(items)}. A pattern in one runner's diary is a hint to discuss, "
            f"not proof of a cause.{later}")
