"""Every format of the report opens with the same first screen (issue 23): the clinical status, the
load level with its reason, next week's numbers as numbers, and what to do; the numbers are the
"Next week" section's, in every format."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.report import markdown, text
from tests import story
from tests.report import quiet_report, sample_report

RUNNER = Path(__file__).resolve().parents[2] / "sample_data" / "runner"


def run(folder, tmp_path, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--cache-dir", str(tmp_path / "c"),
                                      *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def story_folder(tmp_path_factory):
    return story.write(tmp_path_factory.mktemp("story") / "story")


def box_of(out: str) -> list[str]:
    """The box at the top of a text report: from its first border to its last."""
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("+-"))
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith("+-"))
    return lines[first:last + 1]


@pytest.mark.parametrize("as_of", ["2026-11-22", "2026-12-06"])
def test_the_summary_quotes_next_weeks_very_numbers_in_every_format(tmp_path, as_of):
    doc = json.loads(run(RUNNER, tmp_path, "--as-of", as_of, "--format", "json"))
    summary, plan = doc["summary"], doc["next_week"]
    assert summary["next_week"] == {
        "status": plan["status"], "weekly_max": plan["weekly_distance_max"],
        "longest_run": plan["longest_run"], "longest_run_s": plan["longest_run_s"],
        "rest_days_min": plan["rest_days_min"]}
    assert summary["clinical"]["status"] == doc["clinical"]["status"]
    assert summary["level"]["level"] == doc["risk"]["level"]
    assert doc["clinical"]["summary"].startswith(summary["clinical"]["label"])
    assert doc["risk"]["summary"].startswith(summary["level"]["label"])
    weekly = f"{plan['weekly_distance_max']:.1f} km"
    plain = run(RUNNER, tmp_path, "--as-of", as_of)
    box = "\n".join(box_of(plain))
    assert f"weekly maximum {weekly}" in box and "at least 1 rest day" in box
    md = run(RUNNER, tmp_path, "--as-of", as_of, "--format", "markdown")
    head = md.split("\n## ")[0]
    assert f"weekly maximum **{weekly}**" in head
    if plan["longest_run"] is not None:
        longest = f"{plan['longest_run']:.1f} km"
        assert f"longest run {longest}" in box and f"longest run **{longest}**" in head
        # The same number as the "Next week" section states it, in words.
        assert f"Longest run: up to {longest}" in plain.split("\nNext week\n")[1]
    else:
        assert "longest run none" in box


def test_on_the_demo_day_the_box_says_it_all_in_under_15_lines(tmp_path):
    out = run(RUNNER, tmp_path, "--as-of", "2026-11-22")
    lines = out.splitlines()
    assert lines[2].startswith("+- At a glance")
    box = box_of(out)
    assert len(box) <= text.BOX_LINES
    said = " ".join(" ".join(box).replace("|", " ").split())
    assert "Clinical GET IT ASSESSED SOON - Pain of 3/10 or more on 4 of the last 7 days" in said
    assert "(up to 5/10)" in said and "needs assessing, early" not in said  # the advice is below
    assert "Load level HIGH - A run more than twice as long" in said
    assert ("Next week weekly maximum 69.8 km, longest run 15.4 km, at least 1 rest day"
            in said)
    assert "What to do - Get the pain assessed by a sports physical therapist or doctor soon." in said
    # The box is before every section, and the sections still say it at length.
    assert out.index("+- At a glance") < out.index("\nStatus\n")
    assert "Weekly distance: up to 69.8 km" in out


def test_a_usual_week_keeps_to_the_numbers(story_folder, tmp_path):
    doc = json.loads(run(story_folder, tmp_path, "--as-of", "2026-11-22", "--format", "json",
                         "--no-cache"))
    s = doc["summary"]
    assert s["level"] == {"level": "usual", "label": "USUAL", "reason":
                          "No run much longer than your recent longest and no big weekly jump"}
    assert s["next_week"]["status"] in ("build", "hold")
    if s["next_week"]["status"] == "build":
        assert s["todo"][-1].startswith("Keep next week within these numbers.")


def test_the_box_is_ascii_and_never_longer_than_15_lines_however_long_the_words():
    report = sample_report("Ingrid " + "Ø" * 150)
    long = "pain " * 60
    report["summary"] = dict(report["summary"],
                             clinical=dict(report["summary"]["clinical"], reason=long),
                             todo=["First: " + long, "Second: " + long, "Third: " + long])
    box = text.box(report)
    assert 3 < len(box) <= text.BOX_LINES
    assert all(line.isascii() for line in box)
    joined = " ".join(box)
    assert "First:" in joined and "Third:" not in joined  # what does not fit is left below
    assert len({len(line) for line in box}) == 1  # a closed box: every line as wide


def test_a_red_flag_opens_every_format_with_check_now():
    report = sample_report()
    plain = text.render(report)
    assert plain.splitlines()[2] == "+- At a glance " + "-" * (len(plain.splitlines()[2]) - 16) + "+"
    assert re.search(r"\| Clinical +CHECK NOW - A red flag in your pain diary, first on Sat 21 Nov",
                     plain)
    assert "Next week     no running until the red flag has been checked" in plain
    md = markdown.render(report)
    assert md.index("> - Clinical: **CHECK NOW** - A red flag") < md.index("## Status")


def test_a_report_without_a_summary_still_renders():
    report = quiet_report()
    del report["summary"]
    assert "At a glance" not in text.render(report) + markdown.render(report)


def test_a_real_red_flag_reason_opens_with_a_capital_like_every_other_reason(tmp_path):
    # Dev's diary holds a red flag: the Clinical line reads as a sentence in every format,
    # as the assess-soon, level and "no pain diary" reasons do (it began "a red flag" in lower case).
    folder = RUNNER.parent / "squad" / "dev"
    plain = run(folder, tmp_path, "--as-of", "2026-11-22")
    assert re.search(r"\| Clinical +CHECK NOW - A red flag in your pain diary, first on Thu 19 Nov",
                     plain)
    summary = json.loads(run(folder, tmp_path, "--as-of", "2026-11-22", "--format", "json"))[
        "summary"]
    assert summary["clinical"]["reason"].startswith("A red flag in your pain diary")
