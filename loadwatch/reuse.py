"""A warm squad reuses an athlete's report when nothing it depends on has changed.

A squad of 1,000 athletes re-reads folders of which, on a given morning, a handful
changed. An athlete's report is a pure function of: the activity files (the import's
:func:`~loadwatch.importers.walk.manifest` digest: path, size, mtime and mode of every
file), loadwatch's own files in the folder (``loadwatch.toml``, ``pain.csv``: their
size and mtime), the settings as resolved (the squad's and the user's files and the
environment included, compared by value), the report date, the zone and weeks asked
for, and loadwatch's own code. :func:`key` hashes all of them; the squad keeps the
report under that key in the parse cache (:meth:`loadwatch.importers.cache.Store.
save_result`) and takes it back only when every one of them is the same. Only
reports made without any problem are kept (a file that could not be read, a diary
left out, an error row are made again every time, so their messages stay current).

``--no-cache`` (no cache at all) makes every report afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from loadwatch import config as config_mod
from loadwatch import timeline
from loadwatch.importers.walk import NOT_ACTIVITIES, Manifest, manifest
from loadwatch.version import __version__

_CODE_SUFFIXES = (".py", ".j2", ".css", ".js", ".json")


@cache
def code_fingerprint() -> str:
    """A hash of loadwatch's version and of every code, template and schema file's path,
    size and mtime: a report made by other code is never reused.

    Computed once per process: the code a process runs cannot change under it.
    """
    root = Path(__file__).resolve().parent  # the package: this module sits at its top
    lines = [__version__]
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(_CODE_SUFFIXES):
                st = os.stat(os.path.join(folder, name))
                lines.append(f"{os.path.relpath(os.path.join(folder, name), root)}"
                             f"\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Keyed:
    """What :func:`key` found: the ``key``, the report date (``as_of``), and the resolved
    ``settings`` and ``known`` manifest it hashed, for the report to use as they are rather
    than read the settings and walk the folder a second time."""

    key: str
    as_of: date
    settings: config_mod.Config
    known: Manifest


def key(folder: Path, *, as_of: date | None, tz: str | None, weeks: int,
        follow_links: bool) -> Keyed | None:
    """The key of an athlete's report, or None when it cannot be keyed (not a folder). The
    report date is ``as_of``, else today in the athlete's zone.

    Raises
    ------
    loadwatch.config.ConfigError, loadwatch.timeline.TimezoneError
        As loading the athlete would.
    """
    known = manifest([folder], follow_links)
    if known.digest is None:
        return None
    settings = config_mod.resolve(folder)
    zone = timeline.resolve_tz(tz or settings.athlete.timezone)
    if as_of is None:
        from loadwatch.assessment import today

        as_of = today(zone)
    own = sorted(f"{where}\0{size}\0{mtime_ns}"
                 for walk in known.walks.values()
                 for where, size, mtime_ns, _mode, _real in walk.rows
                 if where.rpartition(os.sep)[2].lower() in NOT_ACTIVITIES)
    parts = [code_fingerprint(), known.spec, known.digest, own, repr(settings),
             as_of.isoformat(), tz, weeks, follow_links]
    text = json.dumps(parts, ensure_ascii=True, default=str)
    return Keyed(hashlib.sha256(text.encode("ascii")).hexdigest(), as_of, settings, known)


def pack(name: str, report: dict) -> bytes:
    """The kept form of a report: its JSON, compressed."""
    return zlib.compress(json.dumps([name, report], ensure_ascii=False).encode("utf-8"), 1)


def unpack(body: bytes) -> tuple[str, dict] | None:
    """``(name, report)`` from :func:`pack`'s bytes, or None if they do not read back."""
    try:
        name, report = json.loads(zlib.decompress(body).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError, TypeError):
        return None
    return (name, report) if isinstance(name, str) and isinstance(report, dict) else None
