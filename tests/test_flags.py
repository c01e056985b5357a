"""Worked examples for loadwatch.flags: each rule's episode (start, last_date, value, threshold,
kind, severity, steps), stable identities, severity_on, visibility windows, week_to_date and
Thresholds.from_mapping. Every expected number is derived by hand in the comment beside it.

Day 0 is Mon 2 Nov 2026 (tests.activities); day 7, 14, ... are Mondays."""

from datetime import timedelta

import pandas as pd
import pytest

from loadwatch import engine, flags
from loadwatch.engine import AthleteParams
from loadwatch.flags import RULES, Thresholds, evaluate, visible, week_to_date
from tests.activities import act, build, day, run


def flags_of(activities, as_of, code, athlete=None):
    analysis = engine.analyse(build(activities), as_of, athlete=athlete)
    return [f for f in evaluate(analysis) if f.code == code]


def shown(activities, as_of, code):
    analysis = engine.analyse(build(activities), as_of)
    return [f for f in visible(evaluate(analysis), as_of) if f.code == code]


# -- spikes ---------------------------------------------------------------------------------

SPIKE = [run(0, 10), run(3, 10), run(7, 10), run(10, 25)]


def test_a_large_long_run_spike_is_one_day_of_evidence():
    (f,) = flags_of(SPIKE, day(10), "long_run_spike")
    # 25 km against the 10 km of days -20..9: 2.5 > 2.0, high.
    assert (f.kind, f.severity, f.evidence) == ("evidence", "high", "strong")
    assert (f.start, f.last_date) == (day(10), day(10))
    assert f.value == 2.5 and f.threshold == 2.0
    assert f.steps == (("high", day(10)),)
    tl = build(SPIKE)
    assert f.activity_id == tl["activity_id"].iloc[-1]
    assert "2.50x your longest run of the 30 days before it (10.0 km on Mon 9 Nov)" in f.message


def test_spike_thresholds_are_the_band_edges():
    # 12 km: 1.2 > 1.1, caution with threshold 1.1; 11 km: exactly 1.1, no flag.
    (f,) = flags_of([*SPIKE[:3], run(10, 12)], day(10), "long_run_spike")
    assert (f.severity, f.value, f.threshold) == ("caution", 1.2, 1.1)
    assert flags_of([*SPIKE[:3], run(10, 11)], day(10), "long_run_spike") == []


def test_return_and_duration_spikes_have_their_codes():
    # 16 km on day 0, nothing for 40 days, 20 km on day 41: 20 / 16 = 1.25, a return spike.
    (f,) = flags_of([run(0, 16), run(41, 20)], day(41), "return_spike")
    assert (f.kind, f.severity, f.evidence, f.value) == ("evidence", "caution", "advice", 1.25)
    # A 60-min treadmill run two days after a 40-min one: 1.5, a duration spike.
    (f,) = flags_of([run(0, None, 40), run(2, None, 60)], day(2), "duration_spike")
    assert (f.kind, f.severity, f.evidence, f.value) == ("evidence", "caution", "moderate", 1.5)
    assert "measured by time" in f.message


# -- weekly distance ------------------------------------------------------------------------

# Week 1: Mon 5, Wed 5, Fri 5, Sat 5 = 20 km. Week 2: Mon 5, Wed 5, Fri 5, Sat 8, Sun 4.
# Week 2 so far against the same days of week 1 (and the whole of week 1, 20 km):
#   Mon-Fri 5/5, 10/10, 15/15: 0%.
#   Sat 14 Nov: 23 vs 20 = +15% (> 10%), and 23 > 20: caution.
#   Sun 15 Nov: 27 vs 20 (week 1's Sunday was empty) = +35% (> 30%): high.
ESCALATING = [run(0, 5), run(2, 5), run(4, 5), run(5, 5),
              run(7, 5), run(9, 5), run(11, 5), run(12, 8), run(13, 4)]


