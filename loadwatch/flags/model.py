"""The Flag model: one episode of a condition, its severity steps, and the episode helpers.

The rules (:mod:`.spikes`, :mod:`.weekly`, :mod:`.habits`, :mod:`.cross_training`)
find the days a condition held; the helpers here turn them into episodes, severity
steps and :class:`Flag` values carrying the rule's grade and source (:mod:`.catalogue`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loadwatch.engine import calendar
from loadwatch.flags.catalogue import RULES

SEVERITIES = ("info", "caution", "high")
KINDS = ("evidence", "habit")
EVIDENCE = ("strong", "moderate", "limited", "advice")
TOLERANCE = 1e-9
"""Slack for threshold comparisons: (11 - 10) / 10 * 100 is 10.000000000000009."""


@dataclass(frozen=True)
class Flag:
    """One episode of a condition.

    Attributes
    ----------
    code : str
        From the fixed vocabulary (:data:`RULES`, and ``pain_red_flag``).
    kind : str
        ``evidence`` (may raise the risk level) or ``habit`` (worth a look).
    severity : str
        ``info``, ``caution`` or ``high``: the episode's latest step.
    start : datetime.date
        First local day the condition held, at any severity. Never moves.
    last_date : datetime.date
        Last local day it held (the report date while it goes on).
    value, threshold : float or None
        The measured number at its peak over the episode (``latest`` holds its
        value on ``last_date``) and the threshold of its severity, in the flag's
        own unit.
    evidence : str
        ``strong``, ``moderate``, ``limited`` or ``advice``.
    source : str
        The source in one line.
    message : str
        Plain words with the numbers.
    steps : tuple of (str, datetime.date)
        Each severity the episode reached and the first day it did, in order.
    activity_id : str or None
        The run a spike is about.
    trace : tuple of (datetime.date, str)
        For conditions whose severity can fall back within an episode (a week's
        change so far): each day the severity changed, and to what.
    latest : float or None
        The value on ``last_date`` (None: the same as ``value``).
    race : str or None
        For a spike: the race it was (its name, "" for a race without one); None: no race.
    """

    code: str
    kind: str
    severity: str
    start: date
    last_date: date
    value: float | None
    threshold: float | None
    evidence: str
    source: str
    message: str
    steps: tuple[tuple[str, date], ...] = ()
    activity_id: str | None = None
    trace: tuple[tuple[date, str], ...] = ()
    latest: float | None = None
    race: str | None = None

    @property
    def current(self) -> float | None:
        """The value on the last day the condition held."""
        return self.value if self.latest is None else self.latest

    @property
    def until(self) -> date:
        """The last day the condition held."""
        return self.last_date

    @property
    def identity(self) -> str:
        """``code:start:severity``: stable from one day's report to the next."""
        return f"{self.code}:{self.start.isoformat()}:{self.severity}"

    def identities(self) -> list[tuple[str, str, date]]:
        """(identity, severity, day) of every severity step, first to latest."""
        steps = self.steps or ((self.severity, self.start),)
        return [(f"{self.code}:{self.start.isoformat()}:{sev}", sev, day) for sev, day in steps]

    def held_on(self, day: date) -> bool:
        """Whether the condition held on ``day``."""
        return self.start <= day <= self.last_date

    def severity_on(self, day: date) -> str | None:
        """The severity on ``day``, or None when the condition did not hold then."""
        if not self.held_on(day):
            return None
        changes = self.trace or tuple((d, s) for s, d in self.steps)
        current = self.severity
        for when, severity in changes:
            if when <= day:
                current = severity
        return current

    def visible_on(self, day: date, window_days: int) -> bool:
        """Whether the flag held within the ``window_days`` days up to ``day``."""
        return self.start <= day and (day - self.last_date).days < window_days

    def to_json(self) -> dict:
        rule = RULES.get(self.code)
        return {
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity,
            "evidence": self.evidence,
            "start": self.start.isoformat(),
            "last_date": self.last_date.isoformat(),
            "value": _round(self.value),
            "latest": _round(self.current),
            "threshold": _round(self.threshold),
            "message": self.message,
            "title": rule.title if rule else self.code,
            "advice": rule.advice if rule else "",
            "source": self.source,
            "steps": [{"severity": s, "date": d.isoformat()} for s, d in self.steps],
            "identity": self.identity,
            "activity_id": self.activity_id,
            "race": self.race,
        }


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 3)


def severity_rank(severity: str) -> int:
    """0 for info, 1 caution, 2 high: for sorting and comparisons."""
    return SEVERITIES.index(severity)


def as_date(ts) -> date:
    if type(ts) is date:
        return ts
    return pd.Timestamp(ts).date()


def make_flag(code: str, kind: str, severity: str, start, last, value, threshold, message: str,
          steps=(), activity_id: str | None = None, trace=(), latest=None,
          race: str | None = None) -> Flag:
    rule = RULES[code]
    # ~170 flags an athlete: the days the rules hand over are dates already (as_date
    # converts the others), and lists build tuples faster than generators.
    start = start if type(start) is date else as_date(start)
    steps = tuple([(s, d if type(d) is date else as_date(d)) for s, d in steps]) or (
        (severity, start),)
    return Flag(code, kind, severity, start, last if type(last) is date else as_date(last),
                None if value is None else float(value),
                None if threshold is None else float(threshold), rule.evidence, rule.source,
                message, steps, activity_id,
                tuple([(d if type(d) is date else as_date(d), s) for d, s in trace]),
                None if latest is None else float(latest), race)


def episodes(mask) -> list[tuple[int, int]]:
    """(first, last) positions of each run of True values.

    >>> episodes(pd.Series([False, True, True, False, True]))
    [(1, 2), (4, 4)]
    """
    m = mask.fillna(False).to_numpy() if isinstance(mask, pd.Series) else mask
    m = np.asarray(m, dtype=bool)
    if not m.any():
        return []
    starts, ends = calendar.segments(m)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def over_threshold(values, threshold: float):
    with np.errstate(invalid="ignore"):
        return values > threshold + TOLERANCE


def severity_steps(levels: np.ndarray, a: int, b: int, day) -> list[tuple[str, date]]:
    """First day of each severity step (rank rising) in ``levels[a:b+1]``."""
    if a == b:
        return [(SEVERITIES[int(levels[a])], day(a))]
    # A flag is an episode of a few days: few numpy calls, since each costs more than its
    # arithmetic here. Day i is a step when above every day before it (the first above -1).
    part = np.asarray(levels[a:b + 1])
    rises = (part[1:] > np.maximum.accumulate(part)[:-1]).nonzero()[0].tolist()
    ranks = part.tolist()
    return ([(SEVERITIES[int(ranks[0])], day(a))] if ranks[0] > -1 else []) + [
        (SEVERITIES[int(ranks[i + 1])], day(a + i + 1)) for i in rises]


def severity_trace(levels: np.ndarray, a: int, b: int, day) -> list[tuple[date, str]]:
    """Each day in ``levels[a:b+1]`` whose severity rank differs from the day before."""
    if a == b:
        return [(day(a), SEVERITIES[int(levels[a])])]
    part = np.asarray(levels[a:b + 1])
    changed = (part[1:] != part[:-1]).nonzero()[0].tolist()
    ranks = part.tolist()
    return [(day(a), SEVERITIES[int(ranks[0])])] + [
        (day(a + i + 1), SEVERITIES[int(ranks[i + 1])]) for i in changed]
