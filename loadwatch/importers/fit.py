"""FIT activity files, read with fitparse: one :class:`Activity` per session.

Everything FIT-specific sits behind :func:`read_fit`, so a faster decoder can
replace fitparse in one place.

The figures come from each session message, the device's own summary. Only a
session that is missing (a crashed or truncated recording) or incomplete (no
start time, no distance, no elapsed time) is completed from the record messages
of its time span; a complete session never touches the records, which keeps a
10,000-record file cheap.

fitparse is run lean: its data processor, which turns timestamps into datetimes
and runs three name-mangled look-ups per field, is replaced by one that does
nothing, so timestamps stay raw FIT seconds; the CRC is not checked (a wrong CRC
on otherwise readable data is no reason to lose a run, and checking it costs a
third of the time); the file is parsed once, and only the five message types
used here are collected.

Before any decoding, :func:`_walk` reads the file's structure cheaply: FIT
headers (several when files are chained), each file's CRC, and the header of
every message. It bounds the work (at most :data:`MAX_MESSAGES` messages,
:data:`MAX_SESSIONS` sessions, and empty messages beyond :data:`MAX_EMPTY_MESSAGES`
only one per :data:`EMPTY_MESSAGE_BYTES` bytes of real data: more is no
recording but a malformed or hostile file) and finds damage: a file cut short,
a header whose data size was never written, bytes after the end of the FIT data,
a CRC that fails. A damaged file is read as far as its data goes and every
damage is a warning on its activities.

Conventions: FIT ``date_time`` values count seconds from 1989-12-31 00:00:00
UTC; values below ``0x10000000`` count seconds since the device was switched
on, are comparable within the file but are not dates [1]_.

References
----------
.. [1] Garmin, "FIT Protocol" and "FIT SDK Profile" (``Profile.xlsx``, types
   ``date_time``, ``local_date_time``, ``file``, ``sport``), FIT SDK 21,
   https://developer.garmin.com/fit/protocol/
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import fitparse
import numpy as np
from fitparse.processors import FitFileDataProcessor
from fitparse.records import DevField
from fitparse.utils import FitEOFError

from loadwatch.importers import bounds, sports
from loadwatch.importers.base import Activity, ImportFailure, Skip, clean, plausible
from loadwatch.importers.fitcrc import fit_crc

FIT_EPOCH_UNIX_S = 631065600
"""1989-12-31 00:00:00 UTC, where FIT ``date_time`` counts from, as Unix time. [s]"""

SYSTEM_TIME_LIMIT = 0x10000000
"""FIT ``date_time`` values below this count seconds since the device was switched on. [s]"""

MAX_UTC_OFFSET_S = 14 * 3600
"""Largest local offset from UTC any zone uses (UTC+14, Kiribati; UTC-12 the other way). [s]"""

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), for the haversine distance between fixes. [m]"""

SEMICIRCLE_DEG = 180.0 / 2**31
"""Degrees per FIT semicircle (positions are signed 32-bit fractions of 180°). [°]"""

RECORDS_BEYOND = 0.01
"""Records reaching past a session's elapsed time by more than this share (plus 2 s
of rounding) mean the session stopped early: its elapsed time runs to the last record."""

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

ACTIVITY_FILE_TYPES = ("activity", "activity_summary")
"""``file_id.type`` values of files that hold activities; any other type is skipped."""

_WANTED = ("file_id", "session", "record", "activity", "sport")

# Garmin product ids of Edge bike computers (FIT SDK profile, type garmin_product);
# fitparse 1.2.0 names only those before 2017, so a newer one is a number.
_GARMIN_EDGE_PRODUCTS = frozenset((
    1036, 1169, 1199, 1213, 1325, 1333, 1334, 1386, 1387, 1422, 1497, 1555, 1561, 1567, 1721,
    1736, 1742, 1821, 1822, 1823, 1836, 1918, 2052, 2053, 2067, 2070, 2100, 2147, 2204, 2238,
    2260, 2261, 2274, 2288, 2289, 2290, 2530, 2531, 2599, 2600, 2628, 2629, 2630, 2713, 2909,
    2924, 3011, 3092, 3095, 3112, 3121, 3122, 3142, 3349, 3350, 3558, 3570, 3812, 3813, 3843,
    4061, 4062, 4169, 4305, 4440, 4633, 4634, 4655))
