"""Strava bulk exports: the real activities.csv files of the corpus, generated CSVs and zips."""

import csv
import io
import os
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loadwatch.importers import strava, strava_files
from loadwatch.importers.base import ImportFailure
from loadwatch.importers.strava import read_activities_csv
from loadwatch.importers.strava_files import open_export_zip, resolve_in_folder
from tests.corpus import CORPUS, expected

GEO_EXPORT = "strava/geo-activity-playground/Strava Export"
JOBOSO = ("strava/JoBoSo-2023-10-25", "strava/JoBoSo-2024-12-17", "strava/JoBoSo-2025-08-25")
CORPUS_CSVS = (*(f"{d}/activities.csv" for d in JOBOSO), f"{GEO_EXPORT}/activities.csv")

# The 99-column header of the Aug 2025 export, with the two columns of a 2026 export
# (101 columns) stood in for by names loadwatch does not know.
HEADER_99 = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed", "Elevation Gain",
    "Elevation Loss", "Elevation Low", "Elevation High", "Max Grade", "Average Grade",
    "Average Positive Grade", "Average Negative Grade", "Max Cadence", "Average Cadence",
    "Max Heart Rate", "Average Heart Rate", "Max Watts", "Average Watts", "Calories",
    "Max Temperature", "Average Temperature", "Relative Effort", "Total Work", "Number of Runs",
    "Uphill Time", "Downhill Time", "Other Time", "Perceived Exertion", "Type", "Start Time",
    "Weighted Average Power", "Power Count", "Prefer Perceived Exertion",
    "Perceived Relative Effort", "Commute", "Total Weight Lifted", "From Upload",
    "Grade Adjusted Distance", "Weather Observation Time", "Weather Condition",
    "Weather Temperature", "Apparent Temperature", "Dewpoint", "Humidity", "Weather Pressure",
    "Wind Speed", "Wind Gust", "Wind Bearing", "Precipitation Intensity", "Sunrise Time",
    "Sunset Time", "Moon Phase", "Bike", "Gear", "Precipitation Probability",
    "Precipitation Type", "Cloud Cover", "Weather Visibility", "UV Index", "Weather Ozone",
    "Jump Count", "Total Grit", "Average Flow", "Flagged", "Average Elapsed Speed",
    "Dirt Distance", "Newly Explored Distance", "Newly Explored Dirt Distance", "Activity Count",
    "Total Steps", "Carbon Saved", "Pool Length", "Training Load", "Intensity",
    "Average Grade Adjusted Pace", "Timer Time", "Total Cycles", "Recovery", "With Pet",
    "Competition", "Long Run", "For a Cause", "Media",
]
HEADER_101 = [*HEADER_99[:-1], "Unknown Future Column", "Another Future Column", "Media"]
GERMAN_HEADER = [
    "Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart",
    "Aktivitätsbeschreibung", "Verstrichene Zeit", "Distanz", "Max. Herzfrequenz",
    "Relative Leistung", "Pendeln", "Hinweis zur Privatsphäre für Aktivitäten",
    "Aktivitätsausrüstung", "Dateiname", "Sportlergewicht", "Fahrradgewicht",
    "Verstrichene Zeit", "Bewegungszeit", "Distanz",
]
LEGACY_HEADER = ["id", "date", "name", "type", "description", "elapsed_time", "distance",
                 "commute", "gear", "filename"]
MID_2019_HEADER = ["Activity ID", "Activity Date", "Activity Name", "Activity Type",
                   "Activity Description", "Elapsed Time", "Distance", "Commute",
                   "Activity Gear", "Filename"]

RUN = {"Activity ID": "101", "Activity Date": "May 29, 2022, 3:53:35 PM",
       "Activity Name": "Easy run", "Activity Type": "Run", "Elapsed Time": "1428",
       "Distance": "3.32", "Filename": "activities/101.fit.gz", "Elapsed Time#2": "1428.5",
       "Moving Time": "1411.0", "Distance#2": "3322.95", "Elevation Gain": "61.9"}


