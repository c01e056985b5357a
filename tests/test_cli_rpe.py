"""`loadwatch rpe add` and the athlete's rpe.csv log, through the CLI."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers import fitgen

START = datetime(2026, 11, 2, 7, tzinfo=UTC)  # Monday


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def athlete(tmp_path):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    # Monday one 40-minute run; Tuesday two runs (morning and evening); no ratings in the files.
    (folder / "mon.fit").write_bytes(fitgen.activity(START, [fitgen.Leg(seconds=2400)]))
    (folder / "tue-am.fit").write_bytes(fitgen.activity(START + timedelta(days=1),
                                                        [fitgen.Leg(seconds=1200)]))
    (folder / "tue-pm.fit").write_bytes(fitgen.activity(START + timedelta(days=1, hours=10),
                                                        [fitgen.Leg(seconds=1800)]))
    return folder


def activities(folder, tmp_path):
    result = run("timeline", folder, "--format", "json", "--cache-dir", tmp_path / "c")
    return result, json.loads(result.stdout)["activities"]


def test_add_writes_the_log_and_rates_the_days_one_session(athlete, tmp_path):
    result = run("rpe", "add", "2026-11-02", "7", athlete)
    assert result.exit_code == 0, result.output
    assert "RPE 7" in result.stdout
    assert (athlete / "rpe.csv").read_text() == "date,activity,rpe\n2026-11-02,,7\n"
    result, acts = activities(athlete, tmp_path)
    assert result.exit_code == 0, result.output
    monday = acts[0]
    assert monday["rpe"] == 7.0 and monday["session_load"] == 280.0  # 7 x 40 min
    assert [a["rpe"] for a in acts[1:]] == [None, None]  # not rated: unknown, never 0
    assert [a["session_load"] for a in acts[1:]] == [None, None]


def test_a_day_with_two_sessions_needs_the_activity(athlete, tmp_path):
    run("rpe", "add", "2026-11-03", "5", athlete)
    result, acts = activities(athlete, tmp_path)
    assert [a["rpe"] for a in acts] == [None, None, None]
    assert "2 activities on 2026-11-03" in result.stderr and "--activity" in result.stderr
    evening = acts[2]["activity_id"]
    assert run("rpe", "add", "2026-11-03", "8.5", athlete, "--activity", evening).exit_code == 0
    result, acts = activities(athlete, tmp_path)
    assert [a["rpe"] for a in acts] == [None, None, 8.5]
    assert acts[2]["session_load"] == 8.5 * 30


def test_an_activity_that_is_not_the_athletes_or_not_that_day_is_refused(athlete, tmp_path):
    _, acts = activities(athlete, tmp_path)
    monday = acts[0]["activity_id"]
    for day, ident, words in (("2026-11-02", "fit:nope", "fit:nope: not an activity of"),
                              ("2026-11-03", monday, f"activity {monday} is on 2026-11-02, "
                                                     "not 2026-11-03")):
        result = run("rpe", "add", day, "5", athlete, "--activity", ident)
        assert result.exit_code == 2, result.output
        assert words in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not (athlete / "rpe.csv").exists()
    assert run("rpe", "add", "2026-11-02", "5", athlete, "--activity", monday).exit_code == 0


def test_a_later_line_corrects_an_earlier_one_and_a_file_rating(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    (folder / "rated.fit").write_bytes(fitgen.activity(START, [fitgen.Leg(seconds=1800,
                                                                          workout_rpe=40)]))
    _, acts = activities(folder, tmp_path)
    assert acts[0]["rpe"] == 4.0 and acts[0]["session_load"] == 120.0
    run("rpe", "add", "2026-11-02", "6", folder)
    run("rpe", "add", "2026-11-02", "5", folder)
    _, acts = activities(folder, tmp_path)
    assert acts[0]["rpe"] == 5.0 and acts[0]["session_load"] == 150.0


def test_a_spreadsheet_log_with_semicolons_and_decimal_commas_is_read(athlete, tmp_path):
    (athlete / "rpe.csv").write_text("Date;Notes;RPE\n2026-11-02;legs heavy;6,5\n"
                                     "2026-11-02;;eleven\n")
    result, acts = activities(athlete, tmp_path)
    assert acts[0]["rpe"] == 6.5
    # The bad line is named, the rest counts, and the exit says some input was skipped.
    assert result.exit_code == 1
    assert "rpe.csv" in result.stderr and "line 3" in result.stderr
    assert "'eleven' is not a rating" in result.stderr
    # rpe add keeps the file's own separator and columns.
    assert run("rpe", "add", "2026-11-03", "4.5", athlete, "--activity", "x").exit_code == 2
    assert run("rpe", "add", "2026-11-04", "4.5", athlete).exit_code == 0
    assert (athlete / "rpe.csv").read_text().endswith("2026-11-04;;4,5\n")


def test_bad_input_is_one_line_exit_2_and_writes_nothing(athlete):
    tomorrow = (datetime.now().date() + timedelta(days=1)).isoformat()
    for args in (("2026-11-02", "11"), ("2026-13-40", "5"), ("2026-11-02", "x"),
                 ("2026-11-02", "nan"), ("2026-11-02", "seven"), (tomorrow, "5"),
                 ("2030-01-01", "5")):
        result = run("rpe", "add", *args, athlete)
        assert result.exit_code == 2 and "Error" in result.stderr, args
    assert not (athlete / "rpe.csv").exists()
    # A negative rating is a rating off the scale, not an unknown option.
    result = run("rpe", "add", "2026-11-02", "-1", athlete)
    assert result.exit_code == 2 and "-1.0 is not in the range 0<=x<=10" in result.stderr
    assert "No such option" not in result.stderr


def test_a_folder_that_cannot_be_written_is_one_line_exit_2(athlete, monkeypatch):
    # Tests may run as root, for whom chmod does not stop a write: refuse it where it happens.
    import os

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("rpe", "add", "2026-11-02", "5", athlete)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "rpe.csv" in result.stderr
    assert "Permission denied" in result.stderr
    assert sorted(p.name for p in athlete.iterdir() if "rpe" in p.name) in ([], [".rpe.csv.lock"]), \
        list(athlete.iterdir())


def test_the_log_is_not_read_as_an_activity_file(athlete, tmp_path):
    run("rpe", "add", "2026-11-02", "3", athlete)
    result = run("import", athlete, "--cache-dir", tmp_path / "c")
    assert "rpe.csv" not in result.output


def test_a_strava_rows_rating_is_kept_when_a_file_backs_the_row(tmp_path):
    # A real export has a file behind nearly every row: the row's Perceived Exertion was lost
    # when the file's activity replaced the summary.
    import csv
    import io

    from tests.importers import exportgen

    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    gpx_start, fit_start, fit2_start = START, START + timedelta(days=1), START + timedelta(days=2)
    (folder / "activities" / "1.gpx").write_bytes(exportgen.route_gpx(gpx_start, points=300))
    (folder / "activities" / "2.fit").write_bytes(
        fitgen.activity(fit_start, [fitgen.Leg(seconds=1800, workout_rpe=40)]))
    (folder / "activities" / "3.fit").write_bytes(
        fitgen.activity(fit2_start, [fitgen.Leg(seconds=1800, workout_rpe=40)]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Elapsed Time",
                "Distance", "Filename", "Elapsed Time", "Moving Time", "Distance",
                "Perceived Exertion"])
    for ident, start, file, rated in ((1, gpx_start, "1.gpx", "7"), (2, fit_start, "2.fit", "6"),
                                      (3, fit2_start, "3.fit", "")):
        w.writerow([ident, exportgen.strava_date(start), f"Run {ident}", "Run", "", "",
                    f"activities/{file}", "", "", "", rated])
    (folder / "activities.csv").write_text(out.getvalue())
    result, acts = activities(folder, tmp_path)
    assert [a["rpe"] for a in acts] == [7.0, 6.0, 4.0], result.output
    # The Strava row wins over the FIT's workout_rpe; an unrated row keeps the file's rating.
    assert acts[1]["session_load"] == 6.0 * 30


def test_a_synced_store_with_a_400_digit_number_keeps_its_activities(tmp_path):
    # float() of a JSON integer of 400 digits overflows: the whole store was lost to
    # "unexpected OverflowError" for one absurd icu_rpe (or distance).
    folder = tmp_path / "a"
    (folder / "intervals.icu").mkdir(parents=True)
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    huge = int("9" * 400)
    records = [{"id": "i1", "start_date": "2026-11-02T07:00:00Z", "type": "Run",
                "moving_time": 2400, "elapsed_time": 2400, "distance": 8000, "icu_rpe": huge},
               {"id": "i2", "start_date": "2026-11-03T07:00:00Z", "type": "Run",
                "moving_time": 1800, "elapsed_time": 1800, "distance": huge, "icu_rpe": 6}]
    (folder / "intervals.icu" / "intervals-activities.json").write_text(json.dumps(
        {"format": "loadwatch-intervals-sync", "version": 1, "activities": records}))
    result, acts = activities(folder, tmp_path)
    assert "OverflowError" not in result.output
    assert [a["rpe"] for a in acts] == [None, 6.0], result.output
    assert acts[1]["session_load"] == 6.0 * 30
