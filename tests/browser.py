"""Render an HTML file in a real headless Chromium: a PNG screenshot and the page's visible text.

The calling test is skipped when Chromium is not installed (`.ci/run` installs
Debian's package). Only file:// pages are opened, with a throw-away profile and
Chromium's background networking, sync and component updates off; every run is
bounded by a timeout.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
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