def make_csv(header: list[str], rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    """A CSV as Strava writes it; a row's key ``Name#2`` is the second column called Name."""
    keys, seen = [], Counter()
    for name in header:
        seen[name] += 1
        keys.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def read(header: list[str], *rows: dict[str, str]) -> strava.CsvResult:
    return read_activities_csv(make_csv(header, list(rows)), "export/activities.csv")


def corpus_path(rel: str) -> Path:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"corpus file {rel} not available")
    return path


def corpus_rows(rel: str) -> list[strava.StravaRow]:
    path = corpus_path(rel)
    result = read_activities_csv(path.read_bytes(), str(path))
    assert result.errors == []
    return result.rows


def by_id(rows: list[strava.StravaRow]) -> dict[str, strava.StravaRow]:
    return {r.activity.external_id: r for r in rows}


EXPECTED = expected()


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("rel", CORPUS_CSVS)
def test_corpus_export_reads_every_row_as_expected(rel):
    rows = corpus_rows(rel)
    expected = EXPECTED[rel]
    sports = Counter(r.activity.sport for r in rows)
    assert sports == {k: int(v) for k, v in
                      (pair.rsplit(":", 1) for pair in expected["sport"].split(","))}
    assert len(rows) == int(expected["records"])
    starts = [r.activity.start_utc for r in rows]
    assert iso(min(starts)) == expected["start_time_utc"]
    assert f"last activity {iso(max(starts))}" in expected["details"]
    assert all(r.activity.source == "strava_csv" and r.activity.elapsed_s for r in rows)
    assert len({r.activity.external_id for r in rows}) == len(rows)
    assert [r.line for r in rows] == list(range(2, len(rows) + 2))  # no multi-line cells here


def test_one_row_export_gives_its_run_with_the_file_it_names():
    (row,) = corpus_rows(f"{GEO_EXPORT}/activities.csv")
    a = row.activity
    assert a.start_utc == datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)
    assert row.filename == "activities/12866632127.fit.gz"
    assert row.line == 2
    assert (a.external_id, a.name, a.sport) == ("12070555079", "Laufen Landal Park", "Run")
    assert a.elapsed_s == 1428.0 and a.duration_s == 1411.0
    assert a.distance_m == pytest.approx(3322.95)  # the metres column, not 3.32 km
    assert a.elevation_gain_m == pytest.approx(61.88, abs=0.01)
    assert a.avg_hr is None and a.max_hr is None  # empty cells: not measured, not 0


@pytest.mark.parametrize("folder", JOBOSO)
def test_sail_distance_comes_from_the_metres_column_not_nautical_miles(folder):
    sails = [r.activity for r in corpus_rows(f"{folder}/activities.csv")
             if r.activity.sport == "Sail"]
    assert sails
    sail = next(a for a in sails if a.external_id == "9024249421")
    # first Distance 15.9 (nautical miles = 29,447 m; read as km it would be 15,900 m)
    assert sail.distance_m == pytest.approx(29610.49, abs=0.01)


def test_span_wrapped_header_export_reads_like_the_later_ones():
    def summary(row):
        a = row.activity
        return a.start_utc, a.sport, a.elapsed_s, a.duration_s, a.distance_m, row.filename

    old = by_id(corpus_rows(f"{JOBOSO[0]}/activities.csv"))  # 12 names wrapped in <span>
    new = by_id(corpus_rows(f"{JOBOSO[1]}/activities.csv"))
    assert len(old) == 1122 and old.keys() <= new.keys()
    assert all(summary(old[i]) == summary(new[i]) for i in old)


def test_hike_whose_column_pairs_disagree_takes_metres_and_float_seconds():
    hike = by_id(corpus_rows(f"{JOBOSO[2]}/activities.csv"))["14827328714"].activity
    # first columns: 9550 s and 3.80 km; second: 10744.0 s and 20195.8 m
    assert hike.sport == "Hike"
    assert hike.elapsed_s == 10744.0
    assert hike.distance_m == pytest.approx(20195.80, abs=0.01)
    assert hike.duration_s == 6638.0


def test_rows_with_empty_float_elapsed_fall_back_to_whole_seconds():
    row = by_id(corpus_rows(f"{JOBOSO[2]}/activities.csv"))["2337394731"]
    assert row.activity.elapsed_s == 7283.0  # second Elapsed Time is empty on this 2019 row


