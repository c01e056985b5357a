"""The report with session RPE: a generated Strava export with 'Perceived Exertion' filled,
--load srpe and [athlete] load = "srpe", in JSON (schema-checked), text, Markdown and HTML."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers.exportgen import StravaRun, strava_rpe_csv
from tests.test_schemas import problems

MONDAY = datetime(2026, 11, 2, 7, tzinfo=UTC)

# Two weeks, a run every day, 40 minutes at RPE 5 (200 AU each); week 2 leaves Tuesday
# and Thursday unrated: week 1 = 7 x 200 = 1400 AU, 7 of 7 rated; week 2 = 5 x 200 = 1000
# AU, 5 of 7 rated; over both weeks 12 of 14 sessions rated.
UNRATED = {8, 10}


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    runs = [StravaRun(100 + n, MONDAY + timedelta(days=n), 40, 8.0,
                      rpe="" if n in UNRATED else "5", prefer="true") for n in range(14)]
    (folder / "activities.csv").write_bytes(strava_rpe_csv(*runs))
    return folder


def report(folder, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-15",
                                      "--tz", "UTC", "--no-cache", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_weeks_carry_session_load_and_missing_ratings_whatever_the_load(export):
    for load in ([], ["--load", "srpe"]):
        doc = json.loads(report(export, "--format", "json", *load))
        assert problems("report-v3", doc) == []
        assert [w["session_load"] for w in doc["weeks"]] == [1400.0, 1000.0]
        assert [w["rpe_missing"] for w in doc["weeks"]] == [0, 2]
        assert [w["sessions_rated"] for w in doc["weeks"]] == [7, 5]
        assert doc["session_rpe"] == {"rated": 12, "unrated": 2}
    assert doc["load"] == "srpe"
    # Every day is 200 AU in week 1: the same load each day, Foster's monotony capped
    # (SD 0); week 2 has unrated sessions, so no monotony rather than a made-up one.
    assert doc["weeks"][0]["monotony"] == 10.0 and doc["weeks"][0]["strain"] == 14000.0
    assert doc["weeks"][1]["monotony"] is None and doc["weeks"][1]["strain"] is None


def test_text_markdown_and_html_show_the_column_and_say_how_many_are_rated(export):
    text = report(export, "--load", "srpe")
    assert "session load" in text and "1000 (5 of 7)" in text and "1400 " in text
    assert "12 of 14 sessions in these weeks are rated" in text
    assert "not counted as easy" in text
    md = report(export, "--format", "markdown")
    assert "session load" in md and "1000 (5 of 7)" in md
    assert "12 of 14 sessions" not in md  # the load is distance: no srpe note
    html = report(export, "--format", "html")
    assert "session load" in html and "1000 (5 of 7)" in html


def test_settings_choose_srpe_and_the_flag_wins(export):
    (export / "loadwatch.toml").write_text('[athlete]\nload = "srpe"\n')
    assert json.loads(report(export, "--format", "json"))["load"] == "srpe"
    assert json.loads(report(export, "--format", "json", "--load", "distance"))["load"] == \
        "distance"


def test_a_bad_load_setting_is_one_line_naming_the_file(export):
    (export / "loadwatch.toml").write_text('[athlete]\nload = "rpe"\n')
    result = CliRunner().invoke(cli, ["report", str(export), "--no-cache"])
    assert result.exit_code == 2
    assert "athlete.load must be one of distance, duration, trimp, srpe" in result.output


def test_no_rating_shows_no_column(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    runs = [StravaRun(1 + n, MONDAY + timedelta(days=n), 40, 8.0) for n in range(7)]
    (folder / "activities.csv").write_bytes(strava_rpe_csv(*runs))
    assert "session load" not in report(folder)
    doc = json.loads(report(folder, "--format", "json"))
    assert doc["session_rpe"] is None and doc["weeks"][0]["session_load"] is None


def test_a_week_with_sessions_and_no_rating_shows_its_unrated_count_everywhere(tmp_path):
    # Week 1 wholly unrated, week 2 rated: week 1's cell said "-" while JSON said 7 unrated.
    folder = tmp_path / "ingrid"
    folder.mkdir()
    runs = [StravaRun(100 + n, MONDAY + timedelta(days=n), 40, 8.0,
                      rpe="" if n < 7 else "5") for n in range(14)]
    (folder / "activities.csv").write_bytes(strava_rpe_csv(*runs))
    doc = json.loads(report(folder, "--format", "json"))
    first = [w for w in doc["weeks"] if w["week"] == "2026-W45"][0]
    assert first["session_load"] is None and first["rpe_missing"] == 7
    for fmt in ("text", "markdown", "html"):
        out = report(folder, "--format", fmt)
        assert "- (0 of 7)" in out, fmt
