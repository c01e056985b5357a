"""Issue 11, item 11: file names that are not UTF-8 work everywhere and print safely;
newlines and terminal escape codes in names and titles are escaped in terminal output and logs."""

from __future__ import annotations

import json
import os

import pytest

from loadwatch import safetext
from tests.hostile.helpers import gpx, run_cli

ESC_TITLE = "Esc \x1b[2J\x1b]0;pwned\x07 title\nFAKE LINE"
CSV_HEADER = b"Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"


@pytest.fixture()
def folder(tmp_path):
    """An athlete folder named in Latin-1, with a Latin-1 file name, a broken file of the same
    kind and a Strava CSV whose activity title carries escape codes and a newline."""
    root = os.fsencode(tmp_path) + b"/l\xf8per"
    os.makedirs(root + b"/export")
    with open(root + b"/tur-\xe5s.gpx", "wb") as fh:
        fh.write(gpx("2026-11-10T07:00:00Z", "Latin run"))
    with open(root + b"/\xf8del\xe6gt.gpx", "wb") as fh:
        fh.write(b"<gpx>broken")
    title = ESC_TITLE.replace('"', '""').encode()
    with open(root + b"/export/activities.csv", "wb") as fh:
        fh.write(CSV_HEADER + b'1,"Nov 11, 2026, 7:00:00 AM","' + title + b'",Run,1200,2.2,\n')
    return root


def _check(proc, *, code=1, csv=False):
    assert proc.returncode == code, proc.stderr[-600:]
    for stream in (proc.stdout, proc.stderr):
        stream.decode("utf-8")  # valid UTF-8 throughout
        assert b"\x1b" not in stream and b"\x07" not in stream
        if not csv:  # in CSV a line break inside a quoted cell is data, and stays
            assert b"\nFAKE LINE" not in stream
    assert b"unexpected" not in proc.stderr
    assert b"\\xf8del\\xe6gt.gpx: not well-formed GPX" in proc.stdout + proc.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_timeline(folder, tmp_path, fmt):
    proc = run_cli("timeline", folder, "--format", fmt, "--cache-dir", tmp_path / "cache")
    _check(proc, csv=fmt == "csv")
    assert b"Latin run" in proc.stdout
    if fmt == "json":
        doc = json.loads(proc.stdout)
        paths = {a["path"].rsplit("/", 1)[-1] for a in doc["activities"]}
        assert "tur-\\xe5s.gpx" in paths
        assert ESC_TITLE in {a["name"] for a in doc["activities"]}  # data kept, JSON-escaped


def test_import(folder, tmp_path):
    proc = run_cli("import", folder, "--cache-dir", tmp_path / "cache")
    _check(proc)
    again = run_cli("import", folder, "--cache-dir", tmp_path / "cache")  # from the cache
    _check(again)
    assert b"from cache:        3" in again.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_report(folder, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    proc = run_cli("report", folder, "--as-of", "2026-11-12", "--format", fmt, "--out", out,
                   "--cache-dir", tmp_path / "cache")
    _check(proc)
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        text = json.loads(text)["athlete"]
    assert "l\\xf8per" in text  # the athlete's name, from the folder


def test_squad(folder, tmp_path):
    proc = run_cli("squad", os.path.dirname(folder), "--as-of", "2026-11-12", "--workers", "1",
                   "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr[-600:]
    proc.stdout.decode("utf-8")
    assert b"l\\xf8per" in proc.stdout and b"unexpected" not in proc.stderr


def test_alert_dry_run(folder, tmp_path):
    proc = run_cli("alert", folder, "--as-of", "2026-11-12", "--dry-run", "--to", "c@example.org",
                   "--cache-dir", tmp_path / "cache")
    assert b"unexpected" not in proc.stderr, proc.stderr[-600:]
    assert proc.returncode in (0, 1)
    proc.stdout.decode("utf-8")
    proc.stderr.decode("utf-8")


def test_pain_list_escapes_the_runners_words(tmp_path):
    diary = tmp_path / "pain.csv"
    diary.write_text("date,severity,location,side,onset,symptoms,notes\n"
                     '2026-11-10,2,"knee\x1b[31m",,,,"note\x1b]0;x\x07"\n')
    proc = run_cli("pain", "list", "--pain", diary)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"knee\\x1b[31m" in proc.stdout


def test_helpers():
    assert safetext.one_line("a\nb\x1b[0m\x9b\u202e") == "a\\nb\\x1b[0m\\x9b\\u202e"
    assert safetext.display_name(os.fsdecode(b"\xff.fit")) == "\\xff.fit"
    assert safetext.terminal("line\n\x1b") == "line\n\\x1b"
    assert json.loads(safetext.no_surrogates(json.dumps(os.fsdecode(b"\xf8"), ensure_ascii=False),
                                             json=True)) == "\\xf8"
