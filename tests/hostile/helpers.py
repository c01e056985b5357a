"""Small files and a time-limited CLI runner for the hostile-input tests."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from loadwatch.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def gpx(start: str = "2026-11-10T07:00:00Z", name: str = "Morning run", points: int = 20) -> bytes:
    """A small GPX run of ``points`` points a minute and ~110 m apart, starting at ``start``."""
    from datetime import datetime, timedelta

    t0 = datetime.fromisoformat(start.replace("Z", "+00:00"))
    pts = "".join(
        f'<trkpt lat="{59.9 + i * 0.001:.4f}" lon="10.7"><ele>{10 + i}</ele>'
        f"<time>{(t0 + timedelta(minutes=i)).isoformat().replace('+00:00', 'Z')}</time></trkpt>"
        for i in range(points))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name><type>running</type>'
            f"<trkseg>{pts}</trkseg></trk></gpx>").encode()


def invoke(*args: str, input: str | None = None):
    """The CLI in-process, as the other CLI tests run it."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def limit_memory(limit_bytes: int):
    """A ``preexec_fn`` capping the child's address space, so a runaway read fails fast."""
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    return apply


def run_cli(*args: str, timeout: float = 60, cwd: Path | None = None, env: dict | None = None,
            memory: int = 2 << 30) -> subprocess.CompletedProcess:
    """``loadwatch ARGS`` in a child process through the real entry point.

    The child is killed after ``timeout`` seconds and cannot map more than ``memory``
    bytes. Used where the bug being guarded against blocks forever (a FIFO), eats
    memory (a link to /dev/zero) or kills the process (a segfault), or where the exit
    code of ``main()`` itself matters: a regression fails the test, not the machine.
    """
    code = "import sys; from loadwatch.cli import main; sys.argv[0] = 'loadwatch'; main()"
    return subprocess.run([sys.executable, "-c", code, *map(os.fspath, args)], capture_output=True,
                          timeout=timeout, cwd=cwd, env=env, preexec_fn=limit_memory(memory))


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise TimeoutError in the block after ``seconds`` (a blocked open() is interrupted too)."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
