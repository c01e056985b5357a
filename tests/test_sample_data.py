"""The committed sample data is what its generator writes, and tells the story it claims."""

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "sample_data"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_sample_data.py"), str(out)],
                   check=True)
    return out


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_committed_sample_data_equals_a_fresh_run(fresh):
    ours = [f for f in tree(SAMPLE) if f != "README.md"]
    assert ours == tree(fresh)
    _, mismatch, errors = filecmp.cmpfiles(SAMPLE, fresh, ours, shallow=False)
    assert mismatch == [] and errors == []


def test_runner_story(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(SAMPLE / "runner"), "--as-of", "2026-11-22",
                                      "--format", "json", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    imp = doc["import"]
    assert imp["errors"] == [] and imp["duplicates_dropped"] >= 8
    assert doc["risk"]["level"] == "high" and doc["risk"]["drivers"] == ["long_run_spike"]
    assert doc["risk"]["summary"].startswith("HIGH: a run more than twice as long as your longest")
    codes = {f["code"] for f in doc["history"]}
    assert {"long_run_spike", "weekly_distance_jump", "run_streak", "no_rest_day",
            "no_cross_training", "elevation_jump"} <= codes
    spike = next(r for r in doc["recent_spikes"] if r["date"] == "2026-11-15")
    assert spike["distance"] == pytest.approx(30, abs=0.5) and spike["spike"] == "large"
    (episode,) = doc["pain"]["episodes"]
    assert episode["start"] == "2026-11-16" and episode["location"] == "inner-knee"
    assert "long run" in episode["summary"] and episode["red_flags"] == []


def test_squad_story(tmp_path):
    result = CliRunner().invoke(cli, ["squad", str(SAMPLE / "squad"), "--as-of", "2026-11-22",
                                      "--format", "json", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    order = [a["athlete"] for a in doc["athletes"]]
    assert order[0] == "Dev" and order[-1] == "Anna" and len(order) == 5
    risk = {a["athlete"]: a["risk"] for a in doc["athletes"]}
    assert risk == {"Anna": "usual", "Ben": "high", "Chloe": "raised", "Dev": "usual",
                    "Emma": "high"}