def test_bin_gz_filename_is_kept_as_written():
    rows = corpus_rows(f"{JOBOSO[1]}/activities.csv")
    assert sum(r.filename.endswith(".bin.gz") for r in rows) == 1


# --------------------------------------------------------------------------- generated CSVs


def test_pre_2019_export_has_iso_dates_and_metres():
    result = read(LEGACY_HEADER, {
        "id": "1836776031", "date": "2018-09-12 15:02:23", "name": "Evening Ride",
        "type": "Ride", "elapsed_time": "783", "distance": "3681.0", "commute": "true",
        "gear": "Merida", "filename": "activities/1836776031.gpx"})
    (row,) = result.rows
    a = row.activity
    assert a.start_utc == datetime(2018, 9, 12, 15, 2, 23, tzinfo=UTC)
    assert (a.external_id, a.sport, a.name) == ("1836776031", "Ride", "Evening Ride")
    assert a.distance_m == 3681.0 and a.elapsed_s == 783.0 and a.duration_s is None
    assert row.filename == "activities/1836776031.gpx"


def test_mid_2019_export_with_one_distance_column_reads_it_as_km():
    (row,) = read(MID_2019_HEADER, {
        "Activity ID": "1836776031", "Activity Date": "Sep 12, 2018, 3:02:23 PM",
        "Activity Type": "Ride", "Elapsed Time": "783", "Distance": "3.68",
        "Filename": "activities/1836776031.gpx"}).rows
    assert row.activity.start_utc == datetime(2018, 9, 12, 15, 2, 23, tzinfo=UTC)
    assert row.activity.distance_m == pytest.approx(3680.0)


def test_101_columns_with_unknown_ones_read_by_position():
    result = read(HEADER_101, {**RUN, "Unknown Future Column": "x", "Max Heart Rate": "180",
                               "Max Heart Rate#2": "181.0", "Average Heart Rate": "151.5",
                               "Media": "media/1.jpg"})
    (row,) = result.rows
    a = row.activity
    assert (a.elapsed_s, a.duration_s, a.distance_m) == (1428.5, 1411.0, 3322.95)
    assert (a.avg_hr, a.max_hr) == (151.5, 181.0)
    assert a.elevation_gain_m == 61.9


def test_second_column_empty_falls_back_to_the_first_with_its_unit():
    result = read(HEADER_99, {**RUN, "Elapsed Time#2": "", "Distance#2": ""},
                  {**RUN, "Activity ID": "102", "Activity Type": "Sail", "Distance": "15.9",
                   "Distance#2": ""})
    run, sail = (r.activity for r in result.rows)
    assert run.elapsed_s == 1428.0 and run.distance_m == pytest.approx(3320.0)
    assert sail.distance_m == pytest.approx(15.9 * 1852.0)


def test_span_wrapped_and_odd_spaced_header_names_are_understood():
    header = [f'<span class="translation_missing" title="translation missing: en-US.x">{n}</span>'
              if n in ("Activity Type", "Filename") else n for n in HEADER_99]
    header[0] = " Activity  ID "
    plain = make_csv(HEADER_99, [RUN]).decode().split("\n", 1)[1]
    wrapped = make_csv(header, []).decode() + plain
    (row,) = read_activities_csv(wrapped.encode(), "activities.csv").rows
    assert row.activity.sport == "Run" and row.filename == "activities/101.fit.gz"
    assert row.activity.external_id == "101"


def test_byte_order_mark_is_ignored():
    data = make_csv(HEADER_99, [RUN], bom=True)
    (row,) = read_activities_csv(data, "activities.csv").rows
    assert row.activity.external_id == "101"


def test_header_in_a_language_loadwatch_does_not_know_is_one_line():
    # Garmin Connect's own activities CSV: not a Strava header in any language.
    data = b"Activity Type,Date,Favorite,Title,Distance,Calories,Time\n"
    with pytest.raises(ImportFailure) as info:
        read_activities_csv(data, "activities.csv")
    assert str(info.value) == ("no 'Activity Date' column (is this export in another "
                               "language? loadwatch reads Strava exports in English, German, "
                               "French, Spanish and Dutch)")


