"""A sub-folder that cannot be listed is named, and the import says it is incomplete (exit 1).

Issue 17: it was passed over in silence (87 files read of 98, exit 0). The tests run as
root, for whom ``chmod 000`` changes nothing, so ``os.scandir`` is made to refuse the
folder as the system would.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.hostile.helpers import gpx


@pytest.fixture
def athlete(tmp_path, monkeypatch):
    """Two runs in the folder, two more in ``2025/``, which cannot be listed."""
    folder = tmp_path / "ola"
    (folder / "2025").mkdir(parents=True)
    for day in (10, 11):
        (folder / f"run-{day}.gpx").write_bytes(gpx(f"2026-11-{day}T07:00:00Z"))
    for day in (12, 13):
        (folder / "2025" / f"run-{day}.gpx").write_bytes(gpx(f"2026-11-{day}T07:00:00Z"))
    locked = os.fsencode(folder / "2025")
    real = os.scandir

    def scandir(path="."):
        if os.fsencode(path) == locked:
            raise PermissionError(13, "Permission denied", os.fsdecode(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


WHY = "cannot read the folder (Permission denied): its files were not imported; make it " \
      "readable and run again"


def test_a_folder_that_cannot_be_listed_is_one_error_line_and_exit_1(athlete, tmp_path):
    result = CliRunner().invoke(cli, ["timeline", str(athlete), "--cache-dir",
                                      str(tmp_path / "c")], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "2025" in line]
    assert lines == [f"Error: {athlete / '2025'}: {WHY}"]


def test_the_import_summary_counts_it_as_failed(athlete, tmp_path):
    result = CliRunner().invoke(cli, ["import", str(athlete), "--cache-dir", str(tmp_path / "c")],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "  failed:            1" in result.stdout
    assert f"  {athlete / '2025'}: {WHY}" in result.stdout.splitlines()


def test_the_report_goes_on_with_what_it_could_read_and_is_not_cached(athlete, tmp_path):
    args = ["report", str(athlete), "--as-of", "2026-11-15", "--tz", "UTC", "--format", "json",
            "--cache-dir", str(tmp_path / "c")]
    for _ in range(2):  # the second run lists the folder again: nothing incomplete is cached
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 1, result.output
        doc = json.loads(result.stdout)
        assert doc["import"]["activities"] == 2
        [error] = doc["import"]["errors"]
        assert error["path"] == str(athlete / "2025")
        assert error["error"].startswith("cannot read the folder (Permission denied)")



def test_the_squad_names_it_too(tmp_path, monkeypatch):
    # The athlete's row is reported from what could be read; the folder left out is named
    # on stderr, as `report` names it (it was an exit 1 with not a word).
    team = tmp_path / "team"
    for name, days in (("ola", (10, 11)), ("kim", (10, 12))):
        (team / name).mkdir(parents=True)
        for day in days:
            (team / name / f"run-{day}.gpx").write_bytes(gpx(f"2026-11-{day}T07:00:00Z"))
    (team / "ola" / "2025").mkdir()
    (team / "ola" / "2025" / "run-13.gpx").write_bytes(gpx("2026-11-13T07:00:00Z"))
    locked, real = os.fsencode(team / "ola" / "2025"), os.scandir

    def scandir(path="."):
        if os.fsencode(path) == locked:
            raise PermissionError(13, "Permission denied", os.fsdecode(locked))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", "2026-11-15", "--tz", "UTC",
                                      "--workers", "1", "--quiet", "--cache-dir",
                                      str(tmp_path / "c")], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "2025" in line]
    assert lines == [f"Error: ola: {team / 'ola' / '2025'}: {WHY}"], result.stderr
