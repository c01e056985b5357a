"""Advice at its edges, through `loadwatch report`: a ceiling shown rounded down and band
edges with 0.5% slack (running exactly what a report showed never raises the level, GPS
noise never flips a band), a run saved as two files is one session, and a report before
Sunday says what is left of this week."""

import json
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner

from loadwatch.cli import cli

HEADER = "id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
"""Strava's pre-2019 activities.csv: UTC dates, distance in metres (to the decimetre here)."""
FIRST = date(2026, 10, 5)  # a Monday
PACE_S_PER_KM = 330


def write(folder, runs, extra: str = ""):
    """An athlete folder from (start UTC, metres[, seconds]) runs; ``extra`` ends the toml."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [HEADER]
    for i, (start, metres, *secs) in enumerate(sorted(runs), start=1):
        seconds = secs[0] if secs else round(metres / 1000 * PACE_S_PER_KM)
        lines.append(f"{i},{start:%Y-%m-%d %H:%M:%S},Run {i},Run,,{seconds},{metres},,,\n")
    (folder / "activities.csv").write_text("".join(lines))
    (folder / "loadwatch.toml").write_text('[athlete]\nname = "Edge"\ntimezone = "UTC"\n' + extra)
    return folder


def at(day: date, hour: int = 7, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def weeks(n: int, long_m: float = 12500.0, short_m: float = 6000.0):
    """``n`` weeks from :data:`FIRST`: Tuesday and Thursday ``short_m``, Sunday ``long_m``."""
    return [(at(FIRST + timedelta(days=7 * w + d)), m) for w in range(n)
            for d, m in ((1, short_m), (3, short_m), (6, long_m))]


def report(folder, as_of: date, fmt: str = "json"):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", as_of.isoformat(),
                                      "--no-cache", "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def codes(doc) -> set[str]:
    return {f["code"] for f in doc["flags"]}


def test_running_exactly_the_shown_ceiling_never_raises_the_level(tmp_path):
    runs = weeks(6)
    sunday = FIRST + timedelta(days=41)  # Sun 15 Nov: six weeks of 6 + 6 + 12.5 km
    doc = report(write(tmp_path / "a", runs), sunday)
    plan = doc["next_week"]
    # 1.1 x 12.5 km = 13.75 km, shown rounded down: 13.7 km, not 13.8.
    assert plan["longest_run"] == 13.7
    (line,) = [x for x in plan["lines"] if x.startswith("Longest run")]
    assert line.startswith("Longest run: up to 13.7 km, 1.1x your longest run")
    # The weekly maximum is rounded down too: 1.1 x 24.5 km = 26.95 km.
    assert plan["weekly_distance_max"] == 26.9
    # The runner does what the report showed: 6, 6 and the shown ceiling next week.
    shown_m = plan["longest_run"] * 1000
    nxt = sunday + timedelta(days=7)
    runs += [(at(nxt - timedelta(days=5)), 6000.0), (at(nxt - timedelta(days=3)), 6000.0),
             (at(nxt), shown_m)]
    after = report(write(tmp_path / "b", runs), nxt)
    assert after["risk"]["level"] == "usual", after["risk"]
    assert "long_run_spike" not in codes(after) and after["recent_spikes"] == []


def test_gps_noise_at_a_band_edge_is_no_spike(tmp_path):
    # 18 km as the longest of the month, then 19.8 km recorded 0.5 m over: 1.1000278x.
    runs = weeks(4, long_m=18000.0)
    last = FIRST + timedelta(days=4 * 7 + 6)
    runs += [(at(last - timedelta(days=5)), 6000.0), (at(last - timedelta(days=3)), 6000.0),
             (at(last), 19800.5)]
    doc = report(write(tmp_path / "a", runs), last)
    assert "long_run_spike" not in codes(doc) and doc["risk"]["level"] == "usual"
    assert [r for r in doc["recent_spikes"] if r["date"] == last.isoformat()] == []
    (run,) = [r for r in doc["runs"] if r["date"] == last.isoformat()]
    assert run["spike"] == "none" and run["spike_ratio"] == 1.1
    # A real step over the edge still counts: 19.9 km is 1.106x (more than 10% longer).
    runs[-1] = (at(last), 19900.0)
    doc = report(write(tmp_path / "b", runs), last)
    (flag,) = [f for f in doc["flags"] if f["code"] == "long_run_spike"]
    assert "1.11x your longest run" in flag["message"]
    assert "more than 10% up to 30% longer" in flag["message"]


def test_weekly_lines_allow_the_same_slack(tmp_path):
    # 40 km weeks (4 x 10 km), then a week 10.5% up (44.2 km, a 4.2 km run added): inside
    # 10% plus 0.5% of the edge's distance, no weekly jump; 44.4 km (11%) is one.
    base = [(at(FIRST + timedelta(days=7 * w + d)), 10000.0) for w in range(5)
            for d in (1, 3, 5, 6)]
    last = FIRST + timedelta(days=5 * 7 + 6)
    week = [(at(last - timedelta(days=d)), 10000.0) for d in (5, 3, 1)]
    week += [(at(last), 10000.0)]
    doc = report(write(tmp_path / "a", base + week + [(at(last, 18), 4200.0)]), last)
    assert "weekly_distance_jump" not in codes(doc)
    doc = report(write(tmp_path / "b", base + week + [(at(last, 18), 4400.0)]), last)
    (flag,) = [f for f in doc["flags"] if f["code"] == "weekly_distance_jump"]
    assert "11% more than the week before" in flag["message"]


def test_a_run_saved_as_two_files_is_one_session(tmp_path):
    # Four weeks of 6 + 6 + 16 km, then 6 + 6 km and on Sunday 15 km and, after a
    # 5-minute stop, 9 km: 24 km = 1.5x the 16 km.
    history = weeks(4, long_m=16000.0)
    day = FIRST + timedelta(days=4 * 7 + 6)
    history += [(at(day - timedelta(days=5)), 6000.0), (at(day - timedelta(days=3)), 6000.0)]
    end = at(day) + timedelta(seconds=15 * PACE_S_PER_KM)
    runs = history + [(at(day), 15000.0), (end + timedelta(minutes=5), 9000.0)]
    doc = report(write(tmp_path / "a", runs), day)
    (flag,) = [f for f in doc["flags"] if f["code"] == "long_run_spike"]
    assert flag["value"] == 1.5 and flag["severity"] == "caution"
    assert "Your 24.0 km in 2 parts" in flag["message"]
    assert "loadwatch's rule, not the study's" in flag["message"]
    (spike,) = [r for r in doc["recent_spikes"] if r["date"] == day.isoformat()]
    assert (spike["distance"], spike["parts"], spike["spike_ratio"]) == (24.0, 2, 1.5)
    assert doc["risk"]["level"] == "raised"
    # The week's longest run is that session too, in the table as in the spike.
    assert doc["weeks"][-1]["longest_run"] == 24.0
    text = report(tmp_path / "a", day, "text")
    assert "24.0 km in 2 parts against 16.0 km" in text
    # The stop allowed is a threshold: with 4 minutes the parts are two runs again.
    doc = report(write(tmp_path / "c", runs, "[thresholds]\nsession_gap_min = 4\n"), day)
    assert "long_run_spike" not in codes(doc)
    # A morning and an evening 12 km are two runs (0.75x each), never one 24 km session.
    runs = history + [(at(day), 12000.0), (at(day, 18), 12000.0)]
    doc = report(write(tmp_path / "b", runs), day)
    today = [(r["distance"], r["parts"]) for r in doc["runs"] if r["date"] == day.isoformat()]
    assert today == [(12.0, 1), (12.0, 1)]
    assert "long_run_spike" not in codes(doc) and doc["risk"]["level"] == "usual"


def test_a_report_before_sunday_says_what_is_left_of_this_week(tmp_path):
    # Six weeks of 6 + 6 + 12.5 km, then Tuesday 6 km and Wednesday 6 km; as of Wednesday.
    wednesday = FIRST + timedelta(days=44)
    runs = weeks(6) + [(at(wednesday - timedelta(days=1)), 6000.0), (at(wednesday), 6000.0)]
    folder = write(tmp_path / "a", runs)
    doc = report(folder, wednesday)
    week = doc["next_week"]["this_week"]
    # This week's ceiling from the weeks before it: 1.1 x 24.5 km = 26.95 km; 12 km so far.
    assert week == {"so_far_m": 12000.0, "max_m": 26950.0, "left_m": 14950.0,
                    "so_far": 12.0, "max": 26.9, "left": 14.9}
    expected = ("This week so far (Mon to Wed 18 Nov): 12.0 km of up to 26.9 km this week: "
                "up to 14.9 km left, longest run up to 13.7 km")
    assert doc["next_week"]["lines"][0].startswith(expected)
    for fmt in ("text", "markdown", "html"):
        shown = " ".join(report(folder, wednesday, fmt).split())
        assert "up to 14.9 km left, longest run up to 13.7 km" in shown, fmt
    # On a Sunday the week is complete: next week's numbers only.
    assert report(folder, wednesday + timedelta(days=4))["next_week"]["this_week"] is None


def test_a_two_week_ramp_within_the_slack_is_no_evidence(tmp_path):
    # 40 km weeks (4 x 10 km), then two weeks each up 20.5% (48.2 km, 58.081 km) in runs of
    # at most 10 km: inside 20% plus 0.5% of the edge's distance, so no two-week ramp.
    runs = [(at(FIRST + timedelta(days=7 * w + d)), 10000.0) for w in range(4)
            for d in (1, 3, 5, 6)]
    for w, total in ((4, 48200.0), (5, 58081.0)):
        monday = FIRST + timedelta(days=7 * w)
        full, rest = divmod(total, 10000.0)
        runs += [(at(monday + timedelta(days=d)), 10000.0) for d in range(int(full))]
        runs.append((at(monday + timedelta(days=6), 18), rest))
    sunday = FIRST + timedelta(days=5 * 7 + 6)
    doc = report(write(tmp_path / "a", runs), sunday)
    assert [w["change_pct"] for w in doc["weeks"][-2:]] == [20.5, 20.5]
    assert all(f["code"] != "cumulative_ramp" or f["kind"] == "habit" for f in doc["flags"])
    assert doc["risk"]["level"] == "usual", doc["risk"]
