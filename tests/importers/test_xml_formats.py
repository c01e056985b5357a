"""GPX and TCX: every corpus file, and the rules for odd files."""

import gzip
from datetime import UTC, datetime, timedelta

import pytest

from loadwatch.importers.base import ImportFailure, Skip
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.gpx import read_gpx
from loadwatch.importers.sports import is_guess_note, normalise
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


def damage(a) -> list[str]:
    """An activity's warnings but the note on a guessed sport ("Morning Run" names a run)."""
    return [w for w in a.warnings if not is_guess_note(w)]


def gpx_doc(points: str, *, trk_type: str = "", ext_ns: str = "", name: str = "Morning Run",
            creator: str = "test") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" {ext_ns}>
<trk><name>{name}</name>{trk_type}<trkseg>{points}</trkseg></trk></gpx>""".encode()


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
    with pytest.raises(Skip, match="without timestamps"):
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
    # Cut inside the root element's start tag: nothing to read.
    with pytest.raises(ImportFailure, match="not well-formed TCX") as err:
        read_activity_file(TCX.format(track="").encode()[:100], "cut.tcx")
    assert "\n" not in str(err.value)


def test_truncated_tcx_is_read_as_far_as_it_goes_with_a_warning():
    # Cut inside the second lap: the first lap is whole, the second has its time only.
    full = TCX.format(track="").encode()
    cut = full[:full.index(b"<DistanceMeters>1000")]
    (a,) = read_activity_file(cut, "cut.tcx")
    assert a.start_utc == datetime(2026, 11, 3, 17, tzinfo=UTC)
    assert a.distance_m == 4000 and a.elapsed_s == 1800
    assert len(a.warnings) == 1 and a.warnings[0].startswith("the file ends inside the XML")


def test_tcx_other_is_settled_by_speed_or_stays_other():
    fast = TCX.replace('Sport="Running"', 'Sport="Other"').format(track="")
    fast = fast.replace("<DistanceMeters>4000", "<DistanceMeters>14000")
    assert read_tcx(fast.encode(), "t.tcx")[0].sport == "ride"  # 15 km in 30 min
    slow = TCX.replace('Sport="Running"', 'Sport="Other"').format(track="")
    assert read_tcx(slow.encode(), "t.tcx")[0].sport == "other"  # a running pace proves nothing
    named = TCX.replace('Sport="Running"', 'Sport="Other"').format(track="")
    assert read_tcx(named.encode(), "2026-11-03 Abendlauf.tcx")[0].sport == "run"


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


# ------------------------------------------------------------- sport without <type>


def outing(minutes: int, metres_per_minute: float, **kw) -> bytes:
    """A GPX track due north at a steady speed, one point a minute, no <type>."""
    step = metres_per_minute / 111_195  # degrees of latitude per minute
    points = "".join(pt(59.0 + i * step, (datetime(2026, 11, 1, 8, tzinfo=UTC)
                                          + timedelta(minutes=i)).isoformat())
                     for i in range(minutes + 1))
    return gpx_doc(points, **kw)


@pytest.mark.parametrize(("name", "sport"), [
    ("Cycling 5/1/19 6:31 am", "ride"),      # Runkeeper
    ("Morgendliche Radfahrt", "ride"),       # Strava, German
    ("Sortie à vélo le matin", "ride"),      # French
    ("Ochtendrit", "ride"),                  # Dutch
    ("Abendlauf", "run"),                    # German compound
    ("Course à pied le matin", "run"),
    ("Carrera matutina", "run"),
    ("Corsa mattutina", "run"),
    ("Avondloop", "run"),                    # Dutch compound
    ("Skilanglauf", "ski"),                  # not a run although it ends in -lauf
    ("Morgenspaziergang", "walk"),
    ("Wanderung am Morgen", "hike"),
])
def test_gpx_without_type_takes_the_sport_its_name_gives(name, sport):
    # 40 minutes at 200 m/min: a running pace, which alone proves nothing.
    (a,) = read_gpx(outing(40, 200, name=name), "2026-11-01.gpx")
    assert a.sport == sport and normalise(a.sport) == sport


def test_gpx_without_type_or_evidence_is_unknown_not_a_run():
    (a,) = read_gpx(outing(40, 200, name="2026-11-01 08:00"), "2026-11-01.gpx")
    assert a.sport == "unknown" and normalise(a.sport) == "unknown"


def test_gpx_file_name_and_creator_count_as_evidence():
    (a,) = read_gpx(outing(40, 200, name="Track"), "/runs/2022-05-29_Laufen_Park.gpx")
    assert a.sport == "run"
    (b,) = read_gpx(outing(40, 200, name="Track", creator="Garmin Edge 530"), "x.gpx")
    assert b.sport == "ride"


@pytest.mark.parametrize(("minutes", "per_minute", "sport"), [
    (60, 400, "ride"),     # 24 km/h for an hour: faster than the hour record run
    (150, 500, "ride"),    # a 2.5 h bike tour at 30 km/h
    (30, 300, None),       # 18 km/h for half an hour: a fast runner or a slow ride
    (40, 70, None),        # 4.2 km/h for 40 minutes: a walk, a paddle, a warm-up...
    (60, 70, "walk"),      # 4.2 km/h for an hour
    (180, 90, "hike"),     # 5.4 km/h for three hours
    (5, 900, None),        # five minutes prove nothing
])
def test_gpx_without_type_or_name_takes_what_its_speed_proves(minutes, per_minute, sport):
    (a,) = read_gpx(outing(minutes, per_minute, name="ACTIVE LOG"), "x.gpx")
    assert a.sport == (sport or "unknown")


def test_stated_type_is_never_overridden():
    (a,) = read_gpx(outing(60, 400, name="Cycling", trk_type="<type>running</type>"), "x.gpx")
    assert a.sport == "running"


# ----------------------------------------------------------------- physical bounds


def test_gpx_point_dated_decades_ahead_is_dropped_and_reported():
    points = "".join(pt(59.0 + i * 0.002, f"2026-11-01T08:{i:02d}:00Z") for i in range(30))
    points += pt(59.07, "2049-06-01T08:00:00Z")
    (a,) = read_gpx(gpx_doc(points), "x.gpx")
    assert a.elapsed_s == 29 * 60
    assert damage(a) == ["dropped 1 sample dated 2049-06-01, far from the rest of the recording "
                          "(a clock glitch), so they do not stretch the activity"]


def test_gpx_points_out_of_order_never_move_longer_than_elapsed():
    order = [0, 10, 5, 15, 20]
    points = "".join(pt(59.0 + i * 0.002, f"2026-11-01T08:{m:02d}:00Z") for i, m in enumerate(order))
    (a,) = read_activity_file(gpx_doc(points), "x.gpx")
    assert a.elapsed_s == 20 * 60 and a.duration_s <= a.elapsed_s
    assert any("longer than the elapsed" in w for w in a.warnings)


def test_gpx_heart_rate_outside_human_range_is_dropped():
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z", hr=h)
                     for i, h in enumerate([140, 150, 255, 160, 12]))
    (a,) = read_gpx(gpx_doc(points), "x.gpx")
    assert (a.avg_hr, a.max_hr) == (150, 160)


def test_gpx_elevation_spike_adds_no_climbing():
    eles = [100, 101, 102, 2100, 103, 104, 105, 104, 103]
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z", ele=e)
                     for i, e in enumerate(eles))
    (a,) = read_gpx(gpx_doc(points), "x.gpx")
    assert 2 <= a.elevation_gain_m <= 6  # the 5 m rise, not the 2000 m spike


def test_impossible_climbing_is_dropped_with_a_warning():
    # A barometer gone mad: 100 m up and down every minute for 30 minutes.
    points = "".join(pt(59.0 + i * 0.002, f"2026-11-01T08:{i:02d}:00Z", ele=100 + 3000 * (i % 2))
                     for i in range(31))
    (a,) = read_activity_file(gpx_doc(points), "x.gpx")
    assert a.elevation_gain_m is None
    assert any(w.startswith("climbing of ") and "impossible" in w for w in a.warnings)


# ---------------------------------------------------------------------- damaged XML


def test_gpx_without_closing_tags_is_read_with_a_warning():
    points = "".join(pt(59.0 + i * 0.002, f"2026-11-01T08:{i:02d}:00Z") for i in range(20))
    whole = gpx_doc(points)
    (full,) = read_gpx(whole, "x.gpx")
    (a,) = read_gpx(whole[:whole.index(b"</trkseg>")], "x.gpx")
    assert a.distance_m == pytest.approx(full.distance_m) and a.elapsed_s == full.elapsed_s
    assert len(damage(a)) == 1 and "truncated" in damage(a)[0]


def test_gpx_with_trailing_garbage_is_read_whole_with_a_warning():
    points = "".join(pt(59.0 + i * 0.002, f"2026-11-01T08:{i:02d}:00Z") for i in range(20))
    (a,) = read_gpx(gpx_doc(points) + b"\x00\x00garbage", "x.gpx")
    assert a.elapsed_s == 19 * 60
    assert damage(a) == ["9 bytes after the end of the XML document are not part of it "
                          "(trailing garbage); ignored them"]


def test_broken_gpx_with_nothing_before_the_damage_stays_an_error():
    with pytest.raises(ImportFailure, match="nothing readable before the damage"):
        read_gpx(b'<gpx version="1.1"><metadata><name>x</name></metadata></ggpx>', "x.gpx")


def test_gpx_points_off_the_earth_are_no_positions():
    """Issue 17: old OpenTracks marks pauses with points at latitude 100 and 200: 39,506 km
    in 4.9 s."""
    good = [pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z") for i in range(4)]
    pause = ('<trkpt lat="100.0" lon="200.0"><time>2026-11-01T08:01:30Z</time></trkpt>'
             '<trkpt lat="200.0" lon="200.0"><time>2026-11-01T08:01:31Z</time></trkpt>')
    (a,) = read_gpx(gpx_doc("".join(good[:2]) + pause + "".join(good[2:])), "x.gpx")
    assert a.distance_m == pytest.approx(333.6, abs=1) and a.elapsed_s == 180
    assert damage(a) == ["2 track points outside latitude ±90° / longitude ±180° (e.g. 100, "
                          "200: some apps mark pauses so) are no positions; left them out of "
                          "distance and times"]
    with pytest.raises(Skip, match="all outside latitude"):
        read_gpx(gpx_doc(pause), "x.gpx")


def test_gpx_point_count_is_capped_before_parsing(monkeypatch):
    """Issue 17: 10^6 GPX points took 2.6 GB; a file of more than MAX_POINTS is refused
    before gpxpy holds them (the cap lowered here to keep the test small)."""
    monkeypatch.setattr("loadwatch.importers.gpx.MAX_POINTS", 10)
    points = "".join(pt(59.0 + i * 0.001, f"2026-11-01T08:{i:02d}:00Z") for i in range(11))
    with pytest.raises(ImportFailure, match=r"a GPX file of 11 track points is more than "
                                            r"loadwatch reads \(10, "):
        read_gpx(gpx_doc(points), "x.gpx")
    assert read_gpx(gpx_doc(points[:points.rindex("<trkpt")]), "x.gpx")


def test_a_short_slow_tcx_other_is_no_walk():
    """Issue 17: a stand-up paddle (TCX Sport="Other", 18 minutes) was called a walk from
    its speed, while the README says a walk needs an hour at walking pace."""
    sup = TCX.replace('Sport="Running"', 'Sport="Other"').format(track="")
    sup = sup.replace("<DistanceMeters>4000", "<DistanceMeters>300")  # 1.3 km in 30 min: 0.7 m/s
    (a,) = read_tcx(sup.encode(), "t.tcx")
    assert a.sport == "other" and a.warnings == []


def test_a_guessed_sport_carries_a_note_saying_from_what():
    (a,) = read_gpx(outing(60, 70, name="ACTIVE LOG"), "x.gpx")
    assert a.sport == "walk" and a.warnings == [
        "the file states no sport; guessed 'walk' from its speed (1.2 m/s for 60 min); if that "
        "is wrong, set the sport in [sports] of loadwatch.toml"]
    (b,) = read_gpx(outing(40, 200, name="Abendlauf"), "x.gpx")
    assert b.sport == "run" and b.warnings == [
        "the file states no sport; guessed 'run' from its name 'Abendlauf'; if that is wrong, "
        "set the sport in [sports] of loadwatch.toml"]
    (c,) = read_gpx(outing(40, 200, name="Track", trk_type="<type>running</type>"), "x.gpx")
    assert c.warnings == []


def test_a_million_gpx_points_are_refused_before_gpxpy_holds_them():
    import time

    points = '<trkpt lat="59.0" lon="10.0"><time>2026-11-01T08:00:00Z</time></trkpt>' * 1_000_000
    data = gpx_doc(points)
    began = time.perf_counter()
    with pytest.raises(ImportFailure, match=r"a GPX file of 1,000,000 track points is more than "
                                            r"loadwatch reads \(150,000, 42 h at one a second\)"):
        read_gpx(data, "x.gpx")
    assert time.perf_counter() - began < 10  # gpxpy took minutes and 2.6 GB
