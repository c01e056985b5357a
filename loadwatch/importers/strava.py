"""Strava bulk exports: ``activities.csv`` and the files it names, in a folder or a ``.zip``.

A Strava export ("Download your data") is a zip holding ``activities.csv`` (one
row per activity, the summary Strava shows) and ``activities/`` with the
uploaded files (``.fit.gz``, ``.gpx``, ``.gpx.gz``, ``.tcx.gz``, rarely
``.bin.gz``). The ``Filename`` cell names a row's file relative to the export
root; its number is not always the Activity ID. This module reads the CSV into
one summary :class:`~loadwatch.importers.base.Activity` per row and finds the
files rows name (:mod:`loadwatch.importers.strava_files`);
:mod:`loadwatch.importers.exports` reads those files and falls back to the
summary when one is missing or unreadable.

The CSV has drifted over the years [1]_, [2]_:

- before mid-2019: ``id,date,name,type,description,elapsed_time,distance,commute,gear,filename``,
  dates like ``2018-09-12 15:02:23`` (UTC), distance in metres;
- mid-2019 on: ``Activity ID,Activity Date,...``, dates like ``May 29, 2022, 3:53:35 PM``
  (UTC), distance in km with 2 decimals;
- later: 87, 94, 99, 101 columns, where ``Elapsed Time``, ``Distance``, ``Max Heart Rate``,
  ``Relative Effort`` and ``Commute`` appear twice. The first ``Elapsed Time`` is whole
  seconds, the second float seconds (empty on some rows); the first ``Distance`` is km
  (nautical miles for Sail), the second metres. Columns are therefore read by position,
  never through a dict keyed by name, which would keep only the second of each pair;
- one 2023 export wraps a dozen names in ``<span class="translation_missing" ...>`` HTML.

Exports made in another language translate the header (German ``Aktivitäts-ID``,
with decimal commas and ``09.12.2022, 15:24:49`` dates) but keep the English column
order; :mod:`loadwatch.importers.strava_i18n` renames the German, French, Spanish and
Dutch names to English and reads their dates and decimal commas. A language it does
not know is refused with one clear line rather than half understood.

References
----------
.. [1] H. van Kemenade, "Changed column names in activities.csv", hugovk/strava-tools
   pull requests #1 and #2, GitHub, Jul. 2019.
.. [2] M. Ueding, geo-activity-playground, issues #131, #348, #393 and #403 (Strava
   export headers with 87 to 101 columns, German headers), GitHub, 2024-2026.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from loadwatch.importers import rpe, strava_i18n, unread
from loadwatch.importers.base import Activity, ImportFailure, as_utc, clean, plausible
from loadwatch.numbers import parse_number
from loadwatch.textcodec import decode_text

METRES_PER_KM = 1000.0
"""Scale of the first ``Distance`` column, the fallback when the metres column is empty. [m/km]"""

METRES_PER_NAUTICAL_MILE = 1852.0
"""Scale of the first ``Distance`` column for Sail rows (international nautical mile). [m/nmi]"""

NAUTICAL_TYPES = frozenset({"sail"})
"""``Activity Type`` values (casefolded) whose first ``Distance`` is in nautical miles."""


_ENGLISH_DATE_EXAMPLE = "May 29, 2022, 3:53:35 PM"
_LANGUAGE_HINT = ("is this export in another language? loadwatch reads Strava exports in "
                  "English, German, French, Spanish and Dutch")

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}

# "May 29, 2022, 3:53:35 PM"; newer exports put a narrow no-break space before PM,
# which \s matches.
_ENGLISH_DATE = re.compile(
    r"([a-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})"
    r"(?:\s*([ap])\.?m\.?)?",
    re.IGNORECASE)

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class StravaRow:
    """One row of ``activities.csv``.

    Attributes
    ----------
    activity : Activity
        The row's own summary, ``source="strava_csv"``.
    filename : str or None
        The ``Filename`` cell as written (``activities/12866632127.fit.gz``), relative
        to the export root; None for manual entries.
    line : int
        Line of the file where the row starts (the header is line 1).
    """

    activity: Activity
    filename: str | None
    line: int


@dataclass(frozen=True)
class CsvResult:
    """The rows read from ``activities.csv`` and one message per row that could not be."""

    rows: list[StravaRow]
    errors: list[str]


@dataclass(frozen=True)
class _Field:
    """Columns holding one value, best first, each with its header name and scale to SI."""

    columns: tuple[tuple[int, str, float], ...]


@dataclass(frozen=True)
class _Layout:
    """Where each value sits in one export's rows."""

    width: int
    activity_id: int
    date: int
    sport: int
    filename: int
    name: int | None
    gear: int | None
    numbers: dict[str, _Field]
    display_distance: tuple[int, str] | None
    rpe: int | None = None
    """The ``Perceived Exertion`` column (not ``Prefer Perceived Exertion``, a setting)."""


class _BadRow(ValueError):
    """One row cannot be read; the message names the problem."""


# --------------------------------------------------------------------------- CSV


