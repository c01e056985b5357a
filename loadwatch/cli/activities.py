"""One runner's commands: ``timeline``, ``import``, ``report``, ``ignore`` and ``confirm``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loadwatch import config as config_mod
from loadwatch.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    UserError,
    as_of_option,
    athlete_folder,
    athlete_folder_option,
    cache_options,
    check_outputs,
    cli,
    echo_problems,
    finish,
    follow_links_option,
    import_athlete,
    import_exit_code,
    out_option,
    quiet_option,
    refuse_squad,
    say,
    today_in,
    tz_option,
    user_errors,
    write_atomic,
    write_output,
)
from loadwatch.safetext import one_line, terminal


@cli.command("timeline")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@tz_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@out_option
@cache_options
@follow_links_option
@quiet_option
@user_errors
def timeline_cmd(paths, tz, fmt, out, cache_dir, no_cache, follow_links):
    """Print every activity under PATHS, one row each, on its local day, counted once."""
    # pandas: loaded when run (start-up)
    from loadwatch.report.timeline import timeline_csv, timeline_json, timeline_table

    check_outputs(out)
    refuse_squad(paths, "timeline")
    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    render = {"table": timeline_table, "csv": timeline_csv, "json": timeline_json}[fmt]
    write_output(render(data.timeline, data.report.to_json()), out, "json" if fmt == "json" else "text")
    echo_problems(data)
    finish(import_exit_code(data))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@tz_option
@cache_options
@follow_links_option
@quiet_option
@user_errors
def import_cmd(paths, tz, cache_dir, no_cache, follow_links):
    """Read PATHS into the cache and summarise what was found."""
    from loadwatch.report.timeline import import_summary  # pandas: loaded when run (start-up)

    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    click.echo(terminal(import_summary(data.report.to_json())))
    if data.timeline.empty:
        say(f"Error: no activities found in {', '.join(map(str, paths))}")
    finish(import_exit_code(data))


@cli.command("report")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@as_of_option
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True,
              help="Weeks in the table.")
@tz_option
@click.option("--units", type=click.Choice(["km", "mi"]), default=None,
              help="Distance units (default: the settings, else km).")
@click.option("--load", "load", type=click.Choice(["distance", "duration", "trimp", "srpe"]),
              default=None, help="Load used for ACWR, monotony and strain: srpe is session "
                                 "RPE (rating x minutes of each rated session) (default: "
                                 "[athlete] load of the settings, else distance).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file read instead of PATH/loadwatch.toml (the squad's and the "
                   "user config still apply).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html", "ics"]),
              default="text", show_default=True,
              help="Output format (ics: next week's plan as iCalendar all-day events).")
@out_option
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the charts as a PNG file.")
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write next week's plan as an iCalendar file (import it, or serve it to "
                   "subscribe: a later report for the same week updates its events).")
@click.option("--pain", "pain_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Pain diary (default: PATH/pain.csv).")
@cache_options
@follow_links_option
@quiet_option
@user_errors
def report_cmd(path, as_of, weeks, tz, units, load, config_path, fmt, out, chart, ics_path,
               pain_path, cache_dir, no_cache, follow_links):
    """The weekly report for the athlete in PATH: risk, flags, advice and the last weeks."""
    from loadwatch import api, assessment  # pandas: loaded when run (start-up)
    from loadwatch.report import build as report_pkg  # likewise

    check_outputs(out, chart, ics_path)
    refuse_squad([path], "report")
    data = import_athlete([path], tz=tz, config_path=config_path, cache_dir=cache_dir,
                          no_cache=no_cache, follow_links=follow_links)
    echo_problems(data)
    if data.timeline.empty:
        sys.exit(EXIT_USAGE)
    as_of = as_of or today_in(data.tz)
    first = data.timeline["local_date"].min().date()
    if first > as_of:
        say(f"Warning: no activity on or before {as_of} (the data starts {first})")
    options = assessment.options_for(data.config, as_of=as_of, units=units, load=load,
                                     folder=data.folder)
    athlete = assessment.with_diary(data, pain_path)
    judged = api.Assessment.of(athlete, options, weeks=weeks)
    for problem in ([f"Warning: {w}" for w in athlete.warnings]
                    + [f"Error: {e}" for e in athlete.errors]):
        say(problem)
    write_output(report_pkg.render(judged.report, fmt, athlete_id=data.athlete_id,
                                   charts=judged.chart_png if fmt == "html" else None), out, fmt)
    if ics_path:
        write_output(report_pkg.render(judged.report, "ics", athlete_id=data.athlete_id),
                     str(ics_path), "ics")
    if chart:
        write_atomic(chart, judged.chart_png())
        say(f"Wrote {chart}")
    finish(max(import_exit_code(data), EXIT_PARTIAL if athlete.errors else EXIT_OK))


def _known_ids(folder: Path, ids: tuple[str, ...]) -> None:
    """Refuse activity ids that are not in the athlete's activities (a typo costs nothing)."""
    data = import_athlete([folder], tz=None, cache_dir=None, no_cache=False)
    known = set(data.timeline["activity_id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UserError(f"{', '.join(unknown)}: not an activity of {folder} (the ids are listed "
                        "under \"Data to check\" in the report and in 'loadwatch timeline "
                        "--format csv')")


@cli.command("ignore")
@click.argument("ids", nargs=-1, metavar="ID...")
@click.option("--reason", default="", help="Why, in your words (kept in loadwatch.toml).")
@click.option("--list", "show", is_flag=True, help="List the ignored and confirmed activities.")
@athlete_folder_option
@quiet_option
@user_errors
def ignore_cmd(ids, reason, show, athlete_dir):
    """Leave activities out of the load for good (a watch left running, a ride saved as a run).

    The ids go to [activities] ignore in the athlete's loadwatch.toml, written
    atomically with its other settings and comments kept.
    """
    folder = athlete_folder(athlete_dir, writing=not show)
    if show:
        cfg = config_mod.load(config_mod.find(folder))
        lines = [f"ignored    {i}" + (f"  ({r})" if r else "") for i, r in cfg.ignore.items()]
        lines += [f"confirmed  {i}" for i in cfg.confirm]
        click.echo("\n".join(map(one_line, lines)) if lines else "No ignored or confirmed activities.")
        return
    if not ids:
        raise UserError("give the ids of the activities to ignore, or --list")
    _known_ids(folder, ids)
    path = config_mod.settle_activities(folder, ignore={i: reason for i in ids})
    click.echo(one_line(f"Ignored {len(ids)} activit{'y' if len(ids) == 1 else 'ies'} in {path}."))


@cli.command("confirm")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@athlete_folder_option
@quiet_option
@user_errors
def confirm_cmd(ids, athlete_dir):
    """Count activities listed under "data to check": they were real.

    The ids go to [activities] confirm in the athlete's loadwatch.toml.
    """
    folder = athlete_folder(athlete_dir)
    _known_ids(folder, ids)
    path = config_mod.settle_activities(folder, confirm=list(ids))
    click.echo(one_line(f"Confirmed {len(ids)} activit{'y' if len(ids) == 1 else 'ies'} in {path}."))

