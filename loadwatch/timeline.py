"""The activity timeline: one row per activity, on the athlete's local day, counted once.

``COLUMNS`` is the one definition of the timeline's columns and dtypes; every
other layer reads this schema.

=================  ======================  ============================================
column             dtype                   meaning
=================  ======================  ============================================
activity_id        string                  stable id: source, file and session (or the
                                           Strava, Garmin or intervals.icu id for a
                                           summary row)
athlete            string                  athlete name (folder name unless configured)
source             string                  fit, gpx, tcx, strava_csv, garmin_json,
                                           apple_health or intervals
path               string                  file the activity was read from
name               string                  activity name, where known
sport              string                  run, ride, swim, walk, hike, strength, ski,
                                           row, other, or unknown (the file names
                                           none and none could be inferred)
sub_sport          string                  the source's own sub-sport, where known
is_run             bool                    sport is run (trail, treadmill, track,
                                           virtual runs included)
indoor             bool                    recorded indoors (treadmill, trainer,
                                           virtual) or without GPS
start_utc          datetime64[ns, UTC]     start
start_local        object (tz-aware        start in the athlete's local time (the
                   Timestamp)              device's own offset where the file has one)
utc_offset_min     Int64                   offset of ``start_local`` from UTC [min]
local_date         datetime64[ns]          local calendar day (midnight, naive)
duration_s         float64                 moving/timer time [s]
elapsed_s          float64                 elapsed time [s]
distance_m         float64                 distance [m]
elevation_gain_m   float64                 total ascent [m]
avg_hr, max_hr     float64                 heart rate [bpm]
rpe                float64                 the session's rating of perceived exertion,
                                           0-10 (Strava ``Perceived Exertion``, FIT
                                           ``workout_rpe`` / 10, the athlete's
                                           ``rpe.csv``); NaN when not rated [CR-10 points]
session_load       float64                 Foster's session RPE: rpe x moving minutes
                                           (:func:`session_load`); NaN when either is
                                           missing [AU]
gear               string                  the shoe (or bike) the athlete named for it
                                           (a Strava export's ``Activity Gear``); NA:
                                           not known, never "one pair"
race               bool                    a race: named like one
                                           (:func:`loadwatch.races.by_name`) or set in
                                           ``[races]`` (:func:`loadwatch.races.mark`)
=================  ======================  ============================================

Missing values are NaN/NA, never 0 (nor above :data:`MAX_VALUE`). The local day
follows the athlete's clock: a run at 22:30 on a Sunday belongs to that Sunday (and
its ISO week) whatever its UTC date, and DST changes never move a run to another
day because the offset is that of the run's own instant.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from operator import attrgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from loadwatch import races
from loadwatch.importers.base import Activity
from loadwatch.importers.rpe import RPE_MAX
from loadwatch.importers.sports import normalise

COLUMNS: dict[str, str] = {
    "activity_id": "string",
    "athlete": "string",
    "source": "string",
    "path": "string",
    "name": "string",
    "sport": "string",
    "sub_sport": "string",
    "is_run": "bool",
    "indoor": "bool",
    "start_utc": "datetime64[ns, UTC]",
    "start_local": "object",
    "utc_offset_min": "Int64",
    "local_date": "datetime64[ns]",
    "duration_s": "float64",
    "elapsed_s": "float64",
    "distance_m": "float64",
    "elevation_gain_m": "float64",
    "avg_hr": "float64",
    "max_hr": "float64",
    "rpe": "float64",
    "session_load": "float64",
    "gear": "string",
    "race": "bool",
}

NUMERIC = ["duration_s", "elapsed_s", "distance_m", "elevation_gain_m", "avg_hr", "max_hr"]

MAX_VALUE = 1e9
"""Largest number a timeline field holds; larger (and infinite) values are read errors
and become missing here. [m, s or bpm]

