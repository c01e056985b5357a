"""Shared fixtures: no test reads or writes the user's real alert state folder or user config."""

import pytest


@pytest.fixture(autouse=True)
def _private_alert_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """A user config a test writes is its own (``$LOADWATCH_USER_CONFIG``), never ~/.config's."""
    monkeypatch.setenv("LOADWATCH_USER_CONFIG",
                       str(tmp_path_factory.mktemp("userconfig") / "config.toml"))
