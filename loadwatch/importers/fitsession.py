"""FIT sessions as activities: their figures, completed from the records where needed.

A :class:`Summary` is one session's figures in SI units (its start in raw FIT
seconds). A complete session (start, elapsed time and distance, consistent) is
taken as the device wrote it; an incomplete one, or one whose timer time beats
its elapsed time, is completed from the records of its time span
(:func:`complete_from_records`: distance by :func:`track_distance`, climb, heart
rate), with a note where the session contradicted itself. Nothing here knows
how the file was decoded.

Conventions: FIT ``date_time`` values count seconds from 1989-12-31 00:00:00
UTC; values below ``0x10000000`` count seconds since the device was switched
on, are comparable within the file but are not dates [1]_.

References
----------
.. [1] Garmin, "FIT Protocol" and "FIT SDK Profile" (``Profile.xlsx``, types
   ``date_time``, ``local_date_time``, ``file``, ``sport``), FIT SDK 21,
   https://developer.garmin.com/fit/protocol/
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from loadwatch.importers import bounds, rpe, sports
from loadwatch.importers.base import Activity, clean, plausible

FIT_EPOCH_UNIX_S = 631065600
"""1989-12-31 00:00:00 UTC, where FIT ``date_time`` counts from, as Unix time. [s]"""


SYSTEM_TIME_LIMIT = 0x10000000
"""FIT ``date_time`` values below this count seconds since the device was switched on. [s]"""


MAX_UTC_OFFSET_S = 14 * 3600
"""Largest local offset from UTC any zone uses (UTC+14, Kiribati; UTC-12 the other way). [s]"""


EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), for the haversine distance between fixes. [m]"""


SEMICIRCLE_DEG = 180.0 / 2**31
"""Degrees per FIT semicircle (positions are signed 32-bit fractions of 180°). [°]"""


RECORDS_BEYOND = 0.01
"""Records reaching past a session's elapsed time by more than this share (plus 2 s
of rounding) mean the session stopped early: its elapsed time runs to the last record."""


RECORD_COLUMNS = ("timestamp", "distance", "position_lat", "position_long", "heart_rate",
                   "enhanced_altitude", "altitude")


RECORD_COLUMN = {name: i for i, name in enumerate(RECORD_COLUMNS)}


_T, _DIST, _LAT, _LON, _HR, _ALT_ENH, _ALT = range(len(RECORD_COLUMNS))


@dataclass(frozen=True)
class Summary:
    """One session's figures; ``start`` is raw FIT seconds, the rest SI units."""

    start: int | None
    sport: str | None = None
    sub_sport: str | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    gps: bool | None = None
    rpe: float | None = None
    """``workout_rpe`` / 10 (:func:`loadwatch.importers.rpe.from_fit`). [CR-10 points]"""

    @property
    def end(self) -> float | None:
        if self.start is None or self.elapsed_s is None:
            return None
        return self.start + self.elapsed_s

    @property
    def contradicts(self) -> bool:
        """Timer time longer than elapsed time beyond rounding (:func:`timer_beyond`)."""
        return (self.timer_s is not None and self.elapsed_s is not None
                and self.timer_s > timer_beyond(self.elapsed_s))

    @property
    def complete(self) -> bool:
        """Start, elapsed time and distance known and consistent: nothing to take from
        the records."""
        return (plausible(fit_datetime(self.start)) and self.elapsed_s is not None
                and self.distance_m is not None and not self.contradicts)


def timer_beyond(elapsed_s: float) -> float:
    """Timer time past which a session's elapsed time is wrong: the same
    :data:`RECORDS_BEYOND` share plus 2 s of rounding as for records. [s]"""
    return elapsed_s * (1 + RECORDS_BEYOND) + 2


