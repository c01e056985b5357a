"""Issue 11, item 13: non-integer or infinite day thresholds are config errors, for one athlete
and in a squad (where they used to crash every athlete's report)."""

from __future__ import annotations

import json
import math

import pytest

from loadwatch.flags import Thresholds
from tests import story
from tests.hostile.helpers import invoke


@pytest.mark.parametrize(("key", "value", "needle"), [
    ("streak_caution_days", 7.5, "must be a whole number, not 7.5"),
    ("no_rest_days", 6.25, "must be a whole number"),
    ("streak_high_days", math.inf, "must be a positive number, not inf"),
    ("no_cross_training_days", math.nan, "must be a positive number, not nan"),
    ("acwr_high", math.inf, "must be a positive number, not inf"),
    ("weekly_jump_high_pct", -math.inf, "must be a positive number"),
    # A stop of 1,000 minutes would join a morning and an evening run into one session.
    ("session_gap_min", 1000, "must be at most 120 minutes"),
])
def test_bad_values_name_the_key(key, value, needle):
    with pytest.raises(ValueError, match=f"thresholds.{key} {needle}"):
        Thresholds.from_mapping({key: value})


def test_whole_days_written_as_floats_are_days():
    t = Thresholds.from_mapping({"streak_caution_days": 8.0, "acwr_high": 1.6})
    assert t.streak_caution_days == 8 and isinstance(t.streak_caution_days, int)
    assert t.acwr_high == 1.6


@pytest.mark.parametrize("value", ["7.5", "inf", "nan", "1e400"])
def test_report_is_one_line_exit_2(tmp_path, value):
    folder = story.write(tmp_path / "a", toml=f"[thresholds]\nstreak_caution_days = {value}\n")
    result = invoke("report", folder, "--no-cache", "--as-of", "2026-11-22")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "thresholds.streak_caution_days" in lines[0]
    assert "loadwatch.toml" in lines[0] and "unexpected" not in lines[0]


def test_one_athletes_bad_threshold_does_not_stop_the_squad(tmp_path):
    team = tmp_path / "team"
    story.write(team / "ann", toml='[athlete]\nname = "Ann"\n[thresholds]\nstreak_high_days = 14.5\n')
    story.write(team / "bob", toml='[athlete]\nname = "Bob"\n')
    result = invoke("squad", team, "--no-cache", "--as-of", "2026-11-22", "--format", "json",
                    "--workers", "1")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [a["athlete"] for a in doc["athletes"]] == ["Bob"]
    (error,) = doc["errors"]
    assert "thresholds.streak_high_days" in error["error"]
