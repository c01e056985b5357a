"""The daily series: one row per local calendar day, rest days as zero load.

Conventions
-----------
- Days run from the first activity's day to ``as_of`` (the report date), in the
  athlete's local time (``local_date`` of the timeline); activities after
  ``as_of`` are ignored. Days before the first activity are unknown, not rest:
  counting them as zero load would seed the ratios with a fictitious break.
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
                 "longest_run_m", "longest_run_s", "elevation_gain_m", "hard_runs",
                 "classified_runs", "cross_sessions", "strength_sessions", "cross_duration_s",
                 "rest", "trimp", "load")


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
                 params: AthleteParams = AthleteParams(), hard: pd.Series | None = None
                 ) -> pd.DataFrame:
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
    hard : pandas.Series, optional
        Per timeline row, whether a run was hard (``boolean``, NA unknown;
        :func:`loadwatch.engine.intensity.classify`).

    Returns
    -------
    pandas.DataFrame
        Index: every day (``DatetimeIndex``, naive local midnight) from the first
        activity's day to ``as_of`` (only ``as_of`` when there is none); columns
        ``DAILY_COLUMNS``: activities, runs (count), run_day (bool),
        run_distance_m [m], run_duration_s [s], longest_run_m and longest_run_s
        (the day's longest run by distance and by time; 0 without) [m, s],
        elevation_gain_m (runs) [m], hard_runs and classified_runs (runs judged
        hard, runs judged at all), cross_sessions (count of non-run activities),
        strength_sessions (count), cross_duration_s [s], rest (bool), trimp (runs;
        NaN without heart-rate settings) [AU], load (as chosen; 0 on days without
        running).

    Examples
    --------
    >>> from loadwatch.importers.base import Activity
    >>> from loadwatch import timeline
    >>> from datetime import datetime, UTC
    >>> acts = [Activity("gpx", "a.gpx", datetime(2026, 11, 4, 7, tzinfo=UTC), "running",
    ...                  distance_m=8000.0, duration_s=2400.0),
    ...         Activity("gpx", "b.gpx", datetime(2026, 11, 6, 7, tzinfo=UTC), "cycling",
    ...                  duration_s=3600.0)]
    >>> d = daily_series(timeline.build(acts, "x", timeline.resolve_tz("UTC")), date(2026, 11, 7))
    >>> d.index[0].date(), d["run_distance_m"].tolist(), d["rest"].tolist()
    (datetime.date(2026, 11, 4), [8000.0, 0.0, 0.0, 0.0], [False, True, False, True])
    """
    if load not in LOADS:
        raise LoadError(f"load must be one of {', '.join(LOADS)}, not {load!r}")
    end = pd.Timestamp(as_of)
    tl = timeline[timeline["local_date"] <= end]
    first = tl["local_date"].min() if len(tl) else end
    days = pd.date_range(min(first, end), end, freq="D")
    run = tl["is_run"].to_numpy(bool)
    dist = tl["distance_m"].fillna(0.0)
    dur = tl["duration_s"].fillna(tl["elapsed_s"]).fillna(0.0)
    has_hr = params.max_hr is not None and params.rest_hr is not None
    if load == "trimp" and not has_hr:
        trimp([], [], params)  # raises the clear error
    session_trimp = (pd.Series(trimp(dur, tl["avg_hr"], params), index=tl.index)
                     if has_hr else pd.Series(np.nan, index=tl.index))
    judged = (pd.Series(pd.NA, index=tl.index, dtype="boolean") if hard is None
              else hard.reindex(tl.index).astype("boolean"))
    per = pd.DataFrame({
        "day": tl["local_date"],
        "activities": 1,
        "runs": run.astype(int),
        "run_day": run & ((dist > 0) | (dur > 0)).to_numpy(),
        "run_distance_m": np.where(run, dist, 0.0),
        "run_duration_s": np.where(run, dur, 0.0),
        "longest_run_m": np.where(run, dist, 0.0),
        "longest_run_s": np.where(run, dur, 0.0),
        "elevation_gain_m": np.where(run, tl["elevation_gain_m"].fillna(0.0), 0.0),
        "hard_runs": (judged.fillna(False).to_numpy(bool) & run).astype(int),
        "classified_runs": (judged.notna().to_numpy(bool) & run).astype(int),
        "cross_sessions": (~run).astype(int),
        "strength_sessions": tl["sport"].eq("strength").to_numpy(bool).astype(int),
        "cross_duration_s": np.where(~run, dur, 0.0),
        "trimp": np.where(run, session_trimp, np.nan),
    })
    g = per.groupby("day")
    agg = g.sum(numeric_only=True)
    agg[["longest_run_m", "longest_run_s"]] = g[["longest_run_m", "longest_run_s"]].max()
    agg["run_day"] = g["run_day"].any()
    agg["trimp"] = g["trimp"].sum(min_count=1)
    daily = agg.reindex(days)
    counts = ["activities", "runs", "hard_runs", "classified_runs", "cross_sessions",
              "strength_sessions"]
    daily[counts] = daily[counts].fillna(0).astype(int)
    daily["run_day"] = daily["run_day"].astype("boolean").fillna(False).astype(bool)
    for col in ("run_distance_m", "run_duration_s", "longest_run_m", "longest_run_s",
                "elevation_gain_m", "cross_duration_s"):
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
