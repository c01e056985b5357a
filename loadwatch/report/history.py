"""The ``loadwatch history`` documents: JSON (``loadwatch/history-v1``) and CSV.

They only render the tables of :func:`loadwatch.verdict.history.history` (one per
athlete); nothing is judged here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from loadwatch.safetext import guard_formula

SCHEMA = "loadwatch/history-v1"
CSV_COLUMNS = ("athlete", "folder", "date", "level", "drivers", "clinical")
"""One row per athlete and day; ``drivers`` joined with ``;``."""
DRIVER_SEPARATOR = ";"


@dataclass(frozen=True)
class AthleteHistory:
    """One athlete's history: its name, its folder as named, and the table."""

    athlete: str
    folder: str
    days: pd.DataFrame


@dataclass
class HistoryRun:
    """The histories of an athlete or a squad, and what could not be read.

    Attributes
    ----------
    athletes : list of AthleteHistory
    errors : list of (str, str, str)
        ``(athlete, folder, error)`` of each athlete that could not be read.
    skipped : list of (str, str)
        Sub-folders of a squad that are not athletes, with why.
    """

    athletes: list[AthleteHistory] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _days(table: pd.DataFrame) -> list[dict]:
    dates = table["date"].dt.strftime("%Y-%m-%d").tolist()
    return [{"date": d, "level": lvl, "drivers": list(drv), "clinical": c}
            for d, lvl, drv, c in zip(dates, table["level"].tolist(), table["drivers"].tolist(),
                                      table["clinical"].tolist(), strict=True)]


def to_json(run: HistoryRun) -> dict:
    """The ``loadwatch/history-v1`` document."""
    return {"schema": SCHEMA,
            "athletes": [{"athlete": a.athlete, "folder": a.folder, "days": _days(a.days)}
                         for a in run.athletes],
            "errors": [{"athlete": name, "folder": folder, "error": error}
                       for name, folder, error in run.errors]}


def to_csv(run: HistoryRun) -> str:
    """One row per athlete and day (:data:`CSV_COLUMNS`), safe to open in a spreadsheet
    (:func:`loadwatch.safetext.guard_formula` on the names)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in run.athletes:
        name, folder = guard_formula(a.athlete), guard_formula(a.folder)
        for day in _days(a.days):
            writer.writerow([name, folder, day["date"], day["level"],
                             DRIVER_SEPARATOR.join(day["drivers"]), day["clinical"]])
    return buf.getvalue()
