"""Acute:chronic workload ratios: EWMA and rolling (coupled and uncoupled).

Why three: the rolling ratio (Hulin 2014, Gabbett 2016) compares the last 7
days with the last 28; "coupled" includes the acute week in the chronic load,
which Lolli et al. (2019) showed manufactures correlation; "uncoupled" uses days
8-28 only. Williams et al. (2017) proposed exponentially weighted averages to
let older loads fade. None has shown a link to injury in runners (Frandsen et
al. 2025; Impellizzeri et al. 2021 call ACWR a rescaling of acute load), so
loadwatch grades ``acwr_high`` as limited evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_DAYS = 28
"""Ratios are null before the 28th day of the series. [days]"""

ROUNDING = 1e-9
"""Sums within this fraction of the largest daily load of 0 are 0 (floating-point residue)."""


def ewma(load: pd.Series, n: int) -> pd.Series:
    """Exponentially weighted moving average, seeded with the first day's load.

    Notes
    -----
    EWMA_t = lambda * L_t + (1 - lambda) * EWMA_{t-1}, lambda = 2 / (N + 1),
    EWMA_0 = L_0 (Williams et al. 2017, BJSM 51:209).

    >>> ewma(pd.Series([10.0, 0.0, 0.0]), 3).tolist()
    [10.0, 5.0, 2.5]
    """
    return load.astype(float).ewm(alpha=2.0 / (n + 1), adjust=False).mean()


def ewma_acwr(load: pd.Series, acute: int = 7, chronic: int = 28) -> pd.Series:
    """EWMA acute:chronic ratio per day; NaN before day ``MIN_DAYS`` or when chronic is 0.

    Notes
    -----
    ACWR_t = EWMA_7(t) / EWMA_28(t), lambda = 2/(N+1) (Williams et al. 2017).
    Scaling every load by a constant leaves it unchanged.
    """
    ratio = ewma(load, acute) / ewma(load, chronic)
    return _mask(ratio, ewma(load, chronic))


def rolling_acwr(load: pd.Series, coupled: bool = True) -> pd.Series:
    """Rolling 7:28 ratio per day; NaN before day ``MIN_DAYS`` or when chronic is 0.

    Notes
    -----
    coupled: A / (S28 / 4); uncoupled: A / ((S28 - A) / 3), where A is the last
    7 days' sum and S28 the last 28 days' (Hulin et al. 2014; Gabbett 2016).
    Identity: coupled = 4U / (3 + U).

    >>> s = pd.Series([1.0] * 28)
    >>> float(rolling_acwr(s).iloc[-1]), float(rolling_acwr(s, coupled=False).iloc[-1])
    (1.0, 1.0)
    """
    load = load.astype(float)
    # pandas' rolling sums add and subtract as the window moves, which leaves residues
    # like 1e-12 where the true sum is 0; they would make a ratio of 1e14.
    eps = ROUNDING * float(load.abs().max() or 1.0)
    acute = _exact_zero(load.rolling(7, min_periods=7).sum(), eps)
    total = _exact_zero(load.rolling(MIN_DAYS, min_periods=MIN_DAYS).sum(), eps)
    chronic = _exact_zero(total / 4.0 if coupled else (total - acute) / 3.0, eps)
    return _mask(acute / chronic, chronic)


def _exact_zero(sums: pd.Series, eps: float) -> pd.Series:
    return sums.mask(sums.abs() <= eps, 0.0)


def _mask(ratio: pd.Series, chronic: pd.Series) -> pd.Series:
    ratio = ratio.where(chronic > 0)
    ratio.iloc[: MIN_DAYS - 1] = np.nan
    return ratio.replace([np.inf, -np.inf], np.nan)
