"""The load engine: daily and weekly series, ratios, spikes, streaks and intensity.

:func:`analyse` runs everything for one athlete up to a report date; the pieces
(:mod:`.daily`, :mod:`.weekly`, :mod:`.ratios`, :mod:`.monotony`, :mod:`.spikes`,
:mod:`.streaks`, :mod:`.intensity`) are usable alone. All are pure functions of
the timeline, computed over whole frames: the daily and weekly frames are built
once per athlete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from loadwatch.engine.daily import DAILY_COLUMNS, AthleteParams, LoadError, daily_series
from loadwatch.engine.intensity import HeartRate, classify, heart_rate
from loadwatch.engine.ratios import ewma_acwr
from loadwatch.engine.spikes import spike_table
from loadwatch.engine.streaks import days_since, run_streak
from loadwatch.engine.weekly import weekly_table

__all__ = ["AthleteParams", "LoadAnalysis", "LoadError", "analyse"]


@dataclass
class LoadAnalysis:
    """Everything the flag rules, the verdict and the report read.

    Attributes
    ----------
    daily : pandas.DataFrame
        :func:`~loadwatch.engine.daily.daily_series` plus ``streak`` (run streak
        ending that day), ``days_since_rest`` and ``days_since_cross`` [days] and
        ``acwr`` (:func:`~loadwatch.engine.ratios.ewma_acwr` of the load).
    weekly : pandas.DataFrame
        :func:`~loadwatch.engine.weekly.weekly_table`.
    spikes : pandas.DataFrame
        :func:`~loadwatch.engine.spikes.spike_table`.
    heart_rate : HeartRate
        What the intensity classification used (:mod:`.intensity`).
    streak_current, streak_longest : int
        Run streak ending on the report date, and the longest in the series. [days]
    days_since_rest, days_since_cross_training : int or None
        Days since the last rest day / cross-training session (None: none yet). [days]
    first_day, last_activity : datetime.date or None
        Local days of the first and the last activity up to the report date.
    load : str
        The load the ratios use.
    as_of : datetime.date
    """

    daily: pd.DataFrame
    weekly: pd.DataFrame
    spikes: pd.DataFrame
    heart_rate: HeartRate
    streak_current: int
    streak_longest: int
    days_since_rest: int | None
    days_since_cross_training: int | None
    first_day: date | None
    last_activity: date | None
    load: str
    as_of: date

    @property
    def days_of_data(self) -> int:
        """Days from the first activity to the report date, both counted. [days]"""
        return 0 if self.first_day is None else (self.as_of - self.first_day).days + 1


def analyse(timeline: pd.DataFrame, as_of: date, *, load: str = "distance",
            athlete: AthleteParams | None = None, ddof: int = 0) -> LoadAnalysis:
    """Run the engine on one athlete's timeline up to ``as_of`` (later activities ignored).

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``, deduplicated, quarantined activities left out.
    as_of : datetime.date
        The report date.
    load : {"distance", "duration", "trimp"}
        The daily load of the ratios and monotony.
    athlete : AthleteParams, optional
        Heart-rate settings (TRIMP and intensity).
    ddof : int, default 0
        SD convention of monotony.
    """
    params = athlete or AthleteParams()
    past = timeline[timeline["local_date"] <= pd.Timestamp(as_of)]
    runs = past[past["is_run"]]
    hr = heart_rate(runs, params.max_hr, params.rest_hr)
    daily = daily_series(past, as_of, load, params, hard=classify(runs, hr))
    streak = run_streak(daily["run_day"])
    since_rest = days_since(daily["rest"])
    since_cross = days_since(daily["cross_sessions"] > 0)
    daily = daily.assign(streak=streak, days_since_rest=since_rest, days_since_cross=since_cross,
                         acwr=ewma_acwr(daily["load"]))
    last = daily.iloc[-1]
    return LoadAnalysis(
        daily=daily,
        weekly=weekly_table(daily[list(DAILY_COLUMNS)], ddof),
        spikes=spike_table(past, as_of),
        heart_rate=hr,
        streak_current=int(last["streak"]),
        streak_longest=int(streak.max()) if len(streak) else 0,
        days_since_rest=None if pd.isna(last["days_since_rest"]) else int(last["days_since_rest"]),
        days_since_cross_training=(None if pd.isna(last["days_since_cross"])
                                   else int(last["days_since_cross"])),
        first_day=past["local_date"].min().date() if len(past) else None,
        last_activity=past["local_date"].max().date() if len(past) else None,
        load=load,
        as_of=as_of,
    )
