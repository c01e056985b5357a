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
