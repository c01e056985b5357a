"""Garmin Connect downloads, however the runner points at them (zips made at test time).

"Export Original" is ``<id>.zip`` holding ``<id>_ACTIVITY.fit``; the account export
holds ``DI_CONNECT/DI-Connect-Fitness/<user>_0_summarizedActivities.json`` and
``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`` of FIT files.
"""

import json
import shutil
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.importers.scan import import_paths
from tests.corpus import CORPUS
from tests.importers import fitgen
from tests.importers.exportgen import garmin_summary_json, zip_bytes
from tests.importers.test_garmin import garmin_entry
from tests.importers.test_strava import HEADER_99, make_csv

START = datetime(2024, 3, 10, 8, 0, 0, tzinfo=UTC)
LEG = fitgen.Leg(seconds=1800, speed_mps=3.0)            # a 5.4 km run


def run_entry(activity_id: int, start: datetime = START, distance_m: float = 5400.0, **over):
    t = int(start.timestamp() * 1000)
    return garmin_entry(activity_id, beginTimestamp=t, startTimeGmt=t, startTimeLocal=t + 3_600_000,
                        distance=distance_m * 100, duration=1_800_000.0,
                        movingDuration=1_800_000.0, elapsedDuration=1_800_000.0, **over)


def account_export(path, *, with_files=True):
    """The account export: two summary files, the uploaded FITs of two of its runs."""
    day2 = START + timedelta(days=1)
    day3 = START + timedelta(days=2)
    uploaded = zip_bytes({"runner@example.com_1001.fit": fitgen.activity(START, [LEG]),
                          "runner@example.com_1002.fit": fitgen.activity(day2, [LEG])})
    members = {
        "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json":
            garmin_summary_json(run_entry(1001), run_entry(1002, day2)),
        "DI_CONNECT/DI-Connect-Fitness/runner@example.com_1_summarizedActivities.json":
            garmin_summary_json(run_entry(1003, day3, 10_000.0, activityType="treadmill_running")),
        "DI_CONNECT/DI-Connect-Fitness/runner@example.com_gear.json": b'[{"gearDTOS": []}]',
        "DI_CONNECT/DI-Connect-User/user_profile.json": b'{"userName": "runner"}',
    }
    if with_files:
        members["DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"] = uploaded
    path.write_bytes(zip_bytes(members))
    return path


def timeline(*paths, cache=None):
    args = ["timeline", *map(str, paths), "--format", "json", "--tz", "UTC"]
    args += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result


# --------------------------------------------------------------------------- Export Original


def test_export_original_zip_is_read_in_place(tmp_path):
    z = tmp_path / "14221530245.zip"
    z.write_bytes(zip_bytes({"14221530245_ACTIVITY.fit": fitgen.activity(START, [LEG])}))
    doc, result = timeline(z)
    [row] = doc["activities"]
    assert row["source"] == "fit" and row["sport"] == "run"
    assert row["distance_m"] == pytest.approx(5400.0, rel=0.01)
    assert row["path"] == f"{z}!14221530245_ACTIVITY.fit"
    assert result.exit_code == 0


@pytest.mark.skipif(not (CORPUS / "fit/sweatpy/6449921903_ACTIVITY.fit").is_file(),
                    reason="corpus absent")
