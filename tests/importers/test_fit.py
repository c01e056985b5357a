"""The FIT importer on every real FIT file of the corpus and on generated files."""

import gzip
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from fit_tool.profile.profile_type import FileType, Sport, SubSport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loadwatch.importers.base import Activity, ImportFailure, Skip
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.fit import read_fit
from loadwatch.importers.fitmessages import FastSummaries
from loadwatch.importers.sports import normalise
from tests.corpus import CORPUS, expected
from tests.importers import fitgen

START = datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
SLOW = {"fit/derived/big_activity.fit.gz"}  # 100,000 records: ~12 s; -m "not slow" leaves it out


def _corpus_fit_files() -> list:
    if not CORPUS.is_dir():
        return []
    paths = sorted(p for p in CORPUS.rglob("*") if p.name.lower().endswith((".fit", ".fit.gz")))
    rels = [p.relative_to(CORPUS).as_posix() for p in paths]
    return [pytest.param(r, marks=[pytest.mark.slow] if r in SLOW else []) for r in rels]


EXPECTED = expected()
# Where loadwatch reads more than the reference parser, on purpose: a Connect IQ app's
# distance in a developer field (the session's own is 0).
DEV_FIELD_DISTANCE = {"fit/python-fitparse/20170518-191602-1740899583.fit": 6163.0}


def corpus(rel: str) -> list[Activity]:
    """The activities of one corpus file, read as the scanner reads any file."""
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"corpus file {rel} not available")
    return read_activity_file(path.read_bytes(), str(path))


def corpus_outcome(rel: str) -> Exception:
    with pytest.raises((Skip, ImportFailure)) as info:
        corpus(rel)
    return info.value


@cache
def generated(legs: tuple = (fitgen.Leg(seconds=600),), **kw) -> bytes:
    return fitgen.activity(START, legs, **kw)


def _close(a, b, rel=0.01):
    return a is not None and b is not None and abs(a - b) <= rel * abs(b)


# ---------------------------------------------------------------- whole corpus


@pytest.mark.parametrize("rel", _corpus_fit_files())
def test_every_corpus_fit_file_matches_expected_or_gives_a_reason(rel):
    exp = EXPECTED.get(rel)
    try:
        acts = corpus(rel)
    except (Skip, ImportFailure) as exc:
        reason = str(exc)
        assert reason and "\n" not in reason
        # A file the reference parser read as an activity must not be lost,
        # unless it has no start time at all to place it on a day.
        dated = exp and exp["start_time_utc"]
        assert not (exp and exp["parses"] == "yes" and exp["sport"] and dated), reason
        return
    assert acts, "an activity file gives at least one activity"
    assert [a.index for a in acts] == list(range(len(acts)))
    assert all(a.source == "fit" and a.path.endswith(Path(rel).name) for a in acts)
    if exp is None:
        return
    if exp["sport"]:
        assert "+".join(f"{a.sport}/{a.sub_sport}" for a in acts) == exp["sport"]
    if exp["start_time_utc"]:
        want = datetime.fromisoformat(exp["start_time_utc"].replace("Z", "+00:00"))
        assert acts[0].start_utc is not None
        assert abs(acts[0].start_utc - want) <= timedelta(seconds=2)
    if exp["distance_m"]:
        # Multisport rows hold the sum over sessions; 0 means "not carried".
        want = DEV_FIELD_DISTANCE.get(rel, float(exp["distance_m"]))
        got = [a.distance_m for a in acts if a.distance_m is not None]
        if want == 0:
            assert got == []
        else:
            assert _close(sum(got), want)
    if exp["elapsed_s"] and exp["parses"] == "yes":
        got = [a.elapsed_s for a in acts]
        assert None not in got and _close(sum(got), float(exp["elapsed_s"]))


def test_gzipped_fit_reads_like_the_device_original():
    gz = corpus("strava/geo-activity-playground/Strava Export/activities/12866632127.fit.gz")
    orig = corpus("fit/geo-activity-playground/2022-05-29-15-53-35_Laufen_Landal_Park.fit")
    assert gz[0].start_utc == orig[0].start_utc
    assert gz[0].distance_m == orig[0].distance_m == 3322.95
    assert gz[0].avg_hr is None and orig[0].avg_hr == 136  # Strava's copy dropped HR


