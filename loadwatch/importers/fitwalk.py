"""The structure of a FIT file, walked before any decoding: damage, bounds, the summaries.

Walking the message headers and skipping every message by its defined size is
two orders of magnitude faster than decoding them. :func:`walk_file` reads the
FIT headers (several when files are chained), each file's CRC
(:func:`loadwatch.importers.fitcrc.fit_crc`), and the header of every message.
It bounds the work (at most :data:`MAX_MESSAGES` messages, :data:`MAX_SESSIONS`
sessions, and empty messages beyond :data:`MAX_EMPTY_MESSAGES` only one per
:data:`EMPTY_MESSAGE_BYTES` bytes of real data: more is no recording but a
malformed or hostile file, refused before fitparse spends minutes on it), finds
the damage to report (a file cut short, a header whose data size was never
written, bytes after the end of the FIT data, a CRC that fails), and collects
the raw fields of the file_id, session and activity messages: a complete,
well-formed file needs nothing else, so its records are never decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from loadwatch.importers.base import ImportFailure
from loadwatch.importers.fitcrc import fit_crc

MAX_MESSAGES = 1_000_000
"""Most data messages read from one file: 11 days of 1 Hz records (real files hold
up to about 100,000). [count]"""


MAX_EMPTY_MESSAGES = 1_000
"""Data messages without any field tolerated in one file whatever else it holds; more
must be paid for by data (:data:`EMPTY_MESSAGE_BYTES`). [count]"""


EMPTY_MESSAGE_BYTES = 8
"""Bytes of messages with fields each empty message past :data:`MAX_EMPTY_MESSAGES`
needs, so a file's messages stay in proportion to what it recorded: a Sigma ROX
writes an empty manufacturer message after each record of about 20 bytes, while
the zero-size bomb is all 1-byte empty messages (a few KB of .fit.gz unpack to
millions, which fitparse decodes for minutes). [bytes]"""


MAX_SESSIONS = 100
"""Most sessions in one file; a triathlon has five, a swim with rests a few dozen. [count]"""


_BASE_TYPES = {  # base type number -> (struct code, size, invalid value or None for NaN)
    0x00: ("B", 1, 0xFF), 0x01: ("b", 1, 0x7F), 0x02: ("B", 1, 0xFF),
    0x03: ("h", 2, 0x7FFF), 0x04: ("H", 2, 0xFFFF), 0x05: ("i", 4, 0x7FFFFFFF),
    0x06: ("I", 4, 0xFFFFFFFF), 0x0A: ("B", 1, 0), 0x0B: ("H", 2, 0), 0x0C: ("I", 4, 0),
}


_FAST_MESSAGES = {0: "file_id", 18: "session", 34: "activity"}


_SESSION_FIELDS = {2: "start_time", 3: "start_position_lat", 5: "sport", 6: "sub_sport", 7: "total_elapsed_time",
                   8: "total_timer_time", 9: "total_distance", 16: "avg_heart_rate",
                   17: "max_heart_rate", 22: "total_ascent", 193: "workout_rpe"}


SCALES = {"total_elapsed_time": 1000.0, "total_timer_time": 1000.0, "total_distance": 100.0}


_FIELDS = {0: {0: "type", 1: "manufacturer", 2: "product"}, 18: _SESSION_FIELDS,
           34: {253: "timestamp", 5: "local_timestamp"}}


@dataclass
class Walk:
    """What :func:`walk_file` found in a file's structure."""

    readable: bytes
    files: int = 0
    cut_bytes: int = 0
    unfinished: bool = False
    garbage_bytes: int = 0
    bad_crc: int = 0
    messages: int = 0
    empty: int = 0
    data_bytes: int = 0
    sessions: int = 0
    found: dict | None = None
    summaries_ok: bool = True

    def warnings(self) -> list[str]:
        """One line per damage found, saying what was read and what was lost."""
        out = []
        if self.unfinished:
            out.append("the FIT header gives no data size (a recording that was never "
                       "finished); read everything after it")
        if self.cut_bytes:
            out.append(f"truncated: the file ends {self.cut_bytes:,} bytes before its FIT header "
                       "says; read up to the cut, what was recorded after it is lost")
        if self.garbage_bytes:
            out.append(f"{self.garbage_bytes:,} bytes after the end of the FIT data are not FIT "
                       "(trailing garbage); ignored them")
        if self.bad_crc:
            out.append("the FIT checksum (CRC) fails, so some bytes are damaged; "
                       "read as far as they make sense, check its figures")
        return out


