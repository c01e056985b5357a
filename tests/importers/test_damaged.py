"""Damaged copies of real files, made at test time: read as far as they go, and said so.

Each copy is written to ``tmp_path`` (the corpus stays read-only and nothing is
committed) and imported the way a folder is, so the warnings are checked where
the user sees them: the import report, naming the file.
"""

import gzip

import pytest

from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.scan import import_paths
from tests.corpus import CORPUS

FIT = ["fit/fit-parser/garmin-stamina.fit",
       "fit/python-fitparse/Edge810-Vector-2013-08-16-15-35-10.fit",
       "fit/python-fitparse/sample_mulitple_header.fit",          # chained, multisport
       "fit/runpandas/run.fit",
       "strava/geo-activity-playground/Strava Export/activities/12866632127.fit.gz"]
XML = ["gpx/runpandas/run.gpx", "gpx/sports-lib/amazfit.gpx", "gpx/runpandas/nike_run.gpx",
       "tcx/runpandas/basic.tcx", "tcx/sweatpy/3173437224.tcx"]
GARBAGE = b"\x00\x00\xff\xfe<junk>" * 3


def original(rel: str) -> bytes:
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"corpus file {rel} not available")
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def imported(tmp_path, name: str, data: bytes):
    """``(activities, warnings, errors)`` of one file imported from a folder."""
    folder = tmp_path / "athlete"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    acts, report = import_paths([folder])
    assert {p for p, _ in report.warnings + report.errors} <= {str(path)}
    return acts, [w for _, w in report.warnings], [e for _, e in report.errors]


def whole(rel: str):
    return read_activity_file(original(rel), rel)


def name_of(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".gz")


@pytest.mark.parametrize("rel", FIT + XML)
def test_truncated_copy_is_read_up_to_the_cut_with_a_warning(rel, tmp_path):
    data = original(rel)
    acts, warnings, errors = imported(tmp_path, name_of(rel), data[: len(data) * 6 // 10])
    assert errors == [] and acts, "a file cut at 60% still holds an activity"
    assert any("truncated" in w for w in warnings), warnings
    full = whole(rel)
    assert acts[0].start_utc == full[0].start_utc
    got = sum(a.distance_m or 0 for a in acts)
    assert got <= sum(a.distance_m or 0 for a in full) * 1.001


@pytest.mark.parametrize("rel", FIT + XML)
def test_copy_with_trailing_garbage_is_read_whole_with_a_warning(rel, tmp_path):
    acts, warnings, errors = imported(tmp_path, name_of(rel), original(rel) + GARBAGE)
    assert errors == []
    full = whole(rel)
    assert [(a.start_utc, a.distance_m, a.elapsed_s) for a in acts] == [
        (a.start_utc, a.distance_m, a.elapsed_s) for a in full]
    assert any("trailing garbage" in w and f"{len(GARBAGE)} bytes" in w for w in warnings)


@pytest.mark.parametrize("rel", FIT)
def test_copy_with_a_broken_crc_is_read_with_a_warning(rel, tmp_path):
    data = bytearray(original(rel))
    data[-2] ^= 0x5A  # the last file's CRC, data intact
    acts, warnings, errors = imported(tmp_path, name_of(rel), bytes(data))
    assert errors == []
    full = whole(rel)
    assert [(a.start_utc, a.distance_m) for a in acts] == [(a.start_utc, a.distance_m) for a in full]
    assert any("checksum (CRC) fails" in w for w in warnings)


@pytest.mark.parametrize("rel", FIT)
def test_copy_with_a_damaged_byte_in_its_data_is_read_with_a_warning_or_named(rel, tmp_path):
    data = bytearray(original(rel))
    data[len(data) // 2] ^= 0xFF
    acts, warnings, errors = imported(tmp_path, name_of(rel), bytes(data))
    if errors:  # unreadable: the error says why in one line
        assert len(errors) == 1 and "\n" not in errors[0]
    else:
        assert acts and any("CRC" in w for w in warnings)


@pytest.mark.parametrize("rel", FIT + XML)
def test_copy_of_a_few_bytes_is_an_error_saying_why(rel, tmp_path):
    acts, warnings, errors = imported(tmp_path, name_of(rel), original(rel)[:10])
    assert acts == [] and warnings == []
    assert len(errors) == 1 and errors[0] and "\n" not in errors[0]


@pytest.mark.parametrize("rel", FIT)
def test_copy_with_a_destroyed_header_is_an_error_saying_why(rel, tmp_path):
    data = bytearray(original(rel))
    data[:12] = bytes(12)
    acts, _, errors = imported(tmp_path, name_of(rel) + ".fit", bytes(data))
    assert acts == [] and len(errors) == 1 and "\n" not in errors[0]
