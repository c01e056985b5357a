"""`loadwatch ignore` and `loadwatch confirm`: settling the activities under "data to check"."""

import json
import os

import pytest
from click.testing import CliRunner

from loadwatch import config
from loadwatch.cli import cli
from tests.verdict import patterns


@pytest.fixture
def car(tmp_path):
    story = next(s for s in patterns.stories() if s.name == "watch-in-car")
    folder = story.write(tmp_path / "car")
    with open(folder / "loadwatch.toml", "a") as fh:
        fh.write("# my own note, kept\n[thresholds]\nstreak_high_days = 12  # stricter\n")
    return folder


def invoke(*args, cwd=None):
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def report(folder) -> dict:
    result = invoke("report", str(folder), "--as-of", "2026-11-22", "--no-cache", "--format",
                    "json")
    return json.loads(result.stdout)


def test_a_quarantined_activity_is_settled_by_ignore_or_confirm(car, tmp_path):
    doc = report(car)
    (check,) = doc["data_to_check"]
    assert doc["risk"]["level"] == "unknown"
    result = invoke("ignore", check["activity_id"], "--reason", "watch on in the car",
                    "--athlete", str(car))
    assert result.exit_code == 0 and "Ignored 1 activity" in result.stdout
    doc = report(car)
    assert doc["data_to_check"] == [] and doc["risk"]["level"] == "usual"
    assert doc["ignored"] == [{"activity_id": check["activity_id"], "date": "2026-11-18",
                               "reason": "watch on in the car"}]
    text = (car / "loadwatch.toml").read_text()
    assert "# my own note, kept" in text and "streak_high_days = 12  # stricter" in text

    result = invoke("confirm", check["activity_id"], "--athlete", str(car))
    assert result.exit_code == 0
    cfg = config.load(car / "loadwatch.toml")
    assert cfg.ignore == {} and cfg.confirm == [check["activity_id"]]
    doc = report(car)
    # Confirmed as real: it counts, 120 km against a 12 km longest.
    assert doc["data_to_check"] == [] and doc["risk"]["level"] == "high"

    listing = invoke("ignore", "--list", "--athlete", str(car))
    assert listing.stdout.strip() == f"confirmed  {check['activity_id']}"


def test_the_folder_defaults_to_this_one_only_if_it_is_an_athlete_folder(car, tmp_path):
    result = invoke("ignore", "--list", cwd=car)
    assert result.exit_code == 0 and "No ignored" in result.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = invoke("ignore", "strava:1", cwd=elsewhere)
    assert result.exit_code == 2 and "not an athlete folder" in result.stderr
    assert not (elsewhere / "loadwatch.toml").exists()


def test_unknown_ids_are_refused_and_nothing_is_written(car):
    before = (car / "loadwatch.toml").read_bytes()
    result = invoke("ignore", "strava:999999", "--athlete", str(car))
    assert result.exit_code == 2 and "strava:999999: not an activity" in result.stderr
    assert (car / "loadwatch.toml").read_bytes() == before


def test_a_malformed_activities_table_is_a_config_error(tmp_path):
    path = tmp_path / "loadwatch.toml"
    path.write_text("[activities]\nignore = [3]\n")
    with pytest.raises(config.ConfigError, match="activities.ignore"):
        config.load(path)
    path.write_text("[activities]\nskip = []\n")
    with pytest.raises(config.ConfigError, match="unknown key activities.skip"):
        config.load(path)
