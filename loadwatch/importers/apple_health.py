"""Apple Health exports: the workouts of ``export.xml`` and their route GPX files.

The Health app's "Export All Health Data" writes ``export.zip`` holding
``apple_health_export/export.xml`` (every sample and workout, often gigabytes),
``apple_health_export/workout-routes/route_<date>.gpx`` (one GPS track per
outdoor workout) and other folders loadwatch does not need. This module streams
``export.xml`` in bounded memory (:func:`read_export`) and keeps only the
``<Workout>`` elements; :mod:`loadwatch.importers.archives` finds the route files
and merges each into its workout (:func:`with_routes`).

What a workout gives (element and attribute names as in the export's own DTD [1]_):

==============================  ==============================================
export                          loadwatch
==============================  ==============================================
``workoutActivityType``         ``sport`` (:data:`HK_SPORTS`; ``HKIndoorWorkout``
                                metadata makes a run a treadmill run)
``startDate``, ``endDate``      ``start_utc`` (the dates carry their offset:
                                ``2023-05-01 07:12:03 +0200``), ``elapsed_s`` =
                                end - start
``HKTimeZone`` entry            ``utc_offset_s`` in that zone (else the date's
                                own offset, which is the exporting phone's)
``duration`` + ``durationUnit`` ``duration_s``
``totalDistance`` + unit        ``distance_m``; newer iOS writes no totalDistance
                                but ``<WorkoutStatistics type="...Distance..."
                                sum=".." unit="..">``, summed instead
``WorkoutStatistics`` HeartRate ``avg_hr`` (average), ``max_hr`` (maximum)
``HKElevationAscended`` entry   ``elevation_gain_m`` (``"4500 cm"``)
``WorkoutRoute/FileReference``  the route GPX, read for what the workout lacks
==============================  ==============================================

Safety: real exports begin with an internal DOCTYPE subset (``<!ELEMENT>`` and
``<!ATTLIST>`` declarations, never entities). The parser (defusedxml) accepts
that subset and refuses any entity definition or external reference: an
``export.xml`` with ``<!ENTITY`` or ``SYSTEM "..."`` is not Apple's and is
refused with one line.

References
----------
.. [1] The export DTD ("HealthKit Export Version: 14") as embedded in iOS's
   HealthToolbox framework, quoted in blacktop/ipsw-diffs
   ``*/DYLIBS/HealthToolbox.md``, GitHub, 2024-2025; an older (version 3) export with
   the same Workout attributes: tdda/applehealthdata ``testdata/export6s3sample.xml``.
.. [2] Apple route files (``creator="Apple Health Export"``, ``<trk><name>Route
   2020-07-29 3:13pm</name>``) and workouts with ``<MetadataEntry key="HKTimeZone"
   value="Europe/London"/>`` as shown in public parsers' documentation and fixtures
   (code search ``creator="Apple Health Export"``), GitHub, 2020-2025.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from loadwatch.importers.base import Activity, ImportFailure, Skip, as_utc, clean, plausible

SOURCE = "apple_health"
"""``Activity.source`` of an Apple Health workout."""

XML_NAME = "export.xml"
ROUTES_FOLDER = "workout-routes"

HK_PREFIX = "HKWorkoutActivityType"

HK_SPORTS = {
    "Running": "run", "Walking": "walk", "Hiking": "hike", "Cycling": "ride",
    "HandCycling": "ride", "Swimming": "swim", "Rowing": "row", "Paddling": "row",
    "CrossCountrySkiing": "ski", "DownhillSkiing": "ski", "Snowboarding": "ski",
    "SnowSports": "ski", "TraditionalStrengthTraining": "strength",
    "FunctionalStrengthTraining": "strength", "HighIntensityIntervalTraining": "strength",
}
"""``HKWorkoutActivityType<Name>`` names with a loadwatch sport; the others (Yoga,
Elliptical, Other, ...) keep their own name and count as ``other``."""

INDOOR_SUB_SPORTS = {"run": "treadmill", "ride": "indoor_cycling", "walk": "indoor_walking",
                     "row": "indoor_rowing"}
"""FIT's sub-sport words for a workout with ``HKIndoorWorkout`` = 1, so that the
timeline treats an indoor run like a treadmill FIT."""

SECONDS_PER = {"ms": 0.001, "s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0,
               "d": 86400.0}
"""HealthKit time units in ``durationUnit``. [s/unit]"""

METRES_PER = {"mm": 0.001, "cm": 0.01, "m": 1.0, "km": 1000.0, "in": 0.0254, "ft": 0.3048,
              "yd": 0.9144, "mi": 1609.344}
"""HealthKit length units in ``totalDistanceUnit``, statistics and metadata (international
yard and pound definitions for in/ft/yd/mi). [m/unit]"""

HR_UNITS = {"count/min", "count/s"}
"""Heart-rate units; ``count/s`` is scaled by 60. [1/min]"""

ROUTE_MATCH_SLACK_S = 60
"""A route file no workout names belongs to the workout it starts within, give or take
this much (exports before WorkoutRoute links existed). [s]"""

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})")
_QUANTITY = re.compile(r"\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([A-Za-z/]+)\s*")


@dataclass
class Workout:
    """One ``<Workout>``: the record and the route files it names (export-relative)."""

    activity: Activity
    routes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"activity": self.activity.to_json(), "routes": list(self.routes)}

    @classmethod
    def from_json(cls, d: dict) -> Workout:
        return cls(Activity.from_json(d["activity"]), list(d["routes"]))


@dataclass
class ExportRead:
    """The workouts of one ``export.xml`` and what went wrong reading it."""

    workouts: list[Workout]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"workouts": [w.to_json() for w in self.workouts], "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, d: dict) -> ExportRead:
        return cls([Workout.from_json(w) for w in d["workouts"]], list(d["warnings"]))


class _Counting:
    """A binary stream that reports how many bytes have been read."""

    def __init__(self, raw: BinaryIO, progress: Callable[[int], None] | None):
        self.raw = raw
        self.progress = progress

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n)
        if self.progress is not None and chunk:
            self.progress(len(chunk))
        return chunk


def _parser() -> SafeET.DefusedXMLParser:
    """defusedxml's parser: the DOCTYPE subset allowed, entities and external DTDs refused."""
    parser = SafeET.DefusedXMLParser(target=ET.TreeBuilder(), forbid_dtd=False,
                                     forbid_entities=True, forbid_external=True)

    def doctype(name, sysid, pubid, has_internal_subset):
        if sysid or pubid:
            raise ImportFailure(f"refused unsafe XML: the DOCTYPE refers to an external DTD "
                                f"({sysid or pubid!r}), which Apple Health exports never do")

    parser.parser.StartDoctypeDeclHandler = doctype
    return parser


