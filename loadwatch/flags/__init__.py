"""Load conditions: a fixed vocabulary of patterns, each an episode with its evidence.

The package: the :class:`Flag` model and its episodes (:mod:`.model`), the
:class:`Thresholds` (:mod:`.thresholds`), the rule catalogue with titles, grades,
sources and advice (:mod:`.catalogue`), the tables every rule reads, built once per
analysis (:mod:`.tables`), and one module per family of rules that detect:
single-run spikes (:mod:`.spikes`), weekly jumps and ramps (:mod:`.weekly`), habits
(:mod:`.habits`: load ratio, monotony, streaks, rest) and what rests the knee
(:mod:`.cross_training`). The words they write with are :mod:`loadwatch.words`.

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
  break is a return, not a jump or a ramp (:mod:`loadwatch.flags.returns`).
- ``habit``: "worth a look", shown with its grade, never raising the level alone:
  the acute:chronic ratio (contested, not linked to injury in runners), monotony
  (Foster gave no threshold), run streaks, no rest day, no cross-training (the
  rest-day advice is the overtraining consensus, not running-injury evidence),
  weekly jumps of 10-30% (the 10% rule: Buist et al. 2008 found no effect), and
  jumps in running time, time on feet (a long hike), climbing and intensity, and every
  run in one pair of shoes (:mod:`.shoes`, Malisoux 2015).

The evidence grade says how much the science supports a rule: ``strong`` (a
large running cohort), ``moderate`` (a running cohort with a wide confidence
interval, or a proxy of a strong rule), ``limited`` (team sports, contested in
runners; or one small running cohort whose finding may owe to other differences between
the runners, as for the shoes) or ``advice`` (consensus, coaching practice or loadwatch's
own rule).

A flag's identity is its code, the first day it held and its severity step:
recomputing tomorrow keeps it, an escalation adds one. loadwatch never
diagnoses: pain that persists or began suddenly needs a sports physical
therapist or doctor.
"""


from __future__ import annotations

from datetime import date, timedelta

from loadwatch.flags import cross_training, habits, shoes, spikes, weekly
from loadwatch.flags.catalogue import RULES, Rule
from loadwatch.flags.model import (
    EVIDENCE,
    KINDS,
    SEVERITIES,
    TOLERANCE,
    Flag,
    episodes,
    severity_rank,
)
from loadwatch.flags.tables import RETURN_COLUMNS, FlagTables, week_to_date
from loadwatch.flags.thresholds import ThresholdError, Thresholds

__all__ = ["EVIDENCE", "KINDS", "RULES", "SEVERITIES", "TOLERANCE", "Flag", "FlagTables", "Rule",
           "ThresholdError", "Thresholds", "episodes", "evaluate", "last_days", "severity_rank", "visible",
           "week_to_date"]

_RULE_CODES = (
    (spikes.spike_flags, frozenset(spikes.SPIKE_CODE.values())),
    (weekly.weekly_distance_jumps, frozenset({"weekly_distance_jump"})),
    (weekly.ramps, frozenset({"cumulative_ramp"})),
    (weekly.weekly_jumps, frozenset({"duration_jump", "elevation_jump"})),
    (weekly.intensity, frozenset({"intensity_jump"})),
    (habits.acwr, frozenset({"acwr_high"})),
    (habits.streaks, frozenset({"run_streak"})),
    (habits.no_rest, frozenset({"no_rest_day"})),
    (cross_training.no_cross, frozenset({"no_cross_training"})),
    (cross_training.time_on_feet_jumps, frozenset({"time_on_feet_jump"})),
    (habits.monotony, frozenset({"monotony_high"})),
    (shoes.single_shoe, frozenset({"single_shoe"})),
)
"""Each rule and the codes it can raise, in the order they are evaluated."""

_RETURN_RULES = {
    "run_distance_m": (weekly.weekly_distance_jumps, weekly.ramps, habits.acwr),
    "run_duration_s": (weekly.weekly_jumps,),
    "elevation_gain_m": (weekly.weekly_jumps,),
}
"""The rules that read the returns of each weekly column (:mod:`.returns`)."""


_DEFAULTS = Thresholds()
"""The default thresholds (a frozen value, shared)."""


def evaluate(analysis, thresholds: Thresholds = _DEFAULTS, units: str = "km",
             codes: frozenset[str] | None = None, tables: FlagTables | None = None
             ) -> list[Flag]:
    """Every load condition over the athlete's history, one flag per episode, by start.

    Parameters
    ----------
    analysis : loadwatch.engine.LoadAnalysis
    thresholds : Thresholds
    units : {"km", "mi"}
        Units of the distances in the messages.
    codes : frozenset of str, optional
        Evaluate only the rules that can raise these codes (all when None).
    tables : FlagTables, optional
        ``FlagTables.of(analysis, thresholds)`` when the caller built them (it passes their
        comebacks on to the next week's plan); else built here for the rules to run.
    """
    t = thresholds
    rules = [rule for rule, raises in _RULE_CODES if codes is None or raises & codes]
    # Read the frames and find the returns once, for every rule (those the rules read).
    if tables is None:
        tables = FlagTables.of(analysis, t, tuple(
            c for c in RETURN_COLUMNS
            if any(rule in _RETURN_RULES.get(c, ()) for rule in rules)))
    out: list[Flag] = []
    for rule in rules:
        out += rule(analysis, tables, t, units)
    return sorted(out, key=lambda f: (f.start, -severity_rank(f.severity), f.code))


def visible(flags: list[Flag], as_of: date) -> list[Flag]:
    """The flags a report on ``as_of`` shows: each while within its rule's visibility window."""
    return [f for f in flags
            if f.visible_on(as_of, RULES[f.code].visible_days if f.code in RULES else 7)]


def last_days(as_of: date, n: int) -> tuple[date, date]:
    """First and last day of the ``n`` days up to ``as_of``."""
    return as_of - timedelta(days=n - 1), as_of
