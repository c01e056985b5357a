"""How far each athlete was synced: the cursor, kept in the user state folder.

The state folder is the one of the alert state (``--state-dir``, else
``$LOADWATCH_STATE``, else ``platformdirs.user_state_dir("loadwatch")``, e.g.
``~/.local/state/loadwatch``), never the athlete folder: the folder holds data, the
cursor only saves requests. One small JSON file per (service, intervals.icu athlete,
athlete folder) in ``sync/``, written atomically after the store files, so a run killed
at any moment either left the cursor where it was (the next run fetches the same days
again, and :func:`loadwatch.sync.store.merge` adds nothing twice) or moved it past what
is already on disk. A lost cursor costs one full first sync, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

from loadwatch.fileio import UnsafeTarget, locked, read_regular, write_atomic
from loadwatch.folders import STATE_ENV, state_dir  # noqa: F401 (the state folder, named here too)

MAX_CURSOR_BYTES = 64 << 10
"""Largest cursor file read; one holds a few dates. [bytes]"""



class Cursor:
    """The cursor of one athlete's sync.

    Parameters
    ----------
    directory : path
        The state folder.
    parts : tuple of str
        What identifies the sync: the service address, its athlete id and the athlete
        folder's real path (two folders synced from one account keep two cursors).
    """

    def __init__(self, directory: str | os.PathLike, *parts: str):
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
        self.path = Path(directory) / "sync" / f"{digest[:24]}.json"
        self.parts = parts

    def synced_to(self) -> date | None:
        """The last day fully synced (the ``newest`` of the last run that completed), if any.

        An unreadable or damaged cursor counts as none: the next run is a first sync,
        which is safe, only longer.
        """
        try:
            doc = json.loads(read_regular(self.path, MAX_CURSOR_BYTES).decode("utf-8"))
            return date.fromisoformat(doc["synced_to"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def advance(self, day: date) -> None:
        """Record ``day`` as synced (after the store files are on disk).

        Raises
        ------
        OSError
            The state folder cannot be written (the store is already complete: the
            next run fetches the same days again).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        doc = {"synced_to": day.isoformat(), "for": list(self.parts)}
        try:
            with locked(self.path):
                write_atomic(self.path, (json.dumps(doc) + "\n").encode("utf-8"))
        except UnsafeTarget as exc:
            raise OSError(str(exc)) from None
