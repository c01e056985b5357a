"""The settings' commands: ``config show`` and ``init`` (a new athlete folder)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loadwatch import config as config_mod
from loadwatch import progress
from loadwatch.cli.base import UserError, athlete_folder, cli, user_errors
from loadwatch.folders import FolderError
from loadwatch.safetext import display_name, one_line, terminal


@cli.group("config")
def config_group():
    """Inspect the settings: loadwatch.toml files and the user config."""


@config_group.command("show")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file read instead of PATH/loadwatch.toml.")
@user_errors
def config_show(path, config_path):
    """Print the settings in effect for the athlete in PATH, each with the file it comes from.

    PATH defaults to the athlete folder (--athlete's rules: $LOADWATCH_ATHLETE,
    [athlete] folder of the user config, this folder if it is an athlete's); outside
    any, the user config and the defaults. No password is shown: the [smtp] block
    says where it is read from.
    """
    from loadwatch import config_view  # pandas: loaded when run (start-up)

    if path is None and config_path is None:
        try:
            path = athlete_folder(None, writing=False)
        except (UserError, FolderError):
            path = None
    cfg = config_mod.resolve(path, config_path=config_path)
    click.echo(terminal(config_view.render(cfg, path)).rstrip("\n"))


def interactive() -> bool:
    """Whether a person is at the keyboard (prompts are allowed): stdin and stdout terminals."""
    return progress.is_terminal(sys.stdin) and progress.is_terminal(sys.stdout)


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="The athlete's name (default: the folder's name).")
@click.option("--tz", "tz", metavar="ZONE",
              help="The athlete's IANA time zone (default: this machine's).")
@click.option("--units", type=click.Choice(["km", "mi"]), default=None,
              help="Distance units (default: km).")
@click.option("--max-hr", type=click.IntRange(100, 250), default=None, metavar="BPM",
              help="Maximum heart rate, for --load trimp and hard runs.")
@click.option("--rest-hr", type=click.IntRange(25, 120), default=None, metavar="BPM",
              help="Resting heart rate.")
@user_errors
def init_cmd(folder, name, tz, units, max_hr, rest_hr):
    """Start an athlete folder: its loadwatch.toml, commented, and an empty pain.csv.

    FOLDER is created if needed. The time zone defaults to this machine's. On a
    terminal, what was not given is asked for; in a script nothing is. An existing
    loadwatch.toml or pain.csv is never overwritten (exit 2).
    """
    from loadwatch import new_athlete  # pandas: loaded when run (start-up)
    from loadwatch.timeline import resolve_tz  # likewise

    found = new_athlete.existing(folder)
    if found:
        raise UserError(f"{found[0]} already exists: init never overwrites it (edit it, or "
                        "move it away first)")
    default_name = display_name(folder.resolve().name) or "athlete"
    machine = getattr(resolve_tz(None), "key", None)
    if interactive():
        name = name or click.prompt("Name", default=default_name)
        tz = tz or click.prompt("Time zone (IANA, e.g. Europe/Oslo)", default=machine or "",
                                show_default=bool(machine), value_proc=_zone) or None
        units = units or click.prompt("Units", type=click.Choice(["km", "mi"]), default="km")
        if max_hr is None:
            max_hr = click.prompt("Maximum heart rate (blank if unknown)", default="",
                                  show_default=False, value_proc=_optional(100, 250))
        if rest_hr is None:
            rest_hr = click.prompt("Resting heart rate (blank if unknown)", default="",
                                   show_default=False, value_proc=_optional(25, 120))
    if tz:
        resolve_tz(tz)
    if name is not None and (not name.isprintable() or len(name) > 200):
        raise UserError("--name must be printable, at most 200 characters")
    if max_hr is not None and rest_hr is not None and rest_hr >= max_hr:
        raise UserError(f"--rest-hr ({rest_hr}) must be below --max-hr ({max_hr})")
    new = new_athlete.NewAthlete(name=name or default_name, timezone=tz or machine,
                                 units=units or "km", max_hr=max_hr, rest_hr=rest_hr)
    try:
        written = new_athlete.create(folder, new)
    except new_athlete.InitError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"{folder}: cannot write there ({exc.strerror or exc})") from exc
    click.echo(one_line(f"Created {written[0]} and {written[1]}."))
    click.echo(one_line(f"Next: put the activity files in {folder} (a Strava export, a watch "
                        f"folder, any mix), then run: loadwatch report {folder}"))


def _zone(text: str) -> str | None:
    """A prompt's zone: blank for this machine's, else an IANA name (asked again if unknown)."""
    from loadwatch.timeline import TimezoneError, resolve_tz  # pandas: loaded when run (start-up)

    if not str(text).strip():
        return None
    try:
        resolve_tz(str(text).strip())
    except TimezoneError as exc:
        raise click.BadParameter(str(exc)) from None
    return str(text).strip()


def _optional(low: int, high: int):
    """A prompt's value: blank for none, else a whole number from ``low`` to ``high``."""

    def convert(text: str) -> int | None:
        if not str(text).strip():
            return None
        return click.IntRange(low, high).convert(text, None, None)

    return convert


