"""Habits over the days and weeks: the load ratio, monotony, run streaks and rest days.

Shown with their grade ("worth a look"), never raising the risk level alone.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from loadwatch.engine import calendar
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
from loadwatch.words import day_words


def acwr(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    days = tables.days
    acwr = days.col["acwr"].astype(float)
    with np.errstate(invalid="ignore"):
        level = np.where(acwr >= t.acwr_high - TOLERANCE, 2,
                         np.where(over_threshold(acwr, t.acwr_caution), 1, -1))
    levels = np.maximum(level, 0)
    out = []
    for a, b in episodes(level >= 0):
        part = acwr[a:b + 1]
        peak_at = int(np.argmax(part))
        latest = float(part[-1])
        ongoing = b == days.n - 1
        now = (f"is {latest:.2f} today" if ongoing
               else f"was {latest:.2f} on {day_words(days.date(b))}, when it last held")
        msg = (f"Your load ratio (the mean daily {analysis.load} of the last 7 days against your "
               f"28-day weighted average, both over whole weeks) {now}; it rose above "
               f"{t.acwr_caution:.1f} on {day_words(days.date(a))} and peaked at "
               f"{part[peak_at]:.2f} on {day_words(days.date(a + peak_at))}. The ratio and its "
               "bands come from team sports, are contested, and showed no link to injury in "
               "runners: a hint only.")
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
        weeks = b - a + 1
        what = ("the same load every day" if flat
                else f"very similar daily loads (monotony {peak:.1f}, above {t.monotony_high:.1f})")
        msg = (f"{'In the week' if weeks == 1 else f'For {weeks} weeks from the week'} of "
               f"{day_words(calendar.to_date(w.start[a]))} you had {what}. Monotony is the "
               "mean of the week's daily loads divided by how much they vary (Foster 1998); "
               "mixing hard, easy and rest days helps recovery.")
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
        msg = (f"You {'have run' if going else 'ran'} {longest} days in a row "
               f"(from {day_words(first_day)}"
               f"{'' if going else ' to ' + day_words(days.date(b))}). Running every day "
               "gives the tendons and bursae on the inside of the knee no day to recover.")
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
        msg = (f"You {'have not had a' if going else 'had no'} rest day for {longest} days "
               f"(up to {day_words(days.date(b))}). The overtraining consensus advises at "
               "least one full rest day a week.")
        out.append(make_flag("no_rest_day", "habit", "caution", days.date(a), days.date(b),
                             longest, t.no_rest_days, msg))
    return out
