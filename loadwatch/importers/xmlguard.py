"""Cheap size and nesting checks on XML bytes, before any XML parser sees them.

A GPX of a couple of KB gzipped can hold a million nested elements; gpxpy (and
the recursion in the Python code behind it) then exhausts the C stack and the
process dies with a segmentation fault, which no ``except`` can catch and which
repeats on every later run over the same folder. Real activity files nest less
than a dozen deep (``gpx/trk/trkseg/trkpt/extensions/gpxtpx:TrackPointExtension/
gpxtpx:hr`` is 7; TCX reaches about 9), so a generous limit refuses only crafted
files. The check runs over the raw bytes with numpy, in fixed-size blocks, so its
time is linear and its memory bounded whatever the input.
"""

from __future__ import annotations

import codecs
import re

import numpy as np

from loadwatch.importers.base import ImportFailure
from loadwatch.textcodec import decode_text

MAX_XML_BYTES = 200 << 20
"""Largest GPX or TCX file parsed; a day-long 1 Hz recording is about 30 MB. [bytes]"""

MAX_XML_DEPTH = 100
"""Deepest element nesting accepted; real GPX and TCX files stay below 12. [elements]"""

_BLOCK = 4 << 20
_LT, _SLASH, _GT, _BANG, _QUESTION = (ord(c) for c in "</>!?")


def nesting_depth(data: bytes, stop_above: int | None = None) -> int:
    """The deepest element nesting in ``data``, counted from its tags.

    Parameters
    ----------
    data : bytes
        XML text (UTF-8, Latin-1 or any ASCII-compatible encoding).
    stop_above : int, optional
        Return as soon as the depth exceeds this (saves reading the rest).

    Returns
    -------
    int
        Maximum over the file of (start tags - end tags - empty-element tags) so far.

    Notes
    -----
    A start tag is ``<`` followed by anything but ``/``, ``!`` or ``?``; an end tag
    is ``</``; an empty element's ``/>`` closes what its ``<`` opened. ``<`` inside
    comments or CDATA is counted as a start tag, so the figure is an upper bound for
    such files; that can only refuse a file with more than the limit of unmatched
    ``<`` in its comments, which no device writes.

    >>> nesting_depth(b'<?xml version="1.0"?><a><b x="1"/><c><d>t</d></c></a>')
    3
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    depth = deepest = 0
    for start in range(0, len(buf), _BLOCK):
        here = buf[start:start + _BLOCK]
        # The byte after each one, across the block's end; the file's last byte has none.
        after = buf[start + 1:start + _BLOCK + 1]
        if len(after) < len(here):
            after = np.append(after, np.uint8(0))
        is_lt = here == _LT
        opens = is_lt & (after != _SLASH) & (after != _BANG) & (after != _QUESTION)
        closes = (is_lt & (after == _SLASH)) | ((here == _SLASH) & (after == _GT))
        step = opens.astype(np.int32) - closes.astype(np.int32)
        running = np.cumsum(step, dtype=np.int64) + depth
        if len(running):
            deepest = max(deepest, int(running.max()))
            depth = int(running[-1])
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def safe_xml_bytes(data: bytes, what: str) -> bytes:
    """The file as UTF-8 XML, once it is known to be small and shallow enough to parse.

    Parameters
    ----------
    data : bytes
        The uncompressed file.
    what : str
        ``GPX`` or ``TCX``, for the message.

    Returns
    -------
    bytes
        ``data`` itself when it is UTF-8 already, else re-encoded (:func:`to_utf8`).

    Raises
    ------
    ImportFailure
        More than :data:`MAX_XML_BYTES` bytes, or nesting deeper than
        :data:`MAX_XML_DEPTH` (:func:`nesting_depth`).
    """
    if len(data) > MAX_XML_BYTES:
        raise ImportFailure(f"{what} file of {len(data):,} bytes is larger than "
                            f"{MAX_XML_BYTES:,}; refused")
    data = to_utf8(data)
    depth = nesting_depth(data, stop_above=MAX_XML_DEPTH)
    if depth > MAX_XML_DEPTH:
        raise ImportFailure(f"{what} elements nested more than {MAX_XML_DEPTH} deep; refused "
                            "(no real recording nests like that)")
    return data


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def _utf8_markup(data: bytes) -> bool:
    """Whether the bytes are UTF-8 up to a closing tag after which only garbage follows:
    bytes after the document that are not UTF-8 (left for the salvage to report) are no
    sign of another encoding."""
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return bool(_CLOSED.search(data[:exc.start]))


_CLOSED = re.compile(rb"</[^<>]+>[\s\x00]*$")


def to_utf8(data: bytes) -> bytes:
    """XML bytes in any encoding as UTF-8, with the declaration saying so.

    Notes
    -----
    The encoding is the byte-order mark's, else the one the XML declaration names
    (``encoding="ISO-8859-1"``), else UTF-8 when the bytes are valid UTF-8, else
    Windows-1252 (:func:`loadwatch.textcodec.decode_text`): GPX from older tools is
    often Latin-1 without saying so. A declared encoding the bytes do not fit is
    treated as undeclared. UTF-8 input without a byte-order mark comes back unchanged,
    also when bytes that are not UTF-8 follow its last ``>`` (trailing garbage, which
    the salvage reports, must not turn the whole file into Windows-1252).

    >>> to_utf8('<?xml version="1.0" encoding="ISO-8859-1"?><name>Løp</name>'.encode("latin-1"))
    b'<?xml version="1.0" encoding="UTF-8"?><name>L\xc3\xb8p</name>'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        # The mark decides; bytes that do not fit it become U+FFFD.
        text = decode_text(data).text
    else:
        text = None
        m = _DECLARED.match(data)
        declared = m.group(1).decode("ascii") if m else "utf-8"
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = "utf-8"
        if codec != "utf-8":
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = None
        if text is None:
            decoded = decode_text(data)
            if decoded.is_utf8 or _utf8_markup(data):
                return data
            text = decoded.text
    text = text.lstrip("\ufeff")
    head, sep, rest = text.partition("?>") if text.lstrip().startswith("<?xml") else ("", "", text)
    if sep:
        head = re.sub(r"""\bencoding\s*=\s*["'][^"']*["']""", 'encoding="UTF-8"', head, count=1)
    return (head + sep + rest).encode("utf-8")