def test_real_garmin_activity_file_zipped_as_connect_serves_it(tmp_path):
    fit = CORPUS / "fit/sweatpy/6449921903_ACTIVITY.fit"
    folder = tmp_path / "downloads"
    folder.mkdir()
    with zipfile.ZipFile(folder / "6449921903.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(fit, "6449921903_ACTIVITY.fit")
    doc, _ = timeline(folder)
    direct, _ = timeline(fit)
    [row] = doc["activities"]
    same = ("path", "activity_id", "athlete")
    assert {k: v for k, v in row.items() if k not in same} == \
        {k: v for k, v in direct["activities"][0].items() if k not in same}
    assert row["path"] == f"{folder / '6449921903.zip'}!6449921903_ACTIVITY.fit"


@pytest.mark.parametrize("name", ["123_ACTIVITY.tcx", "123_ACTIVITY.gpx"])
def test_export_original_with_tcx_or_gpx_inside(tmp_path, name):
    from tests.importers.exportgen import route_gpx

    gpx = route_gpx(START, points=100).replace(b"<trk>", b"<trk><type>running</type>")
    if name.endswith(".tcx"):
        data = (b'<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
                b'xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
                b'<Id>2024-03-10T08:00:00Z</Id><Lap StartTime="2024-03-10T08:00:00Z">'
                b'<TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5400</DistanceMeters>'
                b'</Lap></Activity></Activities></TrainingCenterDatabase>')
    else:
        data = gpx
    z = tmp_path / "123.zip"
    z.write_bytes(zip_bytes({name: data}))
    doc, _ = timeline(z)
    [row] = doc["activities"]
    assert row["source"] == name[-3:] and row["sport"] == "run"


def test_export_original_zips_anywhere_in_a_folder(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "1.zip").write_bytes(
        zip_bytes({"1_ACTIVITY.fit": fitgen.activity(START, [LEG])}))
    (tmp_path / "a" / "b" / "2.zip").write_bytes(
        zip_bytes({"2_ACTIVITY.fit": fitgen.activity(START + timedelta(days=1), [LEG])}))
    doc, result = timeline(tmp_path)
    assert len(doc["activities"]) == 2 and result.exit_code == 0


def test_zip_with_nothing_to_read_is_one_error(tmp_path):
    z = tmp_path / "photos.zip"
    z.write_bytes(zip_bytes({"IMG_0001.jpg": b"\xff\xd8\xff", "notes.txt": b"hi"}))
    activities, report = import_paths([z])
    assert activities == []
    assert report.errors == [(str(z), "no activity files (.fit, .gpx, .tcx), Garmin activity "
                                      "summaries or Apple Health export.xml in the zip")]


def test_zip_member_names_that_climb_out_are_never_read(tmp_path):
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as archive:
        archive.writestr("../../outside.fit", fitgen.activity(START, [LEG]))
        archive.writestr("/abs.fit", fitgen.activity(START, [LEG]))
        archive.writestr("ok_ACTIVITY.fit", fitgen.activity(START + timedelta(days=3), [LEG]))
    activities, report = import_paths([z])
    assert [a.path for a in activities] == [f"{z}!ok_ACTIVITY.fit"]


def test_member_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    from loadwatch.importers import strava_files as strava

    monkeypatch.setattr(strava, "MAX_MEMBER_BYTES", 1000)
    z = tmp_path / "1.zip"
    z.write_bytes(zip_bytes({"1_ACTIVITY.fit": fitgen.activity(START, [LEG])}))
    activities, report = import_paths([z])
    assert activities == []
    assert "a zip bomb?" in report.errors[0][1]


def test_damaged_member_is_named_and_the_rest_read(tmp_path):
    z = tmp_path / "two.zip"
    z.write_bytes(zip_bytes({"a_ACTIVITY.fit": fitgen.activity(START, [LEG]),
                             "b_ACTIVITY.fit": b"\x0e\x10garbage" * 3}))
    activities, report = import_paths([z])
    assert len(activities) == 1
    assert [p for p, _ in report.errors] == [f"{z}!b_ACTIVITY.fit"]


# --------------------------------------------------------------------------- account export


def test_account_export_zip_counts_each_activity_once(tmp_path):
    doc, result = timeline(account_export(tmp_path / "export.zip"))
    rows = doc["activities"]
    assert [r["start_utc"][:10] for r in rows] == ["2024-03-10", "2024-03-11", "2024-03-12"]
    # each run with a FIT is its summary and its file merged; the treadmill run has no file
    assert rows[0]["elevation_gain_m"] == pytest.approx(61.9)   # only the summary has it
    assert rows[0]["distance_m"] == pytest.approx(5400.0, rel=0.01)
    assert rows[2]["sport"] == "run" and rows[2]["distance_m"] == pytest.approx(10_000.0)
    assert rows[2]["utc_offset_min"] == 60
    assert doc["import"]["duplicates_dropped"] == 2
    assert result.exit_code == 0


def test_account_export_unzipped_reads_the_same(tmp_path):
    z = account_export(tmp_path / "export.zip")
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(z) as archive:
        archive.extractall(out)
    zipped, _ = timeline(z)
    unzipped, result = timeline(out)
    key = ("start_utc", "source", "sport", "distance_m")
    assert [[r[k] for k in key] for r in unzipped["activities"]] == \
        [[r[k] for k in key] for r in zipped["activities"]]
    assert result.exit_code == 0


def test_lone_summary_json_gives_the_summaries(tmp_path):
    j = tmp_path / "runner@example.com_0_summarizedActivities.json"
    j.write_bytes(garmin_summary_json(run_entry(1001), run_entry(1002, START + timedelta(days=1))))
    doc, result = timeline(j)
    assert [r["source"] for r in doc["activities"]] == ["garmin_json", "garmin_json"]
    assert [r["activity_id"] for r in doc["activities"]] == ["garmin:1001", "garmin:1002"]
    assert result.exit_code == 0


def test_other_json_named_on_the_command_line_is_skipped_with_why(tmp_path):
    j = tmp_path / "gear.json"
    j.write_bytes(b'[{"gearDTOS": []}]')
    _, report = import_paths([j])
    assert report.skipped == [(str(j), "JSON without 'summarizedActivitiesExport': not a Garmin "
                                       "activity summary file")]


def test_garmin_summary_and_strava_export_of_the_same_runs_count_once(tmp_path):
    strava = tmp_path / "strava"
    strava.mkdir()
    rows = [{"Activity ID": "77", "Activity Date": START.strftime("%b %d, %Y, %I:%M:%S %p"),
             "Activity Name": "Morning Run", "Activity Type": "Run", "Elapsed Time": "1800",
             "Distance": "5.41", "Distance#2": "5410.0", "Moving Time": "1790"}]
    (strava / "activities.csv").write_bytes(make_csv(HEADER_99, rows))
    garmin = tmp_path / "garmin"
    garmin.mkdir()
    (garmin / "r_0_summarizedActivities.json").write_bytes(garmin_summary_json(run_entry(1001)))
    doc, _ = timeline(tmp_path)
    [row] = doc["activities"]
    assert row["name"] in ("Morning Run", "Laufen am Nachmittag")
    assert doc["import"]["duplicates_dropped"] == 1


def test_nested_zip_is_not_unpacked_again_when_unchanged(tmp_path, monkeypatch):
    from loadwatch.importers import archives

    z = account_export(tmp_path / "export.zip")
    cache = tmp_path / "cache"
    first, _ = timeline(z, cache=cache)
    calls = []
    real = archives._spool
    monkeypatch.setattr(archives, "_spool", lambda *a: calls.append(a) or real(*a))
    second, _ = timeline(z, cache=cache)
    assert calls == []
    assert second["activities"] == first["activities"]
    assert second["import"]["parsed"] == 0


def test_zips_nested_too_deep_are_skipped_with_why(tmp_path):
    inner = zip_bytes({"deep.zip": zip_bytes({"x_ACTIVITY.fit": fitgen.activity(START, [LEG])})})
    z = tmp_path / "outer.zip"
    z.write_bytes(zip_bytes({"middle.zip": inner}))
    activities, report = import_paths([z])
    assert activities == []
    assert report.skipped == [(f"{z}!middle.zip!deep.zip",
                               "a zip nested more than 2 deep; unzip it to import it")]


def test_summary_only_export_uses_the_summaries(tmp_path):
    doc, result = timeline(account_export(tmp_path / "export.zip", with_files=False))
    assert [r["source"] for r in doc["activities"]] == ["garmin_json"] * 3
    assert result.exit_code == 0


def test_import_and_report_commands_take_the_garmin_zip(tmp_path):
    z = account_export(tmp_path / "export.zip")
    result = CliRunner().invoke(cli, ["import", str(z), "--no-cache"])
    assert result.exit_code == 0 and "Activities:          3" in result.output
    shutil.copy(z, tmp_path / "athlete.zip")
    result = CliRunner().invoke(cli, ["report", str(z), "--no-cache", "--as-of", "2024-03-14",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output


def test_nested_zip_above_the_size_limit_is_refused_and_the_rest_read(tmp_path, monkeypatch):
    from loadwatch.importers import strava_files as strava

    z = account_export(tmp_path / "export.zip")
    monkeypatch.setattr(strava, "MAX_MEMBER_BYTES", 20_000)   # the FIT zip is larger
    activities, report = import_paths([z])
    assert {a.source for a in activities} == {"garmin_json"} and len(activities) == 3
    [(where, problem)] = report.errors
    assert where.endswith("!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip")
    assert "a zip bomb?" in problem
