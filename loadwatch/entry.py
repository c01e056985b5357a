"""The ``loadwatch`` executable's entry point: a Ctrl-C while loading exits quietly.

Loading the command line takes a moment (click and loadwatch's small modules; the
commands import pandas when they run); a Ctrl-C in that time used to print a Python
traceback of the import.
Here it exits with 130 (the shell's code for "stopped by SIGINT") and prints
nothing; once loaded, :func:`loadwatch.cli.main` answers Ctrl-C itself ("Aborted.",
130).
"""

from __future__ import annotations

import signal

INTERRUPTED = 130
"""Exit code of a run stopped by Ctrl-C: 128 + SIGINT (2), as shells report it."""


def _quiet(signum, frame) -> None:
    raise SystemExit(INTERRUPTED)


def main() -> None:
    """Load the command line with Ctrl-C exiting quietly, then run it."""
    previous = signal.signal(signal.SIGINT, _quiet)
    try:
        from loadwatch.cli import main as run
    finally:
        signal.signal(signal.SIGINT, previous)
    run()
