"""GPX and TCX: every corpus file, and the rules for odd files."""

import gzip
from datetime import UTC, datetime

import pytest

from loadwatch.importers.base import ImportFailure, Skip
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.gpx import read_gpx
from loadwatch.importers.sports import normalise
from loadwatch.importers.tcx import read_tcx
from tests.corpus import CORPUS, expected


def corpus_files():
    if not CORPUS.is_dir():
        return []
    return sorted(p for kind in ("gpx", "tcx") for p in (CORPUS / kind).rglob("*") if p.is_file())


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_matches_expected_or_gives_a_reason(path):
    exp = expected().get(path.relative_to(CORPUS).as_posix(), {})
    try:
        acts = read_activity_file(path.read_bytes(), str(path))
    except (Skip, ImportFailure) as exc:
        reason = str(exc)
        assert reason and "\n" not in reason
        if isinstance(exc, ImportFailure):
            assert exp.get("parses") == "no", f"reference parser reads it: {reason}"
        return
    (a,) = acts
    if exp.get("start_time_utc"):
        want = datetime.fromisoformat(exp["start_time_utc"].replace("Z", "+00:00"))
        assert abs((a.start_utc - want).total_seconds()) <= 2
    if exp.get("distance_m") and float(exp["distance_m"]) > 0:
        assert a.distance_m == pytest.approx(float(exp["distance_m"]), rel=0.01, abs=0.1)
    elif exp.get("distance_m"):
        assert a.distance_m is None  # 0 is missing, never 0


def gpx_doc(points: str, *, trk_type: str = "", ext_ns: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" {ext_ns}>
<trk><name>Morning Run</name>{trk_type}<trkseg>{points}</trkseg></trk></gpx>""".encode()


def pt(lat, time, hr=None, ele=None):
    ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
           "</gpxtpx:TrackPointExtension></extensions>") if hr is not None else ""
    e = f"<ele>{ele}</ele>" if ele is not None else ""
    t = f"<time>{time}</time>" if time else ""
    return f'<trkpt lat="{lat}" lon="10.0">{e}{t}{ext}</trkpt>'


def test_gpx_figures_and_heart_rate():
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z", hr=140 + i, ele=100 + i * 3)
                     for i in range(11))
    (a,) = read_gpx(gpx_doc(points, trk_type="<type>9</type>"), "x.gpx")
    assert a.start_utc == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    assert a.elapsed_s == 600 and a.distance_m == pytest.approx(1112, rel=0.01)
    assert a.avg_hr == 145 and a.max_hr == 150
    assert a.elevation_gain_m == pytest.approx(30, abs=3)
    assert normalise(a.sport) == "run" and a.name == "Morning Run"


def test_gpx_zero_heart_rate_means_no_sensor():
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z", hr=0) for i in range(5))
    (a,) = read_gpx(gpx_doc(points), "x.gpx")
    assert a.avg_hr is None and a.max_hr is None


def test_gpx_offsets_and_bom():
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T10:{i:02d}:00+02:00") for i in range(3))
    (a,) = read_gpx(b"\xef\xbb\xbf" + gpx_doc(points), "x.gpx")
    assert a.start_utc == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def test_gpx_without_times_or_with_reset_clock_is_skipped_with_a_reason():
    no_times = "".join(pt(59.0 + i * 0.001, None) for i in range(3))
    with pytest.raises(Skip, match="no timestamps"):
        read_gpx(gpx_doc(no_times), "x.gpx")
    reset = "".join(pt(59.0 + i * 0.001, "1901-12-13T20:45:52Z") for i in range(3))
    with pytest.raises(Skip, match="reset clock"):
        read_gpx(gpx_doc(reset), "x.gpx")


def test_gpx_with_a_few_times_keeps_its_start_not_a_duration():
    points = pt(59.0, "2026-11-01T08:00:00Z") + "".join(pt(59.0 + i * 0.001, None) for i in range(1, 6))
    (a,) = read_gpx(gpx_doc(points), "x.gpx")
    assert a.start_utc == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert a.elapsed_s is None and a.duration_s is None and a.distance_m > 500


def test_xml_bomb_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<gpx version="1.1"><trk><name>&c;</name></trk></gpx>"""
    with pytest.raises(ImportFailure, match="unsafe XML"):
        read_activity_file(bomb, "bomb.gpx")
    with pytest.raises(ImportFailure, match="unsafe XML"):
        read_tcx(bomb.replace(b"gpx", b"TrainingCenterDatabase"), "bomb.tcx")


TCX = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2026-11-03T17:00:00Z</Id>
<Lap StartTime="2026-11-03T17:00:00Z"><TotalTimeSeconds>1200</TotalTimeSeconds>
<DistanceMeters>4000</DistanceMeters><AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>
<MaximumHeartRateBpm><Value>160</Value></MaximumHeartRateBpm>{track}</Lap>
<Lap StartTime="2026-11-03T17:20:00Z"><TotalTimeSeconds>600</TotalTimeSeconds>
<DistanceMeters>1000</DistanceMeters><AverageHeartRateBpm><Value>170</Value></AverageHeartRateBpm>
<MaximumHeartRateBpm><Value>180</Value></MaximumHeartRateBpm></Lap>
</Activity></Activities></TrainingCenterDatabase>"""


def test_treadmill_tcx_reads_from_its_laps():
    (a,) = read_tcx(TCX.format(track="").encode(), "t.tcx")
    assert a.start_utc == datetime(2026, 11, 3, 17, tzinfo=UTC)
    assert a.distance_m == 5000 and a.elapsed_s == 1800
    assert a.avg_hr == pytest.approx(150)  # time-weighted: (1200*140 + 600*170) / 1800
    assert a.max_hr == 180 and a.elevation_gain_m is None


def test_gzipped_tcx_with_leading_whitespace_as_strava_writes_it():
    data = gzip.compress(b"   \n" + TCX.format(track="").encode())
    (a,) = read_activity_file(data, "activities/123.tcx.gz")
    assert a.source == "tcx" and a.distance_m == 5000


def test_malformed_tcx_is_one_line():
    with pytest.raises(ImportFailure, match="not well-formed TCX") as err:
        read_activity_file(TCX.format(track="").encode()[:400], "cut.tcx")
    assert "\n" not in str(err.value)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_same_tomtom_run_as_gpx_and_tcx_agrees():
    (g,) = read_activity_file((CORPUS / "gpx/runpandas/run.gpx").read_bytes(), "run.gpx")
    (t,) = read_activity_file((CORPUS / "tcx/runpandas/run.tcx").read_bytes(), "run.tcx")
    assert g.start_utc == t.start_utc
    assert g.distance_m == pytest.approx(t.distance_m, rel=0.03)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_invalid_fix_values_do_not_lose_the_file():
    (a,) = read_activity_file((CORPUS / "gpx/georust-gpx/with_accuracy.gpx").read_bytes(), "x.gpx")
    assert a.start_utc is not None and a.distance_m > 0
