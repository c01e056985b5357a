"""The flags' messages: what each rule found, in plain words with its numbers.

The rule modules (:mod:`.weekly`, :mod:`.habits`, :mod:`.cross_training`) detect and
measure; these functions only put the measured numbers in words (English, the units of
the report, dates through :mod:`loadwatch.words`). Each says what it is and, with
the rule's advice (:mod:`.catalogue`), what to do; none diagnoses.
"""

from __future__ import annotations

from datetime import date, timedelta

from loadwatch.words import climb_words, day_words, distance_words, duration_words, race_words

# -- weekly -----------------------------------------------------------------------------------

def weekly_distance_jump(last: date, so_far: float, same: float, last_week: float,
                         change: float, peak: float, high: bool, units: str) -> str:
    """A week's distance up by ``change`` [%] (``peak`` at its highest) against the same days
    of the week before, to the day ``last``."""
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
    return head + tail


def ramp(weeks: int, changes: list[float], base: float, distance: float, monday: date,
         growth: float, high: bool, units: str) -> str:
    """``weeks`` consecutive weeks of growth (each by ``changes`` [%]) from ``base`` to
    ``distance`` [m] in the week of ``monday``, ``growth`` [%] in all."""
    listed = ", ".join(f"{c:+.0f}%" for c in changes)
    msg = (f"Your weekly distance has grown {weeks} weeks running ({listed}), from "
           f"{distance_words(base, units)} to "
           f"{distance_words(distance, units)} in the week of "
           f"{day_words(monday)} ({growth:+.0f}% in all). ")
    return msg + ("Two weeks in a row of more than 20% is loadwatch's rule built on the "
                  "studies: Damsted 2019 saw more injuries after > 20% weeks." if high else
                  "Several weeks of growth add up even when each is modest (loadwatch's rule).")


def weekly_jump(code: str, last: date, so_far: float, same: float, change: float,
                units: str) -> str:
    """Weekly running time (``duration_jump``) or climbing (``elevation_jump``) up by
    ``change`` [%] against the same days of the week before, to the day ``last``."""
    def words(v: float) -> str:
        return (f"{duration_words(v)} of running" if code == "duration_jump"
                else climb_words(v, units) + " of climbing")

    monday = last - timedelta(days=last.weekday())
    when = (f"In the week of {day_words(monday)}" if last.weekday() == 6
            else f"This week so far (to {day_words(last)})")
    return (f"{when} you did {words(so_far)}, {change:.0f}% more than on "
            f"the same days the week before ({words(same)}). Time and terrain "
            "added too fast are usual causes of overuse knee pain.")


def intensity(start: date, complete: bool, hard: int, usual: float, proxy: str) -> str:
    """``hard`` hard runs in the week of ``start`` against ``usual`` a week before."""
    when = f"In the week of {day_words(start)}" if complete else "This week so far"
    return (f"{when} you did {hard} hard runs, against {usual:.1f} a "
            f"week over the weeks before. A run counts as hard here by its {proxy}; interval "
            "sessions that average lower are not counted, so this is a lower bound.")


# -- habits -----------------------------------------------------------------------------------

LOAD_WORDS = {"srpe": "session load (rating x minutes of the rated sessions)"}
"""A load's name in a message where its code is no word (the others read as they are)."""


def acwr(load: str, latest: float, last: date, ongoing: bool, caution: float, first: date,
         peak: float, peak_day: date) -> str:
    """The load ratio above ``caution`` from ``first``, ``latest`` on ``last``."""
    load = LOAD_WORDS.get(load, load)
    now = (f"is {latest:.2f} today" if ongoing
           else f"was {latest:.2f} on {day_words(last)}, when it last held")
    return (f"Your load ratio (the mean daily {load} of the last 7 days against your "
            f"28-day weighted average, both over whole weeks) {now}; it rose above "
            f"{caution:.1f} on {day_words(first)} and peaked at "
            f"{peak:.2f} on {day_words(peak_day)}. The ratio and its "
            "bands come from team sports, are contested, and showed no link to injury in "
            "runners: a hint only.")


def monotony(peak: float, flat: bool, weeks: int, monday: date, threshold: float) -> str:
    """``weeks`` weeks from the week of ``monday`` with monotony above ``threshold``."""
    what = ("the same load every day" if flat
            else f"very similar daily loads (monotony {peak:.1f}, above {threshold:.1f})")
    return (f"{'In the week' if weeks == 1 else f'For {weeks} weeks from the week'} of "
            f"{day_words(monday)} you had {what}. Monotony is the "
            "mean of the week's daily loads divided by how much they vary (Foster 1998); "
            "mixing hard, easy and rest days helps recovery.")