def contradiction_notes(before: list[Summary], after: list[Summary]) -> list[str]:
    """A note per session whose timer time beat its elapsed time (a Zwift file says timer
    2,760 s, elapsed 1,632 s) and what its records made of it."""
    notes = []
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        if not b.contradicts:
            continue
        which = f"session {i + 1}" if len(before) > 1 else "the session"
        said = (f"{which} says {b.elapsed_s:,.0f} s elapsed but {b.timer_s:,.0f} s of timer "
                f"time, which cannot be")
        if a.elapsed_s is not None and a.elapsed_s > b.elapsed_s:
            notes.append(f"{said}; its records run {a.elapsed_s:,.0f} s, taken as the elapsed time")
        else:
            notes.append(f"{said}; its records do not run longer either, so the elapsed time "
                         "stands; check the file's times")
    return notes


def session_activities(summaries: list[Summary], path: str, offset: int | None, creator: str | None,
                warnings: list[str]) -> list[Activity]:
    """One Activity per session, its sport settled from the file where it states none."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    name = base.split(".", 1)[0]
    acts = []
    for i, s in enumerate(summaries):
        sport, evidence, guessed = sports.settle_noted(
            s.sport, s.sub_sport, names=[name], creator=creator, distance_m=s.distance_m,
            moving_s=s.timer_s, elapsed_s=s.elapsed_s, climb_m=s.ascent_m)
        a = _to_activity(replace(s, sport=sport), path, i, offset)
        a.sport_from = evidence
        a.warnings = [*warnings, *guessed]
        acts.append(a)
    return acts


def fit_datetime(raw: float | None) -> datetime | None:
    """A FIT ``date_time`` as aware UTC; None when absent or a device-relative time.

    >>> fit_datetime(1_000_000_000)
    datetime.datetime(2021, 9, 8, 1, 46, 40, tzinfo=datetime.timezone.utc)
    >>> fit_datetime(16_441_241) is None
    True
    """
    if raw is None or not raw >= SYSTEM_TIME_LIMIT:
        return None
    return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + raw, UTC)


def _number(value) -> float | None:
    return clean(value, positive=True) if isinstance(value, int | float) else None


def summary_of(v: dict, sport: str | None, sub_sport: str | None) -> Summary:
    """A session's figures from its field values by profile name (SI units)."""
    start = v.get("start_time")
    return Summary(
        start=start if isinstance(start, int) else None,
        sport=sport,
        sub_sport=sub_sport,
        timer_s=_number(v.get("total_timer_time")),
        elapsed_s=_number(v.get("total_elapsed_time")),
        distance_m=_number(v.get("total_distance")),
        ascent_m=_number(v.get("total_ascent")),
        avg_hr=_number(v.get("avg_heart_rate")),
        max_hr=_number(v.get("max_heart_rate")),
        gps=isinstance(v.get("start_position_lat"), int | float),
        # workout_feel (field 192) is how the athlete felt, not how hard: never read.
        rpe=rpe.from_fit(v.get("workout_rpe")),
    )


def utc_offset(utc, local) -> int | None:
    """``local - utc`` when both are real dates and the difference is a real zone's offset."""
    if not isinstance(utc, int) or not isinstance(local, int) or utc < SYSTEM_TIME_LIMIT:
        return None
    offset = local - utc
    return offset if 0 < abs(offset) <= MAX_UTC_OFFSET_S else None


def _to_activity(s: Summary, path: str, index: int, offset: int | None) -> Activity:
    start = fit_datetime(s.start)
    return Activity(
        source="fit", path=path, start_utc=start if plausible(start) else None,
        sport=s.sport, sub_sport=s.sub_sport, duration_s=s.timer_s, elapsed_s=s.elapsed_s,
        distance_m=s.distance_m, elevation_gain_m=s.ascent_m, avg_hr=s.avg_hr, max_hr=s.max_hr,
        utc_offset_s=offset, index=index, gps=s.gps, rpe=s.rpe,
    )


def _spans(summaries: list[Summary]) -> list[tuple[float, float]]:
    """Each session's time span [raw FIT s]: from its start (else the previous end) to its
    end (else the next start); the last session runs to the last record."""
    spans = []
    for i, s in enumerate(summaries):
        last = i + 1 == len(summaries)
        prev_end = summaries[i - 1].end if i > 0 else None
        next_start = summaries[i + 1].start if not last else None
        lo = s.start if s.start is not None else prev_end
        hi = None if last else (s.end if s.end is not None else next_start)
        spans.append((-math.inf if lo is None else lo, math.inf if hi is None else hi))
    return spans


