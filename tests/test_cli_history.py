"""``loadwatch history``: every day's level, drivers and clinical status, for a runner or a squad."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from click.testing import CliRunner

import loadwatch
from loadwatch.cli import cli
from tests.verdict import patterns

AS_OF = patterns.AS_OF.isoformat()


def _team(root, names):
    for s in patterns.stories():
        if s.name in names:
            s.write(root / s.name)
    return root


def invoke(*args):
    return CliRunner().invoke(cli, ["history", *args, "--no-cache", "-q"])


def test_a_runner_as_csv_is_the_api_table_one_row_a_day(tmp_path):
    folder = _team(tmp_path / "team", {"jump-and-spike"}) / "jump-and-spike"
    result = invoke(str(folder), "--from", "2026-11-01", "--to", AS_OF)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["athlete", "folder", "date", "level", "drivers", "clinical"]
    assert [r["date"] for r in rows][:2] == ["2026-11-01", "2026-11-02"] and len(rows) == 22
    table = loadwatch.history(loadwatch.load_athlete(folder), start="2026-11-01", end=AS_OF)
    assert [(r["level"], r["drivers"], r["clinical"]) for r in rows] == [
        (lvl, ";".join(d), c) for lvl, d, c in zip(table["level"], table["drivers"],
                                                  table["clinical"], strict=True)]
    # Two drivers are joined with ';' (a jump and a spike in the same week: high).
    assert any(r["level"] == "high" and ";" in r["drivers"] for r in rows)
    assert {r["athlete"] for r in rows} == {"jump-and-spike"} and rows[0]["folder"] == str(folder)


def test_the_default_range_is_the_first_day_of_the_data_to_today(tmp_path):
    folder = _team(tmp_path / "team", {"new-user"}) / "new-user"
    result = invoke(str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    days = json.loads(result.stdout)["athletes"][0]["days"]
    first = loadwatch.load_athlete(folder).timeline["local_date"].min().date()
    assert days[0]["date"] == first.isoformat()
    assert days[-1]["date"] == datetime.now(UTC).date().isoformat()  # the athlete's zone: UTC
    # Long after the last run: no activity for more than 10 days, unknown.
    assert days[-1]["level"] == "unknown"


def test_a_squad_goes_on_past_a_broken_athlete_and_exits_1(tmp_path):
    team = _team(tmp_path / "team", {"long-run-spike", "weekly-jump"})
    (team / "broken").mkdir()
    (team / "broken" / "activities.csv").write_text("not,a,strava,export\n1,2,3,4\n")
    out = tmp_path / "history.json"
    result = invoke(str(team), "--from", "2026-11-16", "--to", AS_OF, "--format", "json",
                    "--out", str(out))
    assert result.exit_code == 1
    assert "Error: broken (" in result.stderr and "no activities could be read" in result.stderr
    doc = json.loads(out.read_text())
    assert [a["athlete"] for a in doc["athletes"]] == ["long-run-spike", "weekly-jump"]
    assert all(len(a["days"]) == 7 for a in doc["athletes"])
    assert doc["athletes"][0]["days"][-1] == {"date": AS_OF, "level": "high",
                                              "drivers": ["long_run_spike"], "clinical": "none"}


def test_from_after_to_is_a_usage_error(tmp_path):
    folder = _team(tmp_path / "team", {"new-user"}) / "new-user"
    result = invoke(str(folder), "--from", "2026-11-22", "--to", "2026-11-01")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --from 2026-11-22 is after --to 2026-11-01"
