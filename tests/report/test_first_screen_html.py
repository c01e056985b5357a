"""The HTML report's first screen (issue 23): large cards with words on each, every section below in
a collapsible <details>, and charts as SVG panels whose text a phone can read."""

import base64
import json
import re
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.report import html, panels
from tests.report import sample_report

RUNNER = Path(__file__).resolve().parents[2] / "sample_data" / "runner"
SVG = "data:image/svg+xml;base64,"


@pytest.fixture(scope="module")
def runner_page(tmp_path_factory):
    """The demo's HTML report and JSON report of sample_data/runner as of Sun 22 Nov 2026."""
    tmp = tmp_path_factory.mktemp("runner")
    out = tmp / "report.html"
    args = ["report", str(RUNNER), "--as-of", "2026-11-22", "--cache-dir", str(tmp / "c")]
    result = CliRunner().invoke(cli, [*args, "--format", "html", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    return out.read_text(encoding="utf-8"), doc


def cards(page: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="card[^"]*" data-card="(\w+)">(.*?)</div>\n(?=<div class="card|'
                           r'</section>)', page, flags=re.S))


def words(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_the_cards_come_first_with_words_and_the_numbers_of_next_week(runner_page):
    page, doc = runner_page
    glance = page.index('<section class="glance"')
    assert glance < page.index("<details")
    found = cards(page)
    assert list(found) == ["clinical", "level", "next_week", "todo"]
    assert words(found["clinical"]).startswith("Clinical GET IT ASSESSED SOON Pain of 3/10")
    assert words(found["level"]).startswith("Load level HIGH A run more than twice")
    plan = doc["next_week"]
    assert words(found["next_week"]) == (
        f"Next week weekly maximum {plan['weekly_distance_max']:.1f} km longest run "
        f"{plan['longest_run']:.1f} km rest days at least {plan['rest_days_min']}")
    assert "Weekly distance: up to 69.8 km" in page  # the same number, in the section below
    assert words(found["todo"]).startswith("What to do Get the pain assessed")
    # The colour is a class over words, never alone; the class is a known word.
    assert re.search(r'class="card tone-assess_soon" data-card="clinical"', page)
    assert re.search(r'class="card tone-high" data-card="level"', page)


def test_every_section_is_collapsible_below_the_cards_the_charts_open(runner_page):
    page, _ = runner_page
    folds = re.findall(r'<details class="more" data-section="(\w+)"( open)?>\n<summary><h2 '
                       r'class="section">[^<]+</h2></summary>', page)
    keys = [k for k, _ in folds]
    assert keys[:2] == ["status", "next_week"] and "charts" in keys
    assert [k for k, opened in folds if opened] == ["charts"]
    assert page.count("<details") == len(folds) and page.count("<h2") == len(folds)


def test_the_charts_are_svg_panels_with_phone_sized_text_and_true_alt_texts(runner_page):
    page, doc = runner_page
    imgs = re.findall(r'<figure data-panel="(\w+)"><img class="chart-panel" alt="([^"]*)" '
                      r'src="([^"]+)" width="(\d+)"', page)
    assert [name for name, *_ in imgs] == ["weekly", "acwr", "runs", "calendar", "pain"]
    for name, _alt, src, width in imgs:
        assert src.startswith(SVG)
        svg = ElementTree.fromstring(base64.b64decode(src[len(SVG):]))
        view_w = float(svg.get("viewBox").split()[2])
        sizes = [float(m) for t in svg.iter("{http://www.w3.org/2000/svg}text")
                 for m in re.findall(r"font-size: ([\d.]+)px", t.get("style", ""))]
        assert sizes, f"{name}: no text drawn as text"
        # Shown 371 CSS px wide at a 390 px phone (the page's padding aside).
        assert min(sizes) * 371 / view_w >= 11, name
        assert int(width) == round(panels.PANEL_WIDTH_IN * 96)
    alts = {name: alt for name, alt, *_ in imgs}
    last = doc["weeks"][-1]
    assert f"{last['week']} {last['run_distance']:.1f} km" in alts["weekly"]
    assert "(large spike, 2.14x)" in alts["runs"]
    assert "Highest 5/10 on" in alts["pain"]
    # The day-by-day level strip sits in the load chart's figure, right under it.
    weekly = re.search(r'<figure data-panel="weekly">(.*?)</figure>', page, flags=re.S).group(1)
    assert 'data-panel="level_strip"' in weekly and page.count('data-panel="level_strip"') == 1
    assert "The load level of" in weekly and "days high" in weekly


def test_the_level_strip_is_drawn_under_the_load_chart_from_the_report_alone():
    report = sample_report()
    first = date.fromisoformat(report["weeks"][0]["start"])
    levels = ["usual"] * 20 + ["raised"] * 5 + ["high"] * 3
    report["level_strip"] = [{"date": (first + timedelta(days=i)).isoformat(), "level": lv}
                             for i, lv in enumerate(levels)]
    page = html.render(report, panels=panels.svg_panels(report))
    weekly = re.search(r'<figure data-panel="weekly">(.*?)</figure>', page, flags=re.S).group(1)
    alt = re.search(r'<img class="chart-panel" data-panel="level_strip" alt="([^"]*)"',
                    weekly).group(1)
    assert "3 days high, 5 days raised, 20 days usual" in alt
    assert "raised from" in alt and "high from" in alt
    strip = panels.level_strip(report)
    assert strip.name == "level_strip" and b"high" in strip.svg and b"raised" in strip.svg


def test_the_page_without_a_summary_or_charts_still_renders():
    report = sample_report()
    del report["summary"]
    page = html.render(report)
    assert 'class="glance"' not in page and "<details" not in page
    assert "CHECK NOW" in html.render(sample_report())
