"""Worked examples for loadwatch.engine.intensity: hard runs by heart-rate reserve, by %HRmax,
with an estimated maximum that never re-judges earlier runs, and by grade-adjusted pace.
Every expected number is derived by hand in the comment beside it."""

import pandas as pd
import pytest

from loadwatch.engine.intensity import (
    HeartRate,
    classify,
    grade_adjusted_speed,
    heart_rate,
    running_second_highest,
)
from tests.activities import build, run


def judged(activities, max_hr=None, rest_hr=None):
    """classify() of the runs, in start order, as a list of True/False/None."""
    tl = build(activities)
    runs = tl[tl["is_run"]]
    out = classify(runs, heart_rate(runs, max_hr, rest_hr))
    return [None if pd.isna(v) else bool(v) for v in out]


# -- heart-rate reserve ---------------------------------------------------------------------

def test_hard_at_80_percent_of_the_heart_rate_reserve():
    # Max 190, rest 50: reserve 140; 0.8 * 140 + 50 = 162 bpm is the edge.
    # 162: (162 - 50) / 140 = 0.8, hard; 161: 111 / 140 = 0.793, not hard.
    acts = [run(0, 10, 50, avg_hr=162), run(1, 10, 50, avg_hr=161), run(2, 10, 50)]
    # The third run has no heart rate and no usual pace (fewer than 5 earlier runs): unknown.
    assert judged(acts, 190, 50) == [True, False, None]


def test_hard_at_87_percent_of_max_without_a_resting_rate():
    # Max 200: 0.87 * 200 = 174 bpm. 174 hard; 173 (0.865) not.
    acts = [run(0, 10, 50, avg_hr=174), run(1, 10, 50, avg_hr=173)]
    assert judged(acts, 200) == [True, False]
    assert heart_rate(build(acts), 200, None) == HeartRate(200.0, None, False)


# -- estimated maximum ----------------------------------------------------------------------

# Six 40-minute runs with session maxima 180, 190, 185, 182, 188, 200 and an average of
# 164 bpm each.
MAXIMA = [180, 190, 185, 182, 188, 200]


def six_runs():
    return [run(i, 8, 40, avg_hr=164, max_hr=m) for i, m in enumerate(MAXIMA)]


def test_second_highest_so_far():
    # After each value: -, 180 (of 180, 190), 185 (185 < 190, > 180), 185 (182 below both),
    # 188 (188 < 190), 190 (200 is the new top, 190 the runner-up).
    assert running_second_highest(pd.Series(MAXIMA, dtype=float)).tolist()[1:] == [
        180.0, 185.0, 185.0, 188.0, 190.0]



def test_second_highest_so_far_skips_gaps():
    # A run without a recorded maximum changes nothing: after 180, 190, 185 and a gap the
    # second-highest is still 185; after a gap then 150 it is still 185.
    values = pd.Series([180.0, 190.0, 185.0, float("nan"), 150.0])
    assert running_second_highest(values).tolist()[1:] == [180.0, 185.0, 185.0, 185.0]


def test_a_run_without_heart_rate_does_not_reset_the_estimated_maximum():
    # Maxima 180, 190, 185, 182, 188; then a run without heart rate; then a run with a
    # maximum of 175 and an average of 172. Recorded so far: 190 and 188 on top, so 188 is
    # the estimate: 172 / 188 = 0.915 >= 0.87, hard. All runs share one pace (8 km in
    # 40 min), so by pace none is hard.
    acts = [run(i, 8, 40, avg_hr=150, max_hr=m) for i, m in enumerate([180, 190, 185, 182, 188])]
    acts += [run(5, 8, 40), run(6, 8, 40, avg_hr=172, max_hr=175)]
    assert judged(acts)[-1] is True


def test_the_maximum_is_estimated_from_the_second_highest_recorded():
    # Over all six: 200 and 190: the second-highest, 190.
    tl = build(six_runs())
    assert heart_rate(tl, None, None) == HeartRate(190.0, None, True)
    # Four runs with a maximum are too few.
    assert heart_rate(build(six_runs()[:4]), None, None) == HeartRate(None, None)


def test_each_run_is_judged_with_the_maximum_known_when_it_was_run():
    # From the 5th run on (5 recorded maxima): run 5 against 188 (164 / 188 = 0.872, hard),
    # run 6 against 190 (164 / 190 = 0.863, not hard). Runs 1-4: too few maxima, and
    # without an estimated maximum they fall to pace, unknown for lack of 5 earlier runs.
    assert judged(six_runs()) == [None, None, None, None, True, False]


