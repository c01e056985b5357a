"""Telling a damaged SQLite file from a passing trouble (a full disk, a lock, a read-only file).

Only damage justifies throwing a database away (the parse cache) or repairing
it (the alert state, after a backup). A full disk, a read-only file or folder, a
lock held by another program or an I/O error says nothing about the file: it is
left as it is, and the caller goes on without it or stops.
"""

from __future__ import annotations

import sqlite3

CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
"""Primary result codes that mean the file itself is damaged or not a database."""

_REASONS = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "the database or its folder is read-only",
    sqlite3.SQLITE_BUSY: "the database is locked by another program",
    sqlite3.SQLITE_LOCKED: "the database is locked by another program",
    sqlite3.SQLITE_CANTOPEN: "the database cannot be opened (a missing or read-only folder?)",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_IOERR: "a disk I/O error (a full disk or a file size limit?)",
}


class Damaged(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found damage SQLite had not raised an error for yet."""


def is_corruption(exc: BaseException) -> bool:
    """Whether ``exc`` says the database file is damaged (not merely unavailable).

    Notes
    -----
    SQLITE_CORRUPT and SQLITE_NOTADB (by their primary code, so every extended
    variant counts), a short read (the file is shorter than its own header says),
    and :class:`Damaged` from an integrity check. Everything else, including a
    plain disk I/O error, is taken as passing.
    """
    if isinstance(exc, Damaged):
        return True
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        text = str(exc).lower()
        return "malformed" in text or "not a database" in text
    return (code & 0xFF) in CORRUPTION_CODES or code == sqlite3.SQLITE_IOERR_SHORT_READ


def describe(exc: BaseException) -> str:
    """The trouble in a few plain words, for a one-line message."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _REASONS:
        return f"{_REASONS[code & 0xFF]} ({getattr(exc, 'sqlite_errorname', None) or exc})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def quick_check(conn: sqlite3.Connection) -> None:
    """Raise :class:`Damaged` when ``PRAGMA quick_check`` finds damage (a bad index page).

    Notes
    -----
    ``quick_check`` reads every page of the file but skips the check that index
    entries match their rows, so it costs about one read of the file; it finds
    damaged pages, bad page links and malformed records.
    """
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        first = rows[0][0] if rows else "no answer"
        raise Damaged(f"integrity check failed: {first}"
                      + (f" (and {len(rows) - 1} more problems)" if len(rows) > 1 else ""))
