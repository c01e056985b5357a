"""Progress bars: on stderr when it is a terminal (a pseudo-terminal here), never on a pipe,
never with --quiet; one helper (loadwatch.progress) for every long job."""

import contextlib
import io
import os
import select
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from loadwatch import progress

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "runner"
pty = pytest.importorskip("pty", reason="pseudo-terminals are Unix's")


def run_on_pty(args: list[str], tmp_path: Path) -> tuple[int, bytes, bytes]:
    """Run ``python -m loadwatch ARGS`` with stderr on a pseudo-terminal, stdout on a pipe."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120",
           "LOADWATCH_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "loadwatch", *args], stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            pytest.fail("no output from loadwatch for 60 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = proc.stdout.read()
    return proc.wait(timeout=60), out, seen


def test_import_shows_a_bar_with_counts_and_rate_on_a_terminal(tmp_path):
    code, out, terminal = run_on_pty(["import", str(SAMPLE), "--no-cache"], tmp_path)
    assert code == 0, terminal
    text = terminal.decode("utf-8", "replace")
    assert f"Reading {SAMPLE}" in text
    assert "/99 files" in text                     # the count of the folder's files
    assert "files/s" in text                       # and the rate
    assert "━" in text                             # a bar
    assert b"Files seen:" in out and b"files/s" not in out   # the summary is stdout's, clean


def test_report_on_a_cold_cache_shows_the_bar_and_keeps_stdout_clean(tmp_path):
    code, out, terminal = run_on_pty(["report", str(SAMPLE), "--as-of", "2026-11-22"], tmp_path)
    assert code == 0, terminal
    assert b"/99 files" in terminal and b"files/s" in terminal
    assert out.startswith(b"loadwatch weekly report: Ingrid")
    assert b"\x1b[" not in out and b"files/s" not in out


def test_quiet_silences_the_bar_on_a_terminal(tmp_path):
    code, out, terminal = run_on_pty(["import", str(SAMPLE), "--no-cache", "--quiet"], tmp_path)
    assert code == 0
    assert b"files/s" not in terminal and b"Reading" not in terminal
    assert b"Files seen:" in out


def test_squad_shows_its_athletes_bar_on_a_terminal(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    for name in ("ann", "bob"):
        (team / name).symlink_to(SAMPLE, target_is_directory=True)
    code, out, terminal = run_on_pty(["squad", str(team), "--no-cache", "--follow-links",
                                      "--as-of", "2026-11-22", "--workers", "1"], tmp_path)
    assert code == 0, terminal
    assert b"Athletes" in terminal and b"/2 athletes" in terminal and b"athletes/s" in terminal


def test_no_bar_on_a_pipe():
    proc = subprocess.run([sys.executable, "-m", "loadwatch", "import", str(SAMPLE), "--no-cache"],
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0
    assert proc.stderr == b""        # nothing at all: no bar, no escape codes
    assert b"Files seen:" in proc.stdout


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_nested_bars_share_one_display_and_clear_themselves():
    stream = FakeTerminal()
    bars = progress.bars(stream=stream)
    with bars("Reading team", 3) as outer:
        for _ in range(3):
            with bars("Reading export.xml", 2_000_000, "bytes") as inner:
                inner.update(2_000_000)
            outer.update(1)
    text = stream.getvalue()
    assert "Reading team" in text and "Reading export.xml" in text
    assert "/3 files" in text and "2.0 MB/2.0 MB" in text
    assert bars._progress is None          # the display ended with its last bar


def test_no_bars_when_not_a_terminal_or_quiet():
    assert progress.bars(stream=io.StringIO()) is None
    assert progress.bars(enabled=False, stream=FakeTerminal()) is None
    assert progress.bars(stream=FakeTerminal()) is not None


def test_a_cold_import_opens_its_bar_first_and_moves_it_while_the_workers_parse(tmp_path,
                                                                                monkeypatch):
    # issue 23: the bar opened only after every file had been parsed in the worker processes.
    from loadwatch.importers import reader, scan
    from tests.test_import_cache import fit_folder

    n = reader.POOL_MIN_FILES * 3
    folder = fit_folder(tmp_path / "runs", n)
    log = tmp_path / "parsed.log"
    parse = reader.read_activity_file

    def logged(data, path):
        # Runs in the worker processes (forked with this patch): one line per file parsed.
        out = parse(data, path)
        time.sleep(0.004)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")
        return out

    def parsed() -> int:
        return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0

    monkeypatch.setattr(reader, "read_activity_file", logged)
    events = []

    class Bar:
        def update(self, k):
            events.append(("update", k, parsed()))

    @contextlib.contextmanager
    def progress(label, total, unit="files"):
        events.append(("open", total, parsed()))
        yield Bar()

    activities, report = scan.import_paths([folder], progress=progress, workers=2)
    assert len(activities) == n and report.parsed == n
    assert events[0] == ("open", n, 0)                       # before any file is parsed
    updates = [e for e in events if e[0] == "update"]
    assert updates[0][2] < n                                 # moving while workers still parse
    assert sum(k for _, k, _ in updates) == n                # each file counted once
    assert len(updates) >= n // reader.POOL_BATCH            # in steps, not in one jump



def test_writing_a_squad_page_counts_the_athletes_it_writes(tmp_path):
    # issue 23: the bar ended with the athletes; writing each one's part of the page came after.
    from loadwatch import squad
    from loadwatch.report import squad as views

    team = tmp_path / "team"
    team.mkdir()
    for name in ("ann", "bob", "cat"):
        (team / name).symlink_to(SAMPLE, target_is_directory=True)
    result = squad.run(team, as_of=date(2026, 11, 22), cache_dir=str(tmp_path / "c"),
                       workers=1, follow_links=True)
    stream = FakeTerminal()
    page = views.render_html(squad.to_json(result), squad.page_parts(result),
                             progress=progress.bars(stream=stream))
    assert page.count('class="spark') >= 3
    assert "Writing the squad page" in stream.getvalue() and "3/3 athletes" in stream.getvalue()