def test_truncated_german_header_names_the_columns_it_lacks():
    data = make_csv(GERMAN_HEADER[:5], [{"Aktivitäts-ID": "1", "Aktivitätsdatum":
                                         "09.12.2022, 15:24:49"}])
    with pytest.raises(ImportFailure, match=r"^no 'Elapsed Time', 'Distance', 'Filename' "
                                            r"columns$"):
        read_activities_csv(data, "activities.csv")


def test_english_header_missing_columns_names_them_all():
    header = [n for n in HEADER_99 if n not in ("Filename", "Activity Type")]
    with pytest.raises(ImportFailure, match=r"^no 'Activity Type', 'Filename' columns$"):
        read(header, RUN)


def test_legacy_header_missing_a_column_names_it():
    with pytest.raises(ImportFailure, match=r"^no 'filename' column$"):
        read(LEGACY_HEADER[:-1], {"id": "1", "date": "2018-09-12 15:02:23"})


def test_english_header_missing_a_column_names_only_that_column():
    header = [n for n in HEADER_99 if n != "Filename"]
    with pytest.raises(ImportFailure, match=r"^no 'Filename' column$"):
        read(header, RUN)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf\n\n  \n"])
def test_empty_file_is_refused(data):
    with pytest.raises(ImportFailure, match="empty file"):
        read_activities_csv(data, "activities.csv")


def test_bad_rows_are_reported_by_line_and_the_others_kept():
    result = read(HEADER_99, RUN,
                  {**RUN, "Activity ID": "2", "Activity Date": "Foo 32, 2022, 3:53:35 PM"},
                  {**RUN, "Activity ID": "3", "Moving Time": "1:23:45"},
                  {**RUN, "Activity ID": "4", "Activity Date": ""},
                  {**RUN, "Activity ID": "5", "Activity Date": "Jan 1, 1970, 12:00:00 AM"},
                  {**RUN, "Activity ID": "6"})
    assert [r.activity.external_id for r in result.rows] == ["101", "6"]
    assert result.errors == [
        "line 3: Activity Date 'Foo 32, 2022, 3:53:35 PM' is not a date like "
        "'May 29, 2022, 3:53:35 PM'",
        "line 4: Moving Time '1:23:45' is not a number",
        "line 5: no Activity Date",
        "line 6: Activity Date 'Jan 1, 1970, 12:00:00 AM' is not a plausible activity date",
    ]


def test_row_with_a_wrong_cell_count_is_one_error():
    data = make_csv(HEADER_99, [RUN, {**RUN, "Activity ID": "2"}])
    lines = data.decode().splitlines()
    lines[1] += ",stray"
    result = read_activities_csv("\n".join(lines).encode(), "activities.csv")
    assert [r.activity.external_id for r in result.rows] == ["2"]
    assert result.errors == ["line 2: 100 cells where the header has 99 (a stray comma or quote?)"]


def test_manual_entry_has_no_file_and_missing_numbers_are_none_not_zero():
    manual = {"Activity ID": "7", "Activity Date": "Mar 3, 2024, 6:00:00 AM",
              "Activity Type": "Run", "Elapsed Time": "1800", "Distance": "0.00",
              "Elapsed Time#2": "1800.0", "Moving Time": "1800.0", "Distance#2": "",
              "Elevation Gain": "0.0"}
    (row,) = read(HEADER_99, manual).rows
    assert row.filename is None
    a = row.activity
    assert a.distance_m is None and a.elevation_gain_m is None
    assert a.avg_hr is None and a.max_hr is None and a.name is None
    assert a.elapsed_s == 1800.0


def test_newlines_inside_descriptions_keep_rows_and_line_numbers_right():
    result = read(HEADER_99,
                  {**RUN, "Activity Description": "Knee felt fine.\nHills x6\r\nCool down"},
                  {**RUN, "Activity ID": "2", "Activity Name": "Tempo, with commas"},
                  {**RUN, "Activity ID": "3", "Distance#2": "far"})
    assert [r.line for r in result.rows] == [2, 5]
    assert result.rows[1].activity.name == "Tempo, with commas"
    assert result.errors == ["line 6: Distance 'far' is not a number"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Jan 1, 2020, 12:05:00 AM", datetime(2020, 1, 1, 0, 5, tzinfo=UTC)),
    ("Jan 1, 2020, 12:05:00 PM", datetime(2020, 1, 1, 12, 5, tzinfo=UTC)),
    ("Dec 31, 2023, 11:59:59 PM", datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ("May 29, 2022, 3:53:35\u202fPM", datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)),
    ("2018-09-12T15:02:23Z", datetime(2018, 9, 12, 15, 2, 23, tzinfo=UTC)),
])
def test_activity_dates_are_utc_in_every_form(text, expected):
    (row,) = read(HEADER_99, {**RUN, "Activity Date": text}).rows
    assert row.activity.start_utc == expected


