"""Acute:chronic workload ratios: the phase-free EWMA ratio, and the rolling ones.

Why several: the rolling ratio (Hulin et al. 2014; Gabbett 2016) compares the
last 7 days with the last 28; "coupled" includes the acute week in the chronic
load, which Lolli et al. (2019) showed manufactures correlation; "uncoupled"
uses days 8-28 only. Williams et al. (2017) proposed exponentially weighted
averages so that older loads fade. None has shown a link to injury in runners:
Frandsen et al. (2025) found week-to-week ratios (one week against the three
before) unrelated to injury, even a negative dose-response, and Impellizzeri et
al. (2021) call ACWR a rescaling of acute load. loadwatch shows ``acwr_high`` as
a habit worth a look (evidence ``limited``); it never raises the risk level.

A runner's week repeats: two short runs and a long one, the same weekdays every
week. A ratio whose acute side is an EWMA with N = 7 gives the long-run day 25%
weight and peaks every long-run day, so a perfectly steady runner would be
"high" once a week. :func:`ewma_acwr` therefore takes both sides over whole
weeks (see its Notes), so that any repeating weekly pattern gives a ratio of 1.

References
----------
.. [1] B. T. Hulin et al., "Spikes in acute workload are associated with increased
   injury risk in elite cricket fast bowlers," Br. J. Sports Med., vol. 48,
   pp. 708-712, 2014, doi:10.1136/bjsports-2013-092524.
.. [2] T. J. Gabbett, "The training-injury prevention paradox," Br. J. Sports
   Med., vol. 50, pp. 273-280, 2016, doi:10.1136/bjsports-2015-095788.
.. [3] S. Williams et al., "Better way to determine the acute:chronic workload
   ratio?," Br. J. Sports Med., vol. 51, pp. 209-210, 2017,
   doi:10.1136/bjsports-2016-096589.
.. [4] L. Lolli et al., "Mathematical coupling causes spurious correlation within
   the conventional acute-to-chronic workload ratio calculations," Br. J. Sports
   Med., vol. 53, pp. 921-922, 2019, doi:10.1136/bjsports-2017-098110.
.. [5] F. M. Impellizzeri et al., "What role do chronic workloads play in the
   acute to chronic workload ratio? Time to dismiss ACWR and its underlying
   theory," Sports Med., vol. 51, pp. 581-592, 2021.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLLING_MIN_DAYS = 28
"""Rolling ratios are null before the 28th day of the series (a full chronic window). [days]"""

SEED_DAYS = 28
"""The EWMAs start from the mean daily load of the first 28 days. [days]"""

EWMA_MIN_DAYS = 42
"""The EWMA ratio is null before day 42: two chronic time constants' worth of days. [days]"""

ROUNDING = 1e-9
"""Sums within this fraction of the largest daily load of 0 are 0 (floating-point residue)."""


def ewma(load: pd.Series, n: int, seed_days: int = SEED_DAYS) -> pd.Series:
    """Exponentially weighted moving average of a daily load, seeded with an early mean.

    Parameters
    ----------
    load : pandas.Series
        Daily load, one value per day, rest days 0. [load unit]
    n : int
        Time constant N. [days]
    seed_days : int, default 28
        EWMA_{-1} (the value before the first day) is the mean load of the first
        ``seed_days`` days (of all days when there are fewer). [days]

    Returns
    -------
    pandas.Series
        EWMA per day, index of ``load``. [load unit]

    Notes
    -----
    EWMA_t = lambda * L_t + (1 - lambda) * EWMA_{t-1}, lambda = 2 / (N + 1)
    (Williams et al. 2017). The paper leaves the first value open; seeding with
    the first day's load, the common choice, makes the chronic EWMA start at 0 or
    at one long run and biases early ratios. The mean of the first 28 days is
    the runner's usual daily load as far as the data can tell; for a repeating
    weekly pattern it is exactly the pattern's mean. Consequence: values before
    day 28 change when later days of the first 28 arrive; :data:`EWMA_MIN_DAYS`
    hides the ratio long past that.

    Examples
    --------
    The seed is the mean of the four days, 3; lambda = 2 / (3 + 1) = 0.5:

    >>> ewma(pd.Series([10.0, 0.0, 0.0, 2.0]), 3).tolist()
    [6.5, 3.25, 1.625, 1.8125]
    """
    values = load.astype(float).to_numpy()
    if not len(values):
        return load.astype(float)
    return pd.Series(ewma_values(values, n, seed_days), index=load.index)


def ewma_values(values: np.ndarray, n: int, seed_days: int = SEED_DAYS) -> np.ndarray:
    """:func:`ewma` on a non-empty float array."""
    seed = float(values[:seed_days].mean())
    alpha = 2.0 / (n + 1)
    # Prepending the seed makes pandas' recursion start from it (adjust=False).
    series = pd.Series(np.concatenate([[seed], values]))
    return series.ewm(alpha=alpha, adjust=False).mean().to_numpy()[1:]


