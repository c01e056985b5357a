"""Habits over the days and weeks: the load ratio, monotony, run streaks and rest days.

Shown with their grade ("worth a look"), never raising the risk level alone.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from loadwatch.engine import calendar
from loadwatch.flags import messages
from loadwatch.flags.model import (
    SEVERITIES,
    TOLERANCE,
    Flag,
    episodes,
    make_flag,
    over_threshold,
    severity_steps,
)
from loadwatch.flags.tables import FlagTables
from loadwatch.flags.thresholds import Thresholds


def acwr(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    days = tables.days
    acwr = days.col["acwr"].astype(float)
    with np.errstate(invalid="ignore"):
        level = np.where(acwr >= t.acwr_high - TOLERANCE, 2,
                         np.where(over_threshold(acwr, t.acwr_caution), 1, -1))
    # A week back at the usual distance after a dip or a break is a return (returns.py): its
    # ratio is high only because the dip pulled the chronic load down, not a habit to fix.
    so_far = tables.week_to_date("run_distance_m")[0]
    level = tables.spare("run_distance_m", t, so_far, level)
    levels = np.maximum(level, 0)
    out = []
    for a, b in episodes(level >= 0):
        part = acwr[a:b + 1]
        peak_at = int(np.argmax(part))
        latest = float(part[-1])
        ongoing = b == days.n - 1
        msg = messages.acwr(analysis.load, latest, days.date(b), ongoing, t.acwr_caution,
                            days.date(a), float(part[peak_at]), days.date(a + peak_at))
        rank = int(level[a:b + 1].max())
        out.append(make_flag("acwr_high", "habit", SEVERITIES[rank], days.date(a), days.date(b),
                             part[peak_at], t.acwr_high if rank == 2 else t.acwr_caution, msg,
                             severity_steps(levels, a, b, days.date), latest=latest))
    return out


def monotony(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    w = tables.weeks
    mono = w["monotony"].astype(float)
    out = []
    for a, b in episodes(over_threshold(mono, t.monotony_high)):
        peak = float(mono[a:b + 1].max())
        flat = peak >= 10.0 - TOLERANCE
        msg = messages.monotony(peak, flat, b - a + 1, calendar.to_date(w.start[a]),
                                t.monotony_high)
        out.append(make_flag("monotony_high", "habit", "caution", calendar.to_date(w.end[a]),
                             calendar.to_date(w.end[b]), peak, t.monotony_high, msg))
    return out


def streaks(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    days = tables.days
    streak = days.col["streak"]
    level = np.where(streak >= t.streak_high_days, 2,
                     np.where(streak >= t.streak_caution_days, 1, -1))
    levels = np.maximum(level, 0)
    out = []
    for a, b in episodes(level >= 0):
        longest = int(streak[b])
        first_day = days.date(b) - timedelta(days=longest - 1)
        going = b == days.n - 1
        msg = messages.streak(longest, first_day, days.date(b), going)
        rank = int(level[b])
        out.append(make_flag("run_streak", "habit", SEVERITIES[rank], days.date(a), days.date(b),
                             longest, t.streak_high_days if rank == 2 else t.streak_caution_days,
                             msg, severity_steps(levels, a, b, days.date)))
    return out


def no_rest(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    days = tables.days
    since = days.col["days_since_rest"].astype(float)
    # Before the first rest day of the series, count days from its start.
    since = np.where(np.isnan(since), np.arange(1, days.n + 1, dtype=float), since)
    out = []
    for a, b in episodes(since >= t.no_rest_days):
        longest = int(since[b])
        going = b == days.n - 1
        msg = messages.no_rest(longest, days.date(b), going)
        out.append(make_flag("no_rest_day", "habit", "caution", days.date(a), days.date(b),
                             longest, t.no_rest_days, msg))
    return out
