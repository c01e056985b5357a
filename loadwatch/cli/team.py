"""The coach's commands: ``squad`` (the triage table) and ``alert`` (e-mail what is new)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from loadwatch import config as config_mod
from loadwatch import folders
from loadwatch.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    AddressType,
    as_of_option,
    cache_dir_for,
    cache_options,
    check_outputs,
    cli,
    close_store,
    finish,
    follow_links_option,
    open_store,
    out_option,
    progress_bars,
    quiet_option,
    say,
    tz_option,
    user_errors,
    write_output,
)


@cli.command("squad")
@click.argument("squad_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@as_of_option
@tz_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html", "csv"]),
              default="text", show_default=True, help="Output format (csv: the table only).")
@out_option
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes to use (default: all cores).")
@click.option("--scheduler", envvar="LOADWATCH_SCHEDULER", default="local", show_default=True,
              metavar="local|dask-local|ADDRESS",
              help="Where the athletes run: this machine's process pool, a Dask LocalCluster, "
                   "or a Dask scheduler address (tcp://host:8786; needs loadwatch[dask]).")
@cache_options
@follow_links_option
@quiet_option
@user_errors
def squad_cmd(squad_dir, as_of, tz, fmt, out, workers, scheduler, cache_dir, no_cache,
              follow_links):
    """One triage table of every athlete in SQUAD_DIR (one sub-folder each): who needs a look
    first and why, and what changed since the last squad report."""
    from loadwatch import api, squad  # pandas: loaded when run (start-up)
    from loadwatch.cluster import ClusterError  # Dask's client, when installed: likewise
    from loadwatch.report import squad as views  # likewise

    check_outputs(out)
    cache = None if no_cache else cache_dir_for(cache_dir)

    bars = progress_bars()
    try:
        judged = api.assess_squad(squad_dir, as_of=as_of, cache=cache, tz=tz, workers=workers,
                                  follow_links=follow_links, scheduler=scheduler, record=True,
                                  echo=say, progress=bars and bars.athletes)
    except (ClusterError, api.NoActivities) as exc:
        say(f"Error: {exc}")
        sys.exit(EXIT_USAGE)
    result, doc = judged.result, judged.document
    console = _colour_console() if fmt == "text" and out == "-" else None
    if console is not None:
        from loadwatch.report import squad_terminal

        squad_terminal.print_squad(doc, console)
    else:
        if fmt == "json":
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        elif fmt == "markdown":
            text = views.render_markdown(doc)
        elif fmt == "csv":
            text = views.render_csv(doc)
        elif fmt == "html":
            text = views.render_html(doc, squad.page_parts(result), progress=bars)
        else:
            text = views.render_text(doc)
        write_output(text, out, fmt)
    if doc["changes"]["error"]:
        say(f"Warning: {doc['changes']['error']}")
    for e in doc["errors"]:
        say(f"Error: {e['athlete']}: {e['error']}")
    # An athlete reported in spite of files or folders that could not be read: each named,
    # as `report` names them (the row alone would hide the runs left out).
    for a in result.athletes:
        for problem in ((a.report or {}).get("import") or {}).get("errors") or []:
            say(f"Error: {a.name}: {problem['path']}: {problem['error']}")
    finish(squad.exit_code(result))


def _colour_console():
    """rich's console for the text squad when stdout is a terminal that takes colour (rich's
    test, ``NO_COLOR`` honoured), else None: the plain text is written."""
    from loadwatch.report import squad_terminal

    console = squad_terminal.console()
    return None if not console.is_terminal or console.no_color else console


@cli.command("alert")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "to", multiple=True, type=AddressType(),
              help="Recipient (repeatable; default: [alert] to in loadwatch.toml).")
@click.option("--min-level", type=click.Choice(["raised", "high"]), default=None,
              help="Least load level whose new conditions are e-mailed (default: raised); "
                   "clinical news (a red flag, pain to get assessed) always is.")
@click.option("--min-severity", type=click.Choice(["caution", "high"]), default=None,
              hidden=True, help="Deprecated: use --min-level (caution is raised).")
@click.option("--digest", type=click.Choice(["none", "daily", "weekly"]), default=None,
              help="none: a mail per athlete with news; daily: one mail per run about every "
                   "athlete's news (a coach); weekly: as daily, plus the habits worth a look "
                   "once a week (default: daily for a squad or a coach's --to, else none).")
@as_of_option
@tz_option
@click.option("--dry-run", is_flag=True, help="Print the e-mail instead of sending it; change no state.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings with [smtp] and [alert] read instead of PATH/loadwatch.toml "
                   "(the squad's and the user config still apply).")
@cache_options
@follow_links_option
@click.option("--state-dir", type=click.Path(file_okay=False), envvar="LOADWATCH_STATE",
              help="Folder of the sent-alert state (default: $LOADWATCH_STATE, else the user "
                   "state folder).")
@click.option("--sync", "sync_first", is_flag=True,
              help="Run 'loadwatch sync' on PATH first (the [sync] source of each athlete), "
                   "then alert on what is there; a sync that fails is named and the alert "
                   "still runs.")
@quiet_option
@user_errors
def alert_cmd(path, to, min_level, min_severity, digest, as_of, tz, dry_run, config_path,
              cache_dir, no_cache, follow_links, state_dir, sync_first):
    """E-mail (and push) what is new for a runner (PATH) or a squad (a folder of athlete folders).

    News is a change of clinical status (a red flag to check, pain to get assessed),
    a new evidence-led condition or an escalation; habits only in a weekly digest.
    Each item is e-mailed once to each recipient: the state, kept per athlete and
    recipient in the user state folder, counts a message as sent once its last
    line went out; a message the server refused is tried again by the next run.
    Push notifications go to the apprise URLs of [alert] notify (ntfy, Matrix,
    Telegram, Slack...), each URL a recipient held to the same rule.
    Exit 0: sent, or nothing new; 1: something could not be sent, read or synced (the
    rest was); 2: bad usage or settings.
    """
    from loadwatch.alerts import collect, push, run  # likewise
    from loadwatch.alerts import settings as settings_mod  # likewise
    from loadwatch.alerts import state as state_mod  # likewise
    from loadwatch.importers import cache as store_mod  # pandas: loaded when run (start-up)

    sync_code = EXIT_OK
    if sync_first:
        from loadwatch.cli.sync import run_sync

        sync_code = run_sync(path, state_dir)
    settings_cfg = config_mod.resolve(path, config_path=config_path)
    settings = settings_mod.SmtpSettings.from_mapping(settings_cfg.smtp,
                                                      source=settings_cfg.where("smtp"),
                                                      sources=settings_cfg.sources)
    notify = push.check_urls(settings_cfg.alert_notify, settings_cfg.where("alert.notify"))
    password = None if dry_run else settings.password()
    if min_severity is not None:
        click.echo("Warning: --min-severity is deprecated; use --min-level "
                   f"{'high' if min_severity == 'high' else 'raised'}", err=True)
        min_level = min_level or ("high" if min_severity == "high" else "raised")
    min_level = min_level or "raised"
    if digest is None:
        digest = "daily" if (to or settings_cfg.alert_to or folders.is_squad(path)) else "none"
    store = open_store(cache_dir, no_cache)
    try:
        items, problems = collect.collect(path, as_of=as_of, tz=tz, store=store,
                                          follow_links=follow_links,
                                          to=list(to) or settings_cfg.alert_to,
                                          notify=notify,
                                          require_recipients=not dry_run,
                                          progress=progress_bars())
    finally:
        close_store(store)
    for problem in problems:
        say(f"Error: {problem}")
    if not items:
        sys.exit(max(EXIT_USAGE, sync_code))
    warn = lambda msg: say(f"Warning: {msg}")  # noqa: E731
    try:
        with state_mod.AlertState(state_mod.state_dir(state_dir), warn=warn) as state:
            if not dry_run and not no_cache:
                carried = state.adopt_legacy(store_mod.cache_dir(cache_dir) / store_mod.DB_NAME,
                                             [(i.athlete_id, i.athlete) for i in items])
                if carried:
                    warn(f"carried {carried} sent alert(s) over from the old state in the cache "
                         f"to {state.path}; they are not sent again")
            outcome = run.run_alerts(items, settings, state, password=password,
                                     min_level=min_level, dry_run=dry_run, digest=digest)
    except state_mod.StateError as exc:
        say(f"Error: {exc}")
        sys.exit(max(EXIT_PARTIAL, sync_code))
    for note in outcome.notes:
        warn(note)
    for problem in outcome.problems:
        say(f"Error: {problem}")
    verb = "would send" if dry_run else "sent"
    count = len(outcome.messages) if dry_run else outcome.sent
    pushed = len(outcome.pushes) if dry_run else outcome.pushed
    also = f" and {pushed} push notification(s)" if any(i.notify for i in items) else ""
    click.echo(f"{outcome.new_flags} new item(s); {verb} {count} e-mail(s){also}.", err=True)
    finish(max(EXIT_PARTIAL if problems or outcome.problems else EXIT_OK, sync_code))

