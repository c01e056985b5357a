"""Foster's training monotony and strain over each ISO week.

Monotony = mean / SD of the week's 7 daily loads (rest days as 0); strain =
weekly load x monotony (Foster 1998, MSSE 30:1164). The paper does not say
whether SD is the population or the sample one; loadwatch uses the population
SD (``ddof=0``) by default and makes it a parameter (over 7 days, sample SD =
population SD x 1.0801). "> 2.0 is high" is a secondary-source rule of thumb.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def monotony(daily_load: pd.Series, ddof: int = 0) -> pd.Series:
    """Monotony of each ISO week (index: the week's Monday); NaN when SD is 0.

    A week in progress counts only its days so far.

    >>> days = pd.date_range("2026-11-02", periods=7, freq="D")
    >>> round(float(monotony(pd.Series([10.0, 0, 10, 0, 10, 0, 10], index=days)).iloc[0]), 4)
    1.1547
    """
    weeks = daily_load.groupby(_monday(daily_load.index))
    mean = weeks.mean()
    sd = weeks.std(ddof=ddof)
    return (mean / sd).where(sd > 1e-12).replace([np.inf, -np.inf], np.nan)


def strain(daily_load: pd.Series, ddof: int = 0) -> pd.Series:
    """Weekly load x monotony per ISO week. [load unit]"""
    weekly = daily_load.groupby(_monday(daily_load.index)).sum()
    return weekly * monotony(daily_load, ddof)


def _monday(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index - pd.to_timedelta(index.day_of_week, unit="D")
