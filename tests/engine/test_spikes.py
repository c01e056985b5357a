"""Worked examples for loadwatch.engine.spikes: Frandsen's single-run spike, the return and
duration rules, band edges and the reference run's day. Every expected number is derived by
hand in the comment beside it."""

import math
from datetime import date

import pandas as pd
import pytest

from loadwatch import engine
from loadwatch.engine.spikes import SPIKE_COLUMNS, category, spike_table
from tests.activities import build, day, run


def table(activities, as_of=None):
    return spike_table(build(activities), as_of)


def dates(series):
    return [None if pd.isna(t) else pd.Timestamp(t).date() for t in series]


# -- the Frandsen reference: days D-30..D-1 --------------------------------------------------

def test_reference_is_the_longest_run_of_days_d30_to_d1():
    # Day 0 10 km, day 20 5 km, day 30 8 km, day 31 8.5 km at 07:00 and 9 km at 18:00.
    s = table([run(0, 10), run(20, 5), run(30, 8), run(31, 8.5), run(31, 9, hour=18)])
    assert list(s.columns) == list(SPIKE_COLUMNS)
    assert s["kind"].tolist() == ["long_run"] * 5
    assert s["measure"].tolist() == ["distance"] * 5
    # Day 0: the first run, no reference. Day 20: 5 / 10 = 0.5 (day 0 is D-20).
    # Day 30: days 0-29 -> 10 km (day 0 is D-30, still in): 8 / 10 = 0.8.
    # Day 31: days 1-30 -> max(5, 8) = 8 km (day 0 is D-31, out): 8.5 / 8 = 1.0625.
    # Day 31, second run: the same day is excluded (not the 8.5 km of the morning):
    # 9 / 8 = 1.125, small (9 / 8.5 = 1.059 would be none).
    assert s["reference"].tolist()[1:] == [10000.0, 10000.0, 8000.0, 8000.0]
    assert math.isnan(s["reference"].iloc[0])
    assert s["spike_ratio"].round(6).tolist()[1:] == [0.5, 0.8, 1.0625, 1.125]
    assert pd.isna(s["spike"].iloc[0])
    assert s["spike"].tolist()[1:] == ["none", "none", "none", "small"]
    # The reference run's day: day 0, day 0, day 30, day 30.
    assert dates(s["reference_date"]) == [None, day(0), day(0), day(30), day(30)]


def test_the_same_day_never_serves_as_its_own_reference():
    # Two runs on day 5: 4 km, then 12 km. The 12 km run's reference is day 2's 6 km run,
    # not the 4 km of the morning: 12 / 6 = 2.0 (moderate, not 3.0).
    s = table([run(2, 6), run(5, 4), run(5, 12, hour=17)])
    assert s["spike_ratio"].tolist()[1:] == [4 / 6, 2.0]
    assert s["spike"].tolist()[1:] == ["none", "moderate"]


def test_bands_and_their_edges():
    # References of 10 km: 11 km is 1.1 (none: the edge belongs to the band below);
    # 13 km 1.3 (small); 20 km 2.0 (moderate); 20.2 km 2.02 (large). Each edge allows
    # 0.5% of itself (GPS noise): 11.05 km (1.105) is none, 20.1 km (2.01) moderate.
    for km, band in ((11, "none"), (11.05, "none"), (11.1, "small"), (13, "small"),
                     (13.1, "moderate"), (20, "moderate"), (20.1, "moderate"),
                     (20.2, "large")):
        s = table([run(0, 10), run(3, km)])
        assert s["spike"].iloc[1] == band, km


def test_band_edges_allow_for_floating_point():
    # 2.99 / 2.3 is 1.3000000000000003 in floats but 1.3 in decimals: small, not moderate.
    assert 2.99 / 2.3 > 1.3
    s = table([run(0, 2.3), run(1, 2.99)])
    assert s["spike"].iloc[1] == "small"
    assert category(2.99 / 2.3) == "small"
    # Within 1e-9 of an edge counts as on it; 1e-6 above it is above it.
    assert category(1.1 + 5e-10) == "none" and category(1.1 + 1e-6) == "small"
    assert category(2.0 + 5e-10) == "moderate" and category(2.0 + 1e-6) == "large"
    assert category(float("nan")) is None and category(float("inf")) is None


# -- return runs ----------------------------------------------------------------------------

def test_a_return_after_30_days_without_running_uses_the_90_days_before_the_break():
    # Runs on days 0 (10 km), 20 (16 km), 40 (6 km); nothing on days 41-70 (30 days); a
    # 12 km run on day 71. Its 30 days before hold no run, so it is a return; P = day 40,
    # the reference is the longest of days P-89..P: max(10, 16, 6) = 16 km (day 20).
    # 12 / 16 = 0.75.
    s = table([run(0, 10), run(20, 16), run(40, 6), run(71, 12)])
    last = s.iloc[-1]
    assert last["kind"] == "return"
    assert last["reference"] == 16000.0
    assert last["spike_ratio"] == pytest.approx(0.75)
    assert last["spike"] == "none"
    assert dates(s["reference_date"])[-1] == day(20)
    # A 20 km first run back: 20 / 16 = 1.25, small.
    s = table([run(0, 10), run(20, 16), run(40, 6), run(71, 20)])
    assert (s["kind"].iloc[-1], s["spike_ratio"].iloc[-1], s["spike"].iloc[-1]) == (
        "return", 1.25, "small")


def test_29_days_without_running_is_not_a_return():
    # Day 70 instead: days 41-69 are 29 days without running; the ordinary rule applies, with
    # days 40-69 in the window: 12 / 6 = 2.0.
    s = table([run(0, 10), run(20, 16), run(40, 6), run(70, 12)])
    assert s["kind"].iloc[-1] == "long_run"
    assert s["reference"].iloc[-1] == 6000.0 and s["spike_ratio"].iloc[-1] == 2.0


