"""What each recipient has been told: the alert state, in its own database.

The state lives in ``alerts.sqlite`` in the user's state folder
(``platformdirs.user_state_dir("loadwatch")``, e.g. ``~/.local/state/loadwatch``
on Linux; ``--state-dir`` or ``LOADWATCH_STATE`` put it elsewhere): apart from
the disposable parse cache, and never in an athlete's folder. One row per
(athlete id, item id, recipient), so a recipient the server refused is tried
again without the others hearing twice, and renaming an athlete changes nothing
(the athlete id is ``[athlete] id`` or the folder, not the name).

A row's status follows a message through the SMTP exchange:

``claimed``
    written before connecting (so a full disk stops the run before anything is
    sent); does not count as told. A run that dies leaves it behind harmlessly.
``unconfirmed``
    written just before the final ``.`` that ends DATA; from here the message
    counts as sent and is never sent again, even if the line drops before the
    server's reply.
``sent``
    the server answered 250 to the message.

Runs are serialised by an exclusive lock on ``alerts.lock`` (the ``filelock``
library), held from reading what is new until the last state write, so two
``loadwatch alert`` runs at once send each new item once in total.

Damage (found by SQLite or by ``PRAGMA quick_check`` at open) is never answered
by starting empty, which would send every active flag again: the file is first
copied aside (``alerts.sqlite.damaged-<time>``; one copy of a damage met again by
later runs, not one per run), then its indexes are rebuilt,
else its rows are copied into a fresh file; if a row cannot be read, the run
stops with :class:`StateError` and sends nothing. A full disk, a read-only file
or a lock also stop the run (nothing is deleted): sending without a state that
can be written could send twice.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path

import filelock

from loadwatch.folders import STATE_ENV, state_dir  # noqa: F401 (the state folder, named here too)
from loadwatch.sqlite_errors import describe, is_corruption, quick_check
from loadwatch.sqlite_store import Transaction, has_table

DB_NAME = "alerts.sqlite"
LOCK_NAME = "alerts.lock"
SCHEMA_VERSION = 1

CLAIMED, UNCONFIRMED, SENT = "claimed", "unconfirmed", "sent"
TOLD = (UNCONFIRMED, SENT)
"""Statuses that count as told: the message is never sent again to that recipient."""

PUSH_PREFIX = "push:"
"""Recipients keyed ``push:<digest>`` are push notification URLs (:mod:`loadwatch.alerts.push`),
kept as they are."""

Row = tuple[str, str, str]
"""(athlete id, item id, recipient address) of one told item."""


class StateError(RuntimeError):
    """The alert state cannot be read or written; nothing is sent. One line."""



def address(recipient: str) -> str:
    """The bare, lower-cased address that keys a recipient's state.

    >>> address("Coach <Coach@Example.org>")
    'coach@example.org'
    """
    if recipient.startswith(PUSH_PREFIX):
        return recipient
    return (parseaddr(recipient)[1] or recipient).strip().lower()


class AlertState:
    """The sent-alert state. Use as a context manager: it locks, opens and checks the file.

    Parameters
    ----------
    directory : path
        The state folder (created, private to the user).
    warn : callable, optional
        Receives one-line messages (a repaired file and where its copy is).
    lock_timeout : float, default 600
        Seconds to wait for another alert run to finish. [s]
    """

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None] | None = None,
                 lock_timeout: float = 600.0):
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.warn = warn or (lambda msg: None)
        self.lock_timeout = lock_timeout
        self.conn: sqlite3.Connection | None = None
        self._lock: filelock.BaseFileLock | None = None

    # -- opening ---------------------------------------------------------------------------

    def __enter__(self) -> AlertState:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._lock = filelock.FileLock(self.directory / LOCK_NAME, timeout=self.lock_timeout)
            self._lock.acquire()
        except filelock.Timeout:
            raise StateError(f"another loadwatch alert run has held {self.directory / LOCK_NAME} "
                             f"for {self.lock_timeout:.0f} s; nothing was sent") from None
        except OSError as exc:
            raise StateError(f"alert state {self.directory}: {exc.strerror or exc}; "
                             "nothing was sent") from None
        try:
            self.conn = self._open()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None
        if self._lock is not None:
            self._lock.release()

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        # A rollback journal and a full sync: a message is counted as sent only once
        # that record is on disk, before the final "." goes out.
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = None
        try:
            conn = self._connect(self.path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            quick_check(conn)
            if version not in (0, SCHEMA_VERSION):
                raise StateError(f"alert state {self.path} is from a newer loadwatch "
                                 f"(schema {version}); nothing was sent")
            if version != SCHEMA_VERSION or not has_table(conn, "told"):
                _create(conn)
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            if is_corruption(exc):
                return self._repair(exc)
            raise StateError(f"alert state {self.path}: {describe(exc)}; nothing was sent "
                             "(the state was left as it is)") from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise

    def _repair(self, damage: BaseException) -> sqlite3.Connection:
        """Back up the damaged file, then rebuild its indexes or copy its rows to a new file."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        try:
            # The same damage found again (a file that cannot be repaired, met by every run,
            # --dry-run too) keeps its one copy: a copy per run would fill the disk.
            backup = self._copy_of_this_damage()
            if backup is None:
                backup = self.path.with_name(f"{DB_NAME}.damaged-{stamp}")
                shutil.copy2(self.path, backup)
            journal = Path(f"{self.path}-journal")
            if journal.exists():
                shutil.copy2(journal, Path(f"{backup}-journal"))
        except OSError as exc:
            raise StateError(f"alert state {self.path} is damaged ({damage}) and could not be "
                             f"backed up ({exc.strerror or exc}); nothing was sent") from None
        how = self._reindex() or self._salvage(backup, damage)
        self.warn(f"alert state {self.path} was damaged ({damage}); {how}; "
                  f"the damaged file was kept as {backup}")
        return self._connect(self.path)

    def _copy_of_this_damage(self) -> Path | None:
        """An earlier ``alerts.sqlite.damaged-<time>`` with the very bytes of the file now."""
        size = self.path.stat().st_size
        for copy in sorted(self.directory.glob(f"{DB_NAME}.damaged-*")):
            if (not copy.name.endswith("-journal") and copy.stat().st_size == size
                    and filecmp.cmp(copy, self.path, shallow=False)):
                return copy
        return None

    def _reindex(self) -> str | None:
        """Rebuild the indexes in place; the usual repair for a bad index page."""
        try:
            conn = self._connect(self.path)
        except sqlite3.Error:
            return None
        try:
            conn.execute("REINDEX")
            quick_check(conn)
            _create(conn)
            return "its index was rebuilt, no row was lost"
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def _salvage(self, backup: Path, damage: BaseException) -> str:
        """Copy every row of the damaged table into a fresh file, or stop."""
        fresh = self.path.with_name(f"{DB_NAME}.repair")
        fresh.unlink(missing_ok=True)
        try:
            old = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            try:
                rows = old.execute("SELECT athlete, item, recipient, status, at, detail "
                                   "FROM told NOT INDEXED").fetchall()
            finally:
                old.close()
            new = self._connect(fresh)
            try:
                _create(new)
                with Transaction(new):
                    new.executemany("INSERT OR REPLACE INTO told VALUES (?, ?, ?, ?, ?, ?)", rows)
            finally:
                new.close()
            os.replace(fresh, self.path)
            Path(f"{self.path}-journal").unlink(missing_ok=True)
        except (sqlite3.Error, OSError) as exc:
            fresh.unlink(missing_ok=True)
            raise StateError(
                f"alert state {self.path} is damaged ({damage}) and its rows could not be read "
                f"({exc}); nothing was sent. A copy is at {backup}; to start afresh (every active "
                f"flag is then e-mailed again) move {self.path} away") from None
        return f"its {len(rows)} rows were copied to a new file"

    # -- reading and writing -----------------------------------------------------------------

    def told(self, athlete_id: str, recipient: str) -> set[str]:
        """Item ids this recipient has been told about this athlete (sent or unconfirmed)."""
        try:
            rows = self.conn.execute(
                "SELECT item FROM told WHERE athlete = ? AND recipient = ? AND status IN (?, ?)",
                (athlete_id, address(recipient), *TOLD)).fetchall()
        except sqlite3.Error as exc:
            raise StateError(f"alert state {self.path}: {describe(exc)}; nothing more was sent") \
                from None
        return {r[0] for r in rows}

    def adopt_legacy(self, cache_db: Path, athletes: Iterable[tuple[str, str]]) -> int:
        """Carry over what loadwatch 0.1 recorded as sent, so an upgrade mails nothing again.

        Before this state existed, sent flags were kept in the parse cache's table
        ``alerts_sent``, keyed by the athlete's display name, the flag's code and
        day, with the recipients of the message. For each (athlete id, display
        name) of ``athletes`` that has no row here yet, those rows are copied as
        sent (the item id ``code:day`` is what :attr:`loadwatch.flags.Flag.identity`
        gives today). A missing or unreadable cache is simply skipped.

        Returns
        -------
        int
            Rows carried over.
        """
        todo = [(aid, name) for aid, name in athletes
                if self.conn.execute("SELECT 1 FROM told WHERE athlete = ? LIMIT 1",
                                     (aid,)).fetchone() is None]
        if not todo or not Path(cache_db).is_file():
            return 0
        try:
            old = sqlite3.connect(f"file:{cache_db}?mode=ro", uri=True)
            try:
                if not has_table(old, "alerts_sent"):
                    return 0
                found = [(aid, code, day, at, recipients) for aid, name in todo
                         for code, day, at, recipients in old.execute(
                             "SELECT code, date, sent_at, recipients FROM alerts_sent "
                             "WHERE athlete = ?", (name,))]
            finally:
                old.close()
        except sqlite3.Error:
            return 0
        values = [(aid, f"{code}:{day}", address(r), SENT, at or _now(), "carried over from 0.1")
                  for aid, code, day, at, recipients in found
                  for r in (recipients or "").split(", ") if r.strip()]
        self._write("INSERT OR IGNORE INTO told VALUES (?, ?, ?, ?, ?, ?)", values)
        return len(values)

    def claim(self, rows: Iterable[Row]) -> None:
        """Record ``rows`` as about to be sent (not yet told); committed before connecting."""
        self._write("INSERT OR REPLACE INTO told VALUES (?, ?, ?, ?, ?, NULL)",
                    [(a, i, address(r), CLAIMED, _now()) for a, i, r in rows])

    def mark(self, rows: Iterable[Row], status: str, detail: str | None = None) -> None:
        """Set ``rows`` to ``status`` (``unconfirmed`` or ``sent``), with the server's reply."""
        self._write("UPDATE told SET status = ?, at = ?, detail = ? "
                    "WHERE athlete = ? AND item = ? AND recipient = ?",
                    [(status, _now(), detail, a, i, address(r)) for a, i, r in rows])

    def release(self, rows: Iterable[Row]) -> None:
        """Forget ``rows``: they were not sent, so the next run tries them again."""
        self._write("DELETE FROM told WHERE athlete = ? AND item = ? AND recipient = ?",
                    [(a, i, address(r)) for a, i, r in rows])

    def _write(self, sql: str, values: list[tuple]) -> None:
        if not values:
            return
        try:
            with Transaction(self.conn):
                self.conn.executemany(sql, values)
        except sqlite3.Error as exc:
            raise StateError(f"alert state {self.path}: {describe(exc)}") from None


def _create(conn: sqlite3.Connection) -> None:
    with Transaction(conn):
        conn.execute(
            """CREATE TABLE IF NOT EXISTS told (
                   athlete TEXT NOT NULL,     -- stable athlete id
                   item TEXT NOT NULL,        -- Flag.identity, opaque
                   recipient TEXT NOT NULL,   -- bare lower-cased address
                   status TEXT NOT NULL,      -- claimed, unconfirmed or sent
                   at TEXT NOT NULL,          -- UTC time of the status
                   detail TEXT,               -- the server's reply, or what happened
                   PRIMARY KEY (athlete, item, recipient))""")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