_GARMIN_MANUFACTURERS = (1, 13, 15)  # garmin, dynastream_oem, dynastream

_RECORD_COLUMNS = ("timestamp", "distance", "position_lat", "position_long", "heart_rate",
                   "enhanced_altitude", "altitude")
_COLUMN = {name: i for i, name in enumerate(_RECORD_COLUMNS)}
_T, _DIST, _LAT, _LON, _HR, _ALT_ENH, _ALT = range(len(_RECORD_COLUMNS))


class _RawValues(FitFileDataProcessor):
    """A fitparse data processor that leaves every value as decoded (timestamps raw)."""

    def run_type_processor(self, field_data):
        pass

    def run_field_processor(self, field_data):
        pass

    def run_unit_processor(self, field_data):
        pass

    def run_message_processor(self, data_message):
        pass


_RAW = _RawValues()


@dataclass
class _Messages:
    """The messages of one file that :func:`read_fit` uses, in file order."""

    file_type: str | None = None
    sessions: list = field(default_factory=list)
    records: list = field(default_factory=list)
    activity: object = None
    sports: list = field(default_factory=list)
    creator: str | None = None
    truncated: bool = False
    stopped: str | None = None
    stopped_at: int = 0

    def add(self, msg) -> bool:
        """Keep ``msg``; True once the file has shown it is no activity (stop reading)."""
        name = msg.name
        if name == "record":
            self.records.append(msg)
        elif name == "session":
            self.sessions.append(msg)
        elif name == "file_id" and self.file_type is None:
            kind = msg.get_value("type")
            self.file_type = None if kind is None else str(kind)
            v = _native_values(msg)
            self.creator = _creator(v.get("manufacturer"), v.get("garmin_product", v.get("product")))
            return self.file_type is not None and self.file_type not in ACTIVITY_FILE_TYPES
        elif name == "activity" and self.activity is None:
            self.activity = msg
        elif name == "sport":
            self.sports.append(msg)
        return False


@dataclass(frozen=True)
class _Summary:
    """One session's figures; ``start`` is raw FIT seconds, the rest SI units."""

    start: int | None
    sport: str | None = None
    sub_sport: str | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    gps: bool | None = None

    @property
    def end(self) -> float | None:
        if self.start is None or self.elapsed_s is None:
            return None
        return self.start + self.elapsed_s

    @property
    def contradicts(self) -> bool:
        """Timer time longer than elapsed time beyond rounding (:func:`_timer_beyond`)."""
        return (self.timer_s is not None and self.elapsed_s is not None
                and self.timer_s > _timer_beyond(self.elapsed_s))

    @property
    def complete(self) -> bool:
        """Start, elapsed time and distance known and consistent: nothing to take from
        the records."""
        return (plausible(fit_datetime(self.start)) and self.elapsed_s is not None
                and self.distance_m is not None and not self.contradicts)


def _timer_beyond(elapsed_s: float) -> float:
    """Timer time past which a session's elapsed time is wrong: the same
    :data:`RECORDS_BEYOND` share plus 2 s of rounding as for records. [s]"""
    return elapsed_s * (1 + RECORDS_BEYOND) + 2