def ewma_acwr(load: pd.Series, chronic: int = 28, window: int = 7) -> pd.Series:
    """Acute:chronic load ratio per day, taken over whole weeks so a weekly pattern cancels.

    Parameters
    ----------
    load : pandas.Series
        Daily load from the first activity day, rest days 0. [load unit]
    chronic : int, default 28
        Time constant of the chronic EWMA. [days]
    window : int, default 7
        Days of the acute window and of the averaging of the chronic side. [days]

    Returns
    -------
    pandas.Series
        Ratio per day [-]; NaN before day :data:`EWMA_MIN_DAYS` or when the
        chronic load is 0.

    Notes
    -----
    ACWR_t = A_t / C_t, where A_t = (1/7) sum_{i=t-6..t} L_i is the mean daily
    load of the last 7 days (the rolling model's acute load, Hulin et al. 2014)
    and C_t = (1/7) sum_{i=t-6..t} EWMA_28(i) the chronic EWMA (Williams et al.
    2017, :func:`ewma`) averaged over the same 7 days. The EWMA is a linear filter
    with unit gain, so for a load that repeats every 7 days its values, once the
    seed has faded, repeat with the same 7-day mean as the load: both sides
    equal that mean and the ratio is 1, whatever the weekdays of the runs. With
    an EWMA acute side (N = 7) a long-run day alone lifts the ratio by about a
    quarter of the long run's excess, every week. Scaling every load by a
    constant leaves the ratio unchanged.

    Examples
    --------
    A runner doing 5, 5 and 15 km on the same three days every week:

    >>> week = [0.0, 5.0, 0.0, 5.0, 0.0, 0.0, 15.0]
    >>> r = ewma_acwr(pd.Series(week * 10))
    >>> int(r.isna().sum()), round(float(r.min()), 2), round(float(r.max()), 2)
    (41, 1.0, 1.01)

    The 1% left on day 42 is what remains of the seed: (1 - 2/29)^42 = 0.05 of
    the gap between the seed and that weekday's steady value.
    """
    return pd.Series(ewma_acwr_values(load.astype(float).to_numpy(), chronic, window),
                     index=load.index)


def ewma_acwr_values(load: np.ndarray, chronic: int = 28, window: int = 7) -> np.ndarray:
    """:func:`ewma_acwr` on a float array."""
    if not len(load):
        return load.astype(float)
    eps = ROUNDING * float(np.abs(load).max() or 1.0)
    acute = _zero(_rolling(load, window, "mean"), eps)
    steady = _zero(_rolling(ewma_values(load, chronic), window, "mean"), eps)
    return _ratio(acute, steady, EWMA_MIN_DAYS)


def rolling_acwr(load: pd.Series, coupled: bool = True) -> pd.Series:
    """Rolling 7:28 ratio per day; NaN before day ``ROLLING_MIN_DAYS`` or when chronic is 0.

    Notes
    -----
    coupled: A / (S28 / 4); uncoupled: A / ((S28 - A) / 3), where A is the last
    7 days' sum and S28 the last 28 days' (Hulin et al. 2014; Gabbett 2016).
    Identity: coupled = 4U / (3 + U). Both windows are whole weeks, so a
    repeating weekly pattern gives 1.

    >>> s = pd.Series([1.0] * 28)
    >>> float(rolling_acwr(s).iloc[-1]), float(rolling_acwr(s, coupled=False).iloc[-1])
    (1.0, 1.0)
    """
    return pd.Series(rolling_acwr_values(load.astype(float).to_numpy(), coupled),
                     index=load.index)


def rolling_acwr_values(load: np.ndarray, coupled: bool = True,
                        sums: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """:func:`rolling_acwr` on a float array; ``sums`` are :func:`rolling_sums` if known."""
    if not len(load):
        return load.astype(float)
    eps = ROUNDING * float(np.abs(load).max() or 1.0)
    acute, total = sums if sums is not None else rolling_sums(load)
    chronic = _zero(total / 4.0 if coupled else (total - acute) / 3.0, eps)
    return _ratio(acute, chronic, ROLLING_MIN_DAYS)


def rolling_sums(load: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 7-day and 28-day sums of a daily load, residues of 0 made 0 (see
    :func:`rolling_acwr`)."""
    # pandas' rolling sums add and subtract as the window moves, which leaves residues
    # like 1e-12 where the true sum is 0; they would make a ratio of 1e14.
    eps = ROUNDING * float(np.abs(load).max() or 1.0) if len(load) else 0.0
    return (_zero(_rolling(load, 7, "sum"), eps),
            _zero(_rolling(load, ROLLING_MIN_DAYS, "sum"), eps))


def _rolling(values: np.ndarray, window: int, how: str) -> np.ndarray:
    roll = pd.Series(values).rolling(window, min_periods=window)
    return (roll.sum() if how == "sum" else roll.mean()).to_numpy()


def _zero(values: np.ndarray, eps: float) -> np.ndarray:
    return np.where(np.abs(values) <= eps, 0.0, values)


def _ratio(num: np.ndarray, den: np.ndarray, min_days: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
    ratio[: min_days - 1] = np.nan
    ratio[np.isinf(ratio)] = np.nan
    return ratio
