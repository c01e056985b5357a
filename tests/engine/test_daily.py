"""Worked examples for loadwatch.engine.daily: one row per local day from the first activity,
rest/cross-training/strength counts, the longest run per day, and Banister TRIMP.
Every expected number is derived by hand in the comment beside it."""

import math

import numpy as np
import pandas as pd
import pytest

from loadwatch.engine.daily import DAILY_COLUMNS, AthleteParams, LoadError, daily_series, trimp
from tests.activities import act, build, day, run

# Day 0 is Mon 2 Nov 2026.
#   Wed 4 (day 2): a run, 8 km in 40 min
#   Thu 5 (day 3): a ride of 60 min
#   Fri 6 (day 4): strength training, 45 min
#   Sat 7 (day 5): nothing
#   Sun 8 (day 6): two runs, 5 km/25 min at 07:00 and 12 km/70 min at 15:00
#   Mon 9 (day 7): a treadmill run of 30 min without distance
#   Tue 10 (day 8): a run after the report date (ignored)
WEEK = [run(2, 8, 40), act(3, "cycling", 30, 60), act(4, "strength_training", None, 45),
        run(6, 5, 25), run(6, 12, 70, hour=15), run(7, None, 30), run(8, 10, 50)]


def test_days_run_from_the_first_activity_to_the_report_date():
    d = daily_series(build(WEEK), day(7))
    assert list(d.columns) == list(DAILY_COLUMNS)
    # Wed 4 to Mon 9: 6 days; not from Monday 2 (unknown days are not rest) and not to Tue 10.
    assert [t.date() for t in d.index] == [day(n) for n in range(2, 8)]
    assert d.index.name == "date"


def test_a_report_before_any_activity_is_the_report_date_alone():
    d = daily_series(build(WEEK), day(1))
    assert [t.date() for t in d.index] == [day(1)]
    assert d["activities"].tolist() == [0] and d["rest"].tolist() == [True]


def test_rest_cross_training_and_strength_counts():
    d = daily_series(build(WEEK), day(7))
    #                           Wed    Thu    Fri    Sat    Sun    Mon
    assert d["activities"].tolist() == [1, 1, 1, 0, 2, 1]
    assert d["runs"].tolist() == [1, 0, 0, 0, 2, 1]
    # A rest day has no activity of any sport: only Saturday. A ride or strength day is not rest.
    assert d["rest"].tolist() == [False, False, False, True, False, False]
    # Cross-training is low-impact (the ride); strength is its own count (issue 16).
    assert d["cross_sessions"].tolist() == [0, 1, 0, 0, 0, 0]
    assert d["strength_sessions"].tolist() == [0, 0, 1, 0, 0, 0]
    assert d["cross_duration_s"].tolist() == [0.0, 3600.0, 0.0, 0.0, 0.0, 0.0]
    # A run day needs a run with a distance or a time: the treadmill run (time only) counts.
    assert d["run_day"].tolist() == [True, False, False, False, True, True]


def test_distance_time_and_the_longest_run_of_each_day():
    d = daily_series(build(WEEK), day(7))
    # Sunday: 5 + 12 = 17 km in 25 + 70 = 95 min; the longest run is the 12 km one (not the sum).
    assert d["run_distance_m"].tolist() == [8000.0, 0.0, 0.0, 0.0, 17000.0, 0.0]
    assert d["longest_run_m"].tolist() == [8000.0, 0.0, 0.0, 0.0, 12000.0, 0.0]
    assert d["run_duration_s"].tolist() == [2400.0, 0.0, 0.0, 0.0, 5700.0, 1800.0]
    assert d["longest_run_s"].tolist() == [2400.0, 0.0, 0.0, 0.0, 4200.0, 1800.0]


