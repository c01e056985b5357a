"""A glitched activity (a lap of days) never hides the real runs it spans.

Issue 17: one TCX lap of 46 days without distance made 45 real runs its "duplicates".
The folder below holds 45 real runs over 8 weeks, as GPX, TCX and FIT files, and one
glitched recording that starts before the first run and lasts 46 days.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers import fitgen

FIRST = datetime(2026, 9, 28, 7, 0, tzinfo=UTC)  # a Monday
AS_OF = "2026-11-22"  # the Sunday of week 8
GLITCH_S = 46 * 86400


def run_days() -> list[int]:
    """45 run days in 8 weeks: all but two days a week, and one more rest day late on."""
    days = [d for d in range(56) if d % 7 not in (0, 3)]  # 40
    days += [3, 10, 17, 24, 31]  # 45
    return sorted(days)


def km_of(n: int) -> float:
    return 14.0 if n % 7 == 6 else 8.0


def gpx_run(start: datetime, km: float, pace_s: float = 330.0) -> bytes:
    steps = 30
    seconds = km * pace_s
    pts = "".join(
        f'<trkpt lat="{59.9 + km * 1000 * i / steps / 111_195:.7f}" lon="10.7">'
        f"<time>{(start + timedelta(seconds=seconds * i / steps)).isoformat()}</time></trkpt>"
        for i in range(steps + 1))
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="t" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Run</name><type>running</type>'
            f"<trkseg>{pts}</trkseg></trk></gpx>").encode()


def tcx(start: datetime, seconds: float, metres: float | None) -> bytes:
    dist = "" if metres is None else f"<DistanceMeters>{metres}</DistanceMeters>"
    return (f'<?xml version="1.0"?><TrainingCenterDatabase '
            f'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
            f'<Activity Sport="Running"><Id>{start.isoformat()}</Id>'
            f'<Lap StartTime="{start.isoformat()}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
            f"{dist}</Lap></Activity></Activities></TrainingCenterDatabase>").encode()


def write_runs(folder: Path) -> float:
    """The 45 real runs; returns their total distance [km]."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0.0
    for i, n in enumerate(run_days()):
        start = FIRST + timedelta(days=n)
        km = km_of(n)
        total += km
        if i % 3 == 0:
            (folder / f"run-{n:02d}.gpx").write_bytes(gpx_run(start, km))
        elif i % 3 == 1:
            (folder / f"run-{n:02d}.tcx").write_bytes(tcx(start, km * 330.0, km * 1000.0))
        else:
            leg = fitgen.Leg(seconds=int(km * 330), speed_mps=1000 / 330, step_s=30)
            (folder / f"run-{n:02d}.fit").write_bytes(fitgen.activity(start, [leg]))
    return total


def report_json(folder: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF, "--tz", "UTC",
                                      "--format", "json", "--cache-dir", str(tmp_path / "c")],
                                catch_exceptions=False)
    return result, json.loads(result.stdout)


def garmin_summary(start: datetime, ms: float) -> bytes:
    """A Garmin account export's summary holding one entry of ``ms`` without a distance."""
    begin = int(start.timestamp() * 1000)
    entry = {"activityId": 77, "name": "Timer left running", "activityType": "running",
             "sportType": "RUNNING", "beginTimestamp": begin, "startTimeGmt": begin,
             "startTimeLocal": begin, "duration": ms, "elapsedDuration": ms}
    return json.dumps([{"summarizedActivitiesExport": [entry]}]).encode()


GLITCHES = {
    "tcx": ("glitch.tcx", lambda: tcx(FIRST - timedelta(hours=1), GLITCH_S, None)),
    "garmin": ("me_0_summarizedActivities.json",
               lambda: garmin_summary(FIRST - timedelta(hours=1), GLITCH_S * 1000.0)),
}


@pytest.mark.parametrize("form", sorted(GLITCHES))
def test_a_recording_of_46_days_keeps_every_real_run_and_is_data_to_check(tmp_path, form):
    folder = tmp_path / "ana"
    total_km = write_runs(folder)
    name, make = GLITCHES[form]
    (folder / name).write_bytes(make())

    result, doc = report_json(folder, tmp_path)

    # Decided: the glitch is a read activity judged implausible, listed with its reason
    # like every activity under "data to check"; nothing was lost, so the exit is 0.
    assert result.exit_code == 0, result.output
    assert doc["import"]["duplicates_dropped"] == 0 and doc["import"]["duplicates"] == []
    [check] = doc["data_to_check"]
    assert check["path"].endswith(name)
    assert "46 days" in check["reason"] and "48 h" in check["reason"]
    assert doc["import"]["activities"] == 46
    assert len(doc["runs"]) == 45
    assert sum(w["run_distance"] for w in doc["weeks"]) == pytest.approx(total_km, rel=0.01)
    assert "world record" not in result.output


def test_the_text_report_names_the_glitched_file_under_data_to_check(tmp_path):
    folder = tmp_path / "ana"
    write_runs(folder)
    (folder / "glitch.tcx").write_bytes(GLITCHES["tcx"][1]())
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF, "--tz", "UTC",
                                      "--cache-dir", str(tmp_path / "c")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())
    section = words[words.index("Data to check"):]
    assert "Mon 28 Sep run (tcx:" in section and ", glitch.tcx): recorded as lasting 46 days" \
        in section


@pytest.mark.parametrize("form", ["tcx", "garmin"])
def test_a_recording_just_under_the_bound_absorbs_no_run_either(tmp_path, form):
    # 47 hours is within the 48-hour bound, so it is matched by overlap like any recording:
    # it spans the runs of two days, which are not each other's duplicates, so it is the
    # duplicate of neither (it chained a real run of the next day into the first one).
    folder = tmp_path / "ana"
    total_km = write_runs(folder)
    # From an hour before the run of day 1 to after the run of day 2.
    start, seconds = FIRST + timedelta(days=1, hours=-1), 47 * 3600
    (folder / GLITCHES[form][0]).write_bytes(
        tcx(start, seconds, None) if form == "tcx" else garmin_summary(start, seconds * 1000.0))

    result, doc = report_json(folder, tmp_path)

    assert result.exit_code == 0, result.output
    assert doc["import"]["duplicates_dropped"] == 0, doc["import"]["duplicates"]
    assert len(doc["runs"]) >= 45
    assert sum(w["run_distance"] for w in doc["weeks"]) == pytest.approx(total_km, rel=0.01)
