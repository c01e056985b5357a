"""Worked examples for loadwatch.verdict.next_week: each weekly rule (step, cap, dip, return,
hold, stop), the longest run with and without spikes, and what is left of this week, through
:func:`loadwatch.verdict.next_week.plan` on hand-made runs.

Day 0 is Mon 2 Nov 2026 (:mod:`tests.activities`). The runs start on day 1 (a Tuesday), so
the week of day 0 is not complete and the complete weeks are those of days 7, 14, ... The
CLI-level tests of the same numbers (rounded down, in every format) are in test_cli_edges.py
and test_returns.py."""

import pytest

from loadwatch import engine
from loadwatch.verdict import next_week
from tests.activities import build, day, run


def weeks(n, short=6, long=12, first=0):
    """``n`` weeks from week ``first``: ``short`` km on Tuesday and Thursday, ``long`` km on
    Sunday."""
    return [r for w in range(first, first + n)
            for r in (run(7 * w + 1, short), run(7 * w + 3, short), run(7 * w + 6, long))]


def plan(acts, as_of, **kw):
    analysis = engine.analyse(build(acts), day(as_of))
    return next_week.plan(analysis, day(as_of), "km", **kw)


def line(nw, start):
    (found,) = [x for x in nw.lines if x.startswith(start)]
    return found


# -- the weekly rules ----------------------------------------------------------------------

def test_step_ten_percent_over_last_week():
    # Six weeks of 6 + 6 + 12 = 24 km, as of Sun 13 Dec (day 41). Step: 24 x 1.1 = 26.4 km;
    # cap: 24 x 1.2 = 28.8 km; the step is lower.
    nw = plan(weeks(6), 41)
    assert nw.status == "build"
    assert nw.weekly_distance_max_m == pytest.approx(26400)
    assert nw.weekly_basis == {"rule": "step", "last_week_m": 24000, "mean_4_weeks_m": 24000,
                               "week": "2026-W50"}
    assert line(nw, "Weekly").startswith("Weekly distance: up to 26.4 km, about 10% over your "
                                         "last complete week (24.0 km in 2026-W50).")
    assert nw.to_json(1000.0)["weekly_distance_max"] == 26.4


def test_cap_twenty_percent_over_the_recent_mean():
    # Complete weeks of 4 + 4 + 12 = 20, 20 km, then 9 + 9 + 12 = 30 km; as of Sun 29 Nov
    # (day 27). Step: 30 x 1.1 = 33 km; cap: (20 + 20 + 30) / 3 = 23.33 km x 1.2 = 28 km,
    # less than last week itself.
    nw = plan(weeks(3, short=4) + weeks(1, short=9, first=3), 27)
    assert nw.weekly_distance_max_m == pytest.approx(28000)
    assert nw.weekly_basis == {"rule": "cap", "last_week_m": 30000, "mean_4_weeks_m": 23333,
                               "week": "2026-W48"}
    assert line(nw, "Weekly").startswith(
        "Weekly distance: up to 28.0 km, 20% over your mean of the last 3 complete weeks "
        "(23.3 km), less than last week's 30.0 km: the recent weeks grew fast")


def test_dip_counts_from_the_usual_week():
    # Complete weeks of 14 + 14 + 12 = 40 km, then one of 4 + 4 + 12 = 20 km (under 0.8 x 40):
    # a short dip. From the higher of last week (20) and the usual (40): 40 x 1.1 = 44 km,
    # under the cap max(4-week mean 35, usual 40) x 1.2 = 48 km.
    nw = plan(weeks(4, short=14) + weeks(1, short=4, first=4), 34)
    assert nw.weekly_distance_max_m == pytest.approx(44000)
    basis = nw.weekly_basis
    assert (basis["rule"], basis["bound"], basis["usual_m"], basis["last_week_m"],
            basis["mean_4_weeks_m"]) == ("dip", "step", 40000, 20000, 35000)
    assert line(nw, "Weekly").startswith("Weekly distance: up to 44.0 km, about 10% over your "
                                         "usual 40.0 km.")


def test_return_during_a_break():
    # Complete weeks of 9 + 9 + 12 = 30 km; the last run on Sun 29 Nov (day 27); as of day 41,
    # 14 days without running: a break. First week back: 0.5 x 30 = 15 km.
    nw = plan(weeks(4, short=9), 41)
    assert nw.weekly_distance_max_m == pytest.approx(15000)
    assert nw.weekly_basis == {"rule": "return", "pre_break_week_m": 30000, "fraction": 0.5,
                               "weeks_back": 0, "break_start": "2026-11-30", "last_week_m": 0}
    assert "Coming back from the break that began on Mon 30 Nov: no week back yet" in \
        line(nw, "Weekly")


def test_return_one_week_back():
    # The same 30 km weeks, then 5 + 5 + 5 = 15 km in the week of day 49, as of its Sunday
    # (day 55): one week back, 0.5 + 0.1 = 60% of 30 = 18 km (last week's 50% + 10 points is
    # the same); not over 1.3 x 15 = 19.5 km.
    nw = plan(weeks(4, short=9) + weeks(1, short=5, long=5, first=7), 55)
    assert nw.weekly_distance_max_m == pytest.approx(18000)
    assert (nw.weekly_basis["fraction"], nw.weekly_basis["weeks_back"]) == (0.6, 1)
    assert line(nw, "Weekly").startswith("Weekly distance: up to 18.0 km, 60% of your usual "
                                         "30.0 km. Building back after the break of Mon 30 Nov")


