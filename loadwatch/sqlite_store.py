"""A disposable SQLite database: opening, locking, checking, rebuilding, giving up.

What any throw-away cache file needs, and nothing of what it holds: a
:class:`DisposableDatabase` opens its file in WAL mode, checks it
(``PRAGMA quick_check``), compares ``PRAGMA user_version`` with its schema version,
creates its tables, and meets trouble in one of two ways (:mod:`loadwatch.sqlite_errors`):

- damage (not a database, a malformed page, a failed check at open, a database
  from another loadwatch version): the file is deleted and rebuilt once per run,
  with a warning;
- a full disk, a read-only file or folder, a lock held too long, an I/O error:
  nothing is deleted; the trouble is kept in :attr:`DisposableDatabase.problem`
  for the caller to report, and the database goes on as an empty, write-nothing one.

The parse cache (:mod:`loadwatch.importers.cache`) is one; :class:`Transaction` and
:func:`has_table` serve the alert and squad state databases too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from loadwatch.sqlite_errors import describe, is_corruption, quick_check


class DisposableDatabase:
    """A SQLite file that may be thrown away. Use as a context manager, or call :meth:`close`.

    Subclasses set :attr:`SCHEMA_VERSION`, :attr:`TABLES` and :attr:`DB_NAME` and
    create their tables in :meth:`create`.

    Parameters
    ----------
    directory : path
        Folder for the database file (created if needed).
    warn : callable, optional
        Receives one-line warnings: a damaged database was rebuilt.
    check : bool, default True
        Run ``PRAGMA quick_check`` on opening (it reads the whole file); damage met
        in use is still found and rebuilt without it.

    Attributes
    ----------
    problem : str or None
        Why the database could not be used (a full disk, a lock, a read-only file),
        in one line, else None. It then answers nothing and writes nothing.
    busy_timeout : float
        Seconds to wait for another process's write lock before giving up. [s]
    """

    SCHEMA_VERSION = 1
    """``PRAGMA user_version`` of the tables :meth:`create` makes; another version is rebuilt."""
    TABLES: tuple[str, ...] = ()
    """The tables; a database missing one has them (re)created."""
    DB_NAME = "database.sqlite"
    """The file's name in its directory."""

    busy_timeout = 30.0

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None,
                 check: bool = True):
        self.directory = Path(directory)
        self.path = self.directory / self.DB_NAME
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
        """Whether the database is in use (False after a full disk, a lock, ...)."""
        return self.conn is not None

    def create(self, conn: sqlite3.Connection) -> None:
        """Create the tables (``CREATE TABLE IF NOT EXISTS``) and set ``user_version``."""
        raise NotImplementedError

    def _open(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if self._check:
                quick_check(conn)
            if version not in (0, self.SCHEMA_VERSION):
                self.warn(f"cache {self.path} is from another loadwatch version; rebuilding it")
                with Transaction(conn):
                    for table in self.TABLES:
                        conn.execute(f"DROP TABLE IF EXISTS {table}")
            # Write only when there is something to create: a warm run then writes
            # nothing unless a file changed.
            if version != self.SCHEMA_VERSION or not all(has_table(conn, t) for t in self.TABLES):
                self.create(conn)
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            if not is_corruption(exc):
                raise
            return self._rebuild(exc)

    def _rebuild(self, exc: BaseException) -> sqlite3.Connection:
        """Delete the damaged file and start an empty one (once per run)."""
        if self._rebuilt:
            raise exc
        self._rebuilt = True
        self.warn(f"cache {self.path} is damaged ({exc}); rebuilding it")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        conn = self._connect()
        self.create(conn)
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

    def _give_up(self, exc: BaseException) -> None:
        """Stop using the database for this run: one message, nothing deleted."""
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None
        if self.problem is None:
            self.problem = (f"cache {self.path}: {describe(exc)}; went on without the cache "
                            "(nothing was deleted)")

    def trouble(self, exc: sqlite3.Error) -> bool:
        """Handle an error met in use; True when the file was rebuilt and may be used again."""
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

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self) -> Transaction:
        """A context manager for one write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        return Transaction(self.conn)


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
