"""A generated squad of 27 runners: each gets the level its evidence supports, and no more."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.verdict import patterns


@pytest.fixture(scope="module")
def squad(tmp_path_factory):
    return patterns.write_squad(tmp_path_factory.mktemp("patterns"))


def squad_json(root: Path, as_of) -> dict:
    result = CliRunner().invoke(cli, ["squad", str(root), "--as-of", as_of.isoformat(),
                                      "--no-cache", "--workers", "2", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def doc(squad):
    return squad_json(squad, patterns.AS_OF)


def by_folder(doc) -> dict:
    return {Path(a["folder"]).name: a for a in doc["athletes"]}


def test_there_are_enough_patterns(doc):
    assert len(patterns.EXPECTED) >= 25 and not doc["errors"]
    assert set(by_folder(doc)) == set(patterns.EXPECTED)


@pytest.mark.parametrize("name", sorted(patterns.EXPECTED))
def test_each_runner_gets_the_level_its_evidence_supports(doc, name):
    row = by_folder(doc)[name]
    level, drivers = patterns.EXPECTED[name]
    assert (row["risk"], tuple(row["drivers"])) == (level, drivers), row["risk_summary"]


def test_high_only_where_strong_evidence_is(doc):
    for row in doc["athletes"]:
        if row["risk"] == "high":
            # A run over 2x its reference, or a spike with pain or with a > 30% week.
            assert {"long_run_spike", "duration_spike"} & set(row["drivers"]), row["athlete"]


def test_the_watch_in_the_car_is_data_to_check_and_hides_nothing(squad):
    from loadwatch.assessment import assess, load
    from loadwatch.report.build import of_verdict

    def for_athlete(athlete, as_of):
        return of_verdict(assess(athlete, as_of=as_of))

    built = for_athlete(load([squad / "watch-in-car"]), as_of=patterns.AS_OF)
    (check,) = built.report["data_to_check"]
    assert check["date"] == "2026-11-18" and "faster than the world record" in check["reason"]
    assert built.report["risk"]["level"] == "unknown"
    assert "would make it high" in built.report["risk"]["summary"]
    assert not built.report["recent_spikes"]

    built = for_athlete(load([squad / "car-then-long-run"]), as_of=patterns.AS_OF)
    assert [c["date"] for c in built.report["data_to_check"]] == ["2026-11-11"]
    (spike,) = built.report["recent_spikes"]
    assert spike["date"] == "2026-11-21" and spike["reference"] == 12.0


def test_a_week_in_progress_is_not_a_jump_when_a_run_only_moved(squad):
    # On Wednesday the week so far (18 km: the long run moved to Tuesday) is triple last
    # week's Monday-Wednesday, but not yet more than last week's whole 24 km.
    doc = squad_json(squad, patterns.SHIFTED_AS_OF)
    row = by_folder(doc)["shifted-long-run"]
    assert row["risk"] == "usual"
    assert row["this_week"]["run_distance"] == 18.0


def test_levels_and_summaries_name_their_drivers(doc):
    rows = by_folder(doc)
    assert rows["long-run-spike"]["risk_summary"].startswith(
        "HIGH: a run more than twice as long as your longest of the month before, on Sun 15 Nov "
        "(2.50x)")
    assert "weekly running distance up 40%" in rows["weekly-jump"]["risk_summary"]
    assert rows["stopped-uploading"]["risk_summary"].startswith(
        "UNKNOWN: loadwatch cannot judge your load now: no activity for 21 days")
    assert "only 20 days of activity data" in rows["new-user"]["risk_summary"]


def test_a_streak_that_reached_13_days_when_pain_began_is_linked_to_it(tmp_path):
    # Running every day from Mon 26 Oct; pain on Sat 7 Nov, the streak's 13th day. The streak
    # flag starts on its 7th day (Sun 1 Nov) and holds on the day pain began, with 13 days.
    from loadwatch.assessment import assess, load
    from loadwatch.report.build import of_verdict

    def for_athlete(athlete, as_of):
        return of_verdict(assess(athlete, as_of=as_of))

    story = patterns.steady("streaker", patterns.BASE, last=patterns.date(2026, 10, 24))
    for d in patterns.days(patterns.date(2026, 10, 26), patterns.date(2026, 11, 7)):
        story.run(d, 6.0)
    story.pain = ["2026-11-07,3,inner knee,left,gradual,tightness,"]
    folder = story.write(tmp_path / "streaker")
    built = for_athlete(load([folder]), as_of=patterns.date(2026, 11, 8))
    (episode,) = built.report["pain"]["episodes"]
    streak = next(p for p in episode["preceding_flags"] if p["code"] == "run_streak")
    assert streak["start"] == "2026-11-01"
    assert streak["held_on_start"] and streak["value_on_start"] == 13
