"""Reading one file through the parse cache, and the worker processes that read ahead.

A :class:`Reader` is one import's state: the cache, the progress bar, the report
it fills, the files the folder walk stat'ed and the outcomes read ahead. For each
file, :meth:`Reader.outcome` takes the cached parse when the size and mtime match,
else reads and hashes the bytes and takes the cached parse of the same bytes (a
touched file), else parses them and queues the outcome for the cache.
:func:`prefetch` parses a folder's cache misses in worker processes first, so a
cold import of many files uses every core.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from loadwatch.fileio import read_regular
from loadwatch.importers.base import Activity, outcome
from loadwatch.importers.cache import Entry, Store, sha256
from loadwatch.importers.detect import MAX_UNCOMPRESSED, read_activity_file
from loadwatch.importers.report import ImportReport
from loadwatch.importers.walk import FolderWalk, Found
from loadwatch.safetext import display_name

CACHE_BATCH = 500
"""Parses queued before they are written to the cache in one transaction: fewer
commits, and an interrupted import keeps what it had read. [files]"""

MAX_FILE_BYTES = MAX_UNCOMPRESSED
"""Largest file read from disk (an activity file, gzipped or not, or activities.csv). [bytes]"""


def read_file(path: Path) -> bytes:
    # Never a FIFO (blocks forever) or a device (/dev/zero never ends), whatever the name.
    return read_regular(path, MAX_FILE_BYTES)


class Reader:
    """Reads files through the cache and keeps the report."""

    def __init__(self, store: Store | None, progress: Callable | None = None):
        self.store = store
        self.progress = progress
        self.report = ImportReport()
        self._pending: list[Entry] = []
        self.workers = 1
        self.found: dict[Path, Found] = {}
        """Files the folder walk stat'ed, by path: not stat'ed or resolved again."""
        self.prefetched: dict[str, Ahead] = {}
        """Outcomes read ahead in worker processes, by cache key (:func:`prefetch`)."""
        self.walked: dict[Path, FolderWalk] = {}
        """Folder walks already made (:func:`loadwatch.importers.walk.scan`), by folder."""

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
        if ahead is not None and ahead.problem is not None:
            return "error", ahead.problem
        if ahead is not None:
            digest = ahead.digest
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
        if ahead is not None and ahead.unchanged:  # the cached parse went meanwhile
            ahead = _parse_one(ahead.path, key, None)
            if ahead.problem is not None:
                return "error", ahead.problem
        self.report.parsed += 1
        if ahead is not None:
            status, payload = ahead.status, ahead.payload
        else:
            status, payload = parse_outcome(parse, data)
        self.keep(key, size, mtime_ns, digest, status, payload)
        return status, payload

    def keep(self, key: str, size: int, mtime_ns: int, digest: str, status: str, payload) -> None:
        """Queue one outcome for the cache (written in batches; nothing without a store)."""
        if self.store is not None:
            self._pending.append(Entry(key, size, mtime_ns, digest, status, payload))
            if len(self._pending) >= CACHE_BATCH:
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
            f"file:{found.real}", found.size, found.mtime_ns, lambda: read_file(path),
            lambda data: read_activity_file(data, str(path)),
        )
        return status, activities_of(status, payload)

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


def activities_of(status: str, payload) -> object:
    """An ``ok`` payload as Activity objects (a cached one is JSON); anything else as it is."""
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
"""Files sent to a worker process at a time. The bar moves as each batch comes back: 64 one-hour
FIT files parse in about 10-50 ms, so it moves many times a second (issue 23's "progress that
tells the truth"); smaller batches cost more in hand-over than they show (16 made a cold import
of 15,000 files about a third slower). [files]"""


@dataclass(frozen=True)
class Ahead:
    """One activity file read ahead in a worker process (:func:`prefetch`).

    Exactly one of three: ``problem`` says why it could not be read; ``unchanged``
    says its bytes hash to the cached parse's (a touched file: that parse serves);
    else ``status`` and ``payload`` are its parse. ``digest`` is the bytes' SHA-256.
    """

    path: str
    digest: str = ""
    problem: str | None = None
    unchanged: bool = False
    status: str = ""
    payload: object = None


@dataclass(frozen=True)
class Job:
    """One file for a worker process: where it is, its cache key, and the SHA-256 of the
    cached parse of a file of its size (None when there is none)."""

    path: str
    key: str
    known_sha: str | None


def _parse_one(path: str, key: str, known_sha: str | None) -> Ahead:
    """Read, hash and parse one activity file (in a worker process)."""
    try:
        data = read_file(Path(path))
    except OSError as exc:
        return Ahead(path, problem=f"cannot read: {exc.strerror or exc}")
    digest = sha256(data)
    if known_sha is not None and digest == known_sha:
        return Ahead(path, digest, unchanged=True)
    status, payload = parse_outcome(lambda d: read_activity_file(d, path), data)
    return Ahead(path, digest, status=status, payload=payload)


def _parse_batch(batch: list[Job]) -> list[tuple[str, Ahead]]:
    return [(job.key, _parse_one(job.path, job.key, job.known_sha)) for job in batch]


class _NoBar:
    def update(self, n: int) -> None:
        pass


NO_BAR = _NoBar()
"""A bar that shows nothing (no progress callback, or a job too small for one)."""


@contextlib.contextmanager
def bar(reader: Reader, label: str, total: int, unit: str = "files") -> Iterator:
    """A progress bar for ``total`` units (:mod:`loadwatch.progress`), or :data:`NO_BAR`."""
    if reader.progress is None or total < 2:
        yield NO_BAR
        return
    with reader.progress(label, total, unit) as shown:
        yield shown


def prefetch(reader: Reader, files: list[Found], progress=NO_BAR) -> set[str]:
    """Parse the activity files the cache misses in worker processes, ahead of the walk.

    The outcomes wait in ``reader.prefetched`` for :meth:`Reader.outcome`, which
    counts, caches and reports them exactly as when it parses a file itself.
    ``progress`` (a bar's ``update``) counts each batch of files as a worker hands it
    back, in the order they finish, so a cold import's bar moves while the workers
    parse, not only after them.

    Returns
    -------
    set of str
        The paths parsed here (already counted on ``progress``).
    """
    store = reader.store
    todo = []
    for f in files:
        key = display_name(f"file:{f.real}")
        row = store.known(key) if store is not None else None
        if row is not None and row.fresh(f.size, f.mtime_ns):
            continue
        same_size_sha = row.sha256 if row is not None and row.size == f.size else None
        todo.append(Job(str(f.path), key, same_size_sha))
    if len(todo) < POOL_MIN_FILES or reader.workers <= 1:
        return set()
    batches = [todo[i:i + POOL_BATCH] for i in range(0, len(todo), POOL_BATCH)]
    done: set[str] = set()
    with ProcessPoolExecutor(max_workers=min(reader.workers, len(batches))) as pool:
        for future in as_completed([pool.submit(_parse_batch, b) for b in batches]):
            results = future.result()
            reader.prefetched.update(results)
            done.update(ahead.path for _, ahead in results)
            progress.update(len(results))
    return done


def ticking(reader: Reader, label: str, items: list, unit: str = "files") -> Iterator:
    """``items``, counted on a progress bar (:mod:`loadwatch.progress`) when there is one."""
    if reader.progress is None or len(items) < 2:
        yield from items
        return
    with reader.progress(label, len(items), unit) as bar:
        for item in items:
            yield item
            bar.update(1)
