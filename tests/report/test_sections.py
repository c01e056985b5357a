"""The report's sections, in the same order and with the same headings in text, Markdown and HTML;
units, plurals, the diary lines and the week in progress, through the renderers and the CLI."""

import json
import re

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.report import fmt, html, markdown, sections, text
from tests import browser, story
from tests.report import quiet_report, sample_report

ORDER = ["Status", "Next week", "What drove it", "Habits worth a look",
         "Pain and the load before it", "This week against last", "Week by week",
         "Data to check", "Files read"]


def headings(report: dict) -> dict[str, list[str]]:
    """The section headings each format shows, in order."""
    plain = re.findall(r"^(\S.*)\n-+$", text.render(report), flags=re.M)
    md = re.findall(r"^## (.+)$", markdown.render(report), flags=re.M)
    page = re.findall(r'<h2 class="section">([^<]*)</h2>', html.render(report))
    return {"text": plain, "markdown": md, "html": page}


def test_the_same_sections_in_the_same_order_in_every_format():
    for format_, found in headings(sample_report()).items():
        assert found == ORDER, format_
    # Charts sit between the week comparison and the table, on the page only.
    page = html.render(sample_report(), b"\x89PNG fake")
    h2 = re.findall(r'<h2 class="section">([^<]*)</h2>', page)
    assert h2 == ORDER[:6] + ["Charts"] + ORDER[6:]


def test_empty_sections_say_so_in_one_line_or_are_left_out():
    quiet = quiet_report()
    for format_, found in headings(quiet).items():
        assert found == [h for h in ORDER if h != "Data to check"], format_
    words = text.render(quiet)
    assert sections.NO_EVIDENCE in words and sections.NO_HABITS in words
    bare = dict(quiet, import_={}, this_week=None, weeks=[], next_week=None)
    bare["import"] = {}
    found = headings(bare)["markdown"]
    assert found == ["Status", "What drove it", "Habits worth a look",
                     "Pain and the load before it"]


def test_the_status_puts_the_clinical_status_before_the_load_level():
    for render in (text.render, markdown.render):
        out = " ".join(render(sample_report()).split())
        # After the first-screen summary (which quotes next week's first line too).
        clinical = out.index("Clinical: CHECK NOW: your diary records a pop")
        load = out.index("Load risk: HIGH: a run more than twice")
        assert clinical < load < out.index("No running until the red flag", load)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return story.write(tmp_path_factory.mktemp("story") / "story")


