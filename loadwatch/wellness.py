"""Wellness: soreness, fatigue, sleep and resting heart rate, as context beside the load.

A ``wellness.csv`` in the athlete's folder, one day a line (every column but the date
may be empty)::

    date,soreness,fatigue,sleep_h,resting_hr
    2026-11-20,2,3,7.5,48
    2026-11-21,,2,6.0,

=============  ==================================================================
column         meaning
=============  ==================================================================
date           local calendar day, ``YYYY-MM-DD``
soreness       muscle soreness as the runner rates it, higher is worse, 0-10
               (intervals.icu rates 1-4, the McLean 2010 questionnaire 1-5:
               loadwatch shows the number as written, on no scale of its own)
fatigue        the same, for tiredness
sleep_h        sleep of the night before [h], 0-24
resting_hr     resting heart rate [1/min], 25-120
=============  ==================================================================

Self-reported wellness tracks training load well: in a systematic review it responded
to load more consistently than blood markers or heart-rate measures (Saw, Main and
Gastin 2016, Br J Sports Med 50:281). No study has shown that it predicts a running
injury, so loadwatch shows it as context (the last value and the trend over 4 weeks)
in the report and the squad, and never uses it in the level, a flag or a ceiling.

Wellness synced from intervals.icu (``loadwatch sync`` keeps it in
``intervals.icu/intervals-wellness.json`` of the athlete folder: ``{"format":
"loadwatch-intervals-sync", "version": 1, ..., "wellness": [{"id": "2026-12-01",
"restingHR": 48, "sleepSecs": 27000, "soreness": 2, "fatigue": 3, ...}]}``) is read too:
``id`` is the day, ``sleepSecs`` / 3600 the hours slept; intervals.icu rates soreness and
fatigue 1-4. Reader hook: :data:`SOURCES` lists the files read, first to last, each with
its reader; a day both hold takes the later file's value, so the athlete's own
``wellness.csv`` wins over the synced days.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from loadwatch import fileio
from loadwatch.textcodec import decode_text

MEASURES: dict[str, tuple[float, float, str]] = {
    "soreness": (0.0, 10.0, ""),
    "fatigue": (0.0, 10.0, ""),
    "sleep_h": (0.0, 24.0, "h"),
    "resting_hr": (25.0, 120.0, "bpm"),
}
"""Each measure's accepted range (outside it a value is a typing error, its row reported)
and unit. [as named]"""

MAX_WELLNESS_BYTES = 16 << 20
"""Largest wellness file read: 40 years of daily CSV rows are under 2 MB, 10 years of
intervals.icu's JSON days about 8 MB. [bytes]"""

INTERVALS_FIELDS = {"soreness": ("soreness", 1.0), "fatigue": ("fatigue", 1.0),
                    "sleepSecs": ("sleep_h", 1 / 3600), "restingHR": ("resting_hr", 1.0)}
"""intervals.icu's wellness fields read, each with its measure and the scale to its unit
(``sleepSecs`` [s] x 1/3600 = hours)."""

SHOWN_CHARS = 40
"""Characters of a bad value quoted in a message; the rest is cut to "...". [chars]"""

MAX_ERRORS = 20
"""Bad rows named one by one; the rest are counted in one line. [rows]"""

TREND_DAYS = 28
"""The trend compares the mean of the last 28 days up to the report date with the mean of
the 28 days before them: change = mean_4w - mean_before [the measure's unit]. loadwatch's
product rule (4 weeks, as the shoe table and the chronic load; Saw 2016 gives no window),
shown as context only. [days]"""


@dataclass(frozen=True)
class Wellness:
    """What the wellness files hold: ``{measure: {day: value}}``; ``errors``: one line per bad
    row (the rest count); ``skipped``: one line per file left out whole (too large,
    unreadable, no date column)."""

    values: dict[str, dict[date, float]] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(self.values.values())


def read(folder: Path) -> Wellness | None:
    """The wellness files of ``folder`` (:data:`SOURCES`); None when there is none.

    A file too large, unreadable or with a header naming no date is one error line naming
    it; a bad row is one error line naming the file and the line; the rest count.
    """
    values: dict[str, dict[date, float]] = {m: {} for m in MEASURES}
    errors: list[str] = []
    skipped: list[str] = []
    found = False
    for name, reader in SOURCES:
        path = folder / name
        if not path.is_file():
            continue
        found = True
        try:
            text = decode_text(fileio.read_regular(path, MAX_WELLNESS_BYTES)).text
        except OSError as exc:
            skipped.append(f"{path}: not read ({exc.strerror or exc}; a wellness log is read "
                           f"up to {MAX_WELLNESS_BYTES:,} bytes)")
            continue
        try:
            errors += reader(path, text, values)
        except _Refused as exc:
            skipped.append(str(exc))
    if not found:
        return None
    if len(errors) > MAX_ERRORS:
        errors = errors[:MAX_ERRORS] + [f"{len(errors) - MAX_ERRORS} more wellness rows like "
                                        "these were left out"]
    return Wellness(values, tuple(errors), tuple(skipped))


class _Refused(ValueError):
    """A wellness file left out whole; the message names it and why."""


