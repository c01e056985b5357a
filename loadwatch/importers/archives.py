"""Exports other than Strava's, however the runner points at them.

:mod:`loadwatch.importers.scan` hands these over:

- a ``.zip`` that is not a Strava export (:func:`read_zip`): a Garmin "Export
  Original" zip (``<id>_ACTIVITY.fit``, or a ``.tcx``/``.gpx``), the Garmin account
  export (``DI_CONNECT/.../*_summarizedActivities.json`` and nested
  ``UploadedFiles_*.zip`` of FIT files), an Apple Health ``export.zip``, or any zip
  of activity files. Everything is read in place, nothing is extracted to disk; a
  nested zip is copied to a temporary spool (in memory up to
  :data:`SPOOL_IN_MEMORY`, on disk beyond).
- an Apple Health ``export.xml`` on disk (:func:`read_apple_xml`), alone or in its
  ``apple_health_export/`` folder, with the route files of ``workout-routes/``
  next to it claimed so that the folder walk does not read them a second time.
- a Garmin ``*_summarizedActivities.json`` on disk (:func:`read_summary_json`).

Member names go through the Strava module's checks (no absolute names, no
``..``, the uncompressed size limit), so a crafted zip is refused the same way.
Duplicates (a summary and its FIT file, a Garmin activity also on Strava, a
workout recorded by two apps) are left to :func:`loadwatch.duplicates.dedupe`.
"""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from loadwatch.importers import apple_health, strava_files
from loadwatch.importers.base import Activity, ImportFailure, Skip, outcome
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.garmin import is_summary_name, read_summarized_activities
from loadwatch.importers.intervals import read_intervals
from loadwatch.importers.reader import read_file
from loadwatch.importers.strava_files import (
    CSV_NAME,
    ZIP_READ_ERRORS,
    read_zip_member,
    resolve_in_folder,
    safe_parts,
    zip_members,
)

MAX_NESTING = 2
"""Zips read inside zips, at most this deep: the account export holds ``UploadedFiles``
zips of FIT files, nothing deeper is a real export."""

SPOOL_IN_MEMORY = 32 << 20
"""A nested zip up to this size is unpacked in memory, a larger one to a temporary
file. [bytes]"""

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".bin")
"""Member names (optionally ``.gz``) read as activity files."""

_JUNK_FOLDERS = ("__macosx/",)


