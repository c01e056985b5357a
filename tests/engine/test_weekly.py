"""Worked examples for loadwatch.engine.weekly: ISO weeks from the first activity day, complete
weeks, and week-over-week changes that never compare a part of a week with a whole one.
Every expected number is derived by hand in the comment beside it."""

import math

import pytest

from loadwatch.engine.daily import daily_series
from loadwatch.engine.weekly import WEEKLY_COLUMNS, weekly_table
from tests.activities import act, build, day, run

# Day 0 is Mon 2 Nov 2026.
#   week 1 (W45, partial): Wed 4 10 km/60 min, Sat 7 10 km/60 min           = 20 km
#   week 2 (W46):          Tue 10 10/60, Thu 12 10/60, Sun 15 20 km/130 min
#                          with 200 m of climbing                           = 40 km, 250 min
#   week 3 (W47):          Tue 17 12/70, Thu 19 12/70, Sun 22 26 km/160 min
#                          with 300 m                                       = 50 km, 300 min
#   week 4 (W48, so far):  Mon 23 5 km/30 min, Tue 24 12 km/70 min          = 17 km, 100 min
STORY = [run(2, 10, 60), run(5, 10, 60),
         run(8, 10, 60), run(10, 10, 60), run(13, 20, 130, climb=200.0),
         run(15, 12, 70), run(17, 12, 70), run(20, 26, 160, climb=300.0),
         run(21, 5, 30), run(22, 12, 70)]


def weeks(activities, as_of):
    return weekly_table(daily_series(build(activities), as_of))


def test_weeks_run_from_the_monday_before_the_first_activity_and_count_days_from_it():
    w = weeks(STORY, day(23))  # report on Wed 25 Nov
    assert list(w.columns) == list(WEEKLY_COLUMNS)
    assert w["week"].tolist() == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [d.date() for d in w["start"]] == [day(0), day(7), day(14), day(21)]
    # The last week ends on the report date, the others on their Sunday.
    assert [d.date() for d in w["end"]] == [day(6), day(13), day(20), day(23)]
    # Week 1 counts Wed-Sun only (5 days); week 4 Mon-Wed (3 days).
    assert w["days"].tolist() == [5, 7, 7, 3]
    assert w["complete"].tolist() == [False, True, True, False]


def test_sums_counts_and_longest_run():
    w = weeks(STORY, day(23))
    assert w["run_distance_m"].tolist() == [20000.0, 40000.0, 50000.0, 17000.0]
    assert w["runs"].tolist() == [2, 3, 3, 2]
    assert w["run_days"].tolist() == [2, 3, 3, 2]
    # Rest days are days of the data without activity: 5 - 2, 7 - 3, 7 - 3, 3 - 2.
    assert w["rest_days"].tolist() == [3, 4, 4, 1]
    assert w["longest_run_m"].tolist() == [10000.0, 20000.0, 26000.0, 12000.0]
    # 60 min, 130 min, 160 min, 70 min
    assert w["longest_run_s"].tolist() == [3600.0, 7800.0, 9600.0, 4200.0]
    assert w["run_duration_s"].tolist() == [7200.0, 15000.0, 18000.0, 6000.0]


def test_a_complete_week_is_compared_with_the_whole_week_before_only_when_that_is_complete():
    w = weeks(STORY, day(23))
    # Week 1 has nothing before it; week 2's week before (week 1) has only 5 days: no change.
    assert math.isnan(w["base_distance_m"].iloc[0]) and math.isnan(w["change_pct"].iloc[0])
    assert math.isnan(w["base_distance_m"].iloc[1]) and math.isnan(w["change_pct"].iloc[1])
    # Week 3 against the whole of week 2: (50 - 40) / 40 = +25%
    assert w["base_distance_m"].iloc[2] == 40000.0
    assert w["change_pct"].iloc[2] == pytest.approx(25.0)
    # Running time: (300 - 250) / 250 = +20%; climbing: (300 - 200) / 200 = +50%
    assert w["duration_change_pct"].iloc[2] == pytest.approx(20.0)
    assert w["base_elevation_m"].iloc[2] == 200.0
    assert w["elevation_change_pct"].iloc[2] == pytest.approx(50.0)


def test_the_week_in_progress_is_compared_with_the_same_weekdays_of_last_week():
    w = weeks(STORY, day(23))
    # Mon-Wed of week 4: 5 + 12 = 17 km; Mon-Wed of week 3: 12 km (Tue 17).
    # (17 - 12) / 12 = +41.67%, not (17 - 50) / 50 = -66% against the whole week.
    assert w["base_distance_m"].iloc[3] == 12000.0
    assert w["change_pct"].iloc[3] == pytest.approx(5 / 12 * 100)
    # Time: 30 + 70 = 100 min against 70 min: +42.86%
    assert w["base_duration_s"].iloc[3] == 4200.0
    assert w["duration_change_pct"].iloc[3] == pytest.approx(30 / 70 * 100)


def test_on_a_monday_the_week_so_far_is_compared_with_last_monday():
    w = weeks(STORY, day(21))  # Mon 23 Nov: 5 km so far
    # Last Monday (16 Nov) had no running: base 0, so no change, never -90% against 50 km.
    assert w["base_distance_m"].iloc[3] == 0.0
    assert math.isnan(w["change_pct"].iloc[3])


def test_on_sunday_the_week_is_complete_and_compared_whole():
    w = weeks(STORY, day(20))  # Sun 22 Nov
    assert w["complete"].tolist() == [False, True, True]
    assert w["change_pct"].iloc[-1] == pytest.approx(25.0)  # (50 - 40) / 40


def test_a_week_in_progress_after_a_partial_first_week_has_no_change():
    # First run Thu 5 Nov, report Tue 10 Nov: week 1 is Thu-Sun only, so Mon-Tue of week 2
    # have no whole "same days" to compare with.
    w = weeks([run(3, 10), run(6, 10), run(7, 10), run(8, 10)], day(8))
    assert w["days"].tolist() == [4, 2]
    assert w["base_distance_m"].isna().all() and w["change_pct"].isna().all()


def test_a_change_from_a_week_without_running():
    # Mon 2 Nov a ride (the data starts on a Monday, week 1 is complete with 0 km run),
    # week 2 a 10 km run, week 3 nothing.
    w = weeks([act(0, "cycling", 30, 60), run(9, 10)], day(20))
    assert w["complete"].tolist() == [True, True, True]
    assert math.isnan(w["change_pct"].iloc[1])               # base 0: no percentage
    assert w["change_pct"].iloc[2] == pytest.approx(-100.0)  # (0 - 10) / 10


def test_longest_streak_counts_the_days_before_the_week():
    w = weeks(STORY, day(23))
    # Week 4: Sun 22, Mon 23, Tue 24 are run days in a row: 3, the Sunday of week 3 counted.
    assert w["max_run_streak"].tolist() == [1, 1, 1, 3]


def test_monotony_only_for_complete_weeks():
    w = weeks(STORY, day(23))
    assert math.isnan(w["monotony"].iloc[0]) and math.isnan(w["monotony"].iloc[3])
    # Week 2 in km: 0, 10, 0, 10, 0, 0, 20: mean 40/7 = 5.714; mean of squares 600/7 = 85.714;
    # variance 85.714 - 32.653 = 53.061; SD 7.2843; monotony 5.714 / 7.2843 = 0.7845.
    assert w["monotony"].iloc[1] == pytest.approx(0.7845, abs=1e-4)