def _csv_rows(path: Path, text: str, values: dict[str, dict[date, float]]) -> list[str]:
    """Read ``wellness.csv``'s rows into ``values``; one message per bad row. Raises _Refused."""
    columns = {m: m for m in MEASURES}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise _Refused(f"{path}: empty or not a CSV file") from None
    if "date" not in header:
        raise _Refused(f"{path}: no 'date' column (expected: date,{','.join(MEASURES)})")
    where = {columns[h]: i for i, h in enumerate(header) if h in columns}
    if not where:
        # A header of "date,sleep,hrv" would otherwise be read as nothing, in silence.
        found = ",".join(h[:20] for h in header[:6]) + (",..." if len(header) > 6 else "")
        raise _Refused(f"{path}: none of the columns {', '.join(MEASURES)} (found {found!r}; "
                       f"expected: date,{','.join(MEASURES)})")
    at = header.index("date")
    errors = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            try:
                day = date.fromisoformat(cells[at].strip())
            except (ValueError, IndexError):
                errors.append(f"{path}: line {line}: the date must be YYYY-MM-DD")
                continue
            for measure, i in where.items():
                raw = cells[i].strip() if i < len(cells) else ""
                if not raw:
                    continue
                try:
                    v = float(raw.replace(",", ".") if raw.count(",") == 1 else raw)
                except ValueError:
                    v = math.nan
                problem = _keep(values, measure, day, v, raw)
                if problem:
                    errors.append(f"{path}: line {line}: {problem}")
    except csv.Error as exc:
        errors.append(f"{path}: broken CSV after line {reader.line_num} ({exc}); the rest was "
                      "not read")
    return errors


def _keep(values: dict[str, dict[date, float]], measure: str, day: date, v: float,
          raw: object) -> str | None:
    """Keep ``v`` when it is in the measure's range; else the problem in words."""
    low, high, unit = MEASURES[measure]
    if not low <= v <= high:
        shown = ("a number of over 20 digits" if isinstance(raw, int) and abs(raw) >= 10**20
                 else repr(raw))
        shown = shown if len(shown) <= SHOWN_CHARS else shown[:SHOWN_CHARS - 3] + "..."
        return (f"{measure} {shown} is not a number from {low:g} to {high:g}"
                f"{' ' + unit if unit else ''}")
    values[measure][day] = v
    return None


def _intervals_days(path: Path, text: str, values: dict[str, dict[date, float]]) -> list[str]:
    """Read ``loadwatch sync``'s intervals.icu wellness store into ``values`` (see the module
    docstring); one message per bad day. Raises _Refused."""
    import json

    try:
        doc = json.loads(text)
    except ValueError:
        raise _Refused(f"{path}: not JSON") from None
    except RecursionError:
        # [[[[...]]]] 200,000 deep fits in the size cap and overflows the parser's stack.
        raise _Refused(f"{path}: JSON nested too deep to read") from None
    if not isinstance(doc, dict) or doc.get("format") != "loadwatch-intervals-sync" \
            or not isinstance(doc.get("wellness"), list):
        raise _Refused(f"{path}: not the wellness store loadwatch sync writes")
    errors = []
    for i, rec in enumerate(doc["wellness"], start=1):
        try:
            day = date.fromisoformat(str(rec["id"]))
        except (TypeError, KeyError, ValueError):
            errors.append(f"{path}: wellness day {i}: no day (id) like 2026-12-01")
            continue
        for name, (measure, scale) in INTERVALS_FIELDS.items():
            raw = rec.get(name)
            if raw is None:
                continue
            ok = isinstance(raw, int | float) and not isinstance(raw, bool)
            try:
                v = float(raw) * scale if ok else math.nan
            except OverflowError:   # a JSON integer of 400 digits is no heart rate
                v = math.nan
            problem = _keep(values, measure, day, v, raw)
            if problem:
                errors.append(f"{path}: {day}: {problem}")
    return errors


SOURCES = (
    ("intervals.icu/intervals-wellness.json", _intervals_days),
    ("wellness.csv", _csv_rows),
)
"""The files read from the athlete folder, first to last, each with its reader (path, text,
values) -> problems: a day both hold takes the later file's value."""


@dataclass(frozen=True)
class Trend:
    """One measure as of the report date.

    Attributes
    ----------
    measure : str
    last, last_date : float, datetime.date
        The latest value up to the report date and its day.
    mean_4w, mean_before : float or None
        Mean of the values in the :data:`TREND_DAYS` days up to the report date, and in the
        28 days before them (None: no value there). [the measure's unit]
    """

    measure: str
    last: float
    last_date: date
    mean_4w: float | None
    mean_before: float | None

    @property
    def change(self) -> float | None:
        """mean_4w - mean_before [the measure's unit]; None without both."""
        if self.mean_4w is None or self.mean_before is None:
            return None
        return self.mean_4w - self.mean_before

    @property
    def direction(self) -> str | None:
        """``up``, ``down`` or ``same`` (the change at 1 decimal), None without a change."""
        c = self.change
        if c is None:
            return None
        c = round(c, 1)
        return "up" if c > 0 else "down" if c < 0 else "same"


def trends(wellness: Wellness | None, as_of: date) -> list[Trend]:
    """Each measure with a value up to ``as_of``, in :data:`MEASURES` order."""
    if wellness is None:
        return []
    out = []
    start = as_of - timedelta(days=TREND_DAYS - 1)
    before = start - timedelta(days=TREND_DAYS)
    for measure in MEASURES:
        days = {d: v for d, v in wellness.values.get(measure, {}).items() if d <= as_of}
        if not days:
            continue
        last_day = max(days)
        recent = [v for d, v in days.items() if d >= start]
        earlier = [v for d, v in days.items() if before <= d < start]
        out.append(Trend(measure, days[last_day], last_day,
                         sum(recent) / len(recent) if recent else None,
                         sum(earlier) / len(earlier) if earlier else None))
    return out
