"""``loadwatch review``: how pain followed the load level, for a runner or a squad."""

from __future__ import annotations

import json
from pathlib import Path

import click

from loadwatch.cli.base import (
    EXIT_USAGE,
    as_of_option,
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


@cli.command("review")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@as_of_option
@tz_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@out_option
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes to use for a squad (default: all cores).")
@cache_options
@follow_links_option
@quiet_option
@user_errors
def review_cmd(path, as_of, tz, fmt, out, workers, cache_dir, no_cache, follow_links):
    """How often pain episodes began after usual, raised and high load days, over every
    athlete in PATH (a runner's folder or a squad's) whose pain diary has an entry.

    Rates per 1,000 athlete-days and rate ratios against usual days, each with its 95%
    interval ("too few to tell" when it is too wide); what it cannot show is said with it.
    Exit 0: reviewed; 1: an athlete or file could not be read (the rest was); 2: bad usage,
    or no athlete keeps a diary.
    """
    from loadwatch import api  # pandas and scipy: loaded when run (start-up)
    from loadwatch.report import review as views

    check_outputs(out)
    cache = None if no_cache else cache_dir_for(cache_dir)
    bars = progress_bars()
    try:
        result = api.review(path, as_of=as_of, tz=tz, workers=workers, cache=cache or False,
                            follow_links=follow_links, progress=bars and bars.athletes)
    except api.NoActivities as exc:
        say(f"Error: {exc}")
        finish(EXIT_USAGE)
    doc = result.to_json()
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        text = views.render_html(doc)
    else:
        text = views.render_text(doc)
    write_output(text, out, fmt)
    for folder, error in result.errors:
        say(f"Error: {folder}: {error}")
    if not result.athletes and not result.errors:
        say(f"Error: {path}: no athlete has a pain diary with an entry (pain.csv), so there is "
            "nothing to review; start one with 'loadwatch pain add' (a pain-free day counts)")
    finish(result.exit_code)
