"""A warm squad takes an athlete's report back from the cache only when nothing it depends on
changed (loadwatch/reuse.py): the same bytes as a report made afresh, and a new report after any
change of files, diary, settings (the athlete's, the squad's, the user's), date, zone or code."""

import json
import os
import sqlite3
import time

import pytest
from click.testing import CliRunner

from loadwatch import reuse, squad
from loadwatch.cli import cli
from tests import story


@pytest.fixture
def team(tmp_path):
    root = tmp_path / "team"
    story.write(root / "olga", toml='[athlete]\nname = "Olga"\ntimezone = "Europe/Oslo"\n')
    story.write(root / "sam", toml='[athlete]\nname = "Sam"\n')
    return root


@pytest.fixture
def judged(monkeypatch):
    """How many athletes were judged afresh (not taken back from the cache)."""
    calls = []
    real = squad.assessment.judge_athlete

    def counting(athlete, options):
        calls.append(athlete.data.name)
        return real(athlete, options)

    monkeypatch.setattr(squad.assessment, "judge_athlete", counting)
    return calls


def squad_run(team, cache, *args, as_of="2026-11-22"):
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", as_of, "--cache-dir",
                                      str(cache), "--workers", "1", "-q", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fresh(team, tmp_path, *args, as_of="2026-11-22"):
    """The squad made without any kept report: a new cache, warmed by one run first (so that
    the import section says "from the cache" as a reused report's does)."""
    cache = tmp_path / f"fresh-{time.monotonic_ns()}"
    squad_run(team, cache, *args, as_of=as_of)
    with sqlite3.connect(cache / "loadwatch.sqlite") as conn:
        conn.execute("DELETE FROM results")
    return squad_run(team, cache, *args, as_of=as_of)


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "csv", "html"])
def test_a_reused_report_gives_the_same_bytes(team, tmp_path, judged, fmt):
    cache = tmp_path / "cache"
    squad_run(team, cache, "--format", fmt)  # cold: parsed, nothing kept
    made = squad_run(team, cache, "--format", fmt)  # warm: made afresh and kept
    assert len(judged) == 4
    reused = squad_run(team, cache, "--format", fmt)
    assert len(judged) == 4, "the third run must take both reports back"
    assert reused == made


def rows(doc: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "import"} for row in json.loads(doc)["athletes"]]


def changes(team):
    """Each change a report depends on, as (name, function applied to the team folder)."""
    olga = team / "olga"

    def diary(t):
        with open(olga / "pain.csv", "a") as fh:
            fh.write("2026-11-21,8,inner knee,left,sudden,pop;swelling,fell on ice\n")

    def setting(t):
        with open(olga / "loadwatch.toml", "a") as fh:
            fh.write("[thresholds]\nstreak_caution_days = 4\nstreak_high_days = 5\n")

    def squad_setting(t):
        (t / "loadwatch.toml").write_text("[thresholds]\nstreak_caution_days = 3\nstreak_high_days = 4\n")

    def user_setting(t):
        with open(os.environ["LOADWATCH_USER_CONFIG"], "w") as fh:
            fh.write('[athlete]\nunits = "mi"\n')

    def activity(t):
        lines = (olga / "activities.csv").read_text().splitlines(keepends=True)
        (olga / "activities.csv").write_text("".join(lines[:-3]))

    return [("diary", diary), ("setting", setting), ("squad setting", squad_setting),
            ("user setting", user_setting), ("activity file", activity)]


@pytest.mark.parametrize("name", ["diary", "setting", "squad setting", "user setting",
                                  "activity file"])
def test_any_change_makes_the_report_again(team, tmp_path, judged, name):
    change = dict(changes(team))[name]
    cache = tmp_path / "cache"
    squad_run(team, cache, "--format", "json")
    before = squad_run(team, cache, "--format", "json")
    change(team)
    after = squad_run(team, cache, "--format", "json")
    # What changed since the last squad run is the squad state's, not the athletes' reports;
    # a changed file is parsed again, so the import's counts differ from a warm run's.
    assert rows(after) == rows(fresh(team, tmp_path, "--format", "json"))
    # A sanity check that the test changes something the report shows.
    assert rows(after) != rows(before), name


def test_another_date_or_zone_is_another_report(team, tmp_path, judged):
    cache = tmp_path / "cache"
    squad_run(team, cache)
    squad_run(team, cache)
    n = len(judged)
    squad_run(team, cache, as_of="2026-11-18")
    assert len(judged) == n + 2
    squad_run(team, cache, "--tz", "America/New_York")
    assert len(judged) == n + 4


def test_a_damaged_kept_report_is_made_again(team, tmp_path, judged):
    cache = tmp_path / "cache"
    squad_run(team, cache, "--format", "json")
    made = squad_run(team, cache, "--format", "json")
    with sqlite3.connect(cache / "loadwatch.sqlite") as conn:
        conn.execute("UPDATE results SET body = x'00ff'")
    n = len(judged)
    assert squad_run(team, cache, "--format", "json") == made
    assert len(judged) == n + 2


def test_no_cache_keeps_nothing(team, tmp_path, judged):
    for _ in range(2):
        CliRunner().invoke(cli, ["squad", str(team), "--as-of", "2026-11-22", "--no-cache",
                                 "--workers", "1", "-q"], catch_exceptions=False)
    assert len(judged) == 4


def test_the_code_is_part_of_the_key(team, monkeypatch):
    first = reuse.key(team / "olga", as_of=None, tz=None, weeks=8, follow_links=False)
    monkeypatch.setattr(reuse, "code_fingerprint", lambda: "other code")
    second = reuse.key(team / "olga", as_of=None, tz=None, weeks=8, follow_links=False)
    assert first.as_of == second.as_of and first.key != second.key


def test_pack_round_trips_and_refuses_garbage():
    report = {"schema": "loadwatch/report-v3", "weeks": [{"km": 1.5}], "note": "é"}
    assert reuse.unpack(reuse.pack("Olga", report)) == ("Olga", report)
    assert reuse.unpack(b"not zlib") is None
    assert reuse.unpack(reuse.pack("Olga", report)[:-3]) is None
    assert json.loads(json.dumps(report)) == report
