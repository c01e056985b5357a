"""`loadwatch timeline` and `loadwatch import` through the CLI, on generated and real files."""

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.corpus import CORPUS
from tests.importers import fitgen

START = datetime(2026, 11, 1, 21, 30, tzinfo=UTC)  # Sunday 22:30 in Oslo (CET)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def folder(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "sunday late.fit").write_bytes(fitgen.activity(START, [fitgen.Leg(seconds=1800)]))
    (runs / "MONDAY.FIT").write_bytes(fitgen.activity(START + timedelta(days=1, hours=-12),
                                                      [fitgen.Leg(seconds=2400)]))
    return runs


def invoke(runner, *args, cache):
    return runner.invoke(cli, [*args, "--cache-dir", str(cache)], catch_exceptions=False)


def test_timeline_json_schema_and_local_days(runner, folder, tmp_path):
    result = invoke(runner, "timeline", str(folder), "--tz", "Europe/Oslo", "--format", "json",
                    cache=tmp_path / "c")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "loadwatch/timeline-v1"
    acts = doc["activities"]
    assert [a["local_date"] for a in acts] == ["2026-11-01", "2026-11-02"]
    assert acts[0]["start_utc"] == "2026-11-01T21:30:00Z"
    assert acts[0]["start_local"].startswith("2026-11-01T22:30:00+01:00")
    assert acts[0]["sport"] == "run" and acts[0]["is_run"] is True
    assert acts[0]["distance_m"] == pytest.approx(5400, rel=0.01)
    assert doc["import"]["files_seen"] == 2 and doc["import"]["errors"] == []


def test_same_run_in_utc_is_monday(runner, folder, tmp_path):
    result = invoke(runner, "timeline", str(folder), "--tz", "UTC", "--format", "csv",
                    cache=tmp_path / "c")
    assert result.exit_code == 0
    assert "2026-11-01" in result.stdout.splitlines()[1]


def test_duplicates_are_dropped_and_reported(runner, folder, tmp_path):
    copy = fitgen.activity(START + timedelta(seconds=30), [fitgen.Leg(seconds=1800, speed_mps=3.05)])
    (folder / "strava copy.fit").write_bytes(copy)
    result = invoke(runner, "timeline", str(folder), "--tz", "Europe/Oslo", "--format", "json",
                    cache=tmp_path / "c")
    doc = json.loads(result.stdout)
    assert len(doc["activities"]) == 2 and doc["import"]["duplicates_dropped"] == 1


def test_bad_file_is_one_line_and_exit_1(runner, folder, tmp_path):
    (folder / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 6 + b".FIT" + b"\xff" * 40)
    (folder / "notes.txt").write_text("not an activity, ignored")
    result = invoke(runner, "timeline", str(folder), "--tz", "UTC", cache=tmp_path / "c")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "broken.fit" in errors[0]
    assert "Traceback" not in result.output
    assert "2 activities" in result.stdout


def test_empty_folder_is_exit_2(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke(runner, "timeline", str(tmp_path / "empty"), cache=tmp_path / "c")
    assert result.exit_code == 2 and "no activities" in result.stderr


def test_unknown_timezone_is_a_usage_error(runner, folder, tmp_path):
    result = invoke(runner, "timeline", str(folder), "--tz", "Nowhere/Land", cache=tmp_path / "c")
    assert result.exit_code == 2 and "Nowhere/Land" in result.output
    assert "Traceback" not in result.output


def test_import_uses_the_cache(runner, folder, tmp_path):
    cache = tmp_path / "c"
    first = invoke(runner, "import", str(folder), cache=cache)
    assert first.exit_code == 0 and "parsed now:        2" in first.stdout
    second = invoke(runner, "import", str(folder), cache=cache)
    assert "parsed now:        0" in second.stdout and "from cache:        2" in second.stdout
    # Touched but identical: found by content hash, not parsed.
    target = folder / "MONDAY.FIT"
    os.utime(target, (1, 1))
    third = invoke(runner, "import", str(folder), cache=cache)
    assert "parsed now:        0" in third.stdout
    # Changed content: parsed again.
    target.write_bytes(fitgen.activity(START + timedelta(days=3), [fitgen.Leg(seconds=600)]))
    fourth = invoke(runner, "import", str(folder), cache=cache)
    assert "parsed now:        1" in fourth.stdout and "from cache:        1" in fourth.stdout


def test_corrupt_cache_is_rebuilt_with_a_warning(runner, folder, tmp_path):
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / "loadwatch.sqlite").write_bytes(b"garbage" * 1000)
    result = invoke(runner, "import", str(folder), cache=cache)
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "rebuilding" in result.stderr


