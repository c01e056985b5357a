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

from loadwatch.engine.calendar import run_lengths


def run_streak(run_day: pd.Series) -> pd.Series:
    """Consecutive run days ending on each day (0 on a day without running).

    >>> run_streak(pd.Series([True, True, False, True, True, True])).tolist()
    [1, 2, 0, 1, 2, 3]
    """
    return pd.Series(run_lengths(run_day.to_numpy(bool)).astype(int), index=run_day.index)


def days_since(flag: pd.Series) -> pd.Series:
    """Days since ``flag`` was last True, per day (0 on such a day; NaN before the first).

    >>> days_since(pd.Series([False, True, False, False])).tolist()
    [nan, 0.0, 1.0, 2.0]
    """
    return pd.Series(days_since_values(flag.to_numpy(bool)), index=flag.index)


def days_since_values(flag: np.ndarray) -> np.ndarray:
    """:func:`days_since` on a boolean array."""
    pos = np.arange(len(flag))
    last = np.maximum.accumulate(np.where(flag, pos, -1)) if len(flag) else pos
    return np.where(last >= 0, (pos - last).astype(float), np.nan)
