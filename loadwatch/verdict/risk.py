"""The load risk level: raised only by conditions a running cohort linked to injury.

=========  ================================================================================
level      when (as of the report date D)
=========  ================================================================================
high       a run more than 2.0x its reference in the last 14 days (Frandsen et al. 2025:
           HRR 2.28, 1.50-3.48); or a run above 1.1x its reference in the last 14 days
           while pain of 3/10 or more is going on; or a week up more than 30% together
           with a run above 1.1x its reference in the same week
raised     a run 1.1-2.0x its reference in the last 14 days (HRR 1.64 and 1.52, with
           overlapping intervals: 1.1x is the edge of the study's reference band, not a
           proven safe limit); a week up more than 30% (Nielsen et al. 2014); two
           consecutive weeks each up more than 20% (after Damsted et al. 2019); a first
           run back after a break longer than the longest before it
usual      none of these
unknown    fewer than 28 days of data; no activity in the 10 days before D; or an
           activity waiting in "data to check" that would change the level
=========  ================================================================================

"A week" is the last complete ISO week, or the week in progress so far against the
same days of last week (:mod:`loadwatch.flags`, :func:`~loadwatch.flags.week_to_date`).

Which parts are the studies' and which are loadwatch's: the spike bands and the
30-day reference are Frandsen's; the > 30% week is Nielsen's (a non-significant
estimate in novices, for distance-related injuries); the > 20% week is Damsted's
(seen at day 21 of a build-up only). The 14-day window, the combination with
pain, the combination of a jump with a spike, the two-week ramp, the return rule
and the reasons for "unknown" are loadwatch's product choices, made so that the
level rises only on evidence and says so when the data cannot tell. Everything
else (ACWR, monotony, streaks, rest, cross-training, jumps in time, climbing and
intensity, 10-30% weeks) is a habit worth a look and never moves the level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from loadwatch.flags.model import Flag
from loadwatch.words import day_words

LEVELS = ("unknown", "usual", "raised", "high")
"""From least to most concerning for sorting (unknown sorts with :func:`rank`)."""
SPIKE_WINDOW_DAYS = 14
"""A spike counts for the level this many days, the report date included. [days]"""
MIN_DATA_DAYS = 28
"""Fewer days of data than this and the level is unknown. [days]"""
STALE_DAYS = 10
"""No activity for more than this many days before the report date: unknown. [days]"""
PAIN_SEVERITY = 3
"""Pain at or above this (0-10) that is going on makes any spike high. [0-10]"""

_SPIKES = ("long_run_spike", "duration_spike")


@dataclass
class Risk:
    """The load risk level, what drives it, and the sentence that says so.

    Attributes
    ----------
    level : str
        ``high``, ``raised``, ``usual`` or ``unknown``.
    drivers : list of Flag
        The evidence-led flags behind ``high`` or ``raised``, strongest first.
    summary : str
        The level in plain words, naming what drives it.
    reasons : list of str
        Why the level is unknown, or what limits it (shown with the summary).
    """

    level: str
    drivers: list[Flag] = field(default_factory=list)
    summary: str = ""
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"level": self.level, "drivers": [f.code for f in self.drivers],
                "driver_ids": [f.identity for f in self.drivers], "summary": self.summary,
                "reasons": list(self.reasons)}


def rank(level: str) -> int:
    """high 3, raised 2, unknown 1, usual 0: the order a coach triages in."""
    return {"high": 3, "raised": 2, "unknown": 1, "usual": 0}[level]


def last_complete_sunday(as_of: date) -> date:
    """The Sunday ending the last complete ISO week (``as_of`` itself on a Sunday)."""
    return as_of - timedelta(days=(as_of.weekday() + 1) % 7)


def evidence_level(flags: list[Flag], as_of: date, *, pain_now: int | None = None
                   ) -> tuple[str, list[Flag]]:
    """``high``, ``raised`` or ``usual`` from the evidence-led flags, with the drivers.

    Parameters
    ----------
    flags : list of Flag
        Every flag of the athlete (habits are ignored).
    as_of : datetime.date
    pain_now : int, optional
        Severity of pain going on (:func:`loadwatch.pain.pain_now`). [0-10]
    """
    window = as_of - timedelta(days=SPIKE_WINDOW_DAYS - 1)
    evidence = [f for f in flags if f.kind == "evidence" and f.start <= as_of]
    spikes = [f for f in evidence if f.code in _SPIKES and window <= f.start]
    returns = [f for f in evidence if f.code == "return_spike" and window <= f.start]
    sunday = last_complete_sunday(as_of)
    weeks = [f for f in evidence if f.code == "weekly_distance_jump"
             and "high" in (f.severity_on(sunday), f.severity_on(as_of))
             and f.last_date in (sunday, as_of)]
    ramps = [f for f in evidence if f.code == "cumulative_ramp"
             and f.severity_on(sunday) == "high" and f.last_date == sunday]

    high = [f for f in spikes if f.severity == "high"]
    if pain_now is not None and pain_now >= PAIN_SEVERITY:
        high += [f for f in spikes + returns if f not in high]
    for week in weeks:
        monday = week.last_date - timedelta(days=week.last_date.weekday())
        same_week = [f for f in spikes + returns if monday <= f.start <= week.last_date]
        if same_week:
            high += [f for f in [*same_week, week] if f not in high]
    if high:
        return "high", _strongest(high)
    raised = spikes + returns + weeks + ramps
    return ("raised", _strongest(raised)) if raised else ("usual", [])


EVIDENCE_ORDER = {"strong": 0, "moderate": 1, "limited": 2, "advice": 3}
"""Strength of evidence, strongest first (:data:`loadwatch.flags.EVIDENCE`)."""
SEVERITY_ORDER = {"high": 0, "caution": 1, "info": 2}


def strength_key(evidence: str | None, severity: str | None, current: float | None,
                 threshold: float | None) -> tuple:
    """How a condition ranks against another's, strongest first, for triage.

    The strength of the evidence first (Frandsen's strong spike above Nielsen's
    moderate, not significant weekly jump, whatever their severities), then the
    severity, then the size: the value on the condition's last day (never a peak
    the athlete's report no longer shows) as a multiple of its threshold, so that
    a 2.0x run ranks above a 1.9x one. Works on a :class:`~loadwatch.flags.Flag`'s
    fields and on its JSON alike.
    """
    size = 0.0
    if current is not None and threshold:
        size = float(current) / float(threshold)
    elif current is not None:
        size = float(current)
    return (EVIDENCE_ORDER.get(evidence or "", 4), SEVERITY_ORDER.get(severity or "", 3), -size)


def flag_strength(f: Flag) -> tuple:
    """:func:`strength_key` of a flag."""
    return strength_key(f.evidence, f.severity, f.current, f.threshold)


DRIVER_ORDER = ("long_run_spike", "duration_spike", "weekly_distance_jump", "return_spike",
                "cumulative_ramp")
"""The drivers' codes in the order :attr:`Risk.drivers` lists them (the first sort key)."""