Importers drop what exceeds their own ceilings with a warning
(:mod:`loadwatch.importers.ceilings`); this is the net under every source (and
under parses cached before those ceilings), set where nothing real comes near
(10^9 m is 25 times round the Earth, 10^9 s 31 years) and sums of squares still
cannot overflow."""

INDOOR_WORDS = ("treadmill", "indoor", "virtual", "trainer", "spin")
"""Sport or sub-sport words of a session recorded indoors (``indoor_cycling``,
``VirtualRide``, ``treadmill``), whose distance devices measure differently."""


def session_load(rpe, duration_s) -> np.ndarray:
    """Foster's session RPE of each session: its rating x its moving time in minutes.

    Parameters
    ----------
    rpe : array-like
        Rating of perceived exertion, 0-10, NaN when not rated. [CR-10 points]
    duration_s : array-like
        Moving (timer) time, NaN when unknown. [s]

    Returns
    -------
    numpy.ndarray
        session load = RPE x duration [min], in arbitrary units [AU]; NaN where the
        rating or the time is missing: a missing rating is unknown, never an easy session.

    References
    ----------
    C. Foster et al., "A new approach to monitoring exercise training," J. Strength
    Cond. Res., vol. 15, no. 1, pp. 109-115, 2001 (session duration x CR-10 rating).

    >>> session_load([7.0, np.nan], [3600.0, 1800.0]).tolist()
    [420.0, nan]
    """
    return np.asarray(rpe, float) * (np.asarray(duration_s, float) / 60.0)


class TimezoneError(ValueError):
    """An unknown IANA zone name."""


def resolve_tz(name: str | None) -> tzinfo:
    """The zone for an IANA name; the machine's local zone for ``None``.

    Raises
    ------
    TimezoneError
        For a name the zone database does not know.
    """
    if name:
        try:
            return ZoneInfo(name)
        # A region name ("Europe") is a folder of the database: OSError, not "not found".
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise TimezoneError(f"unknown time zone {name!r} (use an IANA name like Europe/Oslo)") from exc
    return _machine_zone()


def _machine_zone() -> tzinfo:
    """The machine's zone: ``TZ`` or /etc/localtime as an IANA zone where possible."""

    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return datetime.now().astimezone().tzinfo


def empty() -> pd.DataFrame:
    """An empty timeline with the right columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})


def activity_id(a: Activity) -> str:
    """A stable id: the Strava, Garmin or intervals.icu id for summary rows, else a hash of source, file
    name and session.

    The file's base name (not its folder) is hashed so that moving a folder keeps ids.
    """
    if a.source == "strava_csv" and a.external_id:
        return f"strava:{a.external_id}"
    if a.source == "garmin_json" and a.external_id:
        return f"garmin:{a.external_id}"
    if a.source == "intervals" and a.external_id:
        return f"intervals:{a.external_id}"
    base = a.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    start = a.start_utc.isoformat() if a.start_utc else ""
    digest = hashlib.sha1(f"{a.source}|{base}|{a.index}|{start}".encode()).hexdigest()[:12]
    return f"{a.source}:{digest}"


RECORDS: dict[str, str] = {
    "activity_id": "text", "source": "text", "path": "text", "start_utc": "time",
    "sport": "text", "sub_sport": "text", "name": "text", "duration_s": "float",
    "elapsed_s": "float", "distance_m": "float", "elevation_gain_m": "float",
    "avg_hr": "float", "max_hr": "float", "utc_offset_s": "float", "index": "int",
    "external_id": "text", "sport_from": "text", "gps": "flag", "gear": "text", "warnings": "list",
    "rpe": "float",
}
"""The columns of :func:`records_frame` and their kind: ``text`` (str or None), ``time``
(``datetime64[ns, UTC]``), ``float`` (NaN for None), ``int``, ``flag`` (True, False or
None, as objects) and ``list`` (lists of str)."""

_FIELDS = [name for name in RECORDS if name != "activity_id"]

BUILD_FIELDS = tuple(name for name in RECORDS
                     if name not in ("index", "external_id", "sport_from", "warnings"))
"""The :data:`RECORDS` columns :func:`build` reads; the others are the importers' and
the cache's (a record's file index, source id and warnings)."""

_STRING, _INT64 = pd.StringDtype(), pd.Int64Dtype()
"""The dtypes of the timeline's ``string`` and ``Int64`` columns (``pd.NA`` for missing)."""


def records_frame(activities: Iterable[Activity]) -> pd.DataFrame:
    """Importer records as one frame, a column per field (:data:`RECORDS`).

    Records without a start are left out (they cannot be placed on a day). The
    activity id is computed here, once; the frame is what the import cache keeps
    (:meth:`loadwatch.importers.cache.Store.save_import`) and what :func:`build` reads.
    """
    recs = [a for a in activities if a.start_utc is not None]
    if not recs:
        return pd.DataFrame({name: pd.Series(dtype=_KIND_DTYPE[kind])
                             for name, kind in RECORDS.items()})
    values = list(zip(*map(attrgetter(*_FIELDS), recs), strict=True))
    cols = dict(zip(_FIELDS, values, strict=True))
    out = {"activity_id": np.array([activity_id(a) for a in recs], dtype=object)}
    for name in _FIELDS:
        kind = RECORDS[name]
        v = cols[name]
        if kind == "time":
            out[name] = pd.to_datetime(pd.Series(v, dtype=object), utc=True).astype(
                "datetime64[ns, UTC]")
        elif kind == "float":
            try:
                out[name] = np.array([np.nan if x is None else x for x in v], dtype=float)
            except (TypeError, ValueError):
                out[name] = pd.to_numeric(pd.Series(v, dtype=object), errors="coerce").to_numpy(
                    float)
        elif kind == "int":
            out[name] = np.array(v, dtype=np.int64)
        else:
            out[name] = np.array(v, dtype=object) if kind != "list" else _object_array(v)
    return pd.DataFrame(out)


