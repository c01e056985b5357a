"""Import files and folders: the one way in, and what each file found is taken for.

:func:`import_paths` takes files and folders, walks each folder once
(:mod:`~loadwatch.importers.walk`), finds Strava exports (a folder or ``.zip``
with ``activities.csv``: :mod:`~loadwatch.importers.exports`), Apple Health and
Garmin exports and other zips (:mod:`~loadwatch.importers.archives`), reads
every activity file by content through the parse cache
(:mod:`~loadwatch.importers.reader`) and returns the records with an
:class:`~loadwatch.importers.report.ImportReport` of what happened to every file.
Files an export names are not read a second time by the folder walk.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from loadwatch.fileio import kind
from loadwatch.importers import archives, unread
from loadwatch.importers.base import Activity
from loadwatch.importers.cache import Store
from loadwatch.importers.detect import sniff
from loadwatch.importers.exports import read_export_csv, read_export_zip
from loadwatch.importers.garmin import is_summary_name
from loadwatch.importers.intervals import WELLNESS_NAME, is_store_name
from loadwatch.importers.reader import Reader, bar, prefetch
from loadwatch.importers.report import ImportReport
from loadwatch.importers.walk import NOT_ACTIVITIES, UNLISTED, FolderWalk, scan
from loadwatch.safetext import display_name

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".bin")
"""Files with these names (optionally ``.gz``) are activities: an unreadable one is an error."""


def import_paths(paths: Iterable[str | os.PathLike], store: Store | None = None,
                 progress: Callable | None = None, *, follow_links: bool = False,
                 workers: int | None = None,
                 walked: dict[Path, FolderWalk] | None = None
                 ) -> tuple[list[Activity], ImportReport]:
    """Read every activity under ``paths`` (files, folders, Strava export folders or zips).

    Parameters
    ----------
    paths : iterable of path
        Files and folders; a file named here is always read (or fails with a reason).
    store : Store, optional
        The parse cache.
    progress : callable, optional
        ``progress(label, total, unit)`` makes a context manager with ``update(n)``
        (:func:`loadwatch.progress.bars`); it counts a folder's files, a Strava
        export's activities and the bytes of an Apple Health ``export.xml``.
    follow_links : bool, default False
        In folders, read files and folders that symbolic links lead to outside the
        folder. By default such links are skipped with a reason: a link to
        ``/dev/zero`` or to someone else's files is not the athlete's data.
    workers : int, optional
        Processes that parse the files the cache misses (default: one per core);
        fewer than :data:`POOL_MIN_FILES` misses are parsed in this process.
    walked : dict, optional
        Folder walks already made by :func:`manifest`, by folder.

    Notes
    -----
    Folder walks read regular files only: a FIFO, device or socket is skipped with
    a reason (opening a FIFO blocks forever, a device may never end), whatever its
    name. Links inside the folder are read as the files they lead to.

    Returns
    -------
    activities : list of Activity
        Not deduplicated; :func:`loadwatch.duplicates.dedupe` does that.
    report : ImportReport
    """
    reader = Reader(store, progress)
    reader.workers = workers or os.cpu_count() or 1
    reader.walked = dict(walked or {})
    activities: list[Activity] = []
    try:
        for p in paths:
            path = Path(p)
            if not path.exists():
                reader.report.errors.append((str(path), "no such file or folder"))
            elif path.is_dir():
                activities += _read_folder(reader, path, follow_links)
            else:
                activities += _read_explicit(reader, path)
    finally:
        reader.flush()
    _displayable(activities, reader.report)
    reader.report.activities = len(activities)
    return activities, reader.report


def _displayable(activities: list[Activity], report: ImportReport) -> None:
    """File names that are not UTF-8 as ``\\xNN`` in paths and messages (in place).

    Python hands such names over with surrogate escapes, which no encoder accepts:
    left in, the first ``print`` or JSON file of them crashes the report.
    """
    for a in activities:
        a.path = display_name(a.path)
    for name in ("skipped", "errors", "warnings"):
        setattr(report, name, [(display_name(p), display_name(m)) for p, m in getattr(report, name)])
    report.notes = [display_name(n) for n in report.notes]


def _read_explicit(reader: Reader, path: Path) -> list[Activity]:
    """A file named on the command line: always counted, whatever its name."""
    lower = path.name.lower()
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return reader.record(str(path), "error", f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return reader.record(str(path), "error", f"{kind(mode)}, not a regular file: not read")
    if lower.endswith(".zip"):
        return read_export_zip(reader, path)
    if fmt := unread.format_of(path):
        return reader.record(str(path), "skip", unread.skip_reason(fmt))
    if lower.endswith(".csv"):
        return read_export_csv(reader, path, set())
    if is_store_name(lower):
        return archives.read_intervals_json(reader, path)
    if lower.endswith(".json"):
        return archives.read_summary_json(reader, path)
    if lower.endswith(".xml") and archives.looks_like_apple_export(path):
        return archives.read_apple_xml(reader, path, set())
    status, payload = reader.activity_file(path)
    return reader.record(str(path), status, payload)


def _read_folder(reader: Reader, root: Path, follow_links: bool = False) -> list[Activity]:
    walk = reader.walked.pop(root, None) or scan(root, follow_links)
    found, skipped = walk.files, walk.skipped
    for path, reason in skipped:
        (reader.report.errors if reason.startswith(UNLISTED) else reader.report.skipped).append(
            (str(path), reason))
    reader.found.update((f.path, f) for f in found)
    files = [f.path for f in found]
    # The bar opens as soon as the folder is walked, before the cache is asked and the workers
    # parse: it counts each file once, as a worker hands it back or as it is read here.
    with bar(reader, f"Reading {root}", len(files)) as progress:
        return _read_found(reader, root, found, files, progress)


def _read_found(reader: Reader, root: Path, found: list, files: list[Path], progress
                ) -> list[Activity]:
    if reader.store is not None:
        reader.store.preload([display_name(f"file:{os.path.realpath(root)}{os.sep}")])
    counted = prefetch(reader, [f for f in found if f.path.name.lower().removesuffix(
        ".gz").endswith(ACTIVITY_SUFFIXES)], progress)
    claimed: set[Path] = set()
    activities: list[Activity] = []
    for f in files:
        if f.name.lower() == "activities.csv":
            activities += read_export_csv(reader, f, claimed)
        elif f.name.lower().endswith(".xml") and archives.looks_like_apple_export(f):
            claimed.add(f)
            activities += archives.read_apple_xml(reader, f, claimed)
    for f in files:
        activities += _read_one(reader, f, claimed)
        if str(f) not in counted:
            progress.update(1)
    return activities


def _read_one(reader: Reader, f: Path, claimed: set[Path]) -> list[Activity]:
    """One file of a folder walk, by its name (or its content, for other names)."""
    lower = f.name.lower()
    if f in claimed or lower == "activities.csv" or lower in NOT_ACTIVITIES:
        return []
    if lower.endswith(".zip"):
        return read_export_zip(reader, f)
    if is_summary_name(lower):
        return archives.read_summary_json(reader, f)
    if is_store_name(lower):
        return archives.read_intervals_json(reader, f)
    if lower == WELLNESS_NAME:
        return []    # the synced wellness days: context (loadwatch.wellness), not activities
    if lower.removesuffix(".gz").endswith(ACTIVITY_SUFFIXES) or _looks_like_activity(f):
        status, payload = reader.activity_file(f)
        return reader.record(str(f), status, payload)
    if lower == "export.xml" or lower.endswith(".json"):
        reader.report.notes.append(f"{f}: {_not_read(lower)}; left out")
    elif fmt := unread.format_of(f):
        reader.record(str(f), "skip", unread.skip_reason(fmt))
    return []


def _not_read(lower_name: str) -> str:
    """Why a file named like an export that holds activities was not read."""
    if lower_name == "export.xml":
        return "named like an Apple Health export but not one (no <HealthData> root)"
    return ("a JSON file that is not a Garmin Connect summary of activities "
            "(*_summarizedActivities.json)")


def _looks_like_activity(path: Path) -> bool:
    """Whether a file with another name is FIT, GPX or TCX by content (first 4 KiB)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as fh:
                head = fh.read(4096)
    except (OSError, EOFError, zlib.error):
        return False
    return sniff(head) in ("fit", "gpx", "tcx")
