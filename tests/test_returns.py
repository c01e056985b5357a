"""Returns and dips (issue 16): a week back at the usual load is a return, not a jump.

Three runners, through ``loadwatch report`` (JSON and text): back to the usual 40 km after
11 days ill; a graded return (8 -> 20 -> 26 km) below the usual 30 km after a 3-week break;
a 16 km recovery week in a runner used to 34-40 km.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from click.testing import CliRunner

import loadwatch
from loadwatch import assessment
from loadwatch.cli import cli
from loadwatch.engine import calendar
from loadwatch.flags import FlagTables, returns
from loadwatch.verdict import analyse, history_level
from loadwatch.verdict import split as split_timeline
from tests.verdict.patterns import Story, steady, weeks_of
from tests.verdict.test_history import random_story

WEEKLY = {"weekly_distance_jump", "cumulative_ramp", "duration_jump"}


def report(folder, as_of: date, *args: str):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", as_of.isoformat(),
                                      "--no-cache", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def doc(folder, as_of: date) -> dict:
    return json.loads(report(folder, as_of, "--format", "json"))


def text(folder, as_of: date) -> str:
    return " ".join(report(folder, as_of).split())


def weekly_flags(d: dict, since: str) -> list[dict]:
    return [f for f in d["flags"] if f["code"] in WEEKLY and f["last_date"] >= since]


def ill(tmp_path, back_runs: dict[int, float]):
    """40 km a week (10 km on Mon, Wed, Sat, Sun) from Mon 3 Aug; 10 km on Mon 26 Oct, ill
    from Tue 27 Oct to Fri 6 Nov (11 days), back on Sat 7 Nov: 20 km, then ``back_runs``
    in the week of Mon 9 Nov."""
    s = steady("ill", {0: 10.0, 2: 10.0, 5: 10.0, 6: 10.0}, first=date(2026, 8, 3),
               last=date(2026, 10, 26))
    weeks_of(s, [{5: 10.0, 6: 10.0}, back_runs], date(2026, 11, 2))
    return s.write(tmp_path / "ill")


def test_back_to_the_usual_40_km_after_11_days_ill_is_a_return(tmp_path):
    folder = ill(tmp_path, {0: 10.0, 2: 10.0, 5: 10.0, 6: 10.0})
    d = doc(folder, date(2026, 11, 15))
    # Weeks 10, 20, 40 km: +100% twice, but back to the 40 km of the weeks before the dip.
    assert [w["run_distance"] for w in d["weeks"][-4:]] == [40.0, 10.0, 20.0, 40.0]
    assert d["risk"]["level"] == "usual", d["risk"]["summary"]
    assert not weekly_flags(d, "2026-11-02")
    plan = d["next_week"]
    # From the higher of last week and the usual week (40 km), not capped at 20% over a
    # 4-week mean of 27.5 km that the dip pulled down (33 km, below the usual week).
    assert plan["weekly_distance_max"] == 44.0
    assert plan["weekly_basis"]["rule"] == "dip" and plan["weekly_basis"]["usual_m"] == 40000
    assert plan["weekly_basis"]["off_days"] == 11
    (line,) = [x for x in plan["lines"] if x.startswith("Weekly distance")]
    assert "back to your usual 40.0 km after 11 days off: a return, not a jump" in line
    assert "loadwatch's rule" in line
    words = text(folder, date(2026, 11, 15))
    assert "back to your usual 40.0 km after 11 days off" in words
    assert "up 100%" not in words and "+300%" not in words and "Load risk: USUAL" in words

    # On Saturday, the week so far (30 km) is triple the same days of last week and more than
    # all of it, but still under the usual week: no jump then either.
    d = doc(folder, date(2026, 11, 14))
    assert d["risk"]["level"] == "usual" and not weekly_flags(d, "2026-11-02")


def test_the_load_ratio_does_not_call_a_return_high_either(tmp_path):
    # The 28-day average the dip pulled down made the ratio of the week back "HIGH: an
    # easier few days", beside "back to your usual 40 km: a return, not a jump".
    folder = ill(tmp_path, {0: 10.0, 2: 10.0, 5: 10.0, 6: 10.0})
    d = doc(folder, date(2026, 11, 15))
    assert not [f for f in d["flags"] if f["code"] == "acwr_high"], d["flags"]


def test_a_week_over_the_usual_after_a_dip_is_still_compared_as_before(tmp_path):
    # 60 km after the dip is a rise over the established 40 km: judged as a jump from the
    # 20 km week, as before. The rises within the dip (10 -> 20 km) stay returns.
    folder = ill(tmp_path, {d: 10.0 for d in range(6)})
    d = doc(folder, date(2026, 11, 15))
    (jump,) = [f for f in d["flags"] if f["code"] == "weekly_distance_jump"]
    assert jump["start"] >= "2026-11-09" and jump["severity"] == "high"
    assert "60.0 km, 200% more than the week before (20.0 km)" in jump["message"]
    # ... and the next week's ceiling, by the usual week, still caps it (48 km).
    assert d["next_week"]["weekly_distance_max"] == 48.0


def graded(tmp_path, name: str, middle: dict[int, float]):
    """30 km a week (8, 8 and a 14 km Sunday) until Sun 8 Nov, no run for 22 days (from
    Mon 9 Nov), then 8 km (Tue 1, Fri 4 Dec), ``middle`` and 26 km."""
    s = steady(name, {1: 8.0, 3: 8.0, 6: 14.0}, first=date(2026, 8, 3), last=date(2026, 11, 8))
    weeks_of(s, [{1: 4.0, 4: 4.0}, middle, {0: 4.4, 1: 4.4, 2: 4.0, 3: 4.4, 5: 4.4, 6: 4.4}],
             date(2026, 11, 30))
    return s.write(tmp_path / name)


def test_a_graded_return_after_a_break_is_judged_by_the_return_rule(tmp_path):
    folder = graded(tmp_path, "graded", {0: 4.0, 1: 4.0, 3: 4.0, 4: 4.0, 6: 4.0})
    as_of = date(2026, 12, 20)
    d = doc(folder, as_of)
    assert [w["run_distance"] for w in d["weeks"][-3:]] == [8.0, 20.0, 26.0]
    # +150% and +30%, "+225% in all" from the first week back: all below the usual 30 km.
    assert d["risk"]["level"] == "usual", d["risk"]["summary"]
    assert not weekly_flags(d, "2026-11-30")
    plan = d["next_week"]
    basis = plan["weekly_basis"]
    assert basis["rule"] == "return" and basis["pre_break_week_m"] == 30000
    assert basis["break_start"] == "2026-11-09"
    # 26 km is 87% of the usual: 10 points more is 97% (29 km), never a cut back to the
    # schedule's 80% (24 km), never over the usual 30 km.
    assert plan["weekly_distance_max"] == 29.0
    (line,) = [x for x in plan["lines"] if x.startswith("Weekly distance")]
    assert "Building back after the break of Mon 9 Nov: 26.0 km of your usual 30.0 km" in line
    words = text(folder, as_of)
    assert "Building back after the break of Mon 9 Nov: 26.0 km of your usual 30.0 km" in words
    assert "+225%" not in words and "two weeks running" not in words

    # The single-run spike rule holds in every return week: a 10 km run in the second week
    # back is 2.5x the longest of its 30 days (4 km), a spike, while the weeks are returns.
    folder = graded(tmp_path, "graded-spike", {0: 4.0, 1: 4.0, 3: 2.0, 6: 10.0})
    d = doc(folder, as_of)
    assert d["risk"]["level"] == "high" and d["risk"]["drivers"] == ["long_run_spike"]
    assert not weekly_flags(d, "2026-11-30")


def recovery(tmp_path):
    """Weeks of 31-40 km (Tue and Thu a quarter each, the Sunday long run half), each within
    10% of the one before; a 16 km recovery week from Mon 16 Nov; 38 km the week after."""
    plan = [31, 34, 37, 40, 37, 34, 31, 34, 37, 40, 37, 34, 37, 40, 37, 16, 38]
    s = Story("recovery")
    weeks_of(s, [{1: km / 4, 3: km / 4, 6: km / 2} for km in plan], date(2026, 8, 3))
    return s.write(tmp_path / "recovery")


def test_after_a_recovery_week_next_weeks_maximum_is_not_below_the_usual(tmp_path):
    folder = recovery(tmp_path)
    d = doc(folder, date(2026, 11, 22))
    plan = d["next_week"]
    # The usual: 34, 37, 40, 37 km, mean 37 km. 10% over it, not 10% over 16 km (17.6 km).
    assert plan["weekly_distance_max"] == 40.7
    assert plan["weekly_basis"]["rule"] == "dip"
    assert plan["weekly_basis"]["usual_range_m"] == [34000, 40000]
    (line,) = [x for x in plan["lines"] if x.startswith("Weekly distance")]
    assert "about 10% over your usual 37.0 km" in line and "Last week was lighter" in line
    assert "Weekly distance: up to 40.7 km" in text(folder, date(2026, 11, 22))

    # The week after: back to 38 km, within the usual 34-40 km: no jump from 16 km (+138%),
    # and next week's maximum counts from it, not from a 4-week mean of 32.8 km.
    d = doc(folder, date(2026, 11, 29))
    assert d["risk"]["level"] == "usual", d["risk"]["summary"]
    assert not weekly_flags(d, "2026-11-16")
    assert d["next_week"]["weekly_distance_max"] == 41.8
    words = text(folder, date(2026, 11, 29))
    assert ("back to 38.0 km, within your usual 34.0-40.0 km, after a lighter week "
            "(the week of Mon 16 Nov)") in words
    assert "138%" not in words


def test_the_dip_rules_are_thresholds(tmp_path):
    # With a dip line of 0.3x the usual, the 16 km week (0.43x) is no dip: 10% over it.
    folder = recovery(tmp_path)
    (folder / "loadwatch.toml").write_text(
        '[athlete]\nname = "recovery"\ntimezone = "UTC"\n[thresholds]\ndip_ratio = 0.3\n')
    assert doc(folder, date(2026, 11, 22))["next_week"]["weekly_distance_max"] == 17.6
    (folder / "loadwatch.toml").write_text(
        '[athlete]\nname = "recovery"\ntimezone = "UTC"\n[thresholds]\ndip_ratio = 1.2\n')
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-22",
                                      "--no-cache"])
    assert result.exit_code == 2 and "thresholds.dip_ratio must be below 1" in result.stderr



def test_pain_going_on_holds_the_way_back_too(tmp_path):
    # The plan's first line says "no increase while the pain goes on": the return rule's
    # weekly line no longer allows one beside it (it said "up to 24 km" after a 26 km week).
    s = steady("sore", {1: 8.0, 3: 8.0, 6: 14.0}, first=date(2026, 8, 3), last=date(2026, 11, 8))
    weeks_of(s, [{1: 4.0, 4: 4.0}, {0: 4.0, 1: 4.0, 3: 4.0, 4: 4.0, 6: 4.0},
                 {0: 4.4, 1: 4.4, 2: 4.0, 3: 4.4, 5: 4.4, 6: 4.4}], date(2026, 11, 30))
    s.pain = ["2026-11-27,4,inner knee,left,gradual,tightness,",
              "2026-12-18,4,inner knee,left,gradual,tightness,"]
    folder = s.write(tmp_path / "sore")
    plan = doc(folder, date(2026, 12, 20))["next_week"]
    assert plan["status"] == "hold" and plan["weekly_basis"]["rule"] == "hold"
    assert plan["weekly_distance_max"] == 26.0
    # Still in the break, with pain: no building back (not "up to 15 km, half your usual").
    plan = doc(folder, date(2026, 11, 29))["next_week"]
    assert plan["weekly_distance_max"] == 0.0
    # ... and nothing beside it says otherwise: no long-run ceiling while not running in pain.
    assert any(x.startswith("Weekly distance: none while the pain goes on") for x in plan["lines"])
    assert plan["longest_run_m"] is None and plan["this_week"] is None
    assert any("do not start running again until it has been assessed" in x
               for x in plan["lines"])



def _cuts_agree(athlete, options) -> int:
    """Every day's cut of ``athlete``'s analysis: the comebacks found on from the whole
    history's scan (returns.comebacks_cut, what the level history uses) equal those found
    afresh on the cut (returns.comebacks, what the report of that day finds). Returns how
    many cuts had a dip or a break."""
    analysis = analyse(split_timeline(athlete.timeline, options)[3], options)
    t = options.thresholds
    tables = FlagTables.of(analysis, t, ("run_distance_m",))
    whole = returns.scan(analysis, "run_distance_m", t)
    with_any = 0
    for p in range(analysis.n_days):
        day = analysis.days_start + p
        at, _ = history_level.cut(analysis, tables, p, day)
        fresh = returns.comebacks(at, "run_distance_m", t)
        assert returns.comebacks_cut(at, "run_distance_m", t, whole) == fresh, (
            f"{athlete.name} cut at {calendar.to_date(day)}")
        with_any += bool(fresh)
    return with_any


def test_each_days_comebacks_from_the_whole_scan_equal_those_found_afresh(tmp_path):
    cuts_with_comebacks = 0
    for seed in range(24):
        story, last = random_story(seed)
        athlete = loadwatch.load_athlete(story.write(tmp_path / story.name))
        options = assessment.options_for(athlete.settings, as_of=last, folder=athlete.folder)
        if seed % 2:  # a stricter dip line, a shorter dip, a shorter way back
            options = dataclasses.replace(options, thresholds=dataclasses.replace(
                options.thresholds, dip_ratio=0.9, dip_max_weeks=2, return_weeks=3))
        cuts_with_comebacks += _cuts_agree(athlete, options)
    assert cuts_with_comebacks > 500  # the dips and breaks were there to be found
