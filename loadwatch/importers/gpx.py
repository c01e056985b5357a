"""GPX tracks, read with gpxpy: one :class:`Activity` per file.

A GPX file from a watch, phone app or Strava is one outing, even when GPSBabel
split it into several ``<trk>``. Figures: distance is gpxpy's 2-D length,
elapsed time runs from the first to the last timed point, moving time is
gpxpy's (pauses left out), the climb is gpxpy's uphill, heart rate comes from
Garmin's TrackPointExtension (``gpxtpx:hr``, v1 and v2). A sensor-less
recording writes ``<hr>0</hr>`` on every point: 0 means missing.

Times: the first plausible point time is the start; points without times are
kept for distance; points dated far from all the others (a clock glitch) are
dropped with a warning (:func:`loadwatch.importers.bounds.outliers`). When fewer than half the points carry a time, the times only
say when the outing began: elapsed and moving time are left unknown. A file whose times are all missing or all implausible (a
clock reset to 1901-12-13) cannot be placed on a day and is skipped with that
reason.

Sport: the track's ``<type>`` where it names one; else inferred by
:func:`loadwatch.importers.sports.settle` from the track, metadata and file
names, the ``creator`` app and the speed; else ``unknown``, never a run.
Climbing is summed from the smoothed point elevations
(:func:`loadwatch.importers.bounds.climb`). A file cut short or with trailing
garbage is read as far as it goes (:func:`loadwatch.importers.salvage.salvage_xml`),
with a warning.
"""

from __future__ import annotations

import re

import defusedxml.ElementTree as SafeET
import gpxpy
import gpxpy.gpx
import numpy as np
from defusedxml import DefusedXmlException

from loadwatch.importers import bounds, sports
from loadwatch.importers.base import Activity, ImportFailure, Skip, as_utc, clean, plausible
from loadwatch.importers.salvage import salvage_xml
from loadwatch.importers.xmlguard import safe_xml_bytes

MAX_POINTS = 150_000
"""Most track points read from one GPX file: about 42 h at one point a second (a day-long
ultra at 1 Hz holds 86,400). gpxpy holds every point as objects, about 1.6 KB each
(measured: 244 MB for 150,000 points), so this keeps one file within the 300 MB an
import may take; more is refused before parsing (10^6 points took 2.6 GB). [count]"""

_HR_TAG = re.compile(r"(^|\})hr$")
_TRKPT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?trkpt[\s>/]")
_BAD_FIX = re.compile(rb"<fix>\s*[^<]*?\s*</fix>")
_VALID_FIX = {b"none", b"2d", b"3d", b"dgps", b"pps"}


def _check_xml(data: bytes) -> tuple[bytes, list[str]]:
    """Refuse entity bombs and external entities before gpxpy parses the bytes.

    Returns the bytes to parse (damaged XML salvaged as far as it goes) and the
    warnings of the salvage.
    """
    try:
        SafeET.fromstring(data.lstrip(b"\xef\xbb\xbf").lstrip())
    except DefusedXmlException as exc:
        raise ImportFailure(f"refused unsafe XML ({type(exc).__name__})") from exc
    except SafeET.ParseError as exc:
        salvaged = salvage_xml(data.lstrip(b"\xef\xbb\xbf").lstrip())
        if salvaged is None:
            raise ImportFailure(f"not well-formed GPX: {exc}") from exc
        return salvaged[0], [salvaged[1]]
    return data, []


def _drop_bad_fix(data: bytes) -> bytes:
    """Remove ``<fix>`` values outside the GPX schema, which make gpxpy reject the file."""
    def keep(m: re.Match) -> bytes:
        value = re.sub(rb"</?fix>|\s", b"", m.group(0)).lower()
        return m.group(0) if value in _VALID_FIX else b""
    return _BAD_FIX.sub(keep, data)


def _parse(data: bytes) -> gpxpy.gpx.GPX:
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise ImportFailure(f"not well-formed GPX: {' '.join(str(exc).split())[:160]}") from exc
    except gpxpy.gpx.GPXException as exc:
        cleaned = _drop_bad_fix(data)
        if cleaned != data:
            return _parse(cleaned)
        raise ImportFailure(f"invalid GPX: {' '.join(str(exc).split())[:160]}") from exc


def _heart_rates(gpx: gpxpy.gpx.GPX) -> list[float]:
    """Heart rates of the track points within 25-240 bpm (0 means no sensor)."""
    out = []
    for track in gpx.tracks:
        for seg in track.segments:
            for p in seg.points:
                for ext in p.extensions:
                    for el in ext.iter():
                        if _HR_TAG.search(el.tag or "") and el.text:
                            v = bounds.heart_rate(clean(el.text.strip(), positive=True))
                            if v is not None:
                                out.append(v)
    return out


def _drop_outliers(gpx: gpxpy.gpx.GPX) -> str | None:
    """Remove the points dated far from all the others; a warning if any were."""
    segments = [seg for t in gpx.tracks for seg in t.segments]
    times = np.array([as_utc(p.time).timestamp() if p.time is not None else np.nan
                      for seg in segments for p in seg.points], dtype=float)
    far = bounds.outliers(times)
    if not far.any():
        return None
    i = 0
    for seg in segments:
        keep = ~far[i:i + len(seg.points)]
        i += len(seg.points)
        seg.points = [p for p, k in zip(seg.points, keep, strict=True) if k]
    return bounds.describe_outliers(times[far])


