"""Load conditions: a fixed vocabulary of patterns, each an episode with its evidence.

Each rule reads the engine's series (:class:`loadwatch.engine.LoadAnalysis`) and
raises one :class:`Flag` per episode of its condition: the days it held, its
value, the threshold it crossed and the day of each severity step. Thresholds
are the fields of :class:`Thresholds` (``[thresholds]`` of ``loadwatch.toml``).

Two kinds, and the difference matters (:mod:`loadwatch.verdict.risk`):

- ``evidence``: conditions a running cohort linked to injury: single-run spikes
  (Frandsen et al. 2025, the strongest running-specific evidence), weekly
  distance jumps of more than 30% (Nielsen et al. 2014: novices, distance-related
  injuries, HR 1.59, 0.96-2.66, not significant) and ramps of more than 20% in
  consecutive weeks (Damsted et al. 2019 found > 20% raised injury risk by day 21
  of a half-marathon build-up; two such weeks in a row is loadwatch's product
  rule built on both), and loadwatch's return-from-a-break rule. Only these may
  raise the risk level. A week back at the usual load after a short dip or a
  break is a return, not a jump or a ramp (:mod:`loadwatch.returns`).
- ``habit``: "worth a look", shown with its grade, never raising the level alone:
  the acute:chronic ratio (contested, not linked to injury in runners), monotony
  (Foster gave no threshold), run streaks, no rest day, no cross-training (the
  rest-day advice is the overtraining consensus, not running-injury evidence),
  weekly jumps of 10-30% (the 10% rule: Buist et al. 2008 found no effect), and
  jumps in running time, time on feet (a long hike), climbing and intensity.

The evidence grade says how much the science supports a rule: ``strong`` (a
large running cohort), ``moderate`` (a running cohort with a wide confidence
interval, or a proxy of a strong rule), ``limited`` (team sports, contested in
runners) or ``advice`` (consensus, coaching practice or loadwatch's own rule).

A flag's identity is its code, the first day it held and its severity step:
recomputing tomorrow keeps it, an escalation adds one. loadwatch never
diagnoses: pain that persists or began suddenly needs a sports physical
therapist or doctor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch import returns
from loadwatch.engine import calendar, edges
from loadwatch.words import (  # noqa: F401
    FEET_PER_METRE,
    KM,
    MILE,
    climb_words,
    day_words,
    distance_words,
    duration_words,
)

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
        }


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 3)


def severity_rank(severity: str) -> int:
    """0 for info, 1 caution, 2 high: for sorting and comparisons."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Rule:
    """What a flag code means: a title, its evidence grade and source, and what to do.

    ``visible_days`` is how long after it last held the flag stays in the report:
    14 days for the conditions a decision about next week's long run or volume
    rests on, 7 for habits.
    """

    title: str
    evidence: str
    source: str
    advice: str
    visible_days: int = 7


_GRADUAL = ("Hold this week's volume for a week or two before adding more, and plan at least "
            "one rest day a week.")
_FRANDSEN = ("Frandsen et al. 2025, BJSM 59:1203 (5,205 runners, 588,071 runs): runs more than "
             "10% longer than the longest of the previous 30 days raised the injury rate")
