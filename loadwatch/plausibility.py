"""Activities no human could have done: quarantined until the athlete confirms them.

A watch left running in a car becomes a 13x "long run"; a ride saved as a run
doubles a week. Such an activity would raise the risk level and, as the longest
run of the month, hide a genuine spike for 30 days. :func:`check` lists every
activity that is impossible for its sport, with why; the verdict leaves them out
of the load, the flags and the spike references, and every output lists them
under "data to check" until the athlete confirms (``[activities] confirm``) or
ignores (``[activities] ignore``) them in ``loadwatch.toml``.

Impossible means any of:

- ``faster than the world record``: the average speed exceeds the men's world
  record speed for the activity's duration (:data:`RUN_RECORDS`, interpolated in
  log-duration) by more than :data:`RECORD_MARGIN`; walks and hikes use the same
  curve. Rides over an hour are held to the hour record, swims to the 50 m
  record. A "run" of hours at car speed fails even when its pace would be human
  for a short race;
- ``far faster than your own runs``: more than :data:`OWN_MARGIN` times the 95th
  percentile of the athlete's earlier runs (at least :data:`OWN_MIN_RUNS`),
  after Riegel's adjustment for duration, v (T / 1 h)^(0.06/1.06) [2]_;
- ``slower than walking for hours``: a run of :data:`SLOW_MIN_S` or more at a
  moving speed under :data:`WALK_SPEED` (a watch left running after the run);
- ``heart rate outside 25-240 bpm``;
- ``steeper than the steepest races``: more than :data:`MAX_CLIMB_PER_M` metres
  of climbing per metre of distance (a vertical kilometre race climbs about
  1,000 m per km at its steepest);
- ``longer than one activity can be``: an elapsed (or moving) time over
  :data:`MAX_ACTIVITY_S` (a lap of 46 days is a timer glitch, not a run).

:func:`implausible` gives the same judgement as a mask, for
:func:`loadwatch.duplicates.dedupe`: an activity listed here is never the reference
that absorbs plausible activities as its "duplicates".

References
----------
.. [1] World Athletics, world records (men, outdoor track and road; 24 h and 6 days:
   IAU), as of 2025. https://worldathletics.org/records/by-category/world-records
.. [2] P. S. Riegel, "Athletic records and human endurance," Am. Sci., vol. 69,
   no. 3, pp. 285-290, 1981.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

RUN_RECORDS = (
    # (metres, seconds): men's world records from 100 m to 6 days.
    (100, 9.58), (200, 19.19), (400, 43.03), (800, 100.91), (1000, 131.96),
    (1500, 206.00), (3000, 437.55), (5000, 755.36), (10000, 1571.00),
    (21097.5, 3450.0), (42195, 7235.0), (50000, 9613.0), (100000, 21935.0),
    (177410, 43200.0), (319614, 86400.0), (1036800, 518400.0),
)
"""Distance [m] and time [s] of the world records the speed curve goes through."""
RECORD_MARGIN = 1.03
"""Allowance above a record for GPS over-measurement. [-]"""
RIDE_HOUR_RECORD_MPS = 56792.0 / 3600.0
"""The UCI hour record (2022): no ride of an hour or more averages faster. [m/s]"""
SWIM_RECORD_MPS = 50.0 / 20.91
"""50 m freestyle world record speed: no swim averages faster. [m/s]"""
OWN_MARGIN = 1.4
"""A run this many times faster than the 95th percentile of the athlete's own earlier runs
(duration-adjusted) is not their running: a race effort of someone who logs easy runs is
seldom 30% faster. [-]"""
OWN_MIN_RUNS = 10
"""Earlier runs needed before the athlete's own history is used. [runs]"""
RIEGEL_EXPONENT = 0.06 / 1.06
"""Speed falls as duration^-0.0566 for a runner (Riegel 1981, T2 = T1 (D2/D1)^1.06). [-]"""
SLOW_MIN_S = 2 * 3600.0
"""A run at least this long [s] ..."""
WALK_SPEED = 3000.0 / 3600.0
"""... whose moving speed is below 3 km/h was not a run. [m/s]"""
HR_RANGE = (25.0, 240.0)
"""Heart rates a human heart can have. [bpm]"""
MAX_CLIMB_PER_M = 1.0
"""Metres climbed per metre of distance; a vertical kilometre is about 1,000 m per km. [m/m]"""
MAX_ACTIVITY_S = 48 * 3600.0
"""Longest time one recording may cover. [s]

The cut-offs of the longest single-stage 100-mile mountain races are near it (UTMB:
46.5 h); a watch's timer that ran for days is a glitch. Longer activities are
listed under "data to check" until confirmed, and their time is never used to
find duplicates (:func:`loadwatch.duplicates.dedupe`), so one glitch cannot swallow
the runs it spans. loadwatch's product rule."""
MIN_DISTANCE_M = 200.0
"""Speed and climbing checks need at least this distance. [m]"""

