"""Render an HTML file in a real headless Chromium: a PNG screenshot, the page's visible text,
and (through Python ``playwright`` driving the same binary) layout checks and clicks.

The calling test is skipped when Chromium is not installed (`.ci/run` installs
Debian's package) or ``playwright`` is missing. Only file:// pages are opened, with a
throw-away profile and Chromium's background networking, sync and component updates
off; every run is bounded by a timeout. Playwright never downloads a browser here: it
launches Debian's ``/usr/bin/chromium`` by ``executable_path``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image  # matplotlib's own dependency

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars")
TIMEOUT_S = 60
PHONE, DESKTOP = (390, 2400), (1280, 4500)
"""Window sizes [CSS px]: a common phone width, a laptop; tall enough to reach the charts."""


def chromium() -> str:
    """Path of the Chromium binary; skips the calling test when there is none."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def _run(args: list[str]) -> subprocess.CompletedProcess:
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="loadwatch-chromium-") as profile:
        try:
            result = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                                    capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"Chromium did not finish within {TIMEOUT_S} s: {' '.join(args)}")
    if result.returncode != 0:
        pytest.fail(f"Chromium exited {result.returncode}: {result.stderr[-800:]}")
    return result


def screenshot(html: Path, png: Path, width: int = DESKTOP[0], height: int = DESKTOP[1]) -> Path:
    """A PNG of the page's top ``width`` x ``height`` CSS pixels."""
    png.unlink(missing_ok=True)
    _run([f"--screenshot={png}", f"--window-size={width},{height}", html.resolve().as_uri()])
    assert png.is_file(), "Chromium wrote no screenshot"
    return png


def rendered_dom(html: Path) -> str:
    """The DOM after Chromium parsed the page, serialised (``--dump-dom``)."""
    return _run(["--dump-dom", html.resolve().as_uri()]).stdout


class _Text(HTMLParser):
    """Text of the elements a browser shows: not head, style, script, template or hidden ones."""

    UNSHOWN = {"head", "title", "style", "script", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[bool] = []  # per open element: whether it hides its content
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            self.parts.append(" ")
            return
        hidden = tag in self.UNSHOWN or any(name == "hidden" for name, _ in attrs)
        self.open.append(hidden)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()
        self.parts.append(" ")  # block ends separate words

    def handle_data(self, data):
        if not any(self.open):
            self.parts.append(data)


def text_of(dom: str) -> str:
    """The visible text of serialised HTML, whitespace collapsed to single spaces."""
    parser = _Text()
    parser.feed(dom)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def render(html: Path, png: Path, width: int = DESKTOP[0], height: int = DESKTOP[1]) -> str:
    """Screenshot ``html`` to ``png`` and return the text Chromium's DOM shows.

    Parameters
    ----------
    html : pathlib.Path
        The page, opened as a file:// URL.
    png : pathlib.Path
        Where the screenshot goes.
    width, height : int
        Window size. [CSS px]

    Returns
    -------
    str
        :func:`text_of` the rendered DOM.
    """
    screenshot(html, png, width, height)
    return text_of(rendered_dom(html))


def pixels(png: Path):
    """The screenshot as an (height, width, 3) uint8 array."""
    with Image.open(png) as im:
        return np.asarray(im.convert("RGB"))


def distinct_colours(png: Path) -> int:
    """How many different colours the screenshot has (a blank page has one)."""
    rgb = pixels(png).reshape(-1, 3).astype(np.uint32)
    # One integer per colour: a 1-D unique is far faster than unique rows.
    return len(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]))


def colour_share(png: Path, rgb: tuple[int, int, int], tolerance: int = 8) -> float:
    """Share of the screenshot's pixels within ``tolerance`` of ``rgb`` on every channel."""
    diff = np.abs(pixels(png).astype(int) - np.array(rgb)).max(axis=-1)
    return float((diff <= tolerance).mean())


CUT_CELLS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not displayed
    const problems = [];
    if (box.left < -0.5 || box.right > width + 0.5) problems.push('outside the window');
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push('text wider than the cell');
    for (let up = cell.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const clip = up.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5)
        problems.push('clipped by a scrolling ' + up.tagName.toLowerCase());
    }
    if (problems.length)
      out.push(cell.textContent.trim().slice(0, 40) + ': ' + problems.join(', '));
  }
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) out.push('the page scrolls sideways: ' + page + ' px in ' + width);
  return out;
}
"""
"""Every table cell that is not wholly shown: outside the window, wider than its text box, or
inside a box that scrolls sideways and hides it; and a page wider than the window."""


@contextlib.contextmanager
def live_page(html: Path, width: int, height: int = 900, *, script: bool = True) -> Iterator:
    """A playwright page of ``html`` in headless Chromium at ``width`` x ``height`` CSS px.

    Parameters
    ----------
    html : pathlib.Path
        Opened as a file:// URL.
    width, height : int
        Viewport. [CSS px]
    script : bool, default True
        False runs the page with JavaScript off (its no-script fallback).
    """
    binary = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=binary, args=list(FLAGS[1:]),
                                     timeout=TIMEOUT_S * 1000)
        try:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          java_script_enabled=script)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_S * 1000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html.resolve().as_uri())
            page.console_errors = errors
            yield page
        finally:
            browser.close()


def cut_cells(page) -> list[str]:
    """:data:`CUT_CELLS_JS` on a live page: one line per cell not wholly shown."""
    return page.evaluate(CUT_CELLS_JS)