def read_export(stream: BinaryIO, path: str, progress: Callable[[int], None] | None = None,
                ) -> ExportRead:
    """Stream an Apple Health ``export.xml`` and return its workouts.

    Parameters
    ----------
    stream : binary file
        The XML, read sequentially in chunks (a file or a zip member).
    path : str
        The file's name for messages and records (``.../export.xml``).
    progress : callable, optional
        Called with the number of bytes of each chunk read, for a progress bar.

    Returns
    -------
    ExportRead
        One :class:`Workout` per ``<Workout>`` with a plausible start, in file order;
        ``warnings`` says what could not be read (a broken file keeps the workouts
        before the break).

    Raises
    ------
    Skip
        Well-formed XML whose root is not ``<HealthData>``.
    ImportFailure
        Unsafe XML (entity definitions, external references), or broken before any
        ``<HealthData>``.

    Notes
    -----
    Memory stays bounded by the largest single top-level element: each child of the
    root is dropped (``root.clear()``) as soon as it ends, and only the few fields of
    a workout are kept.
    """
    workouts: list[Workout] = []
    warnings: list[str] = []
    root = None
    depth = 0
    seen: dict[datetime, int] = {}
    try:
        for event, el in SafeET.iterparse(_Counting(stream, progress), events=("start", "end"),
                                          parser=_parser()):
            if event == "start":
                depth += 1
                if root is None:
                    root = el
                    if _local(el.tag) != "HealthData":
                        raise Skip(f"an XML file whose root is <{_local(el.tag)}>, "
                                   "not an Apple Health export")
                continue
            depth -= 1
            if depth != 1:
                continue
            if el.tag == "Workout":
                workout = _workout(el, path, len(workouts) + 1, seen, warnings)
                if workout is not None:
                    workouts.append(workout)
            root.clear()
    except DefusedXmlException as exc:
        raise ImportFailure(f"refused unsafe XML: {_unsafe(exc)}") from exc
    except SafeET.ParseError as exc:
        if root is None:
            raise ImportFailure(f"not well-formed XML ({exc})") from exc
        warnings.append(f"export.xml is broken ({exc}); read the {len(workouts)} workouts "
                        "before that point")
    return ExportRead(workouts, warnings)


