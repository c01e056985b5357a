"""Worked examples for loadwatch.verdict.risk: every row of the level table, the 14-day window,
pain, a jump with a spike in the same week, and the reasons for "unknown".

Most tests hand :func:`evidence_level` / :func:`assess` the flags a rule would raise (built
here, with the dates written out); the last ones go from activities through
:func:`loadwatch.verdict.judge`. Day 0 is Mon 2 Nov 2026; day 20 is Sun 22 Nov."""

from datetime import timedelta

import pytest

from loadwatch.flags import Flag
from loadwatch.verdict import VerdictOptions, judge
from loadwatch.verdict.risk import (
    MIN_DATA_DAYS,
    SPIKE_WINDOW_DAYS,
    STALE_DAYS,
    assess,
    evidence_level,
    last_complete_sunday,
    rank,
)
from tests.activities import act, build, day, run

SUN = day(20)  # Sun 22 Nov 2026
WED = day(23)  # Wed 25 Nov 2026


def flag(code, start, severity="caution", *, kind="evidence", value=1.5, last=None, steps=(),
         trace=()):
    return Flag(code, kind, severity, start, last or start, value, None, "strong", "src",
                f"{code} message", steps or ((severity, start),), None, trace)


def level(flags, as_of=SUN, pain_now=None):
    lvl, drivers = evidence_level(flags, as_of, pain_now=pain_now)
    return lvl, [f.code for f in drivers]


def spike(start, ratio, code="long_run_spike"):
    return flag(code, start, "high" if ratio > 2.0 else "caution", value=ratio)


def week_jump(start, last, *, steps=None, trace=()):
    """A high weekly-distance jump (evidence) from ``start`` to ``last``."""
    return flag("weekly_distance_jump", start, "high", value=35.0, last=last,
                steps=steps or (("high", start),), trace=trace)


# -- high and raised by spikes, and the 14-day window ---------------------------------------

def test_no_evidence_is_usual():
    assert level([]) == ("usual", [])


def test_a_run_over_twice_its_reference_in_14_days_is_high():
    assert SPIKE_WINDOW_DAYS == 14
    # The window is days D-13..D: Mon 9 Nov (day 7) to Sun 22 Nov (day 20).
    assert level([spike(day(7), 2.5)]) == ("high", ["long_run_spike"])
    assert level([spike(day(6), 2.5)]) == ("usual", [])  # Sun 8 Nov, day D-14: out
    assert level([spike(day(20), 2.5, "duration_spike")]) == ("high", ["duration_spike"])


def test_a_run_of_1_1_to_2_times_its_reference_is_raised():
    assert level([spike(day(20), 1.2)]) == ("raised", ["long_run_spike"])
    assert level([spike(day(7), 2.0)]) == ("raised", ["long_run_spike"])  # 2.0 is moderate
    assert level([spike(day(6), 1.5)]) == ("usual", [])


def test_flags_after_the_report_date_are_ignored():
    assert level([spike(day(21), 2.5)]) == ("usual", [])


def test_a_return_spike_raises_the_level():
    assert level([spike(day(15), 1.25, "return_spike")]) == ("raised", ["return_spike"])
    assert level([spike(day(6), 1.25, "return_spike")]) == ("usual", [])


# -- pain -----------------------------------------------------------------------------------

def test_a_spike_with_pain_of_3_or_more_is_high():
    assert level([spike(day(18), 1.2)], pain_now=3) == ("high", ["long_run_spike"])
    assert level([spike(day(18), 1.2)], pain_now=2) == ("raised", ["long_run_spike"])
    assert level([spike(day(18), 1.2, "return_spike")], pain_now=4) == ("high", ["return_spike"])
    # Pain alone, with flat load, is not a load level (the pain is a clinical matter).
    assert level([], pain_now=7) == ("usual", [])


# -- weeks ----------------------------------------------------------------------------------

def test_last_complete_sunday():
    assert last_complete_sunday(SUN) == SUN                   # Sunday: itself
    assert last_complete_sunday(day(21)) == SUN               # Monday: the day before
    assert last_complete_sunday(day(26)) == SUN               # Saturday: 6 days before


def test_a_week_over_30_percent_is_raised():
    # High from Sat 21 Nov (day 19) to Sun 22 Nov: the last complete week.
    jump = week_jump(day(19), SUN)
    assert level([jump]) == ("raised", ["weekly_distance_jump"])
    # Still the last complete week on Wed 25 Nov (Sunday 22 Nov is its end) ...
    assert level([jump], WED) == ("raised", ["weekly_distance_jump"])
    # ... but not once another week has completed (report on Mon 30 Nov, last Sunday 29 Nov).
    assert level([jump], day(28)) == ("usual", [])


def test_the_week_in_progress_counts_so_far():
    # High on Wed 25 Nov so far (against Mon-Wed of last week).
    assert level([week_jump(WED, WED)], WED) == ("raised", ["weekly_distance_jump"])


