"""After an assessment: what the diary says since a clinician saw the knee, and a silent diary.

An entry that records an assessment (``loadwatch pain add --assessed``, or
"assessed"/"cleared" in its notes) closes the red flags before it and restarts
the clock of the pain rules (:mod:`.clinical`). loadwatch does not know what the
clinician said, so it never says "cleared": it says when the knee was assessed
and how the pain went since ("assessed on 12 Nov; 6 -> 1/10"). Pain that improves
after an assessment is what the assessment expects; a new assessment is asked for
only when the pain rises again or stops improving (loadwatch's product rules,
:class:`loadwatch.flags.Thresholds`):

====================  ========================================================
rule                  when (entries after the assessment; its own severity, or
                      the last one before it, is where the pain started)
====================  ========================================================
rises again           the latest recorded pain is ``assessed_rise_points`` (2)
                      or more over the lowest recorded before it since the
                      assessment (loadwatch's rule, after the change of about
                      two points on the 0-10 scale that patients rate as
                      clinically important, Farrar et al. 2001, Pain 94:149)
stops improving       no new low for ``assessed_stall_days`` (14) days up to the
                      latest entry, with pain still recorded: two weeks without
                      progress is the usual point to go back (loadwatch's rule)
====================  ========================================================

A pain-free entry after the assessment ends that story; later pain is judged by
the ordinary rules again, over the entries after the assessment.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loadwatch import pain
from loadwatch.flags.thresholds import Thresholds
from loadwatch.pain.table import to_date
from loadwatch.words import day_month_words, day_words


@dataclass(frozen=True)
class Assessment:
    """The latest entry that records an assessment, and the pain recorded since.

    Attributes
    ----------
    day : datetime.date
        The assessment's entry.
    closed : tuple of (datetime.date, str)
        The red flags it closed (day, signs in words), earliest first.
    first : int or None
        The pain when assessed: its entry's severity, else the last one before it. [0-10]
    latest, lowest : int or None
        The latest and the lowest pain recorded since (``first`` included). [0-10]
    latest_day, lowest_day : datetime.date or None
        Their days (the lowest's first day).
    over : bool
        A pain-free entry came after it: this story is over.
    """

    day: date
    closed: tuple[tuple[date, str], ...]
    first: int | None
    latest: int | None
    latest_day: date | None
    lowest: int | None
    lowest_day: date | None
    over: bool

    @property
    def improving(self) -> bool:
        return (self.first is not None and self.latest is not None
                and self.latest_day is not None and self.latest_day > self.day
                and self.latest < self.first)

    def words(self) -> str:
        """``assessed on 12 Nov; 6 -> 1/10``."""
        text = f"assessed on {day_month_words(self.day)}"
        if self.first is None:
            return text
        if self.latest_day is not None and self.latest_day > self.day:
            return f"{text}; {self.first} -> {self.latest}/10"
        return f"{text} ({self.first}/10 then)"

    def to_json(self) -> dict:
        return {"date": self.day.isoformat(),
                "red_flags_closed": [{"date": d.isoformat(), "signs": s} for d, s in self.closed],
                "pain_then": self.first, "pain_latest": self.latest,
                "pain_latest_date": _iso(self.latest_day), "pain_lowest": self.lowest,
                "pain_lowest_date": _iso(self.lowest_day), "improving": self.improving,
                "over": self.over, "words": self.words()}


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def latest(table: pain.DiaryTable, n: int) -> tuple[Assessment | None, int, list[date], list[int]]:
    """The latest assessment in the first ``n`` entries of ``table`` and the pain recorded
    after it: ``(assessment, its position, days, severities)``, ``(None, -1, [], [])`` when
    there is none. The pain rules' clock starts after that position."""
    marked = np.flatnonzero(table.assessed[:n])
    if not len(marked):
        return None, -1, [], []
    at = int(marked[-1])
    sev = table.severity
    known_before = np.flatnonzero(~np.isnan(sev[:at + 1]))
    first = None if not len(known_before) else int(sev[known_before[-1]])
    since = at + 1 + np.flatnonzero(~np.isnan(sev[at + 1:n]))
    since_days = [to_date(d) for d in table.day[since].tolist()]
    since_values = [int(v) for v in sev[since].tolist()]
    day = to_date(int(table.day[at]))
    days, values = [day, *since_days], [first, *since_values]
    if first is None:
        days, values = days[1:], values[1:]
    low = min(values) if values else None
    low_day = days[values.index(low)] if values else None
    closed = tuple((to_date(int(table.day[i])), pain.join_words(list(table.red[i])))
                   for i in np.flatnonzero(table.has_red[:at]).tolist())
    return Assessment(
        day=day, closed=closed, first=first,
        latest=values[-1] if values else None, latest_day=days[-1] if values else None,
        lowest=low, lowest_day=low_day,
        over=bool((sev[at + 1:n] == 0).any()),
    ), at, since_days, since_values


def reasons_after(a: Assessment, since_days: list[date], since_values: list[int],
                  thresholds: Thresholds, where: str) -> list[str]:
    """Why the pain since an assessment asks for a new one (the rules above), or [].

    ``since_days`` and ``since_values``: the severities recorded after it (:func:`latest`)."""
    if not since_values or a.latest is None:
        return []
    values = ([a.first] if a.first is not None else []) + since_values
    days = ([a.day] if a.first is not None else []) + since_days
    out = []
    if len(values) >= 2:
        floor = min(values[:-1])
        if values[-1] >= floor + thresholds.assessed_rise_points:
            low_day = days[values.index(floor)]
            out.append(f"your {where} has risen again since it was assessed on {day_month_words(a.day)}: "
                       f"{values[-1]}/10 on {day_words(days[-1])}, up from {floor}/10 on "
                       f"{day_words(low_day)} (a rise of {thresholds.assessed_rise_points} points "
                       "or more): get it assessed again.")
            return out
    if a.latest >= 1 and a.lowest_day is not None:
        flat = (a.latest_day - a.lowest_day).days
        if flat >= thresholds.assessed_stall_days:
            out.append(f"your {where} has not improved for {flat} days since it was assessed on "
                       f"{day_month_words(a.day)} (no lower than {a.lowest}/10 since "
                       f"{day_words(a.lowest_day)}; {a.latest}/10 on {day_words(a.latest_day)}): "
                       "get it assessed again.")
    return out


KNEE_PLACES = frozenset({"", "knee", "pes_anserine", "mcl", "lcl", "meniscus", "it_band",
                         "patellofemoral", "back_of_knee", "medial_knee", "lateral_knee"})
"""Places the silence question calls "the knee" (loadwatch watches knees; no place given
is a knee too)."""


def silence_line(entries: pd.DataFrame, as_of: date, folder: str | None = None) -> str:
    """``No diary entry since Sat 21 Nov: how is the knee? Record it: '...'``."""
    last = entries["date"].max().date()
    painful = entries[(entries["severity"] >= 1).fillna(False).to_numpy(bool)]
    row = painful.iloc[-1] if len(painful) else None
    key = "" if row is None else (row["location_key"] or "")
    label = "" if row is None else (row["location_label"] or "")
    part = "knee" if key in KNEE_PLACES else (label if key != "other" else "pain")
    command = f"loadwatch pain add --athlete {shlex.quote(folder) if folder else 'DIR'} --severity N"
    place = "" if row is None else " ".join(str(row["location"] or "").split())
    if place and all(c.isalnum() or c in " -'" for c in place):
        command += f' --location "{place}"'
    if row is not None and row["side"] in ("left", "right", "both"):
        command += f" --side {row['side']}"
    days = (as_of - last).days
    return (f"No diary entry since {day_words(last)}: how is the {part}? {days} days without "
            f"one; record it: '{command}' (N from 0, pain-free, to 10; add --assessed once a "
            "sports physical therapist or doctor has seen it).")