def read_activities_csv(data: bytes, path: str) -> CsvResult:
    """Read a Strava ``activities.csv`` into one summary activity per row.

    Parameters
    ----------
    data : bytes
        The file's bytes: UTF-8 (with or without byte-order mark), or as Excel saves
        it, Windows-1252 or UTF-16 with a byte-order mark
        (:func:`loadwatch.textcodec.decode_text`).
    path : str
        Where it came from, kept on each activity (``export.zip!activities.csv`` for a zip).

    Returns
    -------
    CsvResult
        ``rows`` in file order; ``errors`` holds one ``line N: problem`` message per row
        that could not be read (unparseable date, garbage number, wrong cell count);
        the other rows still count.

    Raises
    ------
    Skip
        An OpenTracks CSV track (:func:`loadwatch.importers.unread.is_opentracks_csv`).
    ImportFailure
        Empty file, or a header without the columns needed (another language, a
        different CSV); the message names the missing columns.

    Notes
    -----
    Per row: ``external_id`` = Activity ID; ``sport`` = the raw ``Activity Type``;
    ``start_utc`` = ``Activity Date`` (UTC in every export); ``elapsed_s`` = the float
    ``Elapsed Time`` column, else the whole-seconds one [s]; ``duration_s`` = ``Moving
    Time`` [s]; ``distance_m`` = the metres ``Distance`` column, else the first one x 1000
    (x 1852 for Sail, whose first column is nautical miles) [m]; ``elevation_gain_m``
    [m]; ``avg_hr`` and ``max_hr`` (the second ``Max Heart Rate``, else the first)
    [1/min]; ``rpe`` = ``Perceived Exertion`` (1-10; ``Prefer Perceived Exertion`` is a
    setting and is not read); ``gear`` = ``Activity Gear`` (``gear`` before 2019), the shoe
    or bike the athlete picked on Strava, None when empty. An empty cell, 0 or a negative
    number is None: Strava writes 0 for "not
    measured". ``index`` is the row's position among the data rows, so that rows
    without an id still get distinct activity ids.
    """
    # OpenTracks' own CSV is a track, not a Strava export in another language.
    unread.refuse_opentracks_csv(data[:4096])
    # Strava writes UTF-8; a CSV re-saved by Excel is Windows-1252 or UTF-16.
    text = decode_text(data).text
    if not text.strip():
        raise ImportFailure("empty file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFailure(f"broken CSV header ({exc})") from exc
    layout = _layout(header)
    rows: list[StravaRow] = []
    errors: list[str] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"line {line}: broken CSV ({exc}); the rows after it were not read")
            break
        if not any(c.strip() for c in cells):
            continue
        try:
            rows.append(_row(cells, layout, path, line, len(rows)))
        except _BadRow as exc:
            errors.append(f"line {line}: {exc}")
    return CsvResult(rows, errors)


def _header_name(cell: str) -> str:
    """A header cell as plain text: HTML tags dropped, entities decoded, spaces collapsed.

    >>> _header_name('<span class="translation_missing" title="x">Start Time</span>')
    'Start Time'
    """
    return " ".join(html.unescape(_TAG.sub("", cell)).replace("\ufeff", "").split())


def _layout(header: list[str]) -> _Layout:
    """Where each value sits, from the header row; ImportFailure if it is not understood."""
    # A translated export is renamed to English here and read like one from then on.
    names, _language = strava_i18n.to_english([_header_name(c) for c in header])
    where: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        where.setdefault(name.casefold(), []).append(i)
    if "activity date" not in where and {"id", "date"} <= where.keys():
        return _legacy_layout(names, where)
    required = ("Activity ID", "Activity Date", "Activity Type", "Elapsed Time", "Distance",
                "Filename")
    if "activity date" not in where:
        # Nothing else is worth listing: the header is not an English Strava one at all.
        raise ImportFailure(f"no 'Activity Date' column ({_LANGUAGE_HINT})")
    _require(required, where)

    def cols(name: str, *, prefer_second: bool = False) -> _Field:
        found = where.get(name.casefold(), [])[:2]
        order = found[::-1] if prefer_second else found
        return _Field(tuple((i, name, 1.0) for i in order))

    distances = where["distance"]
    metres = distances[1] if len(distances) > 1 else None
    return _Layout(
        width=len(names),
        activity_id=where["activity id"][0],
        date=where["activity date"][0],
        sport=where["activity type"][0],
        filename=where["filename"][0],
        name=where.get("activity name", [None])[0],
        gear=where.get("activity gear", [None])[0],
        numbers={
            "elapsed_s": cols("Elapsed Time", prefer_second=True),
            "duration_s": cols("Moving Time"),
            "distance_m": _Field(() if metres is None else ((metres, "Distance", 1.0),)),
            "elevation_gain_m": cols("Elevation Gain"),
            "avg_hr": cols("Average Heart Rate"),
            "max_hr": cols("Max Heart Rate", prefer_second=True),
        },
        display_distance=(distances[0], "Distance"),
        rpe=where.get("perceived exertion", [None])[0],
    )


