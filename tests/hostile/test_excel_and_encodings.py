"""Issue 11, item 14: a diary saved by Excel is read with a note, not refused; Latin-1 GPX and
CSV text is not mangled."""

from __future__ import annotations

import codecs
import gzip

import pytest

from loadwatch import pain
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.strava import read_activities_csv
from tests.hostile.helpers import gpx, invoke

ROWS = ["date,severity,location,side,onset,symptoms,notes",
        "2026-11-10,3,genou intérieur,left,gradual,,après la côte – dur",
        "2026-11-12,1,knee,,,,ok"]


def _entries(diary):
    return list(zip(diary.entries["location"], diary.entries["notes"], strict=True))


EXPECTED = [("genou intérieur", "après la côte – dur"), ("knee", "ok")]


@pytest.mark.parametrize(("name", "data", "note"), [
    ("cp1252", "\r\n".join(ROWS).encode("cp1252") + b"\r\n", "saved as Windows-1252"),
    ("utf-16", codecs.BOM_UTF16_LE + "\r\n".join(ROWS).encode("utf-16-le"), "saved as UTF-16"),
    ("utf-16 tabs", codecs.BOM_UTF16_LE + "\r\n".join(r.replace(",", "\t") for r in ROWS)
     .encode("utf-16-le"), "separated by tabs"),
    ("semicolons", "\n".join(r.replace(",", ";") for r in ROWS).encode("utf-8-sig"),
     "separated by ';'"),
    ("extra column", "\n".join([ROWS[0] + ",Column1", ROWS[1] + ",x", ROWS[2] + ","])
     .encode("utf-8"), "column 'column1' is not part of the diary; ignored"),
])
def test_excel_diaries_are_read_with_a_note(tmp_path, name, data, note):
    path = tmp_path / "pain.csv"
    path.write_bytes(data)
    diary = pain.read_diary(path)
    assert _entries(diary) == EXPECTED and not diary.errors
    assert any(note in n for n in diary.notes), diary.notes


def test_columns_in_another_order(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_text("notes,date,severity,location,side,onset,symptoms\nok,2026-11-12,1,knee,,,\n")
    diary = pain.read_diary(path)
    assert _entries(diary) == [("knee", "ok")] and not diary.notes


@pytest.mark.parametrize("codec", ["cp1252", "utf-16-le"])
def test_pain_add_keeps_the_files_encoding_and_separator(tmp_path, codec):
    path = tmp_path / "pain.csv"
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else b""
    path.write_bytes(bom + "\r\n".join(r.replace(",", ";") for r in ROWS).encode(codec) + b"")
    before = path.read_bytes()
    result = invoke("pain", "add", "--pain", path, "--date", "2026-11-14", "--severity", "2",
                    "--location", "rotule", "--note", "été")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)  # the old bytes are kept exactly
    added = after[len(before):].decode(codec)
    assert added == "\r\n2026-11-14;2;rotule;;;;été\r\n"
    assert _entries(pain.read_diary(path))[-1] == ("rotule", "été")


def test_pain_add_refuses_characters_the_encoding_cannot_hold(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_bytes("\n".join(ROWS).encode("cp1252") + b"\n")
    before = path.read_bytes()
    result = invoke("pain", "add", "--pain", path, "--date", "2026-11-14", "--severity", "2",
                    "--note", "sore 😣")
    assert result.exit_code == 2 and "Windows-1252" in result.stderr
    assert path.read_bytes() == before


def test_report_and_pain_list_show_the_note(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx())
    (folder / "pain.csv").write_bytes("\r\n".join(ROWS).encode("cp1252"))
    result = invoke("report", folder, "--no-cache", "--as-of", "2026-11-12")
    assert result.exit_code == 0 and "saved as Windows-1252" in result.stderr
    assert "genou intérieur" in result.stdout or "genou" in result.stdout
    result = invoke("pain", "list", "--pain", folder / "pain.csv")
    assert result.exit_code == 0 and "Note:" in result.stderr and "genou intérieur" in result.stdout


LATIN = "Løp på Østmarka – tåke"


@pytest.mark.parametrize(("label", "data"), [
    ("declared ISO-8859-1", gpx(name="Løp på Østmarka").decode()
     .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")),
    ("declared windows-1252", gpx(name=LATIN).decode()
     .replace('encoding="UTF-8"', 'encoding="windows-1252"').encode("cp1252")),
    ("undeclared Latin-1", gpx(name="Løp på Østmarka").decode()
     .replace('<?xml version="1.0" encoding="UTF-8"?>\n', "").encode("latin-1")),
    ("UTF-16", codecs.BOM_UTF16_LE + gpx(name=LATIN).decode()
     .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")),
])
def test_latin1_gpx_names_are_not_mangled(label, data):
    (act,) = read_activity_file(data, "x.gpx")
    assert act.name in (LATIN, "Løp på Østmarka")
    (again,) = read_activity_file(gzip.compress(data), "x.gpx.gz")
    assert again.name == act.name


def test_latin1_tcx_reads():
    tcx = ('<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running">'
           "<Id>2026-11-10T07:00:00Z</Id><Lap><TotalTimeSeconds>600</TotalTimeSeconds>"
           "<DistanceMeters>2000</DistanceMeters><Notes>Løp</Notes></Lap></Activity></Activities>"
           "</TrainingCenterDatabase>").encode("latin-1")
    (act,) = read_activity_file(tcx, "x.tcx")
    assert act.distance_m == 2000


def test_a_strava_csv_saved_as_windows_1252(tmp_path):
    data = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
            f'1,"Nov 10, 2026, 7:00:00 AM",{LATIN},Run,1200,2.20,\n').encode("cp1252")
    result = read_activities_csv(data, "activities.csv")
    assert [r.activity.name for r in result.rows] == [LATIN] and not result.errors