# ------------------------------------------------------- multisport and chains


def test_multisport_chained_file_gives_one_activity_per_leg():
    acts = corpus("fit/python-fitparse/sample_mulitple_header.fit")
    assert [(a.sport, a.sub_sport) for a in acts] == [
        ("swimming", "open_water"), ("transition", "generic"), ("cycling", "generic"),
        ("transition", "generic"), ("running", "generic")]
    assert [normalise(a.sport, a.sub_sport) for a in acts] == [
        "swim", "other", "ride", "other", "run"]
    assert acts[4].distance_m == 9805.92 and acts[4].avg_hr == 176
    for before, after in zip(acts, acts[1:], strict=False):
        handover = before.start_utc + timedelta(seconds=before.elapsed_s)
        assert abs(after.start_utc - handover) <= timedelta(seconds=1)


def test_triathlon_summary_first_and_last_give_the_same_activities():
    first = corpus("fit/muktihari-fit/triathlon_summary_first.fit")
    last = corpus("fit/muktihari-fit/triathlon_summary_last.fit")
    assert len(first) == 5
    assert [replace(a, path="") for a in first] == [replace(a, path="") for a in last]
    assert {a.utc_offset_s for a in first} == {-5 * 3600}


@pytest.mark.parametrize("rel", ["fit/python-fitparse/event_timestamp.fit",
                                 "fit/fitdecode/garmin-fr935-cr.fit"])
def test_chained_single_session_files_give_one_activity(rel):
    assert len(corpus(rel)) == 1


def test_generated_chain_of_two_files_gives_both_activities():
    ride = fitgen.Leg(Sport.CYCLING, seconds=300, speed_mps=8.0)
    later = START + timedelta(hours=3)
    data = generated() + fitgen.activity(later, [ride])
    acts = read_fit(data, "chain.fit")
    assert [(a.index, a.sport, a.start_utc) for a in acts] == [
        (0, "running", START), (1, "cycling", later)]
    assert acts[1].distance_m == 2400


# ------------------------------------------------- missing or incomplete data


@pytest.mark.parametrize(("rel", "timer_s", "distance_m"), [
    ("fit/python-fitparse/antfs-dump.63.fit", 3426.898, None),
    ("fit/python-fitparse/compressed-speed-distance.fit", 3772.75, 10248.67),
])
def test_device_relative_start_times_count_as_missing(rel, timer_s, distance_m):
    # These FR70 files count time from power-on (< 0x10000000), records too:
    # the reader keeps what it knows, the scanner skips what cannot be dated.
    assert "no usable start time" in str(corpus_outcome(rel))
    (a,) = read_fit((CORPUS / rel).read_bytes(), rel)
    assert a.start_utc is None and a.utc_offset_s is None
    assert a.duration_s == timer_s and a.distance_m == distance_m
    assert a.avg_hr is not None and a.max_hr is not None


def test_session_without_start_or_elapsed_is_completed_from_records():
    (a,) = corpus("fit/sports-lib/2020-01-09_virtualride.fit")
    assert a.start_utc == datetime(2020, 1, 9, 17, 49, 7, tzinfo=UTC)
    last_record = datetime(2020, 1, 9, 18, 18, 12, tzinfo=UTC)
    assert a.elapsed_s == (last_record - a.start_utc).total_seconds()
    assert a.distance_m == 11058 and a.avg_hr == 133  # the session's own figures win
    assert a.max_hr == 172  # the session has none: from the records
    assert a.duration_s is None


def test_session_without_distance_takes_it_from_records():
    (a,) = corpus("fit/fit-parser/test2.fit")
    assert a.distance_m == pytest.approx(10715, rel=0.01)  # its lap says 10715 m
    assert a.duration_s == 2987.201