def _unsafe(exc: DefusedXmlException) -> str:
    kind = type(exc).__name__
    if kind == "EntitiesForbidden":
        return (f"it defines the entity {getattr(exc, 'name', '?')!r} "
                "(Apple Health exports define none)")
    if kind == "ExternalReferenceForbidden":
        return f"it refers to an external resource {getattr(exc, 'sysid', '')!r}"
    return kind


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_date(text: str | None) -> datetime | None:
    """An export date (``2023-05-01 07:12:03 +0200``) as an aware datetime at its offset.

    >>> parse_date("2023-05-01 07:12:03 +0200").isoformat()
    '2023-05-01T07:12:03+02:00'
    >>> parse_date("yesterday") is None
    True
    """
    m = _DATE.fullmatch((text or "").strip())
    if m is None:
        return None
    day, clock, hours, minutes = m.groups()
    try:
        return datetime.fromisoformat(f"{day}T{clock}{hours}:{minutes}")
    except ValueError:
        return None


def quantity(text: str | None) -> tuple[float, str] | None:
    """``"4500 cm"`` as ``(4500.0, "cm")``; None for anything else.

    >>> quantity("4500 cm"), quantity("21.5 degC"), quantity("n/a")
    ((4500.0, 'cm'), (21.5, 'degC'), None)
    """
    m = _QUANTITY.fullmatch(text or "")
    return (float(m.group(1)), m.group(2)) if m else None


def _scaled(value, unit: str | None, table: dict[str, float]) -> float | None:
    v = clean(value, positive=True)
    scale = table.get((unit or "").strip())
    return None if v is None or scale is None else v * scale


def _workout(el, path: str, ordinal: int, seen: dict[datetime, int],
             warnings: list[str]) -> Workout | None:
    """One ``<Workout>`` element as a :class:`Workout`; None (with a warning) if undated."""
    a = el.attrib
    start = parse_date(a.get("startDate"))
    end = parse_date(a.get("endDate"))
    kind = (a.get("workoutActivityType") or "").strip()
    if start is None or not plausible(as_utc(start)):
        warnings.append(f"workout {ordinal} ({kind or 'no type'}) has no usable startDate "
                        f"({a.get('startDate')!r}); left out")
        return None
    meta, distances, heart = {}, [], {}
    routes: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "MetadataEntry":
            meta[child.get("key")] = child.get("value")
        elif tag == "WorkoutStatistics":
            stat = child.get("type") or ""
            if stat.startswith("HKQuantityTypeIdentifierDistance"):
                distances.append(_scaled(child.get("sum"), child.get("unit"), METRES_PER))
            elif stat == "HKQuantityTypeIdentifierHeartRate":
                heart = dict(child.attrib)
        elif tag == "WorkoutRoute":
            routes += [ref.get("path") for ref in child
                       if _local(ref.tag) == "FileReference" and ref.get("path")]
    name = kind.removeprefix(HK_PREFIX) if kind.startswith(HK_PREFIX) else kind
    sport = HK_SPORTS.get(name, name or None)
    indoor = (meta.get("HKIndoorWorkout") or "").strip() in ("1", "true", "YES")
    distance = _scaled(a.get("totalDistance"), a.get("totalDistanceUnit"), METRES_PER)
    if distance is None and distances and None not in distances:
        distance = clean(sum(distances), positive=True)
    climb = quantity(meta.get("HKElevationAscended"))
    utc = as_utc(start)
    index = seen.get(utc, 0)
    seen[utc] = index + 1
    activity = Activity(
        source=SOURCE,
        path=f"{path}#{ordinal}",
        start_utc=utc,
        sport=sport,
        sub_sport=INDOOR_SUB_SPORTS.get(sport or "") if indoor else None,
        name=f"{name} ({a.get('sourceName')})" if a.get("sourceName") else name or None,
        duration_s=_scaled(a.get("duration"), a.get("durationUnit"), SECONDS_PER),
        elapsed_s=(clean((end - start).total_seconds(), positive=True)
                   if end is not None else None),
        distance_m=distance,
        elevation_gain_m=None if climb is None else _scaled(climb[0], climb[1], METRES_PER),
        avg_hr=_heart_rate(heart.get("average"), heart.get("unit")),
        max_hr=_heart_rate(heart.get("maximum"), heart.get("unit")),
        utc_offset_s=_offset(start, meta.get("HKTimeZone")),
        index=index,
    )
    return Workout(activity, routes)


