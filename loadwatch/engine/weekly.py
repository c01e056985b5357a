"""The weekly table: one row per ISO week (Monday to Sunday, local time).

The first week starts on the Monday before the first activity but counts only
the days from that activity on; the last week ends on the report date. A week is
``complete`` when all 7 of its days are in the data.

Week-over-week changes never compare a part of a week with a whole one:

- a complete week is compared with the whole week before, when that one is
  complete too (the first, partial week has no change and neither does the
  week after it);
- the week in progress is compared "so far" with the same weekdays of the week
  before (Monday to Wednesday against Monday to Wednesday).

The change is (W_t - W_{t-1}) / W_{t-1} x 100 [%], NaN when the base is 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loadwatch.engine.monotony import monotony, strain
from loadwatch.engine.ratios import ewma_acwr, rolling_acwr
from loadwatch.engine.streaks import run_streak

WEEKLY_COLUMNS = ("week", "start", "end", "days", "complete", "runs", "run_days",
                  "run_distance_m", "longest_run_m", "longest_run_s", "run_duration_s",
                  "elevation_gain_m", "base_distance_m", "change_pct", "base_duration_s",
                  "duration_change_pct", "base_elevation_m", "elevation_change_pct", "rest_days",
                  "cross_training_sessions", "strength_sessions", "cross_training_duration_s",
                  "max_run_streak", "monotony", "strain", "acwr", "acwr_coupled",
                  "acwr_uncoupled", "trimp", "hard_runs", "classified_runs")

_CHANGES = (("run_distance_m", "base_distance_m", "change_pct"),
            ("run_duration_s", "base_duration_s", "duration_change_pct"),
            ("elevation_gain_m", "base_elevation_m", "elevation_change_pct"))


def change_pct(series: pd.Series, base: pd.Series) -> pd.Series:
    """Change in percent, (W - B) / B * 100; NaN where the base is 0 or unknown.

    >>> change_pct(pd.Series([40.0, 53.0, 0.0, 10.0]), pd.Series([np.nan, 40.0, 53.0, 0.0])
    ...            ).round(1).tolist()
    [nan, 32.5, -100.0, nan]
    """
    return ((series - base) / base * 100.0).where(base > 0)


def weekly_table(daily: pd.DataFrame, ddof: int = 0) -> pd.DataFrame:
    """Per-week metrics from :func:`loadwatch.engine.daily.daily_series`.

    Parameters
    ----------
    daily : pandas.DataFrame
        The daily series (consecutive days).
    ddof : int, default 0
        SD convention of :func:`~loadwatch.engine.monotony.monotony`.

    Returns
    -------
    pandas.DataFrame
        One row per ISO week, columns ``WEEKLY_COLUMNS``: ``week`` ("2026-W41"),
        ``start`` (Monday) and ``end`` (Sunday, or the last day of the series),
        ``days`` in the data and ``complete`` (all 7); counts and sums [m, s];
        ``longest_run_m``/``longest_run_s`` [m, s]; for distance, running time
        and climbing the ``base_*`` compared with (module docstring: the whole
        week before, or its same weekdays for the week in progress) and the
        change [%]; ``rest_days``; ``max_run_streak`` (longest run streak reaching
        into the week, days before it counted) [days]; Foster ``monotony`` and
        ``strain`` (complete weeks); on the week's last day the ``acwr``
        (:func:`~loadwatch.engine.ratios.ewma_acwr`) and the rolling
        ``acwr_coupled``/``acwr_uncoupled``; ``trimp`` [AU]; ``hard_runs`` and
        ``classified_runs``.

    Examples
    --------
    Runs of 10 km on Tuesdays and Thursdays from Tue 3 Nov 2026, then 30 km on
    Mon-Tue 16-17 Nov (the week in progress on Tuesday): the first week is
    partial, the second is compared with nothing, the third so far with the
    first two days of the second.

    >>> days = pd.date_range("2026-11-03", "2026-11-17", freq="D")
    >>> km = pd.Series(0.0, index=days)
    >>> km[days.day_of_week.isin([1, 3])] = 10_000.0
    >>> km["2026-11-16"], km["2026-11-17"] = 10_000.0, 20_000.0
    >>> daily = pd.DataFrame({c: 0 for c in ("activities", "runs", "hard_runs",
    ...     "classified_runs", "cross_sessions", "strength_sessions")}, index=days)
    >>> daily = daily.assign(run_distance_m=km, run_day=km > 0, run_duration_s=km / 3,
    ...     longest_run_m=km, longest_run_s=km / 3, elevation_gain_m=0.0,
    ...     cross_duration_s=0.0, rest=km == 0, trimp=np.nan, load=km)
    >>> w = weekly_table(daily)
    >>> w[["days", "complete", "base_distance_m", "change_pct"]].values.tolist()
    [[6, False, nan, nan], [7, True, nan, nan], [2, False, 10000.0, 200.0]]
    """
    idx = daily.index
    monday = idx - pd.to_timedelta(idx.day_of_week, unit="D")
    d = daily.assign(streak=run_streak(daily["run_day"]).to_numpy(),
                     acwr=ewma_acwr(daily["load"]).to_numpy(),
                     acwr_coupled=rolling_acwr(daily["load"]).to_numpy(),
                     acwr_uncoupled=rolling_acwr(daily["load"], coupled=False).to_numpy(),
                     _day=idx)
    g = d.groupby(monday)
    sums = g[["runs", "run_distance_m", "run_duration_s", "elevation_gain_m",
              "cross_sessions", "strength_sessions", "cross_duration_s", "hard_runs",
              "classified_runs"]].sum()
    w = pd.DataFrame({
        "end": g["_day"].max(),
        "days": g.size(),
        "runs": sums["runs"],
        "run_days": g["run_day"].sum().astype(int),
        "run_distance_m": sums["run_distance_m"],
        "longest_run_m": g["longest_run_m"].max(),
        "longest_run_s": g["longest_run_s"].max(),
        "run_duration_s": sums["run_duration_s"],
        "elevation_gain_m": sums["elevation_gain_m"],
        "rest_days": g["rest"].sum().astype(int),
        "cross_training_sessions": sums["cross_sessions"],
        "strength_sessions": sums["strength_sessions"],
        "cross_training_duration_s": sums["cross_duration_s"],
        "max_run_streak": g["streak"].max().astype(int),
        "monotony": monotony(daily["load"], ddof),
        "strain": strain(daily["load"], ddof),
        "acwr": g["acwr"].last(),
        "acwr_coupled": g["acwr_coupled"].last(),
        "acwr_uncoupled": g["acwr_uncoupled"].last(),
        "trimp": g["trimp"].sum(min_count=1),
        "hard_runs": sums["hard_runs"],
        "classified_runs": sums["classified_runs"],
    })
    w["start"] = w.index  # a week always starts on its Monday, even the first
    w["complete"] = w["days"].eq(7)
    iso = w.index.isocalendar()
    w["week"] = [f"{y}-W{n:02d}" for y, n in zip(iso["year"], iso["week"], strict=True)]

    # The base of a complete week is the whole week before, if that one is complete too.
    prev_complete = w["complete"].shift(1, fill_value=False).astype(bool)
    # The week in progress (the last row, when partial) compares the same weekdays.
    cutoff = int(idx[-1].day_of_week) if len(idx) else 6
    same_days = d[idx.day_of_week <= cutoff].groupby(monday[idx.day_of_week <= cutoff])
    in_progress = pd.Series(False, index=w.index)
    if len(w) and not w["complete"].iloc[-1] and len(w) > 1:
        in_progress.iloc[-1] = True
    for col, base_col, pct_col in _CHANGES:
        full_base = w[col].shift(1).where(prev_complete & w["complete"])
        partial_base = same_days[col].sum().reindex(w.index).shift(1).where(
            prev_complete & in_progress)
        w[base_col] = full_base.fillna(partial_base)
        w[pct_col] = change_pct(w[col], w[base_col])
    w = w.reset_index(drop=True)
    return w[list(WEEKLY_COLUMNS)].replace([np.inf, -np.inf], np.nan)
