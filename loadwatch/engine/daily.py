"""The daily series: one row per local calendar day, rest days as zero load.

Conventions
-----------
- Days run from the Monday of the first activity's ISO week to ``as_of``
  (the report date), in the athlete's local time (``local_date`` of the
  timeline); activities after ``as_of`` are ignored.
- Several sessions a day are summed; a day without activity is 0 (not missing):
  rest days count as zero load, as Foster's monotony and the ACWR models assume.
- A rest day has no activity of any sport. A cross-training session is any
  non-run activity. A run day has a run with distance > 0, or a run of unknown
  distance but known duration (a treadmill run without footpod still loads the
  legs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

LOADS = ("distance", "duration", "trimp")

DAILY_COLUMNS = ("activities", "runs", "run_day", "run_distance_m", "run_duration_s",
                 "elevation_gain_m", "cross_sessions", "cross_duration_s", "rest", "trimp", "load")


class LoadError(ValueError):
    """A load that cannot be computed with what is known (TRIMP without heart-rate settings)."""


@dataclass(frozen=True)
class AthleteParams:
    """What the load models need to know about the athlete.

    Attributes
    ----------
    max_hr, rest_hr : float or None
        Maximum and resting heart rate, for TRIMP. [bpm]
    sex : str or None
        ``female`` or ``male``: picks the Banister TRIMP constants (male if unknown).
    """

    max_hr: float | None = None
    rest_hr: float | None = None
    sex: str | None = None


def trimp(duration_s, avg_hr, params: AthleteParams):
    """Banister training impulse of sessions from their average heart rate.

    Parameters
    ----------
    duration_s : array-like
        Session duration. [s]
    avg_hr : array-like
        Session average heart rate. [bpm]
    params : AthleteParams
        Needs ``max_hr`` and ``rest_hr``.

    Returns
    -------
    numpy.ndarray
        TRIMP per session [AU]; NaN where duration or heart rate is unknown.

    Notes
    -----
    TRIMP = D * x * a * exp(b * x), D in minutes, x = (HR_avg - HR_rest) /
    (HR_max - HR_rest) clipped to [0, 1]; a = 0.64, b = 1.92 for men and
    a = 0.86, b = 1.67 for women [1]_ (implementations disagree on the female
    constants; these are Morton et al.'s).

    References
    ----------
    .. [1] R. H. Morton, J. R. Fitz-Clarke, E. W. Banister, "Modeling human
       performance in running," J. Appl. Physiol., vol. 69, no. 3,
       pp. 1171-1177, 1990.

    >>> round(float(trimp([3600], [150], AthleteParams(190, 50, "male"))[0]), 1)
    108.1
    """
    if params.max_hr is None or params.rest_hr is None:
        missing = [n for n in ("max_hr", "rest_hr") if getattr(params, n) is None]
        raise LoadError(f"TRIMP needs the athlete's {' and '.join(missing)} "
                         "([athlete] in loadwatch.toml)")
    a, b = (0.86, 1.67) if params.sex == "female" else (0.64, 1.92)
    x = (np.asarray(avg_hr, float) - params.rest_hr) / (params.max_hr - params.rest_hr)
    x = np.clip(x, 0.0, 1.0)
    return np.asarray(duration_s, float) / 60.0 * x * a * np.exp(b * x)


def daily_series(timeline: pd.DataFrame, as_of: date, load: str = "distance",
                 params: AthleteParams = AthleteParams()) -> pd.DataFrame:
    """One row per local day with the day's running, cross-training and load.

    Parameters
    ----------
    timeline : pandas.DataFrame
        Columns of ``loadwatch.timeline.COLUMNS``.
    as_of : datetime.date
        Last day of the series (the report date).
    load : {"distance", "duration", "trimp"}
        What ``load`` holds: running distance [m], running time [min], or
        Banister TRIMP of runs [AU].
    params : AthleteParams
        For ``load="trimp"``.

    Returns
    -------
    pandas.DataFrame
        Index: every day (``DatetimeIndex``, naive local midnight) from the Monday
        of the first activity's ISO week to ``as_of``; columns ``DAILY_COLUMNS``:
        activities, runs (count), run_day (bool), run_distance_m [m],
        run_duration_s [s], elevation_gain_m (runs) [m], cross_sessions (count),
        cross_duration_s [s], rest (bool), trimp (runs; NaN without heart-rate
        settings) [AU], load (as chosen; 0 on days without running).
    """
    if load not in LOADS:
        raise LoadError(f"load must be one of {', '.join(LOADS)}, not {load!r}")
    end = pd.Timestamp(as_of)
    tl = timeline[timeline["local_date"] <= end]
    if tl.empty:
        days = pd.date_range(end - pd.Timedelta(days=end.weekday()), end, freq="D")
    else:
        first = tl["local_date"].min()
        days = pd.date_range(first - pd.Timedelta(days=first.weekday()), end, freq="D")
    run = tl["is_run"].to_numpy(bool)
    dist = tl["distance_m"].fillna(0.0)
    dur = tl["duration_s"].fillna(tl["elapsed_s"]).fillna(0.0)
    has_hr = params.max_hr is not None and params.rest_hr is not None
    if load == "trimp" and not has_hr:
        trimp([], [], params)  # raises the clear error
    session_trimp = (pd.Series(trimp(dur, tl["avg_hr"], params), index=tl.index)
                     if has_hr else pd.Series(np.nan, index=tl.index))
    per = pd.DataFrame({
        "day": tl["local_date"],
        "activities": 1,
        "runs": run.astype(int),
        "run_day": run & ((dist > 0) | (dur > 0)).to_numpy(),
        "run_distance_m": np.where(run, dist, 0.0),
        "run_duration_s": np.where(run, dur, 0.0),
        "elevation_gain_m": np.where(run, tl["elevation_gain_m"].fillna(0.0), 0.0),
        "cross_sessions": (~run).astype(int),
        "cross_duration_s": np.where(~run, dur, 0.0),
        "trimp": np.where(run, session_trimp, np.nan),
    })
    agg = per.groupby("day").agg({
        "activities": "sum", "runs": "sum", "run_day": "any", "run_distance_m": "sum",
        "run_duration_s": "sum", "elevation_gain_m": "sum", "cross_sessions": "sum",
        "cross_duration_s": "sum", "trimp": lambda s: s.sum(min_count=1)})
    daily = agg.reindex(days)
    counts = ["activities", "runs", "cross_sessions"]
    daily[counts] = daily[counts].fillna(0).astype(int)
    daily["run_day"] = daily["run_day"].astype("boolean").fillna(False).astype(bool)
    for col in ("run_distance_m", "run_duration_s", "elevation_gain_m", "cross_duration_s"):
        daily[col] = daily[col].astype(float).fillna(0.0)
    daily["trimp"] = daily["trimp"].astype(float)
    if has_hr:
        daily["trimp"] = daily["trimp"].fillna(0.0)
    daily["rest"] = daily["activities"].eq(0)
    daily["load"] = {"distance": daily["run_distance_m"],
                     "duration": daily["run_duration_s"] / 60.0,
                     "trimp": daily["trimp"].fillna(0.0)}[load]
    daily.index.name = "date"
    return daily[list(DAILY_COLUMNS)]