def read_fit(data: bytes, path: str) -> list[Activity]:
    """Read the activities of one FIT file: one per session.

    Parameters
    ----------
    data : bytes
        The (uncompressed) file, chained FIT files included.
    path : str
        Where it came from, kept on each :class:`Activity`.

    Returns
    -------
    list of Activity
        In session order, ``index`` 0, 1, ...; a file without sessions but with
        records (a crashed recording) gives one activity built from them.

    Raises
    ------
    Skip
        The file is valid but no activity (settings, course, workout,
        monitoring...; or no session and no record at all).
    ImportFailure
        fitparse cannot decode the file, or it is cut off before any data.

    Notes
    -----
    A damaged file keeps every message decoded before the damage, and its
    activities carry a warning saying what was lost: a file cut short, a header
    whose data size was never written, trailing garbage (ignored), a failing
    CRC, a decoding error part-way (fitparse stops there). A decoding error
    before any session or record fails the file. A session that states no
    usable sport gets one from :func:`loadwatch.importers.sports.settle` (file
    name, device, speed), never a guessed run. A session whose timer time beats
    its elapsed time contradicts itself: its records decide the elapsed time,
    with a note.
    ``utc_offset_s`` is ``activity.local_timestamp - activity.timestamp``, only
    when within ±14 h and not 0: COROS watches write ``local_timestamp`` equal
    to ``timestamp`` whatever the zone, so an offset of exactly 0 says nothing.
    """
    walk = _walk(data)
    if walk.found is not None and walk.summaries_ok:
        file_type, summaries, offset, creator = _fast_summaries(walk.found)
        if file_type is not None and (file_type not in ACTIVITY_FILE_TYPES
                                      or all(s.complete for s in summaries)):
            if file_type not in ACTIVITY_FILE_TYPES:
                raise Skip(f"a FIT {file_type} file, not an activity")
            return _activities(summaries, path, offset, creator, walk.warnings())
    msgs = _decode(walk.readable)
    if msgs.file_type is not None and msgs.file_type not in ACTIVITY_FILE_TYPES:
        raise Skip(f"a FIT {msgs.file_type} file, not an activity")
    if not msgs.sessions and not msgs.records:
        if msgs.truncated:
            raise ImportFailure("FIT file cut off before any session or record")
        raise Skip("a FIT file with no session and no record, not an activity")
    warnings = walk.warnings()
    if msgs.stopped:
        warnings.append(f"fitparse stopped at byte {msgs.stopped_at:,} of {len(walk.readable):,} "
                        f"({msgs.stopped}); read what came before, the rest is lost")
    elif msgs.truncated and not walk.cut_bytes and not walk.unfinished:
        warnings.append("the FIT data ends in the middle of a message; read up to it")
    summaries = [_session_summary(m) for m in msgs.sessions] or [_sessionless_summary(msgs)]
    if not msgs.sessions:
        warnings.append("no session summary (the recording was not finished): "
                        "figures rebuilt from the records, timer time unknown")
    if not all(s.complete for s in summaries):
        table, dropped = _record_table(msgs.records)
        if dropped.size:
            warnings.append(bounds.describe_outliers(dropped + FIT_EPOCH_UNIX_S))
        completed = _complete_from_records(summaries, table)
        warnings += _contradiction_notes(summaries, completed)
        summaries = completed
    return _activities(summaries, path, _utc_offset_s(msgs.activity), msgs.creator, warnings)


def _contradiction_notes(before: list[_Summary], after: list[_Summary]) -> list[str]:
    """A note per session whose timer time beat its elapsed time (a Zwift file says timer
    2,760 s, elapsed 1,632 s) and what its records made of it."""
    notes = []
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        if not b.contradicts:
            continue
        which = f"session {i + 1}" if len(before) > 1 else "the session"
        said = (f"{which} says {b.elapsed_s:,.0f} s elapsed but {b.timer_s:,.0f} s of timer "
                f"time, which cannot be")
        if a.elapsed_s is not None and a.elapsed_s > b.elapsed_s:
            notes.append(f"{said}; its records run {a.elapsed_s:,.0f} s, taken as the elapsed time")
        else:
            notes.append(f"{said}; its records do not run longer either, so the elapsed time "
                         "stands; check the file's times")
    return notes


