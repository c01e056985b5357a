"""Shared fixtures: no test writes to the user's real alert state folder."""

import pytest


@pytest.fixture(autouse=True)
def _private_alert_state(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
