"""The load engine: daily and weekly series, ratios, spikes, streaks and intensity.

:func:`analyse` runs everything for one athlete up to a report date; the pieces
(:mod:`.daily`, :mod:`.weekly`, :mod:`.ratios`, :mod:`.monotony`, :mod:`.spikes`,
:mod:`.streaks`, :mod:`.intensity`) are usable alone. All are pure functions of
the timeline, computed over whole frames: the daily and weekly frames are built
once per athlete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from loadwatch.engine import calendar
from loadwatch.engine.calendar import run_lengths
from loadwatch.engine.daily import (
    DAILY_COLUMNS,
    AthleteParams,
    LoadError,
    _columns,
    daily_arrays,
)
from loadwatch.engine.edges import BAND_TOLERANCE_PCT, SESSION_GAP_MIN
from loadwatch.engine.intensity import HeartRate, classify_values, heart_rate
from loadwatch.engine.ratios import ewma_acwr_values, rolling_acwr_values, rolling_sums
from loadwatch.engine.shoes import NO_SHOES, ShoeUse, shoe_use
from loadwatch.engine.spikes import adapted_values, spike_arrays, spike_frame
from loadwatch.engine.streaks import days_since_values
from loadwatch.engine.weekly import WEEKLY_COLUMNS, weekly_frame, weekly_frame_of

__all__ = ["AthleteParams", "LoadAnalysis", "LoadError", "analyse", "timeline_columns"]


@dataclass(frozen=True)
class LoadAnalysis:
    """Everything the flag rules, the verdict and the report read.

    Attributes
    ----------
    daily : pandas.DataFrame
        :func:`~loadwatch.engine.daily.daily_series` plus ``streak`` (run streak
        ending that day), ``days_since_rest`` and ``days_since_cross`` [days] and
        ``acwr`` (:func:`~loadwatch.engine.ratios.ewma_acwr` of the load); built from
        :attr:`days_arrays` when first read (the rules and the verdict read the arrays,
        :attr:`days_start` and :attr:`n_days`).
    weekly : pandas.DataFrame
        :func:`~loadwatch.engine.weekly.weekly_table`, built from :attr:`weeks_arrays`
        when first read (the rules, the verdict and the report read the arrays).
    spikes : pandas.DataFrame
        :func:`~loadwatch.engine.spikes.spike_table`, built from :attr:`spike_columns` when
        first read (the rules and the verdict read the arrays).
    heart_rate : HeartRate
        What the intensity classification used (:mod:`.intensity`).
    streak_current, streak_longest : int
        Run streak ending on the report date, and the longest in the series. [days]
    days_since_rest, days_since_cross_training : int or None
        Days since the last rest day / low-impact cross-training session (walks, hikes
        and strength do not count: :mod:`loadwatch.engine.daily`) (None: none yet). [days]
    first_day, last_activity : datetime.date or None
        Local days of the first and the last activity up to the report date.
    load : str
        The load the ratios use.
    as_of : datetime.date
    band_tolerance_pct : float
        Slack at the spike band edges (:mod:`.edges`). [%]
    days_arrays, weeks_arrays : Mapping of str to numpy.ndarray
        The columns of :attr:`daily` and :attr:`weekly` as numpy arrays, in their order: the
        arrays the frames are built from, handed over so that no reader converts a frame.
    days_start : int
        Day number (:func:`~loadwatch.engine.calendar.to_number`) of the first row of
        :attr:`daily` (the report date's when there is no activity).
    spike_columns : Mapping of str to numpy.ndarray
        The columns of :attr:`spikes` as numpy arrays, as ``spikes[c].to_numpy()`` gives
        them, and ``day`` and ``by_distance`` (:func:`~loadwatch.engine.spikes.spike_arrays`);
        empty when there is no run.
    adapted_since : pandas.Series
        :func:`~loadwatch.engine.spikes.adapted` of the spike table.
    shoes : ShoeUse
        Runs and distance per pair of shoes (:mod:`.shoes`).
    """

    heart_rate: HeartRate
    streak_current: int
    streak_longest: int
    days_since_rest: int | None
    days_since_cross_training: int | None
    first_day: date | None
    last_activity: date | None
    load: str
    as_of: date
    band_tolerance_pct: float
    days_arrays: Mapping[str, np.ndarray]
    weeks_arrays: Mapping[str, np.ndarray]
    days_start: int
    spike_columns: Mapping[str, np.ndarray]
    adapted_since: pd.Series
    shoes: ShoeUse = NO_SHOES

    @cached_property
    def weekly(self) -> pd.DataFrame:
        """:func:`~loadwatch.engine.weekly.weekly_table` (see the class)."""
        return weekly_frame_of(self.weeks_arrays)

    @cached_property
    def daily(self) -> pd.DataFrame:
        """The daily frame (see the class)."""
        return pd.DataFrame(dict(self.days_arrays),
                            index=calendar.to_index(self.days_start, self.n_days))

    @property
    def n_days(self) -> int:
        """Rows of :attr:`daily`: days from its first to the report date."""
        return len(self.days_arrays["load"])

    @cached_property
    def spikes(self) -> pd.DataFrame:
        """:func:`~loadwatch.engine.spikes.spike_table` (see the class)."""
        return spike_frame(self.spike_columns)

    @property
    def days_of_data(self) -> int:
        """Days from the first activity to the report date, both counted. [days]"""
        return 0 if self.first_day is None else (self.as_of - self.first_day).days + 1


def timeline_columns(timeline: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of ``timeline`` that :func:`analyse` (and
    :func:`loadwatch.plausibility.check`) read, as arrays: read once, handed to both
    (each column of a frame costs ~10 us to read, its words more)."""
    return _columns(timeline)


def analyse(timeline: pd.DataFrame, as_of: date, *, load: str = "distance",
            athlete: AthleteParams | None = None, ddof: int = 0,
            session_gap_min: float = SESSION_GAP_MIN,
            band_tolerance_pct: float = BAND_TOLERANCE_PCT,
            columns: dict[str, np.ndarray] | None = None) -> LoadAnalysis:
    """Run the engine on one athlete's timeline up to ``as_of`` (later activities ignored).

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``, deduplicated, quarantined activities left out.
    as_of : datetime.date
        The report date.
    load : {"distance", "duration", "trimp", "srpe"}
        The daily load of the ratios and monotony (``srpe``: Foster's session RPE of the
        rated sessions, :func:`~loadwatch.engine.daily.session_loads`; monotony and
        strain of a week with an unrated session are then NaN).
    athlete : AthleteParams, optional
        Heart-rate settings (TRIMP and intensity).
    ddof : int, default 0
        SD convention of monotony.
    session_gap_min, band_tolerance_pct : float
        Same-day runs this close [min] are one session; slack at band edges [%]
        (:mod:`.edges`).
    columns : dict of str to numpy.ndarray, optional
        :func:`timeline_columns` of ``timeline``, when the caller has read them.
    """
    params = athlete or AthleteParams()
    end = calendar.to_number(as_of)
    if columns is None:
        keep = timeline["local_date"].to_numpy("datetime64[ns]") <= np.datetime64(as_of, "ns")
        past = timeline if keep.all() else timeline[keep]
        columns = _columns(past)
    else:
        keep = columns["day"] <= end
        past = timeline if keep.all() else timeline[keep]
        columns = columns if past is timeline else {k: v[keep] for k, v in columns.items()}
    is_run = columns["is_run"]
    runs = {k: v[is_run] for k, v in columns.items()}
    hr = heart_rate(runs, params.max_hr, params.rest_hr)
    judged = np.full(len(past), -1)
    judged[is_run] = classify_values(runs, hr)
    cols = daily_arrays(columns, end, load, params, judged, session_gap_min)
    n = end - cols["first"] + 1
    daily_load = cols["load"].astype(float)
    sums = rolling_sums(daily_load)
    streak = run_lengths(cols["run_day"])
    extra = {"streak": streak,
             "days_since_rest": days_since_values(cols["rest"]),
             "days_since_cross": days_since_values(cols["cross_sessions"] > 0),
             "acwr": ewma_acwr_values(daily_load)}
    week_arrays: dict = {}
    # The frame only when read (LoadAnalysis.weekly): the readers take the arrays.
    weekly_frame(cols | extra | {
        "acwr_coupled": rolling_acwr_values(daily_load, sums=sums),
        "acwr_uncoupled": rolling_acwr_values(daily_load, coupled=False, sums=sums)},
        cols["first"], n, ddof, arrays=week_arrays, frame=False)
    since_rest, since_cross = extra["days_since_rest"][-1], extra["days_since_cross"][-1]
    days = cols["first"] if len(past) else None
    found = spike_arrays(past, as_of, session_gap_min=session_gap_min,
                         tolerance_pct=band_tolerance_pct, columns=columns)
    return LoadAnalysis(
        heart_rate=hr,
        streak_current=int(streak[-1]),
        streak_longest=int(streak.max()) if len(streak) else 0,
        days_since_rest=None if np.isnan(since_rest) else int(since_rest),
        days_since_cross_training=None if np.isnan(since_cross) else int(since_cross),
        first_day=None if days is None else calendar.to_date(days),
        last_activity=calendar.to_date(int(columns["day"].max())) if len(past) else None,
        load=load,
        as_of=as_of,
        band_tolerance_pct=band_tolerance_pct,
        # The frames are built from these arrays, when read: the readers take the arrays.
        days_arrays={c: (cols | extra)[c] for c in (*DAILY_COLUMNS, *extra)},
        days_start=cols["first"],
        weeks_arrays=week_arrays or {c: np.array([], dtype=float) for c in WEEKLY_COLUMNS},
        # The frame only when read (LoadAnalysis.spikes): the readers take the arrays.
        spike_columns=found,
        adapted_since=pd.Series(adapted_values(found, tolerance_pct=band_tolerance_pct),
                                copy=False),
        shoes=shoe_use(past, as_of, cols["first"] if len(past) else None, columns=columns),
    )
