"""``service = "folder"``: copy new activity files from a mounted watch into the athlete folder.

Many watches mount as a USB drive (a Garmin's ``GARMIN/Activity/*.fit``) or, over MTP,
as a folder under ``/run/user/UID/gvfs/mtp:host=.../`` on Linux, and delete their
oldest files as they fill up. The athlete folder must keep them all: every activity
file under ``sync.path`` (``.fit``, ``.gpx``, ``.tcx``, each optionally ``.gz``) is
copied into ``watch/`` of the athlete folder, by content:

- a file is known by the SHA-256 of its bytes; the ledger ``watch/.copied.json``
  lists every content ever copied, so a file is copied once whatever its name, even
  after the user moved or deleted the copy, and a file the watch deleted stays;
- the copy keeps the watch's name, or ``name-<8 hex>.fit`` when another file of
  that name is already there; it is written atomically, so a run killed half-way
  leaves a whole file or none (a whole file whose content is there already is found
  again by content, never copied twice);
- a file whose size or time changes while it is read (still being written) is left for
  the next sync, so no half file is ever kept beside the whole one;
- files larger than :data:`MAX_FILE_BYTES` are left with a message, and a ``path`` with
  more than :data:`MAX_FILES` files and folders below it (a wrong ``path``, such as a
  whole disk) copies nothing, said in a message, after looking at no more than that.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loadwatch.fileio import UnsafeTarget, locked, read_regular, write_atomic
from loadwatch.importers.reader import MAX_FILE_BYTES
from loadwatch.sync.client import Unreachable
from loadwatch.sync.settings import SyncSettings
from loadwatch.sync.store import StoreError

FOLDER = "watch"
"""The sub-folder of the athlete folder that receives the copies."""
LEDGER_NAME = ".copied.json"
SUFFIXES = (".fit", ".gpx", ".tcx")
"""Activity files copied (also gzipped: ``.fit.gz``)."""
MAX_FILES = 100_000
"""Most files and folders looked at under ``sync.path``: a watch holds a few thousand at
most; more is a wrong path (a whole disk). [names]"""
MAX_LEDGER_BYTES = 64 << 20
"""Largest ledger read: about 150 bytes a copied file. [bytes]"""


@dataclass
class WatchResult:
    """What one copy from a watch folder did."""

    copied: list[str] = field(default_factory=list)
    """Names of the files copied, in the athlete folder's ``watch/``."""
    known: int = 0
    """Activity files whose content was copied before."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) of files left where they are."""