@pytest.mark.parametrize(("pain_now", "status", "ceiling"),
                         [(3, "hold", 24000), (2, "build", 26400), (None, "build", 26400)])
def test_hold_while_pain_of_3_goes_on(pain_now, status, ceiling):
    # 24 km weeks: pain 3/10 (PAIN_HOLD) holds last week's 24 km; 2/10 steps to 26.4 km. The
    # long-run ceiling stays 1.1 x 12 = 13.2 km either way.
    nw = plan(weeks(6), 41, pain_now=pain_now)
    assert (nw.status, nw.weekly_basis["rule"]) == (status, "hold" if status == "hold" else "step")
    assert nw.weekly_distance_max_m == pytest.approx(ceiling)
    assert nw.longest_run_m == pytest.approx(13200)
    if status == "hold":
        assert nw.lines[0].startswith("No increase while the pain goes on (3/10 in your diary)")


def test_stop_after_a_red_flag():
    nw = plan(weeks(6), 41, stop=True)
    assert (nw.status, nw.weekly_basis, nw.longest_run_m, nw.weekly_distance_max_m) == (
        "stop", {"rule": "stop"}, None, None)
    assert nw.lines == ["No running until the red flag in your pain diary has been checked by a "
                        "sports physical therapist or doctor: the numbers come back after that "
                        "('loadwatch pain add --athlete DIR --assessed')."]
    assert nw.this_week is None


def test_no_runs_no_ceilings():
    nw = plan([], 41)
    assert (nw.longest_run_m, nw.weekly_distance_max_m, nw.weekly_basis) == (None, None,
                                                                             {"rule": "none"})
    assert line(nw, "No run in the data").endswith("start short (about 30 minutes) and build "
                                                   "from there.")


# -- the longest run -------------------------------------------------------------------------

def test_longest_run_without_spikes():
    # Every Sunday 12 km: 1.1 x 12 = 13.2 km, against the first of the longest in the 30 days
    # to day 41 (days 12-41): Sun 15 Nov (day 13).
    nw = plan(weeks(6), 41)
    assert nw.longest_run_m == pytest.approx(13200)
    assert (nw.reference["date"], nw.reference["distance_m"], nw.reference["window_days"]) == (
        "2026-11-15", 12000, 30)
    assert line(nw, "Longest").startswith("Longest run: up to 13.2 km, 1.1x your longest run of "
                                          "the last 30 days that was not itself a spike (12.0 km "
                                          "on Sun 15 Nov).")
    assert "spike and does not count" not in line(nw, "Longest")


def test_longest_run_leaves_a_spike_out():
    # 12 km Sundays, then 16 km on day 41: 16 / 12 = 1.33x, a spike. The ceiling stays
    # 1.1 x 12 = 13.2 km (not 1.1 x 16 = 17.6) and the line says why.
    nw = plan(weeks(5) + [run(36, 6), run(38, 6), run(41, 16)], 41)
    assert nw.longest_run_m == pytest.approx(13200)
    assert nw.reference["distance_m"] == 12000
    assert ("1 longer run in that time was a spike and does not count: loadwatch's own, "
            "conservative rule (advice)") in line(nw, "Longest")


def test_longest_run_falls_back_to_90_days_when_every_run_was_a_spike():
    # Three weeks to Sun 22 Nov, then only 16 km on day 60: the one run of the 30 days to
    # day 62 is a spike, so the reference is the longest adapted run of 90 days: 12 km on
    # Sun 8 Nov (day 6), 1.1 x 12 = 13.2 km.
    nw = plan(weeks(3) + [run(60, 16)], 62)
    assert nw.longest_run_m == pytest.approx(13200)
    assert (nw.reference["date"], nw.reference["window_days"]) == ("2026-11-08", 90)
    assert line(nw, "Longest").endswith("Every run of the last 30 days was a spike, so the "
                                        "reference is the longest adapted run of the last 90 "
                                        "days.")


def test_longest_run_by_time_without_distances():
    # Sunday runs of 60 minutes with no distance: 1.1 x 60 = 66 min, "1h06".
    nw = plan([run(7 * w + 6, None, 60) for w in range(6)], 41)
    assert (nw.longest_run_m, nw.longest_run_s) == (None, pytest.approx(3960))
    assert line(nw, "Longest").startswith("Longest run: up to 1h06, 1.1x your longest run")


# -- this week ---------------------------------------------------------------------------------

def test_this_week_before_sunday():
    # Six 24 km weeks, then 6 km on Tuesday and Wednesday (days 43, 44); as of Wednesday. This
    # week's ceiling from the complete weeks before it: 24 x 1.1 = 26.4 km; 12 km so far,
    # 14.4 km left.
    nw = plan(weeks(6) + [run(43, 6), run(44, 6)], 44)
    assert nw.this_week == pytest.approx({"so_far_m": 12000, "max_m": 26400, "left_m": 14400})
    assert nw.lines[0].startswith("This week so far (Mon to Wed 16 Dec): 12.0 km of up to "
                                  "26.4 km this week: up to 14.4 km left, longest run up to "
                                  "13.2 km")
    assert nw.to_json(1000.0)["this_week"] == {"so_far_m": 12000, "max_m": 26400,
                                               "left_m": 14400, "so_far": 12.0, "max": 26.4,
                                               "left": 14.4}


def test_this_week_is_none_on_a_sunday():
    assert plan(weeks(6), 41).this_week is None