def test_a_jump_that_fell_back_by_sunday_does_not_count():
    # High on Thu 19 Nov, back to caution (+17%) by Sun 22 Nov: the complete week is +17%.
    fell = week_jump(day(17), SUN, trace=((day(17), "high"), (SUN, "caution")))
    assert fell.severity_on(SUN) == "caution"
    assert level([fell]) == ("usual", [])


def test_a_habit_week_never_counts():
    # 10-30% weeks are habits: caution, kind "habit".
    assert level([flag("weekly_distance_jump", SUN, kind="habit", value=20.0)]) == ("usual", [])


def test_a_jump_with_a_spike_in_the_same_week_is_high():
    jump = week_jump(day(19), SUN)
    # A 1.2x run on Tue 17 Nov, inside the week of the jump (Mon 16 - Sun 22 Nov).
    lvl, codes = level([jump, spike(day(15), 1.2)])
    assert lvl == "high" and sorted(codes) == ["long_run_spike", "weekly_distance_jump"]
    # The same run on Fri 13 Nov (the week before, still within 14 days): raised.
    assert level([jump, spike(day(11), 1.2)])[0] == "raised"
    # Week in progress: jump on Wed 25 Nov, a 1.2x run on Mon 23 Nov: high.
    assert level([week_jump(WED, WED), spike(day(21), 1.2)], WED)[0] == "high"
    # Last week's jump with this week's run (Tue 24 Nov): different weeks, raised.
    assert level([jump, spike(day(22), 1.2)], WED)[0] == "raised"


def test_two_weeks_over_20_percent_are_raised():
    ramp = flag("cumulative_ramp", SUN, "high", value=55.0)
    assert level([ramp]) == ("raised", ["cumulative_ramp"])
    assert level([ramp], WED) == ("raised", ["cumulative_ramp"])
    assert level([ramp], day(28)) == ("usual", [])
    # The habit ramp (three weeks over 10%) does not count.
    assert level([flag("cumulative_ramp", SUN, kind="habit", value=45.0)]) == ("usual", [])


# -- habits ---------------------------------------------------------------------------------

def test_habits_alone_never_raise_the_level():
    habits = [flag(code, day(15), "high", kind="habit", last=SUN, value=v)
              for code, v in (("acwr_high", 1.9), ("monotony_high", 10.0), ("run_streak", 20.0),
                              ("no_rest_day", 20.0), ("no_cross_training", 30.0),
                              ("duration_jump", 80.0), ("elevation_jump", 120.0),
                              ("intensity_jump", 4.0))]
    assert level(habits) == ("usual", [])
    assert level(habits, pain_now=8) == ("usual", [])


# -- assess: unknown ------------------------------------------------------------------------

def test_usual_with_enough_recent_data():
    r = assess([], SUN, days_of_data=28, last_activity=SUN - timedelta(days=10))
    assert (r.level, r.reasons) == ("usual", [])
    assert r.summary.startswith("USUAL:")


def test_fewer_than_28_days_is_unknown():
    assert MIN_DATA_DAYS == 28
    r = assess([spike(SUN, 2.5)], SUN, days_of_data=27, last_activity=SUN)
    assert r.level == "unknown"
    assert r.reasons == ["only 27 days of activity data (at least 28 are needed to know what "
                         "you are used to)"]
    # What the evidence said is kept, and told.
    assert [f.code for f in r.drivers] == ["long_run_spike"]
    assert "Before that: a run more than twice as long as your longest" in r.summary


def test_more_than_10_days_without_activity_is_unknown():
    assert STALE_DAYS == 10
    # Last activity Wed 11 Nov: 11 days before Sun 22 Nov.
    r = assess([], SUN, days_of_data=60, last_activity=day(9))
    assert r.level == "unknown"
    assert r.reasons == ["no activity for 11 days (the last on Wed 11 Nov): a break, or files "
                         "not uploaded"]
    assert assess([], SUN, days_of_data=60, last_activity=day(10)).level == "usual"  # 10 days
    assert assess([], SUN, days_of_data=0, last_activity=None).reasons == [
        "no activity on or before this day in the data"]


def test_quarantined_data_that_would_change_the_level_makes_it_unknown():
    r = assess([], SUN, days_of_data=60, last_activity=SUN, unconfirmed_level="high")
    assert r.level == "unknown"
    assert r.reasons == ['an activity under "data to check" would make it high if it is real: '
                         "confirm or ignore it"]
    # The same level with or without it: no reason to doubt.
    assert assess([], SUN, days_of_data=60, last_activity=SUN,
                  unconfirmed_level="usual").level == "usual"


# -- words and order ------------------------------------------------------------------------