def _activity_name(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(SUFFIXES)


def _files(source: Path, result: WatchResult) -> list[tuple[Path, os.stat_result]]:
    """Every regular activity file under ``source`` (links not followed), with its stat."""
    found: list[tuple[Path, os.stat_result]] = []
    looked = 0
    for root, dirs, files in os.walk(source, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # Every name counts, not only activity files: a path of "/" would else walk the disk.
        looked += len(dirs) + len(files)
        if looked > MAX_FILES:
            result.skipped.append((str(source), f"more than {MAX_FILES:,} files and folders, "
                                                "nothing copied: is sync.path the watch's "
                                                "activity folder?"))
            return []
        for name in sorted(files):
            if name.startswith(".") or not _activity_name(name):
                continue
            path = Path(root) / name
            try:
                st = path.lstat()
            except OSError as exc:
                result.skipped.append((str(path), f"cannot read it ({exc.strerror or exc})"))
                continue
            if not stat.S_ISREG(st.st_mode):
                result.skipped.append((str(path), "not a regular file, not copied"))
                continue
            if st.st_size > MAX_FILE_BYTES:
                result.skipped.append((str(path), f"{st.st_size:,} bytes, larger than an "
                                                  f"activity file can be ({MAX_FILE_BYTES:,})"))
                continue
            found.append((path, st))
    return found


def _ledger(path: Path) -> dict:
    try:
        doc = json.loads(read_regular(path, MAX_LEDGER_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return {"copied": {}, "seen": {}}
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: the list of files already copied cannot be read ({exc}); "
                         "move it away to copy again (files already there are found by "
                         "content)") from None
    if not isinstance(doc, dict):
        doc = {}
    return {"copied": dict(doc.get("copied") or {}), "seen": dict(doc.get("seen") or {})}


def _unrecorded(dest: Path, copied: dict) -> dict[str, str]:
    """Content digest to name of the files in ``dest`` the ledger does not list: copies a
    killed run wrote before it could record them (usually none), so never copied twice."""
    listed = set(copied.values())
    out: dict[str, str] = {}
    for entry in sorted(os.scandir(dest), key=lambda e: e.name):
        if (entry.name.startswith(".") or entry.name in listed
                or not entry.is_file(follow_symlinks=False)):
            continue
        try:
            out.setdefault(hashlib.sha256(read_regular(entry.path, MAX_FILE_BYTES)).hexdigest(),
                           entry.name)
        except OSError:
            continue
    return out


def copy_new(folder: Path, settings: SyncSettings, *,
             progress: Callable | None = None) -> WatchResult:
    """Copy the activity files under ``settings.path`` that ``folder`` has never received.

    Raises
    ------
    loadwatch.sync.client.Unreachable
        ``sync.path`` is not there or not a folder (a watch not connected): exit 1.
    loadwatch.sync.store.StoreError
        The athlete folder cannot be written.
    """
    source = Path(settings.path or "")
    if not source.is_dir():
        raise Unreachable(f"{source}: the watch folder is not there (is the watch connected and "
                          "mounted?); nothing was copied")
    result = WatchResult()
    files = _files(source, result)
    dest = folder / FOLDER
    ledger_path = dest / LEDGER_NAME
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with locked(ledger_path):
            ledger = _ledger(ledger_path)
            copied, seen = ledger["copied"], ledger["seen"]
            loose = _unrecorded(dest, copied)
            present: dict[str, str] = {}   # only the files there now: the ledger stays small
            bar = (progress(f"Copying from {source}", len(files), "files") if progress
                   else contextlib.nullcontext())
            with bar as tick:
                for path, st in files:
                    _copy_one(path, st, source, dest, copied, seen, present, loose, result)
                    if tick is not None:
                        tick.update(1)
            doc = {"copied": copied, "seen": present}
            write_atomic(ledger_path, (json.dumps(doc, indent=1, sort_keys=True) + "\n")
                         .encode("utf-8"))
    except UnsafeTarget as exc:
        raise StoreError(str(exc)) from None
    except OSError as exc:
        raise StoreError(f"{dest}: cannot copy into the athlete folder "
                         f"({exc.strerror or exc})") from None
    return result


def _copy_one(path: Path, st: os.stat_result, source: Path, dest: Path, copied: dict,
              seen: dict, present: dict, loose: dict[str, str], result: WatchResult) -> None:
    """Copy one file unless its content was copied before; ``seen`` (name, size and time to
    content, from the last run) spares re-reading an unchanged file."""
    quick = f"{path.relative_to(source)}|{st.st_size}|{st.st_mtime_ns}"
    digest = seen.get(quick)
    if digest is not None and digest in copied:
        present[quick] = digest
        result.known += 1
        return
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        result.skipped.append((str(path), f"cannot read it ({exc.strerror or exc})"))
        return
    try:
        after = path.lstat()
    except OSError:
        after = None
    if (len(data) != st.st_size or after is None
            or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns)):
        # Still being written (a watch saving, a slow MTP copy): a half file copied now would
        # stay beside the whole one for ever. Not recorded, so the next sync reads it again.
        result.skipped.append((str(path), "it changed while it was read (still being "
                                          "written?); the next sync copies it"))
        return
    digest = hashlib.sha256(data).hexdigest()
    present[quick] = digest
    if digest in copied:
        result.known += 1
        return
    there = loose.get(digest)
    if there is not None:
        copied[digest] = there
        result.known += 1
        return
    name = path.name
    if (dest / name).exists():
        stem, dot, rest = name.partition(".")
        name = f"{stem}-{digest[:8]}{dot}{rest}"
    write_atomic(dest / name, data)
    copied[digest] = name
    result.copied.append(name)

