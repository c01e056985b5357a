"""Wellness through the CLI: a ``wellness.csv`` log shown as context (last value, 4-week
trend) in the report and the squad, read bounded, bad rows named, never in the level."""

import json
from datetime import date, timedelta

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.verdict.patterns import steady

AS_OF = date(2026, 11, 22)


def runner(tmp_path, name="ana", wellness: str | None = None):
    s = steady(name, {0: 8.0, 2: 8.0, 4: 8.0, 6: 14.0}, first=date(2026, 8, 3), last=AS_OF)
    folder = s.write(tmp_path / name)
    if wellness is not None:
        (folder / "wellness.csv").write_text(wellness)
    return folder


def log(days: int = 56) -> str:
    """56 days to Sun 22 Nov: sleep 8 h then 7 h a night, soreness 2 then 4, fatigue every
    other day (3), resting heart rate only in the first 4 weeks (50)."""
    rows = ["date,soreness,fatigue,sleep_h,resting_hr"]
    for i in range(days):
        day = AS_OF - timedelta(days=days - 1 - i)
        recent = i >= days - 28
        rows.append(f"{day},{4 if recent else 2},{3 if i % 2 else ''},{7 if recent else 8},"
                    f"{'' if recent else 50}")
    return "\n".join(rows) + "\n"


def report(folder, *args):
    return CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF.isoformat(),
                                    "--no-cache", *args], catch_exceptions=False)


