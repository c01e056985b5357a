"""The README's commands exist and take the options it shows; every command has help."""

import re
import shlex
from pathlib import Path

import click
import pytest

from loadwatch.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*prefix, name))


def readme_invocations():
    text = README.read_text(encoding="utf-8")
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