def test_the_return_reference_window_is_90_days_ending_on_the_last_run_before_the_break():
    # 30 km on day 0; 10 km on day 89 (itself a return, against day 0: 10 / 30);
    # 12 km on day 125 (days 90-124 empty: 35 days). P = 89, window days 0-89: day 0 is in,
    # reference 30 km: 12 / 30 = 0.4.
    s = table([run(0, 30), run(89, 10), run(125, 12)])
    assert s["kind"].tolist() == ["long_run", "return", "return"]
    assert s["spike_ratio"].round(6).tolist()[1:] == [round(10 / 30, 6), 0.4]
    # The same with the 10 km run on day 90: P = 90, window days 1-90, day 0 is out:
    # reference 10 km, 12 / 10 = 1.2, small.
    s = table([run(0, 30), run(90, 10), run(125, 12)])
    assert s["reference"].iloc[-1] == 10000.0
    assert s["spike_ratio"].iloc[-1] == pytest.approx(1.2)
    assert dates(s["reference_date"])[-1] == day(90)


# -- duration runs --------------------------------------------------------------------------

def test_runs_without_distance_are_measured_on_duration():
    # Day 0 a road run, 10 km in 50 min; day 2 a treadmill run of 75 min without distance;
    # day 4 a road run of 12 km in 60 min.
    s = table([run(0, 10, 50), run(2, None, 75), run(4, 12, 60)])
    assert s["kind"].tolist() == ["long_run", "duration", "long_run"]
    assert s["measure"].tolist() == ["distance", "duration", "distance"]
    # The treadmill run against the longest run by time of days -28..1: 50 min (the road run
    # counts for time): 4500 / 3000 = 1.5, moderate.
    assert s["value"].iloc[1] == 4500.0 and s["reference"].iloc[1] == 3000.0
    assert (s["spike_ratio"].iloc[1], s["spike"].iloc[1]) == (1.5, "moderate")
    # The road run on day 4 against distances only: 12 / 10 = 1.2 (the treadmill run has none).
    assert s["reference"].iloc[2] == 10000.0 and s["spike_ratio"].iloc[2] == pytest.approx(1.2)


def test_duration_falls_back_to_elapsed_time_and_a_run_with_neither_is_left_out():
    # Day 0 treadmill 40 min; day 1 elapsed 60 min only; day 2 neither distance nor time.
    s = table([run(0, None, 40), run(1, None, None, elapsed_min=60), run(2)])
    assert len(s) == 2
    assert s["duration_s"].tolist() == [2400.0, 3600.0]
    assert s["spike_ratio"].iloc[1] == 1.5  # 60 / 40


# -- report date ----------------------------------------------------------------------------

def test_runs_after_the_report_date_are_left_out():
    acts = [run(0, 10), run(3, 12), run(6, 30)]
    assert len(table(acts, day(5))) == 2
    assert table(acts, day(6))["spike"].iloc[-1] == "large"  # 30 / 12 = 2.5


# -- sessions: same-day runs a short stop apart (loadwatch's rule) ---------------------------

def test_runs_a_short_stop_apart_are_one_session():
    # 10 km on day 0. Day 3: 6 km from 07:00 for 30 min, then 6 km from 08:00 (a 30-minute
    # stop, at the limit): one 12 km session, 1.2x. Day 6: the same with a 31-minute stop:
    # two runs of 0.6x. Day 9: the second starts 10 minutes before the first ended (an
    # overlapping recording): two runs, never 12 km counted from partly the same time.
    s = table([run(0, 10, 60), run(3, 6, 30), run(3, 6, 30, hour=8),
               run(6, 6, 29), run(6, 6, 30, hour=8), run(9, 6, 70), run(9, 6, 30, hour=8)])
    assert s["parts"].tolist() == [1, 2, 1, 1, 1, 1]
    assert s["distance_m"].tolist() == [10000, 12000, 6000, 6000, 6000, 6000]
    assert s["spike_ratio"].round(3).tolist()[1:] == [1.2, 0.5, 0.5, 0.5, 0.5]
    assert s["duration_s"].iloc[1] == 3600 and s["spike"].iloc[1] == "small"
    # A run without a distance does not join one with a distance.
    s = table([run(0, 10, 60), run(3, 6, 30), run(3, None, 30, hour=8)])
    assert s["parts"].tolist() == [1, 1, 1]


# -- the arrays the engine hands to the rules -------------------------------------------------

def test_the_analysis_spike_columns_are_the_table_columns_as_arrays():
    # A first run (no reference), a session of two parts, a run without a distance and a
    # return after a break: every kind of row, and the words' missing values (NaN).
    tl = build([run(0, 10, 60), run(3, 6, 30), run(3, 6, 30, hour=8), run(5, None, 70),
                run(60, 9, 50)])
    a = engine.analyse(tl, day(60))
    s = a.spikes
    assert len(s) == 4 and set(s["kind"]) == {"long_run", "duration", "return"}
    for c in SPIKE_COLUMNS:
        expected, got = s[c].to_numpy(), a.spike_columns[c]
        assert got.dtype == expected.dtype, c
        assert [repr(v) for v in got.tolist()] == [repr(v) for v in expected.tolist()], c
    assert a.spike_columns["day"].tolist() == [
        (d - day(0)).days + (day(0) - date(1970, 1, 1)).days for d in dates(s["date"])]
    assert a.spike_columns["by_distance"].tolist() == (s["measure"] == "distance").tolist()
    assert engine.analyse(build([]), day(0)).spike_columns == {}