def _drop_off_earth(gpx: gpxpy.gpx.GPX) -> str | None:
    """Remove the points outside latitude ±90° / longitude ±180°; a note if any were.

    They are no positions: old OpenTracks versions mark pauses with points at
    latitude 100 and 200, which gpxpy would measure as thousands of kilometres.
    """
    dropped, example = 0, None
    for track in gpx.tracks:
        for seg in track.segments:
            on = [-90.0 <= p.latitude <= 90.0 and -180.0 <= p.longitude <= 180.0
                  for p in seg.points]
            if not all(on):
                example = example or seg.points[on.index(False)]
                dropped += on.count(False)
                seg.points = [p for p, k in zip(seg.points, on, strict=True) if k]
    if not dropped:
        return None
    return (f"{dropped:,} track point{'s' * (dropped != 1)} outside latitude ±90° / longitude "
            f"±180° (e.g. {example.latitude:g}, {example.longitude:g}: some apps mark pauses so) "
            "are no positions; left them out of distance and times")


def _names(gpx: gpxpy.gpx.GPX, path: str) -> list[str | None]:
    """Track and metadata names, and the file's own name (its extensions off)."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return [t.name for t in gpx.tracks] + [gpx.name, base.split(".", 1)[0]]


def read_gpx(data: bytes, path: str) -> list[Activity]:
    """Read the activity of one GPX file.

    Parameters
    ----------
    data : bytes
        The (uncompressed) file.
    path : str
        Where it came from.

    Returns
    -------
    list of Activity
        One activity (source ``gpx``) with start, distance [m], elapsed and moving
        time [s], climb [m], heart rate [bpm] where the file has them.

    Raises
    ------
    Skip
        No track points, or no usable time on any point.
    ImportFailure
        Broken or unsafe XML, or more than :data:`MAX_POINTS` track points.

    Notes
    -----
    Points outside latitude ±90° / longitude ±180° are no positions (old
    OpenTracks marks pauses at latitude 100 and 200): they are dropped, with a note.
    """
    data = safe_xml_bytes(data, "GPX")
    count = sum(1 for _ in _TRKPT.finditer(data))
    if count > MAX_POINTS:
        raise ImportFailure(f"a GPX file of {count:,} track points is more than loadwatch reads "
                            f"({MAX_POINTS:,}, {MAX_POINTS / 3600:,.0f} h at one a second); refused to bound memory: "
                            "split it, or import the activity as FIT")
    data, warnings = _check_xml(data)
    gpx = _parse(data)
    try:
        return [_activity(gpx, path, warnings)]
    except Skip as exc:
        if warnings:  # damaged, and nothing usable before the damage
            raise ImportFailure(f"not well-formed GPX, nothing readable before the damage: "
                                f"{warnings[0]}") from exc
        raise


def _activity(gpx: gpxpy.gpx.GPX, path: str, warnings: list[str]) -> Activity:
    points = [p for t in gpx.tracks for s in t.segments for p in s.points]
    if not points:
        what = "a route" if gpx.routes else ("waypoints only" if gpx.waypoints else "no track")
        raise Skip(f"a GPX file with {what} and no recorded track, not an activity")
    dropped = [w for w in (_drop_off_earth(gpx), _drop_outliers(gpx)) if w]
    if dropped:
        warnings = [*warnings, *dropped]
        points = [p for t in gpx.tracks for s in t.segments for p in s.points]
        if not points:
            raise Skip("a GPX file whose track points are all outside latitude ±90° / "
                       "longitude ±180°, so no positions, not an activity")
    times = [as_utc(p.time) for p in points if p.time is not None]
    if not times:
        raise Skip("a GPX file without timestamps (a planned route?), so it cannot be placed "
                   "on a day")
    good = [t for t in times if plausible(t)]
    if not good:
        raise Skip(f"GPX timestamps are all implausible ({times[0]:%Y-%m-%d}, a reset clock), "
                   "so it cannot be placed on a day")
    start, end = min(good), max(good)
    # Times on a few points only say when it began, not how long it took.
    timed_enough = len(good) * 2 >= len(points)
    track = gpx.tracks[0] if gpx.tracks else None
    hr = _heart_rates(gpx)
    moving = gpx.get_moving_data() if len(good) > 1 and timed_enough else None
    elevations = np.array([p.elevation if p.elevation is not None else np.nan for p in points],
                          dtype=float)
    distance = clean(gpx.length_2d(), positive=True)
    moving_s = clean(moving.moving_time, positive=True) if moving else None
    elapsed_s = clean((end - start).total_seconds(), positive=True) if timed_enough else None
    climb = clean(bounds.climb(elevations), positive=True)
    stated = next((t.type for t in gpx.tracks if t.type), None)
    sport, evidence, guessed = sports.settle_noted(stated, free_text=True, names=_names(gpx, path), creator=gpx.creator,
                             distance_m=distance, moving_s=moving_s, elapsed_s=elapsed_s,
                             climb_m=climb)
    return Activity(
        source="gpx", path=path, start_utc=start, sport=sport, sport_from=evidence,
        name=(track.name if track is not None and track.name else gpx.name),
        duration_s=moving_s, elapsed_s=elapsed_s, distance_m=distance, elevation_gain_m=climb,
        avg_hr=sum(hr) / len(hr) if hr else None,
        max_hr=max(hr) if hr else None,
        gps=True,
        warnings=[*warnings, *guessed],
    )
