"""The embedded SQLite store: the disposable parse cache.

One database file, ``loadwatch.sqlite``, in the cache directory (``--cache-dir``,
else ``LOADWATCH_CACHE``, else the user's cache directory from platformdirs).
The alert state is not here: it lives in its own database in the user's state
folder (:mod:`loadwatch.alerts.state`), since this file may be thrown away.

The ``files`` table caches each file's parse keyed on its path, size, mtime and
content hash (SHA-256): an unchanged file is not read again; a touched file with
the same bytes is not parsed again; a changed file is re-parsed. A parse is
stored with the parser version, so an upgrade re-parses. The activities of an
activity file are rows of the typed ``activities`` table (one per session, a
column per field), not JSON; the summaries of an export (a Strava CSV, a zip) are
one JSON document per export file.

A whole import is cached too (``imports`` and ``import_columns``): keyed on what
was imported, with a digest of every file's path, size, mtime and mode as the
folder walk saw them, it holds the import report and the records as one typed
columnar block (a column per field: numbers as float64/int64 bytes, text as one
JSON array per column). An unchanged folder is then one walk, one comparison and
one read of a few blobs, whatever the number of files
(:func:`loadwatch.importers.scan.import_records`).

The schema version is ``PRAGMA user_version``; a cache from another version is
rebuilt, so an upgrade re-parses. Every write is one transaction, so an
interrupted import leaves the cache usable.

Trouble is of two kinds (:mod:`loadwatch.sqlite_errors`):

- damage (not a database, a malformed page, a failed ``PRAGMA quick_check`` at
  open, a database from another loadwatch version): the cache is rebuilt, with
  a warning;
- a full disk, a read-only file or folder, a lock held too long, an I/O error:
  nothing is deleted; the store records it in :attr:`Store.problem` for the
  caller to report and goes on as an empty, write-nothing cache, so an import
  still completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs

from loadwatch import columns
from loadwatch.sqlite_errors import describe, is_corruption, quick_check

SCHEMA_VERSION = 2
DB_NAME = "loadwatch.sqlite"

PARSER_VERSION = 3
"""Bump when an importer's output changes: cached parses of older versions are redone."""


def cache_dir(option: str | os.PathLike | None = None) -> Path:
    """The cache directory: ``option``, else ``$LOADWATCH_CACHE``, else the user's cache dir."""
    if option:
        return Path(option)
    env = os.environ.get("LOADWATCH_CACHE")
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("loadwatch"))


@dataclass
class CachedParse:
    """A file's cached outcome: ``status`` is ok, skip or error; ``payload`` its JSON."""

    status: str
    payload: object


