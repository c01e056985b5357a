"""Issue 11, item 15: numbers are strict: "8_0" is not 80; NaN and inf are rejected with the row
named (diary, CSV imports, config)."""

from __future__ import annotations

import pytest

from loadwatch import config, pain
from loadwatch.importers.base import clean
from loadwatch.importers.strava import read_activities_csv
from loadwatch.numbers import parse_number

HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"


@pytest.mark.parametrize("raw", ["8_0", "nan", "NaN", "inf", "-inf", "Infinity", "1e999", "0x50",
                                 "٨٠", "８０", "1,5", "8 0", ""])
def test_not_plain_numbers(raw):
    with pytest.raises(ValueError):
        parse_number(raw)
    assert clean(raw) is None


@pytest.mark.parametrize("raw", ["80", " 8.5 ", "+1e3", "-2", ".5", "5."])
def test_plain_numbers(raw):
    assert parse_number(raw) == float(raw)


@pytest.mark.parametrize(("cell", "needle"), [
    ("8_0", "Distance '8_0' is not a number"),
    ("nan", "Distance 'nan' is not a number"),
    ("inf", "Distance 'inf' is not a number"),
    ("1e999", "Distance '1e999' is too large"),
])
def test_strava_csv_rows_are_named(cell, needle):
    data = (HEADER + '1,"Nov 10, 2026, 7:00:00 AM",Good,Run,1200,5.00,\n'
            f'2,"Nov 11, 2026, 7:00:00 AM",Bad,Run,1200,{cell},\n').encode()
    result = read_activities_csv(data, "activities.csv")
    assert [r.activity.name for r in result.rows] == ["Good"]
    assert result.errors == [f"line 3: {needle}"]


@pytest.mark.parametrize("severity", ["8_0", "1_0", "nan", "inf", "٣", "３", "3.0"])
def test_diary_severity(tmp_path, severity):
    path = tmp_path / "pain.csv"
    path.write_text("date,severity,location,side,onset,symptoms,notes\n"
                    f"2026-11-10,{severity},knee,,,,\n2026-11-11,2,knee,,,,\n", encoding="utf-8")
    diary = pain.read_diary(path)
    assert list(diary.entries["severity"]) == [2]
    assert diary.errors == [f"{path}, line 2: severity '{severity}' is not a whole number "
                            "from 0 to 10"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_config_numbers(tmp_path, value):
    path = tmp_path / "loadwatch.toml"
    path.write_text(f"[athlete]\nmax_hr = {value}\n")
    with pytest.raises(config.ConfigError, match="athlete.max_hr must be a number"):
        config.load(path)