_KIND_DTYPE = {"text": object, "time": "datetime64[ns, UTC]", "float": float, "int": np.int64,
               "flag": object, "list": object}


def _object_array(values) -> np.ndarray:
    return np.fromiter((list(v) for v in values), dtype=object, count=len(values))


def build(activities: Iterable[Activity] | pd.DataFrame, athlete: str, tz: tzinfo) -> pd.DataFrame:
    """The timeline for one athlete from importer records, sorted by start.

    Parameters
    ----------
    activities : iterable of Activity, or pandas.DataFrame
        Importer output, or its :func:`records_frame` (its :data:`BUILD_FIELDS`
        suffice); records without a start time are dropped (they cannot be placed
        on a day; importers report them as skipped).
    athlete : str
        Athlete name for the ``athlete`` column.
    tz : tzinfo
        The athlete's zone, used where a record carries no device offset.

    Returns
    -------
    pandas.DataFrame
        Columns and dtypes as ``COLUMNS``; not yet deduplicated (see :func:`loadwatch.duplicates.dedupe`).
    """
    raw = activities if isinstance(activities, pd.DataFrame) else records_frame(activities)
    # Plain arrays and one index, not Series: each pandas object costs more than its
    # arithmetic on one athlete's few hundred rows.
    start_ns = raw["start_utc"].to_numpy("datetime64[ns]")
    keep = ~np.isnat(start_ns)
    if not keep.all():
        raw = raw[keep].reset_index(drop=True)
        start_ns = start_ns[keep]
    if raw.empty:
        return empty()
    n = len(raw)
    ids = raw["activity_id"].to_numpy(object)
    order = np.argsort(start_ns.astype(np.int64), kind="stable")
    if (np.diff(start_ns[order].astype(np.int64)) == 0).any():
        # Two records starting at one instant: their ids (as text) settle the order. Only
        # then: the ids' text array costs more than the sort.
        order = np.lexsort((ids.astype(str), start_ns.astype(np.int64)))
    start_ns = start_ns[order]

    def column(name: str) -> np.ndarray:
        return raw[name].to_numpy(object)[order]

    sport, sub = column("sport"), column("sub_sport")
    norm, indoor = _sports(sport, sub)
    gps = column("gps")

    # The zone's own offset at each instant handles DST; the device's offset wins.
    utc_index = pd.DatetimeIndex(start_ns).tz_localize("UTC")
    zone_index = utc_index.tz_convert(tz)
    zone_offset_s = (zone_index.tz_localize(None).asi8 - start_ns.astype(np.int64)) / 1e9
    device_offset_s = raw["utc_offset_s"].to_numpy(float)[order]
    has_device = ~np.isnan(device_offset_s)
    offset_s = np.where(has_device, device_offset_s, zone_offset_s)
    naive_local = start_ns + (offset_s * 1e9).astype("timedelta64[ns]")
    out = {
        "activity_id": ids[order],
        "athlete": np.full(n, athlete, dtype=object),
        "source": column("source"),
        "path": column("path"),
        "name": column("name"),
        "sport": norm,
        "sub_sport": sub,
        "is_run": norm == "run",
        "indoor": indoor | (gps == False),  # noqa: E712
        "start_utc": utc_index.array,
        # An object Series as it is: building the frame infers no dtype over it.
        "start_local": _aware_local(utc_index, zone_index, has_device, offset_s),
        "utc_offset_min": pd.array(np.floor_divide(offset_s, 60), dtype=_INT64),
        "local_date": naive_local.astype("datetime64[D]").astype("datetime64[ns]"),
    }
    # A parse cached before the gear field has no such column: its shoes are unknown.
    gear = column("gear") if "gear" in raw.columns else np.full(n, None, dtype=object)
    out["gear"] = np.where(pd.isna(gear), None, gear)
    out["race"] = races.by_name(out["name"], norm == "run")
    for col in NUMERIC:
        values = raw[col].to_numpy(float)[order]
        out[col] = np.where((values <= 0) | ~(np.abs(values) <= MAX_VALUE), np.nan, values)
    # A parse cached before ratings were read has no rpe column: nobody rated those.
    rpe = raw["rpe"].to_numpy(float)[order] if "rpe" in raw else np.full(n, np.nan)
    out["rpe"] = np.where((rpe >= 0) & (rpe <= RPE_MAX), rpe, np.nan)
    out["session_load"] = session_load(out["rpe"], out["duration_s"])
    for col, dtype in COLUMNS.items():
        if dtype == "string":
            # The dtype itself, not its name: parsing "string" costs as much as the conversion.
            out[col] = pd.array(out[col], dtype=_STRING)
    # In the schema's order already: a frame given its columns' order looks each one up again.
    # Not copied: every array here is this frame's own, made above.
    return pd.DataFrame({col: out[col] for col in COLUMNS}, copy=False)


