"""axe-core in a real Chromium on every HTML loadwatch writes: the athlete's report, the squad
page and the alert mail. No serious or critical violation of WCAG 2 A/AA (and axe's best
practices), at a desktop and a phone width.

axe-core is the engine behind most accessibility checkers; ``axe-playwright-python`` ships
its script and runs it in the page through Playwright (``tests/browser.py``). The tests skip
cleanly without Chromium or without the package.
"""

from datetime import date

import pytest
from click.testing import CliRunner

from loadwatch.alerts import collect, compose
from loadwatch.cli import cli
from tests import browser
from tests.test_squad import add_team

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
"""axe's impacts that fail the test (its others: minor, moderate)."""


def violations(page) -> list[str]:
    """One line per serious or critical axe-core violation of the live ``page``."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page, options={"resultTypes": ["violations"]})
    out = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            nodes = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else
                              str(n["target"]) for n in v["nodes"][:3])
            out.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}: {nodes})")
    return out


def check(html_path, width):
    with browser.live_page(html_path, width, 900) as live:
        problems = violations(live)
        # The squad page's script rebuilds its header (sort buttons): axe sees the page as used.
        assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    return add_team(tmp_path_factory.mktemp("team"))


@pytest.fixture(scope="module")
def pages(team, tmp_path_factory):
    """The three kinds of page: one athlete's report, the squad page, a coach's alert mail."""
    out = tmp_path_factory.mktemp("pages")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
        for name, args in (("report", ["report", str(team / "overreacher")]),
                           ("squad", ["squad", str(team), "--workers", "2"])):
            result = CliRunner().invoke(cli, [*args, "--as-of", "2026-11-22", "--no-cache",
                                              "--format", "html", "--out", str(out / f"{name}.html")],
                                        catch_exceptions=False)
            assert (out / f"{name}.html").is_file(), result.output
    items, _ = collect.collect(team, as_of=date(2026, 11, 22), tz=None, store=None,
                               to=["coach@example.org"], require_recipients=False)
    assert len(items) >= 3
    message = compose.compose(items, "loadwatch@example.org", ["coach@example.org"], coach=True)
    (out / "mail.html").write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    return out


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ["report", "squad", "mail"])
def test_no_serious_accessibility_violation(pages, name, width):
    check(pages / f"{name}.html", width)


def test_the_check_finds_what_it_should(tmp_path):
    """A page with an image without alt text and grey-on-white text fails: the check runs."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                    '<img src="data:,"><p style="color:#bbb">faint</p></main></body></html>',
                    encoding="utf-8")
    with browser.live_page(page, 800) as live:
        found = " ".join(violations(live))
    assert "image-alt" in found and "color-contrast" in found




LANDMARKS = {"landmark-one-main", "region"}
"""axe's rules that every page has one main landmark holding its content (moderate impact)."""


@pytest.mark.parametrize("name", ["report", "squad", "mail"])
def test_the_content_is_in_a_main_landmark(pages, name):
    """A screen reader's "jump to main" lands on the content, and nothing sits outside."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    with browser.live_page(pages / f"{name}.html", 1280, 900) as live:
        found = axe.Axe().run(live, options={"runOnly": sorted(LANDMARKS)}).response["violations"]
    assert [v["id"] for v in found] == []
