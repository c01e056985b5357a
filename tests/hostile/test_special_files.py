"""Issue 11, item 8: folder walks never open non-regular files, nor follow links out (the
ordinary walk, links inside the folder included, is tested in tests/importers/test_scan.py)."""

from __future__ import annotations

import json
import os

import pytest

from loadwatch.importers.scan import import_paths
from loadwatch.importers.walk import NOT_FOLLOWED
from tests.hostile.helpers import deadline, gpx, invoke, run_cli


@pytest.fixture()
def runs(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    return folder


def _skipped(report) -> dict[str, str]:
    return {os.path.basename(p): r for p, r in report.skipped}


def test_a_fifo_in_a_folder_is_skipped_with_a_note(runs):
    os.mkfifo(runs / "live.gpx")
    os.mkfifo(runs / "pipe")  # no activity name either: never opened to sniff it
    with deadline(20):
        activities, report = import_paths([runs])
    assert [a.name for a in activities] == ["Tuesday run"]
    skipped = _skipped(report)
    assert "FIFO" in skipped["live.gpx"] and "FIFO" in skipped["pipe"]
    assert not report.errors


def test_a_fifo_in_a_folder_through_the_cli(runs):
    os.mkfifo(runs / "live.fit")
    proc = run_cli("import", runs, "--no-cache", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"live.fit: a FIFO (named pipe), not a regular file: not read" in proc.stdout


def test_a_link_to_dev_zero_is_never_read(runs):
    """A link to /dev/zero named like a FIT file ate 10 GB."""
    (runs / "zero.fit").symlink_to("/dev/zero")
    proc = run_cli("timeline", runs, "--no-cache", timeout=60, memory=1 << 30)
    assert proc.returncode == 0, proc.stderr[-400:]
    assert b"Tuesday run" in proc.stdout
    proc = run_cli("import", runs, "--no-cache", timeout=60, memory=1 << 30)
    assert b"zero.fit: a device, not a regular file: not read" in proc.stdout


def test_a_named_fifo_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "named.gpx"
    os.mkfifo(fifo)
    with deadline(20):
        activities, report = import_paths([fifo])
    assert not activities
    assert "FIFO" in report.errors[0][1]
    zipped = tmp_path / "export.zip"
    os.mkfifo(zipped)
    with deadline(20):
        _, report = import_paths([zipped])
    assert "FIFO" in report.errors[0][1]


def test_links_out_of_the_folder_are_not_followed_by_default(runs, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "b.gpx").write_bytes(gpx("2026-11-11T07:00:00Z", "Linked file"))
    (elsewhere / "deep" / "c.gpx").write_bytes(gpx("2026-11-12T07:00:00Z", "Linked folder"))
    (runs / "b.gpx").symlink_to(elsewhere / "b.gpx")
    (runs / "more").symlink_to(elsewhere / "deep")
    activities, report = import_paths([runs])
    assert [a.name for a in activities] == ["Tuesday run"]
    assert _skipped(report) == {"b.gpx": NOT_FOLLOWED, "more": NOT_FOLLOWED}

    activities, report = import_paths([runs], follow_links=True)
    assert sorted(a.name for a in activities) == ["Linked file", "Linked folder", "Tuesday run"]
    assert not report.skipped


def test_the_follow_links_flag(runs, tmp_path):
    elsewhere = tmp_path / "elsewhere.gpx"
    elsewhere.write_bytes(gpx("2026-11-11T07:00:00Z", "Linked file"))
    (runs / "b.gpx").symlink_to(elsewhere)
    result = invoke("timeline", runs, "--no-cache")
    assert result.exit_code == 0 and "Linked file" not in result.stdout
    result = invoke("timeline", runs, "--no-cache", "--follow-links")
    assert result.exit_code == 0 and "Linked file" in result.stdout
    assert "--follow-links" in invoke("report", "--help").stdout


def test_a_squad_member_linked_from_outside_needs_the_flag(tmp_path):
    squad = tmp_path / "squad"
    squad.mkdir()
    outside = tmp_path / "outside" / "ann"
    outside.mkdir(parents=True)
    (outside / "a.gpx").write_bytes(gpx())
    (squad / "bob").mkdir()
    (squad / "bob" / "a.gpx").write_bytes(gpx())
    (squad / "ann").symlink_to(outside)
    args = ("squad", squad, "--no-cache", "--as-of", "2026-11-12", "--format", "json",
            "--workers", "1")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [a["athlete"] for a in doc["athletes"]] == ["bob"]
    assert doc["skipped"] == [{"folder": "ann", "reason": "a link to outside the squad folder, "
                                                         "not followed (--follow-links reads it)"}]
    result = invoke(*args, "--follow-links")
    assert result.exit_code == 0, result.output
    assert sorted(a["athlete"] for a in json.loads(result.stdout)["athletes"]) == ["ann", "bob"]