RULES: dict[str, Rule] = {
    "long_run_spike": Rule(
        "Run much longer than your recent longest", "strong", _FRANDSEN,
        "Keep single runs within about 10% of your longest run of the last month; build the long "
        "run step by step, with easy days after it.", 14),
    "return_spike": Rule(
        "First run back longer than before the break", "advice",
        "loadwatch's rule after Frandsen et al. 2025: the first run after 30 days or more without "
        "running, against the longest run of the 90 days before the break",
        "After a break, start well below your old long run (about half) and build back over "
        "several weeks.", 14),
    "duration_spike": Rule(
        "Run much longer in time than your recent longest", "moderate",
        "Frandsen et al. 2025's rule applied to running time, a proxy for runs without a distance "
        "(treadmill without footpod)",
        "Keep single runs within about 10% of your longest run time of the last month.", 14),
    "weekly_distance_jump": Rule(
        "Weekly distance up fast", "moderate",
        "Nielsen et al. 2014, JOSPT 44:739: novices who raised weekly distance by > 30% had more "
        "distance-related injuries (HR 1.59, 0.96-2.66, not significant); the 10% rule showed no "
        "effect (Buist et al. 2008, AJSM 36:33)",
        _GRADUAL, 14),
    "cumulative_ramp": Rule(
        "Weekly distance up several weeks running", "moderate",
        "loadwatch's product rule built on Damsted et al. 2019, JOSPT 49:230 (> 20% a week raised "
        "injury risk at day 21 of a half-marathon build-up) and Nielsen et al. 2014",
        "Take a lighter week (about a fifth less) before building again.", 14),
    "acwr_high": Rule(
        "Recent load high against your usual", "limited",
        "Acute:chronic ratio (Hulin 2014, Williams 2017; bands from team sports, Gabbett 2016); "
        "contested (Impellizzeri 2021) and not linked to injury in runners (Frandsen 2025)",
        "Read it as a hint: an easier few days bring recent load back towards what you are used "
        "to."),
    "monotony_high": Rule(
        "Every day the same load", "limited",
        "Foster 1998, MSSE 30:1164 (monotony = mean / SD of the week's daily loads); Foster gave "
        "no threshold, '> 2.0 is high' is a secondary-source rule",
        "Vary your days: mix easy, long and rest days instead of similar runs every day."),
    "run_streak": Rule(
        "Many running days in a row", "advice",
        "Coaching practice and the overtraining consensus (Meeusen et al. 2013); no cohort study "
        "links consecutive running days to injury",
        "Break the streak with a rest day or a cross-training day (cycling, swimming) to let "
        "tendons and bursae recover."),
    "no_rest_day": Rule(
        "No rest day for a week or more", "advice",
        "ECSS/ACSM overtraining consensus, Meeusen et al. 2013, MSSE 45:186: at least one "
        "passive rest day a week (about overtraining, not running injury)",
        "Plan at least one full rest day every week."),
    "no_cross_training": Rule(
        "No cross-training", "advice",
        "Coaching practice: low-impact cross-training (cycling, swimming, rowing) keeps fitness "
        "while the knee rests from the landing; walks and hikes load it and do not count; no "
        "cohort link to injury",
        "Swap one run a week for cycling or swimming, and add hip and thigh strength work "
        "(abductors, adductors, quadriceps) twice a week."),
    "time_on_feet_jump": Rule(
        "Much more time on your feet", "advice",
        "loadwatch's product rule: walking and hiking land body weight on the knee at every step, "
        "as running does more slowly; a week's time on feet (runs, walks, hikes) well above your "
        "usual is a long week even when the running is not; no cohort study",
        "Count a long walk or hike as a long day: keep the next days easy and do not add running "
        "on top this week."),
    "duration_jump": Rule(
        "Weekly running time up fast", "advice",
        "Time advanced too fast is a usual cause of overuse knee pain (coaching practice; Nielsen "
        "2014 measured distance)",
        _GRADUAL),
    "elevation_jump": Rule(
        "Much more climbing", "advice",
        "Hills and trails added too fast load the inside of the knee more; coaching practice",
        "Add hills and trails gradually; keep most climbing at an easy effort for now."),
    "intensity_jump": Rule(
        "More hard runs than usual", "advice",
        "Intensity advanced too fast is a usual cause of overuse pain; coaching practice (hard "
        "runs by heart-rate reserve, Karvonen 1957, or by pace)",
        "Keep most runs easy and add hard sessions one at a time, with an easy day after each."),
    "pain_red_flag": Rule(
        "Pain that needs checking", "advice",
        "Clinical red flags for acute knee injury and stress fracture (Bunt et al. 2018, Am Fam "
        "Physician 98:576)",
        "Stop running on it and get it checked by a sports physical therapist or doctor.", 28),
}


