"""The timeline: schema, local days across zones and DST, sports (deduplication: test_duplicates.py)."""

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from loadwatch import timeline
from loadwatch.importers.base import Activity

OSLO = timeline.resolve_tz("Europe/Oslo")


def act(source="fit", path="a.fit", start=datetime(2026, 6, 1, 8, tzinfo=UTC), sport="running", **kw):
    return Activity(source=source, path=path, start_utc=start, sport=sport, **kw)


def test_columns_and_dtypes_are_the_schema():
    df = timeline.build([act(distance_m=10_000.0)], "ingrid", OSLO)
    assert list(df.columns) == list(timeline.COLUMNS)
    for col, dtype in timeline.COLUMNS.items():
        assert str(df[col].dtype) == dtype, col
    assert list(timeline.empty().columns) == list(timeline.COLUMNS)


def test_missing_values_are_na_never_zero():
    df = timeline.build([act(distance_m=0.0, avg_hr=None, duration_s=1800.0)], "x", OSLO)
    assert pd.isna(df.loc[0, "distance_m"]) and pd.isna(df.loc[0, "avg_hr"])
    assert df.loc[0, "duration_s"] == 1800.0


def test_sunday_2230_local_stays_on_sunday_in_summer_and_winter():
    # 22:30 in Oslo is 20:30 UTC in summer (CEST) and 21:30 UTC in winter (CET).
    summer = act(start=datetime(2026, 6, 28, 20, 30, tzinfo=UTC))
    winter = act(path="b.fit", start=datetime(2026, 11, 29, 21, 30, tzinfo=UTC))
    df = timeline.build([summer, winter], "x", OSLO)
    assert [d.strftime("%a %Y-%m-%d") for d in df["local_date"]] == ["Sun 2026-06-28", "Sun 2026-11-29"]
    assert list(df["utc_offset_min"]) == [120, 60]
    assert [t.hour for t in df["start_local"]] == [22, 22]


def test_run_after_dst_change_keeps_its_day():
    # Oslo leaves summer time at 01:00 UTC on 2026-10-25; a 00:30 local run the next night.
    late = act(start=datetime(2026, 10, 25, 23, 30, tzinfo=UTC))
    df = timeline.build([late], "x", OSLO)
    assert df.loc[0, "local_date"] == pd.Timestamp("2026-10-26")


def test_west_of_utc_evening_run_is_the_previous_local_day():
    ny = timeline.resolve_tz("America/New_York")
    df = timeline.build([act(start=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))], "x", ny)
    assert df.loc[0, "local_date"] == pd.Timestamp("2026-03-01")


def test_device_offset_wins_over_the_zone():
    a = act(start=datetime(2026, 6, 28, 23, 30, tzinfo=UTC), utc_offset_s=-4 * 3600)
    df = timeline.build([a], "x", OSLO)
    assert df.loc[0, "local_date"] == pd.Timestamp("2026-06-28")
    assert df.loc[0, "start_local"].utcoffset() == timedelta(hours=-4)
    assert df.loc[0, "start_local"] == pd.Timestamp("2026-06-28 19:30", tz=timezone(timedelta(hours=-4)))


def test_unknown_zone_is_a_clear_error():
    with pytest.raises(timeline.TimezoneError, match="Mars/Olympus"):
        timeline.resolve_tz("Mars/Olympus")


def test_records_without_start_are_left_out():
    df = timeline.build([act(start=None)], "x", OSLO)
    assert df.empty and list(df.columns) == list(timeline.COLUMNS)


def test_activity_id_is_stable_and_distinguishes_sessions():
    a, b = act(index=0), act(index=1)
    assert timeline.activity_id(a) == timeline.activity_id(act(index=0, path="/other/dir/a.fit"))
    assert timeline.activity_id(a) != timeline.activity_id(b)
    csv_row = act(source="strava_csv", path="activities.csv", external_id="123")
    assert timeline.activity_id(csv_row) == "strava:123"


@pytest.mark.parametrize("others", [0, 1, 3])
def test_a_record_without_a_sport_is_unknown_however_many_others_have_one(others):
    # pandas 3 keeps a text column as strings with NaN for None: a missing sport beside
    # named ones must still read as no sport ("unknown"), never as a sport called "nan".
    start = datetime(2026, 11, 1, 7, tzinfo=UTC)
    named = [Activity("gpx", f"run{i}.gpx", start + timedelta(days=i), sport="running",
                      distance_m=5000.0, duration_s=1800.0) for i in range(others)]
    bare = Activity("gpx", "bare.gpx", start + timedelta(days=9), distance_m=5000.0,
                    duration_s=1800.0)
    treadmill = Activity("gpx", "mill.gpx", start + timedelta(days=10), sub_sport="treadmill",
                         distance_m=5000.0, duration_s=1800.0)
    df = timeline.build([*named, bare, treadmill], "x", UTC).set_index("path")
    assert df.loc["bare.gpx", "sport"] == "unknown" and not df.loc["bare.gpx", "indoor"]
    assert df.loc["mill.gpx", "sport"] == "run" and df.loc["mill.gpx", "indoor"]
    assert (df.loc[[f"run{i}.gpx" for i in range(others)], "sport"] == "run").all()
