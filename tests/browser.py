"""Render an HTML file in a real headless Chromium: a screenshot and the visible text.

Skips the calling test when Chromium is not installed (`.ci/run` installs Debian's
package). Only file:// pages are opened, and Chromium's background networking is off.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def _run(args: list[str], timeout: int = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, timeout=timeout, text=True)


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 2000) -> Path:
    """A PNG of the rendered page at ``width`` x ``height`` CSS pixels."""
    _run([f"--screenshot={png}", f"--window-size={width},{height}", html.resolve().as_uri()])
    assert png.is_file(), "Chromium wrote no screenshot"
    return png


def rendered_dom(html: Path) -> str:
    """The DOM after Chromium parsed and laid out the page, serialised (--dump-dom)."""
    result = _run(["--dump-dom", html.resolve().as_uri()])
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout


def distinct_colours(png: Path) -> int:
    """How many different colours the screenshot has (a blank page has one)."""
    import matplotlib.image as mpimg
    import numpy as np

    pixels = (mpimg.imread(png)[..., :3] * 255).astype("uint8").reshape(-1, 3)
    return len(np.unique(pixels[:: max(1, len(pixels) // 200_000)], axis=0))