def test_env_var_sets_the_cache(runner, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_CACHE", str(tmp_path / "envcache"))
    result = runner.invoke(cli, ["import", str(folder)])
    assert result.exit_code == 0
    assert (tmp_path / "envcache" / "loadwatch.sqlite").exists()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_whole_corpus_imports_without_a_crash(runner, tmp_path):
    result = runner.invoke(cli, ["import", str(CORPUS / "fit"), str(CORPUS / "gpx"),
                                 str(CORPUS / "tcx"), "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 1, result.output  # some corpus files are broken on purpose
    assert "Traceback" not in result.output
    assert "Failed:" in result.stdout and "Skipped:" in result.stdout


def test_debug_shows_the_underlying_error(runner, folder, tmp_path):
    plain = runner.invoke(cli, ["timeline", str(folder), "--tz", "Bad/Zone"])
    assert plain.exit_code == 2 and "Traceback" not in plain.output
    debug = runner.invoke(cli, ["--debug", "timeline", str(folder), "--tz", "Bad/Zone"])
    from loadwatch.timeline import TimezoneError

    assert isinstance(debug.exception, TimezoneError)


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "loadwatch" in result.output


def gpx_track(minutes: int, metres_per_minute: float, name: str = "Track", day: int = 0) -> bytes:
    points = "".join(
        f'<trkpt lat="{59.0 + i * metres_per_minute / 111_195:.7f}" lon="10.0">'
        f"<time>{(START + timedelta(days=day, minutes=i)).isoformat()}</time></trkpt>"
        for i in range(minutes + 1))
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="x" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name><trkseg>'
            f"{points}</trkseg></trk></gpx>").encode()


def test_gpx_without_sport_is_unknown_with_a_note_and_toml_sets_it(runner, tmp_path):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    (folder / "2026-11-01.gpx").write_bytes(gpx_track(40, 200))
    (folder / "Cycling 2026-11-02.gpx").write_bytes(gpx_track(40, 200, name="Untitled", day=1))
    out = tmp_path / "t.json"
    result = invoke(runner, "timeline", str(folder), "--tz", "Europe/Oslo", "--format", "json",
                    "--out", str(out), cache=tmp_path / "c")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    sports = {a["path"].rsplit("/", 1)[-1]: a["sport"] for a in doc["activities"]}
    assert sports == {"2026-11-01.gpx": "unknown", "Cycling 2026-11-02.gpx": "ride"}
    assert not any(a["is_run"] for a in doc["activities"])
    (note,) = doc["import"]["notes"]
    assert note.startswith(str(folder / "2026-11-01.gpx") + ": states no sport")
    assert f"add to {folder / 'loadwatch.toml'}: [sports] \"2026-11-01.gpx\" = \"run\"" in note

    (folder / "loadwatch.toml").write_text('[sports]\n"2026-11-*.gpx" = "run"\n')
    result = invoke(runner, "timeline", str(folder), "--tz", "Europe/Oslo", "--format", "json",
                    "--out", str(out), cache=tmp_path / "c")
    doc = json.loads(out.read_text())
    sports = {a["path"].rsplit("/", 1)[-1]: a["sport"] for a in doc["activities"]}
    assert sports == {"2026-11-01.gpx": "run", "Cycling 2026-11-02.gpx": "ride"}
    assert doc["import"]["notes"] == []


def test_sports_override_by_activity_id_wins_over_a_pattern(runner, tmp_path):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx_track(40, 200))
    out = tmp_path / "t.json"
    invoke(runner, "timeline", str(folder), "--format", "json", "--out", str(out),
           cache=tmp_path / "c")
    (a,) = json.loads(out.read_text())["activities"]
    (folder / "loadwatch.toml").write_text(f'[sports]\n"*.gpx" = "run"\n"{a["activity_id"]}" = "hike"\n')
    invoke(runner, "timeline", str(folder), "--format", "json", "--out", str(out),
           cache=tmp_path / "c")
    (a,) = json.loads(out.read_text())["activities"]
    assert a["sport"] == "hike" and not a["is_run"]


def test_bad_sports_table_is_a_usage_error(runner, tmp_path):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx_track(40, 200))
    (folder / "loadwatch.toml").write_text('[sports]\n"*.gpx" = "jogging in the park"\n')
    result = invoke(runner, "timeline", str(folder), cache=tmp_path / "c")
    assert result.exit_code == 2
    assert "sports.*.gpx" in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_lone_settings_file_is_reported_against_itself_with_what_it_is(runner, tmp_path):
    path = CORPUS / "fit" / "python-fitparse" / "nametest.FIT"
    result = invoke(runner, "timeline", str(path), cache=tmp_path / "c")
    assert result.exit_code == 2
    assert f"Skipped: {path}: a FIT settings file, not an activity" in result.stderr
    assert result.stderr.strip().endswith(f"Error: no activities found in {path}")


def test_unreadable_zip_names_itself_not_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    result = invoke(runner, "timeline", "export.zip", cache=tmp_path / "c")
    assert result.exit_code == 2
    assert "Error: export.zip: damaged or not a zip file" in result.stderr
    assert "no activities found in export.zip" in result.stderr
    assert "found in ." not in result.stderr


def test_apple_health_and_json_files_in_a_folder_are_named_not_skipped_in_silence(
        runner, folder, tmp_path):
    (folder / "export.xml").write_text("<HealthData/>")
    (folder / "summarizedActivities.json").write_text("[]")
    out = tmp_path / "t.json"
    result = invoke(runner, "timeline", str(folder), "--format", "json", "--out", str(out),
                    cache=tmp_path / "c")
    assert result.exit_code == 0
    skipped = {s["path"]: s["reason"] for s in json.loads(out.read_text())["import"]["skipped"]}
    assert skipped[str(folder / "export.xml")] == "an Apple Health export with no workout in it"
    assert "not a Garmin activity summary" in skipped[str(folder / "summarizedActivities.json")]
