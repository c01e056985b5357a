"""Shoes: which pair each run was in, per pair over the last 4 weeks and in total.

The timeline's ``gear`` names the shoe of a run where the athlete picked one (a
Strava export's ``Activity Gear``); NA is "not known". An unknown shoe is never
counted as a pair: two runs without a shoe could be in two pairs or one.

What is measured here is use, not wear: loadwatch gives no "replace at 800 km"
alarm, because no study links a shoe's mileage to injury. What a study did link
is running in more than one pair in parallel: Malisoux et al. 2015 (Scand J Med
Sci Sports 25:110, 264 recreational runners followed 22 weeks) found fewer
injuries in runners who used more than one pair (HR 0.61, 0.39-0.96); the habit
that reads these counts is :mod:`loadwatch.flags.shoes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loadwatch.engine import calendar

SHOE_WINDOW_DAYS = 28
"""The "last 4 weeks" of the shoe table and of the one-pair habit: the report date and
the 27 days before it. loadwatch's product rule (the issue's 4 weeks: long enough for a
rotation of pairs to show, short enough to be the current habit; Malisoux 2015 asked about
the shoes of the whole 22 weeks). [days]"""

SHOE_LIST_DAYS = 90
"""A pair not worn in this many days up to the report date is left out of the table (retired,
or a spare not in use); its runs still count in no other pair. loadwatch's product rule. [days]"""


@dataclass(frozen=True)
class Shoe:
    """One row of the shoe table.

    Attributes
    ----------
    name : str or None
        The pair as the athlete named it; None: the runs that name no shoe.
    runs_4w : int
        Runs in it in the :data:`SHOE_WINDOW_DAYS` days up to the report date. [runs]
    distance_4w_m : float
        Their distance (runs without one add nothing). [m]
    distance_total_m : float
        Distance of every run in it up to the report date (what the files hold). [m]
    last_day : datetime.date
        The last day it was worn.
    """

    name: str | None
    runs_4w: int
    distance_4w_m: float
    distance_total_m: float
    last_day: date


@dataclass(frozen=True)
class ShoeUse:
    """The shoe table on the report date and the day-by-day counts the habit reads.

    Attributes
    ----------
    table : tuple of Shoe
        Pairs worn in the last :data:`SHOE_LIST_DAYS` days, most runs in the last 4 weeks
        first (then most distance in total), the unknown row (``name`` None) last.
    first : int
        Day number of the first day of the arrays (:mod:`loadwatch.engine.calendar`).
    known, unknown : numpy.ndarray of int
        Per day from ``first`` to the report date: runs with a named shoe, and runs without
        one, in the :data:`SHOE_WINDOW_DAYS` days up to that day. [runs]
    pairs : numpy.ndarray of int
        Distinct named shoes among those runs. [pairs]
    only : numpy.ndarray of object
        The one pair's name where ``pairs`` is 1, else None.
    """

    table: tuple[Shoe, ...]
    first: int
    known: np.ndarray
    unknown: np.ndarray
    pairs: np.ndarray
    only: np.ndarray

    @property
    def any_named(self) -> bool:
        """Whether any run up to the report date names a shoe."""
        return any(s.name is not None for s in self.table) or bool(self.known.any())


NO_SHOES = ShoeUse((), 0, np.zeros(0, int), np.zeros(0, int), np.zeros(0, int),
                   np.zeros(0, dtype=object))
"""The use of a timeline without runs."""


def shoe_use(timeline: pd.DataFrame, as_of: date, first: int | None = None,
             columns: dict[str, np.ndarray] | None = None) -> ShoeUse:
    """Per-shoe runs and distance of the runs up to ``as_of`` (later ones ignored).

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS`` (a frame without ``gear`` is all unknown shoes).
    as_of : datetime.date
    first : int, optional
        Day number the arrays start on (the engine's first day); default the first run.
    columns : dict of str to numpy.ndarray, optional
        ``timeline``'s ``day``, ``is_run`` and ``distance_m`` as arrays when the caller has
        them (:func:`loadwatch.engine.daily._columns`).

    Notes
    -----
    runs_4w = count of runs in the pair on days ``as_of - 27`` .. ``as_of``;
    distance_4w_m = sum of their ``distance_m`` [m]; distance_total_m = sum over every run
    in the pair up to ``as_of`` [m]. A shoe name is compared as written, spaces around it
    dropped.
    """
    end = calendar.to_number(as_of)
    c = columns if columns is not None else {
        "day": calendar.day_numbers(timeline["local_date"]),
        "is_run": timeline["is_run"].to_numpy(bool),
        "distance_m": timeline["distance_m"].to_numpy(float)}
    day = c["day"]
    run = c["is_run"] & (day <= end)
    if not run.any():
        return NO_SHOES
    day = day[run]
    dist = np.nan_to_num(c["distance_m"][run])
    gear = (timeline["gear"].to_numpy(object)[run] if "gear" in timeline.columns
            else np.full(int(run.sum()), None, dtype=object))
    # The few distinct names stripped, not every run's: a pandas .str pass cost more than
    # the rest of the rule. Factorising the stripped names in their order of first use
    # keeps the order (and the merges) of stripping first.
    codes, seen = pd.factorize(gear, use_na_sentinel=True)
    stripped = [(s.strip() or None) if isinstance(s, str) else None for s in seen.tolist()]
    merged, names = pd.factorize(np.array(stripped, dtype=object), use_na_sentinel=True)
    codes = np.append(merged, -1)[codes]
    names = list(names)
    g = len(names)
    slot = np.where(codes < 0, g, codes)          # the unknown shoe is the last column
    first = int(day.min()) if first is None else min(int(first), int(day.min()))
    n = end - first + 1
    per_day = np.zeros((n, g + 1), dtype=np.int64)
    np.add.at(per_day, (day - first, slot), 1)
    csum = np.cumsum(per_day, axis=0)
    before = np.vstack([np.zeros((SHOE_WINDOW_DAYS, g + 1), np.int64), csum])[:n]
    window = csum - before                        # runs in the 28 days up to each day
    worn = window[:, :g] > 0
    pairs = worn.sum(axis=1)
    only = np.full(n, None, dtype=object)
    single = pairs == 1
    if single.any() and g:
        only[single] = np.asarray(names, dtype=object)[worn[single].argmax(axis=1)]

    recent = day > end - SHOE_WINDOW_DAYS
    runs_4w = np.bincount(slot[recent], minlength=g + 1)
    km_4w = np.bincount(slot[recent], weights=dist[recent], minlength=g + 1)
    total = np.bincount(slot, weights=dist, minlength=g + 1)
    last = np.full(g + 1, np.iinfo(np.int64).min)
    np.maximum.at(last, slot, day)
    rows = [Shoe(names[i] if i < g else None, int(runs_4w[i]), float(km_4w[i]), float(total[i]),
                 calendar.to_date(int(last[i])))
            for i in range(g + 1) if last[i] > end - SHOE_LIST_DAYS]
    rows.sort(key=lambda s: (s.name is None, -s.runs_4w, -s.distance_total_m, s.name or ""))
    return ShoeUse(tuple(rows), first, window[:, :g].sum(axis=1), window[:, g], pairs, only)
