"""Garmin Connect exports: the account export's activity summaries, and its zips of files.

Garmin gives a runner two kinds of download:

- **Export Original** (one activity): ``<activityId>.zip`` holding the file the
  device uploaded, ``<activityId>_ACTIVITY.fit`` (or a ``.tcx``/``.gpx`` for
  activities uploaded that way). :mod:`loadwatch.importers.archives` reads any
  zip of activity files in place, so these need nothing more.
- **The account export** (Account > Data Management > Export Your Data): a zip
  whose ``DI_CONNECT/DI-Connect-Fitness/<user>_<n>_summarizedActivities.json``
  files summarise every activity, and whose
  ``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_<n>-_Part<k>.zip`` hold the
  uploaded FIT files. This module reads the summaries; the nested zips are read
  like any other zip of activity files, and :func:`loadwatch.duplicates.dedupe`
  keeps a summary and its file once (same start, sport and distance).

The summaries file is shaped ``[{"summarizedActivitiesExport": [ {...}, ... ]}]``.
Per activity (field names as in the export):

==================  ===========================  ==================================
field               unit in the export           loadwatch
==================  ===========================  ==================================
activityId          integer                      ``external_id``
name                text                         ``name``
activityType        type key (``running``), or   ``sport`` (``sportType`` such as
                    ``{"typeKey": ...}``         ``RUNNING`` when the key is unknown)
beginTimestamp,     epoch milliseconds, UTC      ``start_utc``
startTimeGmt
startTimeLocal      epoch milliseconds of the    ``utc_offset_s`` = local - UTC
                    local wall time
duration            milliseconds (timer time)    ``duration_s`` if no movingDuration
movingDuration      milliseconds                 ``duration_s``
elapsedDuration     milliseconds                 ``elapsed_s`` (else ``duration``)
distance            centimetres                  ``distance_m`` = / 100
elevationGain       centimetres                  ``elevation_gain_m`` = / 100
avgHr, maxHr        beats per minute             ``avg_hr``, ``max_hr``
parentId            the multisport activity a    a parent whose legs are listed is
                    leg belongs to               left out (its legs count)
==================  ===========================  ==================================

References
----------
.. [1] J. Langridge, garmin-export-parser, ``src/types/activity.ts`` (the fields of a
   ``summarizedActivitiesExport`` entry) and ``src/parsers/activity-parser.ts``,
   GitHub, 2025.
.. [2] Two further public parsers of the same export (found with the code search for
   ``summarizedActivitiesExport``, 2025) agree on the units: distance and elevation in
   centimetres, durations in milliseconds, times as epoch milliseconds, ``startTimeLocal``
   the local wall time as epoch milliseconds, ``activityType`` a type key string (a
   ``{"typeKey": ...}`` object in the API's JSON), multisport legs carrying ``parentId``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from loadwatch.importers import bounds, ceilings
from loadwatch.importers.base import Activity, ImportFailure, Skip, clean, plausible
from loadwatch.importers.sports import normalise

SOURCE = "garmin_json"
"""``Activity.source`` of a record read from a summarizedActivities file."""

EXPORT_KEY = "summarizedActivitiesExport"

CM_PER_M = 100.0
"""Distances and climbing in the export are centimetres. [cm/m]"""

MS_PER_S = 1000.0
"""Durations and timestamps in the export are milliseconds. [ms/s]"""

MAX_OFFSET_S = 14 * 3600
"""Largest UTC offset in use (UTC+14, Kiribati); a larger local-minus-UTC gap is an
error in the record, and the offset is then left to the athlete's zone. [s]"""

OFFSET_STEP_S = 60
"""Local offsets are whole minutes; the difference of two millisecond clocks is
rounded to this step. [s]"""


def is_summary_name(name: str) -> bool:
    """Whether a file name is one of the export's activity summary files.

    >>> is_summary_name("runner@example.com_0_summarizedActivities.json")
    True
    >>> is_summary_name("activities.json")
    False
    """
    lower = name.lower()
    return lower.endswith(".json") and "summarizedactivities" in lower


def read_summarized_activities(data: bytes, path: str) -> list[Activity]:
    """Read a Garmin ``*_summarizedActivities.json`` into one record per activity.

    Parameters
    ----------
    data : bytes
        The file (UTF-8 JSON).
    path : str
        Where it came from, kept on each record.

    Returns
    -------
    list of Activity
        ``source="garmin_json"``; fields and units as in the module docstring.
        Entries without a plausible start are left out (they cannot be placed on a day),
        named in a warning on the first record; numbers beyond
        :mod:`~loadwatch.importers.ceilings` or the physical bounds
        (:func:`~loadwatch.importers.bounds.bound`) are dropped with a warning.

    Raises
    ------
    Skip
        Valid JSON that is not an activity summary (another file of the export), or
        whose entries all lack a usable start.
    ImportFailure
        Not JSON, or JSON of the right name whose entries are not activity objects.
    """
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailure(f"not valid JSON ({exc})") from exc
    entries = _entries(payload)
    if entries is None:
        raise Skip(f"JSON without '{EXPORT_KEY}': not a Garmin activity summary file")
    if not all(isinstance(e, dict) for e in entries):
        raise ImportFailure(f"'{EXPORT_KEY}' holds something other than activity objects")
    legs_of = {e.get("parentId") for e in entries if e.get("parentId") is not None}
    out: list[Activity] = []
    undated: list[str] = []
    for number, entry in enumerate(entries, start=1):
        if entry.get("activityId") is not None and entry.get("activityId") in legs_of:
            continue
        activity = _activity(entry, path, len(out))
        if activity is not None:
            out.append(activity)
        else:
            undated.append(_entry_name(entry, number))
    if undated:
        # Never left out in silence: the file is skipped, or read with a warning naming them.
        why = (f"no usable start time (beginTimestamp and startTimeGmt missing or not between "
               f"1990 and 2100), so {'it' if len(undated) == 1 else 'they'} cannot be placed on "
               "a day")
        if not out:
            raise Skip(f"{_listed(undated)}: {why}; nothing to read")
        out[0].warnings.append(f"skipped {_listed(undated)}: {why}")
    return out