def _sports(sport: np.ndarray, sub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The loadwatch sport and whether indoors, per (sport, sub-sport) of the sources.

    The pairs are few (two or three per athlete): each distinct pair is normalised and
    searched for indoor words once, and the answers are spread back by its code. Every
    missing value (None, NaN, NA) is no sport: pandas 3 stores a text column as strings
    with NaN for None, and "nan" is no sport's name.
    """
    # pd.factorize codes every missing value -1: here 0, "no sport", the others from 1.
    codes = [pd.factorize(values)[0].astype(np.int64) + 1 for values in (sport, sub)]
    width = int(codes[1].max()) + 1
    combined = codes[0] * width + codes[1]
    # A table over the few possible pairs, not np.unique's sort of every row: a row of each
    # pair seen (rows of one code hold equal values), and each row's position among them.
    row_of = np.full((int(codes[0].max()) + 1) * width, -1)
    row_of[combined] = np.arange(len(combined))
    seen = np.flatnonzero(row_of >= 0)
    position = np.zeros(len(row_of), dtype=np.intp)
    position[seen] = np.arange(len(seen))
    indoor_re = re.compile("|".join(INDOOR_WORDS))
    rows = row_of[seen]
    pairs = [(sport[i] if a else None, sub[i] if b else None)
             for i, a, b in zip(rows.tolist(), codes[0][rows].tolist(), codes[1][rows].tolist(),
                                strict=True)]
    norm = np.array([normalise(*p) for p in pairs], dtype=object)
    indoor = np.array([bool(indoor_re.search(
        f"{'' if p[0] is None else p[0]} {'' if p[1] is None else p[1]}".lower()))
        for p in pairs], dtype=bool)
    return norm[position[combined]], indoor[position[combined]]


def _aware_local(utc_index: pd.DatetimeIndex, zone_index: pd.DatetimeIndex,
                 has_device: np.ndarray, offset_s: np.ndarray) -> pd.Series:
    """Tz-aware local starts: in the zone, or at the device's fixed offset where it has one.

    ``utc_index`` and ``zone_index`` are the starts in UTC and in the athlete's zone,
    ``has_device`` whether a row has the device's own offset, ``offset_s`` the offsets. [s]
    """
    # A Timestamp per row costs ~1 us: where every row has a device offset (FIT files
    # do), the zone's are never used, so they are not made. The device's are put in a
    # numpy array: a pandas setitem of Timestamps looks for a datetime dtype over them.
    # The arrays' own astype, not a Series': the same Timestamps without pandas' layers.
    out = (np.empty(len(zone_index), dtype=object) if has_device.all()
           else zone_index.array.astype(object))
    if has_device.any():
        # One conversion per distinct offset (a handful), not one per activity.
        for off in np.unique(offset_s[has_device]).tolist():
            rows = has_device & (offset_s == off)
            zone = timezone(timedelta(seconds=int(off)))
            out[rows] = utc_index[rows].tz_convert(zone).array.astype(object)
    return pd.Series(out, dtype=object)


def override_sports(df: pd.DataFrame, overrides: dict[str, str]) -> pd.DataFrame:
    """The timeline with the sports a user set (``[sports]`` in ``loadwatch.toml``).

    Parameters
    ----------
    df : pandas.DataFrame
        A timeline.
    overrides : dict
        ``{activity id or file-name glob pattern: loadwatch sport}``. A key equal
        to an ``activity_id`` sets that activity; any other key is a pattern
        (``fnmatch``, case-insensitive) on the file's name without its folder (a
        zip member's own name). An id wins over a pattern, the first matching
        pattern over later ones.

    Returns
    -------
    pandas.DataFrame
        ``df`` with ``sport`` and ``is_run`` set where a key matched.
    """
    if not overrides or df.empty:
        return df
    df = df.copy()
    ids = df["activity_id"].astype(object)
    base = df["path"].astype(object).str.extract(r"([^/\\!]*)$", expand=False)
    sport = ids.map(overrides)
    for pattern, value in overrides.items():
        if pattern in set(ids):
            continue
        hit = base.str.match(fnmatch.translate(pattern), flags=re.IGNORECASE) & sport.isna()
        sport = sport.mask(hit, value)
    set_ = sport.notna()
    df.loc[set_, "sport"] = sport[set_]
    df["is_run"] = df["sport"].eq("run")
    return df