def test_date_with_an_impossible_hour_is_an_error():
    result = read(HEADER_99, {**RUN, "Activity Date": "May 29, 2022, 13:53:35 PM"})
    assert result.rows == [] and result.errors[0].startswith("line 2: Activity Date")


def test_rows_get_distinct_indexes_for_stable_ids():
    result = read(HEADER_99, {**RUN, "Activity ID": ""}, {**RUN, "Activity ID": ""})
    assert [(r.activity.external_id, r.activity.index) for r in result.rows] == [(None, 0),
                                                                                (None, 1)]


# --------------------------------------------------------------------------- zips


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


CSV_BYTES = make_csv(HEADER_99, [RUN])
GPX = b'<?xml version="1.0"?><gpx version="1.1"></gpx>'


@pytest.mark.parametrize("prefix", ["", "export_12345/"])
def test_zip_export_reads_csv_and_members_against_its_folder(tmp_path, prefix):
    path = write_zip(tmp_path / "export.zip", {
        f"{prefix}activities.csv": CSV_BYTES,
        f"{prefix}activities/101.fit.gz": b"fit bytes",
        f"{prefix}activities/Mixed.GPX": GPX,
        "unrelated.txt": b"",
    })
    with open_export_zip(path) as export:
        assert export.csv_name == f"{prefix}activities.csv"
        assert export.csv_bytes == CSV_BYTES
        assert export.read_member("activities/101.fit.gz") == b"fit bytes"
        assert export.read_member("activities/mixed.gpx") == GPX  # case differs
        assert export.read_member("activities/101.fit") == b"fit bytes"  # .gz tolerated
        assert export.read_member("activities/999.gpx") is None
        assert export.read_member("unrelated.txt") == (b"" if not prefix else None)


def test_real_export_zipped_reads_like_the_folder(tmp_path):
    folder = corpus_path(GEO_EXPORT)
    members = {f"Strava Export/{p.relative_to(folder).as_posix()}": p.read_bytes()
               for p in folder.rglob("*") if p.is_file()}
    with open_export_zip(write_zip(tmp_path / "export.zip", members)) as export:
        (row,) = read_activities_csv(export.csv_bytes, f"export.zip!{export.csv_name}").rows
        assert export.read_member(row.filename) == (folder / row.filename).read_bytes()


@pytest.mark.parametrize("filename", ["../evil", "activities/../../evil", "/etc/passwd",
                                      "C:\\evil", "..\\evil"])
def test_zip_refuses_names_that_climb_out(tmp_path, filename):
    path = write_zip(tmp_path / "export.zip", {"x/activities.csv": CSV_BYTES,
                                               "../evil": b"evil", "x/../evil": b"evil"})
    with open_export_zip(path) as export, pytest.raises(ImportFailure, match="refused"):
        export.read_member(filename)


def test_zip_member_above_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = write_zip(tmp_path / "export.zip", {"activities.csv": CSV_BYTES,
                                               "activities/big.gpx": b"\0" * 10_000})
    with open_export_zip(path) as export:
        monkeypatch.setattr(strava_files, "MAX_MEMBER_BYTES", 1_000)
        with pytest.raises(ImportFailure, match=r"refused 'activities/big.gpx': 10,000 bytes"):
            export.read_member("activities/big.gpx")


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"", b"just text"])
def test_damaged_zip_is_one_line(tmp_path, data):
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    with pytest.raises(ImportFailure, match=r"^damaged or not a zip file \(.*\)$"):
        open_export_zip(path)


def test_truncated_zip_is_refused(tmp_path):
    path = write_zip(tmp_path / "export.zip", {"activities.csv": CSV_BYTES})
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(ImportFailure, match="damaged or not a zip file"):
        open_export_zip(path)