def test_a_weekly_jump_escalates_without_moving_its_start():
    (sat,) = flags_of(ESCALATING, day(12), "weekly_distance_jump")
    assert (sat.kind, sat.severity, sat.start, sat.last_date) == (
        "habit", "caution", day(12), day(12))
    assert sat.value == pytest.approx(15.0) and sat.threshold == 10.0
    (sun,) = flags_of(ESCALATING, day(13), "weekly_distance_jump")
    assert (sun.kind, sun.severity, sun.start, sun.last_date) == (
        "evidence", "high", day(12), day(13))
    assert sun.value == pytest.approx(35.0) and sun.threshold == 30.0
    assert sun.steps == (("caution", day(12)), ("high", day(13)))
    # The caution step keeps its identity; the escalation adds one.
    assert sat.identity == "weekly_distance_jump:2026-11-14:caution"
    assert [i for i, _, _ in sun.identities()] == [
        "weekly_distance_jump:2026-11-14:caution", "weekly_distance_jump:2026-11-14:high"]
    assert sun.severity_on(day(11)) is None
    assert sun.severity_on(day(12)) == "caution" and sun.severity_on(day(13)) == "high"


# Week 1: Mon 4, Tue 4, Thu 4, Sun 12 = 24 km. Week 2: Mon 4, Tue 4, Wed 14, Thu 4, Sun 2.
#   Wed: 22 vs 8, but 22 <= 24 (all of week 1): not yet a jump.
#   Thu 12 Nov: 26 vs 12 = +116.7%, 26 > 24: high; Fri, Sat the same.
#   Sun 15 Nov: 28 vs 24 = +16.7%: back to caution.
FALLING = [run(0, 4), run(1, 4), run(3, 4), run(6, 12),
           run(7, 4), run(8, 4), run(9, 14), run(10, 4), run(13, 2)]


def test_a_weekly_jump_that_falls_back_keeps_its_peak_and_traces_the_days():
    (f,) = flags_of(FALLING, day(13), "weekly_distance_jump")
    assert (f.kind, f.severity, f.start, f.last_date) == ("evidence", "high", day(10), day(13))
    assert f.value == pytest.approx(14 / 12 * 100)  # the peak, (26 - 12) / 12
    assert f.steps == (("high", day(10)),)
    assert f.trace == ((day(10), "high"), (day(13), "caution"))
    assert [f.severity_on(day(n)) for n in range(9, 14)] == [
        None, "high", "high", "high", "caution"]
    assert "17% more than the week before" in f.message and "117% up earlier" in f.message


def test_the_5_km_floor_keeps_novices_but_not_1_km_weeks():
    # 2 + 2 = 4 km, then 2 + 2 + 2 = 6 km (+50%): the base of 4 km is under 5 km, no flag.
    small = [run(1, 2), run(3, 2), run(8, 2), run(10, 2), run(12, 2)]
    assert flags_of(small, day(13), "weekly_distance_jump") == []
    # 3 + 3 = 6 km, then 3 + 3 + 3 = 9 km (+50%): a novice doubling from 6 km counts.
    novice = [run(0, 3), run(3, 3), run(7, 3), run(10, 3), run(12, 3)]
    (f,) = flags_of(novice, day(13), "weekly_distance_jump")
    assert (f.severity, f.start) == ("high", day(12))  # Sat: 9 vs 6, +50%, 9 > 6
    assert f.value == pytest.approx(50.0)


# -- cumulative ramp ------------------------------------------------------------------------

def test_two_weeks_over_20_percent_are_an_evidence_ramp():
    # Week 1: Mon 5, Thu 5 = 10 km; week 2: Mon 5, Thu 7.5 = 12.5 (+25%); week 3: Mon 5,
    # Thu 5, Sat 5.5 = 15.5 (+24%). The second week over 20% ends on Sun 22 Nov.
    acts = [run(0, 5), run(3, 5), run(7, 5), run(10, 7.5), run(14, 5), run(17, 5), run(19, 5.5)]
    (f,) = flags_of(acts, day(20), "cumulative_ramp")
    assert (f.kind, f.severity, f.start, f.last_date) == ("evidence", "high", day(20), day(20))
    # Growth over both weeks: 15.5 / 10 - 1 = +55%
    assert f.value == pytest.approx(55.0) and f.threshold == 20.0
    assert f.steps == (("high", day(20)),)
    assert "(+25%, +24%)" in f.message


