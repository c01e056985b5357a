"""The ``loadwatch`` command line: a thin layer over the library (:mod:`loadwatch.api`).

:mod:`.base` holds the group, the shared options and the output and error rules; the
commands sit in :mod:`.activities` (timeline, import, report, ignore, confirm),
:mod:`.team` (squad, alert), :mod:`.history` (history), :mod:`.review` (review),
:mod:`.diary` (pain add, pain list, rpe add), :mod:`.sync` (sync) and :mod:`.settings`
(config show, init). Importing this package imports no pandas, numpy or matplotlib:
the commands import what they need when they run.
"""

from __future__ import annotations

import sys

import click

from loadwatch.cli import activities, diary, history, review, settings, sync, team
from loadwatch.cli.base import EXIT_USAGE, UserError, cli, progress_bars, say

__all__ = ["activities", "cli", "diary", "history", "main", "progress_bars", "review", "settings",
           "sync",
           "team"]


def main() -> None:
    """Console entry point: user errors are one line; other failures say how to get details."""
    try:
        cli.main(prog_name="loadwatch", standalone_mode=False)
    except click.exceptions.Abort:
        say("Aborted.")
        sys.exit(130)
    except click.UsageError as exc:
        # One line, as for every other user error (a cron log reads it alone).
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        say(f"Error: {exc.format_message()}{where}")
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if exc.exit_code != 1 or isinstance(exc, UserError) else EXIT_USAGE)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - last resort: one line instead of a traceback
        if "--debug" in sys.argv:
            raise
        # A codec error quotes the text it failed on, which may be a password.
        detail = "" if isinstance(exc, UnicodeError) else f": {exc}"
        say(f"Error: unexpected {type(exc).__name__}{detail} (run with --debug for details)")
        sys.exit(3)
    sys.exit(0)

