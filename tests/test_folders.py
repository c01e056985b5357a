"""Which folder is what: loadwatch writes only into an athlete folder, and a one-runner command
never reads a squad folder as one runner."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests import story

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(autouse=True)
def no_named_athlete(monkeypatch, tmp_path):
    monkeypatch.delenv("LOADWATCH_ATHLETE", raising=False)
    monkeypatch.setenv("LOADWATCH_USER_CONFIG", str(tmp_path / "no-user-config.toml"))
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))


@pytest.fixture
def team(tmp_path):
    """A squad folder of two athlete folders, as the coach keeps it (no settings of its own)."""
    root = tmp_path / "team"
    story.write(root / "ann", toml='[athlete]\nname = "Ann"\n')
    story.write(root / "bo", toml='[athlete]\nname = "Bo"\n')
    return root


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("command", [["pain", "add", "--severity", "3"],
                                     ["ignore", "strava:1"], ["confirm", "strava:1"]])
def test_a_downloads_folder_is_never_written_to(tmp_path, monkeypatch, command):
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "bank-statement.csv").write_text("date,amount\n2026-11-01,12\n")
    (downloads / "photos.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.chdir(downloads)
    result = run(*command)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "not an athlete folder" in line and "loadwatch init" in line and "--athlete" in line
    assert files(downloads) == {"bank-statement.csv", "photos.zip"}


@pytest.mark.parametrize("command", [["pain", "add", "--severity", "3"],
                                     ["ignore", "strava:1"], ["confirm", "strava:1"]])
def test_a_squad_folder_is_never_written_to_named_or_not(team, monkeypatch, command):
    (team / "loadwatch.toml").write_text('[alert]\nto = ["coach@example.org"]\n')
    before = (team / "loadwatch.toml").read_text()
    monkeypatch.chdir(team)
    for extra in ([], ["--athlete", team]):
        result = run(*command, *extra)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        assert "squad folder" in line and "--athlete" in line
    assert files(team) == {"ann", "bo", "loadwatch.toml"}
    assert (team / "loadwatch.toml").read_text() == before


def test_an_init_folder_and_a_named_one_are_athlete_folders(tmp_path, monkeypatch):
    new = tmp_path / "ana"
    assert run("init", new, "--name", "Ana", "--tz", "UTC").exit_code == 0
    monkeypatch.chdir(new)
    assert run("pain", "add", "--severity", "2").exit_code == 0
    plain = tmp_path / "plain"
    plain.mkdir()
    added = run("pain", "add", "--severity", "1", "--athlete", plain)
    assert added.exit_code == 0, added.output
    assert (plain / "pain.csv").is_file()


@pytest.mark.parametrize("command", ["report", "timeline"])
def test_one_runners_commands_refuse_a_squad_folder(team, command):
    result = run(command, team, "--no-cache")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "squad folder" in line and f"loadwatch squad {team}" in line
    assert "ann" in line and not result.stdout


def test_a_plain_folder_of_runs_still_reads(tmp_path):
    runs = tmp_path / "runs"
    shutil.copytree(SAMPLE / "runner" / "activities", runs)
    assert not (runs / "loadwatch.toml").exists()
    result = run("report", runs, "--as-of", "2026-11-22", "--no-cache", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["as_of"] == "2026-11-22"
    assert run("timeline", runs, "--no-cache").exit_code in (0, 1)


def test_a_link_to_the_squad_itself_is_no_phantom_athlete(team, tmp_path):
    (team / "loop").symlink_to(".")
    (team / "up").symlink_to("..")
    result = run("squad", team, "--as-of", "2026-11-22", "--no-cache", "--workers", "1",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert sorted(a["athlete"] for a in doc["athletes"]) == ["Ann", "Bo"]
    skipped = {s["folder"]: s["reason"] for s in doc["skipped"]}
    assert set(skipped) == {"loop", "up"}
    assert "link to the squad folder itself" in skipped["loop"]
