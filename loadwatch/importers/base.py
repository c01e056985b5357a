"""What every importer returns: :class:`Activity` records and two outcomes.

An importer reads the bytes of one file and returns a list of :class:`Activity`
(one per session: a multisport FIT gives several). It raises :class:`Skip` for a
file that is valid but holds no activity (a FIT settings or course file, a GPX
route without times) and :class:`ImportFailure` for a file it cannot read. The
timeline (``loadwatch.timeline``) turns the records into rows; local time is
applied there, not here, so that a cached parse stays valid when ``--tz`` changes.

Units are SI throughout: seconds, metres, beats per minute. A value the file does
not carry is ``None``, never 0.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime

from loadwatch.numbers import parse_number


class Skip(Exception):  # noqa: N818 - an outcome, not an error
    """The file is readable but is not an activity; ``str(exc)`` is the reason."""


class ImportFailure(Exception):
    """The file could not be read; ``str(exc)`` is a one-line reason for the user."""


@dataclass
class Activity:
    """One activity (one session of a file) as an importer read it.

    Attributes
    ----------
    source : str
        ``fit``, ``gpx``, ``tcx``, ``strava_csv``, ``garmin_json`` (a Garmin account
        export's summary), ``apple_health`` (a workout of an Apple Health export) or
        ``intervals`` (an activity ``loadwatch sync`` brought from intervals.icu).
    path : str
        The file it came from (for a zip member, ``archive.zip!member``).
    start_utc : datetime or None
        Start, timezone-aware UTC.
    sport, sub_sport : str or None
        The file's own words; normalised later by :func:`loadwatch.importers.sports.normalise`.
    utc_offset_s : int or None
        The device's own local offset from UTC, where the file carries one (FIT). [s]
    index : int
        Session number within the file, for a stable id.
    external_id : str or None
        An id the source gives (the Strava or Garmin activity id).
    sport_from : str or None
        How ``sport`` was inferred when the file states none usable
        (``names``, ``creator`` or ``speed``, see
        :func:`loadwatch.importers.sports.settle`); None when stated.
    gps : bool or None
        Whether the file carries GPS positions (None: not known, as for a Strava
        CSV row); a recording without them was made indoors or its distance
        was estimated.
    rpe : float or None
        The athlete's rating of perceived exertion of the whole session, 0-10 (a
        Strava ``Perceived Exertion``, a FIT ``workout_rpe`` / 10); None when not
        rated, never 0 for "unknown" (:mod:`loadwatch.rpe`). [CR-10 points]
    gear : str or None
        The shoe (or bike) the athlete named for it, as the source spells it (a Strava
        export's ``Activity Gear``); None: not known.
    warnings : list of str
        What the importer could not read or had to correct in this file (a
        truncated FIT, dropped outliers), one line each without the path; the
        scanner copies them into the import report.
    """

    source: str
    path: str
    start_utc: datetime | None
    sport: str | None = None
    sub_sport: str | None = None
    name: str | None = None
    duration_s: float | None = None
    elapsed_s: float | None = None
    distance_m: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    utc_offset_s: int | None = None
    index: int = 0
    external_id: str | None = None
    sport_from: str | None = None
    gps: bool | None = None
    gear: str | None = None
    warnings: list[str] = field(default_factory=list)
    rpe: float | None = None

    def to_json(self) -> dict:
        """A JSON-ready dict (for the cache); inverse of :meth:`from_json`."""
        d = asdict(self)
        d["start_utc"] = self.start_utc.isoformat() if self.start_utc else None
        return d

    @classmethod
    def from_json(cls, d: dict) -> Activity:
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in known}
        if d.get("start_utc"):
            d["start_utc"] = datetime.fromisoformat(d["start_utc"])
        return cls(**d)


def clean(value, *, positive: bool = False) -> float | None:
    """A float, or None for missing, NaN, infinite or (with ``positive``) <= 0 values.

    Devices write 0 for "no sensor" (``<hr>0</hr>`` on every GPX point, distance 0
    on a treadmill without footpod); ``positive=True`` maps those to missing.
    """
    if value is None:
        return None
    try:
        # Text is read strictly: "8_0" is not 80, "nan" and "inf" are not numbers.
        f = parse_number(value) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):   # OverflowError: a JSON int of 400 digits
        return None
    if math.isnan(f) or math.isinf(f) or (positive and f <= 0):
        return None
    return f


def as_utc(dt: datetime | None) -> datetime | None:
    """``dt`` as aware UTC; a naive datetime is taken to be UTC already."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


# Clocks reset to the 32-bit epoch floor (1901-12-13) or devices without a GPS fix
# (1989/1970) write dates no activity can have.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)


def plausible(dt: datetime | None) -> bool:
    """True when ``dt`` is a believable activity start (after 1990, not in the far future)."""
    return dt is not None and EARLIEST_PLAUSIBLE <= dt <= datetime(2100, 1, 1, tzinfo=UTC)


def outcome(produce) -> tuple[str, object]:
    """``("ok", produce())``, or ``("skip", reason)`` / ``("error", problem)``: one file's fate.

    A parser's own bug on odd input is an error for that file, never the end of an import.
    """
    try:
        return "ok", produce()
    except Skip as exc:
        return "skip", str(exc) or "not an activity"
    except ImportFailure as exc:
        return "error", str(exc) or "unreadable"
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not stop an import
        return "error", f"unexpected {type(exc).__name__} while reading: {exc}"
