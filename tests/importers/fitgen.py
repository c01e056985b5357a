"""Small FIT files written with fit-tool, for tests that need known answers.

:func:`activity` writes a 1 Hz recording of one or more :class:`Leg` (a
multisport file has several), with a session per leg unless told not to, the
way a watch does: ``file_id``, per leg a ``sport`` and its records, then the
sessions and ``activity``. Each leg
knows the figures it was written with (:attr:`Leg.distance_m`,
:attr:`Leg.avg_hr`...), so a test can check a reader against them.
:func:`non_activity` writes a file of another FIT type (settings, course...).
Concatenating two outputs gives a chained FIT file.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fit_tool import FitFileBuilder
from fit_tool.base_type import BaseType
from fit_tool.developer_field import DeveloperField
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.messages.sport_message import SportMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8
START_LAT, START_LON = 59.91, 10.75  # [°]


@dataclass(frozen=True)
class Leg:
    """One session of a generated activity, sampled every second.

    Attributes
    ----------
    seconds : int
        Elapsed and timer time; records are written at 0, 1, ..., ``seconds``. [s]
    speed_mps : float
        Constant speed. [m/s]
    hr : tuple of int
        Heart rate at the first and last record, a linear ramp between. [bpm]
    gps : bool
        Records carry positions (due north from the last position).
    record_distance : bool
        Records carry the cumulative distance.
    climb_m : float
        One hill: altitude rises this much over the first half, falls back over
        the second; 0 writes no altitude. [m]
    zero_distance : bool
        The session says ``total_distance`` 0, as trainers without a sensor do.
    step_s : int
        Seconds between records (1 Hz by default; "smart recording" devices use more). [s]
    session_s : int or None
        The session's elapsed and timer time when it stops before the last record
        (a watch that closed its session early); None: ``seconds``. [s]
    session_elapsed_s : int or None
        The session's elapsed time alone, its timer time staying ``seconds`` (a Zwift
        session that contradicts itself: elapsed shorter than timer); None: as above. [s]
    dev_distance : bool
        The distance is a Connect IQ app's: a developer field "Distance" [m] in the
        records and the session, whose own ``total_distance`` is 0 (no native
        distance in the records).
    """

    sport: Sport = Sport.RUNNING
    sub_sport: SubSport = SubSport.GENERIC
    seconds: int = 1800
    speed_mps: float = 3.0
    hr: tuple[int, int] = (120, 160)
    gps: bool = True
    record_distance: bool = True
    climb_m: float = 0.0
    zero_distance: bool = False
    step_s: int = 1
    session_s: int | None = None
    dev_distance: bool = False
    session_elapsed_s: int | None = None
    workout_rpe: int | None = None
    workout_feel: int | None = None

    @property
    def distance_m(self) -> float:
        return self.seconds * self.speed_mps

    @property
    def heart_rates(self) -> list[int]:
        lo, hi = self.hr
        return [round(lo + (hi - lo) * i / self.seconds) for i in range(self.seconds + 1)]

    @property
    def avg_hr(self) -> float:
        return sum(self.heart_rates) / (self.seconds + 1)

    @property
    def max_hr(self) -> int:
        return max(self.heart_rates)

    def altitude(self, i: int) -> float:
        half = self.seconds / 2
        return 100.0 + self.climb_m * (1 - abs(i - half) / half)


def fit_seconds(t: datetime) -> int:
    """``t`` as FIT ``date_time`` (seconds since 1989-12-31 UTC)."""
    return int((t - FIT_EPOCH).total_seconds())


def _ms(t: datetime, plus_s: float = 0) -> int:
    """fit-tool wants ``date_time`` fields as Unix milliseconds."""
    return round((t.timestamp() + plus_s) * 1000)


def _file_id(start: datetime, file_type: FileType,
             device: tuple[int, int] = (Manufacturer.DEVELOPMENT.value, 0)) -> FileIdMessage:
    msg = FileIdMessage()
    msg.type = file_type
    msg.manufacturer, msg.product = device
    msg.serial_number = 1
    msg.time_created = _ms(start)
    return msg


def _dev_distance(metres: float) -> DeveloperField:
    field = DeveloperField(developer_data_index=0, field_id=0, base_type=BaseType.UINT32, size=4)
    field.set_value(0, round(metres))
    return field


def _dev_distance_definition() -> list:
    app = DeveloperDataIdMessage()
    app.application_id = b"loadwatch-test01"
    app.developer_data_index = 0
    desc = FieldDescriptionMessage()
    desc.developer_data_index = 0
    desc.field_definition_number = 0
    desc.fit_base_type_id = BaseType.UINT32
    desc.field_name = "Distance"
    desc.units = "m"
    return [app, desc]


def _records(leg: Leg, start: datetime, offset_s: int, dist0: float, lat0: float
             ) -> list[RecordMessage]:
    out = []
    for i, hr in enumerate(leg.heart_rates):
        if i % leg.step_s and i != leg.seconds:
            continue
        travelled = leg.speed_mps * i
        dev = [_dev_distance(dist0 + travelled)] if leg.dev_distance else None
        rec = RecordMessage(developer_fields=dev)
        rec.timestamp = _ms(start, offset_s + i)
        rec.heart_rate = hr
        if leg.record_distance and not leg.dev_distance:
            rec.distance = dist0 + travelled
        if leg.gps:
            rec.position_lat = lat0 + math.degrees(travelled / EARTH_RADIUS_M)
            rec.position_long = START_LON
        if leg.climb_m:
            rec.altitude = leg.altitude(i)
        out.append(rec)
    return out


def _sport(leg: Leg) -> SportMessage:
    msg = SportMessage()
    msg.sport = leg.sport
    msg.sub_sport = leg.sub_sport
    return msg


def _session(leg: Leg, start: datetime, offset_s: int) -> SessionMessage:
    msg = SessionMessage(developer_fields=[_dev_distance(leg.distance_m)] if leg.dev_distance
                         else None)
    msg.timestamp = _ms(start, offset_s + leg.seconds)
    msg.start_time = _ms(start, offset_s)
    msg.sport = leg.sport
    msg.sub_sport = leg.sub_sport
    msg.total_elapsed_time = float(leg.session_elapsed_s or leg.session_s or leg.seconds)
    msg.total_timer_time = float(leg.session_s or leg.seconds)
    msg.total_distance = 0.0 if leg.zero_distance or leg.dev_distance else leg.distance_m
    msg.avg_heart_rate = round(leg.avg_hr)
    msg.max_heart_rate = leg.max_hr
    if leg.climb_m:
        msg.total_ascent = round(leg.climb_m)
    if leg.workout_rpe is not None:
        msg.workout_rpe = leg.workout_rpe
    if leg.workout_feel is not None:
        msg.workout_feel = leg.workout_feel
    return msg


def activity(start: datetime, legs: Sequence[Leg] = (Leg(),), *, sessions: bool = True,
             utc_offset_s: int | None = None,
             device: tuple[int, int] = (Manufacturer.DEVELOPMENT.value, 0),
             stray_record_s: float | None = None) -> bytes:
    """A FIT activity file of ``legs`` one after the other from ``start`` (aware UTC).

    ``sessions=False`` leaves out the sessions and the activity message, as a
    recording that crashed; ``utc_offset_s`` writes ``activity.local_timestamp``
    that far from ``activity.timestamp``; ``device`` is the ``file_id``
    (manufacturer, product) pair; ``stray_record_s`` adds, after the first leg's
    records, one record dated that far from ``start`` (a clock glitch).

    Each file is built once per test process and kept (fit_tool writes about a thousand
    records a second, and many tests build the same file): the bytes are immutable.
    """
    return _activity(start, tuple(legs), sessions, utc_offset_s, tuple(device), stray_record_s)


@functools.cache
def _activity(start: datetime, legs: tuple[Leg, ...], sessions: bool, utc_offset_s: int | None,
              device: tuple[int, int], stray_record_s: float | None) -> bytes:
    builder = FitFileBuilder(auto_define=True, min_string_size=16)
    builder.add(_file_id(start, FileType.ACTIVITY, device))
    if any(leg.dev_distance for leg in legs):
        builder.add_all(_dev_distance_definition())
    offset_s, dist, lat = 0, 0.0, START_LAT
    summaries = []
    for leg in legs:
        builder.add(_sport(leg))
        builder.add_all(_records(leg, start, offset_s, dist, lat))
        if stray_record_s is not None and leg is legs[0]:
            stray = RecordMessage()
            stray.timestamp = _ms(start, stray_record_s)
            stray.heart_rate = 150
            builder.add(stray)
        summaries.append(_session(leg, start, offset_s))
        offset_s += leg.seconds
        dist += leg.distance_m
        lat += math.degrees(leg.distance_m / EARTH_RADIUS_M) if leg.gps else 0.0
    if sessions:
        builder.add_all(summaries)
        end = ActivityMessage()
        end.timestamp = _ms(start, offset_s)
        end.total_timer_time = float(offset_s)
        end.num_sessions = len(summaries)
        if utc_offset_s is not None:
            end.local_timestamp = fit_seconds(start) + offset_s + utc_offset_s
        builder.add(end)
    return builder.build_bytes()


def non_activity(file_type: FileType, start: datetime, seconds: int = 10) -> bytes:
    """A FIT file of ``file_type`` with ``seconds`` of timed records (as a course has, none
    for 0) and no session."""
    builder = FitFileBuilder(auto_define=True)
    builder.add(_file_id(start, file_type))
    if seconds:
        builder.add_all(_records(Leg(seconds=seconds), start, 0, 0.0, START_LAT))
    return builder.build_bytes()


def with_empty_messages(data: bytes, global_number: int = 0xFF10, local: int = 15) -> bytes:
    """``data`` (one FIT file from :func:`activity`) with an empty message (a definition
    of no field) after each record, as a Sigma ROX 11.1 writes a manufacturer message of
    ``global_number`` after each of its records."""
    import struct

    from fit_tool.utils.crc import crc16

    header_size = data[0]
    end = header_size + int.from_bytes(data[4:8], "little")
    body = bytearray(bytes([0x40 | local, 0, 0]) + struct.pack("<H", global_number) + b"\x00")
    sizes: dict[int, tuple[int, int]] = {}
    p = header_size
    while p < end:
        h = data[p]
        assert not h & 0x80, "fit-tool writes no compressed timestamp headers"
        if h & 0x40:
            nfields = data[p + 5]
            size = sum(data[p + 6 + 3 * i + 1] for i in range(nfields))
            q = p + 6 + 3 * nfields
            if h & 0x20:
                ndev = data[q]
                size += sum(data[q + 1 + 3 * i + 1] for i in range(ndev))
                q += 1 + 3 * ndev
            assert h & 0x0F != local, "the local type for the empty messages is taken"
            sizes[h & 0x0F] = (int.from_bytes(data[p + 3:p + 5], "little"), size)
            body += data[p:q]
            p = q
            continue
        gnum, size = sizes[h & 0x0F]
        body += data[p:p + 1 + size]
        p += 1 + size
        if gnum == 20:
            body.append(local)
    header = bytearray(data[:header_size])
    header[4:8] = len(body).to_bytes(4, "little")
    if header_size == 14:
        header[12:14] = crc16(bytes(header[:12])).to_bytes(2, "little")
    out = bytes(header) + bytes(body)
    return out + crc16(out).to_bytes(2, "little")
