"""The coach's squad view: ranking, broken athletes, skipped folders, formats."""

import json

import pytest
from click.testing import CliRunner

from loadwatch import squad
from loadwatch.cli import cli
from tests import story


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    root = tmp_path_factory.mktemp("team")
    story.write(root / "overreacher", toml='[athlete]\nname = "Olga"\ntimezone = "Europe/Oslo"\n')
    story.write(root / "strict", toml='[athlete]\nname = "Sam"\n[thresholds]\nstreak_high_days = 10\n')
    calm = story.write(root / "calm", pain=False, toml='[athlete]\nname = "Cal"\n')
    # Cal's data stops before the build-up: nothing recent, low risk.
    lines = (calm / "activities.csv").read_text().splitlines(keepends=True)
    (calm / "activities.csv").write_text("".join(lines[:40]))
    red = story.write(root / "red", toml='[athlete]\nname = "Rita"\n')
    with open(red / "pain.csv", "a") as fh:
        fh.write("2026-11-20,7,inner knee,right,sudden,pop;swelling;giving_way,twisted on a root\n")
    broken = story.write(root / "broken")
    (broken / "loadwatch.toml").write_text("[athlete]\nunits = 'furlongs'\n")
    (root / "empty").mkdir()
    (root / "notes").mkdir()
    (root / "notes" / "plan.txt").write_text("not an athlete")
    return root


def run(team, *args):
    return CliRunner().invoke(cli, ["squad", str(team), "--as-of", "2026-11-22", "--no-cache",
                                    "--workers", "2", *args], catch_exceptions=False)


def test_ranking_and_json(team):
    result = run(team, "--format", "json")
    assert result.exit_code == 1  # one athlete is broken
    doc = json.loads(result.stdout)
    assert doc["schema"] == "loadwatch/squad-v1" and doc["as_of"] == "2026-11-22"
    names = [a["athlete"] for a in doc["athletes"]]
    assert names[0] == "Rita"  # a red flag first of all
    # Cal stopped uploading in September: unknown ranks above the usual ones.
    assert names.index("Cal") < min(names.index("Sam"), names.index("Olga"))
    risks = {a["athlete"]: a["risk"] for a in doc["athletes"]}
    assert risks == {"Rita": "usual", "Sam": "usual", "Olga": "usual", "Cal": "unknown"}
    rita = doc["athletes"][0]
    assert rita["red_flag"] and "red flag" in rita["pain"]
    assert "sports physical therapist" in rita["top_flag"]
    olga = next(a for a in doc["athletes"] if a["athlete"] == "Olga")
    assert olga["this_week"]["run_distance"] == 102.0 and olga["streak"] == 13
    assert set(olga) >= {"athlete", "risk", "drivers", "this_week", "pain", "import"}
    (error,) = doc["errors"]
    assert error["folder"].endswith("broken") and "athlete.units" in error["error"]
    assert {s["folder"] for s in doc["skipped"]} == {"empty", "notes"}


def test_text_lists_everyone_most_at_risk_first(team):
    result = run(team)
    out = result.stdout
    assert out.index("Rita") < out.index("Cal") < min(out.index("Sam"), out.index("Olga"))
    assert "ERROR" in out and "skipped" in out
    assert "Error: broken" in result.stderr or "athlete.units" in result.stderr


def test_markdown(team):
    result = run(team, "--format", "markdown")
    assert "| athlete | risk |" in result.stdout and "Rita" in result.stdout


def test_a_squad_equals_its_athletes_alone(team):
    from loadwatch.athlete import load_athlete
    from loadwatch.report.build import for_athlete

    result = squad.run(team, as_of=None, cache_dir=None, workers=1)
    together = {a.name: a.report for a in result.athletes if a.report}
    data = load_athlete([team / "overreacher"])
    from datetime import date

    alone = for_athlete(data, as_of=date.fromisoformat(together["Olga"]["as_of"])).report
    assert together["Olga"]["risk"] == alone["risk"] and together["Olga"]["weeks"] == alone["weeks"]


def test_no_athletes_is_exit_2(tmp_path):
    (tmp_path / "nobody").mkdir()
    result = CliRunner().invoke(cli, ["squad", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2 and "no athlete folders" in result.stderr


@pytest.mark.browser
def test_squad_html_renders_in_chromium(team, tmp_path):
    from tests import browser

    out = tmp_path / "squad.html"
    result = run(team, "--format", "html", "--out", str(out))
    assert result.exit_code == 1  # the broken athlete
    page = out.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 4  # one small chart per reported athlete
    assert 'href="#athlete-rita"' in page and 'id="athlete-rita"' in page
    png = browser.screenshot(out, tmp_path / "squad.png", width=1200, height=1600)
    assert browser.distinct_colours(png) > 20
    dom = browser.rendered_dom(out)
    assert page.index("Rita") < page.index("Cal") and "athlete.units" in dom
