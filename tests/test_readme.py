"""The README and docs/ pages: their commands exist and take the options they show; every
command has help; the ``--help`` blocks are what the program prints; the README stays a page a
newcomer reads, and every link between the pages leads somewhere."""

import difflib
import importlib.util
import re
import shlex
from pathlib import Path

import click
import pytest

from loadwatch.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TOOL = ROOT / "tools" / "readme_help.py"
COMMANDS = ROOT / "docs" / "commands.md"
README_MAX_LINES = 200
"""The README gets a newcomer going; the reference lives under docs/. [lines]"""


def _tool():
    spec = importlib.util.spec_from_file_location("readme_help", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


readme_help = _tool()


def commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*prefix, name))


def readme_invocations():
    text = "\n".join(p.read_text(encoding="utf-8") for p in readme_help.PAGES)
    for block in re.findall(r"```(?:sh|cron)\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#")[0].split(">>")[0].strip()
            if "loadwatch " in line and not line.startswith("make"):
                words = shlex.split(line[line.index("loadwatch "):])
                yield words[1:]


@pytest.mark.parametrize("path, cmd", list(commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help(path, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, path


@pytest.mark.parametrize("words", list(readme_invocations()), ids=" ".join)
def test_readme_examples_name_real_commands_and_options(words):
    cmd: click.Command = cli
    while isinstance(cmd, click.Group) and words and words[0] in cmd.commands:
        cmd, words = cmd.commands[words[0]], words[1:]
    assert not isinstance(cmd, click.Group), f"README shows an unknown command: {words}"
    known = {opt for p in cmd.params for opt in getattr(p, "opts", [])}
    for w in words:
        if w.startswith("--"):
            assert w.split("=")[0] in known, f"README shows {w}, which {cmd.name} does not take"


def test_readme_setup_is_two_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", setup, flags=re.M) == ["make demo", "make test"]


TRANSCRIPTS = readme_help.transcripts(COMMANDS.read_text(encoding="utf-8"))
MAIN = ["loadwatch --help", "loadwatch init --help", "loadwatch import --help",
        "loadwatch report --help", "loadwatch timeline --help", "loadwatch squad --help",
        "loadwatch alert --help", "loadwatch pain add --help", "loadwatch config show --help",
        "loadwatch sync --help", "loadwatch rpe add --help",
        "loadwatch history --help", "loadwatch review --help"]


def test_the_readme_is_short_and_points_to_the_reference():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    for page in ("judging", "coach", "alerts", "settings", "json", "python", "speed", "commands"):
        assert f"](docs/{page}.md)" in text, page


@pytest.mark.parametrize("page", readme_help.PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_readme_has_help_transcripts_of_the_main_commands():
    assert [command for command, _ in TRANSCRIPTS] == MAIN


@pytest.mark.parametrize("command, written", TRANSCRIPTS, ids=[c for c, _ in TRANSCRIPTS])
def test_readme_help_transcript_is_what_the_program_prints(command, written):
    printed = readme_help.help_text(command)
    if printed != written:
        diff = "".join(difflib.unified_diff(written.splitlines(True), printed.splitlines(True),
                                            "docs/commands.md", f"{command} (the program)"))
        pytest.fail(f"docs/commands.md's transcript of `{command}` has drifted from the program. "
                    f"Refresh every transcript with `make readme` (tools/readme_help.py), then "
                    f"read the diff before committing:\n{diff}")


def test_the_refresh_tool_rewrites_a_stale_transcript():
    text = "intro\n```console\n$ loadwatch init --help\nUsage: old words\n```\nend\n"
    fresh = readme_help.refreshed(text)
    assert "old words" not in fresh and fresh.startswith("intro\n```console\n$ loadwatch init --help\n")
    assert "Usage: loadwatch init [OPTIONS] FOLDER" in fresh and fresh.endswith("```\nend\n")
    assert readme_help.refreshed(fresh) == fresh


def test_transcripts_are_what_a_100_column_terminal_shows():
    import os
    import subprocess
    import sys

    command, written = TRANSCRIPTS[3]
    env = {**os.environ, "COLUMNS": str(readme_help.WIDTH)}
    proc = subprocess.run([sys.executable, "-m", "loadwatch", *shlex.split(command)[1:]],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and proc.stdout == written