def test_three_weeks_over_10_percent_are_a_habit_ramp():
    # 10 -> 11.5 (+15%) -> 13 (+13.0%) -> 14.5 (+11.5%) km: the third such week, Sun 29 Nov.
    acts = [run(0, 5), run(3, 5), run(7, 5), run(10, 6.5), run(14, 5), run(17, 8),
            run(21, 5), run(24, 9.5)]
    (f,) = flags_of(acts, day(27), "cumulative_ramp")
    assert (f.kind, f.severity, f.start, f.last_date) == ("habit", "caution", day(27), day(27))
    # 14.5 / 10 - 1 = +45%
    assert f.value == pytest.approx(45.0) and f.threshold == 10.0


# -- time, climbing and intensity ---------------------------------------------------------

def test_duration_and_elevation_jumps():
    # Week 1: Mon and Wed, 10 km in 60 min with 100 m up: 120 min, 200 m.
    # Week 2: the same and Sat 40 min with 100 m: on Sat 160 vs 120 min (+33.3%, base 120 >= 60
    # min) and 300 vs 200 m (+50%, base 200 >= 200 m); both go on through Sunday.
    acts = [run(0, 10, 60, climb=100.0), run(2, 10, 60, climb=100.0),
            run(7, 10, 60, climb=100.0), run(9, 10, 60, climb=100.0),
            run(12, 6, 40, climb=100.0)]
    (d,) = flags_of(acts, day(13), "duration_jump")
    assert (d.kind, d.severity, d.start, d.last_date) == ("habit", "caution", day(12), day(13))
    assert d.value == pytest.approx(40 / 120 * 100) and d.threshold == 30.0
    (e,) = flags_of(acts, day(13), "elevation_jump")
    assert (e.start, e.last_date, e.value, e.threshold) == (day(12), day(13), 50.0, 30.0)


def test_intensity_jump_counts_hard_runs():
    # Max 200, rest 50: hard at 0.8 * 150 + 50 = 170 bpm. Weeks 1-2: Mon, Wed, Fri at 140 bpm
    # (0 hard); week 3: Mon and Wed at 175, Fri at 140 (2 hard). Usual: mean(0, 0) = 0;
    # 2 >= 0 + 2 and 2 >= 2: flagged for the week (Mon 16 to Sun 22 Nov).
    acts = [run(d, 10, 60, avg_hr=175 if d in (14, 16) else 140)
            for w in range(3) for d in (7 * w, 7 * w + 2, 7 * w + 4)]
    (f,) = flags_of(acts, day(20), "intensity_jump", AthleteParams(200, 50))
    assert (f.kind, f.severity, f.start, f.last_date) == ("habit", "caution", day(14), day(20))
    assert (f.value, f.threshold) == (2.0, 2.0)
    assert "80% of your heart-rate reserve" in f.message


# -- habits ---------------------------------------------------------------------------------

def test_acwr_episode_steps_and_value_on_the_report_day():
    # 2 km a day for 42 days, then 4 km a day (see tests/engine/test_ratios.py): with
    # q = 27/29 the chronic EWMA rises as 4 - 2 q^k, and
    #   day 44 (Wed 16 Dec): A = 20/7 = 2.857, C = (8 + 2.1379 + 2.2663 + 2.3859) / 7 = 2.1129:
    #     1.352 > 1.3, caution;
    #   day 46 (Fri 18 Dec): A = 24/7 = 3.4286, C = (4 + 11.8883) / 7 = 2.2698: 1.5105 >= 1.5,
    #     high;
    #   day 48 (Sun 20 Dec): 4 / 2.4818 = 1.6117, the peak and today's value.
    acts = [run(n, 2 if n < 42 else 4) for n in range(49)]
    (f,) = flags_of(acts, day(48), "acwr_high")
    assert (f.kind, f.evidence, f.severity) == ("habit", "limited", "high")
    assert (f.start, f.last_date) == (day(44), day(48))
    assert f.steps == (("caution", day(44)), ("high", day(46)))
    assert f.value == pytest.approx(1.6117, abs=1e-4) and f.threshold == 1.5
    assert "is 1.61 today" in f.message