def test_drivers_strongest_first_and_their_words():
    flags = [flag("cumulative_ramp", SUN, "high", value=55.0), spike(day(18), 1.5),
             spike(day(19), 2.5)]
    r = assess(flags, SUN, days_of_data=60, last_activity=SUN)
    assert r.level == "high"
    r = assess(flags[:2], SUN, days_of_data=60, last_activity=SUN)
    assert r.level == "raised"
    assert [f.code for f in r.drivers] == ["long_run_spike", "cumulative_ramp"]
    # 1.5x: (1.5 - 1) * 100 = 50% longer.
    assert r.summary == ("RAISED: a run 50% longer than your longest of the month before, on "
                         "Fri 20 Nov (1.50x); weekly distance up more than 20% two weeks "
                         "running (+55% in all).")
    assert r.to_json()["drivers"] == ["long_run_spike", "cumulative_ramp"]


def test_rank_orders_for_triage():
    assert sorted(["usual", "high", "unknown", "raised"], key=rank, reverse=True) == [
        "high", "raised", "unknown", "usual"]


# -- from activities ------------------------------------------------------------------------

def steady(weeks, pattern=((0, 5.0), (3, 5.0), (6, 10.0))):
    """Mon 5, Thu 5, Sun 10 km (20 km a week) for ``weeks`` weeks from day 0."""
    return [run(7 * w + d, km, km * 5.5) for w in range(weeks) for d, km in pattern]


def verdict(activities, as_of, **options):
    return judge(build(activities), "x", VerdictOptions(as_of=as_of, **options))


def test_a_jump_with_a_spike_in_the_same_week_from_activities():
    # Three steady weeks of 20 km, then Mon 5, Thu 5, Sat 12, Sun 5 = 27 km (Sun 29 Nov).
    # Sat 12 km against the 10 km Sunday runs: 1.2x. The week: 27 vs 20 = +35%.
    # Data from Mon 2 Nov to Sun 29 Nov: 28 days.
    acts = steady(3) + [run(21, 5, 27.5), run(24, 5, 27.5), run(26, 12, 66), run(27, 5, 27.5)]
    v = verdict(acts, day(27))
    assert v.analysis.days_of_data == 28
    assert v.risk.level == "high"
    assert sorted(f.code for f in v.risk.drivers) == ["long_run_spike", "weekly_distance_jump"]
    # Without the long run (Sat 9, Sun 8 km: the same 27 km, no run over 10 km): raised.
    acts = steady(3) + [run(21, 5, 27.5), run(24, 5, 27.5), run(26, 9, 50), run(27, 8, 44)]
    v = verdict(acts, day(27))
    assert (v.risk.level, [f.code for f in v.risk.drivers]) == (
        "raised", ["weekly_distance_jump"])


def test_a_car_run_waiting_in_data_to_check_makes_the_level_unknown():
    # Five steady weeks (Mon 2 Nov - Sun 6 Dec), then a 120 km "run" in 4 h on Tue 8 Dec
    # (30 km/h), report on Wed 9 Dec. Without it: usual. With it: 120 / 10 = 12x, high.
    steady_weeks = steady(5)
    car = run(36, 120, 240)
    v = verdict([*steady_weeks, car], day(37))
    assert v.data_to_check["date"].dt.date.tolist() == [day(36)]
    assert v.risk.level == "unknown"
    assert v.risk.reasons == ['an activity under "data to check" would make it high if it is '
                              "real: confirm or ignore it"]
    car_id = build([car])["activity_id"].iloc[0]
    # Confirmed, it is a run: a 12x spike, high.
    assert verdict([*steady_weeks, car], day(37), confirm=frozenset({car_id})).risk.level == "high"
    # Ignored, it is gone: usual.
    ignored = verdict([*steady_weeks, car], day(37), ignore={car_id: "car"})
    assert ignored.risk.level == "usual" and ignored.data_to_check.empty


def test_quarantined_data_that_would_not_change_the_level_is_listed_only():
    # A 140 km ride in 2 h (70 km/h, over the hour record) after the same five weeks: it is not
    # running load, so the level is usual either way; it still waits under "data to check".
    v = verdict([*steady(5), act(36, "cycling", 140, 120)], day(37))
    assert len(v.data_to_check) == 1
    assert v.risk.level == "usual"


def test_a_first_run_back_longer_than_before_the_break_is_raised():
    # Five steady weeks (longest 10 km), 36 days off (days 35-70), then 10.5 km on Tue 12 Jan
    # (day 71): a return, 10.5 / 10 = 1.05x the longest run of the 90 days before the break.
    # Report Sun 17 Jan (day 76): 5 days later, inside the 14 days.
    v = verdict([*steady(5), run(71, 10.5, 58)], day(76))
    row = v.analysis.spikes.iloc[-1]
    assert (row["kind"], row["spike_ratio"]) == ("return", pytest.approx(1.05))
    assert v.risk.level == "raised"


def test_a_first_run_back_over_1_1_times_is_raised():
    # The same with 12 km: 1.2x, a return_spike, raised.
    v = verdict([*steady(5), run(71, 12, 66)], day(76))
    assert (v.risk.level, [f.code for f in v.risk.drivers]) == ("raised", ["return_spike"])
