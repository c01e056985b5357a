"""Shared fixtures: no test reads or writes the user's real cache, state or config folders.

Every test gets its own import cache (``$LOADWATCH_CACHE``), alert state (``$LOADWATCH_STATE``)
and user config (``$LOADWATCH_USER_CONFIG``). The XDG folders of the whole session point into a
temporary folder too, so that a library writing its own files (matplotlib's font cache, a
browser profile) or a subprocess that drops the variables never writes into the user's home.
"""

import os
import shutil
import struct
import tempfile
import zlib

import pytest

_XDG = ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
_session_home: str | None = None


def pytest_configure(config):
    global _session_home
    _session_home = tempfile.mkdtemp(prefix="loadwatch-test-home-")
    for name in _XDG:
        os.environ[name] = os.path.join(_session_home, name.lower())
        os.makedirs(os.environ[name], exist_ok=True)


def pytest_unconfigure(config):
    if _session_home:
        shutil.rmtree(_session_home, ignore_errors=True)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LOADWATCH_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _private_alert_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """A user config a test writes is its own (``$LOADWATCH_USER_CONFIG``), never ~/.config's."""
    monkeypatch.setenv("LOADWATCH_USER_CONFIG",
                       str(tmp_path_factory.mktemp("userconfig") / "config.toml"))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


TINY_PNG = (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00")) + _png_chunk(b"IEND", b""))
"""A valid 1x1 grey PNG."""


@pytest.fixture
def chart_stand_in(monkeypatch):
    """Reports draw a 1x1 PNG instead of the load chart; returns the list of its drawings.

    For tests that run many alerts and are about which mails go out: drawing the real chart
    takes 2-3 s of matplotlib a run. Drawing and attaching it are tested in test_alert.py and
    tests/report/test_charts.py."""
    drawn: list[bytes] = []

    def draw(report, **kw):
        drawn.append(TINY_PNG)
        return TINY_PNG

    monkeypatch.setattr("loadwatch.report.charts.render_png", draw)
    return drawn
