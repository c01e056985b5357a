"""Garmin Connect: the account export's summarizedActivities JSON, made at test time.

The entries below follow the field names and units of a real export
(james-langridge/garmin-export-parser ``src/types/activity.ts``): distance and
elevation in centimetres, durations in milliseconds, times in epoch milliseconds.
"""

import json
from datetime import UTC, datetime

import pytest

from loadwatch.importers.base import ImportFailure, Skip
from loadwatch.importers.garmin import is_summary_name, read_summarized_activities

# 2022-05-29 15:53:35 UTC, run at UTC+2.
BEGIN_MS = 1_653_839_615_000
LOCAL_MS = BEGIN_MS + 2 * 3600 * 1000


def garmin_entry(activity_id=9_123_456_789, **over) -> dict:
    """One summarizedActivitiesExport entry as Garmin writes it (units untouched)."""
    entry = {
        "activityId": activity_id, "uuidMsb": 1, "uuidLsb": 2, "name": "Laufen am Nachmittag",
        "activityType": "running", "userProfileId": 42, "timeZoneId": 124,
        "beginTimestamp": BEGIN_MS, "eventTypeId": 9, "rule": "subscribers",
        "sportType": "RUNNING", "startTimeGmt": BEGIN_MS, "startTimeLocal": LOCAL_MS,
        "duration": 1_428_500.0, "distance": 332_295.0, "elevationGain": 6_190.0,
        "elevationLoss": 5_800.0, "avgSpeed": 0.23, "maxSpeed": 0.35, "avgHr": 148.0,
        "maxHr": 171.0, "calories": 250.0, "elapsedDuration": 1_460_000.0,
        "movingDuration": 1_411_000.0, "lapCount": 4, "splits": [], "splitSummaries": [],
    }
    entry.update(over)
    return entry


def summary_json(*entries: dict) -> bytes:
    return json.dumps([{"summarizedActivitiesExport": list(entries)}]).encode()


def test_summary_entry_is_converted_to_si_units_with_its_local_offset():
    [a] = read_summarized_activities(summary_json(garmin_entry()), "x_summarizedActivities.json")
    assert a.source == "garmin_json"
    assert a.start_utc == datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)
    assert a.utc_offset_s == 7200
    assert a.distance_m == pytest.approx(3322.95)
    assert a.elevation_gain_m == pytest.approx(61.9)
    assert a.duration_s == pytest.approx(1411.0)
    assert a.elapsed_s == pytest.approx(1460.0)
    assert (a.avg_hr, a.max_hr) == (148.0, 171.0)
    assert a.external_id == "9123456789"
    assert a.sport == "running" and a.name == "Laufen am Nachmittag"


def test_timer_duration_stands_in_when_moving_and_elapsed_are_absent():
    entry = garmin_entry()
    del entry["movingDuration"], entry["elapsedDuration"]
    [a] = read_summarized_activities(summary_json(entry), "s.json")
    assert a.duration_s == a.elapsed_s == pytest.approx(1428.5)


def test_start_time_gmt_is_used_when_begin_timestamp_is_missing():
    entry = garmin_entry()
    del entry["beginTimestamp"]
    [a] = read_summarized_activities(summary_json(entry), "s.json")
    assert a.start_utc == datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)


@pytest.mark.parametrize(("local_ms", "offset"), [
    (BEGIN_MS - 5 * 3600 * 1000, -18000),      # New York in summer
    (BEGIN_MS + 5 * 3600 * 1000 + 1_800_000 + 400, 19800),  # India, ms jitter rounded away
    (BEGIN_MS + 20 * 3600 * 1000, None),       # no zone is 20 h ahead: not an offset
    (None, None),
])
def test_local_offset_is_the_local_wall_time_minus_utc(local_ms, offset):
    [a] = read_summarized_activities(summary_json(garmin_entry(startTimeLocal=local_ms)), "s")
    assert a.utc_offset_s == offset


@pytest.mark.parametrize(("type_key", "sport_type", "expected"), [
    ("trail_running", "RUNNING", "trail_running"),
    ({"typeKey": "treadmill_running", "typeId": 18}, "RUNNING", "treadmill_running"),
    ("some_new_key", "RUNNING", "RUNNING"),
    ("road_biking", "CYCLING", "road_biking"),
    ("yoga", "TRAINING", "yoga"),
    (None, "CYCLING", "CYCLING"),
])
def test_sport_is_the_type_key_else_the_coarser_sport_type(type_key, sport_type, expected):
    [a] = read_summarized_activities(
        summary_json(garmin_entry(activityType=type_key, sportType=sport_type)), "s")
    assert a.sport == expected


def test_missing_numbers_are_none_not_zero():
    entry = garmin_entry(distance=0.0, elevationGain=None, avgHr=None)
    del entry["maxHr"]
    [a] = read_summarized_activities(summary_json(entry), "s")
    assert a.distance_m is None and a.elevation_gain_m is None
    assert a.avg_hr is None and a.max_hr is None


def test_multisport_parent_is_left_out_when_its_legs_are_listed():
    parent = garmin_entry(1, activityType="multi_sport", sportType="MULTISPORT",
                          distance=4_000_000.0, parent=True)
    legs = [garmin_entry(2, activityType="open_water_swimming", parentId=1, distance=150_000.0),
            garmin_entry(3, activityType="road_biking", parentId=1, distance=3_000_000.0,
                         beginTimestamp=BEGIN_MS + 3_000_000)]
    got = read_summarized_activities(summary_json(parent, *legs), "s")
    assert [a.external_id for a in got] == ["2", "3"]


def test_several_blocks_and_unplaceable_entries():
    data = json.dumps([{"summarizedActivitiesExport": [garmin_entry(1)]},
                       {"summarizedActivitiesExport": [garmin_entry(2, beginTimestamp=None,
                                                                    startTimeGmt=None),
                                                       garmin_entry(3)]}]).encode()
    got = read_summarized_activities(data, "s")
    assert [a.external_id for a in got] == ["1", "3"]
    assert [a.index for a in got] == [0, 1]


def test_other_garmin_json_is_skipped_and_broken_json_is_an_error():
    with pytest.raises(Skip, match="summarizedActivitiesExport"):
        read_summarized_activities(b'[{"gearDTOS": []}]', "s")
    with pytest.raises(ImportFailure, match="not valid JSON"):
        read_summarized_activities(b'[{"summarizedActivitiesExport": [', "s")
    with pytest.raises(ImportFailure, match="activity objects"):
        read_summarized_activities(b'[{"summarizedActivitiesExport": [1, 2]}]', "s")


def test_summary_file_names():
    assert is_summary_name("DI_CONNECT/DI-Connect-Fitness/a@b.c_1_summarizedActivities.json")
    assert not is_summary_name("a@b.c_0_summarizedActivities.json.bak")
