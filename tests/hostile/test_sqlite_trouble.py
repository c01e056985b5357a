"""Issue 11, item 2: a passing SQLite trouble is not corruption; damage rebuilds only the cache.

A full disk (``RLIMIT_FSIZE`` in a real process) and a lock held by another
program delete nothing: the report still prints, the run exits 1, and the alert
history survives. A bad index page in the parse cache rebuilds the cache only;
one in the alert state is backed up and repaired, and nothing is sent twice.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import platformdirs
from click.testing import CliRunner

from loadwatch.alerts import state as state_mod
from loadwatch.cli import cli
from loadwatch.importers import cache as store
from tests.hostile.mailrun import AS_OF, alert_args, run_cli, runner
from tests.smtp_server import SmtpServer

LIMIT = 1024
"""File size limit for the disk-full runs: smaller than any SQLite page write. [bytes]"""


def rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM files").fetchone()[0]


def spoil_index(db: Path) -> None:
    """Overwrite the first page of the database's (first) index with garbage."""
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                           "ORDER BY name LIMIT 1").fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\x0d\xff\xff\xff" + b"\xa5" * (size - 4))


def test_a_full_disk_deletes_nothing_and_sends_nothing_twice(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        cache = tmp_path / "cache"
        first = run_cli(alert_args(folder, cache, as_of="2026-11-15"))
        assert first.returncode == 0 and len(server.messages) == 1, first.stderr
        # A week on, news (a red flag in the diary), but nothing can be written.
        with open(folder / "pain.csv", "a") as fh:
            fh.write("2026-11-20,6,inner knee,left,sudden,pop;giving_way,\n")
        week_on = "2026-11-22"
        full = run_cli(alert_args(folder, cache, as_of=week_on), fsize=LIMIT)
        assert full.returncode == 1, full.stderr
        assert "Error: alert state" in full.stderr and "e-mail was not sent" in full.stderr
        assert "nothing was deleted" in full.stderr
        assert "Traceback" not in full.stderr and "unexpected" not in full.stderr
        assert len(server.messages) == 1
        assert rows(cache / store.DB_NAME) >= 1
        again = run_cli(alert_args(folder, cache, as_of=week_on))
        assert again.returncode == 0, again.stderr
        assert len(server.messages) == 2, "the alert history was lost and everything re-sent"
        body = server.messages[1].get_body(("plain",)).get_content()
        assert "CHECK NOW" in body and "a pop" in body
        assert "Your 30.0 km run on Sun 8 Nov" not in body  # only the new ones
        assert run_cli(alert_args(folder, cache, as_of=week_on)).returncode == 0
        assert len(server.messages) == 2


def test_a_report_still_prints_on_a_full_disk(tmp_path):
    folder = runner(tmp_path / "story", SmtpServer(tmp_path))
    cache = tmp_path / "cache"
    args = ["report", str(folder), "--as-of", AS_OF, "--cache-dir", str(cache)]
    assert run_cli(args).returncode == 0
    before = rows(cache / store.DB_NAME)
    (folder / "more.gpx").write_text(_gpx())
    full = run_cli(args, fsize=LIMIT)
    assert full.returncode == 1, full.stderr
    assert "Error: cache" in full.stderr and "nothing was deleted" in full.stderr
    assert len([line for line in full.stderr.splitlines() if "cache" in line]) == 1
    assert "Story" in full.stdout  # the report itself
    assert rows(cache / store.DB_NAME) == before


def test_a_locked_cache_is_left_alone_and_the_report_prints(tmp_path, monkeypatch):
    folder = runner(tmp_path / "story", SmtpServer(tmp_path))
    cache = tmp_path / "cache"
    args = ["report", str(folder), "--as-of", AS_OF, "--cache-dir", str(cache)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = rows(cache / store.DB_NAME)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
         "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)",
         str(cache / store.DB_NAME)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(store.Store, "busy_timeout", 0.3)
        (folder / "more.gpx").write_text(_gpx())
        locked = CliRunner().invoke(cli, args)
    finally:
        holder.kill()
        holder.wait()
    assert locked.exit_code == 1, locked.output
    assert "locked by another program" in locked.stderr
    assert "Story" in locked.stdout
    assert rows(cache / store.DB_NAME) == before


def test_a_read_only_cache_is_read_and_left_alone(tmp_path, monkeypatch):
    # As root, file modes do not stop writes; SQLite's query_only makes the same error.
    folder = runner(tmp_path / "story", SmtpServer(tmp_path))
    cache = tmp_path / "cache"
    args = ["import", str(folder), "--cache-dir", str(cache)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = rows(cache / store.DB_NAME)
    connect = store.Store._connect

    def read_only(self):
        conn = connect(self)
        conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(store.Store, "_connect", read_only)
    (folder / "more.gpx").write_text(_gpx())
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "read-only" in result.stderr and "nothing was deleted" in result.stderr
    assert "from cache:        1" in result.stdout  # read from the cache, summary printed
    assert rows(cache / store.DB_NAME) == before


def test_a_bad_index_page_rebuilds_only_the_parse_cache(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        cache = tmp_path / "cache"
        assert CliRunner().invoke(cli, alert_args(folder, cache)).exit_code == 0
        spoil_index(cache / store.DB_NAME)
        imported = CliRunner().invoke(cli, ["import", str(folder), "--cache-dir", str(cache)])
        assert imported.exit_code == 0, imported.output
        assert "is damaged" in imported.stderr and "rebuilding" in imported.stderr
        warm = CliRunner().invoke(cli, ["import", str(folder), "--cache-dir", str(cache)])
        assert warm.exit_code == 0 and "damaged" not in warm.stderr
        again = CliRunner().invoke(cli, alert_args(folder, cache))
        assert again.exit_code == 0 and "0 new item" in again.stderr
        assert len(server.messages) == 1


def test_a_damaged_alert_state_is_backed_up_and_repaired_without_resending(tmp_path):
    states = state_mod.state_dir()
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        cache = tmp_path / "cache"
        assert CliRunner().invoke(cli, alert_args(folder, cache)).exit_code == 0
        spoil_index(states / state_mod.DB_NAME)
        again = CliRunner().invoke(cli, alert_args(folder, cache))
        assert again.exit_code == 0, again.output
        assert "alert state" in again.stderr and "was damaged" in again.stderr
        assert "0 new item" in again.stderr and len(server.messages) == 1
        (backup,) = states.glob(f"{state_mod.DB_NAME}.damaged-*")
        assert backup.stat().st_size > 0


def test_an_unreadable_alert_state_stops_the_run_before_anything_is_sent(tmp_path):
    states = state_mod.state_dir()
    states.mkdir(parents=True, exist_ok=True)
    (states / state_mod.DB_NAME).write_bytes(b"not a database at all " * 200)
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 1, result.output
        assert "nothing was sent" in result.stderr and "move" in result.stderr
        assert not server.messages
        assert list(states.glob(f"{state_mod.DB_NAME}.damaged-*"))


def test_the_alert_state_lives_in_the_user_state_folder_apart_from_the_cache(tmp_path,
                                                                              monkeypatch):
    monkeypatch.delenv(state_mod.STATE_ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    expected = Path(platformdirs.user_state_dir("loadwatch"))
    assert state_mod.state_dir() == expected
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        cache = tmp_path / "cache"
        assert CliRunner().invoke(cli, alert_args(folder, cache)).exit_code == 0
    assert (expected / state_mod.DB_NAME).is_file()
    with sqlite3.connect(cache / store.DB_NAME) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(store.TABLES)  # the parse cache only: no alert state in it
    assert not [p for p in folder.rglob("*") if "sqlite" in p.name or "lock" in p.name]


def _gpx() -> str:
    points = "".join(
        f'<trkpt lat="{59.9 + i * 0.0005:.4f}" lon="10.75"><time>2026-11-20T07:{i:02d}:00Z</time>'
        "</trkpt>" for i in range(40))
    return ('<?xml version="1.0"?><gpx version="1.1" creator="test" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
            f"{points}</trkseg></trk></gpx>")
