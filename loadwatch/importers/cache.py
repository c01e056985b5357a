"""The importers' parse cache: an embedded, disposable SQLite database.

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
(:func:`loadwatch.athlete.import_records`).

The schema version is ``PRAGMA user_version``; a cache from another version is
rebuilt, so an upgrade re-parses. Every write is one transaction, so an
interrupted import leaves the cache usable.

Opening, locking, checking and trouble are :mod:`loadwatch.sqlite_store`'s: a
damaged cache is rebuilt with a warning; a full disk, a read-only file, a lock
held too long or an I/O error deletes nothing and leaves the store in
:attr:`Store.problem` for the caller to report, going on as an empty,
write-nothing cache, so an import still completes. This module knows what is
kept: the :class:`~loadwatch.importers.base.Activity` rows and the parser version.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs

from loadwatch import columns
from loadwatch.importers.base import Activity
from loadwatch.sqlite_store import DisposableDatabase, Transaction

SCHEMA_VERSION = 5
"""``PRAGMA user_version`` of the cache's tables: another version is rebuilt (3: the
activities' ``rpe`` and the kept reports; 4 and 5: the activities' ``gear``)."""
DB_NAME = "loadwatch.sqlite"
"""The cache file's name in the cache directory."""

PARSER_VERSION = 6
"""Bump when an importer's output changes: cached parses of older versions are redone
(4: session RPE; 5: Strava rows carry ``gear``; 6: and their rating onto the row's file)."""


def cache_dir(option: str | os.PathLike | None = None) -> Path:
    """The cache directory: ``option``, else ``$LOADWATCH_CACHE``, else the user's cache dir."""
    if option:
        return Path(option)
    env = os.environ.get("LOADWATCH_CACHE")
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("loadwatch"))


@dataclass(frozen=True)
class CachedParse:
    """A file's cached outcome: ``status`` is ok, skip or error; ``payload`` its JSON."""

    status: str
    payload: object


@dataclass(frozen=True)
class Entry:
    """One file's parse to keep (:meth:`Store.put_many`): the file as seen, and its outcome.

    ``payload`` is a list of :class:`~loadwatch.importers.base.Activity` for an ok
    activity file (kept as typed rows), anything JSON can hold otherwise.
    """

    key: str
    size: int
    mtime_ns: int
    sha256: str
    status: str
    payload: object


@dataclass(frozen=True)
class Known:
    """What the cache holds on one file (:meth:`Store.known`); ``payload`` is None when
    its activities are typed rows."""

    size: int
    mtime_ns: int
    sha256: str
    parser: int
    status: str
    payload: str | None

    def fresh(self, size: int, mtime_ns: int) -> bool:
        """Whether this parse serves a file of ``size`` bytes last changed at ``mtime_ns``."""
        return self.size == size and self.mtime_ns == mtime_ns and self.parser == PARSER_VERSION

    def same_bytes(self, size: int, sha256: str) -> bool:
        """Whether this parse serves a file of ``size`` bytes hashing to ``sha256`` (touched)."""
        return self.size == size and self.sha256 == sha256 and self.parser == PARSER_VERSION


