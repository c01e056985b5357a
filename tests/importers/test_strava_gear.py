"""Shoes and races in Strava exports: ``Activity Gear`` read into the timeline's ``gear``,
races from names and ``[races]`` into its ``race``."""

import json
from datetime import UTC, date, datetime

from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.importers import strava
from tests.importers import fitgen
from tests.importers.exportgen import STRAVA_HEADER, StravaRow, strava_csv


def timeline(path, tmp_path, *extra):
    result = CliRunner().invoke(cli, ["timeline", str(path), "--tz", "UTC", "--format", "json",
                                      "--cache-dir", str(tmp_path / "cache"), *extra])
    return result, json.loads(result.stdout)


def test_activity_gear_is_read_and_an_empty_cell_is_unknown():
    rows = strava.read_activities_csv(strava_csv(
        StravaRow(date(2026, 11, 1), 10, gear="Pegasus 40"),
        StravaRow(date(2026, 11, 2), 5)), "activities.csv").rows
    assert [r.activity.gear for r in rows] == ["Pegasus 40", None]


def test_german_and_pre_2019_exports_name_the_shoe_too():
    german = tuple({"Activity ID": "Aktivitäts-ID", "Activity Date": "Aktivitätsdatum",
                    "Activity Name": "Name der Aktivität", "Activity Type": "Aktivitätsart",
                    "Elapsed Time": "Verstrichene Zeit", "Distance": "Distanz",
                    "Activity Gear": "Aktivitätsausrüstung", "Filename": "Dateiname",
                    "Moving Time": "Bewegungszeit"}.get(c, c) for c in STRAVA_HEADER)
    text = strava_csv(StravaRow(date(2026, 11, 1), 10, gear="Novablast 4")).decode()
    text = text.replace(",".join(STRAVA_HEADER), ",".join(german), 1).replace(
        "Nov 1, 2026, 07:00:00 AM", "01.11.2026, 07:00:00")
    (row,) = strava.read_activities_csv(text.encode(), "activities.csv").rows
    assert row.activity.gear == "Novablast 4"
    legacy = (b"id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
              b"1836776031,2018-09-12 15:02:23,Evening Run,Run,,1783,5681.0,false,Kinvara,\n")
    (row,) = strava.read_activities_csv(legacy, "activities.csv").rows
    assert row.activity.gear == "Kinvara"


def test_the_shoe_of_a_row_goes_onto_the_file_it_names(tmp_path):
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "4711.fit").write_bytes(fitgen.activity(
        datetime(2026, 11, 8, 8, 5, tzinfo=UTC), [fitgen.Leg(seconds=1200, speed_mps=3.0)]))
    (root / "activities.csv").write_bytes(strava_csv(
        StravaRow(date(2026, 11, 8), 3.6, gear="Clifton 9", hour=8, name="Sunday run",
                  minutes=20, filename="activities/4711.fit"),
        StravaRow(date(2026, 11, 9), 5.0, name="Lunch Run")))
    result, doc = timeline(root, tmp_path)
    assert result.exit_code == 0, result.output
    by_name = {a["name"]: a for a in doc["activities"]}
    assert by_name["Sunday run"]["source"] == "fit"
    assert by_name["Sunday run"]["gear"] == "Clifton 9"
    assert by_name["Lunch Run"]["gear"] is None


def test_races_come_from_names_and_from_the_settings(tmp_path):
    root = tmp_path / "ana"
    root.mkdir()
    (root / "activities.csv").write_bytes(strava_csv(
        StravaRow(date(2026, 11, 8), 21.1, name="Valencia Half Marathon"),
        StravaRow(date(2026, 11, 3), 12, name="Marathon pace 3x4 km"),
        StravaRow(date(2026, 11, 5), 8, name="Thursday run"),
        StravaRow(date(2026, 11, 6), 5, name="Friday shakeout"),
        StravaRow(date(2026, 11, 7), 5, name="Saturday parkrun"),
        StravaRow(date(2026, 11, 10), 30, kind="Ride", name="Race to the office")))
    _, doc = timeline(root, tmp_path)
    race = {a["name"]: a["race"] for a in doc["activities"]}
    assert race == {"Valencia Half Marathon": True, "Marathon pace 3x4 km": False,
                    "Thursday run": False, "Friday shakeout": False, "Saturday parkrun": True,
                    "Race to the office": False}
    (root / "loadwatch.toml").write_text(
        '[races]\ndays = ["2026-11-05"]\nnot = ["strava:5"]\n')
    _, doc = timeline(root, tmp_path)
    race = {a["name"]: a["race"] for a in doc["activities"]}
    assert race["Thursday run"] is True and race["Saturday parkrun"] is False
    assert race["Valencia Half Marathon"] is True


def test_a_run_named_like_a_race_that_the_settings_make_a_ride_is_no_race(tmp_path):
    root = tmp_path / "ana"
    root.mkdir()
    (root / "activities.csv").write_bytes(strava_csv(
        StravaRow(date(2026, 11, 8), 42.2, name="Marathon du vélo")))
    (root / "loadwatch.toml").write_text('[sports]\n"strava:1" = "ride"\n')
    _, doc = timeline(root, tmp_path)
    (act,) = doc["activities"]
    assert act["sport"] == "ride" and act["race"] is False


def test_a_bad_races_setting_is_one_line_naming_the_file(tmp_path):
    root = tmp_path / "ana"
    root.mkdir()
    (root / "activities.csv").write_bytes(strava_csv(StravaRow(date(2026, 11, 8), 5)))
    (root / "loadwatch.toml").write_text('[races]\ndays = ["8 Nov"]\n')
    result = CliRunner().invoke(cli, ["timeline", str(root), "--cache-dir",
                                      str(tmp_path / "cache")])
    assert result.exit_code == 2
    assert "loadwatch.toml: races.days: '8 Nov' is not a day" in result.stderr
    assert "Traceback" not in result.output