def test_the_load_is_distance_in_metres_or_time_in_minutes():
    tl = build(WEEK)
    assert daily_series(tl, day(7))["load"].tolist() == [8000.0, 0, 0, 0, 17000.0, 0]
    # 40 min, 95 min, 30 min; the ride's hour is not running load.
    assert daily_series(tl, day(7), "duration")["load"].tolist() == [40.0, 0, 0, 0, 95.0, 30.0]
    with pytest.raises(LoadError, match="load must be one of"):
        daily_series(tl, day(7), "pace")


def test_hard_and_classified_runs_are_counted_per_day():
    tl = build(WEEK)
    runs = tl[tl["is_run"]]
    # Judge Wed's run hard, Sunday's short run easy, the rest unknown (NA).
    hard = pd.Series(pd.NA, index=runs.index, dtype="boolean")
    hard.iloc[0], hard.iloc[1] = True, False
    d = daily_series(tl, day(7), hard=hard)
    assert d["hard_runs"].tolist() == [1, 0, 0, 0, 0, 0]
    assert d["classified_runs"].tolist() == [1, 0, 0, 0, 1, 0]


# -- TRIMP -----------------------------------------------------------------------------------

def test_trimp_male_and_female_constants():
    # 30 min at 120 bpm, rest 60, max 200: x = (120 - 60) / (200 - 60) = 0.42857.
    # Men: 30 * 0.42857 * 0.64 * e^(1.92 * 0.42857) = 8.2286 * e^0.82286 = 8.2286 * 2.2771 = 18.737
    men = trimp([1800], [120], AthleteParams(200, 60, "male"))
    assert men[0] == pytest.approx(30 * (60 / 140) * 0.64 * math.exp(1.92 * 60 / 140))
    assert men[0] == pytest.approx(18.737, abs=1e-3)
    # Women: 30 * 0.42857 * 0.86 * e^(1.67 * 0.42857) = 11.0571 * e^0.71571
    #   = 11.0571 * 2.04565 = 22.619
    women = trimp([1800], [120], AthleteParams(200, 60, "female"))
    assert women[0] == pytest.approx(22.619, abs=1e-3)
    # Unknown sex uses the men's constants.
    assert trimp([1800], [120], AthleteParams(200, 60))[0] == men[0]


def test_trimp_clips_the_heart_rate_reserve_to_0_1():
    p = AthleteParams(190, 50, "male")
    # Above the maximum: x = 1: 60 * 1 * 0.64 * e^1.92 = 38.4 * 6.8210 = 261.93
    # Below rest: x = 0: 0. Unknown heart rate: NaN.
    out = trimp([3600, 3600, 3600], [200, 40, np.nan], p)
    assert out[0] == pytest.approx(261.93, abs=0.01)
    assert out[1] == 0.0 and math.isnan(out[2])


def test_trimp_needs_max_and_resting_heart_rate():
    with pytest.raises(LoadError, match="max_hr and rest_hr"):
        trimp([3600], [150], AthleteParams())
    with pytest.raises(LoadError, match="rest_hr"):
        daily_series(build(WEEK), day(7), "trimp", AthleteParams(max_hr=190))


def test_daily_trimp_counts_runs_only():
    acts = [run(0, 10, 60, avg_hr=150), act(1, "cycling", 30, 60, avg_hr=150), run(2, 10, 60)]
    tl = build(acts)
    p = AthleteParams(190, 50, "male")
    d = daily_series(tl, day(2), "trimp", p)
    # Mon: 60 * (100/140) * 0.64 * e^(1.92 * 0.71429) = 27.429 * e^1.3714 = 27.429 * 3.9408 = 108.09
    # Tue: the ride's heart rate is not running load: 0. Wed: a run without heart rate: 0.
    assert d["trimp"].tolist() == pytest.approx([108.09, 0.0, 0.0], abs=0.01)
    assert d["load"].tolist() == d["trimp"].tolist()
    # Without heart-rate settings the TRIMP column is unknown, not 0.
    assert daily_series(tl, day(2))["trimp"].isna().all()