def walk_file(data: bytes) -> Walk:
    """The structure of a FIT file (chained files too), without decoding its fields.

    Raises
    ------
    ImportFailure
        More than :data:`MAX_MESSAGES` or :data:`MAX_SESSIONS` session messages,
        or more empty messages than :func:`_empty_allowed` (the data pays for).

    Notes
    -----
    ``found`` holds the file_id, session and activity field values when every
    message could be walked (else None); ``summaries_ok`` is False when one of
    their fields has a size the fast reader does not handle. ``readable`` is
    what fitparse should decode: trailing garbage cut off, and a header whose
    data size was never written (0) given the size of what follows it.
    """
    walk = Walk(readable=data)
    found: dict[str, list[dict]] = {"file_id": [], "session": [], "activity": []}
    parts: list[bytes] = []
    walked_all = True
    pos, n = 0, len(data)
    while pos < n:
        header_size = data[pos]
        if header_size not in (12, 14) or pos + header_size > n or data[pos + 8:pos + 12] != b".FIT":
            if pos == 0:
                return walk  # no FIT header: fitparse says why
            walk.garbage_bytes = n - pos
            break
        header = data[pos:pos + header_size]
        size = int.from_bytes(header[4:8], "little")
        if size == 0 and n > pos + header_size:
            walk.unfinished = True
            size = n - pos - header_size
            header = (header[:4] + size.to_bytes(4, "little") + header[8:12]
                      + b"\x00\x00" * (header_size == 14))
        end = pos + header_size + size
        walked_all &= _walk_messages(data, pos + header_size, min(end, n), found, walk)
        if end + 2 > n:
            walk.cut_bytes = 0 if walk.unfinished else end + 2 - n
            parts.append(header + data[pos + header_size:n])
            break
        if fit_crc(data[pos:end + 2]) != 0:
            walk.bad_crc += 1
        parts.append(data[pos:end + 2])
        walk.files += 1
        pos = end + 2
    walk.readable = b"".join(parts)
    complete = walked_all and not walk.cut_bytes and not walk.unfinished
    walk.found = found if complete else None
    return walk


def _walk_messages(data: bytes, p: int, stop: int, found: dict, walk: Walk) -> bool:
    """Walk the messages of one FIT file's data, ``data[p:stop]``; False if it cannot go on."""
    defs: dict[int, tuple] = {}
    try:
        while p < stop:
            h = data[p]
            p += 1
            if h & 0x80:  # compressed timestamp header: a data message
                local = (h >> 5) & 0x03
            elif h & 0x40:  # definition message
                arch = data[p + 1]
                gnum = int.from_bytes(data[p + 2:p + 4], "big" if arch else "little")
                nfields, p = data[p + 4], p + 5
                fields, size = [], 0
                for _ in range(nfields):
                    num, fsize, btype = data[p], data[p + 1], data[p + 2] & 0x1F
                    fields.append((num, size, fsize, btype))
                    size, p = size + fsize, p + 3
                if h & 0x20:  # developer fields: only their sizes matter here
                    ndev, p = data[p], p + 1
                    size += sum(data[p + 3 * i + 1] for i in range(ndev))
                    p += 3 * ndev
                defs[h & 0x0F] = (gnum, ">" if arch else "<", size, fields)
                continue
            else:
                local = h & 0x0F
            d = defs.get(local)
            if d is None:
                return False
            gnum, endian, size, fields = d
            walk.messages += 1
            walk.empty += size == 0
            walk.data_bytes += size and size + 1
            walk.sessions += gnum == 18
            if (walk.messages > MAX_MESSAGES or walk.sessions > MAX_SESSIONS
                    or walk.empty > _empty_allowed(walk)):
                raise ImportFailure(_too_many(walk))
            if p + size > stop:
                return False
            if gnum in _FAST_MESSAGES:
                values = {}
                for num, offset, fsize, btype in fields:
                    name = _FIELDS[gnum].get(num)
                    if name is None:
                        continue
                    code, bsize, invalid = _BASE_TYPES.get(btype, (None, 0, None))
                    if code is None or fsize != bsize:
                        walk.summaries_ok = False
                        continue
                    (v,) = struct.unpack_from(endian + code, data, p + offset)
                    values[name] = None if v == invalid else v
                found[_FAST_MESSAGES[gnum]].append(values)
            p += size
            # A run of messages of the same local type (the records) is skipped as a
            # whole: counted and bounds-checked at once, as one by one would.
            step = size + 1
            if (gnum not in _FAST_MESSAGES and size and p + 2 * step <= stop
                    and _same_kind(data[p], h) and _same_kind(data[p + step], h)):
                k = _run(data, p, step, h, (stop - p) // step)
                k = min(k, MAX_MESSAGES - walk.messages)
                walk.messages += k
                walk.data_bytes += k * step
                p += k * step
    except (IndexError, struct.error):
        return False
    return True


def _same_kind(byte: int, header: int) -> bool:
    """Whether ``byte`` heads a data message of the same local type as ``header``."""
    if header & 0x80:  # compressed timestamp: the low 5 bits are the time offset
        return byte & 0xE0 == header & 0xE0
    return byte == header


def _run(data: bytes, p: int, step: int, header: int, most: int) -> int:
    """How many messages of ``step`` bytes from ``p`` on have a header like ``header``
    (at most ``most``)."""
    heads = np.frombuffer(data, dtype=np.uint8, count=(most - 1) * step + 1, offset=p)[::step]
    same = (heads & 0xE0) == (header & 0xE0) if header & 0x80 else heads == header
    return most if same.all() else int(np.argmin(same))


def _empty_allowed(walk: Walk) -> int:
    """Empty messages the data walked so far pays for."""
    return MAX_EMPTY_MESSAGES + walk.data_bytes // EMPTY_MESSAGE_BYTES


def _too_many(walk: Walk) -> str:
    if walk.empty > _empty_allowed(walk):
        return (f"a FIT file with {walk.data_bytes:,} bytes of data and {walk.empty:,} empty "
                f"messages is no recording (a real one has at most {MAX_EMPTY_MESSAGES:,} plus one "
                f"per {EMPTY_MESSAGE_BYTES} bytes of data; malformed or hostile); refused")
    if walk.sessions > MAX_SESSIONS:
        what = f"more than {MAX_SESSIONS:,} sessions"
    else:
        what = f"more than {MAX_MESSAGES:,} messages"
    return f"a FIT file with {what} is no recording (malformed or hostile); refused"
