"""Screenshots of the HTML report at a laptop's and a phone's first screen (issue 23): the summary
cards are wholly inside it and the charts' text is readable on the phone. The screenshots are
saved to tmp_path; tools/report_screenshots.py makes the README's picture the same way."""

import importlib.util
from pathlib import Path

import pytest

from tests import browser

TOOL = Path(__file__).resolve().parents[2] / "tools" / "report_screenshots.py"
_spec = importlib.util.spec_from_file_location("report_screenshots", TOOL)
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return shots.render_html(tmp_path_factory.mktemp("demo"))


@pytest.mark.parametrize("width, height", shots.SIZES, ids=lambda v: str(v))
def test_the_summary_cards_fill_the_first_screen_and_the_charts_read_on_a_phone(
        page, tmp_path, width, height):
    png = tmp_path / f"report-{width}.png"
    seen = shots.shoot(browser.live_page, page, png, width, height)
    assert png.is_file() and browser.pixels(png).shape[:2] == (height, width)
    assert seen["outside"] == []
    assert seen["errors"] == []
    assert seen["panels"] == 6   # the five charts and the level strip under the weekly one
    if width == 390:
        assert seen["smallest"] >= 11, f"smallest chart text {seen['smallest']:.1f} CSS px"
    # The four cards are drawn: the screenshot holds their tints (clinical amber, level red).
    assert browser.colour_share(png, (0xFF, 0xF1, 0xD6), 2) > 0.01
    assert browser.colour_share(png, (0xFD, 0xE7, 0xE4), 2) > 0.01


def test_the_check_sees_a_card_below_the_first_screen(page, tmp_path):
    # A phone only 300 px tall cannot hold them: the check must say so.
    seen = shots.shoot(browser.live_page, page, tmp_path / "short.png", 390, 300)
    assert seen["outside"]


def test_the_longest_first_screen_still_fits_a_phone(tmp_path):
    """The worst case: CHECK NOW, and three long "what to do" sentences holding a long folder
    path (the most the summary says). The page's own report starts at the top of the window."""
    from loadwatch.report import html
    from tests.report import sample_report

    report = sample_report()
    folder = "/home/ingrid/Documents/Running/loadwatch-athletes/ingrid-smith-lindqvist"
    report["summary"]["todo"] = [
        "No running until the red flag in your pain diary has been checked by a sports physical "
        "therapist or doctor: the numbers come back after that "
        f"('loadwatch pain add --athlete {folder} --assessed').",
        "No diary entry since Thu 12 Nov: how is the left inner knee? 10 days without one; "
        f"record it: 'loadwatch pain add --athlete {folder} --severity N --location \"inner "
        "knee\" --side left' (N from 0, pain-free, to 10; add --assessed once a clinician has "
        "seen it).",
        "Settle 3 activities under \"Data to check\": 'loadwatch confirm ID' if real, "
        "'loadwatch ignore ID' if not."]
    page = tmp_path / "worst.html"
    page.write_text(html.render(report), encoding="utf-8")
    seen = shots.shoot(browser.live_page, page, tmp_path / "worst.png", 390, 844)
    assert seen["outside"] == []
