"""Run streaks and days since the last rest or cross-training.

A run streak is the number of consecutive days with running (``run_day``) up to
and including a day; cross-training does not extend it but a day of only
cross-training breaks it without being rest. No cohort study links consecutive
running days to injury; loadwatch counts them because the ECSS/ACSM consensus
advises at least one rest day a week (Meeusen et al. 2013).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def run_streak(run_day: pd.Series) -> pd.Series:
    """Consecutive run days ending on each day (0 on a day without running).

    >>> run_streak(pd.Series([True, True, False, True, True, True])).tolist()
    [1, 2, 0, 1, 2, 3]
    """
    on = run_day.astype(bool)
    block = (~on).cumsum()
    return on.astype(int).groupby(block).cumsum().astype(int)


def days_since(flag: pd.Series) -> pd.Series:
    """Days since ``flag`` was last True, per day (0 on such a day; NaN before the first).

    >>> days_since(pd.Series([False, True, False, False])).tolist()
    [nan, 0.0, 1.0, 2.0]
    """
    pos = np.arange(len(flag), dtype=float)
    last = pd.Series(np.where(flag.to_numpy(bool), pos, np.nan), index=flag.index).ffill()
    return pd.Series(pos, index=flag.index) - last
