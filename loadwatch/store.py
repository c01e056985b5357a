"""The embedded SQLite store: the parse cache and the alert state.

One database file, ``loadwatch.sqlite``, in the cache directory (``--cache-dir``,
else ``LOADWATCH_CACHE``, else the user's cache directory from platformdirs).

The ``files`` table caches each file's parse keyed on its path, size, mtime and
content hash (SHA-256): an unchanged file is not read again; a touched file with
the same bytes is not parsed again; a changed file is re-parsed. A parse is
stored with the parser version, so an upgrade re-parses. The schema version is
``PRAGMA user_version``; a database from another version, or one SQLite cannot
read, is rebuilt with a warning instead of crashing. Every write is one
transaction, so an interrupted import leaves the cache usable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

SCHEMA_VERSION = 1
DB_NAME = "loadwatch.sqlite"

PARSER_VERSION = 2
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
    """The SQLite store. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    directory : path
        Folder for ``loadwatch.sqlite`` (created if needed).
    warn : callable, optional
        Receives one-line warnings (a rebuilt cache).
    """

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.warn = warn or (lambda msg: None)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if version not in (0, SCHEMA_VERSION):
                self.warn(f"cache {self.path} is from another loadwatch version; rebuilding it")
                with conn:
                    conn.execute("DROP TABLE IF EXISTS files")
            self._create(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            self.warn(f"cache {self.path} is unreadable ({exc}); rebuilding it")
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            conn = self._connect()
            self._create(conn)
            return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @staticmethod
    def _create(conn: sqlite3.Connection) -> None:
        with _transaction(conn):
            conn.execute(
                """CREATE TABLE IF NOT EXISTS files (
                       key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
                       parser INTEGER, status TEXT, payload TEXT)"""
            )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        """A context manager for one write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        return _transaction(self.conn)

    # -- the parse cache -------------------------------------------------------------------

    def lookup(self, key: str, size: int, mtime_ns: int) -> CachedParse | None:
        """The cached parse when ``key`` has the same size and mtime, else None."""
        row = self.conn.execute(
            "SELECT status, payload FROM files WHERE key=? AND size=? AND mtime_ns=? AND parser=?",
            (key, size, mtime_ns, PARSER_VERSION),
        ).fetchone()
        return CachedParse(row[0], json.loads(row[1])) if row else None

    def lookup_hash(self, key: str, size: int, mtime_ns: int, sha256: str) -> CachedParse | None:
        """The cached parse of identical bytes under ``key`` (a touched file); refreshes its mtime."""
        row = self.conn.execute(
            "SELECT status, payload FROM files WHERE key=? AND size=? AND sha256=? AND parser=?",
            (key, size, sha256, PARSER_VERSION),
        ).fetchone()
        if not row:
            return None
        with self.transaction():
            self.conn.execute("UPDATE files SET mtime_ns=? WHERE key=?", (mtime_ns, key))
        return CachedParse(row[0], json.loads(row[1]))

    def put_many(self, rows: list[tuple[str, int, int, str, str, object]]) -> None:
        """Store parses ``(key, size, mtime_ns, sha256, status, payload)`` in one transaction."""
        if not rows:
            return
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(k, s, m, h, PARSER_VERSION, st, json.dumps(p)) for k, s, m, h, st, p in rows],
            )


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (also KeyboardInterrupt)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
