"""``loadwatch sync``: bring new activities into each athlete folder from its ``[sync]`` source."""

from __future__ import annotations

from pathlib import Path

import click

from loadwatch.cli.base import (
    athlete_folder,
    cli,
    finish,
    progress_bars,
    quiet_option,
    say,
    user_errors,
)

STATE_HELP = ("Folder of the sync cursors (default: $LOADWATCH_STATE, else the user state "
              "folder).")


def run_sync(path: Path, state_dir: str | None) -> int:
    """Sync ``path`` (an athlete or a squad), print what happened, return the exit code.

    Shared by ``sync`` and ``alert --sync``. Settings errors (no key, a bad ``[sync]``)
    are one ``Error:`` line and exit 2, and are returned rather than raised, so that
    ``alert --sync`` still alerts on what is there: a key file with the wrong mode must
    not silence the alert about a red flag.
    """
    from loadwatch.config import ConfigError
    from loadwatch.sync import cursor, run  # httpx: loaded when run (start-up)

    try:
        outcomes = run.sync_path(path, state=cursor.state_dir(state_dir),
                                 progress=progress_bars(),
                                 notice=lambda msg: say(f"Note: {msg}"))
    except ConfigError as exc:
        say(f"Error: {exc}")
        return run.EXIT_USAGE
    for o in outcomes:
        for line in o.lines:
            click.echo(line)
        for note in o.notes:
            say(f"Note: {note}")
        if o.error:
            say(f"Error: {o.name}: {o.error}")
    return run.exit_code(outcomes)


@cli.command("sync")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False,
                                                        path_type=Path))
@click.option("--state-dir", type=click.Path(file_okay=False), envvar="LOADWATCH_STATE",
              help=STATE_HELP)
@quiet_option
@user_errors
def sync_cmd(path, state_dir):
    """Bring new activities into an athlete folder (PATH; default: $LOADWATCH_ATHLETE, else
    [athlete] folder of the user config, else this folder) or into each athlete folder of a
    squad, from the source [sync] in its loadwatch.toml names: intervals.icu (service =
    "intervals") or a mounted watch (service = "folder"). See docs/sync.md.

    What is synced is written into the athlete folder (intervals.icu/, watch/), so reports
    read it offline. A second sync asks only for the last 14 days and what is newer. Exit
    0: all went well; 1: a server or watch unreachable (that folder unchanged); 2: bad
    settings, a wrong key or a forbidden athlete.
    """
    path = path if path is not None else athlete_folder(None)
    finish(run_sync(path, state_dir))
