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


MAX_UNCOMPRESSED = 1 << 30
"""Largest activity file unpacked from gzip (a gzip bomb guard); real ones are < 50 MB. [bytes]"""


def gunzip(data: bytes, path: str, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """``data`` uncompressed if it is gzip (concatenated members too), else as is."""
    if data[:2] != b"\x1f\x8b":
        return data
    out, rest = [], data
    try:
        while rest[:2] == b"\x1f\x8b":
            d = zlib.decompressobj(wbits=31)
            out.append(d.decompress(rest, limit + 1 - sum(map(len, out))))
            if sum(map(len, out)) > limit:
                raise ImportFailure(f"gzip file unpacks to more than {limit >> 20} MiB; refused")
            if not d.eof:
                raise ImportFailure("damaged gzip file (it ends too early)")
            rest = d.unused_data
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
