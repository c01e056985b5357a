"""Charts and the HTML report: the data drawn is the report's, and the page renders in Chromium."""

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.report import charts, html
from tests import browser, story


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = story.write(tmp_path_factory.mktemp("story") / "athlete")
    with open(folder / "pain.csv", "a") as fh:
        fh.write("2026-11-22,6,inner knee,left,sudden,pop;swelling,twisted on a root\n")
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-22", "--no-cache",
                                      "--format", "json", "--weeks", "10"])
    return json.loads(result.stdout)


def test_weekly_bars_are_the_reports_distances_coloured_by_flags(report):
    fig = charts.figure(report)
    bars = fig.axes[0].patches
    assert [round(b.get_height(), 2) for b in bars] == [w["run_distance"] for w in report["weeks"]]
    severity = charts.week_severity(report)
    assert severity[report["weeks"][-1]["week"]] == "high"  # the red flag's week
    colour = bars[-1].get_facecolor()
    import matplotlib.colors as mc
    assert mc.to_hex(colour) == charts.SEVERITY_COLOURS["high"].lower()
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "+36%" in labels  # the 33 -> 45 km jump


def test_acwr_line_and_pain_panel_come_from_the_days(report):
    fig = charts.figure(report)
    (line,) = [x for x in fig.axes[1].lines if x.get_label().startswith("ratio")]
    acwr = [d["acwr"] for d in report["days"] if d["acwr"] is not None]
    assert list(line.get_ydata()) == pytest.approx(acwr)
    pain_heights = [b.get_height() for b in fig.axes[4].patches]
    assert pain_heights == [d["pain"] for d in report["days"] if d["pain"] is not None]
    for ax in fig.axes:
        assert ax.get_ylabel()


def test_png_is_a_real_png_of_sensible_size(report, tmp_path):
    png = charts.render_png(report)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    path = tmp_path / "c.png"
    path.write_bytes(png)
    import matplotlib.image as mpimg
    height, width = mpimg.imread(path).shape[:2]
    assert 900 <= width <= 1600 and 700 <= height <= 2000
    small = charts.render_small_png(report)
    assert small[:8] == b"\x89PNG\r\n\x1a\n" and len(small) < len(png)


def test_the_run_panel_draws_the_next_long_runs_ceiling_as_steps(report):
    fig = charts.figure(report)
    (step,) = [x for x in fig.axes[2].lines if "ceiling" in x.get_label()]
    assert step.get_drawstyle() == "steps-post"
    days = report["days"]
    drawn = list(step.get_ydata())
    # One step per day, and the last day's step drawn to its end.
    assert drawn[:-1] == pytest.approx([np.nan if d["ceiling"] is None else d["ceiling"]
                                        for d in days], nan_ok=True)
    assert drawn[-1] == drawn[-2]
    # The 30 km spike of Sun 8 Nov leaves the ceiling at 1.1 x 20 km until it is repeated on
    # Sun 15 Nov; from then it is 1.1 x 30 km.
    at = {d["date"]: y for d, y in zip(days, drawn, strict=False)}
    assert (at["2026-11-08"], at["2026-11-14"], at["2026-11-15"]) == (22.0, 22.0, 33.0)
    assert fig.axes[2].get_ylim()[1] >= max(d["ceiling"] or 0 for d in days)


def test_no_ceiling_draws_no_step_line(report):
    bare = dict(report, days=[dict(d, ceiling=None) for d in report["days"]])
    fig = charts.figure(bare)
    assert not [x for x in fig.axes[2].lines if "ceiling" in x.get_label()]


def test_html_escapes_what_came_from_files(report):
    evil = dict(report, athlete="<script>alert(1)</script>")
    evil["flags"] = [dict(report["flags"][0], message="<img src=x onerror=alert(1)>")]
    page = html.render(evil, None)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_html_is_self_contained(report):
    page = html.render(report, charts.render_png(report))
    assert "data:image/png;base64," in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page
    # The clinical status first of all, then the load level and the sections.
    body = page.split("</style>")[1]
    assert re.findall(r'class="banner tone-(\w+)"', body)[0] == "check_now"
    assert body.index("banner tone-") < body.index("What drove it")


def test_cli_writes_html_and_chart(tmp_path):
    folder = story.write(tmp_path / "athlete")
    out, chart = tmp_path / "out" / "report.html", tmp_path / "out" / "load.png"
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-22", "--no-cache",
                                      "--format", "html", "--out", str(out), "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>") and chart.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.browser
def test_html_renders_in_chromium(report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html.render(report, charts.render_png(report)), encoding="utf-8")
    for width in (390, 1200):  # a phone and a desktop
        png = browser.screenshot(page, tmp_path / f"shot-{width}.png", width=width)
        assert browser.distinct_colours(png) > 20
    text = browser.rendered_dom(page)
    assert "CHECK NOW" in text
    import html as std_html
    for f in report["flags"]:
        assert std_html.escape(f["message"], quote=False) in text