def test_monotony_is_one_episode_dated_by_complete_weeks():
    # 8 km every day from Mon 2 Nov: weeks 1 and 2 are flat (monotony capped at 10); week 3 is
    # in progress and has none. One flag from Sun 8 Nov to Sun 15 Nov, the same on Wed and Thu.
    acts = [run(n, 8) for n in range(18)]
    (wed,) = flags_of(acts, day(16), "monotony_high")
    (thu,) = flags_of(acts, day(17), "monotony_high")
    assert (wed.start, wed.last_date) == (day(6), day(13))
    assert (wed.kind, wed.severity, wed.value, wed.threshold) == ("habit", "caution", 10.0, 2.0)
    assert wed.identity == thu.identity == "monotony_high:2026-11-08:caution"
    assert "the same load every day" in wed.message


def test_run_streak_no_rest_and_no_cross_training():
    # Runs on days 0-2 and 4-20, a ride on day 5 as well, nothing on day 3.
    acts = [run(n, 6) for n in range(21) if n != 3] + [act(5, "cycling", 20, 60, hour=17)]
    a = engine.analyse(build(acts), day(20))
    got = {f.code: f for f in evaluate(a)}
    # Streak: days 4-20 are 17 run days; 7 on day 10 (caution), 14 on day 17 (high).
    s = got["run_streak"]
    assert (s.start, s.last_date, s.value) == (day(10), day(20), 17.0)
    assert s.steps == (("caution", day(10)), ("high", day(17))) and s.threshold == 14.0
    # No rest: day 3 was rest; 7 days since on day 10, 17 on day 20.
    n = got["no_rest_day"]
    assert (n.start, n.last_date, n.value, n.threshold) == (day(10), day(20), 17.0, 7.0)
    # No cross-training: the 14 days ending on day 19 (days 6-19) are the first without one;
    # on day 20 it has been 20 - 5 = 15 days.
    c = got["no_cross_training"]
    assert (c.start, c.last_date, c.value, c.threshold) == (day(19), day(20), 15.0, 14.0)
    assert (c.kind, c.severity) == ("habit", "info")


# -- identity and visibility ----------------------------------------------------------------

def test_identities_are_stable_from_one_day_to_the_next():
    acts = [run(n, 8) for n in range(25)] + [run(25, 20)]
    today = evaluate(engine.analyse(build(acts), day(25)))
    tomorrow = evaluate(engine.analyse(build(acts), day(26)))
    later = {i for f in tomorrow for i, _, _ in f.identities()}
    assert {f.identity for f in today} <= later


def test_spikes_and_weekly_jumps_stay_visible_14_days():
    # The spike of day 10 is shown up to day 23 (13 days later), not on day 24.
    assert len(shown(SPIKE, day(23), "long_run_spike")) == 1
    assert shown(SPIKE, day(24), "long_run_spike") == []
    # The weekly jump last held on day 13: shown to day 26, not day 27.
    assert len(shown(ESCALATING, day(26), "weekly_distance_jump")) == 1
    assert shown(ESCALATING, day(27), "weekly_distance_jump") == []
    assert RULES["long_run_spike"].visible_days == RULES["weekly_distance_jump"].visible_days == 14


def test_habits_stay_visible_7_days():
    # 8 km a day on days 0-13, then nothing: monotony last held on Sun 15 Nov (day 13),
    # shown to day 19, not day 20.
    acts = [run(n, 8) for n in range(14)]
    assert len(shown(acts, day(19), "monotony_high")) == 1
    assert shown(acts, day(20), "monotony_high") == []
    assert all(RULES[c].visible_days == 7 for c in ("acwr_high", "monotony_high", "run_streak",
                                                      "no_rest_day", "no_cross_training"))