def _activities(summaries: list[_Summary], path: str, offset: int | None, creator: str | None,
                warnings: list[str]) -> list[Activity]:
    """One Activity per session, its sport settled from the file where it states none."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    name = base.split(".", 1)[0]
    acts = []
    for i, s in enumerate(summaries):
        sport, evidence, guessed = sports.settle_noted(
            s.sport, s.sub_sport, names=[name], creator=creator, distance_m=s.distance_m,
            moving_s=s.timer_s, elapsed_s=s.elapsed_s, climb_m=s.ascent_m)
        a = _to_activity(replace(s, sport=sport), path, i, offset)
        a.sport_from = evidence
        a.warnings = [*warnings, *guessed]
        acts.append(a)
    return acts


def _creator(manufacturer, product) -> str | None:
    """``"manufacturer product"`` as names where known; Garmin Edge products say ``edge``."""
    if manufacturer is None:
        return None
    from fitparse.profile import FIELD_TYPES

    if isinstance(manufacturer, int):
        if manufacturer in _GARMIN_MANUFACTURERS and product in _GARMIN_EDGE_PRODUCTS:
            return "garmin edge"
        manufacturer = FIELD_TYPES["manufacturer"].values.get(manufacturer, manufacturer)
        if manufacturer == "garmin" and isinstance(product, int):
            product = FIELD_TYPES["garmin_product"].values.get(product, product)
    if manufacturer in ("garmin", "dynastream", "dynastream_oem") and product in _GARMIN_EDGE_PRODUCTS:
        product = "edge"
    return f"{manufacturer} {'' if product is None else product}".strip()


# -- the walk: structure, damage and bounds before any decoding ------------------------------
#
# Walking the message headers and skipping every message by its defined size is
# two orders of magnitude faster than decoding them. The walk counts messages
# (to refuse hostile files before fitparse spends minutes on them), finds the
# damage to report, and collects the file_id, session and activity messages: a
# complete, well-formed file needs nothing else, so its records are never decoded.

_BASE_TYPES = {  # base type number -> (struct code, size, invalid value or None for NaN)
    0x00: ("B", 1, 0xFF), 0x01: ("b", 1, 0x7F), 0x02: ("B", 1, 0xFF),
    0x03: ("h", 2, 0x7FFF), 0x04: ("H", 2, 0xFFFF), 0x05: ("i", 4, 0x7FFFFFFF),
    0x06: ("I", 4, 0xFFFFFFFF), 0x0A: ("B", 1, 0), 0x0B: ("H", 2, 0), 0x0C: ("I", 4, 0),
}
_FAST_MESSAGES = {0: "file_id", 18: "session", 34: "activity"}
_SESSION_FIELDS = {2: "start_time", 3: "start_position_lat", 5: "sport", 6: "sub_sport", 7: "total_elapsed_time",
                   8: "total_timer_time", 9: "total_distance", 16: "avg_heart_rate",
                   17: "max_heart_rate", 22: "total_ascent"}
_SCALES = {"total_elapsed_time": 1000.0, "total_timer_time": 1000.0, "total_distance": 100.0}
_FIELDS = {0: {0: "type", 1: "manufacturer", 2: "product"}, 18: _SESSION_FIELDS,
           34: {253: "timestamp", 5: "local_timestamp"}}


@dataclass
class _Walk:
    """What :func:`_walk` found in a file's structure."""

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


def _walk(data: bytes) -> _Walk:
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
    walk = _Walk(readable=data)
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


def _walk_messages(data: bytes, p: int, stop: int, found: dict, walk: _Walk) -> bool:
    """Walk the messages of one FIT file's data, ``data[p:stop]``; False if it cannot go on."""
    import struct

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


def _empty_allowed(walk: _Walk) -> int:
    """Empty messages the data walked so far pays for."""
    return MAX_EMPTY_MESSAGES + walk.data_bytes // EMPTY_MESSAGE_BYTES


def _too_many(walk: _Walk) -> str:
    if walk.empty > _empty_allowed(walk):
        return (f"a FIT file with {walk.data_bytes:,} bytes of data and {walk.empty:,} empty "
                f"messages is no recording (a real one has at most {MAX_EMPTY_MESSAGES:,} plus one "
                f"per {EMPTY_MESSAGE_BYTES} bytes of data; malformed or hostile); refused")
    if walk.sessions > MAX_SESSIONS:
        what = f"more than {MAX_SESSIONS:,} sessions"
    else:
        what = f"more than {MAX_MESSAGES:,} messages"
    return f"a FIT file with {what} is no recording (malformed or hostile); refused"


