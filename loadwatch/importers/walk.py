"""Walking a folder: every regular file in a stable order, every entry left out and why.

:func:`scan` is the walk the import reads (one ``os.scandir`` per folder, one
``stat`` per file); :func:`manifest` turns the walks of an import into the digest
the whole-import cache is keyed on.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from loadwatch.fileio import kind
from loadwatch.importers.cache import PARSER_VERSION, sha256

NOT_ACTIVITIES = {"loadwatch.toml", "pain.csv", "rpe.csv"}
"""loadwatch's own files in an athlete folder."""


NOT_FOLLOWED = "a link to outside the folder, not followed (--follow-links reads it)"


UNLISTED = "cannot read the folder"
"""How the reason for a folder that cannot be listed begins: its files are unknown, so
the import is incomplete (an error, exit 1), and the import is not cached ("cannot read")."""


@dataclass(frozen=True)
class FolderWalk:
    """What :func:`scan` found in one folder: the regular files, and what it left out and why.

    ``rows`` holds each file as ``(path, size, mtime_ns, mode, real)`` with ``path`` a
    string: a warm import only hashes them (:func:`manifest`), and a ``Path`` and a
    :class:`Found` per file of a 15,000-file folder cost more than the folder's listing
    and ``stat`` calls. :attr:`files` makes the Found objects an import reads.
    """

    rows: list[tuple[str, int, int, int, str]]
    skipped: list[tuple[Path, str]]

    @property
    def files(self) -> list[Found]:
        """The files as :class:`Found`, in walk order."""
        return [Found(Path(where), size, mtime_ns, mode, real)
                for where, size, mtime_ns, mode, real in self.rows]


@dataclass(frozen=True)
class Manifest:
    """What an import depends on (:func:`manifest`)."""

    spec: str
    digest: str | None
    walks: dict[Path, FolderWalk]


def manifest(paths: Iterable[str | os.PathLike], follow_links: bool = False) -> Manifest:
    """What an import of ``paths`` depends on: its ``spec``, ``digest`` and folder ``walks``.

    ``spec`` names the import (the absolute paths and ``follow_links``); ``digest``
    hashes every file the folder walks found (path, size, mtime, mode, real path),
    every entry they skipped and why, and the parser version: the same digest
    means the same import, so its result can be taken from the cache
    (:meth:`loadwatch.importers.cache.Store.load_import`). ``digest`` is None when a path is
    not a folder (a file named on the command line may name others beside it).
    ``walks`` holds the folder walks, for :func:`import_paths` to reuse.

    Notes
    -----
    loadwatch's own files (``loadwatch.toml``, ``pain.csv``, ``rpe.csv``) are left out:
    the import never reads them, and the diary and the RPE log change every day.
    """
    paths = [Path(p) for p in paths]
    spec = json.dumps(["import", [os.fsdecode(os.path.abspath(p)) for p in paths], follow_links],
                      ensure_ascii=True)
    walks: dict[Path, FolderWalk] = {}
    lines = [f"parser {PARSER_VERSION}"]
    for path in paths:
        if not path.is_dir():
            return Manifest(spec, None, walks)
        walk = walks[path] = scan(path, follow_links)
        lines += [f"{where}\0{size}\0{mtime_ns}\0{mode}\0{real}"
                  for where, size, mtime_ns, mode, real in walk.rows
                  if where.rpartition(os.sep)[2].lower() not in NOT_ACTIVITIES]
        lines += [f"skip\0{p}\0{reason}" for p, reason in walk.skipped]
    text = "\n".join(lines)
    return Manifest(spec, sha256(text.encode("utf-8", "surrogateescape")), walks)


@dataclass(frozen=True)
class Found:
    """A regular file a folder walk found: its path, its ``stat`` and its real path."""

    path: Path
    size: int
    mtime_ns: int
    mode: int
    real: str


def scan(root: Path, follow_links: bool = False) -> FolderWalk:
    """Every regular file under ``root`` (stat'ed once) and every entry skipped, with why.

    Returns
    -------
    FolderWalk
        ``rows`` (one per file, see :class:`FolderWalk`) in a stable order: a
        folder's files by name, then its sub-folders by name; ``skipped`` (list of (Path, str)): FIFOs, devices, sockets, broken links, unreadable files and (unless
        ``follow_links``) links leading outside ``root``, in walk order.

    Notes
    -----
    One ``os.scandir`` per folder and one ``stat`` per file: the real path of a file
    is its folder's real path and its name unless the file is a link, so no path is
    resolved per file. Hidden files and folders are left out; with ``follow_links``
    each real folder is walked once (links can make cycles).
    """
    top = os.path.realpath(root)
    files: list[tuple[str, int, int, int, str]] = []
    skipped: list[tuple[Path, str]] = []
    visited: set[tuple[int, int]] = set()

    def walk(folder: Path) -> None:
        if follow_links:
            try:
                st = os.stat(folder)
            except OSError:
                return
            if (st.st_dev, st.st_ino) in visited:
                return
            visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            # Not passed over in silence (os.walk's way): its files are missing from the load.
            skipped.append((folder, f"{UNLISTED} ({exc.strerror or exc}): its files were not "
                                    "imported; make it readable and run again"))
            return
        real_folder = os.path.realpath(folder)
        real_prefix = os.path.join(real_folder, "")
        # str(folder / name) without a Path per entry (the path of a sub-folder or a
        # skipped entry is made as before).
        prefix = "" if str(folder) == "." else os.path.join(str(folder), "")
        subdirs = []
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            link = e.is_symlink()
            if is_dir:
                path = folder / e.name
                if not follow_links and link:
                    if not _inside(path, Path(top)):
                        skipped.append((path, NOT_FOLLOWED))
                    continue
                subdirs.append(path)
                continue
            try:
                st = e.stat()
            except OSError:
                skipped.append((folder / e.name,
                                "a broken link, not read" if link else "cannot read it"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append((folder / e.name,
                                f"{kind(st.st_mode)}, not a regular file: not read"))
                continue
            if link:
                path = folder / e.name
                real = os.path.realpath(path)
                if not follow_links and not Path(real).is_relative_to(top):
                    skipped.append((path, NOT_FOLLOWED))
                    continue
                files.append((str(path), st.st_size, st.st_mtime_ns, st.st_mode, real))
                continue
            files.append((prefix + e.name, st.st_size, st.st_mtime_ns, st.st_mode,
                          real_prefix + e.name))
        for sub in subdirs:
            walk(sub)

    walk(Path(root))
    return FolderWalk(files, skipped)


def _inside(path: Path, top: Path) -> bool:
    return path.resolve().is_relative_to(top)
