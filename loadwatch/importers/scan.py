"""Walk files, folders and Strava exports; read each file once, through the cache.

:func:`import_paths` is the one way in: it takes files and folders, finds Strava
exports (a folder or ``.zip`` with ``activities.csv``), reads every activity file
by content (:func:`loadwatch.importers.detect.read_activity_file`) and returns the
records with an :class:`ImportReport` of what happened to every file.

A Strava row that names a file is read from that file (richer data); when the
file is missing or unreadable the row's own summary is used and the problem is
reported. Rows with no file (manual entries) count too. Files the CSV names are
not read a second time by the folder walk.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loadwatch.fileio import kind, read_regular
from loadwatch.importers import unread
from loadwatch.importers.base import Activity, ImportFailure, outcome
from loadwatch.importers.detect import MAX_UNCOMPRESSED, read_activity_file, sniff
from loadwatch.importers.sports import is_guess_note, normalise
from loadwatch.safetext import display_name
from loadwatch.store import PARSER_VERSION as PARSER
from loadwatch.store import Store, sha256

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".bin")
"""Files with these names (optionally ``.gz``) are activities: an unreadable one is an error."""

NOT_ACTIVITIES = {"loadwatch.toml", "pain.csv"}
"""loadwatch's own files in an athlete folder."""

MAX_FILE_BYTES = MAX_UNCOMPRESSED
"""Largest file read from disk (an activity file, gzipped or not, or activities.csv). [bytes]"""

NOT_FOLLOWED = "a link to outside the folder, not followed (--follow-links reads it)"

UNLISTED = "cannot read the folder"
"""How the reason for a folder that cannot be listed begins: its files are unknown, so
the import is incomplete (an error, exit 1), and the import is not cached ("cannot read")."""


def _read_file(path: Path) -> bytes:
    # Never a FIFO (blocks forever) or a device (/dev/zero never ends), whatever the name.
    return read_regular(path, MAX_FILE_BYTES)


