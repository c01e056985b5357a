"""Refresh the ``--help`` transcripts in README.md and docs/*.md from the program itself.

Each block of the form::

    ```console
    $ loadwatch report --help
    ...
    ```

is the output of that command on a 100-column terminal. tests/test_readme.py fails
when one differs from the program; this rewrites them all:

    .venv/bin/python tools/readme_help.py          # or: make readme
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
"""The user's pages: the README and the reference under docs/."""
PAGES = [README, *DOCS]
WIDTH = 100
"""Terminal width the transcripts are made at. [columns]"""

BLOCK = re.compile(r"(```console\n\$ (loadwatch [^\n]*--help)\n)(.*?)(```)", re.S)


def help_text(command: str) -> str:
    """What ``command`` (``loadwatch ... --help``) prints on a 100-column terminal."""
    from click.testing import CliRunner

    from loadwatch.cli import cli

    args = shlex.split(command)[1:]
    # click leaves two columns free on a real terminal: a 100-column one wraps at 98.
    result = CliRunner().invoke(cli, args, prog_name="loadwatch", terminal_width=WIDTH - 2)
    if result.exit_code != 0:
        raise RuntimeError(f"{command} exited {result.exit_code}: {result.output}")
    return result.output


def transcripts(text: str) -> list[tuple[str, str]]:
    """``(command, output as written)`` for every transcript block of one page."""
    return [(m.group(2), m.group(3)) for m in BLOCK.finditer(text)]


def refreshed(text: str) -> str:
    """The page with every transcript replaced by the program's output."""
    return BLOCK.sub(lambda m: m.group(1) + help_text(m.group(2)) + m.group(4), text)


def main() -> int:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        new = refreshed(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"Refreshed the --help transcripts in {page.relative_to(ROOT)}")
    print("Every --help transcript is what the program prints")
    return 0


if __name__ == "__main__":
    sys.exit(main())
