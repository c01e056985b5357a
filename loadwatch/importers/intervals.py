"""The activities ``loadwatch sync`` brought in from intervals.icu (the synced store).

The file is ``intervals.icu/intervals-activities.json`` in the athlete folder; its
format is :mod:`loadwatch.sync.store`'s (each record is intervals.icu's own activity
object). Fields read, with the units of the intervals.icu API:

=========================  ====================  ====================================
field                      unit                  loadwatch
=========================  ====================  ====================================
id                         text (``i12345``)     ``external_id``; activity id
                                                 ``intervals:<id>``
start_date                 UTC date-time (``Z``) ``start_utc``
start_date_local           local wall time       ``utc_offset_s`` = local - UTC
type                       ``Run``, ``TrailRun``  ``sport`` (normalised by
                           ``Ride``...            :mod:`~loadwatch.importers.sports`)
name                       text                  ``name``
moving_time, elapsed_time  seconds               ``duration_s``, ``elapsed_s``
distance                   metres                ``distance_m``
total_elevation_gain       metres                ``elevation_gain_m``
average_heartrate,         beats per minute      ``avg_hr``, ``max_hr``
max_heartrate
trainer                    true indoors          ``gps`` False (a treadmill or trainer)
=========================  ====================  ====================================

``icu_rpe``, ``feel`` and ``gear`` stay in the file for the columns that will read them.
A Strava stub (``"source": "STRAVA"`` with ``_note``) holds no data: it is counted in
one warning, never read as an activity. The same run's FIT file in the folder is the
same activity: :func:`loadwatch.duplicates.dedupe` keeps it once (the FIT, richer, wins).

References
----------
.. [1] intervals.icu, API documentation (https://intervals.icu/api/v1/docs) and the
   forum's "API access to Intervals.icu" page: HTTP Basic with the user ``API_KEY``,
   ``/api/v1/athlete/{id}/activities?oldest=&newest=``; field names as above, also
   seen in public clients found with the code search (2026).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from loadwatch.importers import bounds, ceilings, rpe
from loadwatch.importers.base import Activity, ImportFailure, Skip, clean, plausible

SOURCE = "intervals"
"""``Activity.source`` of a record read from the synced store."""
FILE_NAME = "intervals-activities.json"
WELLNESS_NAME = "intervals-wellness.json"
"""The store's wellness file: kept, read by no importer yet."""
FORMAT = "loadwatch-intervals-sync"
MAX_OFFSET_S = 14 * 3600
"""Largest UTC offset in use (UTC+14); a larger local-minus-UTC gap is an error in the
record, and the offset is then left to the athlete's zone. [s]"""
OFFSET_STEP_S = 60
"""Offsets are whole minutes; the difference is rounded to this step. [s]"""
STRAVA_WARNING = ("{n} activities reached intervals.icu through Strava and are not available "
                  "through its API: connect the watch to intervals.icu directly, or add the "
                  "Strava export to this folder")


def is_store_name(name: str) -> bool:
    """Whether a file name is the synced store's activities.

    >>> is_store_name("intervals-activities.json"), is_store_name("activities.json")
    (True, False)
    """
    return name.lower() == FILE_NAME


def read_intervals(data: bytes, path: str) -> list[Activity]:
    """The activities of a synced store file.

    Raises
    ------
    Skip
        Valid JSON that is not a loadwatch synced store, or one whose records are all
        Strava stubs or undated (the reason counts them).
    ImportFailure
        Not JSON, or a store whose ``activities`` is not a list of objects.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailure(f"not valid JSON ({exc})") from exc
    except RecursionError:   # nested deeper than the stack ([[[[...): no store of ours
        raise ImportFailure("not a synced store: JSON nested too deep to read") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Skip(f"JSON without \"format\": \"{FORMAT}\": not a store 'loadwatch sync' wrote")
    records = doc.get("activities")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFailure("\"activities\" is not a list of activity objects")
    out: list[Activity] = []
    stubs = undated = 0
    for record in records:
        if str(record.get("source", "")).upper() == "STRAVA" and "_note" in record:
            stubs += 1
            continue
        activity = _activity(record, path, len(out))
        if activity is None:
            undated += 1
        else:
            out.append(activity)
    warnings = []
    if stubs:
        warnings.append(STRAVA_WARNING.format(n=stubs))
    if undated:
        warnings.append(f"{undated} activities without a usable start (start_date) were left "
                        "out: they cannot be placed on a day")
    if warnings and not out:
        # Never left out in silence: with nothing else to carry the warning, the file says it.
        raise Skip("; ".join(warnings))
    if out:
        out[0].warnings += warnings
    return out


def _activity(record: dict, path: str, index: int) -> Activity | None:
    start = _utc(record.get("start_date"))
    if not plausible(start):
        return None
    kind = record.get("type")
    name = record.get("name")
    activity = Activity(
        source=SOURCE,
        path=path,
        start_utc=start,
        sport=kind if isinstance(kind, str) and kind.strip() else None,
        name=name if isinstance(name, str) and name else None,
        duration_s=clean(record.get("moving_time"), positive=True),
        elapsed_s=clean(record.get("elapsed_time"), positive=True),
        distance_m=clean(record.get("distance"), positive=True),
        elevation_gain_m=clean(record.get("total_elevation_gain"), positive=True),
        avg_hr=clean(record.get("average_heartrate"), positive=True),
        max_hr=clean(record.get("max_heartrate"), positive=True),
        utc_offset_s=_offset(start, record.get("start_date_local")),
        index=index,
        external_id=str(record["id"]) if record.get("id") not in (None, "") else None,
        gps=False if record.get("trainer") is True else None,
        rpe=rpe.from_intervals_icu(record),
        gear=_gear(record.get("gear")),
    )
    # The physical bounds every file gets: a wrong number is dropped, said once.
    return bounds.bound(ceilings.limit(activity))


def _gear(gear) -> str | None:
    """The shoe (or bike) of an activity: intervals.icu's ``gear`` is ``{"id", "name"}``.

    >>> _gear({"id": "g42", "name": "Pegasus 41"}), _gear({"id": "g42"}), _gear(None)
    ('Pegasus 41', None, None)
    """
    name = gear.get("name") if isinstance(gear, dict) else None
    return name.strip() or None if isinstance(name, str) else None


def _utc(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)   # the API's start_date is UTC
    return when.astimezone(UTC)


def _offset(start: datetime, local) -> int | None:
    """The athlete's offset at the start: local wall time minus UTC, to the minute. [s]

    >>> _offset(datetime(2026, 6, 1, 5, 0, tzinfo=UTC), "2026-06-01T07:00:00")
    7200
    """
    if not isinstance(local, str):
        return None
    try:
        wall = datetime.fromisoformat(local.replace("Z", ""))
    except ValueError:
        return None
    seconds = (wall.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds()
    if abs(seconds) > MAX_OFFSET_S:
        return None
    return int(round(seconds / OFFSET_STEP_S)) * OFFSET_STEP_S
