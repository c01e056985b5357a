"""Next week, in numbers: the longest run allowed, a weekly ceiling, rest and variety.

Every number says where it comes from (which runs, which rule, the evidence
grade). None of them is a proven safe limit:

- **Longest run**: 1.1 x the reference, the longest run of the last 30 days that
  was not itself a spike. 1.1x is the edge of Frandsen et al. (2025)'s reference
  band, not a safe limit (risk rose a little even below it). Leaving spikes out
  of the reference is loadwatch's conservative rule (advice), not the study's,
  whose flag definition (kept in the risk model) counts every run: a spike does
  not raise the ceiling because the body has not adapted to it
  (:func:`loadwatch.engine.spikes.adapted`). When every run of the 30 days was a
  spike (just after a return), the longest adapted run of the last 90 days
  serves, and the block says so.
- **Weekly distance**: about 10% over the last complete week (coaching advice;
  a trial of the 10% rule found no fewer injuries, Buist et al. 2008), and never
  more than 20% over the mean of the last four complete weeks (loadwatch's cap,
  below the 20-30% weekly jumps that Damsted et al. 2019 and Nielsen et al. 2014
  linked to injury). After a short dip (up to 3 weeks, :mod:`loadwatch.flags.returns`)
  both count from the higher of last week and the usual week before the dip, so
  the ceiling is never below the usual week (loadwatch's rule). After a break of
  14 days or more, a return rule builds back from half the pre-break weekly mean,
  10 points more each week, or 10 points over last week's share of it when that is
  higher, never over it (consensus-level return-to-running guidance: advice).
- **Shown rounded down**: every ceiling is shown rounded down to its precision
  (1.1 x 12.5 km = 13.75 km shows as 13.7 km), and band edges allow 0.5% for GPS
  noise (:mod:`loadwatch.engine.edges`), so running exactly the number shown never
  raises the level. Same-day runs a short stop apart count as one session.
- **This week**: before Sunday, what is left of this week under this week's weekly
  ceiling (the same rule, from the complete weeks before this week).
- **No increase** in weekly distance while pain of 3/10 or more is going on (the
  long-run ceiling stays, with the advice to keep well inside it); **no running**
  after a red flag until it has been assessed (:mod:`.clinical`).
- **Rest and variety**: at least one rest day (ECSS/ACSM consensus, Meeusen et
  al. 2013), a run replaced by cycling or swimming, and hip and thigh strength
  work twice a week, each with what the data shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch.engine import LoadAnalysis, calendar
from loadwatch.flags import returns
from loadwatch.flags.thresholds import Thresholds
from loadwatch.verdict.clinical import pain_command
from loadwatch.words import (
    ceiling_duration_words,
    ceiling_words,
    day_words,
    distance_words,
    duration_words,
    floor_to,
)

CEILING_RATIO = 1.10
"""Longest run allowed over its reference (Frandsen's reference band edge). [-]"""
WINDOW_DAYS = 30
"""Look-back of the reference run. [days]"""
FALLBACK_DAYS = 90
"""Look-back when every run of the 30 days was a spike. [days]"""
WEEKLY_STEP = 0.10
"""Weekly distance may grow this much over the last complete week (advice). [-]"""
WEEKLY_CAP = 0.20
"""... and never more than this over the mean of the last four complete weeks. [-]"""
BREAK_DAYS = returns.BREAK_DAYS
"""Days without running that make a break for the return rule. [days]"""
RETURN_START, RETURN_STEP = 0.5, 0.1
"""Return rule: the first week back at half the pre-break weekly mean, then 10 points more
each week until it is reached. [-]"""
PAIN_HOLD = 3
"""Pain of this or more going on: no increase. [0-10]"""
STRENGTH_PER_WEEK = 2
"""Hip and thigh strength sessions advised a week. [sessions]"""
CROSS_DAYS = 14
"""No cross-training for this long: a run replaced by cycling or swimming. [days]"""


@dataclass
class NextWeek:
    """The next week's numbers and where each comes from.

    Attributes
    ----------
    status : str
        ``build`` (the ceilings allow a little more), ``hold`` (no increase: pain
        going on) or ``stop`` (no running until a red flag is assessed).
    longest_run_m, longest_run_s : float or None
        The longest run allowed, by distance [m] and, for runs without a distance,
        by time [s]. None when there is nothing to measure against, or on ``stop``.
    reference : dict or None
        The run the ceiling is measured against: ``activity_id``, ``date``,
        ``distance_m``, ``duration_s``, ``window_days`` (30 or 90).
    weekly_distance_max_m : float or None
        The week's running distance allowed. [m]
    weekly_basis : dict
        ``rule`` (``step``, ``cap``, ``dip``, ``return`` or ``hold``), the weeks it used.
    rest_days_min : int
    notes : list of str
        Rest, cross-training and strength, each with what the data shows.
    lines : list of str
        Each number in plain words with its source, in the order shown.
    this_week : dict or None
        Before Sunday: ``so_far_m`` (run distance from Monday to the report date),
        ``max_m`` (this week's weekly ceiling, by the same rule from the complete
        weeks before it) and ``left_m`` (what the ceiling leaves) [m]. None on a
        Sunday or on ``stop``.
    """

    status: str
    longest_run_m: float | None
    longest_run_s: float | None
    reference: dict | None
    weekly_distance_max_m: float | None
    weekly_basis: dict
    rest_days_min: int
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    this_week: dict | None = None

    def to_json(self, metres_per_unit: float) -> dict:
        def unit(v):
            # A ceiling: rounded down, as the lines show it.
            return None if v is None else floor_to(v / metres_per_unit)

        week = None
        if self.this_week is not None:
            w = self.this_week
            week = {"so_far_m": _r(w["so_far_m"]), "max_m": _r(w["max_m"]),
                    "left_m": _r(w["left_m"]),
                    "so_far": round(w["so_far_m"] / metres_per_unit, 1),
                    "max": unit(w["max_m"]), "left": unit(w["left_m"])}

        ref = None if self.reference is None else dict(self.reference)
        return {
            "status": self.status,
            "longest_run_m": _r(self.longest_run_m),
            "longest_run": unit(self.longest_run_m),
            "longest_run_s": _r(self.longest_run_s),
            "reference": ref,
            "weekly_distance_max_m": _r(self.weekly_distance_max_m),
            "weekly_distance_max": unit(self.weekly_distance_max_m),
            "weekly_basis": dict(self.weekly_basis),
            "rest_days_min": self.rest_days_min,
            "notes": list(self.notes),
            "lines": list(self.lines),
            "this_week": week,
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 0)


def ceiling_series(analysis: LoadAnalysis) -> pd.Series:
    """The longest run allowed on each day (1.1 x the longest adapted run of the 30 days up
    to it), for the chart's step line. [m]; NaN without an adapted run in the window."""
    return pd.Series(ceiling_values(analysis), index=analysis.daily.index)


def ceiling_values(analysis: LoadAnalysis, since: date | None = None) -> np.ndarray:
    """:func:`ceiling_series` as an array, for the days from ``since`` on only (all when
    None): the report shows a few weeks, and runs that cover none of them are not read."""
    s = analysis.spike_columns
    n, first = analysis.n_days, analysis.days_start
    start = 0 if since is None else min(max(calendar.to_number(since) - first, 0), n)
    if not s or not n:
        return np.full(n - start, np.nan)
    adapted_on = analysis.adapted_since.to_numpy("datetime64[ns]")
    run = s["day"] - first
    # A run counts from the day it is adapted to until 29 days after it was run: each
    # covers at most WINDOW_DAYS days, so the ceiling is a max over (runs x 30) days.
    rows = s["by_distance"] & ~np.isnat(adapted_on) & (run + WINDOW_DAYS > start)
    if not rows.any():
        return np.full(n - start, np.nan)
    ok = calendar.day_numbers(adapted_on[rows]) - first
    run = run[rows]
    value = s["value"][rows]
    covered = run[:, None] + np.arange(WINDOW_DAYS)[None, :]
    keep = (covered >= np.maximum(ok, start)[:, None]) & (covered < n)
    best = np.full(n - start, -np.inf)
    np.maximum.at(best, covered[keep] - start,
                  np.broadcast_to(value[:, None], covered.shape)[keep])
    return np.where(np.isfinite(best), CEILING_RATIO * best, np.nan)


def plan(analysis: LoadAnalysis, as_of: date, units: str, *, pain_now: int | None = None,
         pain_day: date | None = None, folder: str | None = None,
         stop: bool = False, thresholds: Thresholds | None = None,
         comebacks: tuple | None = None) -> NextWeek:
    """The numbers for the week after ``as_of``.

    Parameters
    ----------
    analysis : LoadAnalysis
        Without quarantined activities.
    as_of : datetime.date
    units : {"km", "mi"}
        For the lines in words.
    pain_now : int, optional
        Pain going on (:func:`loadwatch.pain.pain_now`). [0-10]
    pain_day : datetime.date, optional
        The diary entry that recorded it (silence keeps it: the line says when).
    folder : str, optional
        The athlete's folder, for the command the ``stop`` line prints.
    stop : bool
        A red flag not yet assessed (:mod:`.clinical`): no running.
    thresholds : loadwatch.flags.Thresholds, optional
        The returns-and-dips rules (:mod:`loadwatch.flags.returns`).
    comebacks : tuple of loadwatch.flags.returns.Comeback, optional
        The dips and breaks of the weekly run distance under ``thresholds``, when the
        caller found them already (:class:`loadwatch.flags.FlagTables`); else found here.

    Examples
    --------
    Every Sunday 12 km, with 6 km on Tuesdays and Thursdays, for ten weeks:

    >>> from loadwatch import engine, timeline
    >>> from loadwatch.importers.base import Activity
    >>> from datetime import datetime, UTC
    >>> start = datetime(2026, 9, 7, 7, tzinfo=UTC)
    >>> acts = [Activity("gpx", f"{i}.gpx", start + timedelta(days=i), "running",
    ...                  distance_m=(12000.0 if i % 7 == 6 else 6000.0), duration_s=1800.0)
    ...         for i in range(70) if i % 7 in (1, 3, 6)]
    >>> a = engine.analyse(timeline.build(acts, "x", timeline.resolve_tz("UTC")), date(2026, 11, 15))
    >>> nw = plan(a, date(2026, 11, 15), "km")
    >>> nw.status, round(nw.longest_run_m), round(nw.weekly_distance_max_m)
    ('build', 13200, 26400)
    """
    if stop:
        return NextWeek("stop", None, None, None, None, {"rule": "stop"}, 1,
                        _notes(analysis, as_of),
                        ["No running until the red flag in your pain diary has been checked by "
                         "a sports physical therapist or doctor: the numbers come back after "
                         f"that ('{pain_command(folder, '--assessed')}')."])
    hold = pain_now is not None and pain_now >= PAIN_HOLD
    longest_m, longest_s, reference, run_line = _longest(analysis, as_of, units)
    t = thresholds or Thresholds()
    weekly, basis, week_line = _weekly(analysis, as_of, units, hold, t, comebacks)
    this_week, this_line = _this_week(analysis, as_of, units, hold, longest_m, longest_s, t,
                                      comebacks)
    resting = bool(basis.get("resting"))
    if resting:
        longest_m = longest_s = None
        this_week, this_line = None, None
        run_line = ("Longest run: none for now: you are not running while the pain goes on; "
                    "after the assessment, start with short easy runs (about 30 minutes).")
    lines = [this_line, run_line, week_line]
    lines.append("At least 1 rest day (the overtraining consensus advises one a week; advice).")
    if hold:
        when = f" on {day_words(pain_day)}" if pain_day is not None else ""
        what = ("do not start running again until it has been assessed" if resting else
                "hold last week's distance, keep well inside the long-run ceiling, and get pain "
                "that lasts checked early")
        lines.insert(0, f"No increase while the pain goes on ({pain_now}/10 in your diary{when}): "
                        f"{what}.")
    return NextWeek("hold" if hold else "build", longest_m, longest_s, reference, weekly, basis, 1,
                    _notes(analysis, as_of), [x for x in lines if x], this_week)


def _this_week(analysis: LoadAnalysis, as_of: date, units: str, hold: bool,
               longest_m: float | None, longest_s: float | None, t: Thresholds,
               comebacks: tuple | None = None):
    """(``NextWeek.this_week``, its line) before Sunday; (None, None) on a Sunday.

    This week's ceiling is the one the report of last Sunday gave for it: the weekly rule
    on the complete weeks before this week."""
    if as_of.weekday() == 6:
        return None, None
    monday = as_of - timedelta(days=as_of.weekday())
    this = analysis.days_start + np.arange(analysis.n_days) >= calendar.to_number(monday)
    so_far = float(analysis.days_arrays["run_distance_m"][this].sum())
    ceiling = _weekly(analysis, monday - timedelta(days=1), units, hold, t, comebacks)[0]
    if ceiling is None:
        # The weekly line already says there are too few complete weeks for a ceiling.
        return {"so_far_m": so_far, "max_m": None, "left_m": None}, None
    head = f"This week so far (Mon to {day_words(as_of)}): {distance_words(so_far, units)}"
    left = max(0.0, ceiling - so_far)
    slack = ceiling * t.band_tolerance_pct / 100.0
    if left <= slack:
        over = so_far - ceiling
        done = (f"already {distance_words(over, units)} over" if over > slack else "all of")
        line = (f"{head}, {done} this week's ceiling of {ceiling_words(ceiling, units)}: no "
                "more running this week; rest or cross-train (cycling, swimming) until Sunday.")
        return {"so_far_m": so_far, "max_m": ceiling, "left_m": 0.0}, line
    # The long run this week fits in what is left of the week, and under its own ceiling.
    if longest_m is not None:
        longest_m = min(longest_m, left)
    longest = ("" if longest_m is None and longest_s is None else
               f", longest run up to {ceiling_words(longest_m, units)}" if longest_m is not None
               else f", longest run up to {ceiling_duration_words(longest_s)}")
    line = (f"{head} of up to {ceiling_words(ceiling, units)} this week: up to "
            f"{ceiling_words(left, units)} left{longest} (this week's ceiling, by the weekly "
            "rule below on the complete weeks before it).")
    return {"so_far_m": so_far, "max_m": ceiling, "left_m": left}, line


def _longest(analysis: LoadAnalysis, as_of: date, units: str):
    # The table's columns as the engine made them: a frame's column (and a row of it as a
    # Series) costs more to read than this whole rule.
    s = analysis.spike_columns
    if not s:
        return None, None, None, ("No run in the data to measure the next long run against: "
                                  "start short (about 30 minutes) and build from there.")
    end = calendar.to_number(as_of)
    day = s["day"]
    since = analysis.adapted_since.to_numpy("datetime64[ns]")
    ok = ~np.isnat(since) & (since <= np.datetime64(as_of, "ns"))
    measure = s["measure"]
    value = s["value"]
    for window in (WINDOW_DAYS, FALLBACK_DAYS):
        in_window = (day > end - window) & (day <= end)
        recent = ok & in_window
        if recent.any():
            break
    else:
        return None, None, None, (f"No run in the last {FALLBACK_DAYS} days to measure the next "
                                  "long run against: start short (about 30 minutes) and build up "
                                  "over weeks.")
    by_distance = recent & (measure == "distance")
    pick = np.flatnonzero(by_distance if by_distance.any() else recent)
    # The first of the longest, as idxmax gives it.
    at = int(pick[np.argmax(value[pick])])
    ref = {c: s[c][at] for c in ("activity_id", "date", "distance_m", "duration_s", "measure",
                                 "parts", "value")}
    factor = CEILING_RATIO
    reference = {"activity_id": ref["activity_id"], "date": pd.Timestamp(ref["date"]).date().isoformat(),
                 "distance_m": None if pd.isna(ref["distance_m"]) else round(float(ref["distance_m"])),
                 "duration_s": None if pd.isna(ref["duration_s"]) else round(float(ref["duration_s"])),
                 "window_days": window, "measure": ref["measure"],
                 "parts": int(ref["parts"] or 1)}
    spikes_left_out = int((~ok & in_window & (measure == ref["measure"])
                           & (value > ref["value"])).sum())
    when = day_words(pd.Timestamp(ref["date"]).date())
    if ref["measure"] == "distance":
        longest_m, longest_s = factor * float(ref["value"]), None
        what = ceiling_words(longest_m, units)
        base = distance_words(float(ref["value"]), units)
    else:
        longest_m, longest_s = None, factor * float(ref["value"])
        what, base = ceiling_duration_words(longest_s), duration_words(float(ref["value"]))
    parts = int(ref["parts"] or 1)
    if parts > 1:
        base += f" in {parts} parts"
    line = (f"Longest run: up to {what}, 1.1x your longest run of the last {window} days that "
            f"was not itself a spike ({base} on {when}). 1.1x is the edge of the reference "
            "band of a study of 5,205 runners (Frandsen 2025), not a proven safe limit.")
    if spikes_left_out:
        line += (f" {spikes_left_out} longer run{'s' if spikes_left_out > 1 else ''} in that time "
                 f"{'were spikes' if spikes_left_out > 1 else 'was a spike'} and "
                 f"{'do' if spikes_left_out > 1 else 'does'} not count: loadwatch's own, "
                 "conservative rule (advice), since the body has not adapted to a spike; the "
                 "study itself measures every run against every earlier one.")
    if window == FALLBACK_DAYS:
        line += (f" Every run of the last {WINDOW_DAYS} days was a spike, so the reference is "
                 f"the longest adapted run of the last {FALLBACK_DAYS} days.")
    return longest_m, longest_s, reference, line


def _weekly(analysis: LoadAnalysis, as_of: date, units: str, hold: bool, t: Thresholds,
            comebacks: tuple | None = None):
    w = analysis.weeks_arrays
    ends = calendar.day_numbers(w["end"])
    full = np.flatnonzero(w["complete"].astype(bool) & (ends <= calendar.to_number(as_of)))
    if not len(full):
        return None, {"rule": "none"}, ("Weekly distance: not enough complete weeks yet to set a "
                                        "ceiling; keep the weeks like the ones so far.")
    distance = w["run_distance_m"].astype(float)
    last = {"week": str(w["week"][full[-1]])}
    last_m = float(distance[full[-1]])
    recent = full[-4:]
    mean4 = float(distance[recent].mean())
    back = _return(analysis, as_of, distance[full], ends[full], t)
    dip = None if hold or back is not None else returns.dip_plan(
        analysis, t, units, int(full[-1]), mean4, WEEKLY_STEP, WEEKLY_CAP, found=comebacks)
    if hold:
        ceiling = last_m
        basis = {"rule": "hold", "last_week_m": round(last_m), "week": last["week"]}
        line = (f"Weekly distance: up to {ceiling_words(ceiling, units)}, no more than last week "
                f"({last['week']}) while the pain goes on.")
        if back is not None and last_m <= 0:
            # Not running, and in pain: "no increase" from nothing is no running at all, and
            # every number of the plan says so (no ceiling beside it to contradict it).
            basis["resting"] = True
            line = (f"Weekly distance: none while the pain goes on (no run since "
                    f"{day_words(back[3] - timedelta(days=1))}): get it assessed first; then "
                    f"build back by the return rule, from about half your usual "
                    f"{distance_words(back[0], units)}.")
    elif back is not None:
        ceiling, basis, line = _return_line(back, last_m, units)
    elif dip is not None:
        ceiling, basis, line = dip
    else:
        step, cap = last_m * (1 + WEEKLY_STEP), mean4 * (1 + WEEKLY_CAP)
        ceiling = min(step, cap)
        basis = {"rule": "step" if step <= cap else "cap", "last_week_m": round(last_m),
                 "mean_4_weeks_m": round(mean4), "week": last["week"]}
        if step <= cap:
            line = (f"Weekly distance: up to {ceiling_words(ceiling, units)}, about 10% over your "
                    f"last complete week ({distance_words(last_m, units)} in {last['week']}). The "
                    "10% guide is coaching advice (a trial of it found no fewer injuries); weekly "
                    "jumps over 20-30% went with more injuries (Damsted 2019, Nielsen 2014).")
        else:
            than_last = (f"less than last week's {distance_words(last_m, units)}" if cap < last_m
                         else f"under 10% over last week's {distance_words(last_m, units)}")
            line = (f"Weekly distance: up to {ceiling_words(ceiling, units)}, 20% over your mean "
                    f"of the last {len(recent)} complete weeks ({distance_words(mean4, units)}), "
                    f"{than_last}: the recent weeks grew fast, so this caps the growth "
                    "(loadwatch's rule under the 20-30% jumps Damsted 2019 and Nielsen 2014 "
                    "linked to injury).")
    return ceiling, basis, line


def _return(analysis: LoadAnalysis, as_of: date, full_m: np.ndarray, full_end: np.ndarray,
            t: Thresholds):
    """(pre-break weekly mean [m], its weeks, complete weeks since the first run back, first
    day of the break) when the last break of ``BREAK_DAYS`` or more ended less than
    ``t.return_weeks`` weeks ago, or goes on; else None.

    ``full_m`` and ``full_end`` are the distance [m] and last day (day number) of each
    complete week up to ``as_of``. The pre-break mean is that of the ``t.usual_weeks``
    complete weeks ended by the last run before the break, as :mod:`loadwatch.flags.returns`
    takes it for the weekly jumps."""
    daily = analysis.days_arrays
    run_days = analysis.days_start + np.flatnonzero(daily["run_day"].astype(bool))
    if not len(run_days):
        return None
    gaps = run_days[1:] - run_days[:-1] - 1
    end = calendar.to_number(as_of)
    ongoing = end - run_days[-1] >= BREAK_DAYS
    breaks = np.flatnonzero(gaps >= BREAK_DAYS)
    if ongoing:
        first_back, break_start = end + 1, int(run_days[-1])
    elif len(breaks) and end - run_days[1:][breaks[-1]] < 7 * t.return_weeks:
        first_back = int(run_days[1:][breaks[-1]])
        break_start = first_back - (int(gaps[breaks[-1]]) + 1)
    else:
        return None
    before = full_m[full_end <= break_start][-t.usual_weeks:]
    if not len(before) or before.mean() <= 0:
        return None
    monday_back = first_back - calendar.weekday(first_back)
    weeks_back = int(max(0, end - monday_back + 1) // 7)
    return float(before.mean()), len(before), weeks_back, calendar.to_date(break_start + 1)


def _return_line(back, last_m: float, units: str):
    """Next week's weekly ceiling by the return rule: ``RETURN_START`` of the pre-break mean
    in the first week back, ``RETURN_STEP`` more each week, or ``RETURN_STEP`` over last
    week's share of it when that is higher (a runner ahead of the schedule is not told to
    cut back), never over the pre-break mean, nor 30% over last week."""
    usual, n, weeks_back, first_off = back
    schedule = min(1.0, RETURN_START + RETURN_STEP * weeks_back)
    ahead = last_m / usual + RETURN_STEP if weeks_back else 0.0
    fraction = min(1.0, max(schedule, ahead))
    ceiling = fraction * usual
    steep = last_m > 0 and last_m * (1 + 0.3) < ceiling
    if steep:
        ceiling = last_m * (1 + 0.3)

    def d(metres: float) -> str:
        return distance_words(metres, units)

    basis = {"rule": "return", "pre_break_week_m": round(usual), "fraction": round(fraction, 2),
             "weeks_back": weeks_back, "break_start": first_off.isoformat(),
             "last_week_m": round(last_m)}
    if steep:
        how = (f"30% over last week's {d(last_m)} (the return rule's {fraction:.0%} of your "
               f"usual {d(usual)} is further)")
    elif fraction >= 1:
        how = f"your usual {d(usual)}, where the return rule ends"
    elif ahead > schedule:
        how = (f"{fraction:.0%} of your usual {d(usual)}, 10 points more than last week's "
               f"{last_m / usual:.0%}")
    else:
        how = f"{fraction:.0%} of your usual {d(usual)}"
    where = (f"Building back after the break of {day_words(first_off)}: {d(last_m)} of your "
             f"usual {d(usual)} last week" if weeks_back else
             f"Coming back from the break that began on {day_words(first_off)}: no week back yet")
    line = (f"Weekly distance: up to {ceiling_words(ceiling, units)}, {how}. {where} (your usual: the mean of the "
            f"{n} complete week{'s' if n > 1 else ''} before the break). The return rule starts at "
            f"{RETURN_START:.0%} of the usual and adds {RETURN_STEP * 100:.0f} points a week "
            "(return-to-running guidance, consensus only: advice): after a break or an injury "
            "the body has lost part of what it was used to, and a previous injury is itself a "
            "risk factor. Weeks building back below your usual are not counted as weekly "
            f"jumps: loadwatch's rule, since {returns.WHY}. Every run still counts against your "
            "longest of the last 30 days.")
    return ceiling, basis, line


def _notes(analysis: LoadAnalysis, as_of: date) -> list[str]:
    n_days = analysis.n_days
    notes = []
    if analysis.days_since_rest is None or analysis.days_since_rest >= 7:
        days = analysis.days_of_data if analysis.days_since_rest is None else analysis.days_since_rest
        notes.append(f"Plan at least one full rest day: your last was {days} days ago.")
    since = analysis.days_since_cross_training
    if since is None or since >= CROSS_DAYS:
        what = "none in your data" if since is None else f"none for {since} days"
        # Walks and hikes are no rest for the knee: say so when they are what the runner did.
        span = n_days if since is None else since
        walks = int(analysis.days_arrays["walk_sessions"][n_days - span:].sum()) if span else 0
        also = ("" if not walks else "; your walk or hike loads the knee too and does not count"
                if walks == 1 else f"; your {walks} walks or hikes load the knee too and do not count")
        notes.append(f"Replace one run with cycling or swimming ({what}{also}): it keeps fitness "
                     "while the knee rests.")
    recent = (analysis.days_start + np.arange(n_days)
              > calendar.to_number(as_of - timedelta(days=28)))
    strength = int(analysis.days_arrays["strength_sessions"][recent].sum())
    if strength < STRENGTH_PER_WEEK * 4:
        recorded = ("no strength session recorded in the last 4 weeks" if strength == 0 else
                    f"{strength} strength session{'s' if strength > 1 else ''} in the last 4 weeks")
        notes.append(f"Hip and thigh strength work twice a week (abductors, adductors, "
                     f"quadriceps): {recorded}.")
    return notes
