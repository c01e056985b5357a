"""loadwatch.importers.scan through :func:`import_paths`: the folder walk (order, hidden files,
sub-folders, links), what is skipped or left unread and why, and Strava exports inside folders.

The hostile cases of the walk (FIFOs, devices, links out of the folder) are in
tests/hostile/test_special_files.py; the exports' own formats in test_strava.py and
test_garmin_exports.py."""

from __future__ import annotations

import os

from loadwatch.importers.scan import import_paths
from tests.hostile.helpers import deadline, gpx

STRAVA_HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
                 "Filename\n")


def names(activities) -> list[str]:
    return [a.name for a in activities]


def by_name(pairs) -> dict[str, str]:
    return {os.path.basename(p): why for p, why in pairs}


# -- the folder walk -------------------------------------------------------------------------

def test_a_folders_files_by_name_then_its_sub_folders(tmp_path):
    # Written out of order, read in the walk's order: a.gpx, b.gpx, then the sub-folder's c.gpx.
    (tmp_path / "z-sub").mkdir()
    (tmp_path / "z-sub" / "c.gpx").write_bytes(gpx("2026-11-12T07:00:00Z", "C run"))
    (tmp_path / "b.gpx").write_bytes(gpx("2026-11-11T07:00:00Z", "B run"))
    (tmp_path / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "A run"))
    activities, report = import_paths([tmp_path])
    assert names(activities) == ["A run", "B run", "C run"]
    assert (report.files_seen, report.parsed, report.activities) == (3, 3, 3)
    assert (report.skipped, report.errors, report.notes) == ([], [], [])


def test_hidden_files_and_folders_are_left_out(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx(name="Seen"))
    (tmp_path / ".e.gpx").write_bytes(gpx(name="Hidden file"))
    (tmp_path / ".sync").mkdir()
    (tmp_path / ".sync" / "d.gpx").write_bytes(gpx(name="Hidden folder"))
    activities, report = import_paths([tmp_path])
    assert names(activities) == ["Seen"] and report.files_seen == 1


