"""Which runs were hard: by heart rate where it is known, else by pace against the runner's usual.

"Intensity advanced too fast" is a usual cause of overuse knee pain; a weekly sum
of TRIMP measures volume as much as intensity (it rises with minutes at an
unchanged heart rate), so loadwatch counts hard runs instead. A run is hard when

- heart rate: its average heart rate is at or above 80% of the heart-rate
  reserve, (HR_avg - HR_rest) / (HR_max - HR_rest) >= 0.8 (Karvonen et al.
  1957), near the second ventilatory threshold of the three-zone model (Seiler
  2010). With no resting heart rate, 87% of HR_max stands in for it (80% of the
  reserve for a resting rate of about 55 and a maximum of 185). With no
  configured maximum, it is estimated from the data: the second-highest session
  maximum recorded up to each run (so that one strap glitch does not set it, and
  a later run never changes how an earlier one was judged);
- pace, where the run has no heart rate: its grade-adjusted speed is at least
  10% above the median of the runner's runs of the previous 56 days (at least
  :data:`MIN_USUAL_RUNS` of them). Grade adjustment adds 7.92 m of flat
  distance per metre climbed (Scarf 2007's equivalence behind Naismith's rule).

A session average misses interval sessions whose average stays below the zone:
the count is a lower bound, and the message says which proxy it used.

References
----------
.. [1] M. J. Karvonen, E. Kentala and O. Mustala, "The effects of training on heart
   rate; a longitudinal study," Ann. Med. Exp. Biol. Fenn., vol. 35, pp. 307-315, 1957.
.. [2] S. Seiler, "What is best practice for training intensity and duration
   distribution in endurance athletes?," Int. J. Sports Physiol. Perform., vol. 5,
   pp. 276-291, 2010.
.. [3] P. Scarf, "Route choice in mountain navigation, Naismith's rule, and the
   equivalence of distance and climb," J. Sports Sci., vol. 25, no. 6,
   pp. 719-726, 2007.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HRR_HARD = 0.80
"""Heart-rate reserve fraction at or above which a run's average makes it hard. [-]"""
HRMAX_HARD = 0.87
"""Fraction of HR_max standing in for :data:`HRR_HARD` when the resting rate is unknown. [-]"""
PACE_MARGIN = 0.10
"""A run is hard by pace when its grade-adjusted speed is this much above the usual. [-]"""
CLIMB_EQUIVALENT_M = 7.92
"""Flat metres equivalent to one metre of climbing (Scarf 2007). [m/m]"""
USUAL_WINDOW_DAYS = 56
"""Look-back for the usual pace. [days]"""
MIN_USUAL_RUNS = 5
"""Runs needed in the look-back to call a pace usual. [runs]"""
MIN_HR_RUNS = 5
"""Runs with a recorded maximum needed before the maximum is estimated from them. [runs]"""
MIN_RUN_S = 600.0
"""Runs shorter than this are not classified (strides, warm-ups recorded apart). [s]"""


@dataclass(frozen=True)
class HeartRate:
    """The heart-rate figures the classification uses, and where they came from.

    Attributes
    ----------
    max_hr, rest_hr : float or None
        [bpm]
    max_estimated : bool
        True when ``max_hr`` was estimated from the recorded sessions.
    """

    max_hr: float | None
    rest_hr: float | None
    max_estimated: bool = False

    def describe(self) -> str:
        """The proxy in words, for messages."""
        if self.max_hr is None:
            return "pace at least 10% faster than your usual (grade-adjusted)"
        source = (f"an estimated maximum of {self.max_hr:.0f} bpm, your second-highest recorded"
                  if self.max_estimated else f"your maximum of {self.max_hr:.0f} bpm")
        if self.rest_hr is None:
            return f"average heart rate at or above {HRMAX_HARD:.0%} of {source}"
        return (f"average heart rate at or above {HRR_HARD:.0%} of your heart-rate reserve "
                f"({source}, resting {self.rest_hr:.0f} bpm)")


def heart_rate(runs: pd.DataFrame, max_hr: float | None, rest_hr: float | None) -> HeartRate:
    """The maximum and resting heart rate to use: configured, else the maximum estimated.

    Parameters
    ----------
    runs : pandas.DataFrame
        Runs with ``max_hr``. [bpm]
    max_hr, rest_hr : float or None
        Configured values. [bpm]

    Returns
    -------
    HeartRate
        ``max_hr`` None when it is neither configured nor estimable (fewer than 5
        runs with a recorded maximum).

    Examples
    --------
    >>> runs = pd.DataFrame({"max_hr": [150.0, 171, 188, 240, 160, 165]})
    >>> heart_rate(runs, None, None)
    HeartRate(max_hr=188.0, rest_hr=None, max_estimated=True)
    """
    if max_hr is not None:
        return HeartRate(float(max_hr), None if rest_hr is None else float(rest_hr))
    peaks = np.asarray(runs["max_hr"], dtype=float)
    peaks = np.sort(peaks[~np.isnan(peaks)])[::-1]
    if len(peaks) < MIN_HR_RUNS:
        return HeartRate(None, None)
    return HeartRate(float(peaks[1]), None if rest_hr is None else float(rest_hr), True)