def _strongest(flags: list[Flag]) -> list[Flag]:
    order = {code: i for i, code in enumerate(DRIVER_ORDER)}
    unique = list(dict.fromkeys(flags))
    # The size is today's value, as the summary quotes it, not an in-week peak.
    return sorted(unique, key=lambda f: (order.get(f.code, 9), f.severity != "high",
                                         -(f.current or 0.0)))


def assess(flags: list[Flag], as_of: date, *, days_of_data: int, last_activity: date | None,
           pain_now: int | None = None, unconfirmed_level: str | None = None) -> Risk:
    """The risk level for the report date, with its drivers and its sentence.

    Parameters
    ----------
    flags : list of Flag
    as_of : datetime.date
    days_of_data : int
        Days from the first activity to ``as_of``. [days]
    last_activity : datetime.date or None
        Day of the last activity on or before ``as_of``.
    pain_now : int, optional
        Pain going on. [0-10]
    unconfirmed_level : str, optional
        The evidence level the data would give if the activities waiting in
        "data to check" were confirmed; a different level makes this one unknown.

    Examples
    --------
    >>> assess([], date(2026, 11, 22), days_of_data=20, last_activity=date(2026, 11, 21)).level
    'unknown'
    """
    level, drivers = evidence_level(flags, as_of, pain_now=pain_now)
    reasons = []
    if last_activity is None:
        reasons.append("no activity on or before this day in the data")
    else:
        if days_of_data < MIN_DATA_DAYS:
            reasons.append(f"only {days_of_data} day{'s' if days_of_data != 1 else ''} of "
                           f"activity data (at least {MIN_DATA_DAYS} are needed to know what you "
                           "are used to)")
        if (as_of - last_activity).days > STALE_DAYS:
            reasons.append(f"no activity for {(as_of - last_activity).days} days (the last on "
                           f"{day_words(last_activity)}): a break, or files not uploaded")
    if unconfirmed_level is not None and unconfirmed_level != level:
        reasons.append(f"an activity under \"data to check\" would make it {unconfirmed_level} "
                       "if it is real: confirm or ignore it")
    if reasons:
        return Risk("unknown", drivers, _summary("unknown", drivers, reasons), reasons)
    return Risk(level, drivers, _summary(level, drivers, []), [])


def _summary(level: str, drivers: list[Flag], reasons: list[str]) -> str:
    if level == "unknown":
        text = "UNKNOWN: loadwatch cannot judge your load now: " + "; ".join(reasons) + "."
        if drivers:
            text += f" Before that: {_driver_words(drivers[0])}."
        return text
    if level == "usual":
        return ("USUAL: no run much longer than your recent longest and no big weekly jump: "
                "nothing the evidence links to injury.")
    head = "HIGH" if level == "high" else "RAISED"
    words = "; ".join(_driver_words(f) for f in drivers[:2])
    return f"{head}: {words}."


def _driver_words(f: Flag) -> str:
    """The condition in a few plain words, e.g. "a run twice as long as your longest of the
    last month"."""
    v = f.current or 0.0
    day = day_words(f.start)
    if f.code in _SPIKES:
        size = ("more than twice as long as" if v > 2.0 else f"{(v - 1) * 100:.0f}% longer than")
        measure = " (by time)" if f.code == "duration_spike" else ""
        return f"a run {size} your longest of the month before{measure}, on {day} ({v:.2f}x)"
    if f.code == "return_spike":
        return f"a first run back after a break longer than before it, on {day} ({v:.2f}x)"
    if f.code == "weekly_distance_jump":
        return f"weekly running distance up {v:.0f}% (week of {day_words(f.start - timedelta(days=f.start.weekday()))})"
    if f.code == "cumulative_ramp":
        return f"weekly distance up more than 20% two weeks running ({v:+.0f}% in all)"
    return f.message