def test_loadwatchs_own_files_and_other_files_are_not_activities(tmp_path):
    # loadwatch.toml and pain.csv belong to the athlete folder; a .txt is nobody's business:
    # none is read, counted or reported.
    (tmp_path / "a.gpx").write_bytes(gpx(name="Run"))
    (tmp_path / "loadwatch.toml").write_text('[athlete]\nname = "A"\n')
    (tmp_path / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n")
    (tmp_path / "notes.txt").write_text("felt good")
    activities, report = import_paths([tmp_path])
    assert names(activities) == ["Run"]
    assert (report.files_seen, report.skipped, report.errors, report.notes) == (1, [], [], [])


def test_an_activity_with_another_name_is_read_by_its_content(tmp_path):
    (tmp_path / "downloaded.dat").write_bytes(gpx(name="By content"))
    activities, report = import_paths([tmp_path])
    assert names(activities) == ["By content"] and report.errors == []


def test_links_inside_the_folder_are_read(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.gpx").write_bytes(gpx("2026-11-12T07:00:00Z", "Inner"))
    (tmp_path / "c-link.gpx").symlink_to(tmp_path / "sub" / "c.gpx")
    activities, report = import_paths([tmp_path])
    # The link and its file are two files here; the timeline drops the second recording.
    assert sorted(names(activities)) == ["Inner", "Inner", "Tuesday run"]
    assert not report.skipped


def test_a_link_cycle_ends(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    (tmp_path / "loop").symlink_to(tmp_path)
    with deadline(20):
        activities, _ = import_paths([tmp_path], follow_links=True)
    assert names(activities) == ["Tuesday run"]


# -- skipped, unread, failed -------------------------------------------------------------------

def test_a_broken_link_is_skipped_with_a_note(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    (tmp_path / "gone.gpx").symlink_to(tmp_path / "nowhere.gpx")
    activities, report = import_paths([tmp_path])
    assert len(activities) == 1 and "broken link" in by_name(report.skipped)["gone.gpx"]


def test_a_format_loadwatch_does_not_read_is_skipped_with_what_to_do(tmp_path):
    (tmp_path / "track.kml").write_text("<kml/>")
    activities, report = import_paths([tmp_path])
    assert activities == [] and report.errors == []
    assert by_name(report.skipped) == {"track.kml": (
        "a KML file (Google Earth; OpenTracks and Google export tracks so), a format loadwatch "
        "does not read; export the activity as FIT, GPX or TCX to count it")}


def test_an_activity_file_that_cannot_be_read_is_an_error_and_the_rest_count(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx(name="Run"))
    (tmp_path / "broken.fit").write_bytes(b"not a fit file at all")
    activities, report = import_paths([tmp_path])
    assert names(activities) == ["Run"]
    assert by_name(report.errors) == {"broken.fit": "unknown format (not FIT, GPX or TCX)"}
    assert (report.files_seen, report.parsed) == (2, 2)


def test_export_lookalikes_are_named_and_left_out(tmp_path):
    (tmp_path / "export.xml").write_text("<x/>")
    (tmp_path / "other.json").write_text("{}")
    activities, report = import_paths([tmp_path])
    assert activities == [] and report.errors == []
    assert report.notes == [
        f"{tmp_path / 'export.xml'}: named like an Apple Health export but not one (no "
        "<HealthData> root); left out",
        f"{tmp_path / 'other.json'}: a JSON file that is not a Garmin Connect summary of "
        "activities (*_summarizedActivities.json); left out"]


def test_a_missing_path_is_an_error_and_the_others_are_read(tmp_path):
    (tmp_path / "a.gpx").write_bytes(gpx(name="Run"))
    activities, report = import_paths([tmp_path / "nowhere", tmp_path])
    assert names(activities) == ["Run"]
    assert report.errors == [(str(tmp_path / "nowhere"), "no such file or folder")]


# -- exports inside folders --------------------------------------------------------------------

def strava_export(folder):
    """A Strava export in ``folder``: a row with its file, a row whose file is missing, and a
    manual entry without one."""
    (folder / "activities").mkdir(parents=True)
    (folder / "activities" / "1.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "From the file"))
    (folder / "activities.csv").write_text(
        STRAVA_HEADER
        + '1,"Nov 10, 2026, 7:00:00 AM",Row one,Run,1200,5.0,activities/1.gpx\n'
        + '2,"Nov 11, 2026, 7:00:00 AM",Row two,Run,1800,6.0,activities/2.gpx\n'
        + '3,"Nov 12, 2026, 7:00:00 AM",Manual,Run,1500,4.0,\n')


def test_an_export_inside_an_athlete_folder(tmp_path):
    strava_export(tmp_path / "strava")
    (tmp_path / "loose.gpx").write_bytes(gpx("2026-11-13T07:00:00Z", "Loose"))
    activities, report = import_paths([tmp_path])
    # Row one is read from its file (the GPX track: 19 points ~111 m apart, 2.1 km, not the
    # row's 5.0 km) under the row's name; the file is not read a second time by the walk. Row
    # two's file is missing: its summary counts (6.0 km) and the problem is named. The manual
    # entry counts as it is (4.0 km). The loose file beside the export is read as usual.
    got = [(a.name, a.source, round(a.distance_m or 0, -2)) for a in activities]
    assert got == [("Row one", "gpx", 2100.0), ("Row two", "strava_csv", 6000.0),
                   ("Manual", "strava_csv", 4000.0), ("Loose", "gpx", 2100.0)]
    assert report.errors == [(str(tmp_path / "strava" / "activities" / "2.gpx"),
                              "file not found; used the summary on line 3 of activities.csv "
                              "instead")]
    # The CSV, the one file it names that is there, and the loose file.
    assert (report.files_seen, report.parsed, report.activities) == (3, 3, 4)