def grade_adjusted_speed(distance_m, elevation_gain_m, duration_s) -> np.ndarray:
    """Speed over the flat-equivalent distance, d + 7.92 * climb, per second. [m/s]

    >>> float(grade_adjusted_speed(10_000.0, 100.0, 3000.0)[()])
    3.5973333333333333
    """
    climb = np.nan_to_num(np.asarray(elevation_gain_m, float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.asarray(distance_m, float) + CLIMB_EQUIVALENT_M * climb) / np.asarray(
            duration_s, float)


def running_second_highest(values: pd.Series) -> pd.Series:
    """The second-highest value seen so far, at each position (NaN values skipped).

    Examples
    --------
    >>> running_second_highest(pd.Series([150.0, 171, 160, 188, 240, 165])).tolist()
    [nan, 150.0, 160.0, 171.0, 188.0, 188.0]
    >>> running_second_highest(pd.Series([180.0, 190, 185, None, 150])).tolist()
    [nan, 180.0, 185.0, 185.0, 185.0]
    """
    x = values.astype(float).reset_index(drop=True)
    top = x.cummax().ffill()
    previous_top = top.shift(1).fillna(-np.inf)
    new_top = x.notna() & (x > previous_top)
    group = new_top.cumsum()
    # Within a stretch led by a new maximum, the runner-up is the maximum before it or the
    # largest value since (missing values skipped: cummax carries over them).
    before = previous_top.where(new_top).replace(-np.inf, np.nan).groupby(group).transform("first")
    since = x.where(~new_top).groupby(group).cummax()
    since = since.groupby(group).ffill()
    out = pd.concat([before, since], axis=1).max(axis=1)
    return pd.Series(out.to_numpy(), index=values.index)


def classify(runs: pd.DataFrame, hr: HeartRate) -> pd.Series:
    """Whether each run was hard (True/False), or unknown (NA).

    Parameters
    ----------
    runs : pandas.DataFrame
        Timeline rows of runs (``loadwatch.timeline.COLUMNS``), any order.
    hr : HeartRate
        From :func:`heart_rate`.

    Returns
    -------
    pandas.Series
        ``boolean`` dtype, index of ``runs``: by heart rate where the run has an
        average heart rate and a maximum is known, else by pace where it has
        distance and time and the usual pace is known, else NA. Runs shorter than
        :data:`MIN_RUN_S` are NA.
    """
    out = pd.Series(pd.NA, index=runs.index, dtype="boolean")
    if runs.empty:
        return out
    state = classify_values(runs, hr)
    return pd.Series(pd.array(np.where(state < 0, None, state == 1), dtype="boolean"),
                     index=runs.index)


def classify_values(runs, hr: HeartRate) -> np.ndarray:
    """:func:`classify` as an int array: 1 hard, 0 not hard, -1 unknown.

    ``runs`` is a frame of runs or a mapping of their columns as arrays
    (``start_utc`` as ``datetime64[ns]``)."""
    def col(name: str) -> np.ndarray:
        return np.asarray(runs[name], dtype=float)

    n = len(runs["avg_hr"])
    if not n:
        return np.zeros(0, dtype=int)
    duration = col("duration_s")
    duration = np.where(np.isnan(duration), col("elapsed_s"), duration)
    avg_hr = col("avg_hr")
    start = runs["start_utc"]
    start = start.to_numpy("datetime64[ns]") if isinstance(start, pd.Series) else start
    state = np.full(n, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if hr.max_hr is not None:
            top = np.full(n, hr.max_hr)
            if hr.max_estimated:
                order = np.argsort(start, kind="stable")
                peaks = col("max_hr")[order]
                seen = np.cumsum(~np.isnan(peaks))
                top = np.empty(n)
                top[order] = np.where(seen >= MIN_HR_RUNS, _second_highest(peaks), np.nan)
            if hr.rest_hr is not None:
                by_hr = (avg_hr - hr.rest_hr) / (top - hr.rest_hr) >= HRR_HARD - 1e-9
            else:
                by_hr = avg_hr / top >= HRMAX_HARD - 1e-9
            known = ~np.isnan(avg_hr) & ~np.isnan(top)
            state[known] = by_hr[known]
        speed = grade_adjusted_speed(col("distance_m"), col("elevation_gain_m"), duration)
        long_enough = duration >= MIN_RUN_S
        usual = _usual_speed(start, np.where(long_enough, speed, np.nan))
        by_pace = speed >= usual * (1 + PACE_MARGIN) - 1e-12
        pace_known = (state < 0) & ~np.isnan(speed) & ~np.isnan(usual)
    state[pace_known] = by_pace[pace_known]
    state[~long_enough] = -1
    return state


def _second_highest(values: np.ndarray) -> np.ndarray:
    """:func:`running_second_highest` on a float array."""
    return running_second_highest(pd.Series(values)).to_numpy(float)


def usual_speed(start_utc: pd.Series, speed: pd.Series,
                window_days: int = USUAL_WINDOW_DAYS) -> pd.Series:
    """Median speed of the runs started in the ``window_days`` before each run (itself excluded).

    NaN where fewer than :data:`MIN_USUAL_RUNS` runs with a speed fall in the window.
    """
    return pd.Series(_usual_speed(start_utc.to_numpy("datetime64[ns]"), speed.to_numpy(float),
                                  window_days), index=speed.index)


def _usual_speed(start: np.ndarray, speed: np.ndarray,
                 window_days: int = USUAL_WINDOW_DAYS) -> np.ndarray:
    """:func:`usual_speed` on arrays (``start`` as ``datetime64[ns]``)."""
    order = np.argsort(start, kind="stable")
    s = pd.Series(speed[order], index=pd.DatetimeIndex(start[order]))
    med = s.rolling(f"{window_days}D", closed="left", min_periods=MIN_USUAL_RUNS).median()
    out = np.empty(len(order))
    out[order] = med.to_numpy()
    return out
