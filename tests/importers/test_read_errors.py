"""Issue 17, weak items: nothing a summary says vanishes in silence or prints 300 digits.

A Garmin summary entry without a usable start was left out without a word ("skipped 0,
failed 0"); a distance of 1e308 gave a reason of 300 digits and an overflow warning.
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.importers.base import Skip
from loadwatch.importers.garmin import read_summarized_activities
from tests.importers.test_garmin import garmin_entry, summary_json
from tests.test_glitched_activity import AS_OF, FIRST, tcx, write_runs

SUMMARY = "runner_0_summarizedActivities.json"


def invoke(*args: str):
    """The CLI with every Python warning recorded: none may be a RuntimeWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    runtime = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert runtime == []
    return result


# -- a Garmin entry without a usable start -----------------------------------------------------

def test_a_summary_whose_only_entry_has_no_usable_start_is_skipped_and_named(tmp_path):
    folder = tmp_path / "kari"
    folder.mkdir()
    (folder / SUMMARY).write_bytes(summary_json(garmin_entry(
        activity_id=555, beginTimestamp="soon", startTimeGmt=None)))
    result = invoke("import", folder, "--cache-dir", tmp_path / "c")
    assert "  skipped:           1 (not activities)" in result.stdout
    [line] = [x for x in result.stdout.splitlines() if SUMMARY in x]
    assert line == (f"  {folder / SUMMARY}: activity 555: no usable start time (beginTimestamp "
                    "and startTimeGmt missing or not between 1990 and 2100), so it cannot be "
                    "placed on a day; nothing to read")


def test_entries_without_a_start_beside_good_ones_are_named_in_a_warning():
    entries = [garmin_entry(activity_id=1), garmin_entry(activity_id=2, beginTimestamp=-5,
                                                         startTimeGmt=None),
               garmin_entry(activity_id=None, beginTimestamp=None, startTimeGmt=None)]
    [a] = read_summarized_activities(summary_json(*entries), SUMMARY)
    assert a.warnings == [
        "skipped 2 entries (activity 2, entry 3): no usable start time (beginTimestamp and "
        "startTimeGmt missing or not between 1990 and 2100), so they cannot be placed on a day"]


def test_many_undated_entries_are_counted_not_all_named():
    entries = [garmin_entry(activity_id=i, beginTimestamp=None, startTimeGmt=None)
               for i in range(40)]
    with pytest.raises(Skip, match=r"^40 entries \(activity 0, activity 1, activity 2, "
                                   r"activity 3, activity 4 and 35 more\): no usable start"):
        read_summarized_activities(summary_json(*entries), SUMMARY)


# -- numbers no activity has -------------------------------------------------------------------

def big_tcx(folder: Path) -> Path:
    path = folder / "big.tcx"
    path.write_bytes(tcx(FIRST + timedelta(days=50, hours=5), 3000, 1e308))
    return path


def big_garmin(folder: Path) -> Path:
    begin = int((FIRST + timedelta(days=50, hours=5)).timestamp() * 1000)
    path = folder / SUMMARY
    path.write_bytes(summary_json(garmin_entry(
        beginTimestamp=begin, startTimeGmt=begin, startTimeLocal=begin, distance=1e308,
        elevationGain=1e308, avgHr=1e308, maxHr=1e308, movingDuration=1e308,
        elapsedDuration=1e308, duration=1e308)))
    return path


@pytest.mark.parametrize("make", [big_tcx, big_garmin])
def test_a_distance_of_1e308_is_refused_in_one_short_line_without_an_overflow(tmp_path, make):
    folder = tmp_path / "per"
    write_runs(folder)
    path = make(folder)
    for fmt in ("text", "json"):
        result = invoke("report", folder, "--as-of", AS_OF, "--tz", "UTC", "--format", fmt,
                        "--cache-dir", tmp_path / "c")
        assert result.exit_code == 0, result.output
        out = result.stdout + result.stderr
        assert not re.search(r"\d{16}", out)  # no figure of hundreds of digits
        refused = [x for x in result.stderr.splitlines() if str(path) in x]
        assert any(re.search(r"distance of 1e\+30\d km is more than one activity can have "
                             r"\(2,000 km at most\): a read error; left out$", x)
                   for x in refused), refused
        assert all(len(x) < 400 for x in refused)
    doc = json.loads(result.stdout)
    assert doc["import"]["activities"] == 46  # the activity counts, without the bad figures


def test_cached_or_unbounded_sources_cannot_overflow_the_timeline():
    from loadwatch import timeline
    from loadwatch.importers.base import Activity

    a = Activity("strava_csv", "activities.csv", datetime(2026, 11, 1, tzinfo=UTC), "Run",
                 distance_m=1e308, duration_s=float("inf"), avg_hr=1e300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = timeline.build([a], "x", timeline.resolve_tz("UTC"))
    assert df[["distance_m", "duration_s", "avg_hr"]].isna().all(axis=None)


def test_a_read_error_is_no_speed_to_guess_a_sport_from():
    from loadwatch.importers.detect import read_activity_file

    data = tcx(FIRST, 3000, 1e308).replace(b'Sport="Running"', b'Sport="Other"')
    [a] = read_activity_file(data, "paddle.tcx")
    assert a.distance_m is None and a.sport == "other" and a.sport_from is None