def run(folder, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--no-cache", *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_miles_convert_climbing_to_feet_everywhere_it_shows(folder):
    doc = json.loads(run(folder, "--as-of", "2026-11-22", "--format", "json", "--units", "mi"))
    week = doc["weeks"][-1]
    feet = f"{week['elevation_gain_m'] / 0.3048:.0f}"  # 7 runs x 80 m = 560 m: 1837 ft
    assert feet == "1837"
    plain = run(folder, "--as-of", "2026-11-22", "--units", "mi")
    assert f"Climbing {feet} ft" in " ".join(plain.split())
    assert "climb ft" in plain and "climb m" not in plain and " m " not in plain.split("Week by week")[1]
    assert re.search(rf"2026-W47 .* {feet} ", " ".join(plain.split()))
    md = run(folder, "--as-of", "2026-11-22", "--units", "mi", "--format", "markdown")
    assert f"| Climbing | {feet} ft |" in md and "| climb ft |" in md
    page = run(folder, "--as-of", "2026-11-22", "--units", "mi", "--format", "html")
    words = browser.text_of(page)
    assert f"Climbing {feet} ft" in words and "climbing in feet" in words
    # In kilometres, metres.
    assert "Climbing 560 m" in " ".join(run(folder, "--as-of", "2026-11-22").split())


def test_no_diary_says_how_to_start_one_and_a_pain_free_diary_is_acknowledged(tmp_path):
    none = story.write(tmp_path / "none", pain=False)
    free = story.write(tmp_path / "free", pain=False)
    (free / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                   "2026-11-15,0,,,,,\n2026-11-18,0,,,,,\n2026-11-21,0,,,,,\n")
    without = " ".join(run(none, "--as-of", "2026-11-22").split())
    painless = " ".join(run(free, "--as-of", "2026-11-22").split())
    pain_part = re.compile(r"Pain and the load before it -+ (.*?) This week against last -+")
    assert pain_part.search(without).group(1).startswith(
        "No pain diary: loadwatch cannot tell how your knee feels. Start one")
    assert "loadwatch pain add" in pain_part.search(without).group(1)
    assert pain_part.search(painless).group(1) == ("3 pain-free days recorded, the last on "
                                                   "Sat 21 Nov.")
    for fmt_ in ("markdown", "html"):
        a = run(none, "--as-of", "2026-11-22", "--format", fmt_)
        b = run(free, "--as-of", "2026-11-22", "--format", fmt_)
        assert "No pain diary" in a and "pain-free days recorded" in b and a != b


def test_a_week_in_progress_is_compared_with_the_same_days(folder):
    out = " ".join(run(folder, "--as-of", "2026-11-18").split())
    assert ("This week against last ---------------------- A week in progress: Mon to Wed (3 days) against the same "
            "days of last week, not against the whole of it.") in out
    whole = " ".join(run(folder, "--as-of", "2026-11-22").split())
    assert "This week (Mon 16 Nov to Sun 22 Nov) against the week before." in whole


def test_plurals_are_right():
    report = sample_report()
    report["import"].update(activities=1, files_seen=1, duplicates_dropped=1)
    report["this_week"]["this"].update(runs=1, cross_training_sessions=1)
    report["streak"] = {"current": 1, "longest": 1}
    report["days_since_rest"] = 1
    out = " ".join(text.render(report).split())
    assert "Read 1 activity from 1 file; 1 duplicate dropped" in out
    assert "in 1 run " in out and "1 session" in out
    assert "Run streak: 1 day (longest 1 day). Last rest day: 1 day ago." in out
    assert not re.search(r"\b1 (activities|runs|days|files|duplicates|sessions)\b", out)
    report["weeks"] = report["weeks"][-1:]
    assert "The last week." in text.render(report)


def test_jargon_is_explained_where_it_appears():
    report = sample_report()
    out = " ".join(text.render(report).split())
    assert "monotony: how alike the week's daily loads were" in out
    assert "load ratio (acute:chronic): the load of the last 7 days against the 28-day" in out
    assert "TRIMP" not in out  # not used: not explained
    report["load"] = "trimp"
    out = " ".join(markdown.render(report).split())
    assert "TRIMP (training impulse): minutes of exercise weighted by how hard the heart" in out


def test_data_to_check_lists_the_ignored_ones_and_import_warnings_show():
    report = sample_report()
    report["ignored"] = [{"activity_id": "gpx:feedbeef", "date": "2026-11-10",
                          "reason": "watch left on in the car"}]
    report["import"]["warnings"] = [{"path": "watch/a.fit", "warning": "ends early"}]
    for render in (text.render, markdown.render, lambda r: browser.text_of(html.render(r))):
        out = " ".join(render(report).split()).replace("\\", "")
        at = out.index("Data to check")
        assert "fit:0a1b2c3d4e5f" in out[at:]
        assert ("Ignored by you (1 activity, left out of everything): Tue 10 Nov (gpx:feedbeef): "
                "watch left on in the car.") in out[at:]
        assert "Warning: watch/a.fit: ends early" in out
        assert "Failed: activities/18342.fit.gz: truncated FIT file" in out


def test_text_and_markdown_escape_what_came_from_files():
    report = sample_report(athlete="Eve\x1b[2J<b>x</b>|y")
    report["flags"][1] = dict(report["flags"][1], message="<img src=x onerror=alert(1)> | cell")
    plain = text.render(report)
    assert "\x1b" not in plain and "Eve\\x1b[2J" in plain
    md = markdown.render(report)
    assert "<b>" not in md and "<img" not in md and "&lt;b&gt;x&lt;/b&gt;\\|y" in md


def test_the_json_report_carries_what_the_views_show(folder):
    doc = json.loads(run(folder, "--as-of", "2026-11-22", "--format", "json"))
    assert set(doc) >= {"clinical", "risk", "next_week", "recent_spikes", "spike_notes",
                        "this_week", "weeks", "data_to_check", "ignored", "import"}
    assert all("longest_run_ratio" in w for w in doc["weeks"])
    assert all("ceiling" in d for d in doc["days"])
    out = text.render(doc)
    for line in doc["next_week"]["lines"]:
        assert " ".join(line.split()) in " ".join(out.split())
    assert fmt.ratio(doc["weeks"][-2]["longest_run_ratio"]) in out


def test_the_week_is_held_against_the_same_days_of_the_four_weeks_before(folder):
    # Wed 18 Nov: Mon-Wed of W47 = 3 x 12 km; the same days of W46..W43 (story.py): Mon is a rest
    # day in weeks 12-15, so 2 x 12, 2 x 10, 2 x 8, 2 x 6 km: mean 18 km.
    doc = json.loads(run(folder, "--as-of", "2026-11-18", "--format", "json"))
    week = doc["this_week"]
    assert (week["days"], week["whole"], week["this"]["run_distance"]) == (3, False, 36.0)
    assert week["four_week_mean"] == 18.0 and week["change_vs_four_weeks_pct"] == 100.0
    # Too early for four weeks before: none.
    early = json.loads(run(folder, "--as-of", "2026-08-20", "--format", "json"))["this_week"]
    assert early["four_week_mean"] is None and early["change_vs_four_weeks_pct"] is None


@pytest.mark.parametrize(("extra", "trend", "peaks"), [
    ("", "rising", [None, 2, 5]),  # 2/10 in the week of 9 Nov, then 4 and 5
    ("2026-11-22,1,inner knee,left,gradual,,better\n", "rising", [None, 2, 5]),
    ("2026-11-10,6,inner knee,left,gradual,,\n", "easing", [None, 6, 5]),
    ("2026-11-10,5,inner knee,left,gradual,,\n", "steady", [None, 5, 5]),
])
def test_pain_trend_from_last_weeks_worst_to_this_weeks(tmp_path, extra, trend, peaks):
    athlete = story.write(tmp_path / "a")
    with open(athlete / "pain.csv", "a") as fh:
        fh.write(extra)
    doc = json.loads(run(athlete, "--as-of", "2026-11-22", "--format", "json"))
    assert doc["pain"]["trend"] == trend
    assert [p["peak"] for p in doc["pain"]["weekly_peaks"]] == peaks
    assert doc["pain"]["last_entry"] == ("2026-11-22" if extra.startswith("2026-11-22") else
                                         "2026-11-21")
    assert doc["data"]["days_since_activity"] == 0 and doc["data"]["stale"] is False


def test_stale_past_ten_days(folder):
    # The story's last activity is Sun 22 Nov: 10 days later is not yet stale, 11 is.
    ten = json.loads(run(folder, "--as-of", "2026-12-02", "--format", "json"))["data"]
    eleven = json.loads(run(folder, "--as-of", "2026-12-03", "--format", "json"))["data"]
    assert (ten["days_since_activity"], ten["stale"]) == (10, False)
    assert (eleven["days_since_activity"], eleven["stale"]) == (11, True)