def _legacy_layout(names: list[str], where: dict[str, list[int]]) -> _Layout:
    """The pre-2019 header (``id,date,name,type,...``): ISO dates, distance in metres."""
    _require(("type", "elapsed_time", "distance", "filename"), where)
    return _Layout(
        width=len(names),
        activity_id=where["id"][0],
        date=where["date"][0],
        sport=where["type"][0],
        filename=where["filename"][0],
        name=where.get("name", [None])[0],
        gear=where.get("gear", [None])[0],
        numbers={
            "elapsed_s": _Field(((where["elapsed_time"][0], "elapsed_time", 1.0),)),
            "distance_m": _Field(((where["distance"][0], "distance", 1.0),)),
        },
        display_distance=None,
    )


def _require(names: tuple[str, ...], where: dict[str, list[int]]) -> None:
    missing = [n for n in names if n.casefold() not in where]
    if missing:
        listed = ", ".join(f"'{n}'" for n in missing)
        raise ImportFailure(f"no {listed} column{'s' if len(missing) > 1 else ''}")


def _row(cells: list[str], layout: _Layout, path: str, line: int, index: int) -> StravaRow:
    """One data row as a :class:`StravaRow`; raises :class:`_BadRow`."""
    if len(cells) != layout.width:
        raise _BadRow(f"{len(cells)} cells where the header has {layout.width} "
                      "(a stray comma or quote?)")
    sport = strava_i18n.english_type(cells[layout.sport].strip()) or None
    values = {key: _number(cells, f) for key, f in layout.numbers.items()}
    if values.get("distance_m") is None and layout.display_distance is not None:
        column, label = layout.display_distance
        nautical = sport is not None and sport.casefold() in NAUTICAL_TYPES
        scale = METRES_PER_NAUTICAL_MILE if nautical else METRES_PER_KM
        values["distance_m"] = _number(cells, _Field(((column, label, scale),)))
    activity = Activity(
        source="strava_csv",
        path=path,
        start_utc=_start(cells[layout.date]),
        sport=sport,
        name=_text(cells, layout.name),
        gear=_text(cells, layout.gear),
        index=index,
        external_id=cells[layout.activity_id].strip() or None,
        rpe=_rpe(cells, layout.rpe),
        **values,
    )
    return StravaRow(activity, cells[layout.filename].strip() or None, line)


def _rpe(cells: list[str], column: int | None) -> float | None:
    """``Perceived Exertion`` (1-10, Strava's slider: :mod:`loadwatch.importers.rpe`); None
    when empty, 0 or not a rating (a bad rating costs the rating, never the row)."""
    return None if column is None else rpe.rating(strava_i18n.decimal(cells[column].strip()))


def _text(cells: list[str], column: int | None) -> str | None:
    return None if column is None else cells[column].strip() or None


def _number(cells: list[str], spec: _Field) -> float | None:
    """The first non-empty cell of ``spec``'s columns, scaled to SI; None if all are empty.

    0 and negative numbers are None as well (Strava writes 0 for "not measured");
    text that is no plain number (``8_0``, ``nan``, ``inf``, ``1e999``:
    :func:`loadwatch.numbers.parse_number`) raises :class:`_BadRow`.
    """
    for column, label, scale in spec.columns:
        raw = cells[column].strip()
        if not raw:
            continue
        try:
            value = parse_number(strava_i18n.decimal(raw))
        except ValueError as exc:
            raise _BadRow(f"{label} {exc}") from None
        return clean(value * scale, positive=True)
    return None


def _start(raw: str) -> datetime:
    """``Activity Date`` as aware UTC: English (``May 29, 2022, 3:53:35 PM``), day-first as
    translated exports write it (``09.12.2022, 15:24:49``, ``29 mai 2022, 15:53:35``) or ISO
    (pre-2019)."""
    text = raw.strip()
    if not text:
        raise _BadRow("no Activity Date")
    try:
        start = (_english_date(text) or strava_i18n.parse_date(text)
                 or as_utc(datetime.fromisoformat(text)))
    except ValueError:
        start = None
    if start is None:
        raise _BadRow(f"Activity Date {text!r} is not a date like '{_ENGLISH_DATE_EXAMPLE}'")
    if not plausible(start):
        raise _BadRow(f"Activity Date {text!r} is not a plausible activity date")
    return start


def _english_date(text: str) -> datetime | None:
    """Strava's English date, parsed without the locale-dependent ``strptime``.

    >>> _english_date("May 29, 2022, 3:53:35 PM").isoformat()
    '2022-05-29T15:53:35+00:00'
    >>> _english_date("Jan 1, 2020, 12:05:00 AM").isoformat()
    '2020-01-01T00:05:00+00:00'
    """
    m = _ENGLISH_DATE.fullmatch(text)
    if m is None or m.group(1).lower() not in _MONTHS:
        return None
    mon, day, year, hour, minute, second, half = m.groups()
    h = int(hour)
    if half is not None:
        if not 1 <= h <= 12:
            raise ValueError(f"hour {h} with AM/PM")
        h = h % 12 + (12 if half.lower() == "p" else 0)
    return datetime(int(year), _MONTHS[mon.lower()], int(day), h, int(minute), int(second),
                    tzinfo=UTC)
