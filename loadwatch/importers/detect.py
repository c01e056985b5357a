"""Which format a file is, from its content, and the one entry point that reads it.

Extensions lie (upper case, ``.bin.gz``, a renamed download), so the format is
read from the bytes: a FIT header has ``.FIT`` at offset 8; XML is told apart by
its root element (``<gpx>`` or ``<TrainingCenterDatabase>``); gzip is opened
transparently first.
"""

from __future__ import annotations

import re
import zlib

from loadwatch.importers.base import Activity, ImportFailure, Skip
from loadwatch.importers.bounds import bound

FORMATS = ("fit", "gpx", "tcx", "csv", "zip")

_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(gpx|TrainingCenterDatabase)\b", re.IGNORECASE)


MAX_UNCOMPRESSED = 200 << 20
"""Largest activity file unpacked from gzip or a zip member. [bytes]

A 24-hour GPX recorded every second with heart rate is about 30 MB and the largest
FIT files seen are a few MB; 200 MiB leaves room for any real recording while a
"gzip bomb" is stopped long before it fills memory."""

MAX_RATIO = 100
"""Largest uncompressed / compressed size accepted above :data:`RATIO_FLOOR`. [unitless]

Activity files compress 1-15x (FIT about 1-11x, GPX and TCX 10-15x in the corpus);
deflate can reach about 1030x on repeated bytes, which only crafted files do."""

RATIO_FLOOR = 16 << 20
"""Output size below which the ratio is not checked: small files may compress very well. [bytes]"""

_FIRST_CHUNK = 4096
_LARGEST_CHUNK = 1 << 20


def unpack_limit(compressed_size: int) -> int:
    """How many bytes ``compressed_size`` bytes of gzip or deflate data may unpack to.

    Notes
    -----
    limit = min(MAX_UNCOMPRESSED, max(RATIO_FLOOR, MAX_RATIO * compressed_size)).

    >>> unpack_limit(1_000) == RATIO_FLOOR
    True
    >>> unpack_limit(10 << 20) == MAX_UNCOMPRESSED
    True
    """
    return min(MAX_UNCOMPRESSED, max(RATIO_FLOOR, MAX_RATIO * compressed_size))


def gunzip(data: bytes, path: str, limit: int | None = None) -> bytes:
    """``data`` uncompressed if it is gzip (concatenated members too), else as is.

    Parameters
    ----------
    data : bytes
    path : str
        Where it came from (for messages).
    limit : int, optional
        Most bytes to unpack; default :func:`unpack_limit` of ``len(data)``. [bytes]

    Raises
    ------
    ImportFailure
        Damaged gzip, or it unpacks to more than the limit (a size and a ratio).

    Notes
    -----
    Members are fed to zlib in chunks that start at 4 KiB and double while a member
    goes on, so the bytes zlib copies at the end of each member are bounded by the
    chunk, not by the rest of the file: the time is linear in the file's size
    whatever the number of members. Bytes after the last member that are not gzip
    are ignored (as ``gzip -d`` does with a warning).
    """
    if data[:2] != b"\x1f\x8b":
        return data
    if limit is None:
        limit = unpack_limit(len(data))
    view = memoryview(data)
    out: list[bytes] = []
    total = pos = 0
    try:
        while view[pos:pos + 2] == b"\x1f\x8b":
            d = zlib.decompressobj(wbits=31)
            chunk = _FIRST_CHUNK
            while not d.eof:
                if pos >= len(data):
                    raise ImportFailure("damaged gzip file (it ends too early)")
                piece = view[pos:pos + chunk]
                block = d.decompress(piece, limit + 1 - total)
                total += len(block)
                out.append(block)
                if total > limit or d.unconsumed_tail:
                    raise ImportFailure(
                        f"gzip file unpacks to more than {limit:,} bytes "
                        f"({len(data):,} compressed); refused as a likely gzip bomb")
                pos += len(piece) - len(d.unused_data)
                chunk = min(chunk * 2, _LARGEST_CHUNK)
    except zlib.error as exc:
        raise ImportFailure(f"damaged gzip file ({exc})") from exc
    return b"".join(out)


def sniff(data: bytes, name: str = "") -> str | None:
    """The format of (uncompressed) ``data``: one of ``FORMATS``, or None if unknown.

    >>> sniff(b"\\x0e\\x10\\x00\\x00\\x00\\x00\\x00\\x00.FIT\\x00\\x00")
    'fit'
    >>> sniff(b'<?xml version="1.0"?><gpx version="1.1">')
    'gpx'
    """
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 XML, byte-order mark first
        codec = "utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be"
        head = data[2:8194].decode(codec, errors="ignore").encode("utf-8")
    m = _ROOT.search(head)
    if m:
        return "gpx" if m.group(1).lower() == b"gpx" else "tcx"
    lower = name.lower().removesuffix(".gz")
    if lower.endswith(".csv"):
        return "csv"
    # XML that lost its root element still belongs to its parser, for a precise error.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        for ext in ("gpx", "tcx"):
            if lower.endswith("." + ext):
                return ext
    return None


def read_activity_file(data: bytes, path: str) -> list[Activity]:
    """Read one activity file (FIT, GPX or TCX, optionally gzipped) of any name.

    Raises
    ------
    Skip
        Not an activity file (a FIT course, an unknown format that is not an
        activity).
    ImportFailure
        Damaged or unreadable.
    """
    data = gunzip(data, path)
    fmt = sniff(data, path)
    # Each format's reader is imported when a file of it is first read: fitparse and
    # gpxpy take a tenth of a second or more to import, and most folders hold one format.
    if fmt == "fit":
        from loadwatch.importers.fit import read_fit as reader
    elif fmt == "gpx":
        from loadwatch.importers.gpx import read_gpx as reader
    elif fmt == "tcx":
        from loadwatch.importers.tcx import read_tcx as reader
    elif not data.strip():
        raise ImportFailure("empty file")
    else:
        raise ImportFailure("unknown format (not FIT, GPX or TCX)")
    activities = reader(data, path)
    # An activity that cannot be placed on a day cannot count towards any load.
    dated = [bound(a) for a in activities if a.start_utc is not None]
    if activities and not dated:
        raise Skip("an activity with no usable start time (the device clock was not set), so it "
                   "cannot be placed on a day")
    return dated
