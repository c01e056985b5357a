"""`loadwatch sync` with service = "folder": a mounted watch copied by content, never twice."""

import json

from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.sync import watch as watch_mod


def athlete(tmp_path, source):
    folder = tmp_path / "ingrid"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text(
        f'[athlete]\nname = "Ingrid"\n[sync]\nservice = "folder"\npath = "{source}"\n')
    return folder


def garmin(tmp_path):
    activity = tmp_path / "GARMIN" / "GARMIN" / "Activity"
    activity.mkdir(parents=True)
    return activity


def sync(folder):
    return CliRunner().invoke(cli, ["sync", str(folder)], catch_exceptions=False)


def test_new_files_are_copied_once_by_content_and_a_deleted_one_stays(tmp_path):
    watch = garmin(tmp_path)
    (watch / "2026-12-01-07-30-00.fit").write_bytes(b"fit one")
    (watch / "2026-12-02-07-30-00.FIT").write_bytes(b"fit two")
    (watch / "notes.txt").write_text("not an activity")
    folder = athlete(tmp_path, watch.parent.parent)
    first = sync(folder)
    assert first.exit_code == 0, first.output
    assert "Ingrid: 2 new activity file(s) copied" in first.stdout
    copies = folder / "watch"
    assert sorted(p.name for p in copies.iterdir() if not p.name.startswith(".")) == [
        "2026-12-01-07-30-00.fit", "2026-12-02-07-30-00.FIT"]
    # Twice: nothing new. Renamed on the watch: the same content, not copied again.
    again = sync(folder)
    assert "0 new activity file(s) copied" in again.stdout and "(2 copied before)" in again.stdout
    (watch / "2026-12-01-07-30-00.fit").rename(watch / "renamed.fit")
    assert "0 new" in sync(folder).stdout
    # The watch deleted its oldest file to make room: the copy stays.
    (watch / "renamed.fit").unlink()
    (watch / "2026-12-03-07-30-00.fit").write_bytes(b"fit three")
    assert "1 new" in sync(folder).stdout
    assert (copies / "2026-12-01-07-30-00.fit").read_bytes() == b"fit one"
    # A copy the user deleted is not brought back: it was copied once.
    (copies / "2026-12-02-07-30-00.FIT").unlink()
    assert "0 new" in sync(folder).stdout


def test_another_file_of_the_same_name_gets_its_own_name(tmp_path):
    watch = garmin(tmp_path)
    (watch / "A1B2C3D4.FIT").write_bytes(b"first watch")
    folder = athlete(tmp_path, watch)
    assert sync(folder).exit_code == 0
    (watch / "A1B2C3D4.FIT").write_bytes(b"second watch, same name")
    assert "1 new" in sync(folder).stdout
    names = sorted(p.name for p in (folder / "watch").iterdir() if not p.name.startswith("."))
    assert len(names) == 2 and "A1B2C3D4.FIT" in names
    (other,) = [n for n in names if n != "A1B2C3D4.FIT"]
    assert other.startswith("A1B2C3D4-") and other.endswith(".FIT")
    assert (folder / "watch" / other).read_bytes() == b"second watch, same name"


def test_a_copy_written_before_a_run_was_killed_is_found_by_content(tmp_path):
    watch = garmin(tmp_path)
    (watch / "run.fit").write_bytes(b"run bytes")
    folder = athlete(tmp_path, watch)
    (folder / "watch").mkdir()
    (folder / "watch" / "run.fit").write_bytes(b"run bytes")    # copied, ledger not written
    result = sync(folder)
    assert "0 new" in result.stdout
    assert [p.name for p in (folder / "watch").iterdir() if not p.name.startswith(".")] == [
        "run.fit"]
    ledger = json.loads((folder / "watch" / ".copied.json").read_text())
    assert list(ledger["copied"].values()) == ["run.fit"]


def test_a_watch_not_mounted_is_one_line_exit_1_and_a_huge_file_is_left(tmp_path, monkeypatch):
    folder = athlete(tmp_path, tmp_path / "not-mounted")
    result = sync(folder)
    assert result.exit_code == 1 and "is the watch connected and mounted?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    watch = garmin(tmp_path)
    (folder / "loadwatch.toml").write_text(
        f'[sync]\nservice = "folder"\npath = "{watch}"\n')
    monkeypatch.setattr(watch_mod, "MAX_FILE_BYTES", 4)
    (watch / "big.fit").write_bytes(b"12345678")
    result = sync(folder)
    assert result.exit_code == 0 and "larger than an activity file can be" in result.stderr
    assert not (folder / "watch" / "big.fit").exists()


def test_a_file_that_grows_while_it_is_read_is_left_for_the_next_sync(tmp_path, monkeypatch):
    watch = garmin(tmp_path)
    (watch / "run.fit").write_bytes(b"first half ")
    folder = athlete(tmp_path, watch)
    real = watch_mod.read_regular

    def written_meanwhile(path, *args, **kwargs):
        if str(path).endswith("run.fit"):
            with open(path, "ab") as fh:      # the watch goes on writing it
                fh.write(b"second half")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(watch_mod, "read_regular", written_meanwhile)
    first = sync(folder)
    assert first.exit_code == 0 and "0 new" in first.stdout
    assert "changed while it was read" in first.stderr
    monkeypatch.setattr(watch_mod, "read_regular", real)
    second = sync(folder)
    assert "1 new" in second.stdout, second.output
    copies = [p for p in (folder / "watch").iterdir() if not p.name.startswith(".")]
    assert [p.read_bytes() for p in copies] == [b"first half second half"]


def test_a_path_with_too_many_names_below_it_is_said_and_not_walked_whole(tmp_path,
                                                                          monkeypatch):
    disk = tmp_path / "disk"          # sync.path = "/" by mistake: few activity files, many others
    for n in range(12):
        (disk / f"dir{n}").mkdir(parents=True)
        (disk / f"dir{n}" / "notes.txt").write_text("x")
    (disk / "dir0" / "run.fit").write_bytes(b"run")
    folder = athlete(tmp_path, disk)
    monkeypatch.setattr(watch_mod, "MAX_FILES", 10)
    walked = []
    real = watch_mod.os.walk
    monkeypatch.setattr(watch_mod.os, "walk",
                        lambda *a, **k: (walked.append(x) or x for x in real(*a, **k)))
    result = sync(folder)
    assert "more than 10 files and folders, nothing copied" in result.stderr
    assert len(walked) < 3 and "0 new" in result.stdout