def test_an_activity_of_unknown_sport_is_neither_rest_nor_cross_training():
    # A file that states no sport and allows no inference counts as activity (no rest
    # day) but gives no credit for cross-training.
    from datetime import UTC, date, datetime

    from loadwatch import timeline as tl_mod
    from loadwatch.engine.daily import daily_series
    from loadwatch.importers.base import Activity

    acts = [Activity("gpx", "a.gpx", datetime(2026, 11, 2, 7, tzinfo=UTC), "running",
                     distance_m=5000.0, duration_s=1500.0),
            Activity("gpx", "b.gpx", datetime(2026, 11, 3, 7, tzinfo=UTC), "unknown",
                     duration_s=1800.0)]
    tl = tl_mod.build(acts, "x", tl_mod.resolve_tz("UTC"))
    assert list(tl["sport"]) == ["run", "unknown"]
    d = daily_series(tl, date(2026, 11, 3))
    assert d["rest"].tolist() == [False, False]
    assert d["cross_sessions"].tolist() == [0, 0] and d["cross_duration_s"].tolist() == [0.0, 0.0]


def test_walks_and_hikes_are_time_on_feet_not_cross_training():
    # Mon: a 6 km run of 30 min and a 5 km walk of 60 min; Tue: a 2 h walk and a 45 km,
    # 11 h hike; Wed: a swim of 40 min; Thu: an elliptical session (FIT fitness equipment),
    # alpine skiing (FIT resort) and a nordic ski.
    from datetime import UTC, datetime

    from loadwatch.importers.base import Activity

    def fit(n, sport, sub, minutes):
        return Activity("fit", f"{sport}-{sub}-{n}.fit", datetime(2026, 11, 2 + n, 9, tzinfo=UTC),
                        sport, sub_sport=sub, duration_s=minutes * 60.0)

    acts = [run(0, 6, 30), act(0, "walking", 5, 60, hour=12), act(1, "walking", 8, 120),
            act(1, "hiking", 45, 660, hour=12), act(2, "swimming", 1, 40),
            fit(3, "fitness_equipment", "elliptical", 30), fit(3, "alpine_skiing", "resort", 240),
            fit(3, "cross_country_skiing", "generic", 90)]
    d = daily_series(build(acts), day(3))
    assert d["cross_sessions"].tolist() == [0, 0, 1, 2]  # swim; elliptical and nordic ski
    assert d["cross_duration_s"].tolist() == [0.0, 0.0, 2400.0, 7200.0]
    assert d["walk_sessions"].tolist() == [1, 2, 0, 0]
    assert d["walk_duration_s"].tolist() == [3600.0, 46800.0, 0.0, 0.0]
    # Time on feet: the run's 30 min and the walks' and hikes' time.
    assert d["time_on_feet_s"].tolist() == [5400.0, 46800.0, 0.0, 0.0]
    # The day's longest walk or hike: Tuesday's hike, 45 km in 11 h.
    assert d["longest_walk_s"].tolist() == [3600.0, 39600.0, 0.0, 0.0]
    assert d["longest_walk_m"].tolist() == [5000.0, 45000.0, 0.0, 0.0]
    assert d["longest_walk_hike"].tolist() == [False, True, False, False]
    assert d["rest"].tolist() == [False] * 4


def test_the_analysis_daily_frame_is_its_arrays_from_its_first_day():
    # The engine hands the rules the daily columns as arrays with the first day's number;
    # the frame, built when read, is the daily series with the engine's extra columns.
    from loadwatch import engine
    from loadwatch.engine import calendar

    for as_of in (day(7), day(1)):
        a = engine.analyse(build(WEEK), as_of)
        d = a.daily
        assert list(d.columns) == [*DAILY_COLUMNS, "streak", "days_since_rest",
                                   "days_since_cross", "acwr"]
        assert a.n_days == len(d) and calendar.to_date(a.days_start) == d.index[0].date()
        pd.testing.assert_frame_equal(d[list(DAILY_COLUMNS)], daily_series(build(WEEK), as_of))
        for c in d.columns:
            assert d[c].to_numpy().tobytes() == np.asarray(a.days_arrays[c]).tobytes(), c
