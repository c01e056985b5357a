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

from loadwatch.engine import calendar
from loadwatch.engine.calendar import run_lengths
from loadwatch.engine.monotony import monotony_grid
from loadwatch.engine.ratios import ewma_acwr_values, rolling_acwr_values, rolling_sums

WEEKLY_COLUMNS = ("week", "start", "end", "days", "complete", "runs", "run_days",
                  "run_distance_m", "longest_run_m", "longest_run_s", "run_duration_s",
                  "elevation_gain_m", "base_distance_m", "change_pct", "base_duration_s",
                  "duration_change_pct", "base_elevation_m", "elevation_change_pct", "rest_days",
                  "cross_training_sessions", "strength_sessions", "cross_training_duration_s",
                  "walk_sessions", "walk_duration_s", "time_on_feet_s", "longest_walk_s",
                  "max_run_streak", "monotony", "strain", "acwr", "acwr_coupled",
                  "acwr_uncoupled", "trimp", "hard_runs", "classified_runs", "session_load",
                  "sessions_rated", "rpe_missing")

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
        change [%]; ``rest_days``; ``cross_training_sessions`` and
        ``cross_training_duration_s`` (low-impact: ride, swim, row, cross-country
        ski, elliptical) [s]; ``strength_sessions``; ``walk_sessions`` and
        ``walk_duration_s`` (walks and hikes, weight-bearing) [s];
        ``time_on_feet_s``, the week's running time plus its walking and hiking
        time (moving time, elapsed where unknown) [s]; ``longest_walk_s``, the
        longest single walk or hike [s]; ``max_run_streak`` (longest run streak reaching
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
    ...     "classified_runs", "cross_sessions", "strength_sessions", "walk_sessions")},
    ...     index=days)
    >>> daily = daily.assign(run_distance_m=km, run_day=km > 0, run_duration_s=km / 3,
    ...     longest_run_m=km, longest_run_s=km / 3, elevation_gain_m=0.0,
    ...     cross_duration_s=0.0, walk_duration_s=0.0, time_on_feet_s=km / 3,
    ...     longest_walk_s=0.0, rest=km == 0, trimp=np.nan, load=km)
    >>> w = weekly_table(daily)
    >>> w[["days", "complete", "base_distance_m", "change_pct"]].values.tolist()
    [[6, False, nan, nan], [7, True, nan, nan], [2, False, 10000.0, 200.0]]
    """
    load = daily["load"].to_numpy(float)
    sums = rolling_sums(load)
    extra = {"streak": run_lengths(daily["run_day"].to_numpy(bool)),
             "acwr": ewma_acwr_values(load),
             "acwr_coupled": rolling_acwr_values(load, sums=sums),
             "acwr_uncoupled": rolling_acwr_values(load, coupled=False, sums=sums)}
    cols = {c: daily[c].to_numpy() for c in daily.columns}
    first = int(calendar.day_numbers(daily.index[:1])[0]) if len(daily) else 0
    return weekly_frame(cols | extra, first, len(daily), ddof)


def weekly_frame(cols: dict[str, np.ndarray], first: int, n: int, ddof: int = 0,
                 arrays: dict | None = None, frame: bool = True) -> pd.DataFrame | None:
    """:func:`weekly_table` from the daily columns as arrays (``DAILY_COLUMNS`` and
    ``streak``, ``acwr``, ``acwr_coupled``, ``acwr_uncoupled``) of ``n`` days from day
    number ``first``. ``arrays``, when given, receives the columns as arrays (nothing when
    ``n`` is 0); ``frame`` False: the arrays only, None returned."""
    if n == 0:
        return weekly_frame_of({}) if frame else None
    g = calendar.WeekGrid(first, n)
    none = np.zeros(n)
    # Every weekly total (and every weekly longest) in one grid per dtype, not one per
    # column: the same sums, in a few numpy calls instead of ~40.
    totals = g.sums({c: cols[c] for c in (
        "runs", "run_day", "run_distance_m", "run_duration_s", "elevation_gain_m", "rest",
        "cross_sessions", "strength_sessions", "cross_duration_s", "walk_sessions",
        "walk_duration_s", "time_on_feet_s", "hard_runs", "classified_runs")} | {
        "load": cols["load"].astype(float), **{c: cols.get(c, none) for c in (
            "sessions_rated", "load_gaps", "session_load", "sessions_unrated")}})
    longest = g.sums({c: cols[c] for c in ("longest_run_m", "longest_run_s", "longest_walk_s",
                                          "streak")}, -np.inf, "max")

    def total(col: str) -> np.ndarray:
        return totals[col]

    def most(col: str) -> np.ndarray:
        return longest[col]

    trimp = g.grid(cols["trimp"], np.nan)
    has_trimp = ~np.isnan(trimp).all(axis=1)
    rated = totals["sessions_rated"]
    gaps = totals["load_gaps"]
    # Foster 1998: monotony = mean / SD of the 7 daily loads; strain = weekly load x monotony.
    mono = np.where(gaps > 0, np.nan,
                    monotony_grid(g.grid(cols["load"].astype(float), np.nan), ddof))
    w = {
        "week": calendar.iso_week_labels(g.mondays),
        "start": calendar.as_datetime64(g.mondays),
        "end": calendar.as_datetime64(first + g.last_pos),
        "days": g.days_in,
        "complete": g.days_in == 7,
        "runs": total("runs"),
        "run_days": total("run_day").astype(int),
        "run_distance_m": total("run_distance_m"),
        "longest_run_m": most("longest_run_m"),
        "longest_run_s": most("longest_run_s"),
        "run_duration_s": total("run_duration_s"),
        "elevation_gain_m": total("elevation_gain_m"),
        "rest_days": total("rest").astype(int),
        "cross_training_sessions": total("cross_sessions"),
        "strength_sessions": total("strength_sessions"),
        "cross_training_duration_s": total("cross_duration_s"),
        "walk_sessions": total("walk_sessions"),
        "walk_duration_s": total("walk_duration_s"),
        "time_on_feet_s": total("time_on_feet_s"),
        "longest_walk_s": np.maximum(most("longest_walk_s"), 0.0),
        "max_run_streak": most("streak").astype(int),
        "monotony": mono,
        "strain": totals["load"] * mono,
        "acwr": g.last_valid(cols["acwr"]),
        "acwr_coupled": g.last_valid(cols["acwr_coupled"]),
        "acwr_uncoupled": g.last_valid(cols["acwr_uncoupled"]),
        "trimp": np.where(has_trimp, np.nansum(trimp, axis=1), np.nan),
        "hard_runs": total("hard_runs"),
        "classified_runs": total("classified_runs"),
        "session_load": np.where(rated > 0, totals["session_load"], np.nan),
        "sessions_rated": rated,
        "rpe_missing": totals["sessions_unrated"],
    }
    complete = w["complete"]
    # The base of a complete week is the whole week before, if that one is complete too.
    prev_complete = np.concatenate([[False], complete[:-1]])
    # The week in progress (the last row, when partial) compares the same weekdays.
    in_progress = np.zeros(g.weeks, dtype=bool)
    if g.weeks > 1 and not complete[-1]:
        in_progress[-1] = True
    cutoff = int(calendar.weekday(first + n - 1))
    for col, base_col, pct_col in _CHANGES:
        grid = g.grid(cols[col])
        whole = _shift(w[col])
        same_days = _shift(grid[:, :cutoff + 1].sum(axis=1))
        base = np.where(prev_complete & complete, whole,
                        np.where(prev_complete & in_progress, same_days, np.nan))
        w[base_col] = base
        with np.errstate(divide="ignore", invalid="ignore"):
            w[pct_col] = np.where(base > 0, (w[col] - base) / base * 100.0, np.nan)
    for c in WEEKLY_COLUMNS:  # a ratio of 0/0 or x/0 is unknown, not infinite
        values = w[c]
        if isinstance(values, np.ndarray) and values.dtype == float and np.isinf(values).any():
            w[c] = np.where(np.isinf(values), np.nan, values)
    if arrays is not None:
        arrays.update({c: w[c] if c != "week" else np.array(w[c], dtype=object)
                       for c in WEEKLY_COLUMNS})
    return weekly_frame_of(w) if frame else None


def weekly_frame_of(arrays: dict) -> pd.DataFrame:
    """The weekly frame of the columns ``arrays`` (:func:`weekly_frame`); the empty frame
    when there are no weeks."""
    if not len(arrays.get("week", ())):
        return pd.DataFrame({c: pd.Series(dtype=float) for c in WEEKLY_COLUMNS})
    return pd.DataFrame({c: arrays[c] for c in WEEKLY_COLUMNS})


def _shift(values: np.ndarray) -> np.ndarray:
    """Each week's value moved to the week after (NaN for the first)."""
    return np.concatenate([[np.nan], np.asarray(values, float)[:-1]])
