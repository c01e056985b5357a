"""Foster's training monotony and strain over each complete ISO week.

Monotony = mean / SD of the week's 7 daily loads (rest days as 0); strain =
weekly load x monotony (Foster 1998, MSSE 30:1164). The paper does not say
whether SD is the population or the sample one; loadwatch uses the population
SD (``ddof=0``) by default and makes it a parameter (over 7 days, sample SD =
population SD x 1.0801). Foster gave no fixed threshold: "> 2.0 is high" is a
secondary-source rule of thumb, so ``monotony_high`` is a habit worth a look.

Only complete weeks (Monday to Sunday, every day inside the data) have a
monotony: two runs early in a week say nothing about the week's variety.

Foster defined both on session RPE [2]_ (the CR-10 rating of each session x its
minutes, summed per day [AU]): ``--load srpe`` computes them on exactly that. A day
whose session has no rating is not a rest day, so under ``srpe`` a week with an
unrated session gets no monotony or strain at all
(:func:`loadwatch.engine.weekly.weekly_frame`, ``load_gaps``) rather than one
computed with a made-up 0. On the other loads (distance, running time, TRIMP) the
same formulas run on that load, as an analogue Foster did not validate.

References
----------
.. [1] C. Foster, "Monitoring training in athletes with reference to overtraining
   syndrome," Med. Sci. Sports Exerc., vol. 30, no. 7, pp. 1164-1168, 1998.
.. [2] C. Foster, J. A. Florhaug, J. Franklin, L. Gottschall, L. A. Hrovatin, S. Parker,
   P. Doleshal, C. Dodge, "A new approach to monitoring exercise training," J. Strength
   Cond. Res., vol. 15, no. 1, pp. 109-115, 2001.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loadwatch.engine import calendar

CAP = 10.0
"""Monotony when every day of the week had the same non-zero load (SD 0): the ratio is
infinite, shown as this cap and flagged, not left blank. [-]"""

WEEK_DAYS = 7


def monotony(daily_load: pd.Series, ddof: int = 0, cap: float = CAP) -> pd.Series:
    """Monotony of each complete ISO week (index: the week's Monday).

    Parameters
    ----------
    daily_load : pandas.Series
        Load per day (``DatetimeIndex`` of consecutive days, rest days 0). [load unit]
    ddof : int, default 0
        Delta degrees of freedom of the SD (0: population, 1: sample).
    cap : float, default :data:`CAP`
        Value when SD is 0 and the mean is not. [-]

    Returns
    -------
    pandas.Series
        mean / SD per week [-]; NaN for a week with fewer than 7 days in the data
        (the first and the current one) or without load; ``cap`` where SD is 0
        and mean > 0, and where mean / SD exceeds it.

    Examples
    --------
    >>> days = pd.date_range("2026-11-02", periods=10, freq="D")
    >>> m = monotony(pd.Series([10.0, 0, 10, 0, 10, 0, 10, 5, 5, 5], index=days))
    >>> [round(float(v), 4) for v in m]
    [1.1547, nan]
    >>> float(monotony(pd.Series([8.0] * 7, index=days[:7])).iloc[0])
    10.0
    """
    grid, mondays = _grid(daily_load)
    return pd.Series(monotony_grid(grid, ddof, cap), index=mondays)


def monotony_grid(load: np.ndarray, ddof: int = 0, cap: float = CAP) -> np.ndarray:
    """:func:`monotony` of each row of a ``(weeks, 7)`` grid of daily loads, NaN marking
    days outside the data (:class:`loadwatch.engine.calendar.WeekGrid`)."""
    complete = ~np.isnan(load).any(axis=1)
    x = np.where(complete[:, None], load, 0.0)
    mean = x.sum(axis=1) / WEEK_DAYS
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(((x - mean[:, None]) ** 2).sum(axis=1) / (WEEK_DAYS - ddof))
        flat = np.abs(sd) <= 1e-12 * np.maximum(np.abs(mean), 1.0)
        value = np.minimum(np.where(flat, np.nan, mean / sd), cap)
    value = np.where(flat & (mean > 0), cap, value)
    return np.where(complete & (mean > 0), value, np.nan)


def strain(daily_load: pd.Series, ddof: int = 0, cap: float = CAP) -> pd.Series:
    """Weekly load x monotony per complete ISO week. [load unit]"""
    grid, mondays = _grid(daily_load)
    weekly = np.nansum(grid, axis=1)
    return pd.Series(weekly * monotony_grid(grid, ddof, cap), index=mondays)


def _grid(daily_load: pd.Series) -> tuple[np.ndarray, pd.DatetimeIndex]:
    days = calendar.day_numbers(daily_load.index)
    g = calendar.WeekGrid(int(days[0]) if len(days) else 0, len(days))
    grid = g.grid(daily_load.to_numpy(float), np.nan)
    return grid, pd.DatetimeIndex(calendar.as_datetime64(g.mondays))