def _fast_summaries(found: dict) -> tuple[str | None, list[_Summary], int | None, str | None]:
    """``(file type, session summaries, utc offset, creator)`` from the walked messages."""
    from fitparse.profile import FIELD_TYPES

    if not found["file_id"]:
        return None, [], None, None
    file_id = found["file_id"][0]
    file_type = FIELD_TYPES["file"].values.get(file_id.get("type"))
    if file_type is None or (file_type in ACTIVITY_FILE_TYPES and not found["session"]):
        return None, [], None, None
    sport_names = FIELD_TYPES["sport"].values
    sub_names = FIELD_TYPES["sub_sport"].values
    summaries = []
    for v in found["session"]:
        v = {k: (x / _SCALES[k] if k in _SCALES and x is not None else x) for k, x in v.items()}
        sport, sub = v.get("sport"), v.get("sub_sport")
        summaries.append(_summary(v, None if sport is None else str(sport_names.get(sport, sport)),
                                  None if sub is None else str(sub_names.get(sub, sub))))
    activity = found["activity"][0] if found["activity"] else {}
    offset = _offset(activity.get("timestamp"), activity.get("local_timestamp"))
    return (file_type, summaries, offset,
            _creator(file_id.get("manufacturer"), file_id.get("product")))


def _decode(data: bytes) -> _Messages:
    """The messages fitparse decodes; a decoding error keeps what came before it.

    Raises
    ------
    ImportFailure
        fitparse fails before any session or record.
    """
    msgs = _Messages()
    fit = None
    try:
        fit = fitparse.FitFile(data, check_crc=False, data_processor=_RAW)
        for msg in fit.get_messages(_WANTED):
            if msgs.add(msg):
                break
    except FitEOFError:
        msgs.truncated = True
    # fitparse raises struct.error, KeyError, TypeError... on malformed bytes, not only
    # FitParseError, and no decoding error may escape an importer.
    except Exception as exc:
        cause = " ".join(str(exc).split())[:120] or type(exc).__name__
        if not msgs.sessions and not msgs.records:
            raise ImportFailure(f"fitparse cannot decode this FIT file ({cause}); "
                                "it may be readable by other FIT decoders") from exc
        msgs.stopped = cause
        file = getattr(fit, "_file", None)
        msgs.stopped_at = file.tell() if file is not None else 0
    return msgs


def fit_datetime(raw: float | None) -> datetime | None:
    """A FIT ``date_time`` as aware UTC; None when absent or a device-relative time.

    >>> fit_datetime(1_000_000_000)
    datetime.datetime(2021, 9, 8, 1, 46, 40, tzinfo=datetime.timezone.utc)
    >>> fit_datetime(16_441_241) is None
    True
    """
    if raw is None or not raw >= SYSTEM_TIME_LIMIT:
        return None
    return datetime.fromtimestamp(FIT_EPOCH_UNIX_S + raw, UTC)


def _native_values(msg) -> dict:
    """Profile fields of a message by name (developer fields left out: they may reuse names)."""
    return {fd.field.name: fd.value for fd in msg.fields
            if fd.field is not None and not isinstance(fd.field, DevField)}


def _label(value) -> str | None:
    """A sport name; fitparse gives sports newer than its profile as numbers (53, 82)."""
    return str(value) if isinstance(value, str | int) else None


def _number(value) -> float | None:
    return clean(value, positive=True) if isinstance(value, int | float) else None


def _session_summary(msg) -> _Summary:
    v = _native_values(msg)
    s = _summary(v, _label(v.get("sport")), _label(v.get("sub_sport")))
    if s.distance_m is None:
        s = replace(s, distance_m=_dev_distance(msg))
    return s


_DEV_DISTANCE = re.compile(r"^(total[ _]?)?distance$", re.IGNORECASE)
_DEV_DISTANCE_UNITS = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0,
                       "km": 1000.0, "kilometers": 1000.0, "kilometres": 1000.0,
                       "mi": 1609.344, "miles": 1609.344}


def _dev_distance(msg) -> float | None:
    """A distance a Connect IQ app wrote in a developer field named "Distance", in metres.

    Apps for rowing machines, treadmills and footpods (Concept2's ErgData, Stryd)
    write their distance there when the watch itself measured none.
    """
    for fd in msg.fields:
        if not isinstance(fd.field, DevField) or not _DEV_DISTANCE.match(fd.name or ""):
            continue
        scale = _DEV_DISTANCE_UNITS.get(str(fd.units or "").strip().lower())
        if scale and isinstance(fd.value, int | float):
            return clean(fd.value * scale, positive=True)
    return None


