"""Shared pieces of the hostile alert and store tests: the CLI in a real process (optionally under RLIMIT_FSIZE), mail settings."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests import story

AS_OF = "2026-11-15"  # the 1.5x long run of Sun 8 Nov makes news
CLI = "import sys; from loadwatch.cli import main; sys.argv[0] = 'loadwatch'; main()"


def smtp_toml(server, *, name: str | None = "Story", athlete_id: str | None = None,
              to: list[str] | None = None, smtp_extra: str = "") -> str:
    """A loadwatch.toml for an athlete that mails ``to`` (none: no [alert]) through ``server``."""
    lines = ["[athlete]"]
    if name is not None:
        lines.append(f'name = "{name}"')
    if athlete_id is not None:
        lines.append(f'id = "{athlete_id}"')
    lines.append('timezone = "Europe/Oslo"')
    to = ["runner@example.org"] if to is None else to
    if to:
        lines += ["[alert]", "to = [" + ", ".join(f'"{a}"' for a in to) + "]"]
    lines.append("[smtp]")
    for key, value in server.settings().items():
        lines.append(f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}")
    return "\n".join(lines) + "\n" + smtp_extra


def runner(folder: Path, server, **toml) -> Path:
    """The story runner's folder, mailing through ``server``."""
    return story.write(folder, toml=smtp_toml(server, **toml))


def alert_args(folder: Path, cache: Path, *extra: str, as_of: str = AS_OF) -> list[str]:
    return ["alert", str(folder), "--as-of", as_of, "--cache-dir", str(cache), *extra]


def _limits(fsize: int | None):
    if fsize is None:
        return None

    def apply() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return apply


def start_cli(args: list[str], *, fsize: int | None = None, env: dict | None = None
              ) -> subprocess.Popen:
    """``loadwatch ARGS`` in its own process (optionally with a file size limit in bytes)."""
    return subprocess.Popen([sys.executable, "-c", CLI, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_limits(fsize),
                            env={**os.environ, **(env or {})})


def run_cli(args: list[str], *, fsize: int | None = None, timeout: float = 120,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``loadwatch ARGS`` to the end in its own process; killed after ``timeout`` s."""
    proc = start_cli(args, fsize=fsize, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"loadwatch {' '.join(args)} still ran after {timeout} s: {err}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
