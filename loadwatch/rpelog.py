"""The athlete's own session ratings: ``rpe.csv``, read and appended without pandas.

For sessions whose file carries no rating (a GPX, a watch without the RPE prompt),
the athlete rates them after the fact: ``loadwatch rpe add 2026-11-04 7`` appends a
line to ``rpe.csv`` in the athlete folder. Any spreadsheet log saved as CSV works
too: the columns are found by their header, in any order, among any others::

    date,activity,rpe
    2026-11-04,,7
    2026-11-05,strava:12866632127,4.5

``date`` (YYYY-MM-DD, the local day of the session) and ``rpe`` (0-10, Foster's
CR-10; a decimal comma is read) are needed; ``activity`` (an activity id, as
``loadwatch timeline --format json`` shows) is optional and picks one session of a
day with several (:func:`loadwatch.session_rpe.apply_log` says how a line meets its
session). Cells may be separated by ``,`` or ``;`` (as a spreadsheet in a
decimal-comma language saves them). A later line for the same session wins: a
correction is a new line.

Appends are atomic and locked, as the pain diary's (:mod:`loadwatch.diaryfile`): the
whole file is replaced, never half-written, and two ``rpe add`` at once both land.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loadwatch import fileio
from loadwatch.importers.rpe import RPE_MAX, rating
from loadwatch.textcodec import decode_text

LOG_NAME = "rpe.csv"
"""The log's name in the athlete folder."""

HEADER = ("date", "activity", "rpe")
"""The columns ``rpe add`` writes (a new log gets this header)."""

MAX_LOG_BYTES = 2 << 20
"""Largest log read: a rating a session for 20 years is under 1 MB. [bytes]"""

_ACTIVITY_NAMES = ("activity", "activity_id", "id")
_RPE_NAMES = ("rpe", "session_rpe", "srpe_rating")


class RpeLogError(ValueError):
    """A log that cannot be read or written; one line naming the file and the problem."""


@dataclass(frozen=True)
class Rating:
    """One line of the log: the session's local day, its id if given, the rating (0-10)."""

    day: date
    rpe: float
    activity: str | None = None
    line: int = 0


def parse_rating(day: str, value: str, activity: str | None = None, line: int = 0) -> Rating:
    """One rating from its cells; :class:`RpeLogError` with the reason for a bad one.

    0 is CR-10's "rest" here (the athlete said so), unlike a source's empty 0.

    >>> parse_rating("2026-11-04", "6,5")
    Rating(day=datetime.date(2026, 11, 4), rpe=6.5, activity=None, line=0)
    """
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        raise RpeLogError(f"date {day.strip()!r} is not a date like 2026-11-04") from None
    text = value.strip()
    number = rating(text.replace(",", ".") if text.count(",") == 1 else text, zero_is_rest=True)
    if number is None:
        raise RpeLogError(f"rpe {text!r} is not a rating from 0 to {RPE_MAX:g}")
    return Rating(when, number, (activity or "").strip() or None, line)


def read_log(path: str | os.PathLike) -> tuple[list[Rating], list[str]]:
    """The ratings of a log in file order, and one ``path, line N: problem`` per bad line.

    A missing file is an empty log.

    Raises
    ------
    RpeLogError
        Too large, not a regular file, unreadable, or a header without ``date`` and
        ``rpe`` columns.
    """
    path = Path(path)
    try:
        data = fileio.read_regular(path, MAX_LOG_BYTES)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise RpeLogError(f"{path}: cannot read the RPE log ({exc.strerror or exc})") from None
    text = decode_text(data).text
    if not text.strip():
        return [], []
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [c.strip().lower() for c in next(rows)]
    col = {name: header.index(name) for name in header if name}
    day_at = col.get("date")
    rpe_at = next((col[n] for n in _RPE_NAMES if n in col), None)
    act_at = next((col[n] for n in _ACTIVITY_NAMES if n in col), None)
    if day_at is None or rpe_at is None:
        raise RpeLogError(f"{path}: no 'date' and 'rpe' columns in its header (the log needs "
                          "date,rpe and may have activity)")
    ratings, errors = [], []
    try:
        for cells in rows:
            line = rows.line_num
            if not any(c.strip() for c in cells):
                continue
            try:
                if max(day_at, rpe_at) >= len(cells):
                    raise RpeLogError(f"{len(cells)} cells where the header has {len(header)}")
                act = cells[act_at] if act_at is not None and act_at < len(cells) else None
                ratings.append(parse_rating(cells[day_at], cells[rpe_at], act, line))
            except RpeLogError as exc:
                errors.append(f"{path}, line {line}: {exc}; the line is not used")
    except csv.Error as exc:
        errors.append(f"{path}, line {rows.line_num}: broken CSV ({exc}); the lines after it "
                      "were not read")
    return ratings, errors


def append_rating(path: str | os.PathLike, entry: Rating) -> None:
    """Add one rating to the log at ``path`` (created with :data:`HEADER` if missing).

    Under an exclusive lock on the hidden sidecar (:func:`loadwatch.fileio.locked`),
    the current bytes are read, the line added after them in the file's own column
    order and separator, and the whole file written with
    :func:`loadwatch.fileio.write_atomic`: a reader or a crash sees the old log or the
    new one, and two writers queue instead of losing a line.

    Raises
    ------
    RpeLogError
        The folder does not exist, the file is not a regular file or too large, has
        no ``date`` and ``rpe`` columns, or cannot be written.
    """
    path = Path(path)
    try:
        fileio.rewrite_locked(path, lambda old: old + _addition(path, old, entry),
                              lambda target: fileio.read_regular(target, MAX_LOG_BYTES))
    except fileio.UnsafeTarget as exc:
        raise RpeLogError(str(exc)) from None
    except OSError as exc:
        raise RpeLogError(f"{path}: cannot write the RPE log ({exc.strerror or exc})") from None


def _addition(path: Path, old: bytes, entry: Rating) -> bytes:
    """The bytes after ``old``: a header if there is none, then the rating's line."""
    decoded = decode_text(old) if old else None
    text = decoded.text if decoded else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    values = {"date": entry.day.isoformat(), "activity": entry.activity or "",
              "rpe": f"{entry.rpe:g}"}
    if not text.strip():
        header, delimiter = list(HEADER), ","
        lines = [_line(header, delimiter, newline)]
    else:
        first = text.splitlines()[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter))]
        if "date" not in header or not any(n in header for n in _RPE_NAMES):
            raise RpeLogError(f"{path}: no 'date' and 'rpe' columns in its header: not an RPE "
                              "log; move it aside or name another")
        if entry.activity and not any(n in header for n in _ACTIVITY_NAMES):
            raise RpeLogError(f"{path}: no 'activity' column for --activity; add one to its "
                              "header")
        lines = []
    names = {n: "activity" for n in _ACTIVITY_NAMES} | {n: "rpe" for n in _RPE_NAMES}
    if delimiter == ";":
        values["rpe"] = values["rpe"].replace(".", ",")
    cells = [values.get(names.get(name, name), "") for name in header]
    lines.append(_line(cells, delimiter, newline))
    ended = not text or text.endswith(("\n", "\r"))
    addition = ("" if ended else newline) + "".join(lines)
    return addition.encode(decoded.codec if decoded else "utf-8")


def _line(cells: list[str], delimiter: str, newline: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerow(cells)
    return out.getvalue()
