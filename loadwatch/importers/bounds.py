"""Physical bounds on what an importer derives from a file's samples.

Devices write glitches: a heart rate of 255 from a loose strap, altitude spikes
that add kilometres of climbing, a point dated decades ahead, points out of
order. Everything an importer derives passes through here: heart rates outside
:data:`HR_MIN_BPM`-:data:`HR_MAX_BPM` are dropped, climbing is summed from
smoothed altitudes and dropped when no human could have climbed it, moving time
never exceeds elapsed time, and samples dated far from all the others are
outliers, not the activity's span. What is dropped is said in the activity's
``warnings``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from loadwatch.importers.base import Activity
from loadwatch.importers.ceilings import figure

HR_MIN_BPM = 25.0
HR_MAX_BPM = 240.0
"""Heart rates outside this range are sensor faults, not hearts. [bpm]

The lowest resting rates recorded in healthy endurance athletes are near 27 bpm
and the highest maximal rates near 220-230 bpm; 255 is FIT's "invalid" byte.
"""

CLIMB_THRESHOLD_M = 2.0
"""Hysteresis of :func:`climb`: rises smaller than this are noise. [m]"""

CLIMB_SMOOTHING_SAMPLES = 5
"""Width of the running median applied to altitudes before :func:`climb`. [samples]"""

MAX_CLIMB_RATE_MPS = 0.6
"""Fastest sustained ascent on foot or by bike: the vertical-kilometre record is
1000 m in 28:53 (0.58 m/s), professional cyclists climb under 0.55 m/s. [m/s]"""

MAX_CLIMB_PER_DISTANCE = 1.0
"""Ascent per distance travelled no route allows (a 45° average slope). [m/m]"""

OUTLIER_LEAP_S = 6 * 3600.0
"""Samples this far in time from every other group of samples may be outliers. [s]"""

OUTLIER_SHARE = 0.01
"""...when their group holds at most this share of the samples (and at least one). [unitless]"""


def heart_rate(value: float | None) -> float | None:
    """``value`` if it is a heart rate a human can have, else None.

    >>> heart_rate(150.0), heart_rate(255.0), heart_rate(0.0), heart_rate(None)
    (150.0, None, None, None)
    """
    if value is None or not HR_MIN_BPM <= value <= HR_MAX_BPM:
        return None
    return value


def heart_rates(values: np.ndarray) -> np.ndarray:
    """The samples of ``values`` between :data:`HR_MIN_BPM` and :data:`HR_MAX_BPM`. [bpm]"""
    values = np.asarray(values, dtype=float)
    return values[(values >= HR_MIN_BPM) & (values <= HR_MAX_BPM)]


def smooth(altitude: np.ndarray, width: int = CLIMB_SMOOTHING_SAMPLES) -> np.ndarray:
    """Altitudes (NaN dropped) through a centred running median of ``width`` samples.

    A median removes single-sample spikes (a barometer glitch, a GPS altitude
    jump) that a mean would spread over their neighbours; the ends keep their
    raw values.

    >>> smooth(np.array([100.0, 101.0, 900.0, 102.0, 103.0, 104.0])).tolist()
    [100.0, 101.0, 102.0, 103.0, 103.0, 104.0]
    """
    a = np.asarray(altitude, dtype=float)
    a = a[~np.isnan(a)]
    half = width // 2
    if a.size < width:
        return a
    out = a.copy()
    windows = np.lib.stride_tricks.sliding_window_view(a, width)
    out[half:a.size - half] = np.median(windows, axis=1)
    return out


def climb(altitude: np.ndarray, threshold_m: float = CLIMB_THRESHOLD_M) -> float | None:
    """Total ascent of a series of altitudes, smoothed, counting only real rises.

    Parameters
    ----------
    altitude : numpy.ndarray
        Altitudes in time order, NaN where absent. [m]
    threshold_m : float, default CLIMB_THRESHOLD_M
        Hysteresis: the altitude must move this far from the reference level
        before a rise counts or the reference follows it down. [m]

    Returns
    -------
    float or None
        Ascent [m]; None with fewer than two altitudes or no counted rise.

    Notes
    -----
    Altitudes first go through :func:`smooth`. Then, with reference r = a[0]:
    a[i] > r + h adds a[i] - r and sets r = a[i]; a[i] < r - h sets r = a[i];
    smaller moves are noise. With h = 0 this is the plain sum of rises, which at
    1 Hz counts altitude noise as climbing (up to 4x the device's total on real
    files). On the 21 corpus sessions that carry a device ``total_ascent``,
    h = 2 m came closest (h = 0 worst, then 5 m). The result is still checked
    by :func:`plausible_climb`.

    >>> climb(np.array([100.0, 103.0, float("nan"), 101.0, 106.0]))
    6.0
    >>> climb(np.array([100.0, 101.0, 100.0, 101.5, 100.0])) is None
    True
    """
    a = smooth(altitude).tolist()
    if len(a) < 2:
        return None
    ref, gain = a[0], 0.0
    for x in a[1:]:  # sequential by nature: each step depends on the reference so far
        if x > ref + threshold_m:
            gain += x - ref
            ref = x
        elif x < ref - threshold_m:
            ref = x
    return gain if gain > 0 else None


def plausible_climb(climb_m: float | None, distance_m: float | None,
                    elapsed_s: float | None) -> bool:
    """Whether a total ascent is humanly possible over that distance and time.

    Notes
    -----
    Possible when climb <= 0.6 m/s x elapsed time (:data:`MAX_CLIMB_RATE_MPS`)
    and climb <= distance (:data:`MAX_CLIMB_PER_DISTANCE`), each checked where
    known.

    >>> plausible_climb(500.0, 20_000.0, 3600.0), plausible_climb(300_000.0, 15_000.0, 1800.0)
    (True, False)
    """
    if climb_m is None:
        return True
    if elapsed_s and climb_m > MAX_CLIMB_RATE_MPS * elapsed_s:
        return False
    return not (distance_m and climb_m > MAX_CLIMB_PER_DISTANCE * distance_m)


def outliers(t: np.ndarray, leap_s: float = OUTLIER_LEAP_S,
             share: float = OUTLIER_SHARE) -> np.ndarray:
    """Which timestamps are outliers: a few samples dated far from all the rest.

    Parameters
    ----------
    t : numpy.ndarray
        Sample times in any order, NaN where absent. [s]
    leap_s : float, default OUTLIER_LEAP_S
        Gap that separates groups of samples. [s]
    share : float, default OUTLIER_SHARE
        Largest share of the samples a group of outliers may hold. [unitless]

    Returns
    -------
    numpy.ndarray of bool
        True for outliers, same order as ``t``; NaN times are never outliers.

    Notes
    -----
    The sorted times are cut into groups wherever two neighbours are more than
    ``leap_s`` apart. A group is an outlier when it holds at most
    max(1, share x n) samples and is not the largest. A recording paused
    overnight keeps both days (each holds many samples); one point dated 2043
    in a 2024 run does not make the run last 19 years.

    >>> outliers(np.array([0.0, 1.0, 2.0, 6e8, 3.0])).tolist()
    [False, False, False, True, False]
    """
    t = np.asarray(t, dtype=float)
    out = np.zeros(t.size, dtype=bool)
    timed = np.flatnonzero(~np.isnan(t))
    if timed.size < 2:
        return out
    order = timed[np.argsort(t[timed], kind="stable")]
    group = np.concatenate([[0], np.cumsum(np.diff(t[order]) > leap_s)])
    counts = np.bincount(group)
    if counts.size == 1:
        return out
    small = (counts <= max(1.0, share * timed.size)) & (counts < counts.max())
    out[order] = small[group]
    return out


def describe_outliers(t_unix: np.ndarray) -> str:
    """A warning for dropped outlier timestamps, e.g. "dropped 1 sample dated 2043-05-01 ..."."""
    n = int(t_unix.size)
    dates = sorted({datetime.fromtimestamp(x, UTC).strftime("%Y-%m-%d") for x in t_unix.tolist()
                    if -2e10 < x < 2e10})
    when = f" dated {', '.join(dates[:3])}{'...' if len(dates) > 3 else ''}" if dates else ""
    return (f"dropped {n} sample{'s' if n != 1 else ''}{when}, far from the rest of the "
            "recording (a clock glitch), so they do not stretch the activity")


def bound(a: Activity) -> Activity:
    """``a`` within physical bounds, each correction said in ``a.warnings``.

    Heart rates outside 25-240 bpm are dropped; a climb that
    :func:`plausible_climb` rejects is dropped; moving time longer than elapsed
    time is cut to it (silently within 1% or 2 s: devices round them apart).
    """
    for name in ("avg_hr", "max_hr"):
        value = getattr(a, name)
        if value is not None and heart_rate(value) is None:
            setattr(a, name, None)
            a.warnings.append(f"{'average' if name == 'avg_hr' else 'maximum'} heart rate "
                              f"{figure(value)} bpm is outside {HR_MIN_BPM:.0f}-{HR_MAX_BPM:.0f}; "
                              "dropped")
    if not plausible_climb(a.elevation_gain_m, a.distance_m, a.elapsed_s):
        a.warnings.append(f"climbing of {figure(a.elevation_gain_m)} m is impossible over "
                          f"{_over(a)}; dropped it")
        a.elevation_gain_m = None
    if a.duration_s is not None and a.elapsed_s is not None and a.duration_s > a.elapsed_s:
        if a.duration_s - a.elapsed_s > max(2.0, 0.01 * a.elapsed_s):
            a.warnings.append(f"moving time {figure(a.duration_s)} s is longer than the elapsed "
                              f"{figure(a.elapsed_s)} s (samples out of order?); cut to it")
        a.duration_s = a.elapsed_s
    return a


def _over(a: Activity) -> str:
    parts = []
    if a.distance_m:
        parts.append(f"{figure(a.distance_m / 1000, ',.1f')} km")
    if a.elapsed_s:
        parts.append(f"{figure(a.elapsed_s / 60)} min")
    return " in ".join(parts) or "this activity"
