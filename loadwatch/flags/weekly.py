"""Weekly rules: distance jumps, ramps over several weeks, and jumps in running time,
climbing and hard runs.

A week back at the usual load after a short dip or a break is a return, not a jump or a
step of a ramp (:mod:`loadwatch.flags.returns`); the returns come in :class:`.FlagTables`.
"""

from __future__ import annotations

import numpy as np

from loadwatch.engine import calendar, edges
from loadwatch.flags import messages, returns
from loadwatch.flags.model import (
    SEVERITIES,
    TOLERANCE,
    Flag,
    episodes,
    make_flag,
    severity_steps,
    severity_trace,
)
from loadwatch.flags.tables import Days, FlagTables, week_to_date_arrays
from loadwatch.flags.thresholds import Thresholds
from loadwatch.words import KM


def _week_levels(days: Days, column: str, pcts: tuple[float, ...], floor: float,
                 tol: float = 0.0, tables: FlagTables | None = None):
    """The weekly-jump state of every day: change so far against the same days of last
    week, and the severity rank it reaches (-1 none).

    A day counts when the same-days base is at least ``floor``, the change exceeds a
    threshold and the week so far already exceeds the whole of last week (so that a
    long run moved from Sunday to Saturday is not a jump). On a Sunday the same
    days are the whole week: the complete-week comparison.
    """
    so_far, same, last_week = (tables.week_to_date(column) if tables is not None else
                               week_to_date_arrays(days.grid, days.col[column]))
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (so_far - same) / same * 100.0
        ok = (same >= floor - TOLERANCE) & (so_far > last_week + TOLERANCE)
    level = np.full(days.n, -1)
    for rank, pct in enumerate(pcts, start=1):
        level = np.where(ok & edges.over_pct(change, pct, tol), rank, level)
    return {"so_far": so_far, "same_days": same, "last_week": last_week, "change": change}, level


def _week_episodes(days: Days, level: np.ndarray) -> list[tuple[int, int]]:
    """Episodes of ``level >= 0`` that never cross a Monday."""
    on = level >= 0
    monday = days.weekday == 0
    start = on & (~np.concatenate([[False], on[:-1]]) | monday)
    end = on & (~np.concatenate([on[1:], [False]]) | np.concatenate([monday[1:], [True]]))
    return list(zip(np.flatnonzero(start).tolist(), np.flatnonzero(end).tolist(), strict=True))


def distance_jump_levels(days: Days, t: Thresholds, tables: FlagTables | None = None
                         ) -> tuple[dict, np.ndarray]:
    """Per day: the week-to-date figures of run distance (``so_far``, ``same_days``,
    ``last_week``, ``change``) and the weekly-distance-jump severity rank (-1 none, 1
    caution, 2 high) before the returns are spared (:func:`loadwatch.flags.returns.spare`).

    Every day's rank reads only that day and the days before it: the history of the
    level (:mod:`loadwatch.verdict.history`) reads it once for all days. ``tables``: the
    flag tables of the days, when the caller has them."""
    return _week_levels(days, "run_distance_m",
                        (t.weekly_jump_caution_pct, t.weekly_jump_high_pct),
                        t.weekly_jump_min_base_km * KM, t.band_tolerance_pct, tables)


def weekly_distance_jumps(analysis, tables: FlagTables, t: Thresholds,
                          units: str = "km") -> list[Flag]:
    days = tables.days
    if not days.n:
        return []
    w, level = distance_jump_levels(days, t, tables)
    level = tables.spare("run_distance_m", t, w["so_far"], level)
    out = []
    for a, b in _week_episodes(days, level):
        last = days.date(b)
        rank = int(level[a:b + 1].max())
        high = rank == 2
        so_far, same, last_week, change = (float(w[k][b]) for k in
                                           ("so_far", "same_days", "last_week", "change"))
        # fmax skips NaN as nanmax does, without its checks (NaN only when all are).
        peak = float(np.fmax.reduce(w["change"][a:b + 1]))
        msg = messages.weekly_distance_jump(last, so_far, same, last_week, change, peak, high,
                                            units)
        out.append(make_flag("weekly_distance_jump", "evidence" if high else "habit",
                             SEVERITIES[rank], days.date(a), last, peak,
                             t.weekly_jump_high_pct if high else t.weekly_jump_caution_pct,
                             msg, severity_steps(level, a, b, days.date),
                             trace=severity_trace(level, a, b, days.date), latest=change))
    return out


