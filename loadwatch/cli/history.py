"""``loadwatch history``: the load level, its drivers and the clinical status of every day."""

from __future__ import annotations

import json
from pathlib import Path

import click

from loadwatch.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    DateType,
    cache_dir_for,
    cache_options,
    check_outputs,
    cli,
    finish,
    follow_links_option,
    out_option,
    progress_bars,
    quiet_option,
    say,
    tz_option,
    user_errors,
    write_output,
)


@cli.command("history")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--from", "start", type=DateType(), default=None,
              help="First day, YYYY-MM-DD (default: the first day of the data).")
@click.option("--to", "end", type=DateType(), default=None,
              help="Last day, YYYY-MM-DD (default: today in the athlete's zone).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format (csv: one row per athlete and day).")
@out_option
@tz_option
@cache_options
@follow_links_option
@quiet_option
@user_errors
def history_cmd(path, start, end, fmt, out, tz, cache_dir, no_cache, follow_links):
    """The load level, its drivers and the clinical status of every day, for the runner in
    PATH or every athlete of a squad folder: each day exactly as 'loadwatch report --as-of
    DAY' gives them. Exit 0: all read; 1: an athlete could not be read (named on stderr, the
    others are in the output); 2: nothing could be read or bad usage."""
    from loadwatch import api  # pandas: loaded when run (start-up)
    from loadwatch.report import history as history_doc  # likewise

    check_outputs(out)
    if start is not None and end is not None and start > end:
        say(f"Error: --from {start} is after --to {end}")
        finish(EXIT_USAGE)
    cache = None if no_cache else cache_dir_for(cache_dir)
    bars = progress_bars()
    try:
        run = api.histories(path, start=start, end=end, tz=tz, cache=cache or False,
                            follow_links=follow_links, progress=bars and bars.athletes)
    except api.NoActivities as exc:
        say(f"Error: {exc}")
        finish(EXIT_USAGE)
    for name, folder, error in run.errors:
        say(f"Error: {name} ({folder}): {error}")
    if not run.athletes:
        finish(EXIT_USAGE)
    text = (json.dumps(history_doc.to_json(run), indent=2, ensure_ascii=False) + "\n"
            if fmt == "json" else history_doc.to_csv(run))
    write_output(text, out, fmt)
    finish(EXIT_PARTIAL if run.errors else EXIT_OK)
