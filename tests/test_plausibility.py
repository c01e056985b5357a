"""Worked examples for loadwatch.plausibility: activities impossible for their sport.
Every expected number is derived by hand in the comment beside it."""

from datetime import UTC, datetime

import pandas as pd
import pytest

from loadwatch import timeline
from loadwatch.importers.base import Activity
from loadwatch.plausibility import DATA_TO_CHECK_COLUMNS, check, record_speed
from tests.activities import act, build, day, run


def reasons(activities, confirmed=frozenset()):
    return check(build(activities), frozenset(confirmed))["reason"].tolist()


# -- the world-record curve -----------------------------------------------------------------

def test_record_speed_goes_through_the_records():
    # Half marathon 21097.5 m in 3450 s: 6.1152 m/s; 10 km in 1571 s: 6.3654 m/s.
    assert float(record_speed(3450.0)) == pytest.approx(21097.5 / 3450)
    assert float(record_speed(1571.0)) == pytest.approx(10000 / 1571)
    # Beyond the ends the curve is flat: 100 m speed (10.44 m/s), 6-day speed (2.0 m/s).
    assert float(record_speed(5.0)) == pytest.approx(100 / 9.58)
    assert float(record_speed(10 ** 6)) == pytest.approx(1036800 / 518400)


def test_record_speed_is_interpolated_in_log_duration():
    # 1500 s lies between 5000 m (755.36 s, 6.6194 m/s) and 10 km (1571 s, 6.3654 m/s):
    # f = ln(1500 / 755.36) / ln(1571 / 755.36) = 0.68603 / 0.73227 = 0.93686;
    # v = 6.6194 - 0.93686 * 0.25399 = 6.3814 m/s.
    assert float(record_speed(1500.0)) == pytest.approx(6.3814, abs=1e-4)


def test_faster_than_the_world_record_for_the_duration():
    # 10 km in 1500 s is 6.667 m/s; the limit is 6.3814 * 1.03 = 6.5729 m/s: impossible.
    # 10 km in 1571 s is the record itself: within the 3% allowance.
    out = reasons([run(0, 10, 25), run(1, 10, 1571 / 60)])
    assert out == ["averaged 24.0 km/h for 0h25, faster than the world record for that time "
                   "(23.0 km/h)"]


def test_a_car_run_of_hours_fails_even_at_a_pace_human_for_a_short_race():
    # 60 km in 3 h: 20 km/h, slower than the 10 km record (22.9 km/h) but not for 3 h:
    # between 50 km (9613 s, 5.2013 m/s) and 100 km (21935 s, 4.5589 m/s),
    # f = ln(10800 / 9613) / ln(21935 / 9613) = 0.11643 / 0.82497 = 0.14114,
    # v = 5.2013 - 0.14114 * 0.64237 = 5.1106 m/s = 18.4 km/h; x 1.03 = 18.95 < 20.
    # The same 20 km/h for 30 min (10 km) is a good club runner.
    out = reasons([run(0, 60, 180), run(1, 10, 30)])
    assert out == ["averaged 20.0 km/h for 3h00, faster than the world record for that time "
                   "(18.4 km/h)"]


def test_a_ride_faster_than_the_hour_record():
    # 120 km in 2 h = 60 km/h = 16.67 m/s; the hour record 56.792 km/h = 15.776 m/s,
    # x 1.03 = 16.249 m/s: impossible. 110 km in 2 h (15.28 m/s) is fine, and so is 60 km/h
    # for 30 min (the hour record says nothing under an hour).
    out = check(build([act(0, "cycling", 120, 120), act(1, "cycling", 110, 120),
                       act(2, "cycling", 30, 30)]))
    assert out["date"].dt.date.tolist() == [day(0)]
    assert out["sport"].tolist() == ["ride"]
    assert out["reason"].tolist() == [
        "averaged 60.0 km/h for 2h00, faster than the world record for that time (56.8 km/h)"]


def test_a_swim_faster_than_the_50_m_record():
    # 400 m in 2 min = 3.33 m/s; 50 m in 20.91 s = 2.391 m/s, x 1.03 = 2.463: impossible.
    assert len(reasons([act(0, "swimming", 0.4, 2)])) == 1
    # 400 m in 6 min = 1.11 m/s: a good swimmer.
    assert reasons([act(0, "swimming", 0.4, 6)]) == []


# -- the athlete's own history --------------------------------------------------------------

TEN_EASY = [run(i, 10, 60) for i in range(10)]  # 10 km/h for an hour, days 0-9


def test_far_faster_than_own_history_after_10_earlier_runs():
    # Ten runs at 10 km/h for an hour: Riegel-normalised to 1 h, 2.7778 m/s, the 95th
    # percentile too; the limit is 1.4 x 2.7778 = 3.8889 m/s.
    # 10 km in 40 min: 4.1667 m/s, normalised 4.1667 * (2400/3600)^(0.06/1.06)
    #   = 4.1667 * e^(0.056604 * -0.405465) = 4.1667 * 0.97731 = 4.0721 > 3.8889.
    out = reasons([*TEN_EASY, run(10, 10, 40)])
    assert out == ["averaged 15.0 km/h for 0h40, far faster than your own runs (more than "
                   "1.4x the fastest 5% of them, allowing for duration)"]
    # 12.5 km/h for an hour: 3.4722 m/s < 3.8889, a good day.
    assert reasons([*TEN_EASY, run(10, 12.5, 60)]) == []