def ramp_ranks(w, rows: np.ndarray, found, t: Thresholds):
    """The ramp rule's state of the complete weekly ``rows`` of ``w`` (a
    :class:`~loadwatch.flags.tables.Weeks`) whose returns are those of ``found``
    (the run distance's :func:`loadwatch.flags.returns.comebacks`).

    Returns
    -------
    (rank, run, base, change) : numpy.ndarray
        Per row: the severity rank (-1 none, 1 caution, 2 high), the consecutive weeks
        above ``ramp_habit_pct``, the base [m] and the change [%] (NaN for a return week).
    """
    base, change = w["base_distance_m"][rows].astype(float), w["change_pct"][rows].astype(float)
    # A week back at the usual load after a dip or a break is no step of a ramp.
    change[returns.return_rows(found, w.n)[rows]] = np.nan
    with np.errstate(invalid="ignore"):
        base_ok = base >= t.weekly_jump_min_base_km * KM - TOLERANCE
    run_high = calendar.run_lengths(edges.over_pct(change, t.ramp_pct, t.band_tolerance_pct)
                                    & base_ok)
    run = calendar.run_lengths(edges.over_pct(change, t.ramp_habit_pct, t.band_tolerance_pct)
                               & base_ok)
    rank = np.where(run_high >= 2, 2, np.where(run >= t.ramp_habit_weeks, 1, -1))
    return rank, run, base, change


def ramps(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    """Consecutive complete weeks of growth: two above ``ramp_pct`` (evidence), or
    ``ramp_habit_weeks`` above ``ramp_habit_pct`` (habit)."""
    w = tables.weeks
    rows = np.flatnonzero(w["complete"].astype(bool))
    if len(rows) < 2:
        return []
    rank, run, base, change = ramp_ranks(w, rows, tables.comebacks["run_distance_m"], t)
    ends = w.end[rows]

    def day(i):
        return calendar.to_date(ends[i])

    levels = np.maximum(rank, 0)
    distance = w["run_distance_m"][rows].astype(float)
    out = []
    for a, b in episodes(rank >= 0):
        first_week = a - int(run[a]) + 1
        growth = distance[b] / base[first_week] * 100 - 100
        peak = int(rank[a:b + 1].max())
        high = peak == 2
        weeks = int(run[b])
        msg = messages.ramp(weeks, change[b - weeks + 1:b + 1].tolist(), base[first_week],
                            distance[b], calendar.to_date(w.start[rows[b]]), growth,
                            int(rank[b]) == 2, units)
        out.append(make_flag("cumulative_ramp", "evidence" if high else "habit", SEVERITIES[peak],
                             day(a), day(b), growth, t.ramp_pct if high else t.ramp_habit_pct, msg,
                             severity_steps(levels, a, b, day),
                             trace=severity_trace(levels, a, b, day)))
    return out


def weekly_jumps(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    days = tables.days
    if not days.n:
        return []
    specs = [
        ("duration_jump", "run_duration_s", t.duration_jump_pct, t.duration_jump_min_base_min * 60),
        ("elevation_jump", "elevation_gain_m", t.elevation_jump_pct, t.elevation_jump_min_base_m),
    ]
    out = []
    for code, col, pct, base in specs:
        w, level = _week_levels(days, col, (pct,), base, tables=tables)
        level = tables.spare(col, t, w["so_far"], level)
        for a, b in _week_episodes(days, level):
            so_far, same, change = (float(w[k][b]) for k in ("so_far", "same_days", "change"))
            last = days.date(b)
            msg = messages.weekly_jump(code, last, so_far, same, change, units)
            out.append(make_flag(code, "habit", "caution", days.date(a), last, change, pct, msg))
    return out


def intensity(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    w = tables.weeks
    if not len(w["week"]) or not w["classified_runs"].any():
        return []
    hard = w["hard_runs"].astype(float)
    complete = w["complete"].astype(bool)
    # The mean of the (up to) 4 complete weeks before, when at least 2 of them are known.
    before = np.concatenate([np.full(4, np.nan), np.where(complete, hard, np.nan)[:-1]])
    window = np.lib.stride_tricks.sliding_window_view(before, 4)[:len(hard)]
    known = (~np.isnan(window)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        usual = np.where(known >= 2, np.nansum(window, axis=1) / known, np.nan)
        cond = (hard >= t.intensity_jump_runs) & (hard >= usual + t.intensity_jump_runs - TOLERANCE)
    proxy = analysis.heart_rate.describe()
    out = []
    for i in np.flatnonzero(cond).tolist():
        start, end = calendar.to_date(w.start[i]), calendar.to_date(w.end[i])
        msg = messages.intensity(start, bool(complete[i]), int(hard[i]), float(usual[i]), proxy)
        out.append(make_flag("intensity_jump", "habit", "caution", start, end,
                             w["hard_runs"][i], usual[i] + t.intensity_jump_runs, msg))
    return out
