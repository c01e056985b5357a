"""The thresholds: every number the rules use, each overridable in ``[thresholds]``."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from loadwatch.engine import edges


class ThresholdError(ValueError):
    """A bad ``[thresholds]`` value; ``key`` names it (``spike_high_ratio``), for the message's file."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key

    def __reduce__(self):
        return type(self), (self.key, str(self))  # picklable across the squad's processes


MAX_SESSION_GAP_MIN = 120.0
"""The longest stop ``session_gap_min`` may allow: two hours apart, a morning and an evening run
stay two runs whatever the settings say. [min]"""


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
        time alone stays under that line (:mod:`loadwatch.flags.cross_training`).
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
        Returns and dips (:mod:`loadwatch.flags.returns`; loadwatch's product rule, as the studied
        jumps were rises over an established load, not returns to it): the usual load is
        the mean of ``usual_weeks`` complete weeks; 1 to ``dip_max_weeks`` weeks under
        ``dip_ratio`` x it [-] are a short dip; for ``return_weeks`` after it or a break, a
        week back at or below the usual is not a jump. [weeks]
    band_tolerance_pct : float
        A value is over a band edge (spike ratios, weekly jumps, ramps) only when more
        than this over it: loadwatch's rule, well inside a watch's 1-5% distance error. [%]
    session_gap_min : float
        Same-day runs with at most this stop between them are one session for the spike
        rules and the ceilings: loadwatch's rule (a run saved as two files); at most
        :data:`MAX_SESSION_GAP_MIN`. [min]
    single_shoe_min_runs : int
        The one-pair habit (:mod:`loadwatch.flags.shoes`) needs at least this many runs
        with a named shoe in the last 4 weeks, all in one pair: 8, two runs a week, so
        that a few runs in a new pair are not called a habit (loadwatch's product rule;
        Malisoux 2015 compared runners, not weeks). [runs]
    injury_lookback_days, injury_restricted_days, injury_restricted_ratio : int, int, float
        A previous injury (:mod:`loadwatch.verdict.previous_injury`; context, never the
        level): one in the last 365 days [days] (Malisoux 2015 counted the previous 12
        months); a diary episode during which running stayed under 0.5 x the usual week [-]
        for 7 days or more [days] (Yamato 2015's consensus: stopped or restricted 7+
        days; "under half" is loadwatch's product rule for "clearly below").
    diary_silence_days, assessed_rise_points, assessed_stall_days : int
        The pain diary (loadwatch's product rules, :mod:`loadwatch.verdict.clinical`):
        no entry for this many days after pain asks "how is the knee?" [days]; after an
        assessment, pain this many points over its lowest since [0-10 points], or no
        new low for this many days [days], asks for a new assessment.
    review_washout_days : int
        ``loadwatch review`` leaves out this many days after each pain episode's last day
        with pain [days] (14: loadwatch's product rule). After pain, a runner trains less and
        watches the knee more, so those days are neither usual load nor usual reporting; two
        weeks is the diary's own horizon for "has it settled" (``assessed_stall_days``) and
        twice the gap (7 days, :data:`loadwatch.pain.MAX_GAP_DAYS`) that still joins two
        entries into one episode, so a flare-up of the same pain is not counted as new.
    review_max_ci_ratio : float
        "Too few to tell" when a rate ratio's 95% interval spans more than this many times
        over (hi / lo > 10) or is open at one end [-] (loadwatch's product rule). An
        interval from 0.5 to 5 holds both "half the rate" and "five times the rate": it
        tells nothing a runner could act on. With the exact interval it takes about six
        episodes at each of the two levels to come under it.
    review_min_athlete_days : int
        The report says one sentence from the athlete's own review when the diary covers at
        least this many counted athlete-days [days] (91: a season of 13 weeks, loadwatch's
        product rule); with less the review has too few days to say anything.
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
    single_shoe_min_runs: int = 8
    injury_lookback_days: int = 365
    injury_restricted_days: int = 7
    injury_restricted_ratio: float = 0.5
    review_washout_days: int = 14
    review_max_ci_ratio: float = 10.0
    review_min_athlete_days: int = 91

    @classmethod
    def from_mapping(cls, table: dict) -> Thresholds:
        """Thresholds with the keys of ``table`` overridden.

        Raises
        ------
        ThresholdError
            An unknown key, a value that is not a positive finite number (NaN and
            infinity are refused), or a count of days that is not a whole number,
            naming the key (also as its ``key`` field).
        """
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ThresholdError(key, f"unknown key thresholds.{key} "
                                          f"(known: {', '.join(known)})")
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not math.isfinite(value) or not value > 0):
                raise ThresholdError(key, f"thresholds.{key} must be a positive number, "
                                          f"not {value!r}")
            if known[key].type in ("int", int):
                # Day counts index days: 7.5 days has no meaning (and crashed the rules).
                if not float(value).is_integer():
                    raise ThresholdError(key, f"thresholds.{key} must be a whole number, "
                                              f"not {value!r}")
                value = int(value)
            values[key] = value
        t = cls(**values)
        for low, high in (("weekly_jump_caution_pct", "weekly_jump_high_pct"),
                          ("spike_caution_ratio", "spike_high_ratio"), ("acwr_caution", "acwr_high"),
                          ("streak_caution_days", "streak_high_days"),
                          ("ramp_habit_pct", "ramp_pct")):
            if getattr(t, low) > getattr(t, high):
                raise ThresholdError(low, f"thresholds.{low} must not exceed thresholds.{high}")
        if t.injury_restricted_ratio > 1:
            raise ThresholdError("injury_restricted_ratio",
                                 "thresholds.injury_restricted_ratio must be at most 1 (a share "
                                 "of the usual week)")
        if t.dip_ratio >= 1:
            raise ThresholdError("dip_ratio",
                                 "thresholds.dip_ratio must be below 1 (a dip is a lighter week)")
        if t.review_max_ci_ratio <= 1:
            raise ThresholdError("review_max_ci_ratio",
                                 "thresholds.review_max_ci_ratio must be above 1 (an interval's "
                                 "upper end over its lower end)")
        if t.session_gap_min > MAX_SESSION_GAP_MIN:
            raise ThresholdError("session_gap_min", (
                f"thresholds.session_gap_min must be at most {MAX_SESSION_GAP_MIN:g} minutes "
                "(a morning and an evening run are never one session)"))
        return t
