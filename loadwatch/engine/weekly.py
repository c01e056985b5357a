"""The weekly table: one row per ISO week (Monday to Sunday, local time).

The current week is partial: it ends on the report date, and its ratios are those
of that day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loadwatch.engine.monotony import monotony, strain
from loadwatch.engine.ratios import ewma_acwr, rolling_acwr
from loadwatch.engine.streaks import run_streak

WEEKLY_COLUMNS = ("week", "start", "end", "runs", "run_days", "run_distance_m", "run_duration_s",
                  "elevation_gain_m", "change_pct", "rest_days", "cross_training_sessions",
                  "cross_training_duration_s", "max_run_streak", "monotony", "strain", "acwr",
                  "acwr_coupled", "acwr_uncoupled", "duration_change_pct", "elevation_change_pct",
                  "trimp", "trimp_change_pct")


def change_pct(series: pd.Series) -> pd.Series:
    """Week-over-week change in percent: (W_t - W_{t-1}) / W_{t-1} * 100; NaN when W_{t-1} is 0.

    >>> change_pct(pd.Series([40.0, 53.0, 0.0, 10.0])).round(1).tolist()
    [nan, 32.5, -100.0, nan]
    """
    prev = series.shift(1)
    return ((series - prev) / prev * 100.0).where(prev > 0)


def weekly_table(daily: pd.DataFrame, ddof: int = 0) -> pd.DataFrame:
    """Per-week metrics from :func:`loadwatch.engine.daily.daily_series`.

    Returns
    -------
    pandas.DataFrame
        One row per ISO week, columns ``WEEKLY_COLUMNS``: ``week`` ("2026-W41"),
        ``start`` (Monday) and ``end`` (Sunday, or the last day of the series),
        counts, sums [m, s], ``change_pct`` of run distance [%], ``rest_days``,
        ``max_run_streak`` (longest run streak reaching into the week, days
        before it counted) [days], Foster ``monotony`` and ``strain`` of the
        daily load, and on the week's last day the EWMA ``acwr`` and the rolling
        ``acwr_coupled``/``acwr_uncoupled`` of the load; ``duration_change_pct``,
        ``elevation_change_pct``, ``trimp`` [AU] and ``trimp_change_pct``.
    """
    idx = daily.index
    monday = idx - pd.to_timedelta(idx.day_of_week, unit="D")
    d = daily.assign(streak=run_streak(daily["run_day"]).to_numpy(),
                     acwr=ewma_acwr(daily["load"]).to_numpy(),
                     acwr_coupled=rolling_acwr(daily["load"]).to_numpy(),
                     acwr_uncoupled=rolling_acwr(daily["load"], coupled=False).to_numpy(),
                     _day=idx)
    g = d.groupby(monday)
    w = pd.DataFrame({
        "start": g["_day"].min(),
        "end": g["_day"].max(),
        "runs": g["runs"].sum(),
        "run_days": g["run_day"].sum().astype(int),
        "run_distance_m": g["run_distance_m"].sum(),
        "run_duration_s": g["run_duration_s"].sum(),
        "elevation_gain_m": g["elevation_gain_m"].sum(),
        "rest_days": g["rest"].sum().astype(int),
        "cross_training_sessions": g["cross_sessions"].sum(),
        "cross_training_duration_s": g["cross_duration_s"].sum(),
        "max_run_streak": g["streak"].max().astype(int),
        "monotony": monotony(daily["load"], ddof),
        "strain": strain(daily["load"], ddof),
        "acwr": g["acwr"].last(),
        "acwr_coupled": g["acwr_coupled"].last(),
        "acwr_uncoupled": g["acwr_uncoupled"].last(),
        "trimp": g["trimp"].sum(min_count=1),
    })
    w["start"] = w.index  # a week always starts on its Monday, even the first
    iso = w.index.isocalendar()
    w["week"] = [f"{y}-W{n:02d}" for y, n in zip(iso["year"], iso["week"], strict=True)]
    w["change_pct"] = change_pct(w["run_distance_m"])
    w["duration_change_pct"] = change_pct(w["run_duration_s"])
    w["elevation_change_pct"] = change_pct(w["elevation_gain_m"])
    w["trimp_change_pct"] = change_pct(w["trimp"])
    w = w.reset_index(drop=True)
    return w[list(WEEKLY_COLUMNS)].replace([np.inf, -np.inf], np.nan)