NAMED_AT_MOST = 5
"""Entries named in one message; the rest are counted. [entries]"""


def _entry_name(entry: dict, number: int) -> str:
    """``activity 123`` (its id, at most 20 characters), else ``entry 4`` (its place)."""
    aid = entry.get("activityId")
    if isinstance(aid, (int, str)) and not isinstance(aid, bool) and len(str(aid)) <= 20:
        return f"activity {aid}"
    return f"entry {number}"


def _listed(names: list[str]) -> str:
    """``activity 1``, ``2 entries (activity 1, activity 2)``, at most NAMED_AT_MOST named."""
    if len(names) == 1:
        return names[0]
    shown = ", ".join(names[:NAMED_AT_MOST])
    more = f" and {len(names) - NAMED_AT_MOST} more" if len(names) > NAMED_AT_MOST else ""
    return f"{len(names)} entries ({shown}{more})"


def _entries(payload) -> list | None:
    """The activity entries of every ``{"summarizedActivitiesExport": [...]}`` block."""
    blocks = payload if isinstance(payload, list) else [payload]
    found = False
    entries: list = []
    for block in blocks:
        if isinstance(block, dict) and EXPORT_KEY in block:
            found = True
            entries += block[EXPORT_KEY] or []
    return entries if found else None


def _activity(entry: dict, path: str, index: int) -> Activity | None:
    start_ms = clean(entry.get("beginTimestamp"))
    if start_ms is None:
        start_ms = clean(entry.get("startTimeGmt"))
    start = _from_ms(start_ms)
    if not plausible(start):
        return None
    activity = Activity(
        source=SOURCE,
        path=path,
        start_utc=start,
        sport=_sport(entry),
        name=(entry.get("name") or None) if isinstance(entry.get("name"), str) else None,
        duration_s=_seconds(entry.get("movingDuration")) or _seconds(entry.get("duration")),
        elapsed_s=_seconds(entry.get("elapsedDuration")) or _seconds(entry.get("duration")),
        distance_m=_metres(entry.get("distance")),
        elevation_gain_m=_metres(entry.get("elevationGain")),
        avg_hr=clean(entry.get("avgHr"), positive=True),
        max_hr=clean(entry.get("maxHr"), positive=True),
        utc_offset_s=_offset(start_ms, clean(entry.get("startTimeLocal"))),
        index=index,
        external_id=None if entry.get("activityId") is None else str(entry["activityId"]),
    )
    # The physical bounds every file gets: a read error of 1e308 cm is dropped, said once.
    return bounds.bound(ceilings.limit(activity))


def _from_ms(ms: float | None) -> datetime | None:
    if ms is None:
        return None
    try:
        return datetime.fromtimestamp(ms / MS_PER_S, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _seconds(ms) -> float | None:
    value = clean(ms, positive=True)
    return None if value is None else value / MS_PER_S


def _metres(cm) -> float | None:
    value = clean(cm, positive=True)
    return None if value is None else value / CM_PER_M


def _offset(utc_ms: float | None, local_ms: float | None) -> int | None:
    """The device's UTC offset: local wall time minus UTC, to the minute. [s]

    >>> _offset(1_653_839_615_000, 1_653_846_815_000)
    7200
    """
    if utc_ms is None or local_ms is None:
        return None
    seconds = (local_ms - utc_ms) / MS_PER_S
    if abs(seconds) > MAX_OFFSET_S:
        return None
    return int(round(seconds / OFFSET_STEP_S)) * OFFSET_STEP_S


def _sport(entry: dict) -> str | None:
    """The activity's type key (``trail_running``), else its ``sportType`` when the key
    is one loadwatch has no name for and the coarser ``sportType`` names a sport with a
    distance (``RUNNING``, ``CYCLING``); ``TRAINING`` says too little to override ``yoga``."""
    kind = entry.get("activityType")
    if isinstance(kind, dict):
        kind = kind.get("typeKey")
    kind = kind if isinstance(kind, str) and kind.strip() else None
    coarse = entry.get("sportType") if isinstance(entry.get("sportType"), str) else None
    if kind is not None and (normalise(kind) != "other" or not coarse):
        return kind
    if coarse and normalise(coarse) not in ("other", "strength"):
        return coarse
    return kind or coarse
