"""`loadwatch report --format ics` / `--ics FILE`: next week's plan as calendar events.

Each file is parsed back with the icalendar library and its numbers checked against the
JSON report of the same day.
"""

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from loadwatch.cli import cli
from tests import story


@pytest.fixture(scope="module")
def athlete(tmp_path_factory):
    return story.write(tmp_path_factory.mktemp("story") / "story")


def run(folder, as_of, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", as_of, "--no-cache",
                                      *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def events(text: str) -> dict:
    cal = Calendar.from_ical(text)
    return {str(e["X-LOADWATCH-KIND"]): e for e in cal.walk("VEVENT")}


def number(summary) -> float:
    return float(re.search(r"up to (\d+\.\d)", str(summary)).group(1))


@pytest.mark.parametrize("units", ["km", "mi"])
def test_the_plan_as_all_day_events_with_the_json_reports_numbers(athlete, units):
    plan = json.loads(run(athlete, "2026-11-15", "--format", "json", "--units", units)
                      .stdout)["next_week"]
    found = events(run(athlete, "2026-11-15", "--format", "ics", "--units", units).stdout)
    assert set(found) == {"weekly", "long_run", "rest"}
    for e in found.values():
        # All-day, across the coming week (Mon 16 to Sun 22 Nov; DTEND is exclusive).
        assert e.decoded("DTSTART") == date(2026, 11, 16)
        assert e.decoded("DTEND") == date(2026, 11, 23)
        assert str(e["TRANSP"]) == "TRANSPARENT" and str(e["SUMMARY"]).startswith("Story: ")
        assert "does not diagnose" in str(e["DESCRIPTION"])
    assert number(found["weekly"]["SUMMARY"]) == plan["weekly_distance_max"]
    assert number(found["long_run"]["SUMMARY"]) == plan["longest_run"]
    assert f" {units}" in str(found["weekly"]["SUMMARY"])
    # Each description carries the plan's own sentence: its numbers, source and what to do.
    assert next(s for s in plan["lines"] if s.startswith("Weekly distance")) in str(
        found["weekly"]["DESCRIPTION"])
    assert next(s for s in plan["lines"] if s.startswith("Longest run")) in str(
        found["long_run"]["DESCRIPTION"])
    assert str(found["rest"]["SUMMARY"]) == f"Story: at least {plan['rest_days_min']} rest day"


def test_a_later_report_for_the_same_week_keeps_the_uids_and_raises_the_sequence(athlete):
    sunday = events(run(athlete, "2026-11-15", "--format", "ics").stdout)
    wednesday = events(run(athlete, "2026-11-18", "--format", "ics").stdout)
    next_sunday = events(run(athlete, "2026-11-22", "--format", "ics").stdout)
    assert {k: str(e["UID"]) for k, e in sunday.items()} == {
        k: str(e["UID"]) for k, e in wednesday.items()}
    assert all(wednesday[k]["SEQUENCE"] > sunday[k]["SEQUENCE"] for k in sunday)
    # Wednesday's pain holds the week: the same event now says so.
    assert "no increase" in str(wednesday["weekly"]["SUMMARY"])
    assert "This week so far" in str(wednesday["weekly"]["DESCRIPTION"])
    # The week after is another week: new events.
    assert not {str(e["UID"]) for e in sunday.values()} & {
        str(e["UID"]) for e in next_sunday.values()}
    assert next_sunday["weekly"].decoded("DTSTART") == date(2026, 11, 23)


def test_uids_follow_the_athlete_id_not_the_name_and_hide_the_folder(tmp_path):
    a = story.write(tmp_path / "a", toml='[athlete]\nname = "Ann"\nid = "ann-1"\n')
    renamed = story.write(tmp_path / "b", toml='[athlete]\nname = "Anna"\nid = "ann-1"\n')
    other = story.write(tmp_path / "c", toml='[athlete]\nname = "Ann"\n')
    uids = [{str(e["UID"]) for e in events(run(f, "2026-11-15", "--format", "ics").stdout)
             .values()} for f in (a, renamed, other)]
    assert uids[0] == uids[1] and not uids[0] & uids[2]
    assert not any(str(tmp_path) in u or "ann-1" in u for u in uids[0] | uids[2])


def test_a_red_flag_makes_one_event_that_says_stop(tmp_path):
    folder = story.write(tmp_path / "runs")
    with (folder / "pain.csv").open("a", encoding="utf-8") as f:
        f.write("2026-11-19,6,inner knee,left,sudden,pop;giving_way,twisted on a root\n")
    found = events(run(folder, "2026-11-22", "--format", "ics").stdout)
    assert [k for k, e in found.items() if e.get("STATUS") != "CANCELLED"] == ["stop"]
    assert "no running" in str(found["stop"]["SUMMARY"])
    assert "physical therapist or doctor" in str(found["stop"]["DESCRIPTION"])


def test_a_stop_cancels_the_numbers_an_earlier_import_of_the_week_put_in_the_calendar(tmp_path):
    folder = story.write(tmp_path / "runs")
    monday = events(run(folder, "2026-11-15", "--format", "ics").stdout)   # for W47
    with (folder / "pain.csv").open("a", encoding="utf-8") as f:
        f.write("2026-11-17,6,inner knee,left,sudden,pop;giving_way,twisted on a root\n")
    later = events(run(folder, "2026-11-18", "--format", "ics").stdout)    # W47 too
    assert "stop" in later and later["stop"].get("STATUS") != "CANCELLED"
    for kind in ("weekly", "long_run", "rest"):
        assert later[kind]["UID"] == monday[kind]["UID"]
        assert later[kind]["STATUS"] == "CANCELLED"
        assert later[kind]["SEQUENCE"] > monday[kind]["SEQUENCE"]
        assert later[kind]["DTSTART"].dt == monday[kind]["DTSTART"].dt


def test_ics_file_beside_another_format(athlete, tmp_path):
    out = tmp_path / "plan.ics"
    result = run(athlete, "2026-11-15", "--format", "json", "--ics", str(out))
    plan = json.loads(result.stdout)["next_week"]
    assert f"Wrote {out}" in result.stderr
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\\r" not in raw  # iCalendar's CRLF, not escaped
    found = events(raw.decode())
    assert number(found["weekly"]["SUMMARY"]) == plan["weekly_distance_max"]