def _offset(start: datetime, zone_name: str | None) -> int:
    """The workout's UTC offset: from its ``HKTimeZone`` where the watch wrote one, else
    the offset its date is written with. [s]

    The export writes every date at the offset of the phone's zone when it exported,
    so a run abroad carries the home offset; ``HKTimeZone`` names where it was run.

    >>> _offset(parse_date("2023-05-01 07:12:03 +0200"), "America/New_York")
    -14400
    >>> _offset(parse_date("2023-05-01 07:12:03 +0200"), "Mars/Olympus")
    7200
    """
    if zone_name:
        try:
            return int(start.astimezone(ZoneInfo(zone_name.strip())).utcoffset().total_seconds())
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return int(start.utcoffset().total_seconds())


def _heart_rate(value, unit: str | None) -> float | None:
    v = clean(value, positive=True)
    if v is None or unit not in HR_UNITS:
        return None
    return v * 60.0 if unit == "count/s" else v


def end_of(a: Activity) -> datetime | None:
    """When a workout ended (start + elapsed, else + moving time)."""
    span = a.elapsed_s or a.duration_s
    return None if a.start_utc is None or span is None else a.start_utc + timedelta(seconds=span)


def with_routes(workout: Activity, routes: list[Activity]) -> Activity:
    """The workout, with what its route GPX files know and it does not.

    The workout's own figures win (Apple measures distance with the pedometer and
    GPS together); a route gives the distance and climb when the workout has none,
    and its elapsed time when the workout has no end date. The workout's sport is
    never replaced by the route's (Apple's GPX files name no sport).
    """
    if not routes:
        return workout
    distance = clean(sum(r.distance_m or 0.0 for r in routes), positive=True)
    climb = clean(sum(r.elevation_gain_m or 0.0 for r in routes), positive=True)
    elapsed = clean(sum(r.elapsed_s or 0.0 for r in routes), positive=True)
    return replace(
        workout,
        distance_m=workout.distance_m if workout.distance_m is not None else distance,
        elevation_gain_m=(workout.elevation_gain_m if workout.elevation_gain_m is not None
                          else climb),
        elapsed_s=workout.elapsed_s if workout.elapsed_s is not None else elapsed,
        avg_hr=workout.avg_hr if workout.avg_hr is not None else routes[0].avg_hr,
        max_hr=workout.max_hr if workout.max_hr is not None else routes[0].max_hr,
    )


def route_owner(route_start: datetime, workouts: list[Activity]) -> int | None:
    """Index of the workout a route that no workout names belongs to, by time.

    The route must start within the workout (give or take :data:`ROUTE_MATCH_SLACK_S`).
    """
    slack = timedelta(seconds=ROUTE_MATCH_SLACK_S)
    for i, w in enumerate(workouts):
        end = end_of(w)
        if w.start_utc is not None and end is not None and \
                w.start_utc - slack <= route_start <= end + slack:
            return i
    return None