DATA_TO_CHECK_COLUMNS = ("activity_id", "date", "sport", "name", "path", "reason")


def record_speed(duration_s) -> np.ndarray:
    """The world-record running speed for a duration, interpolated in log-duration. [m/s]

    >>> [round(float(v), 2) for v in record_speed([60, 3600, 3 * 3600, 86400])]
    [8.76, 6.1, 5.11, 3.7]
    """
    t = np.log([s for _, s in RUN_RECORDS])
    v = np.array([d / s for d, s in RUN_RECORDS])
    return np.interp(np.log(np.clip(np.asarray(duration_s, float), 1e-3, None)), t, v)


def check(timeline: pd.DataFrame, confirmed: frozenset[str] = frozenset(),
          columns: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """The activities that are impossible for their sport, each with the reason.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``.
    confirmed : frozenset of str
        Activity ids the athlete confirmed: never listed.
    columns : dict of str to numpy.ndarray, optional
        ``timeline``'s columns as arrays when the caller has read them for the load engine
        too (:func:`loadwatch.engine.timeline_columns`): the tests read them, not the frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``DATA_TO_CHECK_COLUMNS``, one row per activity (reasons joined
        with "; "), in start order. ``date`` is the local day (``datetime64``).

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from loadwatch import timeline as tl
    >>> from loadwatch.importers.base import Activity
    >>> car = Activity("fit", "car.fit", datetime(2026, 11, 1, 9, tzinfo=UTC), "running",
    ...                distance_m=120_000.0, duration_s=4 * 3600.0)
    >>> run = Activity("fit", "run.fit", datetime(2026, 11, 2, 9, tzinfo=UTC), "running",
    ...                distance_m=10_000.0, duration_s=3300.0)
    >>> out = check(tl.build([car, run], "x", tl.resolve_tz("UTC")))
    >>> out["reason"].tolist()
    ['averaged 30.0 km/h for 4h00, faster than the world record for that time (17.6 km/h)']
    """
    tl = timeline
    order = _start_order(tl, None if columns is None else columns["start_utc"])
    if order is not None:
        tl = tl.iloc[order]
        columns = None if columns is None else {k: v[order] for k, v in columns.items()}
    t = _tests(tl, columns)
    flagged = _flagged(t)
    if confirmed and flagged.any():
        flagged &= ~np.isin(tl["activity_id"].to_numpy(object), list(confirmed))
    speed, duration, limit, climb, distance = t.speed, t.duration, t.limit, t.climb, t.distance
    avg_hr, max_hr = t.avg_hr, t.max_hr
    lo, hi = HR_RANGE
    rows = np.flatnonzero(flagged)
    reasons = []
    # Words only for the activities that are listed: a handful, never the whole timeline.
    for i in rows.tolist():
        v, secs = speed[i], duration[i]
        why = []
        if t.too_long[i]:
            why.append(f"recorded as lasting {_span_text(t.span[i])}, longer than one activity "
                       f"can be ({MAX_ACTIVITY_S / 3600:.0f} h at most): a timer or clock glitch?")
        if t.too_fast[i]:
            why.append(f"averaged {_kmh(v)} for {_hours(secs)}, faster than the world "
                       f"record for that time ({_kmh(limit[i] / RECORD_MARGIN)})")
        if t.too_fast_own[i]:
            why.append(f"averaged {_kmh(v)} for {_hours(secs)}, far faster than your own "
                       f"runs (more than {OWN_MARGIN:.1f}x the fastest 5% of them, allowing for "
                       "duration)")
        if t.slow[i]:
            why.append(f"{_hours(secs)} at {_kmh(v)}, slower than walking: a watch left "
                       "running?")
        if t.bad_hr[i]:
            why.append(f"heart rate of {_hr_text(avg_hr[i], max_hr[i])} bpm recorded, outside "
                       f"what a heart can do ({lo:.0f}-{hi:.0f})")
        if t.steep[i]:
            why.append(f"{_quantity(climb[i])} m of climbing in "
                       f"{_quantity(distance[i] / 1000, 1)} km, steeper than the steepest races "
                       "(about 1,000 m per km)")
        reasons.append("; ".join(why))
    if not len(rows):
        return _nothing_to_check().copy()
    out = tl.iloc[rows][["activity_id", "local_date", "sport", "name", "path"]].rename(
        columns={"local_date": "date"})
    out["reason"] = reasons
    return out.reset_index(drop=True)[list(DATA_TO_CHECK_COLUMNS)]


class _Tests(NamedTuple):
    """Each test's verdict per activity, and the figures its words quote."""

    speed: np.ndarray
    duration: np.ndarray
    span: np.ndarray
    distance: np.ndarray
    climb: np.ndarray
    avg_hr: np.ndarray
    max_hr: np.ndarray
    limit: np.ndarray
    too_fast: np.ndarray
    too_fast_own: np.ndarray
    slow: np.ndarray
    bad_hr: np.ndarray
    steep: np.ndarray
    too_long: np.ndarray


def _tests(tl: pd.DataFrame, columns: dict[str, np.ndarray] | None = None) -> _Tests:
    """Every test of :func:`check` on the rows of ``tl``, in its order (vectorised);
    ``columns``: its columns as arrays, when read already."""
    c = columns if columns is not None else {
        **{k: tl[k].to_numpy(float) for k in ("duration_s", "elapsed_s", "distance_m",
                                              "elevation_gain_m", "avg_hr", "max_hr")},
        "is_run": tl["is_run"].to_numpy(bool), "sport": tl["sport"].to_numpy(object),
        "start_utc": tl["start_utc"].to_numpy("datetime64[ns]")}
    elapsed = c["elapsed_s"]
    duration = np.where(np.isnan(c["duration_s"]), elapsed, c["duration_s"])
    distance = c["distance_m"]
    climb = c["elevation_gain_m"]
    avg_hr, max_hr = c["avg_hr"], c["max_hr"]
    is_run = c["is_run"]
    sport = c["sport"]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        span = np.fmax(elapsed, duration)
        too_long = span > MAX_ACTIVITY_S
        speed = distance / duration
        measured = (distance >= MIN_DISTANCE_M) & (duration > 0)
        on_foot = np.isin(sport, ["run", "walk", "hike"])
        limit = np.full(len(tl), np.nan)
        limit[on_foot] = record_speed(np.nan_to_num(duration[on_foot], nan=1.0)) * RECORD_MARGIN
        limit[(sport == "ride") & (duration >= 3600)] = RIDE_HOUR_RECORD_MPS * RECORD_MARGIN
        limit[(sport == "swim") & (duration >= 60)] = SWIM_RECORD_MPS * RECORD_MARGIN
        too_fast = measured & (speed > limit)
        runs = is_run & measured & ~too_fast & ~too_long
        own = np.full(len(tl), np.nan)
        starts = c["start_utc"]
        own[runs] = _own_history_limit(starts[runs], speed[runs], duration[runs])
        too_fast_own = runs & (_normalised(speed, duration) > own)
        slow = is_run & measured & (duration >= SLOW_MIN_S) & (speed < WALK_SPEED)
        lo, hi = HR_RANGE
        bad_hr = np.zeros(len(tl), dtype=bool)
        for hr in (avg_hr, max_hr):
            bad_hr |= ~np.isnan(hr) & ((hr < lo) | (hr > hi))
        steep = (distance >= MIN_DISTANCE_M) & (climb > MAX_CLIMB_PER_M * distance)
    return _Tests(speed, duration, span, distance, climb, avg_hr, max_hr, limit, too_fast,
                  too_fast_own, slow, bad_hr, steep, too_long)


def _flagged(t: _Tests) -> np.ndarray:
    return t.too_fast | t.too_fast_own | t.slow | t.bad_hr | t.steep | t.too_long


def implausible(timeline: pd.DataFrame, confirmed: frozenset[str] = frozenset()) -> np.ndarray:
    """Which rows :func:`check` would list, as a mask in the rows' own order.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``, in any order (not yet deduplicated, too).
    confirmed : frozenset of str
        Activity ids the athlete confirmed: never implausible.

    Returns
    -------
    numpy.ndarray of bool
    """
    if timeline.empty:
        return np.zeros(0, dtype=bool)
    out = _flagged(_tests(timeline))
    if confirmed and out.any():
        out &= ~np.isin(timeline["activity_id"].to_numpy(object), list(confirmed))
    return out


@cache
def _nothing_to_check() -> pd.DataFrame:
    """The empty result, with the columns and dtypes of a full one (built once): the
    timeline's (``date`` is its ``local_date``), spelt out here because the timeline sits
    above this module (its de-duplication asks here first)."""
    types = {"activity_id": "string", "date": "datetime64[ns]", "sport": "string", "name": "string",
             "path": "string", "reason": object}
    return pd.DataFrame({c: pd.Series(dtype=types[c]) for c in DATA_TO_CHECK_COLUMNS})


def _start_order(tl: pd.DataFrame, start: np.ndarray | None = None) -> np.ndarray | None:
    """Positions putting ``tl`` in (start, activity id) order; None when already so
    (``start``: its ``start_utc`` as ``datetime64[ns]``, when read already)."""
    start = (tl["start_utc"].to_numpy("datetime64[ns]") if start is None
             else start).astype(np.int64)
    step = np.diff(start)
    if (step > 0).all():
        return None
    ids = tl["activity_id"].to_numpy(object)
    if (step >= 0).all() and all(ids[i] <= ids[i + 1] for i in np.flatnonzero(step == 0).tolist()):
        return None
    return np.lexsort((ids.astype(str), start))


def _normalised(speed, duration):
    """Speed scaled to a one-hour effort (Riegel). [m/s]"""
    return speed * (duration / 3600.0) ** RIEGEL_EXPONENT


def _own_history_limit(start: np.ndarray, speed: np.ndarray, duration: np.ndarray) -> np.ndarray:
    """Per run: OWN_MARGIN x the 95th percentile of the earlier runs' normalised speed."""
    if not len(speed):
        return np.full(0, np.nan)
    v = _normalised(speed, duration)
    order = np.argsort(start, kind="stable")
    q = pd.Series(v[order]).expanding(min_periods=OWN_MIN_RUNS).quantile(0.95).to_numpy()
    # Each run against the runs before it: the quantiles moved one run on by hand, as a
    # Series.shift costs half as much again as the quantiles.
    earlier = np.concatenate([[np.nan], q[:-1]])
    out = np.empty(len(order))
    out[order] = earlier * OWN_MARGIN
    return out


MAX_SHOWN = 1e6
"""Figures in a reason are written in full up to this; larger ones (a read error, such as
a distance of 1e308 m) as "over 1,000,000", so no line holds hundreds of digits. [-]"""


def _quantity(value: float, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals, or "over 1,000,000" beyond :data:`MAX_SHOWN`.

    >>> _quantity(12.34, 1), _quantity(1e308), _quantity(float("inf"))
    ('12.3', 'over 1,000,000', 'over 1,000,000')
    """
    if not abs(value) <= MAX_SHOWN:
        return f"over {MAX_SHOWN:,.0f}"
    return f"{value:.{decimals}f}"


def _kmh(mps: float) -> str:
    """A speed in km/h for a reason: "30.0 km/h", or "over 1,000,000 km/h"."""
    return f"{_quantity(float(mps) * 3.6, 1)} km/h"  # a Python float: no overflow warning


def _hours(seconds: float) -> str:
    if not seconds <= MAX_SHOWN * 3600:
        return f"over {MAX_SHOWN:,.0f} h"
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}h{minutes % 60:02d}"


def _span_text(seconds: float) -> str:
    """A long span in words: "46 days", "2 days 3 h"; up to 99 days in full, then "over 99 days"."""
    if not seconds < 100 * 86400.0:
        return "over 99 days"
    days, rest = divmod(float(seconds), 86400.0)
    hours = int(rest // 3600)
    return f"{days:.0f} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")


def _hr_text(avg, peak) -> str:
    values = [v for v in (avg, peak) if pd.notna(v) and not HR_RANGE[0] <= v <= HR_RANGE[1]]
    return " and ".join(_quantity(v) for v in values)