def test_truncated_sigma_file_is_salvaged_from_its_records():
    (a,) = corpus("fit/python-fitparse/nick.fit")
    assert (a.sport, a.sub_sport) == ("cycling", None)  # from its sport message
    assert a.start_utc == datetime(2020, 9, 12, 12, 23, 38, tzinfo=UTC)
    assert a.elapsed_s == (datetime(2020, 9, 12, 17, 2, 21) - datetime(2020, 9, 12, 12, 23, 38)
                           ).total_seconds()
    assert a.distance_m == pytest.approx(113550.87)
    assert 84 <= a.avg_hr < a.max_hr < 220
    assert a.duration_s is None  # no timer time without a session


@pytest.mark.parametrize(("rel", "sport"), [("fit/fit-parser/test-diving.fit", "53"),
                                            ("fit/fit-parser/snorkeling-unknown-sport.fit", "82")])
def test_sports_fitparse_knows_only_as_numbers_are_strings(rel, sport):
    assert corpus(rel)[0].sport == sport


def test_zero_distance_indoors_is_missing_not_zero():
    (a,) = corpus("fit/python-fitparse/sample-activity-indoor-trainer.fit")
    assert a.distance_m is None and a.duration_s > 0


def test_connect_iq_distance_fills_a_session_without_one():
    # Indoor rowing: the watch wrote total_distance 0, Concept2's Connect IQ app 6163 m.
    (a,) = corpus("fit/python-fitparse/20170518-191602-1740899583.fit")
    assert a.distance_m == 6163.0 and a.duration_s == 1707.308


@pytest.mark.parametrize("sessions", [True, False])
def test_generated_connect_iq_distance_is_read_from_session_or_records(sessions):
    leg = fitgen.Leg(seconds=600, speed_mps=2.5, gps=False, dev_distance=True)
    (a,) = read_fit(generated((leg,), sessions=sessions), "erg.fit")
    assert a.distance_m == pytest.approx(1500)


@pytest.mark.parametrize(("rel", "offset"), [
    ("fit/python-fitparse/2013-02-06-12-11-14.fit", None),  # no local_timestamp
    ("fit/fit-parser/garmin-stamina.fit", 8 * 3600),
    ("fit/fit-parser/test-diving.fit", -4 * 3600),
    # COROS writes local_timestamp == timestamp; this run is in Czechia (UTC+1).
    ("fit/sports-lib/coros-OutdoorRun20200314145229.fit", None),
])
def test_device_local_offset_of_corpus_files(rel, offset):
    assert corpus(rel)[0].utc_offset_s == offset


# ------------------------------------------------- not activities, undecodable


@pytest.mark.parametrize(("rel", "kind"), [
    ("fit/python-fitparse/nametest.FIT", "settings"),
    ("fit/geo-activity-playground/Berlin (0,9 km).fit", "course"),
])
def test_settings_and_course_files_are_skipped(rel, kind):
    exc = corpus_outcome(rel)
    assert isinstance(exc, Skip)
    assert str(exc) == f"a FIT {kind} file, not an activity"


@pytest.mark.parametrize("kind", [FileType.WORKOUT, FileType.MONITORING_B, FileType.COURSE])
def test_generated_non_activity_files_are_skipped_even_with_records(kind):
    with pytest.raises(Skip, match=f"a FIT {kind.name.lower()} file, not an activity"):
        read_fit(fitgen.non_activity(kind, START), "x.fit")


def test_summary_path_reads_the_coros_file_fitparse_rejects():
    # Its odd field sizes sit in messages the summary path skips; figures as fitdecode reads them.
    (a,) = corpus("fit/python-fitparse/coros-pace-2-cycling-misaligned-fields.fit")
    assert a.start_utc == datetime(2020, 10, 25, 11, 10, 19, tzinfo=UTC)
    assert a.distance_m == 32145.76 and a.elapsed_s == 12719.0 and a.sport == "cycling"


