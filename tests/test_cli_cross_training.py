"""Weight-bearing is not rest: walks and hikes are time on feet, not cross-training (issue 16).

A runner with four runs a week (Tue 8, Thu 8, Sat 8, Sun 16 km at 5:30/km: 3h40 on
their feet) and nothing else; in the week of Mon 9 Nov the Saturday run is replaced
by a 45 km, 11-hour mountain hike. Through ``loadwatch report`` as of Sun 15 Nov.
"""

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.verdict.patterns import PACE_S_PER_KM, Story, days

AS_OF = "2026-11-15"
HIKE_DAY = date(2026, 11, 14)
HIKE_S = 11 * 3600
RUNS = {1: 8.0, 3: 8.0, 5: 8.0, 6: 16.0}


def runner(name: str, extra=()) -> Story:
    s = Story(name)
    for d in days(date(2026, 8, 3), date(2026, 11, 15)):
        if d == HIKE_DAY:
            s.run(d, 45.0, HIKE_S, kind="Hike")
        elif d.weekday() in RUNS:
            s.run(d, RUNS[d.weekday()])
    for day, kind, km, secs in extra:
        s.run(day, km, secs, kind=kind)
    return s


def report(folder, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF, "--no-cache",
                                      *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def hiker(tmp_path_factory):
    return runner("Hiker").write(tmp_path_factory.mktemp("hiker") / "hiker")


def test_a_long_hike_is_not_cross_training(hiker):
    doc = json.loads(report(hiker, "--format", "json"))
    # 15 weeks of running and one hike: no cross-training at all, the habit holds today.
    assert doc["days_since_cross_training"] is None
    flags = {f["code"]: f for f in doc["flags"]}
    cross = flags["no_cross_training"]
    assert cross["kind"] == "habit" and cross["last_date"] == AS_OF
    assert "Your walk or hike in that time does not count" in cross["message"]
    assert any("Replace one run with cycling or swimming" in n and "walk or hike" in n
               for n in doc["next_week"]["notes"])


def test_a_long_hike_is_a_time_on_feet_habit_that_never_raises_the_level(hiker):
    doc = json.loads(report(hiker, "--format", "json"))
    flags = {f["code"]: f for f in doc["flags"]}
    hike = flags["time_on_feet_jump"]
    assert (hike["kind"], hike["evidence"], hike["start"]) == ("habit", "advice", "2026-11-09")
    # Usual: 40 km x 330 s = 3h40; this week 32 km of runs (2h56) + 11h00 = 13h56, 3.8x.
    usual = 40 * PACE_S_PER_KM
    week = 32 * PACE_S_PER_KM + HIKE_S
    assert hike["value"] == pytest.approx(week / usual, abs=1e-3)
    assert hike["message"] == (
        "Your 45.0 km, 11h00 hike on Sat 14 Nov: time on feet 13h56 this week, 3.8x your usual "
        "3h40 (runs, walks and hikes; the mean of the complete weeks before). Hiking loads the "
        "knee too, at every step: count it as a long day and keep the next days easy.")
    # The running itself went down (32 of the usual 40 km): the level stays evidence-led.
    assert doc["risk"]["level"] == "usual"
    assert "time_on_feet_jump" not in doc["risk"]["drivers"]


def test_weekly_time_on_feet_is_runs_walks_and_hikes(hiker):
    doc = json.loads(report(hiker, "--format", "json", "--weeks", "3"))
    weeks = {w["week"]: w for w in doc["weeks"]}
    assert weeks["2026-W46"]["time_on_feet_s"] == 32 * PACE_S_PER_KM + HIKE_S
    assert weeks["2026-W45"]["time_on_feet_s"] == 40 * PACE_S_PER_KM
    assert weeks["2026-W46"]["run_duration_s"] == 32 * PACE_S_PER_KM
    assert weeks["2026-W46"]["cross_training_sessions"] == 0
    for fmt in ("text", "markdown", "html"):
        out = report(hiker, "--format", fmt, "--weeks", "3")
        assert "on feet" in out and "13h56" in out and "3h40" in out, fmt


def test_a_ride_still_counts_as_cross_training_a_hike_after_it_does_not(tmp_path):
    ride = (date(2026, 11, 2), "Ride", 40.0, 5400)
    folder = runner("Rider", [ride]).write(tmp_path / "rider")
    doc = json.loads(report(folder, "--format", "json"))
    # The ride of Mon 2 Nov is the last cross-training, 13 days ago; the hike of Sat 14 Nov
    # is not.
    assert doc["days_since_cross_training"] == (date(2026, 11, 15) - ride[0]).days
    cross = [f for f in doc["flags"] if f["code"] == "no_cross_training"]
    # The 14 days without cross-training ended with the ride: none holds now.
    assert all(f["last_date"] < "2026-11-02" for f in cross)
    assert doc["weeks"][-2]["cross_training_sessions"] == 1
    assert doc["weeks"][-2]["time_on_feet_s"] == 40 * PACE_S_PER_KM  # the ride is not on foot


def test_a_usual_walk_is_no_jump(tmp_path):
    # A 1-hour walk every Wednesday: part of the usual time on feet, never a jump.
    walks = [(date(2026, 8, 5) + timedelta(days=7 * k), "Walk", 5.0, 3600) for k in range(15)]
    folder = runner("Walker", walks).write(tmp_path / "walker")
    doc = json.loads(report(folder, "--format", "json"))
    jumps = [f for f in doc["flags"] if f["code"] == "time_on_feet_jump"]
    assert [f["start"] for f in jumps] == ["2026-11-09"]  # only the hike's week
    assert "4h40" in jumps[0]["message"]  # the usual 3h40 of runs plus the 1h walk


def test_the_time_on_feet_line_is_a_threshold(tmp_path):
    folder = runner("Hiker").write(tmp_path / "hiker")
    with (folder / "loadwatch.toml").open("a") as f:
        f.write("\n[thresholds]\ntime_on_feet_jump_pct = 300\n")  # 13h56 is +280%: under it
    doc = json.loads(report(folder, "--format", "json"))
    assert "time_on_feet_jump" not in {f["code"] for f in doc["flags"]}
