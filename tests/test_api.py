"""The public Python API (``import loadwatch``): the same documents as the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import loadwatch
from loadwatch.cli import cli
from loadwatch.config import ConfigError
from loadwatch.folders import FolderError

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
AS_OF = "2026-11-22"


def cli_json(*args) -> dict:
    result = CliRunner().invoke(cli, [*args, "--as-of", AS_OF, "--format", "json", "--no-cache"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def verdict():
    return loadwatch.assess(loadwatch.load_athlete(SAMPLE / "runner"), as_of=AS_OF)


def test_a_runner_to_json_is_what_the_report_command_prints(verdict):
    assert verdict.to_json() == cli_json("report", str(SAMPLE / "runner"))


def test_the_verdict_reads_as_the_report_says(verdict):
    doc = verdict.to_json()
    assert verdict.risk.level == doc["risk"]["level"]
    assert verdict.clinical.status == doc["clinical"]["status"]
    assert verdict.next_week.lines and verdict.flags
    assert str(verdict.as_of) == AS_OF


def test_weeks_and_days_are_dataframes_with_the_documented_columns(verdict):
    weeks, days = verdict.weeks, verdict.days
    assert isinstance(weeks, pd.DataFrame) and isinstance(days, pd.DataFrame)
    assert list(weeks.columns) == list(loadwatch.api.WEEK_COLUMNS)
    assert list(days.columns) == list(loadwatch.api.DAY_COLUMNS)
    doc = verdict.to_json()
    assert len(weeks) == len(doc["weeks"]) == 8 and len(days) == len(doc["days"])
    assert set(doc["weeks"][0]) == set(weeks.columns) and set(doc["days"][0]) == set(days.columns)
    assert weeks["week"].iloc[-1] == "2026-W47"


def test_to_json_is_a_copy(verdict):
    verdict.to_json()["risk"] = None
    assert verdict.to_json()["risk"] is not None


def test_the_athlete_has_its_timeline_diary_and_settings():
    athlete = loadwatch.load_athlete(SAMPLE / "runner", tz="Europe/Oslo")
    assert isinstance(athlete.timeline, pd.DataFrame) and len(athlete.timeline)
    assert athlete.diary is not None and len(athlete.diary.entries)
    assert athlete.settings.sources["athlete.timezone"] == "--tz"
    assert str(athlete.tz) == "Europe/Oslo"


def test_a_squad_to_json_is_what_the_squad_command_prints(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "cli-state"))
    printed = cli_json("squad", str(SAMPLE / "squad"), "--quiet")
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "api-state"))
    squad = loadwatch.assess_squad(SAMPLE / "squad", as_of=AS_OF, record=True, workers=1)
    assert squad.to_json() == printed
    rows = squad.rows
    assert list(rows.columns) == list(loadwatch.api.SQUAD_COLUMNS)
    assert list(rows["athlete"]) == [a["athlete"] for a in printed["athletes"]]
    assert list(rows["rank"]) == sorted(rows["rank"])


def test_a_squad_left_unrecorded_says_no_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    squad = loadwatch.assess_squad(SAMPLE / "squad", as_of=AS_OF, workers=1)
    assert squad.to_json()["changes"] is None
    assert not (tmp_path / "state").exists()


def test_bad_paths_raise_the_documented_exceptions(tmp_path):
    with pytest.raises(FileNotFoundError):
        loadwatch.load_athlete(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError):
        loadwatch.assess_squad(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(loadwatch.NoActivities, match="no activities found in"):
        loadwatch.load_athlete(tmp_path / "empty")
    with pytest.raises(loadwatch.NoActivities, match="no athlete folders"):
        loadwatch.assess_squad(tmp_path / "empty")
    with pytest.raises(FolderError, match="loadwatch squad"):
        loadwatch.load_athlete(SAMPLE / "squad")
    assert issubclass(loadwatch.NoActivities, ValueError)


def test_a_bad_threshold_error_names_its_key_as_a_field(tmp_path):
    runner = tmp_path / "runner"
    runner.mkdir()
    for f in (SAMPLE / "runner").iterdir():
        if f.is_file() and f.name != "loadwatch.toml":
            (runner / f.name).write_bytes(f.read_bytes())
    (runner / "loadwatch.toml").write_text("[thresholds]\nspike_high_ratio = -1\n")
    athlete = loadwatch.load_athlete(runner)
    with pytest.raises(ConfigError) as caught:
        loadwatch.assess(athlete, as_of=AS_OF)
    assert caught.value.key == "thresholds.spike_high_ratio"
    assert str(caught.value).startswith(str(runner / "loadwatch.toml"))


def test_import_loadwatch_is_cheap():
    code = ("import sys, loadwatch; loadwatch.__version__; "
            "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