@dataclass(frozen=True)
class Thresholds:
    """Every number the rules use; override any in ``[thresholds]`` of ``loadwatch.toml``.

    Attributes
    ----------
    weekly_jump_caution_pct, weekly_jump_high_pct : float
        Weekly distance up by more than these [%]: a habit (10%, the coaching
        guide) and the evidence-led jump (30%, Nielsen 2014).
    weekly_jump_min_base_km : float
        The week compared with must hold at least this much running [km]: a
        small floor so that 1 km to 2 km is not a "100% jump", low enough to keep
        the novices Nielsen studied.
    ramp_pct : float
        Two consecutive complete weeks each up by more than this [%] (Damsted 2019).
    ramp_habit_pct, ramp_habit_weeks : float, int
        That many consecutive complete weeks each up by more than this: a habit.
    spike_caution_ratio, spike_high_ratio : float
        Frandsen's band edges: a run above 1.1x its reference, above 2.0x. [-]
    return_ratio : float
        A first run back after a break longer than this times the longest run of
        the 90 days before the break is a ``return_spike`` (loadwatch's rule: any
        run longer than before the break, 1.0). [-]
    acwr_caution, acwr_high : float
        Acute:chronic ratio bands (team sports). [-]
    streak_caution_days, streak_high_days, no_rest_days : int
        [days]
    no_cross_training_days, no_cross_training_min_run_days : int
        No low-impact cross-training (:data:`loadwatch.importers.sports.CATEGORIES`:
        walks and hikes do not count) in this many days while running at least
        this many days a week. [days]
    time_on_feet_jump_pct, time_on_feet_min_base_h : float
        Time on feet (running, walking, hiking) more than this above the mean of the
        4 complete weeks before [%], from a mean of at least this [h], while running
        time alone stays under that line (:mod:`loadwatch.cross_training`).
    duration_jump_pct, duration_jump_min_base_min : float
        Weekly running time up by more than this [%], from at least this [min].
    elevation_jump_pct, elevation_jump_min_base_m : float
        Weekly climbing up by more than this [%], from at least this [m].
    intensity_jump_runs : int
        Hard runs in a week at least this many above the mean of the 4 complete
        weeks before (and at least this many). [runs]
    monotony_high : float
        Foster monotony above this (secondary source). [-]
    usual_weeks, dip_ratio, dip_max_weeks, return_weeks : int, float, int, int
        Returns and dips (:mod:`loadwatch.returns`; loadwatch's product rule, as the studied
        jumps were rises over an established load, not returns to it): the usual load is
        the mean of ``usual_weeks`` complete weeks; 1 to ``dip_max_weeks`` weeks under
        ``dip_ratio`` x it [-] are a short dip; for ``return_weeks`` after it or a break, a
        week back at or below the usual is not a jump. [weeks]
    band_tolerance_pct : float
        A value is over a band edge (spike ratios, weekly jumps, ramps) only when more
        than this over it: loadwatch's rule, well inside a watch's 1-5% distance error. [%]
    session_gap_min : float
        Same-day runs with at most this stop between them are one session for the spike
        rules and the ceilings: loadwatch's rule (a run saved as two files). [min]
    diary_silence_days, assessed_rise_points, assessed_stall_days : int
        The pain diary (loadwatch's product rules, :mod:`loadwatch.verdict.clinical`):
        no entry for this many days after pain asks "how is the knee?" [days]; after an
        assessment, pain this many points over its lowest since [0-10 points], or no
        new low for this many days [days], asks for a new assessment.
    """

    weekly_jump_caution_pct: float = 10.0
    weekly_jump_high_pct: float = 30.0
    weekly_jump_min_base_km: float = 5.0
    ramp_pct: float = 20.0
    ramp_habit_pct: float = 10.0
    ramp_habit_weeks: int = 3
    spike_caution_ratio: float = 1.10
    spike_high_ratio: float = 2.00
    return_ratio: float = 1.00
    acwr_caution: float = 1.3
    acwr_high: float = 1.5
    streak_caution_days: int = 7
    streak_high_days: int = 14
    no_rest_days: int = 7
    no_cross_training_days: int = 14
    no_cross_training_min_run_days: int = 3
    time_on_feet_jump_pct: float = 50.0
    time_on_feet_min_base_h: float = 2.0
    duration_jump_pct: float = 30.0
    duration_jump_min_base_min: float = 60.0
    elevation_jump_pct: float = 30.0
    elevation_jump_min_base_m: float = 200.0
    intensity_jump_runs: int = 2
    monotony_high: float = 2.0
    usual_weeks: int = 4
    dip_ratio: float = 0.8
    dip_max_weeks: int = 3
    return_weeks: int = 6
    band_tolerance_pct: float = edges.BAND_TOLERANCE_PCT
    session_gap_min: float = edges.SESSION_GAP_MIN
    diary_silence_days: int = 7
    assessed_rise_points: int = 2
    assessed_stall_days: int = 14

    @classmethod
    def from_mapping(cls, table: dict) -> Thresholds:
        """Thresholds with the keys of ``table`` overridden.

        Raises
        ------
        ValueError
            An unknown key, a value that is not a positive finite number (NaN and
            infinity are refused), or a count of days that is not a whole number,
            naming the key.
        """
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ValueError(f"unknown key thresholds.{key} (known: {', '.join(known)})")
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not math.isfinite(value) or not value > 0):
                raise ValueError(f"thresholds.{key} must be a positive number, not {value!r}")
            if known[key].type in ("int", int):
                # Day counts index days: 7.5 days has no meaning (and crashed the rules).
                if not float(value).is_integer():
                    raise ValueError(f"thresholds.{key} must be a whole number, not {value!r}")
                value = int(value)
            values[key] = value
        t = cls(**values)
        for low, high in (("weekly_jump_caution_pct", "weekly_jump_high_pct"),
                          ("spike_caution_ratio", "spike_high_ratio"), ("acwr_caution", "acwr_high"),
                          ("streak_caution_days", "streak_high_days"),
                          ("ramp_habit_pct", "ramp_pct")):
            if getattr(t, low) > getattr(t, high):
                raise ValueError(f"thresholds.{low} must not exceed thresholds.{high}")
        if t.dip_ratio >= 1:
            raise ValueError("thresholds.dip_ratio must be below 1 (a dip is a lighter week)")
        return t