def complete_from_records(summaries: list[Summary], table: np.ndarray) -> list[Summary]:
    out = []
    for s, (lo, hi) in zip(summaries, _spans(summaries), strict=True):
        if s.complete:
            out.append(s)
            continue
        part = table[(table[:, _T] >= lo) & (table[:, _T] <= hi)]
        out.append(_fill(s, part))
    return out


def _fill(s: Summary, part: np.ndarray) -> Summary:
    """``s`` with what it lacks taken from its records (``part``, sorted by time).

    Start = first record, elapsed = last - first record time (also where the
    session stops before its last record), distance by :func:`track_distance`,
    ascent by :func:`loadwatch.importers.bounds.climb`, heart rate the plain
    mean and the maximum of the record values within 25-240 bpm (a steady 1 Hz
    makes the plain mean the time-weighted one). Timer time stays unknown: only
    the device knows when it was paused.
    """
    if len(part) == 0 or s.complete:
        return s
    t = part[:, _T]
    hr = bounds.heart_rates(part[:, _HR])
    altitude = np.where(np.isnan(part[:, _ALT_ENH]), part[:, _ALT], part[:, _ALT_ENH])
    start = s.start if plausible(fit_datetime(s.start)) else int(t[0])
    span = clean(t[-1] - start, positive=True)
    elapsed = s.elapsed_s
    # Records past the session's end by more than rounding: the session stopped early.
    if span is not None and (elapsed is None or span > timer_beyond(elapsed)):
        elapsed = span
    return replace(
        s,
        start=start,
        elapsed_s=elapsed,
        distance_m=s.distance_m or track_distance(part[:, _DIST], part[:, _LAT], part[:, _LON]),
        ascent_m=s.ascent_m or bounds.climb(altitude),
        avg_hr=s.avg_hr or (clean(hr.mean(), positive=True) if hr.size else None),
        max_hr=s.max_hr or (clean(hr.max(), positive=True) if hr.size else None),
        gps=bool(s.gps or np.any(~np.isnan(part[:, _LAT]) & (part[:, _LAT] != 0))),
    )


def track_distance(distance: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> float | None:
    """Distance covered over a run of records, from their distance or else their positions.

    Parameters
    ----------
    distance : numpy.ndarray
        Cumulative ``record.distance`` in time order, NaN where absent. [m]
    lat, lon : numpy.ndarray
        ``record.position_lat``/``position_long``, NaN where absent. [semicircles]

    Returns
    -------
    float or None
        Distance [m]; None when the records carry neither distance (two values
        at least) nor two fixes, or the result is 0 (a trainer writing 0).

    Notes
    -----
    The device's own cumulative distance wins: d = d_last - d_first. Without
    it, the sum of great-circle legs between consecutive fixes (haversine [1]_,
    R = 6,371,008.8 m) is used; (0, 0) fixes, which some devices write before a
    GPS lock, are dropped. Fixes re-measure GPS noise, so this runs a little
    longer than a device's filtered distance.

    References
    ----------
    .. [1] R. W. Sinnott, "Virtues of the haversine," Sky and Telescope, vol. 68,
       no. 2, p. 159, 1984.

    >>> nan = float("nan")
    >>> track_distance(np.array([nan, 10.0, 510.0]), np.full(3, nan), np.full(3, nan))
    500.0
    """
    d = distance[~np.isnan(distance)]
    if d.size >= 2:
        return clean(d[-1] - d[0], positive=True)
    fix = ~np.isnan(lat) & ~np.isnan(lon) & ((lat != 0) | (lon != 0))
    phi = np.radians(lat[fix] * SEMICIRCLE_DEG)
    lam = np.radians(lon[fix] * SEMICIRCLE_DEG)
    if phi.size < 2:
        return None
    h = (np.sin(np.diff(phi) / 2) ** 2
         + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(np.diff(lam) / 2) ** 2)
    legs = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return clean(legs.sum(), positive=True)
