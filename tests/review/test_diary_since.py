"""``[athlete] diary_since``: the day the pain diary was started, validated when read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from loadwatch import config


def _load(tmp_path, text):
    path = tmp_path / "loadwatch.toml"
    path.write_text(text, encoding="utf-8")
    return config.load(path)


@pytest.mark.parametrize("value", ["2025-03-01", '"2025-03-01"', '" 2025-03-01 "'])
def test_a_toml_date_or_a_date_string(tmp_path, value):
    cfg = _load(tmp_path, f"[athlete]\ndiary_since = {value}\n")
    assert cfg.athlete.diary_since == date(2025, 3, 1)


def test_not_set_is_none(tmp_path):
    assert _load(tmp_path, "[athlete]\nname = \"A\"\n").athlete.diary_since is None


@pytest.mark.parametrize("value", ['"March"', "2025-03-01T10:00:00", "20250301", '"2025-02-30"'])
def test_not_a_date_names_file_and_key(tmp_path, value):
    with pytest.raises(config.ConfigError) as err:
        _load(tmp_path, f"[athlete]\ndiary_since = {value}\n")
    assert "loadwatch.toml" in str(err.value) and "athlete.diary_since must be a date" in str(err.value)


def test_a_day_to_come_is_refused(tmp_path):
    later = (date.today() + timedelta(days=30)).isoformat()
    with pytest.raises(config.ConfigError, match="in the future"):
        _load(tmp_path, f"[athlete]\ndiary_since = {later}\n")
