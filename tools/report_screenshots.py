"""Screenshots of the HTML report's first screen, at a laptop's and a phone's size.

Renders the demo's report (``sample_data/runner`` as of Sun 22 Nov 2026) and takes
the first viewport of it in headless Chromium (Debian's, through Playwright, as
tests/browser.py launches it) at 1280x800 and at 390x844:

    .venv/bin/python tools/report_screenshots.py            # writes docs/img/report-1280.png
                                                            # and docs/img/report-390.png

tests/report/test_screenshots.py takes the same screenshots (into pytest's
``tmp_path``) with the checks below: every summary card wholly inside the first
viewport, and the charts' smallest text at least 11 CSS px on the phone.
"""

from __future__ import annotations

import base64
import re
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "sample_data" / "runner"
AS_OF = "2026-11-22"
SIZES = ((1280, 800), (390, 844))
"""Viewports [CSS px]: a laptop's first screen, a phone's (issue 23)."""
SVG = "data:image/svg+xml;base64,"

CARDS_JS = """
() => [...document.querySelectorAll('.glance .card')].map(c => {
  const b = c.getBoundingClientRect();
  return {card: c.dataset.card, left: b.left, top: b.top, right: b.right, bottom: b.bottom};
})
"""
PANELS_JS = """
() => [...document.querySelectorAll('img.chart-panel')].map(i => (
  {src: i.getAttribute('src'), width: i.getBoundingClientRect().width}))
"""


def render_html(folder: Path) -> Path:
    """The demo's HTML report, written into ``folder``."""
    from click.testing import CliRunner

    from loadwatch.cli import cli

    out = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", str(RUNNER), "--as-of", AS_OF, "--cache-dir",
                                      str(folder / "cache"), "--format", "html", "--out", str(out)])
    if result.exit_code != 0:
        raise RuntimeError(f"loadwatch report exited {result.exit_code}: {result.output}")
    return out


def cards_outside(page, width: int, height: int) -> list[str]:
    """The summary cards not wholly inside the first ``width`` x ``height`` viewport."""
    cards = page.evaluate(CARDS_JS)
    if not cards:
        return ["no summary card on the page"]
    return [f"{c['card']}: {c}" for c in cards
            if c["left"] < 0 or c["top"] < 0 or c["right"] > width + 0.5
            or c["bottom"] > height + 0.5]


def smallest_chart_text(page) -> float:
    """The smallest chart text as shown [CSS px]: each SVG panel's font sizes, scaled by the
    width the page shows it at over its drawn width."""
    smallest = float("inf")
    for panel in page.evaluate(PANELS_JS):
        if not panel["src"].startswith(SVG) or not panel["width"]:
            continue
        svg = ElementTree.fromstring(base64.b64decode(panel["src"][len(SVG):]))
        drawn = float(svg.get("viewBox").split()[2])
        sizes = [float(s) for t in svg.iter("{http://www.w3.org/2000/svg}text")
                 for s in re.findall(r"font-size: ([\d.]+)px", t.get("style", ""))]
        if sizes:
            smallest = min(smallest, min(sizes) * panel["width"] / drawn)
    return smallest


def shoot(live_page, html: Path, png: Path, width: int, height: int) -> dict:
    """Screenshot the first viewport of ``html`` to ``png``; what the checks need.

    ``live_page`` is tests/browser.py's context manager (Chromium at that size).
    Returns ``outside`` (:func:`cards_outside`), ``smallest`` (:func:`smallest_chart_text`
    [CSS px]), ``panels`` (how many) and the page's console ``errors``.
    """
    with live_page(html, width, height) as page:
        page.screenshot(path=str(png))
        return {"outside": cards_outside(page, width, height),
                "smallest": smallest_chart_text(page),
                "panels": len(page.evaluate(PANELS_JS)), "errors": list(page.console_errors)}


def small_png(png: Path) -> None:
    """The screenshot with at most 64 colours: a few tens of kB for the README."""
    from PIL import Image

    with Image.open(png) as im:
        im.convert("RGB").quantize(64, dither=Image.Dither.NONE).save(png, optimize=True)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests import browser

    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="loadwatch-shots-") as tmp:
        html = render_html(Path(tmp))
        for width, height in SIZES:
            png = out / f"report-{width}.png"
            seen = shoot(browser.live_page, html, png, width, height)
            if seen["outside"]:
                print(f"{png}: not in the first screen: {seen['outside']}", file=sys.stderr)
                return 1
            small_png(png)
            print(f"Wrote {png} ({png.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
