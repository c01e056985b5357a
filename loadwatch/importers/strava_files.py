"""Where the files of a Strava export are: beside ``activities.csv`` in a folder, or in its zip.

The ``Filename`` cell of a row names its file relative to the export root
(``activities/123.fit.gz``). :func:`resolve_in_folder` finds it in a folder
(case-insensitively, with or without ``.gz``, never outside the export);
:class:`StravaExport` reads an export ``.zip`` in place, each member within
:data:`MAX_MEMBER_BYTES` and the compression-ratio limit (a zip bomb guard). The
CSV itself is :mod:`loadwatch.importers.strava`'s.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from loadwatch.importers.base import ImportFailure
from loadwatch.importers.detect import MAX_RATIO, MAX_UNCOMPRESSED, RATIO_FLOOR

MAX_MEMBER_BYTES = MAX_UNCOMPRESSED
"""Largest uncompressed zip member read (zip bomb guard); a Strava file is a few MB. [bytes]

Above :data:`~loadwatch.importers.detect.RATIO_FLOOR` a member must also unpack to at most
:data:`~loadwatch.importers.detect.MAX_RATIO` times its compressed size."""

CSV_NAME = "activities.csv"


def safe_parts(filename: str) -> tuple[str, ...] | None:
    """The parts of a relative ``Filename``; None if absolute or climbing out with ``..``.

    >>> safe_parts("activities/1.fit.gz"), safe_parts("../evil"), safe_parts("/etc/passwd")
    (('activities', '1.fit.gz'), None, None)
    """
    text = filename.strip().replace("\\", "/")
    if not text or text.startswith("/") or re.match(r"[A-Za-z]:", text):
        return None
    parts = tuple(p for p in text.split("/") if p not in ("", "."))
    if not parts or ".." in parts:
        return None
    return parts


def _gz_variants(parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """``parts``, then the same file with ``.gz`` added or removed.

    Athletes often gunzip an export's files (or tools do it for them), leaving
    ``activities/1.gpx`` where the CSV says ``activities/1.gpx.gz``.
    """
    *folders, name = parts
    other = name[:-3] if name.lower().endswith(".gz") else name + ".gz"
    return parts, (*folders, other)


@lru_cache(maxsize=64)
def _listing(folder: str, mtime_ns: int) -> tuple[frozenset[str], dict[str, str]]:
    """A folder's entry names and a casefolded look-up; ``mtime_ns`` keys the cache,
    so a folder that changed is listed again."""
    names = frozenset(os.listdir(folder))
    return names, {n.casefold(): n for n in sorted(names)}


def _find(root: Path, parts: tuple[str, ...]) -> Path | None:
    """``root / parts`` spelled as on disk (exact name first, else ignoring case)."""
    current = root
    for part in parts:
        try:
            names, folded = _listing(str(current), current.stat().st_mtime_ns)
        except OSError:
            return None
        name = part if part in names else folded.get(part.casefold())
        if name is None:
            return None
        current = current / name
    return current if current.is_file() else None


def resolve_in_folder(csv_path: Path, filename: str) -> Path | None:
    """The file a ``Filename`` cell names, in the export folder holding ``csv_path``.

    Parameters
    ----------
    csv_path : Path
        The ``activities.csv``; its folder is the export root.
    filename : str
        The cell, e.g. ``activities/12866632127.fit.gz`` (``/`` or ``\\`` separated).

    Returns
    -------
    Path or None
        ``csv_path.parent / ...`` spelled as on disk (so it equals the path a folder
        walk from the same root yields); None when no such file exists, or the name is
        absolute, climbs out with ``..`` or leads outside the folder through a link.

    Notes
    -----
    Case differences are tolerated (an export unpacked on one system and copied to
    another), and so is a ``.gz`` the athlete removed or added.
    """
    parts = safe_parts(filename)
    if parts is None:
        return None
    root = csv_path.parent
    for candidate in _gz_variants(parts):
        found = _find(root, candidate)
        if found is not None:
            return found if found.resolve().is_relative_to(root.resolve()) else None
    return None


class StravaExport:
    """A Strava export ``.zip`` opened in place (nothing is extracted to disk).

    Attributes
    ----------
    csv_name : str
        The member holding ``activities.csv`` (``activities.csv`` or ``<folder>/activities.csv``).
    csv_bytes : bytes
        Its content.

    Use as a context manager, or call :meth:`close`, to release the zip file.
    """

    def __init__(self, archive: zipfile.ZipFile, csv_info: zipfile.ZipInfo,
                 members: dict[str, zipfile.ZipInfo]):
        self._archive = archive
        self._members = members
        self.csv_name = csv_info.filename
        self._prefix = _member_name(csv_info.filename).rpartition("/")[0]
        self.csv_bytes = self.read(csv_info)

    def read_member(self, filename: str) -> bytes | None:
        """The bytes of the file a ``Filename`` cell names, or None if the zip lacks it.

        Parameters
        ----------
        filename : str
            Relative to the export root (the folder holding ``activities.csv``).

        Raises
        ------
        ImportFailure
            The name is absolute or climbs out with ``..``; the member is larger than
            :data:`MAX_MEMBER_BYTES` uncompressed or unpacks more than
            :data:`~loadwatch.importers.detect.MAX_RATIO` times its size; or it is damaged.

        Notes
        -----
        Case differences and a removed or added ``.gz`` are tolerated, as in
        :func:`resolve_in_folder`; :meth:`member_info` gives the member a cell
        leads to, so that cells spelling one member differently can read it once.
        """
        info = self.member_info(filename)
        return None if info is None else self.read(info)

    def member_info(self, filename: str) -> zipfile.ZipInfo | None:
        """The zip member a ``Filename`` cell names, or None if the zip lacks it.

        Raises
        ------
        ImportFailure
            The name is absolute or climbs out with ``..``.
        """
        parts = safe_parts(filename)
        if parts is None:
            raise ImportFailure(f"refused {filename!r}: an absolute path or one with '..'")
        for candidate in _gz_variants(parts):
            key = "/".join((self._prefix, *candidate) if self._prefix else candidate)
            info = self._members.get(key.casefold())
            if info is not None:
                return info
        return None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The bytes of one member (see :func:`read_zip_member` for the limits)."""
        return read_zip_member(self._archive, info)

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> StravaExport:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _member_name(name: str) -> str:
    return name.replace("\\", "/")


