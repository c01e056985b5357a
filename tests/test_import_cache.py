"""The whole-import cache and the parallel parse: same records and reports as a plain import.

An athlete folder that has not changed is read back from the cache as one block
(``athlete.import_records``); any change to a file the import reads (content,
name, a new or removed file, its mode) makes it read the files again; the pain
diary and loadwatch.toml do not. Cache misses are parsed in worker processes
with the same outcome as in the importing process.
"""

import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from loadwatch import athlete, timeline
from loadwatch.importers import cache as store
from loadwatch.importers import reader, scan
from tests.importers.fitgen import Leg, activity

START = datetime(2026, 9, 7, 6, 30, tzinfo=UTC)


def fit_folder(folder, n: int, *, offset: int = 0):
    folder.mkdir(parents=True, exist_ok=True)
    one = activity(START, [Leg(seconds=600, speed_mps=3.0)])
    for i in range(n):
        # The same recording under new names: each copy is its own file to the cache.
        (folder / f"run-{offset + i:04d}.fit").write_bytes(one)
    return folder


def gpx(day: int, km: float = 8.0) -> bytes:
    points = "".join(
        f'<trkpt lat="{59.9 + i * km / 100 / 111:.6f}" lon="10.75"><time>'
        f"{(START + timedelta(days=day, minutes=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(101))
    return ('<?xml version="1.0"?><gpx version="1.1" creator="t" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
            f"{points}</trkseg></trk></gpx>").encode()


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "runner"
    f.mkdir()
    for day in range(5):
        (f / f"{day}.gpx").write_bytes(gpx(day, 6 + day))
    (f / "settings.fit").write_bytes(b"not a fit file at all")
    return f


def text(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def records(folder, cache, **kw):
    with store.Store(cache) as s:
        return athlete.import_records([folder], s, **kw)


def same_records(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False)


def test_an_unchanged_folder_is_read_back_as_one_block(folder, tmp_path, monkeypatch):
    first, r1 = records(folder, tmp_path / "c")
    assert r1.parsed == 6 and r1.from_cache == 0 and len(first) == 5
    acts, _ = scan.import_paths([folder])
    monkeypatch.setattr(athlete, "import_paths", lambda *a, **k: pytest.fail("files read again"))
    second, r2 = records(folder, tmp_path / "c")
    same_records(first, second)
    assert r2.parsed == 0 and r2.from_cache == 6
    assert r2.errors == r1.errors and r2.files_seen == r1.files_seen
    # The block builds the same timeline as the objects the importers return.
    zone = timeline.resolve_tz("UTC")
    pd.testing.assert_frame_equal(timeline.build(second, "x", zone), timeline.build(acts, "x", zone))


@pytest.mark.parametrize("change", ["content", "new", "removed", "renamed", "mode"])
def test_any_change_to_a_file_reads_the_folder_again(folder, tmp_path, change):
    records(folder, tmp_path / "c")
    path = folder / "2.gpx"
    if change == "content":
        path.write_bytes(gpx(2, 21.0))
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    elif change == "new":
        (folder / "9.gpx").write_bytes(gpx(9))
    elif change == "removed":
        path.unlink()
    elif change == "renamed":
        path.rename(folder / "2b.gpx")
    else:
        path.chmod(0o000)
        if os.access(path, os.R_OK):  # root reads anything
            path.chmod(0o640)
    got, report = records(folder, tmp_path / "c")
    expected, plain = scan.import_paths([folder])
    same_records(got, timeline.records_frame(expected))
    assert report.errors == plain.errors
    assert report.parsed + report.from_cache > 0 and report.parsed <= 1


def test_the_diary_and_settings_do_not_invalidate_the_import(folder, tmp_path, monkeypatch):
    records(folder, tmp_path / "c")
    (folder / "pain.csv").write_text("date,severity\n2026-09-08,2\n")
    (folder / "loadwatch.toml").write_text('[athlete]\nname = "Ingrid"\n')
    monkeypatch.setattr(athlete, "import_paths", lambda *a, **k: pytest.fail("files read again"))
    assert records(folder, tmp_path / "c")[1].from_cache == 6


def test_a_damaged_block_is_read_again_not_trusted(folder, tmp_path):
    first, _ = records(folder, tmp_path / "c")
    with sqlite3.connect(tmp_path / "c" / store.DB_NAME) as conn:
        conn.execute("UPDATE import_columns SET data = x'66000102' WHERE name = 'distance_m'")
    warnings = []
    with store.Store(tmp_path / "c", warn=warnings.append) as s:
        again, report = athlete.import_records([folder], s)
    same_records(first, again)
    assert report.parsed == 0 and report.from_cache == 6  # from the per-file cache
    assert warnings and "did not read back" in warnings[0]


def test_an_older_cache_schema_is_rebuilt_and_the_files_parsed_again(folder, tmp_path):
    records(folder, tmp_path / "c")
    with sqlite3.connect(tmp_path / "c" / store.DB_NAME) as conn:
        conn.execute("PRAGMA user_version = 1")
    warnings = []
    with store.Store(tmp_path / "c", warn=warnings.append) as s:
        _, report = athlete.import_records([folder], s)
    assert report.parsed == 6 and "another loadwatch version" in warnings[0]


def test_a_cache_that_cannot_be_written_still_imports(folder, tmp_path):
    cache = tmp_path / "c"
    records(folder, cache)
    with store.Store(cache) as s:
        s.problem = "the disk is full"  # as after a full disk: no new import is kept
        got, report = athlete.import_records([folder], s)
    assert len(got) == 5


def test_activities_keep_warnings_sport_inference_and_gps_through_the_cache(tmp_path):
    f = tmp_path / "runner"
    f.mkdir()
    data = activity(START, [Leg(seconds=1200, speed_mps=3.0, gps=False)])
    (f / "indoor.fit").write_bytes(data[:-300])  # truncated: read with a warning
    (f / "morning.gpx").write_bytes(gpx(1).replace(b"<type>running</type>", b""))
    acts, _ = scan.import_paths([f])
    first, r1 = records(f, tmp_path / "c")
    second, r2 = records(f, tmp_path / "c")
    by_path = {a.path: a for a in acts}
    for row in second.to_dict(orient="records"):
        a = by_path[row["path"]]
        assert row["warnings"] == a.warnings and row["gps"] == a.gps
        assert text(row["sport_from"]) == a.sport_from and text(row["sport"]) == a.sport
    assert r2.warnings == r1.warnings and r1.warnings
    with store.Store(tmp_path / "c") as s:  # the per-file rows too
        cached = s.lookup(f"file:{(f / 'indoor.fit').resolve()}", (f / "indoor.fit").stat().st_size,
                          (f / "indoor.fit").stat().st_mtime_ns)
    assert cached.payload[0].warnings == by_path[str(f / "indoor.fit")].warnings
    assert cached.payload[0].gps is False


def test_misses_parsed_in_worker_processes_give_what_one_process_gives(tmp_path):
    f = fit_folder(tmp_path / "runner", reader.POOL_MIN_FILES + 10)
    (f / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 40)
    one, r1 = scan.import_paths([f], workers=1)
    with store.Store(tmp_path / "c") as s:
        many, r2 = scan.import_paths([f], s, workers=2)
    assert [a.to_json() for a in many] == [a.to_json() for a in one]
    assert r2.errors == r1.errors and r2.parsed == r1.parsed == len(one) + 1
    with store.Store(tmp_path / "c") as s:
        again, r3 = scan.import_paths([f], s, workers=2)
    assert r3.parsed == 0 and r3.from_cache == r2.parsed
    assert [a.to_json() for a in again] == [a.to_json() for a in one]


def test_touched_files_are_not_parsed_again_in_worker_processes(tmp_path):
    f = fit_folder(tmp_path / "runner", reader.POOL_MIN_FILES + 1)
    with store.Store(tmp_path / "c") as s:
        scan.import_paths([f], s, workers=2)
    for p in f.iterdir():
        os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    with store.Store(tmp_path / "c") as s:
        _, report = scan.import_paths([f], s, workers=2)
    assert report.parsed == 0 and report.from_cache == reader.POOL_MIN_FILES + 1


def test_ratings_come_back_from_the_cache_and_older_parses_are_redone(tmp_path):
    f = tmp_path / "runner"
    f.mkdir()
    (f / "rated.fit").write_bytes(activity(START, [Leg(seconds=1200, workout_rpe=60)]))
    first, r1 = records(f, tmp_path / "c")
    second, r2 = records(f, tmp_path / "c")
    assert r2.from_cache == 1 and first["rpe"].tolist() == second["rpe"].tolist() == [6.0]
    with store.Store(tmp_path / "c") as s:  # the per-file row too
        cached = s.lookup(f"file:{(f / 'rated.fit').resolve()}", (f / "rated.fit").stat().st_size,
                          (f / "rated.fit").stat().st_mtime_ns)
    assert cached.payload[0].rpe == 6.0
    # A parse kept by the version before ratings were read is parsed again.
    with sqlite3.connect(tmp_path / "c" / store.DB_NAME) as conn:
        conn.execute("UPDATE files SET parser = ?", (store.PARSER_VERSION - 1,))
        conn.execute("UPDATE imports SET parser = ?", (store.PARSER_VERSION - 1,))
    _, r3 = records(f, tmp_path / "c")
    assert r3.parsed == 1


def test_a_block_read_for_the_timeline_holds_its_fields_only_and_builds_the_same(folder, tmp_path):
    full, _ = records(folder, tmp_path / "c")
    some, report = records(folder, tmp_path / "c", fields=timeline.BUILD_FIELDS)
    assert report.parsed == 0 and list(some.columns) == list(timeline.BUILD_FIELDS)
    zone = timeline.resolve_tz("Europe/Oslo")
    pd.testing.assert_frame_equal(timeline.build(some, "x", zone), timeline.build(full, "x", zone))
