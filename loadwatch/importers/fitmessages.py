"""FIT messages decoded with fitparse, run lean, and the summaries the walk found named.

fitparse's data processor, which turns timestamps into datetimes and runs three
name-mangled look-ups per field, is replaced by one that does nothing, so
timestamps stay raw FIT seconds; the CRC is not checked here (the walk did, and
a wrong CRC on otherwise readable data is no reason to lose a run); the file is
parsed once, and only the five message types used are collected
(:func:`decode`). A decoding error part-way keeps what came before it.
:func:`fast_summaries` names the raw fields the walk collected
(:func:`loadwatch.importers.fitwalk.walk_file`) with fitparse's profile, without
decoding anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import fitparse
import numpy as np
from fitparse.processors import FitFileDataProcessor
from fitparse.profile import FIELD_TYPES
from fitparse.records import DevField
from fitparse.utils import FitEOFError

from loadwatch.importers import bounds, rpe
from loadwatch.importers.base import ImportFailure, clean
from loadwatch.importers.fitsession import (
    RECORD_COLUMN,
    RECORD_COLUMNS,
    Summary,
    summary_of,
    utc_offset,
)
from loadwatch.importers.fitwalk import SCALES

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
_TIME = RECORD_COLUMN["timestamp"]


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


def _creator(manufacturer, product) -> str | None:
    """``"manufacturer product"`` as names where known; Garmin Edge products say ``edge``."""
    if manufacturer is None:
        return None
    if isinstance(manufacturer, int):
        if manufacturer in _GARMIN_MANUFACTURERS and product in _GARMIN_EDGE_PRODUCTS:
            return "garmin edge"
        manufacturer = FIELD_TYPES["manufacturer"].values.get(manufacturer, manufacturer)
        if manufacturer == "garmin" and isinstance(product, int):
            product = FIELD_TYPES["garmin_product"].values.get(product, product)
    if manufacturer in ("garmin", "dynastream", "dynastream_oem") and product in _GARMIN_EDGE_PRODUCTS:
        product = "edge"
    return f"{manufacturer} {'' if product is None else product}".strip()


@dataclass(frozen=True)
class FastSummaries:
    """What the walked messages say without decoding (:func:`fast_summaries`): the file
    type (None when the walk does not tell, so the file must be decoded), each
    session's summary, the UTC offset [s] and the device that wrote the file."""

    file_type: str | None = None
    summaries: list[Summary] = field(default_factory=list)
    utc_offset_s: int | None = None
    creator: str | None = None


def fast_summaries(found: dict) -> FastSummaries:
    """The file type, session summaries, UTC offset and creator from the walked messages."""
    if not found["file_id"]:
        return FastSummaries()
    file_id = found["file_id"][0]
    file_type = FIELD_TYPES["file"].values.get(file_id.get("type"))
    if file_type is None or (file_type in ACTIVITY_FILE_TYPES and not found["session"]):
        return FastSummaries()
    sport_names = FIELD_TYPES["sport"].values
    sub_names = FIELD_TYPES["sub_sport"].values
    summaries = []
    for v in found["session"]:
        v = {k: (x / SCALES[k] if k in SCALES and x is not None else x) for k, x in v.items()}
        sport, sub = v.get("sport"), v.get("sub_sport")
        summaries.append(summary_of(v, None if sport is None else str(sport_names.get(sport, sport)),
                                  None if sub is None else str(sub_names.get(sub, sub))))
    activity = found["activity"][0] if found["activity"] else {}
    offset = utc_offset(activity.get("timestamp"), activity.get("local_timestamp"))
    return FastSummaries(file_type, summaries, offset,
                         _creator(file_id.get("manufacturer"), file_id.get("product")))


def decode(data: bytes) -> _Messages:
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


def _native_values(msg) -> dict:
    """Profile fields of a message by name (developer fields left out: they may reuse names)."""
    return {fd.field.name: fd.value for fd in msg.fields
            if fd.field is not None and not isinstance(fd.field, DevField)}


def _unnamed(msg, number: int):
    """The value of the profile field ``number`` that fitparse's profile does not name."""
    for fd in msg.fields:
        if fd.field is None and getattr(fd.field_def, "def_num", None) == number:
            return fd.value
    return None


def _label(value) -> str | None:
    """A sport name; fitparse gives sports newer than its profile as numbers (53, 82)."""
    return str(value) if isinstance(value, str | int) else None


def session_summary(msg) -> Summary:
    v = _native_values(msg)
    # fitparse 1.2's profile predates workout_rpe: it is an unnamed field there.
    v.setdefault("workout_rpe", _unnamed(msg, rpe.FIT_WORKOUT_RPE_FIELD))
    s = summary_of(v, _label(v.get("sport")), _label(v.get("sub_sport")))
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


def sessionless_summary(msgs: _Messages) -> Summary:
    """The summary of a recording without session: only its sport is known beforehand."""
    sport = _native_values(msgs.sports[0]) if msgs.sports else {}
    return Summary(start=None, sport=_label(sport.get("sport")),
                    sub_sport=_label(sport.get("sub_sport")))


def utc_offset_s(activity_msg) -> int | None:
    if activity_msg is None:
        return None
    v = _native_values(activity_msg)
    return utc_offset(v.get("timestamp"), v.get("local_timestamp"))


def record_table(records: list) -> tuple[np.ndarray, np.ndarray]:
    """Record values as an (n, 7) float array in ``RECORD_COLUMNS`` order, by time; NaN if absent.

    Returns the table and the raw times of the records dropped as outliers
    (:func:`loadwatch.importers.bounds.outliers`). A record without a native
    distance takes a developer field named "Distance" (a Connect IQ app's).
    """
    nan = math.nan
    rows = []
    for msg in records:
        row = [nan] * len(RECORD_COLUMNS)
        dev_distance = None
        for fd in msg.fields:
            f = fd.field
            if isinstance(f, DevField):
                if _DEV_DISTANCE.match(fd.name or "") and isinstance(fd.value, int | float):
                    dev_distance = fd.value * _DEV_DISTANCE_UNITS.get(
                        str(fd.units or "").strip().lower(), nan)
                continue
            col = None if f is None else RECORD_COLUMN.get(f.name)
            if col is not None and isinstance(fd.value, int | float):
                row[col] = fd.value
        if dev_distance is not None and math.isnan(row[RECORD_COLUMN["distance"]]):
            row[RECORD_COLUMN["distance"]] = dev_distance
        rows.append(row)
    table = np.array(rows, dtype=float).reshape(-1, len(RECORD_COLUMNS))
    table = table[~np.isnan(table[:, _TIME])]
    far = bounds.outliers(table[:, _TIME])
    dropped = table[far, _TIME]
    table = table[~far]
    return table[np.argsort(table[:, _TIME], kind="stable")], dropped
