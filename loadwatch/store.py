"""The embedded SQLite store: the disposable parse cache.

One database file, ``loadwatch.sqlite``, in the cache directory (``--cache-dir``,
else ``LOADWATCH_CACHE``, else the user's cache directory from platformdirs).
The alert state is not here: it lives in its own database in the user's state
folder (:mod:`loadwatch.alerts.state`), since this file may be thrown away.

The ``files`` table caches each file's parse keyed on its path, size, mtime and
content hash (SHA-256): an unchanged file is not read again; a touched file with
the same bytes is not parsed again; a changed file is re-parsed. A parse is
stored with the parser version, so an upgrade re-parses. The schema version is
``PRAGMA user_version``. Every write is one transaction, so an interrupted
import leaves the cache usable.

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
from pathlib import Path

import platformdirs

from loadwatch.sqlite_errors import describe, is_corruption, quick_check

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
    """The SQLite parse cache. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    directory : path
        Folder for ``loadwatch.sqlite`` (created if needed).
    warn : callable, optional
        Receives one-line warnings: a damaged cache was rebuilt.

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

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.warn = warn or (lambda msg: None)
        self.problem: str | None = None
        self.conn: sqlite3.Connection | None = None
        self._rebuilt = False
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
            quick_check(conn)
            if version not in (0, SCHEMA_VERSION):
                self.warn(f"cache {self.path} is from another loadwatch version; rebuilding it")
                with Transaction(conn):
                    conn.execute("DROP TABLE IF EXISTS files")
            # Write only when there is something to create: a warm run then writes
            # nothing unless a file changed.
            if version != SCHEMA_VERSION or not has_table(conn, "files"):
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

    def lookup(self, key: str, size: int, mtime_ns: int) -> CachedParse | None:
        """The cached parse when ``key`` has the same size and mtime, else None."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute(
                "SELECT status, payload FROM files WHERE key=? AND size=? AND mtime_ns=? AND parser=?",
                (key, size, mtime_ns, PARSER_VERSION),
            ).fetchone()
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None
        return CachedParse(row[0], json.loads(row[1])) if row else None

    def lookup_hash(self, key: str, size: int, mtime_ns: int, sha256: str) -> CachedParse | None:
        """The cached parse of identical bytes under ``key`` (a touched file); refreshes its mtime."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute(
                "SELECT status, payload FROM files WHERE key=? AND size=? AND sha256=? AND parser=?",
                (key, size, sha256, PARSER_VERSION),
            ).fetchone()
            if not row:
                return None
            with self.transaction():
                self.conn.execute("UPDATE files SET mtime_ns=? WHERE key=?", (mtime_ns, key))
        except sqlite3.Error as exc:
            self._trouble(exc)
            return None
        return CachedParse(row[0], json.loads(row[1]))

    def put_many(self, rows: list[tuple[str, int, int, str, str, object]]) -> None:
        """Store parses ``(key, size, mtime_ns, sha256, status, payload)`` in one transaction.

        A full disk or a lock stops the cache for the run (see :attr:`problem`);
        the parses are then simply not kept.
        """
        if not rows:
            return
        values = [(k, s, m, h, PARSER_VERSION, st, json.dumps(p)) for k, s, m, h, st, p in rows]
        for _attempt in range(2):
            if self.conn is None:
                return
            try:
                with self.transaction():
                    self.conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                                          values)
                return
            except sqlite3.Error as exc:
                if not self._trouble(exc):
                    return


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
