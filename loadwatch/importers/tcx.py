"""TCX (Garmin Training Center Database v2), read with a safe XML parser.

One :class:`Activity` per ``<Activity>``: start from ``<Id>`` (UTC), elapsed
time and distance summed over the laps (``TotalTimeSeconds``,
``DistanceMeters``), heart rate time-weighted over the laps'
``AverageHeartRateBpm`` (else the mean of track-point values) and the largest
``MaximumHeartRateBpm``, climb from the track points' positive ``AltitudeMeters``
steps (:func:`loadwatch.importers.bounds.climb`), heart rates within 25-240 bpm.
A treadmill file with laps but no track points reads from its laps. Totals
beyond :mod:`loadwatch.importers.ceilings` (a distance of 1e308 m) are dropped
with a warning.
Strava exports many of these as ``.tcx.gz``, often with leading whitespace.

Sport: the ``Sport`` attribute (Running, Biking); ``Other`` or none is settled by
:func:`loadwatch.importers.sports.settle` from the notes, the file name, the
creator device and the speed. A file cut short or with trailing garbage is read
as far as it goes (:func:`loadwatch.importers.salvage.salvage_xml`), with a warning.
"""

from __future__ import annotations

from datetime import datetime

import defusedxml.ElementTree as SafeET
import numpy as np
from defusedxml import DefusedXmlException

from loadwatch.importers import bounds, ceilings, sports
from loadwatch.importers.base import Activity, ImportFailure, Skip, as_utc, clean, plausible
from loadwatch.importers.salvage import salvage_xml
from loadwatch.importers.xmlguard import safe_xml_bytes


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _child(el, name: str):
    return next((c for c in el if _local(c.tag) == name), None)


def _number(el, name: str) -> float | None:
    c = _child(el, name) if el is not None else None
    if c is not None and _local(c.tag) in ("AverageHeartRateBpm", "MaximumHeartRateBpm"):
        c = _child(c, "Value")
    return clean(c.text.strip(), positive=True) if c is not None and c.text else None


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def read_tcx(data: bytes, path: str) -> list[Activity]:
    """Read the activities of one TCX file.

    Raises
    ------
    Skip
        No ``<Activity>`` in the file (a course or workout file).
    ImportFailure
        Broken or unsafe XML.
    """
    data = safe_xml_bytes(data, "TCX")
    warnings: list[str] = []
    text = data.lstrip(b"\xef\xbb\xbf").lstrip()
    try:
        root = SafeET.fromstring(text)
    except DefusedXmlException as exc:
        raise ImportFailure(f"refused unsafe XML ({type(exc).__name__})") from exc
    except SafeET.ParseError as exc:
        salvaged = salvage_xml(text)
        if salvaged is None:
            raise ImportFailure(f"not well-formed TCX: {exc}") from exc
        try:
            root = SafeET.fromstring(salvaged[0])
        except (DefusedXmlException, SafeET.ParseError):
            raise ImportFailure(f"not well-formed TCX: {exc}") from exc
        warnings.append(salvaged[1])
    activities = [el for el in root.iter() if _local(el.tag) == "Activity"]
    if not activities:
        if warnings:
            raise ImportFailure(f"not well-formed TCX, nothing readable before the damage: "
                                f"{warnings[0]}")
        raise Skip("a TCX file without an Activity (a course or workout), not an activity")
    base = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    out = []
    for index, act in enumerate(activities):
        laps = _children(act, "Lap")
        start = _time(getattr(_child(act, "Id"), "text", None))
        if not plausible(start) and laps:
            start = _time(laps[0].get("StartTime"))
        points = [tp for lap in laps for tp in lap.iter() if _local(tp.tag) == "Trackpoint"]
        lap_time = [_number(lap, "TotalTimeSeconds") for lap in laps]
        lap_dist = [_number(lap, "DistanceMeters") for lap in laps]
        lap_hr = [_number(lap, "AverageHeartRateBpm") for lap in laps]
        lap_max = [_number(lap, "MaximumHeartRateBpm") for lap in laps]
        point_hr = [v for tp in points
                    if (v := bounds.heart_rate(_number(tp, "HeartRateBpm"))) is not None]
        altitudes = np.array([v for tp in points
                              if (v := _number(tp, "AltitudeMeters")) is not None], dtype=float)
        timed = [(t, h) for t, h in zip(lap_time, lap_hr, strict=True) if t and h]
        if timed:
            avg_hr = sum(t * h for t, h in timed) / sum(t for t, _ in timed)
        else:
            avg_hr = sum(point_hr) / len(point_hr) if point_hr else None
        maxima = [m for m in lap_max if m] + point_hr
        total_time = sum(t for t in lap_time if t) or None
        total_dist = sum(d for d in lap_dist if d) or None
        if total_dist is None and points:
            total_dist = max((v for tp in points if (v := _number(tp, "DistanceMeters"))),
                             default=None)
        climb = bounds.climb(altitudes)
        notes = getattr(_child(act, "Notes"), "text", None)
        creator = _child(act, "Creator")
        a = ceilings.limit(Activity(
            source="tcx", path=path, start_utc=start if plausible(start) else None,
            name=None, duration_s=total_time, elapsed_s=total_time,
            distance_m=total_dist, elevation_gain_m=climb, avg_hr=avg_hr,
            max_hr=max(maxima) if maxima else None, index=index, warnings=list(warnings),
            gps=any(_local(el.tag) == "Position" for tp in points for el in tp),
        ))
        # The sport is settled from the figures within ceilings: a read error is no speed.
        a.sport, a.sport_from, guessed = sports.settle_noted(
            act.get("Sport"), names=[notes, base.split(".", 1)[0]],
            creator=getattr(_child(creator, "Name"), "text", None) if creator is not None else None,
            distance_m=a.distance_m, moving_s=a.duration_s, climb_m=a.elevation_gain_m)
        a.warnings.extend(guessed)
        out.append(a)
    return out