# -- week_to_date ---------------------------------------------------------------------------

def test_week_to_date_needs_last_week_whole():
    # 1 a day from Wed 4 Nov to Wed 18 Nov.
    days = pd.date_range("2026-11-04", "2026-11-18")
    w = week_to_date(pd.DataFrame({"x": 1.0}, index=days), "x")
    # Tue 10 Nov: Mon-Tue so far 2; the week of 2 Nov is not all in the data: unknown.
    tue = w.loc["2026-11-10"]
    assert tue["so_far"] == 2.0 and pd.isna(tue["same_days"]) and pd.isna(tue["last_week"])
    # Wed 18 Nov: so far 3 (Mon-Wed); same days of the week of 9 Nov 3; that week 7.
    assert w.loc["2026-11-18"].tolist() == [3.0, 3.0, 7.0]


# -- thresholds -----------------------------------------------------------------------------

def test_thresholds_from_mapping_overrides_and_converts():
    t = Thresholds.from_mapping({"streak_caution_days": 5.0, "spike_caution_ratio": 1.2})
    assert t.streak_caution_days == 5 and isinstance(t.streak_caution_days, int)
    assert t.spike_caution_ratio == 1.2 and t.spike_high_ratio == 2.0


@pytest.mark.parametrize(("table", "message"), [
    ({"spike_ratio": 1.2}, "unknown key thresholds.spike_ratio"),
    ({"acwr_high": 0}, "thresholds.acwr_high must be a positive number, not 0"),
    ({"acwr_high": -1.5}, "must be a positive number"),
    ({"acwr_high": True}, "must be a positive number, not True"),
    ({"acwr_high": "1.5"}, "must be a positive number, not '1.5'"),
    ({"acwr_high": float("inf")}, "must be a positive number"),
    ({"acwr_high": float("nan")}, "must be a positive number"),
    ({"no_rest_days": 7.5}, "thresholds.no_rest_days must be a whole number, not 7.5"),
    ({"ramp_habit_weeks": 2.5}, "must be a whole number"),
    ({"acwr_caution": 1.6}, "thresholds.acwr_caution must not exceed thresholds.acwr_high"),
    ({"streak_caution_days": 15}, "streak_caution_days must not exceed"),
    ({"weekly_jump_high_pct": 5}, "weekly_jump_caution_pct must not exceed"),
])
def test_thresholds_from_mapping_errors(table, message):
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("(", r"\(")):
        Thresholds.from_mapping(table)


def test_custom_thresholds_move_the_flags():
    # With spike_caution_ratio 1.3, a 1.2x run is not flagged.
    a = engine.analyse(build([*SPIKE[:3], run(10, 12)]), day(10))
    t = Thresholds.from_mapping({"spike_caution_ratio": 1.3})
    assert [f for f in evaluate(a, t) if f.code == "long_run_spike"] == []
    assert flags.last_days(day(10), 7) == (day(10) - timedelta(days=6), day(10))


def test_the_load_ratio_message_names_session_load_in_words():
    from datetime import date as day_

    from loadwatch.flags import messages

    text = messages.acwr("srpe", 1.6, day_(2026, 11, 15), True, 1.3, day_(2026, 11, 10), 1.7,
                         day_(2026, 11, 12))
    assert "mean daily session load (rating x minutes of the rated sessions)" in text
    assert "srpe" not in text


@pytest.mark.parametrize("names", [[None, None, None], ["Morning Run", None, None]])
def test_a_race_without_a_name_is_the_race_in_its_spike_flag(names):
    # A race set by day in [races] on a run without a name (FIT files carry none): the
    # spike table's missing name is NaN, and the flag names it "the race", no crash.
    tl = build([run(0, 10), run(10, 10), run(20, 25)])
    tl["name"] = names
    tl["race"] = [False, False, True]
    found = [f for f in evaluate(engine.analyse(tl, day(21)), Thresholds()) if f.race is not None]
    assert [(f.code, f.race) for f in found] == [("long_run_spike", "")]
    assert "The race," in found[0].message or "the race," in found[0].message
