"""Apple Health exports, made at test time (see tests/importers/exportgen.py for their sources)."""

import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.importers import apple_health
from loadwatch.importers.base import ImportFailure, Skip
from loadwatch.importers.scan import import_paths
from tests.importers.exportgen import (
    APPLE_HEAD,
    CEST,
    Workout,
    export_xml,
    route_gpx,
    write_apple_folder,
    write_apple_zip,
)

RUN_START = datetime(2023, 5, 1, 7, 12, 3, tzinfo=CEST)


def read(xml: bytes, **kw) -> apple_health.ExportRead:
    return apple_health.read_export(io.BytesIO(xml), "export.xml", **kw)


def timeline_json(*args) -> list[dict]:
    result = CliRunner().invoke(cli, ["timeline", *map(str, args), "--format", "json",
                                      "--no-cache", "--tz", "Europe/Berlin"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["activities"]


# --------------------------------------------------------------------------- workouts


def test_workout_fields_units_and_offset():
    [w] = read(export_xml(Workout())).workouts
    a = w.activity
    assert a.source == "apple_health"
    assert a.start_utc == datetime(2023, 5, 1, 5, 12, 3, tzinfo=UTC)
    assert a.utc_offset_s == 7200
    assert a.sport == "run" and a.sub_sport is None
    assert a.duration_s == pytest.approx(30.5 * 60)
    assert a.elapsed_s == pytest.approx(31 * 60)
    assert a.distance_m == pytest.approx(5100.0)
    assert a.elevation_gain_m == pytest.approx(45.0)
    assert (a.avg_hr, a.max_hr) == (151.0, 178.0)
    assert a.path == "export.xml#1"


@pytest.mark.parametrize(("zone", "offset"), [
    ("America/New_York", -4 * 3600),   # run in New York, exported at home in Berlin
    ("Not/A_Zone", 2 * 3600),          # unusable zone: the date's own offset
    (None, 2 * 3600),
])
def test_local_offset_comes_from_the_workout_zone(zone, offset):
    [w] = read(export_xml(Workout(zone=zone))).workouts
    assert w.activity.utc_offset_s == offset
    assert w.activity.start_utc == datetime(2023, 5, 1, 5, 12, 3, tzinfo=UTC)


def test_newer_ios_distance_comes_from_workout_statistics():
    xml = export_xml(Workout(kind="Cycling", distance_km=None, distance_stat_km=21.37,
                             stat_type="HKQuantityTypeIdentifierDistanceCycling"))
    [w] = read(xml).workouts
    assert w.activity.sport == "ride"
    assert w.activity.distance_m == pytest.approx(21370.0)


def test_duration_in_seconds_and_distance_in_miles():
    xml = export_xml(Workout(duration_unit="s", minutes=40)).replace(
        b'totalDistance="5.1" totalDistanceUnit="km"', b'totalDistance="3.1" totalDistanceUnit="mi"')
    [w] = read(xml).workouts
    assert w.activity.duration_s == pytest.approx(2400.0)
    assert w.activity.distance_m == pytest.approx(3.1 * 1609.344)


def test_unknown_units_give_none_not_a_wrong_number():
    xml = export_xml(Workout()).replace(b'totalDistanceUnit="km"', b'totalDistanceUnit="furlong"')
    [w] = read(xml).workouts
    assert w.activity.distance_m is None


@pytest.mark.parametrize(("kind", "indoor", "sport", "sub"), [
    ("Running", True, "run", "treadmill"),
    ("Cycling", True, "ride", "indoor_cycling"),
    ("Walking", False, "walk", None),
    ("TraditionalStrengthTraining", None, "strength", None),
    ("Yoga", None, "Yoga", None),
])
def test_activity_types_map_to_sports(kind, indoor, sport, sub):
    [w] = read(export_xml(Workout(kind=kind, indoor=indoor))).workouts
    assert (w.activity.sport, w.activity.sub_sport) == (sport, sub)


def test_routes_named_by_the_workout_are_kept():
    [w] = read(export_xml(Workout(routes=["/workout-routes/route_2023-05-01_7.42am.gpx"]))).workouts
    assert w.routes == ["/workout-routes/route_2023-05-01_7.42am.gpx"]


def test_undated_workout_is_left_out_with_a_warning():
    xml = export_xml(Workout(), Workout(start=RUN_START + timedelta(days=1))).replace(
        b'startDate="2023-05-02 07:12:03 +0200"', b'startDate="soon"')
    got = read(xml)
    assert len(got.workouts) == 1
    assert "workout 2" in got.warnings[0] and "startDate" in got.warnings[0]


def test_broken_export_keeps_the_workouts_before_the_break():
    xml = export_xml(Workout(), Workout(start=RUN_START + timedelta(days=1)))
    cut = xml[: xml.rindex(b"<Workout")] + b"<Workout workoutActivityType=\"HKWork"
    got = read(cut)
    assert len(got.workouts) == 1
    assert "broken" in got.warnings[0] and "1 workouts" in got.warnings[0]


def test_xml_that_is_not_a_health_export_is_skipped():
    with pytest.raises(Skip, match="root is <ClinicalDocument>"):
        read(b'<?xml version="1.0"?><ClinicalDocument><x/></ClinicalDocument>')


# --------------------------------------------------------------------------- XML safety


def test_real_doctype_subset_is_accepted():
    assert APPLE_HEAD.count("<!ELEMENT") >= 8 and "<!ATTLIST" in APPLE_HEAD
    assert len(read(export_xml(Workout())).workouts) == 1


def test_entity_definition_is_refused():
    head = APPLE_HEAD.replace("]>", '<!ENTITY lol "lollollollollol">\n]>', 1)
    with pytest.raises(ImportFailure, match=r"refused unsafe XML: it defines the entity 'lol'"):
        read(export_xml(Workout(), head=head))


def test_external_entity_is_refused():
    head = APPLE_HEAD.replace("]>", '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>', 1)
    head = head.replace('locale="de_DE">', 'locale="&xxe;">')
    with pytest.raises(ImportFailure, match="refused unsafe XML"):
        read(export_xml(Workout(), head=head))


def test_external_dtd_is_refused():
    head = APPLE_HEAD.replace("<!DOCTYPE HealthData [",
                              '<!DOCTYPE HealthData SYSTEM "http://example.com/health.dtd" [')
    with pytest.raises(ImportFailure, match="external DTD.*example.com"):
        read(export_xml(Workout(), head=head))


def test_cli_names_an_unsafe_export_in_one_line(tmp_path):
    head = APPLE_HEAD.replace("]>", '<!ENTITY lol "lol">\n]>', 1)
    xml = tmp_path / "export.xml"
    xml.write_bytes(export_xml(Workout(), head=head))
    result = CliRunner().invoke(cli, ["timeline", str(xml), "--no-cache"])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if "refused" in ln]
    assert lines == [f"Error: {xml}: refused unsafe XML: it defines the entity 'lol' "
                     "(Apple Health exports define none)"]
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- streaming


def test_progress_reports_every_byte():
    xml = export_xml(Workout(), records=5000)
    seen = []
    read(xml, progress=seen.append)
    assert sum(seen) == len(xml) and len(seen) > 1


def test_memory_stays_bounded_on_a_large_export():
    """A 30 MB export of 120,000 records and 400 workouts: the peak is a small fraction."""
    workouts = [Workout(start=RUN_START + timedelta(days=i)) for i in range(400)]
    xml = export_xml(*workouts, records=120_000)
    assert len(xml) > 25_000_000
    stream = io.BytesIO(xml)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        got = apple_health.read_export(stream, "export.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(got.workouts) == 400
    assert peak < len(xml) / 20, f"peak {peak:,} bytes for a {len(xml):,}-byte export"


# --------------------------------------------------------------------------- with routes


def _export_with_routes():
    """An outdoor ride whose route fills its distance, a run with its own figures and a
    route, an indoor run without a route, and a route file no workout names."""
    ride_start = RUN_START + timedelta(days=1)
    walk_start = RUN_START + timedelta(days=2, hours=3)
    treadmill = Workout(start=RUN_START + timedelta(days=3), indoor=True, distance_km=8.0,
                        climb_cm=None)
    walk = Workout(kind="Walking", start=walk_start, minutes=25, distance_km=None, hr=None,
                   climb_cm=None)
    xml = export_xml(
        Workout(routes=["/workout-routes/route_2023-05-01_7.12am.gpx"]),
        Workout(kind="Cycling", start=ride_start, distance_km=None, climb_cm=None,
                routes=["/workout-routes/route_2023-05-02_7.12am.gpx"]),
        walk, treadmill)
    routes = {
        "route_2023-05-01_7.12am.gpx": route_gpx(RUN_START, points=180),
        "route_2023-05-02_7.12am.gpx": route_gpx(ride_start, points=180, dlat=0.0009),
        "route_2023-05-03_10.12am.gpx": route_gpx(walk_start + timedelta(seconds=20), points=140,
                                                  dlat=0.0001),
    }
    return xml, routes


def _check_route_export(rows: list[dict]):
    by_day = {r["local_date"][:10]: r for r in rows}
    assert len(rows) == 4, [r["path"] for r in rows]
    run, ride, walk, treadmill = (by_day[d] for d in ("2023-05-01", "2023-05-02", "2023-05-03",
                                                      "2023-05-04"))
    assert run["sport"] == "run" and run["distance_m"] == pytest.approx(5100.0)
    assert ride["sport"] == "ride" and ride["is_run"] is False
    assert ride["distance_m"] == pytest.approx(179 * 0.0009 * 111_195, rel=0.01)
    assert ride["elevation_gain_m"] > 0
    assert walk["sport"] == "walk" and walk["distance_m"] == pytest.approx(139 * 0.0001 * 111_195,
                                                                          rel=0.01)
    assert treadmill["sport"] == "run" and treadmill["sub_sport"] == "treadmill"
    assert treadmill["distance_m"] == pytest.approx(8000.0)
    assert all(r["source"] == "apple_health" for r in rows)
    assert run["utc_offset_min"] == 120


def test_export_folder_links_routes_and_counts_indoor_workouts(tmp_path):
    xml, routes = _export_with_routes()
    folder = write_apple_folder(tmp_path, xml, routes)
    _check_route_export(timeline_json(folder))


def test_export_zip_is_read_in_place(tmp_path):
    xml, routes = _export_with_routes()
    _check_route_export(timeline_json(write_apple_zip(tmp_path / "export.zip", xml, routes)))


def test_lone_export_xml_reads_its_routes_beside_it(tmp_path):
    xml, routes = _export_with_routes()
    folder = write_apple_folder(tmp_path, xml, routes)
    _check_route_export(timeline_json(folder / "export.xml"))


def test_export_inside_a_larger_folder_is_not_counted_twice(tmp_path):
    xml, routes = _export_with_routes()
    write_apple_folder(tmp_path / "runner" / "phone", xml, routes)
    write_apple_zip(tmp_path / "runner" / "export.zip", xml, routes)
    activities, report = import_paths([tmp_path / "runner"])
    # the folder and the zip each give 4 workouts and nothing else: the routes are in them
    assert len(activities) == 8
    assert {a.source for a in activities} == {"apple_health"}
    assert report.errors == []
    _check_route_export(timeline_json(tmp_path / "runner"))


def test_missing_route_file_is_a_warning_and_the_workout_still_counts(tmp_path):
    xml = export_xml(Workout(routes=["/workout-routes/route_gone.gpx"]))
    folder = write_apple_folder(tmp_path, xml, {})
    activities, report = import_paths([folder])
    assert len(activities) == 1 and activities[0].distance_m == pytest.approx(5100.0)
    assert any("route_gone.gpx" in w and "not in the export" in w for _, w in report.warnings)


def test_same_run_written_by_watch_and_by_strava_counts_once(tmp_path):
    xml = export_xml(Workout(), Workout(source="Strava", start=RUN_START + timedelta(seconds=40),
                                        distance_km=5.15, hr=None, climb_cm=None))
    folder = write_apple_folder(tmp_path, xml, {})
    rows = timeline_json(folder)
    assert len(rows) == 1
    assert rows[0]["avg_hr"] == 151.0


def test_cached_export_is_not_parsed_again(tmp_path):
    from loadwatch.importers.cache import Store

    xml, routes = _export_with_routes()
    folder = write_apple_folder(tmp_path, xml, routes)
    with Store(tmp_path / "cache") as store:
        first, r1 = import_paths([folder], store)
    with Store(tmp_path / "cache") as store:
        second, r2 = import_paths([folder], store)
    assert r1.parsed > 0 and r2.parsed == 0 and r2.from_cache == r1.parsed
    assert [a.to_json() for a in first] == [a.to_json() for a in second]


def test_progress_factory_gets_the_export_size(tmp_path):
    xml, routes = _export_with_routes()
    folder = write_apple_folder(tmp_path, xml, routes)
    calls = []

    class Bar:
        def __init__(self, label, total, unit):
            self.call = [label, total, unit, 0]
            calls.append(self.call)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            self.call[3] += n

    import_paths([folder], progress=Bar)
    in_bytes = [c for c in calls if c[2] == "bytes"]
    assert in_bytes == [[f"Reading {folder / 'export.xml'}", len(xml), "bytes", len(xml)]]


def test_cli_shows_no_bar_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    from loadwatch import cli as cli_mod

    xml, routes = _export_with_routes()
    folder = write_apple_folder(tmp_path, xml, routes)
    result = CliRunner().invoke(cli, ["import", str(folder), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Reading" not in result.stderr
    monkeypatch.setattr(cli_mod.sys.stderr, "isatty", lambda: True, raising=False)
    assert cli_mod.progress_bars() is not None


def test_import_and_report_take_the_export_zip(tmp_path):
    xml, routes = _export_with_routes()
    z = write_apple_zip(tmp_path / "export.zip", xml, routes)
    result = CliRunner().invoke(cli, ["import", str(z), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Activities:          4" in result.output
    result = CliRunner().invoke(cli, ["report", str(z), "--no-cache", "--as-of", "2023-05-08",
                                      "--format", "json", "--tz", "Europe/Berlin"])
    assert result.exit_code == 0, result.output