class Store:
    """The SQLite parse cache. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    directory : path
        Folder for ``loadwatch.sqlite`` (created if needed).
    warn : callable, optional
        Receives one-line warnings: a damaged cache was rebuilt.
    check : bool, default True
        Run ``PRAGMA quick_check`` on opening (it reads the whole file). A squad checks
        once in the parent and opens it unchecked in each athlete's process; damage
        met in use is still found and rebuilt.

    Attributes
    ----------
    problem : str or None
        Why the cache could not be used (a full disk, a lock, a read-only file),
        in one line, else None. The store then answers every lookup with a miss
        and writes nothing; the caller reports it and says so in its exit status.
    busy_timeout : float
        Seconds to wait for another process's write lock before giving up. [s]
    """

    busy_timeout = 30.0

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None,
                 check: bool = True):
        self._known: dict[str, tuple] = {}
        self._known_rows: dict[str, list] = {}
        self._preloaded: list[str] = []
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.warn = warn or (lambda msg: None)
        self.problem: str | None = None
        self.conn: sqlite3.Connection | None = None
        self._rebuilt = False
        self._check = check
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.conn = self._open()
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)

    @property
    def available(self) -> bool:
        """Whether the cache is in use (False after a full disk, a lock, ...)."""
        return self.conn is not None

    def _open(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if self._check:
                quick_check(conn)
            if version not in (0, SCHEMA_VERSION):
                self.warn(f"cache {self.path} is from another loadwatch version; rebuilding it")
                with Transaction(conn):
                    for table in TABLES:
                        conn.execute(f"DROP TABLE IF EXISTS {table}")
            # Write only when there is something to create: a warm run then writes
            # nothing unless a file changed.
            if version != SCHEMA_VERSION or not all(has_table(conn, t) for t in TABLES):
                self._create(conn)
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            if not is_corruption(exc):
                raise
            return self._rebuild(exc)

    def _rebuild(self, exc: BaseException) -> sqlite3.Connection:
        """Delete the damaged cache and start an empty one (once per run)."""
        if self._rebuilt:
            raise exc
        self._rebuilt = True
        self.warn(f"cache {self.path} is damaged ({exc}); rebuilding it")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        conn = self._connect()
        self._create(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        with Transaction(conn):
            conn.execute(
                """CREATE TABLE IF NOT EXISTS files (
                       key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
                       parser INTEGER, status TEXT, payload TEXT)"""
            )
            # payload NULL on an ok row: its activities are rows here.
            conn.execute(
                f"""CREATE TABLE IF NOT EXISTS activities (
                       key TEXT, pos INTEGER, {', '.join(f'{c} {t}' for c, t in _ACTIVITY_SQL)},
                       PRIMARY KEY (key, pos))"""
            )
            conn.execute(
                """CREATE TABLE IF NOT EXISTS imports (
                       spec TEXT PRIMARY KEY, digest TEXT, parser INTEGER, rows INTEGER,
                       report TEXT)"""
            )
            conn.execute(
                """CREATE TABLE IF NOT EXISTS import_columns (
                       spec TEXT, name TEXT, data BLOB, PRIMARY KEY (spec, name))"""
            )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _give_up(self, exc: BaseException) -> None:
        """Stop using the cache for this run: one message, nothing deleted."""
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None
        if self.problem is None:
            self.problem = (f"cache {self.path}: {describe(exc)}; went on without the cache "
                            "(nothing was deleted)")

    def _trouble(self, exc: sqlite3.Error) -> bool:
        """Handle an error in use; True when the cache was rebuilt and may be used again."""
        if is_corruption(exc) and not self._rebuilt:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            try:
                self.conn = self._rebuild(exc)
                return True
            except (OSError, sqlite3.Error) as again:
                self.conn = None
                self._give_up(again)
                return False
        self._give_up(exc)
        return False

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        """A context manager for one write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        return Transaction(self.conn)

    # -- the parse cache -------------------------------------------------------------------

    def preload(self, prefixes: list[str]) -> None:
        """Read every cached file whose key starts with one of ``prefixes`` in one query
        each, so that :meth:`lookup` on them needs no query (a folder's files)."""
        if self.conn is None:
            return
        try:
            for prefix in prefixes:
                hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                for row in self.conn.execute(
                        "SELECT key, size, mtime_ns, sha256, parser, status, payload FROM files "
                        "WHERE key >= ? AND key < ?", (prefix, hi)):
                    self._known[row[0]] = row[1:]
                for row in self.conn.execute(
                        f"SELECT key, {_ACTIVITY_COLUMNS} FROM activities "
                        "WHERE key >= ? AND key < ? ORDER BY key, pos", (prefix, hi)):
                    self._known_rows.setdefault(row[0], []).append(row[1:])
                self._preloaded.append(prefix)
        except sqlite3.Error as exc:
            self._preloaded.clear()
            self._known.clear()
            self._known_rows.clear()
            self._trouble(exc)

    def known(self, key: str) -> tuple | None:
        """``(size, mtime_ns, sha256, parser, status, payload)`` of a cached file, if any."""
        if key in self._known:
            return self._known[key]
        if self.conn is None or any(key.startswith(p) for p in self._preloaded):
            return None  # preloaded: not in the cache
        try:
            return self.conn.execute(
                "SELECT size, mtime_ns, sha256, parser, status, payload FROM files WHERE key=?",
                (key,)).fetchone()
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None

    def lookup(self, key: str, size: int, mtime_ns: int) -> CachedParse | None:
        """The cached parse when ``key`` has the same size and mtime, else None."""
        row = self.known(key)
        if row is None or row[0] != size or row[1] != mtime_ns or row[3] != PARSER_VERSION:
            return None
        return self._parse_of(key, row[4], row[5])

    def lookup_hash(self, key: str, size: int, mtime_ns: int, sha256: str) -> CachedParse | None:
        """The cached parse of identical bytes under ``key`` (a touched file); refreshes its mtime."""
        row = self.known(key)
        if (row is None or row[0] != size or row[2] != sha256 or row[3] != PARSER_VERSION
                or self.conn is None):
            return None
        try:
            with self.transaction():
                self.conn.execute("UPDATE files SET mtime_ns=? WHERE key=?", (mtime_ns, key))
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None
        if key in self._known:
            self._known[key] = (row[0], mtime_ns, *row[2:])
        return self._parse_of(key, row[4], row[5])

    def _parse_of(self, key: str, status: str, payload: str | None) -> CachedParse | None:
        if payload is not None:
            return CachedParse(status, json.loads(payload))
        rows = self._known_rows.get(key)
        if rows is None:
            if self.conn is None:
                return None
            try:
                rows = self.conn.execute(
                    f"SELECT {_ACTIVITY_COLUMNS} FROM activities WHERE key=? ORDER BY pos",
                    (key,)).fetchall()
            except sqlite3.Error as exc:
                self._trouble(exc)
                return None
        return CachedParse(status, [_activity_of(r) for r in rows])

    def put_many(self, rows: list[tuple[str, int, int, str, str, object]]) -> None:
        """Store parses ``(key, size, mtime_ns, sha256, status, payload)`` in one transaction.

        A payload that is a list of :class:`~loadwatch.importers.base.Activity` is kept
        as typed rows of ``activities``; any other payload as JSON. A full disk or a
        lock stops the cache for the run (see :attr:`problem`); the parses are then
        simply not kept.
        """
        if not rows:
            return
        from loadwatch.importers.base import Activity

        values, typed = [], []
        for k, s, m, h, st, p in rows:
            as_rows = (isinstance(p, list) and bool(p)
                       and all(isinstance(a, Activity) for a in p))
            values.append((k, s, m, h, PARSER_VERSION, st, None if as_rows else json.dumps(p)))
            if as_rows:
                typed += [(k, pos, *_row_of(a)) for pos, a in enumerate(p)]
        for _attempt in range(2):
            if self.conn is None:
                return
            try:
                with self.transaction():
                    self.conn.executemany("DELETE FROM activities WHERE key = ?",
                                          [(v[0],) for v in values])
                    self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                                          values)
                    self.conn.executemany(
                        f"INSERT INTO activities VALUES ({', '.join('?' * (len(_ACTIVITY_SQL) + 2))})",
                        typed)
                for v in values:
                    self._known[v[0]] = v[1:]
                    self._known_rows.pop(v[0], None)
                return
            except sqlite3.Error as exc:
                if not self._trouble(exc):
                    return

    # -- whole imports ---------------------------------------------------------------------

    def load_import(self, spec: str, digest: str):
        """``(records frame, report dict)`` kept for ``spec`` when its digest is ``digest``,
        else None (:meth:`save_import`)."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute("SELECT digest, parser, rows, report FROM imports WHERE spec=?",
                                    (spec,)).fetchone()
            if row is None or row[0] != digest or row[1] != PARSER_VERSION:
                return None
            blobs = dict(self.conn.execute("SELECT name, data FROM import_columns WHERE spec=? "
                                           "ORDER BY rowid",
                                           (spec,)).fetchall())
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None
        try:
            frame = columns.decode(blobs, row[2])
        except (KeyError, ValueError) as exc:
            # A block that does not read back is treated as damage to this entry only.
            self.warn(f"cache {self.path}: a cached import did not read back ({exc}); "
                      "reading the files again")
            return None
        return frame, json.loads(row[3])

    def save_import(self, spec: str, digest: str, frame, report: dict) -> None:
        """Keep an import's records (a :func:`loadwatch.timeline.records_frame`) and report."""
        if self.conn is None:
            return
        blobs = columns.encode(frame)
        for _attempt in range(2):
            if self.conn is None:
                return
            try:
                with self.transaction():
                    self.conn.execute("DELETE FROM import_columns WHERE spec=?", (spec,))
                    self.conn.execute("INSERT OR REPLACE INTO imports VALUES (?, ?, ?, ?, ?)",
                                      (spec, digest, PARSER_VERSION, len(frame),
                                       json.dumps(report)))
                    self.conn.executemany("INSERT INTO import_columns VALUES (?, ?, ?)",
                                          [(spec, name, data) for name, data in blobs.items()])
                return
            except sqlite3.Error as exc:
                if not self._trouble(exc):
                    return


TABLES = ("files", "activities", "imports", "import_columns")
"""The cache's tables; a cache missing one is (re)created."""

_ACTIVITY_SQL = (
    ("source", "TEXT"), ("path", "TEXT"), ("start_us", "INTEGER"), ("sport", "TEXT"),
    ("sub_sport", "TEXT"), ("name", "TEXT"), ("duration_s", "REAL"), ("elapsed_s", "REAL"),
    ("distance_m", "REAL"), ("elevation_gain_m", "REAL"), ("avg_hr", "REAL"), ("max_hr", "REAL"),
    ("utc_offset_s", "INTEGER"), ("idx", "INTEGER"), ("external_id", "TEXT"),
    ("sport_from", "TEXT"), ("gps", "INTEGER"), ("warnings", "TEXT"),
)
"""The typed columns of one cached activity (an :class:`~loadwatch.importers.base.Activity`):
the start as microseconds since 1970 UTC, ``gps`` as 0/1, ``warnings`` joined by
:data:`WARNING_SEPARATOR` (NULL for none)."""
_ACTIVITY_COLUMNS = ", ".join(c for c, _ in _ACTIVITY_SQL)
WARNING_SEPARATOR = "\x1e"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _text(value):
    """Text SQLite can hold: a file name that is not UTF-8 (surrogate escapes) as bytes."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogateescape")
    return value


def _untext(value):
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def _row_of(a) -> tuple:
    start = None if a.start_utc is None else (a.start_utc - _EPOCH) // timedelta(microseconds=1)
    return (_text(a.source), _text(a.path), start, _text(a.sport), _text(a.sub_sport),
            _text(a.name), a.duration_s, a.elapsed_s, a.distance_m, a.elevation_gain_m, a.avg_hr,
            a.max_hr, a.utc_offset_s, a.index, _text(a.external_id), _text(a.sport_from),
            None if a.gps is None else int(a.gps),
            _text(WARNING_SEPARATOR.join(a.warnings)) if a.warnings else None)


def _activity_of(row: tuple):
    from loadwatch.importers.base import Activity

    (source, path, start, sport, sub, name, dur, elapsed, dist, climb, avg_hr, max_hr, offset,
     index, external, sport_from, gps, warnings) = (_untext(v) for v in row)
    return Activity(source, path, None if start is None else _EPOCH + timedelta(microseconds=start),
                    sport, sub, name, dur, elapsed, dist, climb, avg_hr, max_hr, offset, index,
                    external, sport_from, None if gps is None else bool(gps),
                    warnings.split(WARNING_SEPARATOR) if warnings else [])


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database of ``conn`` has a table ``name``."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (also KeyboardInterrupt)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()
        return False

    def _rollback(self) -> None:
        # A failed COMMIT (a full disk) leaves the transaction open; a failed statement
        # may already have ended it. Either way the original error is the one to report.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
