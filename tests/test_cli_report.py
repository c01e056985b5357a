"""`loadwatch report` through the CLI on a generated story with a known outcome."""

import json

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests import story


@pytest.fixture(scope="module")
def athlete(tmp_path_factory):
    return story.write(tmp_path_factory.mktemp("story") / "story")


def report(folder, *args):
    return CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-22", "--no-cache",
                                    *args], catch_exceptions=False)


def test_json_report(athlete):
    result = report(athlete, "--format", "json", "--weeks", "6")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "loadwatch/report-v3" and doc["athlete"] == "Story"
    assert doc["as_of"] == "2026-11-22" and doc["units"] == "km" and doc["load"] == "distance"
    weeks = doc["weeks"]
    assert len(weeks) == 6 and weeks[-1]["week"] == "2026-W47"
    assert weeks[-1]["start"] == "2026-11-16" and weeks[-1]["end"] == "2026-11-22"
    # Hand-checked (story.py): W46 = 5 x 12 + 30 = 90 km; W47 adds the Monday: 102 km.
    assert weeks[-1]["run_distance"] == 102.0 and weeks[-2]["run_distance"] == 90.0
    assert weeks[-1]["change_pct"] == pytest.approx(13.3, abs=0.05)  # 102 / 90
    assert weeks[-1]["longest_run"] == 30.0 and weeks[-1]["complete"]
    assert weeks[-1]["rest_days"] == 0 and weeks[-1]["max_run_streak"] == 13
    assert weeks[-3]["change_pct"] == pytest.approx(33.3, abs=0.05)  # W45: 80 / 60
    assert doc["streak"] == {"current": 13, "longest": 13}
    # The 1.5x long run of Sun 8 Nov is 15 days old: outside the 14 days; the last complete
    # week is up 13%: no evidence-led condition holds now. The ramp, streak and no rest are
    # habits: shown, never raising the level.
    assert doc["risk"]["level"] == "usual" and doc["risk"]["drivers"] == []
    shown = {f["code"]: f for f in doc["flags"]}
    assert {"run_streak", "no_rest_day", "no_cross_training", "cumulative_ramp",
            "monotony_high", "acwr_high"} <= set(shown)
    assert all(f["kind"] == "habit" for c, f in shown.items() if c != "cumulative_ramp")
    ramp = shown["cumulative_ramp"]
    # W43 +36%, W44 +33%: two weeks over 20% from Sun 1 Nov (evidence), then growth under 20%.
    assert (ramp["start"], ramp["severity"], ramp["steps"][0]) == (
        "2026-11-01", "high", {"severity": "high", "date": "2026-11-01"})
    assert [(r["date"], r["spike_ratio"]) for r in doc["recent_spikes"]] == [
        ("2026-10-25", 1.25), ("2026-11-01", 1.333), ("2026-11-08", 1.5)]  # 15/12, 20/15, 30/20
    for f in doc["flags"]:
        assert f["evidence"] in ("strong", "moderate", "limited", "advice") and f["source"]
        assert set(f) >= {"code", "kind", "severity", "start", "last_date", "value", "threshold",
                          "message", "steps", "identity"}
    (episode,) = doc["pain"]["episodes"]
    assert episode["start"] == "2026-11-14" and episode["peak"] == 5
    assert "6 days after a week with 33% more running distance" in episode["summary"]
    assert {p["code"] for p in episode["preceding_flags"]} >= {"long_run_spike", "weekly_distance_jump"}
    assert len(doc["days"]) == 42 and doc["days"][-2]["pain"] == 5 and doc["days"][-1]["pain"] is None


def test_text_report_puts_risk_first_and_explains(athlete):
    result = report(athlete)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # The first-screen box first (issue 23), then the status: the clinical status (from the
    # diary), then the load level.
    assert lines[2].startswith("+- At a glance")
    assert "| Clinical " in lines[3]
    top = lines.index("Status")
    assert lines[top - 2].startswith("+---") and lines[top + 1] == "------"
    assert lines[top + 3].startswith("  Clinical: GET IT ASSESSED SOON") or lines[top + 3].startswith(
        "  Clinical: NOTHING IN THE DIARY")
    assert "Load risk: USUAL" in result.stdout.split("\nNext week\n")[0]
    assert "You have run 13 days in a row" in result.stdout
    assert "Habits worth a look" in result.stdout
    assert "What to do:" in result.stdout and "does not diagnose" in result.stdout
    assert "Your left inner-knee pain began on" in result.stdout


def test_markdown_and_miles(athlete):
    result = report(athlete, "--format", "markdown", "--units", "mi")
    assert result.exit_code == 0
    assert result.stdout.startswith("# loadwatch weekly report: Story")
    assert "63.4 mi" in result.stdout  # 102 km


def test_duration_load_changes_ratios_not_distances(athlete):
    by_distance = json.loads(report(athlete, "--format", "json").stdout)
    by_duration = json.loads(report(athlete, "--format", "json", "--load", "duration").stdout)
    assert by_duration["load"] == "duration"
    assert [w["run_distance"] for w in by_duration["weeks"]] == [w["run_distance"] for w in by_distance["weeks"]]


def test_trimp_without_heart_rate_settings_is_a_clear_error(athlete):
    result = report(athlete, "--load", "trimp")
    assert result.exit_code == 2 and "max_hr" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(("as_of", "level", "drivers"), [
    ("2026-10-11", "usual", []),  # the steady base
    # W45 up 33% (80 / 60 km) with the 1.5x long run of Sun 8 Nov in it.
    ("2026-11-08", "high", ["long_run_spike", "weekly_distance_jump"]),
    ("2026-11-15", "raised", ["long_run_spike"]),  # the 1.5x run, 7 days before; W46 +12.5%
    ("2026-11-22", "usual", []),  # that run is now 14 days back
])
def test_the_level_follows_the_evidence_week_by_week(athlete, as_of, level, drivers):
    result = CliRunner().invoke(cli, ["report", str(athlete), "--as-of", as_of, "--no-cache",
                                      "--format", "json"])
    doc = json.loads(result.stdout)
    assert (doc["risk"]["level"], doc["risk"]["drivers"]) == (level, drivers)


def test_bad_date_and_bad_threshold_are_usage_errors(athlete, tmp_path):
    result = CliRunner().invoke(cli, ["report", str(athlete), "--as-of", "2026-02-30"])
    assert result.exit_code == 2 and "2026-02-30" in result.output
    bad = story.write(tmp_path / "bad", toml='[thresholds]\nweekly_jump_hihg_pct = 20\n')
    result = report(bad)
    assert result.exit_code == 2 and "weekly_jump_hihg_pct" in result.stderr
    assert "Traceback" not in result.output


def test_thresholds_from_config_change_the_flags(tmp_path):
    strict = story.write(tmp_path / "strict", toml='[thresholds]\nstreak_high_days = 10\n')
    doc = json.loads(report(strict, "--format", "json").stdout)
    streak = [f for f in doc["flags"] if f["code"] == "run_streak"]
    # A high streak is still a habit: it never raises the level.
    assert streak[0]["severity"] == "high" and doc["risk"]["level"] == "usual"


def test_out_file_is_written(athlete, tmp_path):
    out = tmp_path / "r" / "report.md"
    result = report(athlete, "--format", "markdown", "--out", str(out))
    assert result.exit_code == 0 and out.read_text().startswith("# loadwatch")
