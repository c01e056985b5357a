"""What rests the knee and what does not: the no-cross-training and time-on-feet habits.

Non-running activities fall in three groups
(:data:`loadwatch.importers.sports.CATEGORIES`): low-impact cross-training
(ride, swim, row, cross-country ski, elliptical), which keeps fitness while the
knee rests from the landing; weight-bearing walks and hikes, which land body
weight on the knee at every step; and strength work, counted on its own.

- ``no_cross_training``: no low-impact session in
  ``Thresholds.no_cross_training_days`` days while running at least
  ``no_cross_training_min_run_days`` days a week. A walk or a hike, however long,
  does not end it.
- ``time_on_feet_jump``: a week's time on feet (running, walking and hiking
  time) more than ``time_on_feet_jump_pct`` above the mean of the (up to) 4
  complete weeks before (at least 2 of them in the data, their mean at least
  ``time_on_feet_min_base_h``), while the running time alone stays under that
  line: the walks and hikes are what carried the week over it (a jump in running
  time is ``duration_jump``'s). The week in progress counts from its first day:
  a Saturday hike shows on Saturday. loadwatch's product rule, graded advice: no
  cohort study links hiking time to running injury, but a long hike loads the
  same tissues for hours, and treating it as rest would hide exactly that.

Both are habits: shown with their grade, never raising the risk level.
"""

from __future__ import annotations

import math

import numpy as np

from loadwatch.engine import calendar
from loadwatch.flags import messages
from loadwatch.flags.model import TOLERANCE, Flag, episodes, make_flag, over_threshold
from loadwatch.flags.tables import FlagTables, rolling_count
from loadwatch.flags.thresholds import Thresholds
from loadwatch.words import day_words


def no_cross(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    """``no_cross_training`` flags: one per episode of days without low-impact cross-training."""
    days = tables.days
    n = t.no_cross_training_days
    cross = rolling_count(days.col["cross_sessions"] > 0, n)
    run_days = rolling_count(days.col["run_day"].astype(bool), 7)
    cond = (cross == 0) & (run_days >= t.no_cross_training_min_run_days)
    since = days.col["days_since_cross"]
    walks = np.concatenate([[0], np.cumsum(days.col["walk_sessions"].astype(np.int64))])
    out = []
    for a, b in episodes(cond):
        value = int(since[b]) if not math.isnan(since[b]) else int(b + 1)
        walked = int(walks[b + 1] - walks[max(0, b + 1 - value)])
        msg = messages.no_cross(value, days.date(b), int(run_days[b]), walked)
        out.append(make_flag("no_cross_training", "habit", "info", days.date(a), days.date(b),
                             value, n, msg))
    return out


def _usual(values: np.ndarray, complete: np.ndarray) -> np.ndarray:
    """Per week, the mean of the (up to) 4 complete weeks before it, when at least 2 are known."""
    before = np.concatenate([np.full(4, np.nan), np.where(complete, values, np.nan)[:-1]])
    window = np.lib.stride_tricks.sliding_window_view(before, 4)[:len(values)]
    known = (~np.isnan(window)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(known >= 2, np.nansum(window, axis=1) / np.maximum(known, 1), np.nan)


def time_on_feet_jumps(analysis, tables: FlagTables, t: Thresholds,
                       units: str = "km") -> list[Flag]:
    """``time_on_feet_jump`` flags: one per week whose walks and hikes took its time on feet
    more than ``time_on_feet_jump_pct`` over the usual (module docstring)."""
    w = tables.weeks
    if not len(w["week"]) or not w["walk_sessions"].any():
        return []
    feet = w["time_on_feet_s"].astype(float)
    running = w["run_duration_s"].astype(float)
    complete = w["complete"].astype(bool)
    usual = _usual(feet, complete)
    line = usual * (1 + t.time_on_feet_jump_pct / 100.0)
    with np.errstate(invalid="ignore"):
        cond = ((usual >= t.time_on_feet_min_base_h * 3600.0 - TOLERANCE)
                & over_threshold(feet, line) & (running <= line + TOLERANCE))
    if not cond.any():
        return []
    days = tables.days
    grid = days.grid
    longest_s = grid.grid(days.col["longest_walk_s"].astype(float))
    longest_m = grid.grid(days.col["longest_walk_m"].astype(float))
    hike = grid.grid(days.col["longest_walk_hike"].astype(bool), False)
    last = len(feet) - 1
    out = []
    for i in np.flatnonzero(cond).tolist():
        j = int(np.argmax(longest_s[i]))
        when = calendar.to_date(int(grid.mondays[i]) + j)
        kind = "hike" if hike[i, j] else "walk"
        start, end = calendar.to_date(w.start[i]), calendar.to_date(w.end[i])
        week = ("this week so far" if i == last and not complete[i]
                else "this week" if i == last else f"in the week of {day_words(start)}")
        ratio = feet[i] / usual[i]
        msg = messages.time_on_feet(kind, float(longest_m[i, j]), float(longest_s[i, j]), when,
                                    week, float(feet[i]), float(usual[i]), units)
        out.append(make_flag("time_on_feet_jump", "habit", "caution", start, end, ratio,
                             1 + t.time_on_feet_jump_pct / 100.0, msg))
    return out