def _summary(v: dict, sport: str | None, sub_sport: str | None) -> _Summary:
    """A session's figures from its field values by profile name (SI units)."""
    start = v.get("start_time")
    return _Summary(
        start=start if isinstance(start, int) else None,
        sport=sport,
        sub_sport=sub_sport,
        timer_s=_number(v.get("total_timer_time")),
        elapsed_s=_number(v.get("total_elapsed_time")),
        distance_m=_number(v.get("total_distance")),
        ascent_m=_number(v.get("total_ascent")),
        avg_hr=_number(v.get("avg_heart_rate")),
        max_hr=_number(v.get("max_heart_rate")),
        gps=isinstance(v.get("start_position_lat"), int | float),
    )


def _sessionless_summary(msgs: _Messages) -> _Summary:
    """The summary of a recording without session: only its sport is known beforehand."""
    sport = _native_values(msgs.sports[0]) if msgs.sports else {}
    return _Summary(start=None, sport=_label(sport.get("sport")),
                    sub_sport=_label(sport.get("sub_sport")))


def _utc_offset_s(activity_msg) -> int | None:
    if activity_msg is None:
        return None
    v = _native_values(activity_msg)
    return _offset(v.get("timestamp"), v.get("local_timestamp"))


def _offset(utc, local) -> int | None:
    """``local - utc`` when both are real dates and the difference is a real zone's offset."""
    if not isinstance(utc, int) or not isinstance(local, int) or utc < SYSTEM_TIME_LIMIT:
        return None
    offset = local - utc
    return offset if 0 < abs(offset) <= MAX_UTC_OFFSET_S else None


def _to_activity(s: _Summary, path: str, index: int, offset: int | None) -> Activity:
    start = fit_datetime(s.start)
    return Activity(
        source="fit", path=path, start_utc=start if plausible(start) else None,
        sport=s.sport, sub_sport=s.sub_sport, duration_s=s.timer_s, elapsed_s=s.elapsed_s,
        distance_m=s.distance_m, elevation_gain_m=s.ascent_m, avg_hr=s.avg_hr, max_hr=s.max_hr,
        utc_offset_s=offset, index=index, gps=s.gps,
    )


def _record_table(records: list) -> tuple[np.ndarray, np.ndarray]:
    """Record values as an (n, 7) float array in ``_RECORD_COLUMNS`` order, by time; NaN if absent.

    Returns the table and the raw times of the records dropped as outliers
    (:func:`loadwatch.importers.bounds.outliers`). A record without a native
    distance takes a developer field named "Distance" (a Connect IQ app's).
    """
    nan = math.nan
    rows = []
    for msg in records:
        row = [nan] * len(_RECORD_COLUMNS)
        dev_distance = None
        for fd in msg.fields:
            f = fd.field
            if isinstance(f, DevField):
                if _DEV_DISTANCE.match(fd.name or "") and isinstance(fd.value, int | float):
                    dev_distance = fd.value * _DEV_DISTANCE_UNITS.get(
                        str(fd.units or "").strip().lower(), nan)
                continue
            col = None if f is None else _COLUMN.get(f.name)
            if col is not None and isinstance(fd.value, int | float):
                row[col] = fd.value
        if dev_distance is not None and math.isnan(row[_DIST]):
            row[_DIST] = dev_distance
        rows.append(row)
    table = np.array(rows, dtype=float).reshape(-1, len(_RECORD_COLUMNS))
    table = table[~np.isnan(table[:, _T])]
    far = bounds.outliers(table[:, _T])
    dropped = table[far, _T]
    table = table[~far]
    return table[np.argsort(table[:, _T], kind="stable")], dropped


def _spans(summaries: list[_Summary]) -> list[tuple[float, float]]:
    """Each session's time span [raw FIT s]: from its start (else the previous end) to its
    end (else the next start); the last session runs to the last record."""
    spans = []
    for i, s in enumerate(summaries):
        last = i + 1 == len(summaries)
        prev_end = summaries[i - 1].end if i > 0 else None
        next_start = summaries[i + 1].start if not last else None
        lo = s.start if s.start is not None else prev_end
        hi = None if last else (s.end if s.end is not None else next_start)
        spans.append((-math.inf if lo is None else lo, math.inf if hi is None else hi))
    return spans