def test_own_history_needs_10_earlier_runs():
    # Nine earlier runs: no history yet, the same 15 km/h run passes.
    assert reasons([*TEN_EASY[1:], run(10, 10, 40)]) == []


# -- slower than walking --------------------------------------------------------------------

def test_a_run_slower_than_walking_for_hours():
    # 5 km in 2 h: 2.5 km/h < 3 km/h for at least 2 h.
    assert reasons([run(0, 5, 120)]) == ["2h00 at 2.5 km/h, slower than walking: a watch left "
                                         "running?"]
    # 119 min at 2.5 km/h (4.958 km): under 2 h, not flagged; 6 km in 2 h is 3 km/h exactly:
    # not slower than walking.
    assert reasons([run(0, 2.5 * 119 / 60, 119), run(1, 6, 120)]) == []
    # A walk may be slow.
    assert reasons([act(0, "walking", 5, 120)]) == []


# -- heart rate and climbing ----------------------------------------------------------------

def test_heart_rate_outside_25_to_240():
    out = reasons([run(0, 10, 60, avg_hr=20), run(1, 10, 60, max_hr=250),
                   run(2, 10, 60, avg_hr=20, max_hr=250),
                   run(3, 10, 60, avg_hr=25, max_hr=240)])  # the edges are possible
    assert out == [
        "heart rate of 20 bpm recorded, outside what a heart can do (25-240)",
        "heart rate of 250 bpm recorded, outside what a heart can do (25-240)",
        "heart rate of 20 and 250 bpm recorded, outside what a heart can do (25-240)",
    ]


def test_climbing_steeper_than_a_vertical_kilometre():
    # 2100 m up in 2 km is 1,050 m per km: impossible; 2000 m in 2 km is the limit itself.
    out = reasons([run(0, 2, 60, climb=2100.0), run(1, 2, 60, climb=2000.0)])
    assert out == ["2100 m of climbing in 2.0 km, steeper than the steepest races "
                   "(about 1,000 m per km)"]


def test_very_short_activities_are_not_speed_or_climb_checked():
    # 150 m in 10 s (15 m/s) with 500 m of climbing: under 200 m, GPS noise, left alone.
    assert reasons([run(0, 0.15, 10 / 60, climb=500.0)]) == []


# -- output ---------------------------------------------------------------------------------

def test_reasons_are_joined_and_confirmed_ids_never_listed():
    tl = build([run(0, 60, 180, avg_hr=250), run(1, 5, 120), run(2, 10, 60)])
    out = check(tl)
    assert list(out.columns) == list(DATA_TO_CHECK_COLUMNS)
    assert out["activity_id"].tolist() == tl["activity_id"].tolist()[:2]
    assert out["reason"].iloc[0] == (
        "averaged 20.0 km/h for 3h00, faster than the world record for that time (18.4 km/h); "
        "heart rate of 250 bpm recorded, outside what a heart can do (25-240)")
    confirmed = check(tl, frozenset({tl["activity_id"].iloc[0]}))
    assert confirmed["activity_id"].tolist() == [tl["activity_id"].iloc[1]]


def test_an_empty_timeline_has_nothing_to_check():
    out = check(build([]))
    assert out.empty and list(out.columns) == list(DATA_TO_CHECK_COLUMNS)


def test_dates_are_local_days():
    # 23:30 UTC on Mon 2 Nov is 00:30 on Tue 3 Nov in Oslo (UTC+1 in November).
    car = Activity("fit", "car.fit", datetime(2026, 11, 2, 23, 30, tzinfo=UTC), "running",
                   distance_m=120_000.0, duration_s=4 * 3600.0)
    out = check(timeline.build([car], "x", timeline.resolve_tz("Europe/Oslo")))
    assert out["date"].tolist() == [pd.Timestamp("2026-11-03")]


# -- issue 17: a recording of days, and read errors of absurd size ---------------------------

def test_a_recording_longer_than_48_h_is_data_to_check():
    # A lap of 46 days without distance: no speed to judge, but no activity lasts that long.
    # 47 h 59 min is still one activity (the longest 100-mile races close near 46.5 h).
    out = reasons([run(0, None, 46 * 24 * 60), run(50, None, 47 * 60 + 59),
                   run(52, None, 49 * 60)])
    assert out == [
        "recorded as lasting 46 days, longer than one activity can be (48 h at most): a timer "
        "or clock glitch?",
        "recorded as lasting 2 days 1 h, longer than one activity can be (48 h at most): a "
        "timer or clock glitch?"]


def test_absurd_numbers_give_short_reasons_and_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Below the timeline's net of 10^9 (larger is missing): 500,000 km in 3 s.
        out = reasons([run(0, 5e5, 0.05, climb=9e8, avg_hr=9e8)])
    [reason] = out
    assert len(reason) < 400 and "over 1,000,000 km/h" in reason
    assert max(len(w) for w in reason.replace(",", "").split()) < 12