@dataclass
class Entry:
    """What happened to one file of an export: ``ok`` (its activities), ``skip`` or ``error``."""

    where: str
    status: str
    payload: object
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        payload = ([a.to_json() for a in self.payload] if self.status == "ok"
                   else self.payload)
        return {"where": self.where, "status": self.status, "payload": payload,
                "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, d: dict) -> Entry:
        payload = d["payload"]
        if d["status"] == "ok":
            payload = [Activity.from_json(a) for a in payload]
        return cls(d["where"], d["status"], payload, tuple(d["warnings"]))


def _record(reader, entries: list[Entry]) -> list[Activity]:
    """Count entries in the report; return their activities."""
    out: list[Activity] = []
    for e in entries:
        reader.report.warnings += [(e.where, w) for w in e.warnings]
        out += reader.record(e.where, e.status, e.payload)
    return out


def _activities(status: str, payload) -> object:
    if status != "ok":
        return payload
    return [a if isinstance(a, Activity) else Activity.from_json(a) for a in payload]


# --------------------------------------------------------------------------- zips


def is_strava_zip(path: Path) -> bool:
    """Whether a zip holds ``activities.csv`` at its top or in one folder (or cannot be
    opened: the Strava reader then names the damage)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = zip_members(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return True
    return any(n.rpartition("/")[2] == CSV_NAME and n.count("/") <= 1 for n in names)


def read_zip(reader, zip_path: Path) -> list[Activity]:
    """Every activity in a zip that is not a Strava export, read in place.

    Files that are neither activities nor exports (photos, the account export's
    thousands of other JSON files) are passed over; a zip with nothing to read is
    an error naming what was looked for.
    """
    try:
        st = zip_path.stat()
        archive = zipfile.ZipFile(zip_path)
    except OSError as exc:
        reader.record(str(zip_path), "error", f"cannot read: {exc.strerror or exc}")
        return []
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        reader.record(str(zip_path), "error", f"damaged or not a zip file ({exc})")
        return []
    with archive:
        entries = _archive_entries(reader, archive, str(zip_path),
                                   f"zip:{zip_path.resolve()}", st.st_mtime_ns, 1, cache=True)
    if not entries:
        reader.record(str(zip_path), "error",
                      "no activity files (.fit, .gpx, .tcx), Garmin activity summaries or "
                      "Apple Health export.xml in the zip")
        return []
    return _record(reader, entries)


def _basename(name: str) -> str:
    return name.rpartition("/")[2]


def _is_junk(name: str) -> bool:
    return name.startswith(_JUNK_FOLDERS) or _basename(name).startswith(".")


def _archive_entries(reader, archive: zipfile.ZipFile, label: str, key: str, mtime_ns: int,
                     depth: int, *, cache: bool) -> list[Entry]:
    """Entries for every readable file of an open zip (Apple export, summaries, nested
    zips, activity files); ``cache`` reads each member through the parse cache."""
    members = {n: i for n, i in zip_members(archive).items() if not _is_junk(n)}
    claimed: set[str] = set()
    entries: list[Entry] = []
    for name in sorted(n for n in members if _basename(n) == apple_health.XML_NAME):
        entries += _apple_in_zip(reader, archive, members, name, label, key, mtime_ns, claimed)
    for name, info in sorted(members.items()):
        if name in claimed:
            continue
        base = _basename(name)
        where = f"{label}!{info.filename}"
        if is_summary_name(base):
            status, payload = _member(reader, archive, info, where, f"{key}!{info.filename}",
                                      mtime_ns, _parse_summary(where), cache)
        elif base.endswith(".zip"):
            if depth >= MAX_NESTING:
                entries.append(Entry(where, "skip", f"a zip nested more than {MAX_NESTING} "
                                     "deep; unzip it to import it"))
            else:
                entries += _nested(reader, archive, info, where, f"{key}!{info.filename}",
                                   mtime_ns, depth)
            continue
        elif base.removesuffix(".gz").endswith(ACTIVITY_SUFFIXES):
            status, payload = _member(reader, archive, info, where, f"{key}!{info.filename}",
                                      mtime_ns, _parse_activity(where), cache)
        else:
            continue
        entries.append(Entry(where, status, _activities(status, payload)))
    return entries


def _parse_activity(where: str) -> Callable[[bytes], list]:
    return lambda data: read_activity_file(data, where)


def _parse_summary(where: str) -> Callable[[bytes], list]:
    return lambda data: [a.to_json() for a in read_summarized_activities(data, where)]


def _member(reader, archive, info, where, key, mtime_ns, parse, cache: bool):
    """``(status, payload)`` of one member, through the cache when ``cache``."""
    if cache:
        try:
            return reader.outcome(key, info.file_size, mtime_ns,
                                  lambda: read_zip_member(archive, info), parse)
        except ImportFailure as exc:
            return "error", str(exc)
    reader.report.parsed += 1
    return outcome(lambda: parse(read_zip_member(archive, info)))


def _spool(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A nested zip member as a seekable file (memory, then disk), within the size limit."""
    if info.file_size > strava_files.MAX_MEMBER_BYTES:
        raise ImportFailure(f"refused {info.filename!r}: {info.file_size:,} bytes uncompressed "
                            f"(more than {strava_files.MAX_MEMBER_BYTES:,}; a zip bomb?)")
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - the caller closes it
    try:
        with archive.open(info) as src:
            copied = 0
            while chunk := src.read(1 << 20):
                copied += len(chunk)
                if copied > strava_files.MAX_MEMBER_BYTES:
                    raise ImportFailure(f"refused {info.filename!r}: it unpacks to more than "
                                        f"{strava_files.MAX_MEMBER_BYTES:,} bytes")
                spool.write(chunk)
        spool.seek(0)
        return spool
    except ZIP_READ_ERRORS as exc:
        spool.close()
        raise ImportFailure(strava_files.zip_read_problem(info, exc)) from exc
    except BaseException:
        spool.close()
        raise


def _nested(reader, archive, info, where: str, key: str, mtime_ns: int,
            depth: int) -> list[Entry]:
    """The entries of a zip inside the zip, cached as one bundle (so that an unchanged
    export is not unpacked again)."""
    bundle_key = f"bundle:{key}"
    if reader.store is not None:
        hit = reader.store.lookup(bundle_key, info.file_size, mtime_ns)
        if hit is not None:
            reader.report.from_cache += 1
            return [Entry.from_json(e) for e in hit.payload]
    try:
        spool = _spool(archive, info)
    except ImportFailure as exc:
        entries = [Entry(where, "error", str(exc))]
    else:
        with spool:
            try:
                inner = zipfile.ZipFile(spool)
            except (zipfile.BadZipFile, EOFError, ValueError) as exc:
                entries = [Entry(where, "error", f"damaged or not a zip file ({exc})")]
            else:
                with inner:
                    entries = _archive_entries(reader, inner, where, key, mtime_ns, depth + 1,
                                               cache=False)
        if not entries:
            entries = [Entry(where, "skip", "a zip without activity files")]
    reader.keep(bundle_key, info.file_size, mtime_ns, "", "ok", [e.to_json() for e in entries])
    return entries


# --------------------------------------------------------------------------- Garmin JSON


def read_summary_json(reader, path: Path) -> list[Activity]:
    """A Garmin ``*_summarizedActivities.json`` on disk (any other JSON is skipped, named)."""
    try:
        st = path.stat()
    except OSError as exc:
        return reader.record(str(path), "error", f"cannot read: {exc.strerror or exc}")
    status, payload = reader.outcome(f"file:{path.resolve()}", st.st_size, st.st_mtime_ns,
                                     path.read_bytes, _parse_summary(str(path)))
    return reader.record(str(path), status, _activities(status, payload))


def read_intervals_json(reader, path: Path) -> list[Activity]:
    """The synced store of intervals.icu activities (:mod:`loadwatch.importers.intervals`),
    through the parse cache like any other file."""
    try:
        st = path.stat()
    except OSError as exc:
        return reader.record(str(path), "error", f"cannot read: {exc.strerror or exc}")
    where = str(path)
    status, payload = reader.outcome(f"file:{path.resolve()}", st.st_size, st.st_mtime_ns,
                                     lambda: read_file(path),
                                     lambda data: [a.to_json() for a in read_intervals(data, where)])
    return reader.record(where, status, _activities(status, payload))


# --------------------------------------------------------------------------- Apple Health


def looks_like_apple_export(path: Path) -> bool:
    """Whether an ``.xml`` file is an Apple Health export (its first 4 KiB name HealthData)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b"<!DOCTYPE HealthData" in head or b"<HealthData" in head


@contextlib.contextmanager
def _bar(reader, label: str, total: int) -> Iterator[Callable[[int], None] | None]:
    if reader.progress is None:
        yield None
        return
    with reader.progress(label, total, "bytes") as bar:
        yield bar.update


def _read_export(reader, key: str, size: int, mtime_ns: int, opener, where: str):
    """``(status, payload)`` of a streamed ``export.xml``, through the cache.

    Not loaded whole: the cache is keyed by name, size and time only (a touched but
    unchanged export is read again), and a miss streams the file.
    """
    if reader.store is not None:
        hit = reader.store.lookup(key, size, mtime_ns)
        if hit is not None:
            reader.report.from_cache += 1
            return hit.status, hit.payload
    reader.report.parsed += 1
    try:
        with opener() as stream, _bar(reader, f"Reading {where}", size) as update:
            status, payload = "ok", apple_health.read_export(stream, where, update).to_json()
    except Skip as exc:
        status, payload = "skip", str(exc)
    except ImportFailure as exc:
        status, payload = "error", str(exc)
    except (OSError, *ZIP_READ_ERRORS) as exc:
        status, payload = "error", f"cannot read: {exc}"
    reader.keep(key, size, mtime_ns, "", status, payload)
    return status, payload


def _link_routes(export: apple_health.ExportRead, where: str,
                 resolve: Callable[[str], str | None], all_routes: list[str],
                 read_route: Callable[[str], tuple[str, str, object]]) -> list[Entry]:
    """Workouts with their routes merged in; routes no workout names go to the workout
    they fall in, else count as activities of their own."""
    workouts = [w.activity for w in export.workouts]
    attached: list[list[Activity]] = [[] for _ in workouts]
    warnings = list(export.warnings)
    entries: list[Entry] = []
    used: set[str] = set()
    for i, w in enumerate(export.workouts):
        for ref in w.routes:
            name = resolve(ref)
            if name is None:
                warnings.append(f"the route {ref} of workout {w.activity.path.rpartition('#')[2]} "
                                "is not in the export; counted from the workout's own figures")
                continue
            if name in used:
                continue
            used.add(name)
            route_where, status, payload = read_route(name)
            if status == "ok" and payload:
                attached[i] += payload
                entries.append(Entry(route_where, "ok", []))
            else:
                problem = payload if status != "ok" else "no track in the file"
                entries.append(Entry(route_where, "error", f"{problem}; its workout counted "
                                     "from the workout's own figures"))
    for name in sorted(set(all_routes) - used):
        route_where, status, payload = read_route(name)
        if status != "ok" or not payload:
            entries.append(Entry(route_where, status if status != "ok" else "skip",
                                 payload if status != "ok" else "no track in the file"))
            continue
        owner = apple_health.route_owner(payload[0].start_utc, workouts)
        if owner is None:
            entries.append(Entry(route_where, "ok", payload))
        else:
            attached[owner] += payload
            entries.append(Entry(route_where, "ok", []))
    merged = [apple_health.with_routes(w, r) for w, r in zip(workouts, attached, strict=True)]
    return [Entry(where, "ok", merged, tuple(warnings)), *entries]


def read_apple_xml(reader, xml_path: Path, claimed: set[Path]) -> list[Activity]:
    """An Apple Health ``export.xml`` on disk and the route files beside it.

    The ``workout-routes`` folder next to the file is read here and its files are
    added to ``claimed``, so that a folder walk does not count them again.
    """
    where = str(xml_path)
    try:
        st = xml_path.stat()
    except OSError as exc:
        return reader.record(where, "error", f"cannot read: {exc.strerror or exc}")
    status, payload = _read_export(reader, f"apple:{xml_path.resolve()}", st.st_size,
                                   st.st_mtime_ns, partial(open, xml_path, "rb"), where)
    if status != "ok":
        return reader.record(where, status, payload)
    routes_dir = next((d for d in _children(xml_path.parent)
                       if d.is_dir() and d.name.casefold() == apple_health.ROUTES_FOLDER), None)
    all_routes = sorted(str(p) for p in routes_dir.rglob("*")
                        if p.is_file() and not p.name.startswith(".")) if routes_dir else []
    claimed.update(Path(p) for p in all_routes)

    def resolve(ref: str) -> str | None:
        found = resolve_in_folder(xml_path, ref.lstrip("/\\"))
        if found is not None:
            claimed.add(found)
        return None if found is None else str(found)

    def read_route(name: str) -> tuple[str, str, object]:
        status, payload = reader.activity_file(Path(name))
        return name, status, payload

    export = apple_health.ExportRead.from_json(payload)
    if not export.workouts and not all_routes:
        return reader.record(where, "skip", "an Apple Health export with no workout in it")
    return _record(reader, _link_routes(export, where, resolve, all_routes, read_route))


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _apple_in_zip(reader, archive, members: dict, xml_name: str, label: str, key: str,
                  mtime_ns: int, claimed: set[str]) -> list[Entry]:
    """An ``export.xml`` inside a zip, with the routes of its folder in the same zip."""
    info = members[xml_name]
    where = f"{label}!{info.filename}"
    folder = xml_name.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    routes_prefix = f"{prefix}{apple_health.ROUTES_FOLDER}/"
    all_routes = [n for n in members if n.startswith(routes_prefix)]
    claimed.update(all_routes)
    claimed.add(xml_name)
    status, payload = _read_export(reader, f"{key}!{info.filename}", info.file_size, mtime_ns,
                                   lambda: archive.open(info), where)
    if status != "ok":
        return [Entry(where, status, payload)]

    def resolve(ref: str) -> str | None:
        parts = safe_parts(ref.lstrip("/\\"))
        if parts is None:
            return None
        name = (prefix + "/".join(parts)).casefold()
        return name if name in members else None

    def read_route(name: str) -> tuple[str, str, object]:
        route = members[name]
        route_where = f"{label}!{route.filename}"
        status, payload = _member(reader, archive, route, route_where,
                                  f"{key}!{route.filename}", mtime_ns,
                                  _parse_activity(route_where), cache=True)
        return route_where, status, _activities(status, payload)

    return _link_routes(apple_health.ExportRead.from_json(payload), where, resolve,
                        all_routes, read_route)