def _complete_from_records(summaries: list[_Summary], table: np.ndarray) -> list[_Summary]:
    out = []
    for s, (lo, hi) in zip(summaries, _spans(summaries), strict=True):
        if s.complete:
            out.append(s)
            continue
        part = table[(table[:, _T] >= lo) & (table[:, _T] <= hi)]
        out.append(_fill(s, part))
    return out


def _fill(s: _Summary, part: np.ndarray) -> _Summary:
    """``s`` with what it lacks taken from its records (``part``, sorted by time).

    Start = first record, elapsed = last - first record time (also where the
    session stops before its last record), distance by :func:`track_distance`,
    ascent by :func:`loadwatch.importers.bounds.climb`, heart rate the plain
    mean and the maximum of the record values within 25-240 bpm (a steady 1 Hz
    makes the plain mean the time-weighted one). Timer time stays unknown: only
    the device knows when it was paused.
    """
    if len(part) == 0 or s.complete:
        return s
    t = part[:, _T]
    hr = bounds.heart_rates(part[:, _HR])
    altitude = np.where(np.isnan(part[:, _ALT_ENH]), part[:, _ALT], part[:, _ALT_ENH])
    start = s.start if plausible(fit_datetime(s.start)) else int(t[0])
    span = clean(t[-1] - start, positive=True)
    elapsed = s.elapsed_s
    # Records past the session's end by more than rounding: the session stopped early.
    if span is not None and (elapsed is None or span > _timer_beyond(elapsed)):
        elapsed = span
    return replace(
        s,
        start=start,
        elapsed_s=elapsed,
        distance_m=s.distance_m or track_distance(part[:, _DIST], part[:, _LAT], part[:, _LON]),
        ascent_m=s.ascent_m or bounds.climb(altitude),
        avg_hr=s.avg_hr or (clean(hr.mean(), positive=True) if hr.size else None),
        max_hr=s.max_hr or (clean(hr.max(), positive=True) if hr.size else None),
        gps=bool(s.gps or np.any(~np.isnan(part[:, _LAT]) & (part[:, _LAT] != 0))),
    )


def track_distance(distance: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> float | None:
    """Distance covered over a run of records, from their distance or else their positions.

    Parameters
    ----------
    distance : numpy.ndarray
        Cumulative ``record.distance`` in time order, NaN where absent. [m]
    lat, lon : numpy.ndarray
        ``record.position_lat``/``position_long``, NaN where absent. [semicircles]

    Returns
    -------
    float or None
        Distance [m]; None when the records carry neither distance (two values
        at least) nor two fixes, or the result is 0 (a trainer writing 0).

    Notes
    -----
    The device's own cumulative distance wins: d = d_last - d_first. Without
    it, the sum of great-circle legs between consecutive fixes (haversine [1]_,
    R = 6,371,008.8 m) is used; (0, 0) fixes, which some devices write before a
    GPS lock, are dropped. Fixes re-measure GPS noise, so this runs a little
    longer than a device's filtered distance.

    References
    ----------
    .. [1] R. W. Sinnott, "Virtues of the haversine," Sky and Telescope, vol. 68,
       no. 2, p. 159, 1984.

    >>> nan = float("nan")
    >>> track_distance(np.array([nan, 10.0, 510.0]), np.full(3, nan), np.full(3, nan))
    500.0
    """
    d = distance[~np.isnan(distance)]
    if d.size >= 2:
        return clean(d[-1] - d[0], positive=True)
    fix = ~np.isnan(lat) & ~np.isnan(lon) & ((lat != 0) | (lon != 0))
    phi = np.radians(lat[fix] * SEMICIRCLE_DEG)
    lam = np.radians(lon[fix] * SEMICIRCLE_DEG)
    if phi.size < 2:
        return None
    h = (np.sin(np.diff(phi) / 2) ** 2
         + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(np.diff(lam) / 2) ** 2)
    legs = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return clean(legs.sum(), positive=True)
