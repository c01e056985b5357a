"""The synced store: what ``loadwatch sync`` keeps of intervals.icu in the athlete folder.

Two JSON files in the folder ``intervals.icu/`` of the athlete folder, each rewritten
whole and atomically (:func:`loadwatch.fileio.write_atomic`) under its lock
(:func:`loadwatch.fileio.locked`), and only when its content changes (so an unchanged
sync leaves the parse cache's entry valid):

``intervals.icu/intervals-activities.json``::

    {"format": "loadwatch-intervals-sync", "version": 1,
     "service": "https://intervals.icu", "athlete": "i123456",
     "activities": [ {...}, ... ]}

``intervals.icu/intervals-wellness.json``::

    {"format": "loadwatch-intervals-sync", "version": 1,
     "service": "https://intervals.icu", "athlete": "i123456",
     "wellness": [ {...}, ... ]}

Each record is intervals.icu's own object as its API returned it, fields with a
``null`` value left out, nothing renamed or converted: an activity keeps ``id``
(``"i12345"``), ``start_date_local`` (local wall time, ``2026-12-01T07:30:00``),
``start_date`` (UTC, ``...Z``), ``type`` (``Run``, ``TrailRun``, ``Ride``...),
``distance`` [m], ``moving_time`` and ``elapsed_time`` [s], ``total_elevation_gain`` [m],
``average_heartrate`` and ``max_heartrate`` [bpm], ``icu_rpe`` (1-10), ``feel`` (1-5),
``gear`` (``{"id": "g123", "name": ...}``), ``source`` (``GARMIN_CONNECT``, ``STRAVA``...);
a Strava stub (``"source": "STRAVA"`` with ``_note``) is kept as it came. A wellness
record keeps ``id`` (the day, ``2026-12-01``), ``restingHR`` [bpm], ``sleepSecs`` [s],
``soreness``, ``fatigue``, ``stress``, ``mood``, ``motivation``, ``hrv``... Records are
sorted by day, then id, one id once. The activity importer is
:mod:`loadwatch.importers.intervals` (``icu_rpe`` the session's rating, ``gear``'s name the
shoe); wellness is read as context by :mod:`loadwatch.wellness`.

:func:`merge` is the one rule of an update: every record fetched replaces the one of
the same id (or is added); a stored record whose day lies in the window asked for and
that the service no longer lists was deleted there and is removed. Nothing outside
this folder, and no file in it but these two, is ever written or removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loadwatch.fileio import UnsafeTarget, locked, read_regular, write_atomic

FOLDER = "intervals.icu"
"""The sub-folder of the athlete folder that holds the synced store."""
ACTIVITIES_NAME = "intervals-activities.json"
WELLNESS_NAME = "intervals-wellness.json"
FORMAT = "loadwatch-intervals-sync"
VERSION = 1
MAX_STORE_BYTES = 256 << 20
"""Largest store file read: ten years of daily activities is about 30 MB. [bytes]"""


class StoreError(RuntimeError):
    """A store file that cannot be read or written; one line naming it."""


@dataclass(frozen=True)
class Merged:
    """What :func:`merge` made: the new records and how many were added, updated, removed."""

    records: list[dict]
    added: int
    updated: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def day_of(record: dict, field: str) -> str:
    """The ``YYYY-MM-DD`` a record belongs to (its ``field``, a date or date-time), or ``""``."""
    value = record.get(field)
    return value[:10] if isinstance(value, str) else ""


def compact(record: dict) -> dict:
    """The record without its ``null`` fields (the API sends about 180, most of them null)."""
    return {k: v for k, v in record.items() if v is not None}


def merge(stored: list[dict], fetched: list[dict], oldest: date, newest: date,
          day_field: str) -> Merged:
    """The store after a fetch of the days ``oldest`` to ``newest`` (both included).

    Parameters
    ----------
    stored : list of dict
        The records in the store now.
    fetched : list of dict
        What the service listed for the window (records without an ``id`` are ignored).
    oldest, newest : date
        The window asked for.
    day_field : str
        The field that dates a record (``start_date_local``, or ``id`` for wellness).

    Returns
    -------
    Merged
    """
    lo, hi = oldest.isoformat(), newest.isoformat()
    now = {str(r["id"]): compact(r) for r in fetched if r.get("id") not in (None, "")}
    out: dict[str, dict] = {}
    added = updated = removed = 0
    for record in stored:
        key = str(record.get("id"))
        if key in now:
            continue
        if lo <= day_of(record, day_field) <= hi:
            removed += 1     # the service lists this window whole: it was deleted there
            continue
        out[key] = record
    known = {str(r.get("id")): r for r in stored}
    for key, record in now.items():
        if key not in known:
            added += 1
        elif known[key] != record:
            updated += 1
        out[key] = record
    records = sorted(out.values(), key=lambda r: (day_of(r, day_field), str(r.get("id"))))
    return Merged(records, added, updated, removed)


def path_of(folder: Path, name: str) -> Path:
    return folder / FOLDER / name


def read(path: Path, key: str, service: str | None = None,
         athlete: str | None = None) -> list[dict]:
    """The records of a store file (``key``: ``activities`` or ``wellness``); none if absent.

    A store synced from another service or athlete (the settings changed) counts as
    empty: its records are replaced, never mixed with the new athlete's.

    Raises
    ------
    StoreError
        Not a regular file, too large, not JSON, or not a store file.
    """
    try:
        data = read_regular(path, MAX_STORE_BYTES)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the synced store ({exc.strerror or exc})") from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise StoreError(f"{path}: the synced store is not JSON ({exc}); move it away and "
                         "sync again") from None
    if (not isinstance(doc, dict) or doc.get("format") != FORMAT
            or not isinstance(doc.get(key), list)):
        raise StoreError(f"{path}: not a loadwatch synced store (no \"format\": \"{FORMAT}\" "
                         f"with a list \"{key}\"); move it away and sync again")
    if doc.get("version", VERSION) > VERSION:
        raise StoreError(f"{path}: written by a newer loadwatch (version {doc['version']}); "
                         "update loadwatch")
    if (service is not None and doc.get("service") != service) or (
            athlete is not None and doc.get("athlete") != athlete):
        return []
    return [r for r in doc[key] if isinstance(r, dict)]


def holds(path: Path, service: str, athlete: str) -> bool:
    """Whether ``path`` is there and a store of ``service`` and ``athlete``: what a cursor
    describes. A store deleted, moved away or synced for another athlete is not, and the
    cursor must then be ignored (else the next sync would bring back only its last days
    and the history would be gone). A file that cannot be read counts as held:
    :func:`update` names the fault."""
    try:
        doc = json.loads(read_regular(path, MAX_STORE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError, RecursionError):
        return True
    return not (isinstance(doc, dict) and doc.get("format") == FORMAT) or (
        doc.get("service") == service and doc.get("athlete") == athlete)


def render(key: str, records: list[dict], service: str, athlete: str) -> bytes:
    """The bytes of a store file (stable: the same records give the same bytes)."""
    doc = {"format": FORMAT, "version": VERSION, "service": service, "athlete": athlete,
           key: records}
    return (json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def update(path: Path, key: str, fetched: list[dict], oldest: date, newest: date,
           day_field: str, service: str, athlete: str) -> Merged:
    """Merge ``fetched`` into the store file at ``path``, under its lock; written only if changed.

    Raises
    ------
    StoreError
        The file cannot be read or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            stored = read(path, key, service, athlete)
            merged = merge(stored, fetched, oldest, newest, day_field)
            new = render(key, merged.records, service, athlete)
            if (merged.changed or not path.exists()
                    or read_regular(path, MAX_STORE_BYTES) != new):
                write_atomic(path, new)
    except UnsafeTarget as exc:
        raise StoreError(str(exc)) from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot write the synced store "
                         f"({exc.strerror or exc}); nothing there was changed") from None
    return merged
