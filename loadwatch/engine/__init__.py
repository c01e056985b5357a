"""The load engine: daily and weekly series, ratios, spikes and streaks from the timeline.

:func:`analyse` runs everything for one athlete up to a report date; the pieces
(:mod:`.daily`, :mod:`.weekly`, :mod:`.ratios`, :mod:`.monotony`, :mod:`.spikes`,
:mod:`.streaks`) are usable alone. All are pure functions of the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from loadwatch.engine.daily import DAILY_COLUMNS, AthleteParams, LoadError, daily_series
from loadwatch.engine.ratios import ewma_acwr
from loadwatch.engine.spikes import spike_table
from loadwatch.engine.streaks import days_since, run_streak
from loadwatch.engine.weekly import weekly_table

__all__ = ["AthleteParams", "LoadAnalysis", "LoadError", "analyse"]


@dataclass
class LoadAnalysis:
    """Everything the flag rules and the report read.

    Attributes
    ----------
    daily : pandas.DataFrame
        :func:`~loadwatch.engine.daily.daily_series` plus ``streak`` (run streak
        ending that day), ``days_since_rest`` and ``days_since_cross`` [days] and
        ``acwr`` (EWMA acute:chronic ratio of the load).
    weekly : pandas.DataFrame
        :func:`~loadwatch.engine.weekly.weekly_table`.
    spikes : pandas.DataFrame
        :func:`~loadwatch.engine.spikes.spike_table`.
    streak_current, streak_longest : int
        Run streak ending on the report date, and the longest in the series. [days]
    days_since_rest, days_since_cross_training : int or None
        Days since the last rest day / cross-training session (None: none yet). [days]
    load : str
        The load the ratios use.
    as_of : datetime.date
    """

    daily: pd.DataFrame
    weekly: pd.DataFrame
    spikes: pd.DataFrame
    streak_current: int
    streak_longest: int
    days_since_rest: int | None
    days_since_cross_training: int | None
    load: str
    as_of: date


def analyse(timeline: pd.DataFrame, as_of: date, *, load: str = "distance",
            athlete: AthleteParams | None = None, ddof: int = 0) -> LoadAnalysis:
    """Run the engine on one athlete's timeline up to ``as_of`` (later activities ignored)."""
    daily = daily_series(timeline, as_of, load, athlete or AthleteParams())
    streak = run_streak(daily["run_day"])
    since_rest = days_since(daily["rest"])
    since_cross = days_since(daily["cross_sessions"] > 0)
    daily = daily.assign(streak=streak, days_since_rest=since_rest, days_since_cross=since_cross,
                         acwr=ewma_acwr(daily["load"]))
    last = daily.iloc[-1]
    return LoadAnalysis(
        daily=daily,
        weekly=weekly_table(daily[list(DAILY_COLUMNS)], ddof),
        spikes=spike_table(timeline, as_of),
        streak_current=int(last["streak"]),
        streak_longest=int(streak.max()) if len(streak) else 0,
        days_since_rest=None if pd.isna(last["days_since_rest"]) else int(last["days_since_rest"]),
        days_since_cross_training=(None if pd.isna(last["days_since_cross"])
                                   else int(last["days_since_cross"])),
        load=load,
        as_of=as_of,
    )