def test_corrupt_member_data_is_an_import_failure(tmp_path):
    payload = os.urandom(4096)  # incompressible, so the bytes flipped below are member data
    path = write_zip(tmp_path / "export.zip", {"activities.csv": CSV_BYTES,
                                               "activities/1.gpx": payload})
    raw = bytearray(path.read_bytes())
    at = raw.index(b"activities/1.gpx") + 16 + 2000
    raw[at:at + 8] = bytes(b ^ 0xFF for b in raw[at:at + 8])
    path.write_bytes(bytes(raw))
    with open_export_zip(path) as export, pytest.raises(ImportFailure, match="cannot read"):
        export.read_member("activities/1.gpx")


def test_zip_without_activities_csv_is_not_an_export(tmp_path):
    path = write_zip(tmp_path / "runs.zip", {"a/b/activities.csv": CSV_BYTES,
                                             "run.gpx": GPX})
    with pytest.raises(ImportFailure, match="no activities.csv at the top of the zip"):
        open_export_zip(path)


def test_zip_with_two_exports_is_refused(tmp_path):
    path = write_zip(tmp_path / "two.zip", {"a/activities.csv": CSV_BYTES,
                                            "b/activities.csv": CSV_BYTES})
    with pytest.raises(ImportFailure, match=r"several exports in one zip \(a/activities.csv, b/"):
        open_export_zip(path)


# --------------------------------------------------------------------------- folders


def test_real_export_folder_resolves_the_named_file():
    csv_path = corpus_path(f"{GEO_EXPORT}/activities.csv")
    found = resolve_in_folder(csv_path, "activities/12866632127.fit.gz")
    assert found == csv_path.parent / "activities" / "12866632127.fit.gz"


def make_export(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "activities.csv").write_bytes(CSV_BYTES)
    return root / "activities.csv"


def test_folder_lookup_tolerates_case_and_gz_and_spells_the_path_as_on_disk(tmp_path):
    csv_path = make_export(tmp_path / "export", {"Activities/Run.GPX": GPX,
                                                 "activities2/2.gpx": GPX})
    root = csv_path.parent
    assert resolve_in_folder(csv_path, "activities/run.gpx") == root / "Activities" / "Run.GPX"
    assert resolve_in_folder(csv_path, "activities\\RUN.gpx.gz") == root / "Activities" / "Run.GPX"
    assert resolve_in_folder(csv_path, "activities2/2.gpx") == root / "activities2" / "2.gpx"
    assert resolve_in_folder(csv_path, "activities/missing.gpx") is None
    assert resolve_in_folder(csv_path, "activities") is None  # a folder, not a file


def test_folder_lookup_sees_files_added_after_a_first_lookup(tmp_path):
    csv_path = make_export(tmp_path / "export", {"activities/1.gpx": GPX})
    folder = csv_path.parent / "activities"
    assert resolve_in_folder(csv_path, "activities/2.gpx") is None
    listed_at = folder.stat().st_mtime_ns
    (folder / "2.gpx").write_bytes(GPX)
    # a coarse file-system clock may not have moved since the listing: move it
    os.utime(folder, ns=(listed_at + 10**9, listed_at + 10**9))
    assert resolve_in_folder(csv_path, "activities/2.gpx") is not None


@pytest.mark.parametrize("filename", ["../outside.gpx", "activities/../../outside.gpx",
                                      "/etc/passwd", ""])
def test_folder_lookup_refuses_names_that_escape(tmp_path, filename):
    (tmp_path / "outside.gpx").write_bytes(GPX)
    csv_path = make_export(tmp_path / "export", {"activities/1.gpx": GPX})
    assert resolve_in_folder(csv_path, filename) is None


def test_folder_lookup_refuses_a_link_that_leads_outside(tmp_path):
    (tmp_path / "outside.gpx").write_bytes(GPX)
    csv_path = make_export(tmp_path / "export", {"activities/1.gpx": GPX})
    try:
        (csv_path.parent / "activities" / "2.gpx").symlink_to(tmp_path / "outside.gpx")
    except OSError:
        pytest.skip("symbolic links not available")
    assert resolve_in_folder(csv_path, "activities/2.gpx") is None