# -- helpers ---------------------------------------------------------------------------------

def _d(ts) -> date:
    if type(ts) is date:
        return ts
    return pd.Timestamp(ts).date()


def _flag(code: str, kind: str, severity: str, start, last, value, threshold, message: str,
          steps=(), activity_id: str | None = None, trace=(), latest=None) -> Flag:
    rule = RULES[code]
    steps = tuple((s, _d(d)) for s, d in steps) or ((severity, _d(start)),)
    return Flag(code, kind, severity, _d(start), _d(last),
                None if value is None else float(value),
                None if threshold is None else float(threshold), rule.evidence, rule.source,
                message, steps, activity_id, tuple((_d(d), s) for d, s in trace),
                None if latest is None else float(latest))


class _Days:
    """The daily series of an analysis as arrays, read once by every rule."""

    def __init__(self, analysis):
        daily = analysis.daily
        self.n = len(daily)
        self.first = int(calendar.day_numbers(daily.index[:1])[0]) if self.n else 0
        self.col = analysis.days_arrays
        self.grid = calendar.WeekGrid(self.first, self.n)
        self.weekday = calendar.weekday(self.first + np.arange(self.n))
        self._dates: dict[int, date] = {}

    def date(self, pos: int) -> date:
        pos = int(pos)
        found = self._dates.get(pos)
        if found is None:
            found = self._dates[pos] = calendar.to_date(self.first + pos)
        return found


def _days(analysis) -> _Days:
    cached = analysis.__dict__.get("_flag_days")
    if cached is None:
        cached = analysis.__dict__["_flag_days"] = _Days(analysis)
    return cached


def _trace(levels: np.ndarray, a: int, b: int, day) -> list[tuple[date, str]]:
    """Each day in ``levels[a:b+1]`` whose severity rank differs from the day before."""
    if a == b:
        return [(day(a), SEVERITIES[int(levels[a])])]
    part = np.asarray(levels[a:b + 1])
    changed = np.flatnonzero(np.concatenate([[True], part[1:] != part[:-1]]))
    return [(day(a + i), SEVERITIES[int(part[i])]) for i in changed.tolist()]


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


def _over(values, threshold: float):
    with np.errstate(invalid="ignore"):
        return values > threshold + TOLERANCE


def _steps(levels: np.ndarray, a: int, b: int, day) -> list[tuple[str, date]]:
    """First day of each severity step (rank rising) in ``levels[a:b+1]``."""
    if a == b:
        return [(SEVERITIES[int(levels[a])], day(a))]
    part = np.asarray(levels[a:b + 1])
    before = np.concatenate([[-1], np.maximum.accumulate(part)[:-1]])
    return [(SEVERITIES[int(part[i])], day(a + i)) for i in np.flatnonzero(part > before).tolist()]


# -- the rules -------------------------------------------------------------------------------

def evaluate(analysis, thresholds: Thresholds = Thresholds(), units: str = "km",
             codes: frozenset[str] | None = None) -> list[Flag]:
    """Every load condition over the athlete's history, one flag per episode, by start.

    Parameters
    ----------
    analysis : loadwatch.engine.LoadAnalysis
    thresholds : Thresholds
    units : {"km", "mi"}
        Units of the distances in the messages.
    codes : frozenset of str, optional
        Evaluate only the rules that can raise these codes (all when None).
    """
    t = thresholds
    out: list[Flag] = []
    for rule, raises in _RULE_CODES:
        if codes is None or raises & codes:
            out += rule(analysis, t, units)
    return sorted(out, key=lambda f: (f.start, -severity_rank(f.severity), f.code))