def test_last_values_and_trends_are_shown_and_the_level_is_untouched(tmp_path):
    plain = json.loads(report(runner(tmp_path, "plain"), "--format", "json").stdout)
    assert plain["wellness"] == []
    folder = runner(tmp_path, wellness=log())
    result = report(folder, "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    by = {w["measure"]: w for w in d["wellness"]}
    assert by["sleep_h"] == {"measure": "sleep_h", "last": 7.0, "last_date": "2026-11-22",
                             "mean_4w": 7.0, "mean_before": 8.0, "change": -1.0,
                             "trend": "down"}
    assert by["soreness"]["trend"] == "up" and by["soreness"]["change"] == 2.0
    assert by["fatigue"]["trend"] == "same" and by["fatigue"]["last"] == 3.0
    hr = by["resting_hr"]
    assert hr["last_date"] == "2026-10-25" and hr["mean_4w"] is None and hr["trend"] is None
    assert d["risk"] == plain["risk"] and d["next_week"] == plain["next_week"]
    words = " ".join(report(folder).stdout.split())
    assert "Wellness" in words
    assert "sleep 7 h on Sun 22 Nov (4-week mean 7 h, down from 8 h)" in words
    assert "soreness 4 on Sun 22 Nov (4-week mean 4, up from 2)" in words
    assert "resting heart rate 50 bpm on Sun 25 Oct (no value in the last 4 weeks)" in words
    assert "Saw 2016" in words


def test_the_squad_row_carries_the_wellness_context(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    runner(tmp_path / "squad", "ana", wellness=log())
    result = CliRunner().invoke(cli, ["squad", str(tmp_path / "squad"), "--as-of",
                                      AS_OF.isoformat(), "--no-cache", "--format", "json"],
                                catch_exceptions=False)
    (row,) = json.loads(result.stdout)["athletes"]
    assert [w["measure"] for w in row["wellness"]] == ["soreness", "fatigue", "sleep_h",
                                                       "resting_hr"]
    text = CliRunner().invoke(cli, ["squad", str(tmp_path / "squad"), "--as-of",
                                    AS_OF.isoformat(), "--no-cache"]).stdout
    assert ("wellness: soreness 4 (up), fatigue 3, sleep 7 h (down), resting heart rate "
            "50 bpm") in " ".join(text.split())


def test_bad_rows_are_named_one_line_each_and_the_rest_count(tmp_path):
    folder = runner(tmp_path, wellness=("date,soreness,sleep_h\n2026-11-20,2,7.5\n"
                                        "20 Nov,3,7\n2026-11-21,12,6.5\n"))
    result = report(folder, "--format", "json")
    assert result.exit_code == 0  # bad rows are warnings, as in the pain diary
    assert "wellness.csv: line 3: the date must be YYYY-MM-DD" in result.stderr
    assert "wellness.csv: line 4: soreness '12' is not a number from 0 to 10" in result.stderr
    by = {w["measure"]: w for w in json.loads(result.stdout)["wellness"]}
    assert by["soreness"]["last"] == 2.0 and by["sleep_h"]["last"] == 6.5


def test_a_header_naming_no_measure_is_one_line_not_silence(tmp_path):
    # "sleep" for "sleep_h": nothing would be read, and nothing said.
    folder = runner(tmp_path, wellness="date,sleep,mood\n2026-11-20,7.5,good\n")
    result = report(folder, "--format", "json")
    assert result.exit_code == 1
    lines = [x for x in result.stderr.splitlines() if "wellness.csv" in x]
    assert len(lines) == 1 and "none of the columns soreness, fatigue, sleep_h, resting_hr" in lines[0]
    assert "'date,sleep,mood'" in lines[0]
    assert json.loads(result.stdout)["wellness"] == []


def test_a_synced_wellness_store_nested_too_deep_is_one_line_not_a_crash(tmp_path):
    folder = runner(tmp_path)
    (folder / "intervals.icu").mkdir()
    (folder / "intervals.icu" / "intervals-wellness.json").write_text("[" * 200_000 + "]" * 200_000)
    result = report(folder, "--format", "json")
    assert result.exit_code == 1, result.output
    assert "intervals-wellness.json: JSON nested too deep to read" in result.stderr
    assert json.loads(result.stdout)["wellness"] == []


def test_absurd_synced_values_are_one_short_warning_each_not_a_crash(tmp_path):
    folder = runner(tmp_path)
    (folder / "intervals.icu").mkdir()
    doc = {"format": "loadwatch-intervals-sync", "version": 1, "wellness": [
        {"id": "2026-11-20", "restingHR": int("9" * 400)},   # float() overflows
        {"id": "2026-11-21", "sleepSecs": "x" * 100_000},
        {"id": "2026-11-22", "restingHR": 48}]}
    (folder / "intervals.icu" / "intervals-wellness.json").write_text(json.dumps(doc))
    result = report(folder, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = [x for x in result.stderr.splitlines() if "intervals-wellness.json" in x]
    assert len(lines) == 2 and all(len(x.split(".json: ")[1]) < 120 for x in lines), lines
    assert "resting_hr a number of over 20 digits is not a number from 25 to 120" in lines[0]
    by = {w["measure"]: w for w in json.loads(result.stdout)["wellness"]}
    assert by["resting_hr"]["last"] == 48.0


def test_a_wellness_file_too_large_is_refused_unread_in_one_line(tmp_path, monkeypatch):
    from loadwatch import wellness

    monkeypatch.setattr(wellness, "MAX_WELLNESS_BYTES", 100)
    folder = runner(tmp_path, wellness=log())
    result = report(folder, "--format", "json")
    assert result.exit_code == 1
    assert "wellness.csv: not read" in result.stderr and "Traceback" not in result.output
    assert json.loads(result.stdout)["wellness"] == []


def test_wellness_synced_from_intervals_icu_is_read_and_the_own_log_wins(tmp_path):
    folder = runner(tmp_path)
    (folder / "intervals.icu").mkdir()
    (folder / "intervals.icu" / "intervals-wellness.json").write_text(json.dumps({
        "format": "loadwatch-intervals-sync", "version": 1, "service": "https://intervals.icu",
        "athlete": "i1", "wellness": [
            {"id": "2026-11-20", "restingHR": 48, "sleepSecs": 27000, "soreness": 2,
             "fatigue": 3},
            {"id": "2026-11-21", "restingHR": 47, "sleepSecs": 25200, "soreness": 3},
            {"id": "2026-11-22", "restingHR": 300}]}))
    (folder / "wellness.csv").write_text("date,soreness\n2026-11-21,1\n")
    result = report(folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "intervals-wellness.json: 2026-11-22: resting_hr 300 is not a number from 25 to " \
           "120 bpm" in result.stderr
    by = {w["measure"]: w for w in json.loads(result.stdout)["wellness"]}
    assert by["sleep_h"]["last"] == 7.0 and by["sleep_h"]["mean_4w"] == 7.2
    assert by["resting_hr"]["last"] == 47.0 and by["resting_hr"]["last_date"] == "2026-11-21"
    assert by["soreness"]["last"] == 1.0          # wellness.csv's 21 Nov over the synced 3
    assert by["fatigue"]["last_date"] == "2026-11-20"