def streak(longest: int, first_day: date, last: date, going: bool) -> str:
    """A run streak of ``longest`` days from ``first_day`` to ``last``."""
    return (f"You {'have run' if going else 'ran'} {longest} days in a row "
            f"(from {day_words(first_day)}"
            f"{'' if going else ' to ' + day_words(last)}). Running every day "
            "gives the tendons and bursae on the inside of the knee no day to recover.")


def no_rest(longest: int, last: date, going: bool) -> str:
    """No rest day for ``longest`` days up to ``last``."""
    return (f"You {'have not had a' if going else 'had no'} rest day for {longest} days "
            f"(up to {day_words(last)}). The overtraining consensus advises at "
            "least one full rest day a week.")


# -- what rests the knee ----------------------------------------------------------------------

def no_cross(days: int, last: date, run_days: int, walked: int) -> str:
    """No cross-training for ``days`` days up to ``last`` while running ``run_days`` days a
    week, with ``walked`` walks or hikes in that time."""
    also = ("" if not walked else
            " Your walk or hike in that time does not count: it lands on the knee at every step."
            if walked == 1 else f" Your {walked} walks or hikes in that time do not count: they "
            "land on the knee at every step.")
    return (f"No cross-training for {days} days (to {day_words(last)}) while "
            f"running {run_days} days a week. Cycling, swimming or rowing keep fitness "
            f"up while the knee rests from the landing.{also}")


def time_on_feet(kind: str, metres: float, seconds: float, when: date, week: str,
                 feet: float, usual: float, units: str) -> str:
    """The longest walk or hike (``kind``, ``metres``, ``seconds``, on ``when``) of a week
    (``week`` in words) whose time on feet ``feet`` [s] is well over the ``usual`` [s]."""
    size = (f"{distance_words(metres, units)}, " if metres > 0 else "") + duration_words(seconds)
    ratio = feet / usual
    times = "twice" if abs(ratio - 2.0) < 0.05 else f"{ratio:.1f}x"
    verb = "Hiking" if kind == "hike" else "Walking"
    return (f"Your {size} {kind} on {day_words(when)}: time on feet "
            f"{duration_words(feet)} {week}, {times} your usual "
            f"{duration_words(usual)} (runs, walks and hikes; the mean of the complete "
            f"weeks before). {verb} loads the knee too, at every step: count it as a long "
            "day and keep the next days easy.")


# -- spikes -----------------------------------------------------------------------------------

def spike(kind: str, measure: str, value: float, reference: float, day: date,
          reference_day: date | None, parts: int, ratio: float, high: bool,
          session_gap_min: float, units: str, race: str | None = None) -> str:
    """A run (``parts`` > 1: a session of same-day runs) of ``value`` on ``day``, ``ratio``
    times its ``reference`` (of ``reference_day``), by distance [m] or time [s]
    (``measure``); ``kind`` is ``long_run``, ``duration`` or ``return``. ``race``: the
    race's name ("" without one) when the run was a race (:mod:`loadwatch.races`), named
    as such: a planned spike is still a spike."""
    if measure == "distance":
        what, ref = distance_words(value, units), distance_words(reference, units)
    else:
        what, ref = duration_words(value), duration_words(reference)
    session = ""
    if parts > 1:
        what += f" in {parts} parts"
        # Why two files are one run here, and whose rule that is.
        session = (f" (runs of one day up to {session_gap_min:g} min apart count as one "
                   "session: loadwatch's rule, not the study's)")
    ref_day = "" if reference_day is None else f" on {day_words(reference_day)}"
    if kind == "return":
        if race is not None:
            what = f"{race_words(race)}, {what},"
        return (f"Your first run after a break, {what} on {day_words(day)}{session}, was "
                f"{ratio:.2f}x your longest run of the 90 days before the break "
                f"({ref}{ref_day}). After weeks off the body has lost part of what it was "
                "used to, so the first long run back is a classic spike.")
    unit_note = " (measured by time: this run has no distance)" if kind == "duration" else ""
    run = f"Your {what}" if parts > 1 else f"Your {what} run"
    if race is not None:
        run = f"T{race_words(race)[1:]}, {what},"
    return (f"{run} on {day_words(day)}{session} was {ratio:.2f}x your longest run "
            f"of the 30 days before it ({ref}{ref_day}){unit_note}. In a study of 5,205 "
            "runners, runs more than 10% longer than the recent longest raised the injury "
            "rate (by 64% for more than 10% up to 30% longer, 52% for more than 30% up "
            "to 100%"
            + (", and 2.3 times for more than double, as here)." if high else ").")
            + (" A race is a planned spike, and counts like any other: keep the days after it "
               "easy." if race is not None else ""))