ZIP_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError,
                   RuntimeError)
"""What reading a damaged, encrypted or oddly compressed zip member can raise."""


def read_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of one member, within :data:`MAX_MEMBER_BYTES` and the ratio limit (any zip,
    not only Strava's).

    Raises
    ------
    ImportFailure
        The member is larger than the limit uncompressed, unpacks to more than
        :data:`~loadwatch.importers.detect.MAX_RATIO` times its compressed size, or is damaged.
    """
    if info.file_size > MAX_MEMBER_BYTES:
        raise ImportFailure(f"refused {info.filename!r}: {info.file_size:,} bytes uncompressed "
                            f"(more than {MAX_MEMBER_BYTES:,}; a zip bomb?)")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
        raise ImportFailure(f"refused {info.filename!r}: {info.file_size:,} bytes from "
                            f"{info.compress_size:,} compressed (more than {MAX_RATIO}x; "
                            "a zip bomb?)")
    try:
        # zipfile stops at the declared size and checks the CRC, so a member cannot unpack
        # to more than file_size whatever its header claims.
        return archive.read(info)
    except ZIP_READ_ERRORS as exc:
        raise ImportFailure(zip_read_problem(info, exc)) from exc


def zip_read_problem(info: zipfile.ZipInfo, exc: BaseException) -> str:
    """One line saying why a zip member could not be read (zipfile's own message for an
    encrypted member is a dump of its ``ZipInfo``)."""
    if info.flag_bits & 0x1:
        return (f"cannot read {info.filename!r} from the zip: it is encrypted (password-"
                "protected); unpack it with its password and import the files")
    return f"cannot read {info.filename!r} from the zip ({exc})"


def zip_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """A zip's files by casefolded ``/``-separated name; absolute names and ``..`` left out."""
    return {_member_name(i.filename).casefold(): i for i in archive.infolist()
            if not i.is_dir() and safe_parts(i.filename) is not None}


def open_export_zip(path: Path) -> StravaExport:
    """Open a Strava export ``.zip`` in place and read its ``activities.csv``.

    Parameters
    ----------
    path : Path
        The zip file.

    Returns
    -------
    StravaExport
        ``csv_bytes``, ``csv_name`` and ``read_member(filename)``; close it when done.

    Raises
    ------
    ImportFailure
        Not a zip or damaged; no ``activities.csv`` at the top or inside one folder;
        several of them; or the CSV member is too large or unreadable.

    Notes
    -----
    Members with absolute names or ``..`` parts are never looked up, so a crafted
    zip cannot lead a ``Filename`` outside the export.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFailure(f"damaged or not a zip file ({exc})") from exc
    try:
        members = zip_members(archive)
        candidates = sorted((key.count("/"), key) for key in members
                            if key.rpartition("/")[2] == CSV_NAME and key.count("/") <= 1)
        if not candidates:
            raise ImportFailure(f"no {CSV_NAME} at the top of the zip or in one folder "
                                "(is this a Strava export?)")
        shallowest = [members[key] for depth, key in candidates if depth == candidates[0][0]]
        if len(shallowest) > 1:
            names = ", ".join(i.filename for i in shallowest)
            raise ImportFailure(f"several exports in one zip ({names}); "
                                "unzip it and import the folders one by one")
        return StravaExport(archive, shallowest[0], members)
    except BaseException:
        archive.close()
        raise