def _files():
    return sorted((CORPUS / "fit").rglob("*.[fF][iI][tT]*")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_summary_path_agrees_with_fitparse(path, monkeypatch):
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()

    def outcome():
        try:
            return read_fit(data, str(path))
        except (Skip, ImportFailure) as exc:
            return type(exc)
    fast = outcome()
    monkeypatch.setattr("loadwatch.importers.fit.fast_summaries",
                        lambda found: FastSummaries())
    slow = outcome()
    if path.name.startswith("coros-pace"):
        return  # fitparse stops part-way; the summary path reads it (test above)
    assert fast == slow


def test_summary_path_handles_generated_files():
    from loadwatch.importers.fitmessages import fast_summaries
    from loadwatch.importers.fitwalk import walk_file as _walk

    data = generated((fitgen.Leg(seconds=600), fitgen.Leg(sport=Sport.CYCLING, seconds=300)),
                     utc_offset_s=3600)
    walk = _walk(data)
    fast = fast_summaries(walk.found)
    assert fast.file_type == "activity" and fast.utc_offset_s == 3600
    assert fast.creator == "development 0"
    assert [s.sport for s in fast.summaries] == ["running", "cycling"]
    assert walk.files == 1 and walk.warnings() == []
    cut = _walk(data[:-100])  # truncated: fitparse salvages it
    assert cut.found is None and cut.cut_bytes == 100


def test_file_fitparse_cannot_decode_to_the_end_keeps_what_came_before():
    # The Strava app's file uses an undefined local message type near its end;
    # fitdecode, the reference, stops there too, with these figures.
    (a,) = corpus("fit/python-fitparse/strava-android-app-201.10-b1218918.fit")
    assert a.start_utc == datetime(2021, 9, 27, 14, 13, 10, tzinfo=UTC)
    assert a.distance_m == 11274.04 and a.elapsed_s == 3558
    assert any(w.startswith("fitparse stopped at byte ") and "the rest is lost" in w
               for w in a.warnings)


def test_unfinished_recording_whose_header_has_no_size_is_read_to_its_end():
    # sports-lib's broken.fit: the header says 0 bytes of data, 86 KB follow.
    (a,) = corpus("fit/sports-lib/broken.fit")
    assert a.start_utc is not None and a.distance_m > 10_000 and a.elapsed_s > 1800
    assert a.sport == "ride"  # no sport message: faster than any run for 38 minutes
    assert any("gives no data size" in w for w in a.warnings)


def test_destroyed_header_fails_with_one_line():
    data = bytearray(generated())
    data[8:12] = b"XXXX"
    with pytest.raises(ImportFailure) as info:
        read_fit(bytes(data), "x.fit")
    msg = str(info.value)
    assert msg.startswith("fitparse cannot decode this FIT file (") and "\n" not in msg


def test_file_cut_short_keeps_the_records_before_the_cut():
    full = generated()
    (a,) = read_fit(full[: len(full) * 6 // 10], "cut.fit")
    assert a.start_utc == START and a.sport == "running"
    assert 0 < a.elapsed_s < 600 and 0 < a.distance_m < 1800
    assert a.distance_m == pytest.approx(3.0 * a.elapsed_s)


def test_file_cut_before_any_data_fails():
    with pytest.raises(ImportFailure, match="cut off before any session or record"):
        read_fit(generated()[:30], "cut.fit")


def test_activity_without_session_or_records_is_skipped():
    empty = fitgen.non_activity(FileType.ACTIVITY, START, seconds=0)
    with pytest.raises(Skip, match="no session and no record"):
        read_fit(empty, "empty.fit")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_bytes_never_raise_anything_else(data):
    raw = bytearray(generated((fitgen.Leg(seconds=20, climb_m=5),), utc_offset_s=3600))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    try:
        acts = read_fit(bytes(raw[:cut]), "damaged.fit")
    except (Skip, ImportFailure) as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert all(isinstance(a, Activity) for a in acts)


# ------------------------------------------------------------ generated files


def test_generated_run_reads_back_its_summary():
    leg = fitgen.Leg(seconds=600, speed_mps=3.0, hr=(120, 160), climb_m=12)
    (a,) = read_fit(generated((leg,)), "run.fit")
    assert (a.source, a.path, a.index) == ("fit", "run.fit", 0)
    assert (a.sport, a.sub_sport, a.start_utc) == ("running", "generic", START)
    assert a.duration_s == a.elapsed_s == 600
    assert a.distance_m == 1800 and a.elevation_gain_m == 12
    assert (a.avg_hr, a.max_hr) == (140, 160)


def test_generated_treadmill_run_has_no_gps_and_is_a_run():
    leg = fitgen.Leg(sub_sport=SubSport.TREADMILL, gps=False, seconds=600, speed_mps=2.5)
    (a,) = read_fit(generated((leg,)), "treadmill.fit")
    assert (a.sport, a.sub_sport) == ("running", "treadmill")
    assert normalise(a.sport, a.sub_sport) == "run"
    assert a.distance_m == 1500  # footpod distance from the session


def test_generated_treadmill_run_without_sensor_has_no_distance():
    leg = fitgen.Leg(sub_sport=SubSport.TREADMILL, gps=False, record_distance=False,
                     zero_distance=True, seconds=600)
    (a,) = read_fit(generated((leg,)), "treadmill.fit")
    assert a.distance_m is None and a.duration_s == 600


def test_generated_records_without_session_give_the_figures():
    leg = fitgen.Leg(seconds=600, speed_mps=3.0, hr=(120, 160), climb_m=30)
    (a,) = read_fit(generated((leg,), sessions=False), "crashed.fit")
    assert (a.sport, a.start_utc) == ("running", START)
    assert a.elapsed_s == 600 and a.duration_s is None
    assert a.distance_m == pytest.approx(1800)
    assert (a.avg_hr, a.max_hr) == (pytest.approx(leg.avg_hr), 160)
    assert 28 <= a.elevation_gain_m <= 30  # a 2 m noise threshold may miss the last step
    assert a.utc_offset_s is None


def test_generated_positions_alone_give_the_distance():
    leg = fitgen.Leg(seconds=600, speed_mps=3.0, record_distance=False)
    (a,) = read_fit(generated((leg,), sessions=False), "gps.fit")
    assert a.distance_m == pytest.approx(1800, rel=0.001)


def test_generated_multisport_legs_split_the_records():
    legs = (fitgen.Leg(Sport.RUNNING, seconds=300, hr=(130, 150)),
            fitgen.Leg(Sport.CYCLING, seconds=300, speed_mps=8.0, hr=(150, 170)))
    acts = read_fit(generated(legs), "duathlon.fit")
    assert [(a.sport, a.distance_m, a.max_hr) for a in acts] == [
        ("running", 900, 150), ("cycling", 2400, 170)]
    assert acts[1].start_utc == START + timedelta(seconds=300)


@pytest.mark.parametrize(("offset", "expected"), [
    (7200, 7200), (-(3 * 3600 + 1800), -(3 * 3600 + 1800)), (14 * 3600, 14 * 3600),
    (0, None), (15 * 3600, None), (None, None),
])
def test_local_offset_comes_from_the_activity_message(offset, expected):
    (a,) = read_fit(generated(utc_offset_s=offset), "x.fit")
    assert a.utc_offset_s == expected


def test_any_file_name_is_kept_as_given(tmp_path):
    path = tmp_path / "Morgenlauf Straße, 5 km.FIT.gz"
    path.write_bytes(gzip.compress(generated()))
    (a,) = read_activity_file(path.read_bytes(), str(path))
    assert a.path == str(path) and a.distance_m == 1800


def test_truncated_file_carries_a_warning_the_scanner_reports(tmp_path):
    from loadwatch.importers.scan import import_paths

    full = generated()
    (tmp_path / "cut.fit").write_bytes(full[: len(full) * 6 // 10])
    acts, report = import_paths([tmp_path])
    assert len(acts) == 1 and 0 < acts[0].distance_m < 1800
    assert {p for p, _ in report.warnings} == {str(tmp_path / "cut.fit")}
    assert any(w.startswith("truncated: the file ends ") for _, w in report.warnings)


# ------------------------------------------------------------ bounds on derived figures


def test_session_stopping_before_its_records_reads_to_the_last_record():
    # The session closed after 480 of 600 s and wrote no distance: a fifth was lost before.
    leg = fitgen.Leg(seconds=600, speed_mps=3.0, zero_distance=True, session_s=480)
    (a,) = read_fit(generated((leg,)), "early.fit")
    assert a.distance_m == pytest.approx(1800)
    assert a.elapsed_s == 600


def test_record_heart_rates_outside_25_to_240_are_dropped():
    leg = fitgen.Leg(seconds=100, hr=(200, 250))
    (a,) = read_fit(generated((leg,), sessions=False), "crashed.fit")
    assert a.max_hr == 240 and a.avg_hr < 225


def test_session_heart_rate_outside_human_range_is_dropped_with_a_warning():
    leg = fitgen.Leg(seconds=100, hr=(245, 250))
    (a,) = read_activity_file(generated((leg,)), "x.fit")
    assert a.avg_hr is None and a.max_hr is None
    assert any("heart rate 250 bpm is outside 25-240" in w for w in a.warnings)


def test_record_far_in_the_future_is_an_outlier_not_the_span():
    twenty_years = 20 * 365 * 86400
    data = fitgen.activity(START, [fitgen.Leg(seconds=300)], sessions=False,
                           stray_record_s=twenty_years)
    (a,) = read_fit(data, "x.fit")
    assert a.elapsed_s == 300 and a.distance_m == pytest.approx(900)
    assert any(w.startswith("dropped 1 sample dated 2044-") for w in a.warnings)


@pytest.mark.parametrize(("sport", "sub", "speed", "name", "device", "expected"), [
    (Sport.GENERIC, SubSport.GENERIC, 3.0, "x.fit", None, "unknown"),  # says nothing
    (Sport.GENERIC, SubSport.GENERIC, 8.0, "x.fit", None, "ride"),  # faster than any run
    (Sport.GENERIC, SubSport.TREADMILL, 3.0, "x.fit", None, "generic"),  # the sub-sport says run
    (Sport.GENERIC, SubSport.VIRTUAL_ACTIVITY, 3.0, "2024-03-10 Morgenlauf.fit", None, "run"),
    (Sport.GENERIC, SubSport.GENERIC, 3.0, "x.fit", (1, 3121), "ride"),  # a Garmin Edge 530
    (Sport.RUNNING, SubSport.GENERIC, 8.0, "Radtour.fit", (1, 3121), "running"),  # stated wins
])
def test_fit_without_a_usable_sport_is_settled_from_its_evidence(sport, sub, speed, name, device,
                                                                 expected):
    # 10 minutes: the sport is settled by speed, sub-sport, name and device, not by length.
    leg = fitgen.Leg(sport=sport, sub_sport=sub, seconds=600, speed_mps=speed)
    data = fitgen.activity(START, [leg], **({"device": device} if device else {}))
    (a,) = read_activity_file(data, name)
    assert a.sport == expected
    assert normalise(a.sport, a.sub_sport) != "run" or expected in ("run", "generic", "running")


# ---------------------------------------------------------------- damage and bounds


def test_fit_crc_matches_fitparse():
    from fitparse.records import Crc

    from loadwatch.importers.fitcrc import fit_crc

    data = generated()
    for n in (0, 1, 2, 3, 17, 1000, len(data)):
        assert fit_crc(data[:n]) == Crc.calculate(data[:n])  # Garmin's nibble algorithm
    assert fit_crc(data) == 0  # over the whole file, its own CRC included


def test_broken_crc_is_read_whole_with_a_warning():
    data = bytearray(generated())
    data[-1] ^= 0xFF
    (a,) = read_fit(bytes(data), "x.fit")
    assert a.distance_m == 1800
    assert a.warnings == ["the FIT checksum (CRC) fails, so some bytes are damaged; read as far "
                          "as they make sense, check its figures"]


def test_trailing_garbage_is_ignored_with_a_warning():
    (a,) = read_fit(generated() + b"\x00\xffgarbage", "x.fit")
    assert a.distance_m == 1800
    assert a.warnings == ["9 bytes after the end of the FIT data are not FIT (trailing garbage); "
                          "ignored them"]


def _zero_size_messages(n: int, global_number: int = 20) -> bytes:
    """A FIT file whose one definition has no field, followed by ``n`` empty messages."""
    import struct

    body = bytes([0x40, 0, 0]) + struct.pack("<H", global_number) + b"\x00" + b"\x00" * n
    return struct.pack("<BBHI4s", 12, 0x10, 2132, len(body), b".FIT") + body + b"\x00\x00"


def test_zero_size_messages_are_refused_in_well_under_a_second():
    import time

    data = _zero_size_messages(20_000_000)  # what a few KB of .fit.gz can unpack to
    began = time.perf_counter()
    # Unpacked (a plain .fit), the FIT walk's cap on empty messages refuses it...
    with pytest.raises(ImportFailure, match="empty messages is no recording"):
        read_activity_file(data, "hostile.fit")
    # ... and gzipped, the ratio limit refuses it before it is unpacked.
    with pytest.raises(ImportFailure, match="gzip bomb"):
        read_activity_file(gzip.compress(data), "hostile.fit.gz")
    assert time.perf_counter() - began < 2


def test_messages_and_sessions_are_capped(monkeypatch):
    monkeypatch.setattr("loadwatch.importers.fitwalk.MAX_MESSAGES", 500)
    with pytest.raises(ImportFailure, match="more than 500 messages"):
        read_fit(generated(), "x.fit")
    monkeypatch.setattr("loadwatch.importers.fitwalk.MAX_MESSAGES", 1_000_000)
    monkeypatch.setattr("loadwatch.importers.fitwalk.MAX_SESSIONS", 1)
    legs = (fitgen.Leg(seconds=60), fitgen.Leg(seconds=60))
    with pytest.raises(ImportFailure, match="more than 1 sessions"):
        read_fit(generated(legs), "x.fit")


@pytest.mark.parametrize("sessions", [True, False])
def test_an_empty_message_after_each_record_is_read(sessions):
    """Issue 17: a Sigma ROX 11.1 writes an empty manufacturer message after each of its
    7,259 records; the cap of 1,000 empty messages refused its 54 km ride. 1,300 records (and
    so 1,300 empty messages, over that old cap) show it as well in a fifth of the time."""
    leg = fitgen.Leg(sport=Sport.CYCLING, seconds=1300, speed_mps=7.4)
    data = fitgen.with_empty_messages(fitgen.activity(START, (leg,), sessions=sessions))
    (a,) = read_fit(data, "sigma.fit")
    assert a.distance_m == pytest.approx(9_620) and a.elapsed_s == 1300  # 1,300 s x 7.4 m/s
    assert normalise(a.sport) == "ride"


def test_empty_messages_the_data_does_not_pay_for_are_refused():
    with pytest.raises(ImportFailure, match=r"0 bytes of data and 1,001 empty messages is no "
                                            r"recording .*at most 1,000 plus one per 8 bytes"):
        read_fit(_zero_size_messages(1_001), "x.fit")


def test_a_session_whose_timer_beats_its_elapsed_time_is_timed_by_its_records():
    """Issue 17: a Zwift FIT's session says timer 2,760 s but elapsed 1,632 s while its
    records run 2,759 s; the ride was cut to 1,632 s."""
    leg = fitgen.Leg(sport=Sport.CYCLING, seconds=2760, speed_mps=8.0, session_elapsed_s=1632)
    (a,) = read_fit(generated((leg,)), "zwift.fit")
    assert a.elapsed_s == 2760 and a.duration_s == 2760
    assert a.warnings == ["the session says 1,632 s elapsed but 2,760 s of timer time, which "
                          "cannot be; its records run 2,760 s, taken as the elapsed time"]
    (b,) = read_activity_file(generated((leg,)), "zwift.fit")
    assert b.elapsed_s == 2760 and b.duration_s == 2760


def test_a_guessed_sport_says_so_and_from_what():
    """Issue 17: a sport that is not the file's own carries a note."""
    leg = fitgen.Leg(sport=Sport.GENERIC, sub_sport=SubSport.GENERIC, seconds=600, speed_mps=8.0)
    (a,) = read_fit(fitgen.activity(START, [leg]), "x.fit")
    assert a.sport == "ride" and a.warnings == [
        "the file's sport is 'generic'; guessed 'ride' from its speed (8.0 m/s for 10 min); if "
        "that is wrong, set the sport in [sports] of loadwatch.toml"]
    (b,) = read_fit(fitgen.activity(START, [leg], device=(1, 3121)), "x.fit")  # an Edge 530
    assert b.warnings == [
        "the file's sport is 'generic'; guessed 'ride' from the device or app that wrote it "
        "('garmin edge'), which records only that; if that is wrong, set the sport in [sports] "
        "of loadwatch.toml"]
