"""loadwatch.toml parsing and its one-line errors."""

import pytest

from loadwatch import config


def write(tmp_path, text):
    p = tmp_path / "loadwatch.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_a_file():
    cfg = config.load(None)
    assert cfg.athlete.units == "km" and cfg.thresholds == {}


def test_full_file(tmp_path):
    cfg = config.load(write(tmp_path, """
[athlete]
name = "Ingrid"
timezone = "Europe/Oslo"
units = "mi"
max_hr = 190
rest_hr = 48
sex = "female"
[thresholds]
weekly_jump_high_pct = 25
[alert]
to = "coach@example.org"
"""))
    assert cfg.athlete.name == "Ingrid" and cfg.athlete.units == "mi"
    assert cfg.thresholds == {"weekly_jump_high_pct": 25}
    assert cfg.alert_to == ["coach@example.org"]


@pytest.mark.parametrize("text, needle", [
    ("[athlete]\nnmae = 'x'\n", "athlete.nmae"),
    ("[atlete]\n", "[atlete]"),
    ("[athlete]\nunits = 'furlongs'\n", "athlete.units"),
    ("[athlete]\nmax_hr = 'high'\n", "athlete.max_hr"),
    ("[athlete]\ntimezone = 'Mars/Base'\n", "athlete.timezone"),
    ("[athlete]\nmax_hr = 150\nrest_hr = 160\n", "rest_hr"),
    ("[athlete\n", "not valid TOML"),
    ("[alert]\nto = 'nobody'\n", "alert.to"),
])
def test_bad_values_name_the_file_and_key(tmp_path, text, needle):
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as err:
        config.load(path)
    assert needle in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_sports_table_maps_patterns_and_ids_to_sports(tmp_path):
    cfg = config.load(write(tmp_path, """
[sports]
"Runkeeper-*.gpx" = "run"
"gpx:3f2a9c1b0e4d" = "Ride"
"*.tcx" = "other"
"""))
    assert cfg.sports == {"Runkeeper-*.gpx": "run", "gpx:3f2a9c1b0e4d": "ride", "*.tcx": "other"}


@pytest.mark.parametrize("text, needle", [
    ('[sports]\n"*.gpx" = "flying"\n', "sports.*.gpx: 'flying' is not a sport loadwatch knows"),
    ('[sports]\n"*.gpx" = 3\n', "sports.*.gpx must be a sport name in quotes"),
    ('[sports]\n"*.gpx" = "unknown"\n', "is not a sport loadwatch knows"),
    ('[sports]\n" " = "run"\n', "sports: an empty key"),
    ('sports = "run"\n', "sports must be a table"),
])
def test_bad_sports_table_is_one_line_naming_file_and_key(tmp_path, text, needle):
    with pytest.raises(config.ConfigError) as info:
        config.load(write(tmp_path, text))
    msg = str(info.value)
    assert str(tmp_path / "loadwatch.toml") in msg and needle in msg and "\n" not in msg


def test_the_load_setting_knows_the_engines_loads(tmp_path):
    from loadwatch.engine.daily import LOADS

    assert config.LOADS == LOADS
    assert config.load(write(tmp_path, '[athlete]\nload = "srpe"\n')).athlete.load == "srpe"