def test_a_later_run_never_changes_an_earlier_judgement():
    # A 7th run with a maximum of 230: the overall second-highest becomes 200, which would
    # make run 5 164 / 200 = 0.82, not hard. Judged as of its own day it stays hard.
    more = [*six_runs(), run(6, 8, 40, avg_hr=150, max_hr=230)]
    assert heart_rate(build(more), None, None).max_hr == 200.0
    assert judged(more)[:6] == judged(six_runs())
    # The 7th is judged against 200: 150 / 200 = 0.75, not hard.
    assert judged(more)[6] is False


def test_estimated_maximum_with_a_resting_rate_uses_the_reserve():
    # Rest 60; run 5 against 188: (164 - 60) / (188 - 60) = 104 / 128 = 0.8125, hard;
    # run 6 against 190: 104 / 130 = 0.8, hard (on the edge).
    assert judged(six_runs(), None, 60) == [None, None, None, None, True, True]


# -- pace -----------------------------------------------------------------------------------

def steady_runs(first_day, kmh, n=5, minutes=60):
    """``n`` runs of ``minutes`` at ``kmh`` on every second day from ``first_day``."""
    return [run(first_day + 2 * i, kmh * minutes / 60, minutes) for i in range(n)]


def test_hard_by_pace_at_10_percent_above_the_usual():
    # Five runs at 10 km/h (2.7778 m/s): usual 2.7778; 1.1 x = 3.0556 m/s = 11 km/h.
    base = steady_runs(0, 10)
    # Day 10: 11 km in an hour, exactly 1.1 x: hard. 10.9 km: 1.09 x, not hard.
    assert judged([*base, run(10, 11, 60)])[-1] is True
    assert judged([*base, run(10, 10.9, 60)])[-1] is False
    # With only 4 earlier runs there is no usual pace: unknown.
    assert judged([*base[:4], run(10, 11, 60)])[-1] is None


def test_pace_is_grade_adjusted():
    # 10 km + 7.92 m per metre climbed: 10 km with 130 m in an hour is
    # (10000 + 7.92 * 130) / 3600 = 11029.6 / 3600 = 3.0638 m/s > 3.0556: hard.
    # With 125 m: (10000 + 990) / 3600 = 3.0528 < 3.0556: not hard.
    base = steady_runs(0, 10)
    assert judged([*base, run(10, 10, 60, climb=130.0)])[-1] is True
    assert judged([*base, run(10, 10, 60, climb=125.0)])[-1] is False
    assert float(grade_adjusted_speed(10000.0, 130.0, 3600.0)) == pytest.approx(11029.6 / 3600)
    # Unknown climbing counts as flat.
    assert float(grade_adjusted_speed(9000.0, float("nan"), 3600.0)) == 2.5


def test_usual_pace_is_the_median_of_the_previous_56_days():
    # Five runs at 12 km/h on days 0-8, five at 10 km/h on days 60-68, then 11 km/h on day
    # 70. The 56 days before day 70 (07:00) start on day 14: only the 10 km/h runs, usual
    # 10 km/h, and 11 km/h is 1.1 x: hard. Had the old runs counted, the median of
    # 12,12,12,12,12,10,10,10,10,10 would be 11 km/h and 11 km/h not hard.
    acts = [*steady_runs(0, 12), *steady_runs(60, 10), run(70, 11, 60)]
    assert judged(acts)[-1] is True


def test_a_run_with_heart_rate_is_judged_by_heart_rate_not_pace():
    # Max 200, rest 50 (edge 170 bpm). After five 10 km/h runs, a run at 12 km/h with an
    # average of 140 bpm: by pace it would be hard (1.2 x), by heart rate (0.6) it is not.
    base = steady_runs(0, 10)
    assert judged([*base, run(10, 12, 60, avg_hr=140)], 200, 50)[-1] is False
    assert judged([*base, run(10, 12, 60)], 200, 50)[-1] is True  # no HR: pace


def test_runs_under_10_minutes_are_not_judged():
    # 9 minutes at 175 bpm (0.875 of a 200 max): not judged. 10 minutes: judged, hard.
    acts = [run(0, 1.5, 9, avg_hr=175), run(1, 1.7, 10, avg_hr=175)]
    assert judged(acts, 200) == [None, True]
    # Nor do they count for the usual pace: four hour-long runs and a fast 9-minute one
    # leave only four runs, no usual pace.
    acts = [*steady_runs(0, 10, n=4), run(8, 2.5, 9), run(10, 11, 60)]
    assert judged(acts)[-1] is None


def test_describe_names_the_proxy():
    assert "pace" in HeartRate(None, None).describe()
    assert "87%" in HeartRate(200.0, None).describe()
    assert "80% of your heart-rate reserve" in HeartRate(190.0, 50.0).describe()
    assert "estimated maximum of 190 bpm" in HeartRate(190.0, None, True).describe()
