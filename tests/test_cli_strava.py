"""Strava exports through the CLI: folders, zips, a CSV on its own, rows whose file is missing."""

import json
import shutil
import zipfile
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.corpus import CORPUS
from tests.importers import fitgen

EXPORT = CORPUS / "strava" / "geo-activity-playground" / "Strava Export"
HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
          "Moving Time,Elevation Gain,Filename\n")


def timeline(path, tmp_path, *extra):
    result = CliRunner().invoke(cli, ["timeline", str(path), "--tz", "Europe/Oslo", "--format",
                                      "json", "--cache-dir", str(tmp_path / "cache"), *extra])
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


@pytest.fixture
def export(tmp_path):
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    start = datetime(2026, 11, 8, 8, 5, tzinfo=UTC)
    (root / "activities" / "4711.fit").write_bytes(
        fitgen.activity(start, [fitgen.Leg(seconds=1200, speed_mps=3.0)]))
    (root / "activities.csv").write_text(
        HEADER
        + '101,"Nov 8, 2026, 8:05:00 AM",Sunday long run,Run,1200,3.60,1200,12,activities/4711.fit\n'
        + '102,"Nov 9, 2026, 6:00:00 PM",Gym,Weight Training,2700,,2700,,\n'
        + '103,"Nov 10, 2026, 7:00:00 AM",Lost file,Run,1800,5.00,1750,30,activities/999.gpx\n')
    return root


def test_rows_are_read_from_their_files_and_the_rest_from_the_csv(export, tmp_path):
    result, doc = timeline(export, tmp_path)
    assert result.exit_code == 1  # one named file is missing
    by_name = {a["name"]: a for a in doc["activities"]}
    assert by_name["Sunday long run"]["source"] == "fit"  # the file, named as on Strava
    assert by_name["Gym"]["source"] == "strava_csv" and by_name["Gym"]["sport"] == "strength"
    lost = by_name["Lost file"]
    assert lost["source"] == "strava_csv" and lost["distance_m"] == 5000.0
    (error,) = doc["import"]["errors"]
    assert "999.gpx" in error["path"] and "summary" in error["error"]
    assert "999.gpx" in result.stderr


def test_the_export_as_a_zip_gives_the_same_activities(export, tmp_path):
    archive = tmp_path / "export_12345.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in export.rglob("*"):
            if f.is_file():
                z.write(f, "export_12345/" + f.relative_to(export).as_posix())
    _, from_folder = timeline(export, tmp_path)
    result, from_zip = timeline(archive, tmp_path)
    assert result.exit_code == 1

    def summary(doc):
        return [(a["name"], a["source"], a["distance_m"]) for a in doc["activities"]]

    assert summary(from_zip) == summary(from_folder)
    assert not any((tmp_path / n).exists() for n in ("activities", "export_12345"))  # not extracted


def test_csv_on_its_own_uses_its_rows_without_errors(export, tmp_path):
    shutil.rmtree(export / "activities")
    result, doc = timeline(export / "activities.csv", tmp_path)
    assert result.exit_code == 0, result.output
    assert len(doc["activities"]) == 3
    assert all(a["source"] == "strava_csv" for a in doc["activities"])
    assert doc["import"]["errors"] == [] and doc["import"]["notes"]


def test_unreadable_header_is_one_clear_error(tmp_path):
    # A German header cut short (an export edited by hand): loadwatch names what is missing.
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "activities.csv").write_text(
        "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart\n"
        '1,"09.12.2022, 15:24:49",Lauf,Laufen\n', encoding="utf-8")
    result, _ = timeline(folder, tmp_path)
    assert result.exit_code == 2
    assert "'Elapsed Time', 'Distance', 'Filename'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(not EXPORT.is_dir(), reason="shared corpus not available")
def test_real_export_reads_the_fit_it_names(tmp_path):
    result, doc = timeline(EXPORT, tmp_path)
    assert result.exit_code == 0, result.output
    (a,) = doc["activities"]
    assert a["source"] == "fit" and a["start_utc"] == "2022-05-29T15:53:35Z"
    assert a["distance_m"] == pytest.approx(3322.95, rel=0.01)
    assert a["activity_id"].startswith("fit:")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_real_csv_without_its_files(tmp_path):
    result, doc = timeline(CORPUS / "strava" / "JoBoSo-2025-08-25" / "activities.csv", tmp_path,
                           "--format", "json")
    assert result.exit_code == 0
    runs = [a for a in doc["activities"] if a["sport"] == "run"]
    assert len(doc["activities"]) >= 1800 and len(runs) >= 600


@pytest.mark.skipif(not EXPORT.is_dir(), reason="shared corpus not available")
def test_row_beats_a_truncated_file_and_the_warning_says_so(tmp_path):
    import gzip

    copy = tmp_path / "export"
    shutil.copytree(EXPORT, copy)
    member = copy / "activities" / "12866632127.fit.gz"
    data = gzip.decompress(member.read_bytes())
    member.write_bytes(gzip.compress(data[: len(data) * 3 // 10]))  # a download cut short
    result, doc = timeline(copy, tmp_path)
    assert result.exit_code == 0, result.output
    (a,) = doc["activities"]
    assert a["source"] == "fit" and a["distance_m"] == pytest.approx(3322.95)
    assert a["elapsed_s"] == 1428 and a["duration_s"] == 1411  # the row's times
    warnings = [w for w in doc["import"]["warnings"] if w["path"] == str(member)]
    assert any(w["warning"].startswith("truncated") for w in warnings)
    assert any("line 2 of activities.csv holds more than the damaged file" in w["warning"]
               for w in warnings)
    assert f"Warning: {member}: line 2 of activities.csv holds more" in result.stderr


def test_row_names_the_sport_the_file_could_only_infer(tmp_path):
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    start = datetime(2026, 11, 8, 8, 5, tzinfo=UTC)
    # A generic FIT at 7.5 m/s: its speed alone says "ride"; the athlete's word wins.
    leg = fitgen.Leg(sport=fitgen.Sport.GENERIC, seconds=1800, speed_mps=7.5)
    (root / "activities" / "1.fit").write_bytes(fitgen.activity(start, [leg]))
    (root / "activities.csv").write_text(
        HEADER + '1,"Nov 8, 2026, 8:05:00 AM",Fast one,Run,1800,13.50,1800,0,activities/1.fit\n')
    _, doc = timeline(root, tmp_path)
    (a,) = doc["activities"]
    assert a["sport"] == "run" and a["source"] == "fit"
