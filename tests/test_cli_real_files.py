"""Issue 17, real files: what a folder holds that loadwatch does not read, and odd zips,
through the CLI."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers import fitgen

START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def runner():
    return CliRunner()


def timeline(runner, tmp_path, *paths):
    return runner.invoke(cli, ["timeline", *map(str, paths), "--cache-dir", str(tmp_path / "c")],
                         catch_exceptions=False)


def encrypted_zip(name: str, data: bytes) -> bytes:
    """A zip whose one member is marked encrypted (bit 0 of its flags), as a zip made with
    a password is; zipfile cannot write one."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    raw = bytearray(buf.getvalue())
    local = raw.index(b"PK\x03\x04")
    central = raw.index(b"PK\x01\x02")
    raw[local + 6] |= 1
    raw[central + 8] |= 1
    return bytes(raw)


def test_an_encrypted_zip_member_is_one_plain_line(runner, tmp_path):
    """Issue 17 (weak): the message was zipfile's dump of the member's ZipInfo."""
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "ok.fit").write_bytes(fitgen.activity(START, [fitgen.Leg(seconds=600)]))
    (folder / "locked.zip").write_bytes(encrypted_zip("run.fit", fitgen.activity(START)))
    result = timeline(runner, tmp_path, folder)
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "locked.zip" in x]
    assert line.endswith("cannot read 'run.fit' from the zip: it is encrypted (password-"
                         "protected); unpack it with its password and import the files")
    assert "ZipInfo" not in result.stderr


OPENTRACKS_CSV = (
    '"time","trackpoint_type","latitude","longitude","altitude","accuracy_horizontal",'
    '"accuracy_vertical","speed","altitude_gain","altitude_loss","sensor_distance",'
    '"heartrate","cadence","power"\n'
    '"2026-11-01T08:00:00Z","SEGMENT_START_AUTOMATIC","","","","","","","","","","","",""\n'
    '"2026-11-01T08:00:01Z","TRACKPOINT","59.000000","10.750000","12.0","5","","2.9","","",'
    '"","140","",""\n')

UNREAD = {"Morning.kml": b"<kml/>", "track.KMZ": b"PK\x03\x04", "run.sml": b"<sml/>",
          "ride.hrm": b"[Params]\n", "ride.pwx": b"<pwx/>", "ride.slf": b"<Activity/>",
          "2026-11-01 track.csv": OPENTRACKS_CSV.encode()}


def test_a_folder_of_only_unread_formats_lists_each_with_its_format(runner, tmp_path):
    """Issue 17: they passed without a word, and the folder said "no activities found"."""
    folder = tmp_path / "watch"
    folder.mkdir()
    for name, data in UNREAD.items():
        (folder / name).write_bytes(data)
    result = timeline(runner, tmp_path, folder)
    assert result.exit_code == 2
    skipped = {line.split(": ", 2)[1].rsplit("/", 1)[-1]: line.split(": ", 2)[2]
               for line in result.stderr.splitlines() if line.startswith("Skipped: ")}
    assert set(skipped) == set(UNREAD)
    assert skipped["run.sml"] == ("a Suunto SML file (Suunto app / Movescount), a format "
                                  "loadwatch does not read; export the activity as FIT, GPX or "
                                  "TCX to count it")
    assert skipped["track.KMZ"].startswith("a KMZ file")
    assert skipped["2026-11-01 track.csv"].startswith("an OpenTracks CSV track, a format")
    assert "no activities found" in result.stderr


def test_unread_formats_beside_activities_are_listed_by_import(runner, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "run.fit").write_bytes(fitgen.activity(START, [fitgen.Leg(seconds=600)]))
    (folder / "run.sml").write_bytes(b"<sml/>")
    (folder / "notes.csv").write_bytes(b"date,weight\n2026-11-01,70\n")  # no activity format
    result = runner.invoke(cli, ["import", str(folder), "--cache-dir", str(tmp_path / "c")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "skipped:           1 (not activities)" in result.stdout
    assert "run.sml: a Suunto SML file" in result.stdout and "notes.csv" not in result.stdout


def test_an_opentracks_csv_is_not_taken_for_a_strava_export(runner, tmp_path):
    """Issue 17: named on the command line, it was read as a Strava activities.csv in
    another language ("no 'Activity Date' column")."""
    path = tmp_path / "track.csv"
    path.write_text(OPENTRACKS_CSV)
    result = timeline(runner, tmp_path, path)
    assert result.exit_code == 2
    assert "Activity Date" not in result.stderr
    assert (f"Skipped: {path}: an OpenTracks CSV track, a format loadwatch does not read"
            in result.stderr)
