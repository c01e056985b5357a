"""Issue 11, item 7 (all but the FIT decoder): decompression limits that fit activity files,
multi-member gzip in linear time, each zip member read once."""

from __future__ import annotations

import gzip
import os
import time
import zipfile

import pytest

from loadwatch.importers import detect
from loadwatch.importers.base import ImportFailure
from loadwatch.importers.scan import import_paths
from loadwatch.importers.strava_files import open_export_zip
from tests.hostile.helpers import deadline, gpx

HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"


def test_eighty_thousand_gzip_members_read_in_linear_time():
    """80,000 empty members took 83 s (each member copied the rest of the file)."""
    data = gzip.compress(b"", 9) * 80_000 + gzip.compress(gpx(), 9)
    with deadline(20):
        t0 = time.perf_counter()
        out = detect.gunzip(data, "many.gpx.gz")
        took = time.perf_counter() - t0
    assert out == gpx()
    assert took < 3.0


def test_a_gzip_bomb_is_refused_by_its_ratio():
    bomb = gzip.compress(b"<gpx>" + b" " * (40 << 20) + b"</gpx>", 9)
    assert len(bomb) < 100_000
    with pytest.raises(ImportFailure, match="gzip bomb"):
        detect.gunzip(bomb, "bomb.gpx.gz")


def test_the_size_limit_holds_whatever_the_ratio(monkeypatch):
    monkeypatch.setattr(detect, "MAX_UNCOMPRESSED", 100_000)
    monkeypatch.setattr(detect, "RATIO_FLOOR", 10_000)
    data = gzip.compress(os.urandom(150_000))  # random bytes: ratio about 1
    with pytest.raises(ImportFailure, match="more than 100,000 bytes"):
        detect.gunzip(data, "big.gz")


def test_limits_fit_activity_files():
    assert detect.MAX_UNCOMPRESSED <= 256 << 20
    assert detect.unpack_limit(1_000) == detect.RATIO_FLOOR
    assert detect.unpack_limit(1 << 20) == detect.MAX_RATIO << 20
    # A small, well-compressed real file is still read: 2 MB of text from 20 KB.
    text = gpx(points=10_000)
    assert detect.gunzip(gzip.compress(text, 9), "ok.gpx.gz") == text


def test_damaged_and_truncated_gzip_are_one_line():
    good = gzip.compress(gpx(), 9)
    with pytest.raises(ImportFailure, match="ends too early"):
        detect.gunzip(good[:-30], "cut.gpx.gz")
    with pytest.raises(ImportFailure, match="damaged gzip"):
        detect.gunzip(good[:12] + b"\xff" * 40 + good[52:], "bad.gpx.gz")
    assert detect.gunzip(good + b"trailing junk", "junk.gpx.gz") == gpx()


def test_a_zip_bomb_member_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", HEADER)
        zf.writestr("activities/1.gpx", b" " * (40 << 20))
    with open_export_zip(path) as export, pytest.raises(ImportFailure, match="zip bomb"):
        export.read_member("activities/1.gpx")


def _rows(*filenames: str) -> str:
    return HEADER + "".join(
        f'{i},"Nov 10, 2026, 7:0{i}:00 AM",Run {i},Run,1200,2.20,{name}\n'
        for i, name in enumerate(filenames, start=1))


SPELLINGS = ("activities/1.gpx", "Activities/1.GPX", "ACTIVITIES/1.gpx.gz", "activities/1.gpx")


def test_each_zip_member_is_read_once_whatever_the_case(tmp_path, monkeypatch):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", _rows(*SPELLINGS))
        zf.writestr("activities/1.gpx", gpx())
    reads = []
    real_read = zipfile.ZipFile.read

    def counting_read(self, name, pwd=None):
        reads.append(getattr(name, "filename", name))
        return real_read(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", counting_read)
    activities, report = import_paths([path])
    assert reads.count("activities/1.gpx") == 1
    assert report.parsed == 2  # the CSV and the one member
    assert len(activities) == len(SPELLINGS) and not report.errors


def test_each_file_of_an_export_folder_is_read_once_whatever_the_case(tmp_path):
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text(_rows(*SPELLINGS))
    (export / "activities" / "1.gpx").write_bytes(gpx())
    activities, report = import_paths([export])
    assert report.parsed == 2
    assert len(activities) == len(SPELLINGS) and not report.errors