@dataclass
class ImportReport:
    """What an import did, file by file.

    ``files_seen`` counts activity files and exports considered; ``parsed`` those
    read now, ``from_cache`` those taken from the cache; ``skipped`` holds
    ``(path, reason)`` for valid files that are not activities; ``errors`` holds
    ``(path, problem)`` for files that failed; ``warnings`` holds ``(path, warning)``
    for files that were read but not whole (damaged, truncated) or read with a
    correction the user should know about; ``duplicates`` holds ``(kept, dropped)``
    paths of second recordings of one activity (filled in by the timeline).
    """

    files_seen: int = 0
    parsed: int = 0
    from_cache: int = 0
    activities: int = 0
    duplicates_dropped: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "parsed": self.parsed,
            "from_cache": self.from_cache,
            "activities": self.activities,
            "duplicates_dropped": self.duplicates_dropped,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "errors": [{"path": p, "error": e} for p, e in self.errors],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
            "notes": list(self.notes),
            "duplicates": [{"kept": k, "dropped": d} for k, d in self.duplicates],
        }

    @classmethod
    def from_json(cls, d: dict) -> ImportReport:
        """The report of :meth:`to_json`."""
        return cls(
            files_seen=d["files_seen"], parsed=d["parsed"], from_cache=d["from_cache"],
            activities=d["activities"], duplicates_dropped=d["duplicates_dropped"],
            skipped=[(x["path"], x["reason"]) for x in d["skipped"]],
            errors=[(x["path"], x["error"]) for x in d["errors"]],
            warnings=[(x["path"], x["warning"]) for x in d["warnings"]],
            notes=list(d["notes"]),
            duplicates=[(x["kept"], x["dropped"]) for x in d["duplicates"]])

    def merge(self, other: ImportReport) -> None:
        for name in ("files_seen", "parsed", "from_cache", "activities", "duplicates_dropped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped += other.skipped
        self.errors += other.errors
        self.warnings += other.warnings
        self.notes += other.notes
        self.duplicates += other.duplicates


class _Reader:
    """Reads files through the cache and keeps the report."""

    def __init__(self, store: Store | None, progress: Callable | None = None):
        self.store = store
        self.progress = progress
        self.report = ImportReport()
        self._pending: list = []
        self.workers = 1
        self.found: dict[Path, Found] = {}
        """Files the folder walk stat'ed, by path: not stat'ed or resolved again."""
        self.prefetched: dict[str, tuple] = {}
        """Outcomes read ahead in worker processes, by cache key (:func:`_prefetch`)."""
        self.walked: dict[Path, tuple] = {}
        """Folder walks already made (:func:`scan`), by folder."""

    def outcome(self, key: str, size: int, mtime_ns: int, load: Callable[[], bytes],
                parse: Callable[[bytes], object]) -> tuple[str, object]:
        """``("ok", payload)``, ``("skip", reason)`` or ``("error", problem)`` for one file."""
        key = display_name(key)  # SQLite takes valid UTF-8 only
        if self.store is not None:
            hit = self.store.lookup(key, size, mtime_ns)
            if hit is not None:
                self.report.from_cache += 1
                return hit.status, hit.payload
        ahead = self.prefetched.pop(key, None)
        if ahead is not None and ahead[0] == "unreadable":
            return "error", ahead[1]
        if ahead is not None:
            digest = ahead[1]
        else:
            try:
                data = load()
            except OSError as exc:
                return "error", f"cannot read: {exc.strerror or exc}"
            digest = sha256(data) if self.store is not None else ""
        if self.store is not None:
            hit = self.store.lookup_hash(key, size, mtime_ns, digest)
            if hit is not None:
                self.report.from_cache += 1
                return hit.status, hit.payload
        if ahead is not None and ahead[0] == "same":  # the cached parse went meanwhile
            ahead = _parse_one(ahead[2], key, None)
        self.report.parsed += 1
        status, payload = ahead[2:] if ahead is not None else parse_outcome(parse, data)
        self.keep(key, size, mtime_ns, digest, status, payload)
        return status, payload

    def keep(self, key: str, size: int, mtime_ns: int, digest: str, status: str, payload) -> None:
        """Queue one outcome for the cache (written in batches; nothing without a store)."""
        if self.store is not None:
            self._pending.append((key, size, mtime_ns, digest, status, payload))
            if len(self._pending) >= 500:
                self.flush()

    def flush(self) -> None:
        if self.store is not None and self._pending:
            self.store.put_many(self._pending)
        self._pending = []

    def activity_file(self, path: Path) -> tuple[str, object]:
        """Outcome of one activity file on disk; ``ok`` payload is a list of Activity."""
        found = self.found.get(path)
        if found is None:
            try:
                st = path.stat()
            except OSError as exc:
                return "error", f"cannot read: {exc.strerror or exc}"
            found = Found(path, st.st_size, st.st_mtime_ns, st.st_mode, str(path.resolve()))
        status, payload = self.outcome(
            f"file:{found.real}", found.size, found.mtime_ns, lambda: _read_file(path),
            lambda data: read_activity_file(data, str(path)),
        )
        return status, _activities(status, payload)

    def warn(self, path: str, activities: list[Activity]) -> None:
        """Report what the importer flagged in one file's activities, each warning once."""
        seen = dict.fromkeys(w for a in activities for w in a.warnings)
        self.report.warnings += [(path, w) for w in seen]

    def record(self, path: str, status: str, payload) -> list[Activity]:
        """Count one file's outcome in the report; return its activities."""
        self.report.files_seen += 1
        if status == "ok":
            self.warn(path, payload)
            return payload
        (self.report.skipped if status == "skip" else self.report.errors).append((path, payload))
        return []


def _activities(status: str, payload) -> object:
    if status != "ok":
        return payload
    return [a if isinstance(a, Activity) else Activity.from_json(a) for a in payload]


def parse_outcome(parse: Callable[[bytes], object], data: bytes) -> tuple[str, object]:
    """``("ok", parse(data))``, or ``("skip", reason)`` / ``("error", problem)``."""
    return outcome(lambda: parse(data))


POOL_MIN_FILES = 64
"""Cache misses below this many are parsed in the importing process: starting worker
processes costs more than it saves. [files]"""
POOL_BATCH = 64
"""Files sent to a worker process at a time. [files]"""


def _parse_one(path: str, key: str, known_sha: str | None) -> tuple:
    """Read, hash and parse one activity file (in a worker process).

    Returns ``("unreadable", problem)``, ``("same", digest, path)`` when the bytes hash
    to ``known_sha`` (a touched file: its cached parse serves), or ``("parsed", digest,
    status, payload)``.
    """
    try:
        data = _read_file(Path(path))
    except OSError as exc:
        return ("unreadable", f"cannot read: {exc.strerror or exc}")
    digest = sha256(data)
    if known_sha is not None and digest == known_sha:
        return ("same", digest, path)
    return ("parsed", digest, *parse_outcome(lambda d: read_activity_file(d, path), data))


def _parse_batch(batch: list[tuple[str, str, str | None]]) -> list[tuple[str, tuple]]:
    return [(key, _parse_one(path, key, sha)) for path, key, sha in batch]


def _prefetch(reader: _Reader, files: list[Found]) -> None:
    """Parse the activity files the cache misses in worker processes, ahead of the walk.

    The outcomes wait in ``reader.prefetched`` for :meth:`_Reader.outcome`, which
    counts, caches and reports them exactly as when it parses a file itself.
    """
    store = reader.store
    todo = []
    for f in files:
        key = display_name(f"file:{f.real}")
        row = store.known(key) if store is not None else None
        if row is not None and row[0] == f.size and row[1] == f.mtime_ns and row[3] == PARSER:
            continue
        same_size_sha = row[2] if row is not None and row[0] == f.size else None
        todo.append((str(f.path), key, same_size_sha))
    if len(todo) < POOL_MIN_FILES or reader.workers <= 1:
        return
    from concurrent.futures import ProcessPoolExecutor

    batches = [todo[i:i + POOL_BATCH] for i in range(0, len(todo), POOL_BATCH)]
    with ProcessPoolExecutor(max_workers=min(reader.workers, len(batches))) as pool:
        for results in pool.map(_parse_batch, batches):
            reader.prefetched.update(results)


def import_paths(paths: Iterable[str | os.PathLike], store: Store | None = None,
                 progress: Callable | None = None, *, follow_links: bool = False,
                 workers: int | None = None, walked: dict | None = None
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
        Not deduplicated; :func:`loadwatch.timeline.dedupe` does that.
    report : ImportReport
    """
    reader = _Reader(store, progress)
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


def manifest(paths: Iterable[str | os.PathLike], follow_links: bool = False
             ) -> tuple[str, str | None, dict[Path, tuple]]:
    """What an import of ``paths`` depends on: ``(spec, digest, walks)``.

    ``spec`` names the import (the absolute paths and ``follow_links``); ``digest``
    hashes every file the folder walks found (path, size, mtime, mode, real path),
    every entry they skipped and why, and the parser version: the same digest
    means the same import, so its result can be taken from the cache
    (:meth:`loadwatch.store.Store.load_import`). ``digest`` is None when a path is
    not a folder (a file named on the command line may name others beside it).
    ``walks`` holds the folder walks, for :func:`import_paths` to reuse.

    Notes
    -----
    loadwatch's own files (``loadwatch.toml``, ``pain.csv``) are left out: the
    import never reads them, and the diary changes every day.
    """
    paths = [Path(p) for p in paths]
    spec = json.dumps(["import", [os.fsdecode(os.path.abspath(p)) for p in paths], follow_links],
                      ensure_ascii=True)
    walks: dict[Path, tuple] = {}
    lines = [f"parser {PARSER}"]
    for path in paths:
        if not path.is_dir():
            return spec, None, walks
        found, skipped = walks[path] = scan(path, follow_links)
        lines += [f"{f.path}\0{f.size}\0{f.mtime_ns}\0{f.mode}\0{f.real}" for f in found
                  if f.path.name.lower() not in NOT_ACTIVITIES]
        lines += [f"skip\0{p}\0{reason}" for p, reason in skipped]
    text = "\n".join(lines)
    return spec, sha256(text.encode("utf-8", "surrogateescape")), walks


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


def _read_explicit(reader: _Reader, path: Path) -> list[Activity]:
    """A file named on the command line: always counted, whatever its name."""
    from loadwatch.importers import archives

    lower = path.name.lower()
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return reader.record(str(path), "error", f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return reader.record(str(path), "error", f"{kind(mode)}, not a regular file: not read")
    if lower.endswith(".zip"):
        return _read_export_zip(reader, path)
    if fmt := unread.format_of(path):
        return reader.record(str(path), "skip", unread.skip_reason(fmt))
    if lower.endswith(".csv"):
        return _read_export_csv(reader, path, set())
    if lower.endswith(".json"):
        return archives.read_summary_json(reader, path)
    if lower.endswith(".xml") and archives.looks_like_apple_export(path):
        return archives.read_apple_xml(reader, path, set())
    status, payload = reader.activity_file(path)
    return reader.record(str(path), status, payload)


def _walk(root: Path, follow_links: bool, skip: Callable[[Path, str], None]) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order, hidden files and folders left out.

    Anything else is passed to ``skip`` with the reason: FIFOs, devices, sockets,
    broken links, and (unless ``follow_links``) links leading outside ``root``.
    """
    files, skipped = scan(root, follow_links)
    for path, reason in skipped:
        skip(path, reason)
    yield from (f.path for f in files)


@dataclass(frozen=True)
class Found:
    """A regular file a folder walk found: its path, its ``stat`` and its real path."""

    path: Path
    size: int
    mtime_ns: int
    mode: int
    real: str


def scan(root: Path, follow_links: bool = False
         ) -> tuple[list[Found], list[tuple[Path, str]]]:
    """Every regular file under ``root`` (stat'ed once) and every entry skipped, with why.

    Returns
    -------
    files : list of Found
        In a stable order: a folder's files by name, then its sub-folders by name.
    skipped : list of (Path, str)
        FIFOs, devices, sockets, broken links, unreadable files and (unless
        ``follow_links``) links leading outside ``root``, in walk order.

    Notes
    -----
    One ``os.scandir`` per folder and one ``stat`` per file: the real path of a file
    is its folder's real path and its name unless the file is a link, so no path is
    resolved per file. Hidden files and folders are left out; with ``follow_links``
    each real folder is walked once (links can make cycles).
    """
    top = os.path.realpath(root)
    files: list[Found] = []
    skipped: list[tuple[Path, str]] = []
    visited: set[tuple[int, int]] = set()

    def walk(folder: Path) -> None:
        if follow_links:
            try:
                st = os.stat(folder)
            except OSError:
                return
            if (st.st_dev, st.st_ino) in visited:
                return
            visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            # Not passed over in silence (os.walk's way): its files are missing from the load.
            skipped.append((folder, f"{UNLISTED} ({exc.strerror or exc}): its files were not "
                                    "imported; make it readable and run again"))
            return
        real_folder = os.path.realpath(folder)
        subdirs = []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            path = folder / e.name
            link = e.is_symlink()
            if is_dir:
                if not follow_links and link:
                    if not _inside(path, Path(top)):
                        skipped.append((path, NOT_FOLLOWED))
                    continue
                subdirs.append(path)
                continue
            try:
                st = e.stat()
            except OSError:
                skipped.append((path, "a broken link, not read" if link else "cannot read it"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append((path, f"{kind(st.st_mode)}, not a regular file: not read"))
                continue
            real = os.path.realpath(path) if link else os.path.join(real_folder, e.name)
            if not follow_links and link and not Path(real).is_relative_to(top):
                skipped.append((path, NOT_FOLLOWED))
                continue
            files.append(Found(path, st.st_size, st.st_mtime_ns, st.st_mode, real))
        for sub in subdirs:
            walk(sub)

    walk(Path(root))
    return files, skipped


def _inside(path: Path, top: Path) -> bool:
    return path.resolve().is_relative_to(top)


def _not_readable(path: Path, top: Path, follow_links: bool) -> str | None:
    """Why a file found in a folder walk is not read, or None to read it."""
    try:
        st = path.stat()
    except OSError:
        return "a broken link, not read" if path.is_symlink() else "cannot read it"
    if not stat.S_ISREG(st.st_mode):
        return f"{kind(st.st_mode)}, not a regular file: not read"
    if not follow_links and path.is_symlink() and not _inside(path, top):
        return NOT_FOLLOWED
    return None


def _read_folder(reader: _Reader, root: Path, follow_links: bool = False) -> list[Activity]:
    from loadwatch.importers import archives
    from loadwatch.importers.garmin import is_summary_name

    found, skipped = reader.walked.pop(root, None) or scan(root, follow_links)
    for path, reason in skipped:
        (reader.report.errors if reason.startswith(UNLISTED) else reader.report.skipped).append(
            (str(path), reason))
    reader.found.update((f.path, f) for f in found)
    files = [f.path for f in found]
    if reader.store is not None:
        reader.store.preload([display_name(f"file:{os.path.realpath(root)}{os.sep}")])
    _prefetch(reader, [f for f in found if f.path.name.lower().removesuffix(".gz").endswith(
        ACTIVITY_SUFFIXES)])
    claimed: set[Path] = set()
    activities: list[Activity] = []
    for f in files:
        if f.name.lower() == "activities.csv":
            activities += _read_export_csv(reader, f, claimed)
        elif f.name.lower().endswith(".xml") and archives.looks_like_apple_export(f):
            claimed.add(f)
            activities += archives.read_apple_xml(reader, f, claimed)
    for f in _ticking(reader, f"Reading {root}", files):
        lower = f.name.lower()
        if f in claimed or lower == "activities.csv" or lower in NOT_ACTIVITIES:
            continue
        if lower.endswith(".zip"):
            activities += _read_export_zip(reader, f)
        elif is_summary_name(lower):
            activities += archives.read_summary_json(reader, f)
        elif lower.removesuffix(".gz").endswith(ACTIVITY_SUFFIXES) or _looks_like_activity(f):
            status, payload = reader.activity_file(f)
            activities += reader.record(str(f), status, payload)
        elif lower == "export.xml" or lower.endswith(".json"):
            reader.report.notes.append(f"{f}: {_not_read(lower)}; left out")
        elif fmt := unread.format_of(f):
            reader.record(str(f), "skip", unread.skip_reason(fmt))
    return activities


def _ticking(reader: _Reader, label: str, items: list, unit: str = "files") -> Iterator:
    """``items``, counted on a progress bar (:mod:`loadwatch.progress`) when there is one."""
    if reader.progress is None or len(items) < 2:
        yield from items
        return
    with reader.progress(label, len(items), unit) as bar:
        for item in items:
            yield item
            bar.update(1)


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


def _read_export_csv(reader: _Reader, csv_path: Path, claimed: set[Path]) -> list[Activity]:
    """A Strava ``activities.csv`` in a folder; the files it names are read next to it."""
    from loadwatch.importers.strava import resolve_in_folder

    done: dict[Path, tuple[str, str, object]] = {}

    def member(filename: str) -> tuple[str, str, object]:
        found = resolve_in_folder(csv_path, filename)
        if found is None:
            return str(csv_path.parent / filename), "missing", "file not found"
        claimed.add(found)
        # Cells that spell one file differently (case, .gz) read it once.
        if found not in done:
            done[found] = (str(found), *reader.activity_file(found))
        return done[found]

    try:
        st = csv_path.stat()
    except OSError as exc:
        reader.record(str(csv_path), "error", f"cannot read: {exc.strerror or exc}")
        return []
    status, payload = reader.outcome(f"csv:{csv_path.resolve()}", st.st_size, st.st_mtime_ns,
                                     lambda: _read_file(csv_path),
                                     lambda d: _parse_csv(d, str(csv_path)))
    return _export_rows(reader, str(csv_path), status, payload, member)


def _read_export_zip(reader: _Reader, zip_path: Path) -> list[Activity]:
    """A Strava export ``.zip``, read in place (any other zip: :mod:`.archives`)."""
    from loadwatch.importers import archives
    from loadwatch.importers.strava import open_export_zip

    if not archives.is_strava_zip(zip_path):
        return archives.read_zip(reader, zip_path)
    try:
        export = open_export_zip(zip_path)
    except ImportFailure as exc:
        reader.record(str(zip_path), "error", str(exc))
        return []
    with export:
        return _read_open_zip(reader, zip_path, export)


def _read_open_zip(reader: _Reader, zip_path: Path, export) -> list[Activity]:
    st = zip_path.stat()
    label = f"{zip_path}!{export.csv_name}"

    done: dict[str, tuple[str, str, object]] = {}

    def member(filename: str) -> tuple[str, str, object]:
        where = f"{zip_path}!{filename}"
        try:
            info = export.member_info(filename)
        except ImportFailure as exc:
            return where, "error", str(exc)
        if info is None:
            return where, "missing", "file not found in the zip"
        # Cells that spell one member differently (case, .gz) read it once.
        if info.filename not in done:
            status, payload = reader.outcome(
                f"zip:{zip_path.resolve()}!{info.filename}", info.file_size, st.st_mtime_ns,
                lambda: export.read(info),
                lambda d: read_activity_file(d, where),
            )
            done[info.filename] = where, status, _activities(status, payload)
        return done[info.filename]

    status, payload = reader.outcome(f"zipcsv:{zip_path.resolve()}", st.st_size, st.st_mtime_ns,
                                     lambda: export.csv_bytes, lambda d: _parse_csv(d, label))
    return _export_rows(reader, label, status, payload, member)


def _parse_csv(data: bytes, path: str) -> dict:
    from loadwatch.importers.strava import read_activities_csv

    result = read_activities_csv(data, path)
    return {
        "rows": [{"activity": r.activity.to_json(), "filename": r.filename, "line": r.line}
                 for r in result.rows],
        "errors": list(result.errors),
    }


def _export_rows(reader: _Reader, csv_label: str, status: str, payload,
                 member: Callable[[str], tuple[str, str, object]]) -> list[Activity]:
    """Activities of an export: each row from its file where it can, else from the row."""
    if status != "ok":
        reader.record(csv_label, status, payload)
        return []
    reader.report.files_seen += 1
    reader.report.errors += [(csv_label, e) for e in payload["errors"]]
    rows = payload["rows"]
    named = [r["filename"] for r in rows if r["filename"]]
    looked_up = {f: member(f) for f in _ticking(reader, f"Reading {csv_label}", named, "activities")}
    if looked_up and all(status == "missing" for _, status, _ in looked_up.values()):
        # activities.csv on its own (the activity files were not kept): its rows are the data.
        reader.report.notes.append(
            f"{csv_label}: none of the {len(looked_up)} activity files it names is here; "
            "used the summaries in the CSV")
        return [Activity.from_json(r["activity"]) for r in rows]
    out: list[Activity] = []
    for row in rows:
        summary = Activity.from_json(row["activity"])
        filename = row["filename"]
        if not filename:
            out.append(summary)
            continue
        where, fstatus, fpayload = looked_up[filename]
        if fstatus != "missing":
            reader.report.files_seen += 1
        if fstatus == "ok" and fpayload:
            acts = _with_row_details(fpayload, summary, row["line"])
            reader.warn(where, acts)
            out += acts
            continue
        if fstatus == "skip":
            reader.report.skipped.append((where, fpayload))
        problem = fpayload if fstatus != "ok" else "no activity in the file"
        reader.report.errors.append(
            (where, f"{problem}; used the summary on line {row['line']} of activities.csv instead"))
        out.append(summary)
    return out


def _with_row_details(file_acts: list[Activity], row: Activity, line: int) -> list[Activity]:
    """The file's records, named as the athlete named them on Strava.

    Where a damaged file (one read with warnings) yields less than its row of
    ``activities.csv`` holds (more than 5% less distance or time), the row's
    distance and times win, and a warning says so.
    """
    first = file_acts[0]
    if row.name:
        first.name = row.name
    # The athlete's own word on Strava beats a vague or inferred sport in the file.
    vague = normalise(first.sport, first.sub_sport) in ("other", "unknown") or first.sport_from
    if vague and row.sport:
        first.sport, first.sport_from = row.sport, None
        first.warnings = [w for w in first.warnings if not is_guess_note(w)]
    first.external_id = row.external_id
    damaged = any(not is_guess_note(w) for w in first.warnings)
    if len(file_acts) == 1 and damaged and _holds_more(row, first):
        first.warnings.append(
            f"line {line} of activities.csv holds more than the damaged file "
            f"({_figures(row)} against {_figures(first)}): used the row's distance and times")
        first.distance_m = row.distance_m or first.distance_m
        first.elapsed_s = row.elapsed_s or first.elapsed_s
        first.duration_s = row.duration_s or first.duration_s
    return file_acts


ROW_WINS_MARGIN = 0.05
"""A Strava row beats a damaged file when its distance or elapsed time is this much
larger (a share of the row's). [unitless]"""


def _holds_more(row: Activity, got: Activity) -> bool:
    for name in ("distance_m", "elapsed_s"):
        want, have = getattr(row, name), getattr(got, name)
        if want and (not have or have < (1 - ROW_WINS_MARGIN) * want):
            return True
    return False


def _figures(a: Activity) -> str:
    km = "no distance" if not a.distance_m else f"{a.distance_m / 1000:.2f} km"
    minutes = "" if not a.elapsed_s else f" in {a.elapsed_s / 60:.0f} min"
    return km + minutes