_SPIKE_CODE = {"long_run": "long_run_spike", "return": "return_spike", "duration": "duration_spike"}


def _spikes(analysis, t: Thresholds, units: str) -> list[Flag]:
    from loadwatch.spike_flags import spike_flags  # it builds on this module

    return spike_flags(analysis, t, units)


def week_to_date(daily: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per day: the week's total so far, the same weekdays of last week, and last week's total.

    Parameters
    ----------
    daily : pandas.DataFrame
        The daily series (consecutive days).
    column : str
        A daily sum column.

    Returns
    -------
    pandas.DataFrame
        Index of ``daily``; ``so_far`` (Monday to the day), ``same_days`` (Monday
        to the same weekday of the week before), ``last_week`` (the whole week
        before). The last two are NaN when the week before is not all in the data.

    Examples
    --------
    >>> days = pd.date_range("2026-11-02", periods=10, freq="D")
    >>> w = week_to_date(pd.DataFrame({"x": [1.0] * 10}, index=days), "x")
    >>> w.iloc[-1].tolist()
    [3.0, 3.0, 7.0]
    """
    first = int(calendar.day_numbers(daily.index[:1])[0]) if len(daily) else 0
    grid = calendar.WeekGrid(first, len(daily))
    so_far, same_days, last_week = _week_to_date(grid, daily[column].to_numpy(float))
    return pd.DataFrame({"so_far": so_far, "same_days": same_days, "last_week": last_week},
                        index=daily.index)


def _week_to_date(grid: calendar.WeekGrid, values: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`week_to_date` on the arrays of a week grid."""
    running = np.cumsum(grid.grid(values.astype(float)), axis=1)
    week = grid.week_of_day
    # The week before is all in the data when its Monday is (not the first, padded week).
    prev_ok = (week >= 2) | ((week == 1) & (grid.lead == 0))
    slot = np.arange(grid.n) + grid.lead
    same_days = np.where(prev_ok, running.reshape(-1)[np.maximum(slot - 7, 0)], np.nan)
    last_week = np.where(prev_ok, running[np.maximum(week - 1, 0), 6], np.nan)
    return grid.per_day(running), same_days, last_week


def _week_levels(days: _Days, column: str, pcts: tuple[float, ...], floor: float,
                 tol: float = 0.0):
    """The weekly-jump state of every day: change so far against the same days of last
    week, and the severity rank it reaches (-1 none).

    A day counts when the same-days base is at least ``floor``, the change exceeds a
    threshold and the week so far already exceeds the whole of last week (so that a
    long run moved from Sunday to Saturday is not a jump). On a Sunday the same
    days are the whole week: the complete-week comparison.
    """
    so_far, same, last_week = _week_to_date(days.grid, days.col[column])
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (so_far - same) / same * 100.0
        ok = (same >= floor - TOLERANCE) & (so_far > last_week + TOLERANCE)
    level = np.full(days.n, -1)
    for rank, pct in enumerate(pcts, start=1):
        level = np.where(ok & edges.over_pct(change, pct, tol), rank, level)
    return {"so_far": so_far, "same_days": same, "last_week": last_week, "change": change}, level


def _week_episodes(days: _Days, level: np.ndarray) -> list[tuple[int, int]]:
    """Episodes of ``level >= 0`` that never cross a Monday."""
    on = level >= 0
    monday = days.weekday == 0
    start = on & (~np.concatenate([[False], on[:-1]]) | monday)
    end = on & (~np.concatenate([on[1:], [False]]) | np.concatenate([monday[1:], [True]]))
    return list(zip(np.flatnonzero(start).tolist(), np.flatnonzero(end).tolist(), strict=True))


def _weekly_distance_jumps(analysis, t: Thresholds, units: str) -> list[Flag]:
    days = _days(analysis)
    if not days.n:
        return []
    w, level = _week_levels(days, "run_distance_m",
                            (t.weekly_jump_caution_pct, t.weekly_jump_high_pct),
                            t.weekly_jump_min_base_km * KM, t.band_tolerance_pct)
    level = returns.spare(analysis, t, days.grid.week_of_day, w["so_far"], level, "run_distance_m")
    out = []
    for a, b in _week_episodes(days, level):
        last = days.date(b)
        rank = int(level[a:b + 1].max())
        high = rank == 2
        so_far, same, last_week, change = (float(w[k][b]) for k in
                                           ("so_far", "same_days", "last_week", "change"))
        peak = float(np.nanmax(w["change"][a:b + 1]))
        monday = last - timedelta(days=last.weekday())
        if last.weekday() == 6:
            head = (f"In the week of {day_words(monday)} you ran "
                    f"{distance_words(so_far, units)}, {change:.0f}% more than the "
                    f"week before ({distance_words(same, units)}).")
        else:
            head = (f"This week so far (to {day_words(last)}) you have run "
                    f"{distance_words(so_far, units)}: {change:.0f}% more than on "
                    f"the same days last week ({distance_words(same, units)}) and "
                    f"already more than all of last week ({distance_words(last_week, units)}).")
        if peak > change + 0.5:
            head += f" It was {peak:.0f}% up earlier in the week."
        tail = (" Weekly jumps over 30% went with more distance-related injuries in new runners "
                "(Nielsen 2014; the estimate was wide and not significant)." if high else
                " That is more than the 10% guide, which is coaching advice: a trial of it "
                "found no fewer injuries (Buist 2008).")
        out.append(_flag("weekly_distance_jump", "evidence" if high else "habit",
                         SEVERITIES[rank], days.date(a), last, peak,
                         t.weekly_jump_high_pct if high else t.weekly_jump_caution_pct,
                         head + tail, _steps(level, a, b, days.date),
                         trace=_trace(level, a, b, days.date), latest=change))
    return out


def _weeks(analysis) -> dict[str, np.ndarray]:
    cached = analysis.__dict__.get("_flag_weeks")
    if cached is None:
        cached = dict(analysis.weeks_arrays)
        cached["_end"] = calendar.day_numbers(cached["end"])
        cached["_start"] = calendar.day_numbers(cached["start"])
        analysis.__dict__["_flag_weeks"] = cached
    return cached


def _ramps(analysis, t: Thresholds, units: str) -> list[Flag]:
    """Consecutive complete weeks of growth: two above ``ramp_pct`` (evidence), or
    ``ramp_habit_weeks`` above ``ramp_habit_pct`` (habit)."""
    w = _weeks(analysis)
    rows = np.flatnonzero(w["complete"].astype(bool))
    if len(rows) < 2:
        return []
    base, change = w["base_distance_m"][rows].astype(float), w["change_pct"][rows].astype(float)
    # A week back at the usual load after a dip or a break is no step of a ramp.
    change[returns.return_rows(analysis, "run_distance_m", t)[rows]] = np.nan
    with np.errstate(invalid="ignore"):
        base_ok = base >= t.weekly_jump_min_base_km * KM - TOLERANCE
    run_high = calendar.run_lengths(edges.over_pct(change, t.ramp_pct, t.band_tolerance_pct)
                                    & base_ok)
    run = calendar.run_lengths(edges.over_pct(change, t.ramp_habit_pct, t.band_tolerance_pct)
                               & base_ok)
    rank = np.where(run_high >= 2, 2, np.where(run >= t.ramp_habit_weeks, 1, -1))
    ends = w["_end"][rows]

    def day(i):
        return calendar.to_date(ends[i])

    levels = np.maximum(rank, 0)
    distance = w["run_distance_m"][rows].astype(float)
    out = []
    for a, b in episodes(rank >= 0):
        first_week = a - int(run[a]) + 1
        growth = distance[b] / base[first_week] * 100 - 100
        peak = int(rank[a:b + 1].max())
        high = peak == 2
        weeks = int(run[b])
        changes = ", ".join(f"{c:+.0f}%" for c in change[b - weeks + 1:b + 1].tolist())
        msg = (f"Your weekly distance has grown {weeks} weeks running ({changes}), from "
               f"{distance_words(base[first_week], units)} to "
               f"{distance_words(distance[b], units)} in the week of "
               f"{day_words(calendar.to_date(w['_start'][rows[b]]))} ({growth:+.0f}% in all). ")
        msg += ("Two weeks in a row of more than 20% is loadwatch's rule built on the studies: "
                "Damsted 2019 saw more injuries after > 20% weeks." if int(rank[b]) == 2 else
                "Several weeks of growth add up even when each is modest (loadwatch's rule).")
        out.append(_flag("cumulative_ramp", "evidence" if high else "habit", SEVERITIES[peak],
                         day(a), day(b), growth, t.ramp_pct if high else t.ramp_habit_pct, msg,
                         _steps(levels, a, b, day), trace=_trace(levels, a, b, day)))
    return out


def _weekly_jumps(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    days = _days(analysis)
    if not days.n:
        return []
    specs = [
        ("duration_jump", "run_duration_s", t.duration_jump_pct, t.duration_jump_min_base_min * 60,
         lambda v: f"{duration_words(v)} of running"),
        ("elevation_jump", "elevation_gain_m", t.elevation_jump_pct, t.elevation_jump_min_base_m,
         lambda v: climb_words(v, units) + " of climbing"),
    ]
    out = []
    for code, col, pct, base, words in specs:
        w, level = _week_levels(days, col, (pct,), base)
        level = returns.spare(analysis, t, days.grid.week_of_day, w["so_far"], level, col)
        for a, b in _week_episodes(days, level):
            so_far, same, change = (float(w[k][b]) for k in ("so_far", "same_days", "change"))
            last = days.date(b)
            monday = last - timedelta(days=last.weekday())
            when = (f"In the week of {day_words(monday)}" if last.weekday() == 6
                    else f"This week so far (to {day_words(last)})")
            msg = (f"{when} you did {words(so_far)}, {change:.0f}% more than on "
                   f"the same days the week before ({words(same)}). Time and terrain "
                   "added too fast are usual causes of overuse knee pain.")
            out.append(_flag(code, "habit", "caution", days.date(a), last, change, pct, msg))
    return out


def _intensity(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    w = _weeks(analysis)
    if not len(w["week"]) or not w["classified_runs"].any():
        return []
    hard = w["hard_runs"].astype(float)
    complete = w["complete"].astype(bool)
    # The mean of the (up to) 4 complete weeks before, when at least 2 of them are known.
    before = np.concatenate([np.full(4, np.nan), np.where(complete, hard, np.nan)[:-1]])
    window = np.lib.stride_tricks.sliding_window_view(before, 4)[:len(hard)]
    known = (~np.isnan(window)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        usual = np.where(known >= 2, np.nansum(window, axis=1) / known, np.nan)
        cond = (hard >= t.intensity_jump_runs) & (hard >= usual + t.intensity_jump_runs - TOLERANCE)
    proxy = analysis.heart_rate.describe()
    out = []
    for i in np.flatnonzero(cond).tolist():
        start, end = calendar.to_date(w["_start"][i]), calendar.to_date(w["_end"][i])
        when = f"In the week of {day_words(start)}" if complete[i] else "This week so far"
        msg = (f"{when} you did {int(hard[i])} hard runs, against {usual[i]:.1f} a "
               f"week over the weeks before. A run counts as hard here by its {proxy}; interval "
               "sessions that average lower are not counted, so this is a lower bound.")
        out.append(_flag("intensity_jump", "habit", "caution", start, end,
                         w["hard_runs"][i], usual[i] + t.intensity_jump_runs, msg))
    return out


def _acwr(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    days = _days(analysis)
    acwr = days.col["acwr"].astype(float)
    with np.errstate(invalid="ignore"):
        level = np.where(acwr >= t.acwr_high - TOLERANCE, 2,
                         np.where(_over(acwr, t.acwr_caution), 1, -1))
    levels = np.maximum(level, 0)
    out = []
    for a, b in episodes(level >= 0):
        part = acwr[a:b + 1]
        peak_at = int(np.argmax(part))
        latest = float(part[-1])
        ongoing = b == days.n - 1
        now = (f"is {latest:.2f} today" if ongoing
               else f"was {latest:.2f} on {day_words(days.date(b))}, when it last held")
        msg = (f"Your load ratio (the mean daily {analysis.load} of the last 7 days against your "
               f"28-day weighted average, both over whole weeks) {now}; it rose above "
               f"{t.acwr_caution:.1f} on {day_words(days.date(a))} and peaked at "
               f"{part[peak_at]:.2f} on {day_words(days.date(a + peak_at))}. The ratio and its "
               "bands come from team sports, are contested, and showed no link to injury in "
               "runners: a hint only.")
        rank = int(level[a:b + 1].max())
        out.append(_flag("acwr_high", "habit", SEVERITIES[rank], days.date(a), days.date(b),
                         part[peak_at], t.acwr_high if rank == 2 else t.acwr_caution, msg,
                         _steps(levels, a, b, days.date), latest=latest))
    return out


def _streaks(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    days = _days(analysis)
    streak = days.col["streak"]
    level = np.where(streak >= t.streak_high_days, 2,
                     np.where(streak >= t.streak_caution_days, 1, -1))
    levels = np.maximum(level, 0)
    out = []
    for a, b in episodes(level >= 0):
        longest = int(streak[b])
        first_day = days.date(b) - timedelta(days=longest - 1)
        going = b == days.n - 1
        msg = (f"You {'have run' if going else 'ran'} {longest} days in a row "
               f"(from {day_words(first_day)}"
               f"{'' if going else ' to ' + day_words(days.date(b))}). Running every day "
               "gives the tendons and bursae on the inside of the knee no day to recover.")
        rank = int(level[b])
        out.append(_flag("run_streak", "habit", SEVERITIES[rank], days.date(a), days.date(b),
                         longest, t.streak_high_days if rank == 2 else t.streak_caution_days, msg,
                         _steps(levels, a, b, days.date)))
    return out


def _no_rest(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    days = _days(analysis)
    since = days.col["days_since_rest"].astype(float)
    # Before the first rest day of the series, count days from its start.
    since = np.where(np.isnan(since), np.arange(1, days.n + 1, dtype=float), since)
    out = []
    for a, b in episodes(since >= t.no_rest_days):
        longest = int(since[b])
        going = b == days.n - 1
        msg = (f"You {'have not had a' if going else 'had no'} rest day for {longest} days "
               f"(up to {day_words(days.date(b))}). The overtraining consensus advises at "
               "least one full rest day a week.")
        out.append(_flag("no_rest_day", "habit", "caution", days.date(a), days.date(b),
                         longest, t.no_rest_days, msg))
    return out


def _rolling_count(flag: np.ndarray, n: int) -> np.ndarray:
    """True values among each day and the ``n - 1`` before it (NaN for the first ``n - 1``)."""
    total = np.concatenate([[0], np.cumsum(flag.astype(np.int64))])
    out = np.full(len(flag), np.nan)
    if len(flag) >= n:
        out[n - 1:] = total[n:] - total[:-n]
    return out


def _monotony(analysis, t: Thresholds, units: str = "km") -> list[Flag]:
    w = _weeks(analysis)
    mono = w["monotony"].astype(float)
    out = []
    for a, b in episodes(_over(mono, t.monotony_high)):
        peak = float(mono[a:b + 1].max())
        flat = peak >= 10.0 - TOLERANCE
        weeks = b - a + 1
        what = ("the same load every day" if flat
                else f"very similar daily loads (monotony {peak:.1f}, above {t.monotony_high:.1f})")
        msg = (f"{'In the week' if weeks == 1 else f'For {weeks} weeks from the week'} of "
               f"{day_words(calendar.to_date(w['_start'][a]))} you had {what}. Monotony is the "
               "mean of the week's daily loads divided by how much they vary (Foster 1998); "
               "mixing hard, easy and rest days helps recovery.")
        out.append(_flag("monotony_high", "habit", "caution", calendar.to_date(w["_end"][a]),
                         calendar.to_date(w["_end"][b]), peak, t.monotony_high, msg))
    return out


from loadwatch import cross_training  # noqa: E402  (it reads the helpers above at call time)

_RULE_CODES = (
    (_spikes, frozenset(_SPIKE_CODE.values())),
    (_weekly_distance_jumps, frozenset({"weekly_distance_jump"})),
    (_ramps, frozenset({"cumulative_ramp"})),
    (_weekly_jumps, frozenset({"duration_jump", "elevation_jump"})),
    (_intensity, frozenset({"intensity_jump"})),
    (_acwr, frozenset({"acwr_high"})),
    (_streaks, frozenset({"run_streak"})),
    (_no_rest, frozenset({"no_rest_day"})),
    (lambda a, t, u: cross_training.no_cross(a, t, u), frozenset({"no_cross_training"})),
    (lambda a, t, u: cross_training.time_on_feet_jumps(a, t, u), frozenset({"time_on_feet_jump"})),
    (_monotony, frozenset({"monotony_high"})),
)
"""Each rule and the codes it can raise, in the order they are evaluated."""


def visible(flags: list[Flag], as_of: date) -> list[Flag]:
    """The flags a report on ``as_of`` shows: each while within its rule's visibility window."""
    return [f for f in flags
            if f.visible_on(as_of, RULES[f.code].visible_days if f.code in RULES else 7)]


def last_days(as_of: date, n: int) -> tuple[date, date]:
    """First and last day of the ``n`` days up to ``as_of``."""
    return as_of - timedelta(days=n - 1), as_of