class Store(DisposableDatabase):
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

    SCHEMA_VERSION = SCHEMA_VERSION
    TABLES = ("files", "activities", "imports", "import_columns", "results")
    DB_NAME = DB_NAME

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None,
                 check: bool = True):
        self._known: dict[str, Known] = {}
        self._known_rows: dict[str, list] = {}
        self._preloaded: list[str] = []
        super().__init__(directory, warn, check)

    def create(self, conn: sqlite3.Connection) -> None:
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
            conn.execute(
                "CREATE TABLE IF NOT EXISTS results (spec TEXT PRIMARY KEY, key TEXT, body BLOB)")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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
                    self._known[row[0]] = Known(*row[1:])
                for row in self.conn.execute(
                        f"SELECT key, {_ACTIVITY_COLUMNS} FROM activities "
                        "WHERE key >= ? AND key < ? ORDER BY key, pos", (prefix, hi)):
                    self._known_rows.setdefault(row[0], []).append(row[1:])
                self._preloaded.append(prefix)
        except sqlite3.Error as exc:
            self._preloaded.clear()
            self._known.clear()
            self._known_rows.clear()
            self.trouble(exc)

    def known(self, key: str) -> Known | None:
        """What the cache holds on a file, if anything."""
        if key in self._known:
            return self._known[key]
        if self.conn is None or any(key.startswith(p) for p in self._preloaded):
            return None  # preloaded: not in the cache
        try:
            row = self.conn.execute(
                "SELECT size, mtime_ns, sha256, parser, status, payload FROM files WHERE key=?",
                (key,)).fetchone()
            return None if row is None else Known(*row)
        except sqlite3.Error as exc:
            self.trouble(exc)
            return None

    def lookup(self, key: str, size: int, mtime_ns: int) -> CachedParse | None:
        """The cached parse when ``key`` has the same size and mtime, else None."""
        row = self.known(key)
        if row is None or not row.fresh(size, mtime_ns):
            return None
        return self._parse_of(key, row.status, row.payload)

    def lookup_hash(self, key: str, size: int, mtime_ns: int, sha256: str) -> CachedParse | None:
        """The cached parse of identical bytes under ``key`` (a touched file); refreshes its mtime."""
        row = self.known(key)
        if row is None or not row.same_bytes(size, sha256) or self.conn is None:
            return None
        try:
            with self.transaction():
                self.conn.execute("UPDATE files SET mtime_ns=? WHERE key=?", (mtime_ns, key))
        except sqlite3.Error as exc:
            self.trouble(exc)
            return None
        if key in self._known:
            self._known[key] = replace(row, mtime_ns=mtime_ns)
        return self._parse_of(key, row.status, row.payload)

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
                self.trouble(exc)
                return None
        return CachedParse(status, [_activity_of(r) for r in rows])

    def put_many(self, entries: list[Entry]) -> None:
        """Store parses in one transaction.

        A payload that is a list of :class:`~loadwatch.importers.base.Activity` is kept
        as typed rows of ``activities``; any other payload as JSON. A full disk or a
        lock stops the cache for the run (see :attr:`problem`); the parses are then
        simply not kept.
        """
        if not entries:
            return
        values, typed = [], []
        for e in entries:
            p = e.payload
            as_rows = (isinstance(p, list) and bool(p)
                       and all(isinstance(a, Activity) for a in p))
            values.append((e.key, e.size, e.mtime_ns, e.sha256, PARSER_VERSION, e.status,
                           None if as_rows else json.dumps(p)))
            if as_rows:
                typed += [(e.key, pos, *_row_of(a)) for pos, a in enumerate(p)]
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
                    self._known[v[0]] = Known(*v[1:])
                    self._known_rows.pop(v[0], None)
                return
            except sqlite3.Error as exc:
                if not self.trouble(exc):
                    return

    # -- whole imports ---------------------------------------------------------------------

    def load_import(self, spec: str, digest: str, names: tuple[str, ...] | None = None):
        """``(records frame, report dict)`` kept for ``spec`` when its digest is ``digest``,
        else None (:meth:`save_import`). ``names``: the frame's columns to read (None: all
        kept); a column not kept is left out."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute("SELECT digest, parser, rows, report FROM imports WHERE spec=?",
                                    (spec,)).fetchone()
            if row is None:
                return None
            kept_digest, parser, rows, report = row
            if kept_digest != digest or parser != PARSER_VERSION:
                return None
            which = "" if names is None else f" AND name IN ({', '.join('?' * len(names))})"
            blobs = dict(self.conn.execute("SELECT name, data FROM import_columns WHERE spec=?"
                                           f"{which} ORDER BY rowid",
                                           (spec, *(names or ()))).fetchall())
        except sqlite3.Error as exc:
            self.trouble(exc)
            return None
        try:
            frame = columns.decode(blobs, rows)
        except (KeyError, ValueError) as exc:
            # A block that does not read back is treated as damage to this entry only.
            self.warn(f"cache {self.path}: a cached import did not read back ({exc}); "
                      "reading the files again")
            return None
        return frame, json.loads(report)

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
                if not self.trouble(exc):
                    return


    # -- kept reports (loadwatch.reuse) -----------------------------------------------------

    def load_result(self, spec: str, key: str) -> bytes | None:
        """The bytes kept for ``spec`` (one athlete) when they were kept under ``key``
        (:meth:`save_result`), else None."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute("SELECT key, body FROM results WHERE spec=?",
                                    (spec,)).fetchone()
        except sqlite3.Error as exc:
            self.trouble(exc)
            return None
        return bytes(row[1]) if row is not None and row[0] == key else None

    def save_result(self, spec: str, key: str, body: bytes) -> None:
        """Keep ``body`` for ``spec`` under ``key``, in place of what was kept before."""
        for _attempt in range(2):
            if self.conn is None:
                return
            try:
                with self.transaction():
                    self.conn.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                                      (spec, key, body))
                return
            except sqlite3.Error as exc:
                if not self.trouble(exc):
                    return

TABLES = Store.TABLES
"""The cache's tables; a cache missing one is (re)created."""

_ACTIVITY_SQL = (
    ("source", "TEXT"), ("path", "TEXT"), ("start_us", "INTEGER"), ("sport", "TEXT"),
    ("sub_sport", "TEXT"), ("name", "TEXT"), ("duration_s", "REAL"), ("elapsed_s", "REAL"),
    ("distance_m", "REAL"), ("elevation_gain_m", "REAL"), ("avg_hr", "REAL"), ("max_hr", "REAL"),
    ("utc_offset_s", "INTEGER"), ("idx", "INTEGER"), ("external_id", "TEXT"),
    ("sport_from", "TEXT"), ("gps", "INTEGER"), ("warnings", "TEXT"), ("rpe", "REAL"),
    ("gear", "TEXT"),
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


def _row_of(a: Activity) -> tuple:
    start = None if a.start_utc is None else (a.start_utc - _EPOCH) // timedelta(microseconds=1)
    return (_text(a.source), _text(a.path), start, _text(a.sport), _text(a.sub_sport),
            _text(a.name), a.duration_s, a.elapsed_s, a.distance_m, a.elevation_gain_m, a.avg_hr,
            a.max_hr, a.utc_offset_s, a.index, _text(a.external_id), _text(a.sport_from),
            None if a.gps is None else int(a.gps),
            _text(WARNING_SEPARATOR.join(a.warnings)) if a.warnings else None, a.rpe,
            _text(a.gear))


def _activity_of(row: tuple) -> Activity:
    (source, path, start, sport, sub, name, dur, elapsed, dist, climb, avg_hr, max_hr, offset,
     index, external, sport_from, gps, warnings, rpe, gear) = (_untext(v) for v in row)
    return Activity(source, path, None if start is None else _EPOCH + timedelta(microseconds=start),
                    sport, sub, name, dur, elapsed, dist, climb, avg_hr, max_hr, offset, index,
                    external, sport_from, None if gps is None else bool(gps), gear=gear,
                    warnings=warnings.split(WARNING_SEPARATOR) if warnings else [], rpe=rpe)



def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
