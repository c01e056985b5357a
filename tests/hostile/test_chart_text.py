"""Issue 11, item 12: "$" and other mathtext characters in user text never break the chart."""

from __future__ import annotations

import copy

import pytest
from matplotlib.text import Text

from loadwatch.report import charts
from tests.hostile.helpers import gpx, invoke
from tests.report import sample_report

NAMES = ["$\\frac{1}{", "Ann $$ ^_^ $", "50$ a week", "\\$ and $x_{", "R&D <b>"]


@pytest.mark.parametrize("name", NAMES)
def test_any_name_renders(name):
    report = copy.deepcopy(sample_report())
    report["athlete"] = name
    png = charts.render_png(report, width_in=6, dpi=40)
    assert png.startswith(b"\x89PNG")
    assert charts.render_small_png(report).startswith(b"\x89PNG")


def test_every_text_of_the_figure_is_plain():
    """Not just the title: any label made now or later must not parse "$"."""
    fig = charts.figure(sample_report())
    charts._png(fig, 40)  # tick labels are made while drawing, as render_png draws
    texts = fig.findobj(Text)
    assert texts and not [t.get_text() for t in texts if t.get_parse_math()]
    assert fig.get_suptitle().startswith(sample_report()["athlete"])


def test_the_cli_chart_with_a_dollar_name(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx())
    (folder / "loadwatch.toml").write_text('[athlete]\nname = "$\\\\frac{Ann"\n')
    chart = tmp_path / "load.png"
    result = invoke("report", folder, "--no-cache", "--as-of", "2026-11-12", "--chart", chart,
                    "--format", "html", "--out", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_a_control_character_in_the_name_draws_quietly(recwarn):
    """Issue 17: a CR has no glyph; matplotlib warned with a source line on stderr."""
    report = copy.deepcopy(sample_report())
    report["athlete"] = "Ann\rEvil\x1b[2J"
    assert charts.render_png(report, width_in=6, dpi=40).startswith(b"\x89PNG")
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
    fig = charts.figure(report)
    assert fig.get_suptitle().startswith("Ann\\rEvil\\x1b[2J: ")
