"""The ``loadwatch`` command line: each command wires the library's layers together."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from loadwatch import __version__, fileio, folders, progress
from loadwatch import config as config_mod
from loadwatch.athlete import AthleteData, load_athlete
from loadwatch.config import ConfigError
from loadwatch.engine import LoadError
from loadwatch.folders import FolderError
from loadwatch.importers import cache as store_mod
from loadwatch.importers.cache import Store, cache_dir
from loadwatch.pain import DiaryError
from loadwatch.safetext import no_surrogates, one_line, terminal
from loadwatch.timeline import TimezoneError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

USER_ERRORS: tuple[type[Exception], ...] = (ConfigError, TimezoneError, DiaryError, LoadError,
                                            fileio.UnsafeTarget, FolderError)


class UserError(click.ClickException):
    """A one-line error for the user's input; exit 2.

    The message is shown with control characters and non-UTF-8 bytes escaped
    (:func:`loadwatch.safetext.one_line`): it often quotes a file name.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(one_line(message))


def say(line: str) -> None:
    """One line on stderr (the log under cron), control characters escaped."""
    click.echo(one_line(line), err=True)


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("debug"))


def user_errors(func):
    """Turn the library's documented input errors into one ``Error:`` line (exit 2)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as exc:
            if _debug():
                raise
            raise UserError(str(exc)) from exc

    return wrapper


# -- shared options ----------------------------------------------------------------------

def tz_option(func):
    return click.option("--tz", "tz", metavar="ZONE",
                        help="Athlete's IANA time zone (default: the settings, else this "
                             "machine's).")(func)


def cache_options(func):
    func = click.option("--no-cache", is_flag=True, help="Parse every file; neither read nor write the cache.")(func)
    return click.option("--cache-dir", type=click.Path(file_okay=False), envvar="LOADWATCH_CACHE",
                        help="Cache folder (default: $LOADWATCH_CACHE, else the user cache folder).")(func)


def follow_links_option(func):
    return click.option("--follow-links", is_flag=True,
                        help="Also read files and folders that symbolic links lead to outside "
                             "the folder (skipped by default).")(func)


def out_option(func):
    return click.option("--out", "out", default="-", metavar="FILE",
                        help="Write to FILE instead of the terminal ('-').")(func)


class DateType(click.ParamType):
    """An ISO date (YYYY-MM-DD) from :data:`FIRST_DATE` to :data:`LAST_DATE`, or ``today``."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        if str(value).lower() == "today":
            return None
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{one_line(repr(value))} is not a date like 2026-11-22", param, ctx)
        if not FIRST_DATE <= day <= LAST_DATE:
            self.fail(f"{day} is outside the dates loadwatch handles ({FIRST_DATE} to "
                      f"{LAST_DATE})", param, ctx)
        return day


FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)
"""Dates accepted on the command line: pandas' day arithmetic ends in 2262, and no
training log starts before 1900."""


class AddressType(click.ParamType):
    """An e-mail address on one line: no spaces or control characters, one ``@``."""

    name = "ADDR"

    def convert(self, value, param, ctx):
        if not config_mod.valid_address(str(value)):
            self.fail(f"{one_line(repr(value))} is not an e-mail address like "
                      "coach@example.org", param, ctx)
        return str(value)


def as_of_option(func):
    return click.option("--as-of", "as_of", type=DateType(), default=None,
                        help="Report date, YYYY-MM-DD (default: today in the athlete's zone).")(func)


def today_in(zone) -> date:
    return datetime.now(zone).date()


def open_store(cache_dir_opt: str | None, no_cache: bool) -> Store | None:
    if no_cache:
        return None
    return Store(cache_dir(cache_dir_opt), warn=lambda msg: say(f"Warning: {msg}"))


def quiet_option(func):
    """``--quiet``/``-q`` on each command that can show a progress bar."""

    def remember(ctx, param, value):
        if value:
            ctx.meta[QUIET] = True

    return click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=remember,
                        help="No progress bar (errors and warnings still go to stderr).")(func)


QUIET = "loadwatch.quiet"


def progress_bars() -> progress.Bars | None:
    """The progress-bar factory of this command (:func:`loadwatch.progress.bars`): bars on
    stderr when it is a terminal, none with ``--quiet``."""
    ctx = click.get_current_context(silent=True)
    return progress.bars(enabled=not (ctx is not None and ctx.meta.get(QUIET)))


def close_store(store: Store | None) -> None:
    """Close the cache; if it could not be used (a full disk, a lock), say so and mark the run.

    The command's output is complete all the same; :func:`finish` then exits 1.
    """
    if store is None:
        return
    store.close()
    if store.problem:
        say(f"Error: {store.problem}")
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.meta["loadwatch.cache_problem"] = store.problem


def finish(code: int):
    """Exit with ``code``, or 1 instead of 0 when the cache could not be used."""
    ctx = click.get_current_context(silent=True)
    if code == EXIT_OK and ctx is not None and ctx.meta.get("loadwatch.cache_problem"):
        code = EXIT_PARTIAL
    sys.exit(code)


def import_athlete(paths: list[Path], *, tz: str | None, cache_dir: str | None, no_cache: bool,
                   config_path: Path | None = None, follow_links: bool = False) -> AthleteData:
    """Import one athlete through the cache (unless ``--no-cache``)."""
    store = open_store(cache_dir, no_cache)
    try:
        return load_athlete(paths, tz=tz, config_path=config_path, store=store,
                            progress=progress_bars(), follow_links=follow_links)
    finally:
        close_store(store)


def check_outputs(*paths: str | Path | None) -> None:
    """Refuse output paths that are devices, FIFOs or folders before any work is done."""
    for p in paths:
        if p is not None and str(p) != "-":
            fileio.check_target(p)


def write_output(text: str, out: str, fmt: str = "text") -> None:
    """Print ``text``, or write it to ``out`` atomically (never a half-written file).

    See :func:`loadwatch.fileio.write_atomic`: a device, FIFO or folder is refused, a
    symbolic link is written through, an existing file keeps its permissions. Text
    formats get control characters escaped (:func:`loadwatch.safetext.terminal`),
    a safety net under the renderers; every format gets bytes of non-UTF-8 file
    names as ``\\xNN``, so that it can be written at all.
    """
    if fmt == "json":
        text = no_surrogates(text, json=True)
    elif fmt in ("html", "csv"):
        # Data, not a terminal: CSV keeps its CRLF line ends and quoted cells as written.
        text = no_surrogates(text)
    else:
        text = terminal(text)
    if out == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_atomic(Path(out), text.encode("utf-8"))
    say(f"Wrote {out}")


def write_atomic(path: Path, data: bytes) -> None:
    """:func:`loadwatch.fileio.write_atomic`, its errors as one ``Error:`` line (exit 2)."""
    try:
        fileio.write_atomic(path, data)
    except OSError as exc:
        raise UserError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def import_exit_code(data: AthleteData) -> int:
    """0 all good, 1 some files failed, 2 nothing importable."""
    if data.timeline.empty:
        return EXIT_USAGE
    return EXIT_PARTIAL if data.report.errors else EXIT_OK


def echo_problems(data: AthleteData) -> None:
    """One stderr line per damaged or failed file; if nothing could be imported, why for each
    skipped file and a line naming what was given."""
    for path, warning in data.report.warnings:
        say(f"Warning: {path}: {warning}")
    for path, problem in data.report.errors:
        say(f"Error: {path}: {problem}")
    if data.timeline.empty:
        for path, reason in data.report.skipped:
            say(f"Skipped: {path}: {reason}")
        given = ", ".join(map(str, data.paths)) or str(data.folder)
        say(f"Error: no activities found in {given}")


# -- the commands ------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="loadwatch")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
def cli(debug: bool) -> None:
    """loadwatch: a training-load monitor for runners.

    It reads your activity files (FIT, GPX, TCX, Strava exports), measures the
    patterns that lead to overuse knee pain (mileage raised too fast, long-run
    spikes, running streaks, no rest, no cross-training) and explains each risk in
    plain words. It does not diagnose: for acute pain see a sports physical
    therapist or doctor.
    """


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
    from loadwatch.report.timeline import timeline_csv, timeline_json, timeline_table

    check_outputs(out)
    refuse_squad(paths, "timeline")
    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    render = {"table": timeline_table, "csv": timeline_csv, "json": timeline_json}[fmt]
    write_output(render(data.timeline, data.report), out, "json" if fmt == "json" else "text")
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
    from loadwatch.report.timeline import import_summary

    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    click.echo(terminal(import_summary(data.report)))
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
@click.option("--load", "load", type=click.Choice(["distance", "duration", "trimp"]),
              default="distance", show_default=True, help="Load used for ACWR, monotony and strain.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file read instead of PATH/loadwatch.toml (the squad's and the "
                   "user config still apply).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]),
              default="text", show_default=True, help="Output format.")
@out_option
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the charts as a PNG file.")
@click.option("--pain", "pain_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Pain diary (default: PATH/pain.csv).")
@cache_options
@follow_links_option
@quiet_option
@user_errors
def report_cmd(path, as_of, weeks, tz, units, load, config_path, fmt, out, chart, pain_path,
               cache_dir, no_cache, follow_links):
    """The weekly report for the athlete in PATH: risk, flags, advice and the last weeks."""
    from loadwatch.report import build as report_pkg

    check_outputs(out, chart)
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
    built = report_pkg.for_athlete(data, as_of=as_of, weeks=weeks,
                                   units=units, load=load, pain_path=pain_path)
    for problem in [f"Warning: {w}" for w in built.warnings] + [f"Error: {e}" for e in built.errors]:
        say(problem)
    write_output(report_pkg.render(built.report, fmt, charts=built.chart_png if fmt == "html" else None),
                 out, fmt)
    if chart:
        write_atomic(chart, built.chart_png())
        say(f"Wrote {chart}")
    finish(max(import_exit_code(data), EXIT_PARTIAL if built.errors else EXIT_OK))


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
    from loadwatch import squad, squad_state
    from loadwatch.cluster import ClusterError
    from loadwatch.report import squad as views

    check_outputs(out)
    cache = None if no_cache else cache_dir_for(cache_dir)

    bars = progress_bars()
    try:
        result = squad.run(squad_dir, as_of=as_of, cache_dir=cache, tz=tz, workers=workers,
                           follow_links=follow_links, scheduler=scheduler, echo=say,
                           progress=bars and bars.athletes)
    except ClusterError as exc:
        say(f"Error: {exc}")
        sys.exit(EXIT_USAGE)
    if not result.athletes:
        say(f"Error: no athlete folders with activity files in {squad_dir}")
        sys.exit(EXIT_USAGE)
    doc = squad.to_json(result)
    doc["changes"] = squad_state.record(squad_dir, doc)
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        text = views.render_markdown(doc)
    elif fmt == "csv":
        text = views.render_csv(doc)
    elif fmt == "html":
        text = views.render_html(doc, *squad.page_parts(result))
    else:
        text = views.render_text(doc)
    write_output(text, out, fmt)
    if doc["changes"]["error"]:
        say(f"Warning: {doc['changes']['error']}")
    for e in doc["errors"]:
        say(f"Error: {e['athlete']}: {e['error']}")
    finish(squad.exit_code(result))


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
@quiet_option
@user_errors
def alert_cmd(path, to, min_level, min_severity, digest, as_of, tz, dry_run, config_path,
              cache_dir, no_cache, follow_links, state_dir):
    """E-mail what is new for a runner (PATH) or a squad (a folder of athlete folders).

    News is a change of clinical status (a red flag to check, pain to get assessed),
    a new evidence-led condition or an escalation; habits only in a weekly digest.
    Each item is e-mailed once to each recipient: the state, kept per athlete and
    recipient in the user state folder, counts a message as sent once its last
    line went out; a message the server refused is tried again by the next run.
    Exit 0: sent, or nothing new; 1: something could not be sent or read (the rest
    was); 2: bad usage or settings.
    """
    from loadwatch.alerts import collect, run
    from loadwatch.alerts import settings as settings_mod
    from loadwatch.alerts import state as state_mod

    settings_cfg = config_mod.resolve(path, config_path=config_path)
    settings = settings_mod.SmtpSettings.from_mapping(settings_cfg.smtp,
                                                      source=settings_cfg.where("smtp"),
                                                      sources=settings_cfg.sources)
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
                                          require_recipients=not dry_run,
                                          progress=progress_bars())
    finally:
        close_store(store)
    for problem in problems:
        say(f"Error: {problem}")
    if not items:
        sys.exit(EXIT_USAGE)
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
        sys.exit(EXIT_PARTIAL)
    for note in outcome.notes:
        warn(note)
    for problem in outcome.problems:
        say(f"Error: {problem}")
    verb = "would send" if dry_run else "sent"
    count = len(outcome.messages) if dry_run else outcome.sent
    click.echo(f"{outcome.new_flags} new item(s); {verb} {count} e-mail(s).", err=True)
    finish(EXIT_PARTIAL if problems or outcome.problems else EXIT_OK)


def athlete_folder_option(func):
    return click.option("--athlete", "athlete_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, metavar="DIR",
                        help="The athlete's folder (default: $LOADWATCH_ATHLETE, else [athlete] "
                             "folder of the user config, else this folder if it is one).")(func)


def athlete_folder(option: Path | None, *, writing: bool = True) -> Path:
    """The athlete folder a command works in (:func:`loadwatch.folders.athlete_folder`)."""
    return folders.athlete_folder(option, writing=writing)


def refuse_squad(paths, command: str) -> None:
    """A squad folder given to a one-runner command is a usage error, never a merged athlete."""
    for path in paths:
        folders.refuse_squad(Path(path), command)


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


@cli.group("pain")
def pain_group():
    """Keep the pain diary (pain.csv) that the report lines up against your training load."""


def diary_option(func):
    func = click.option("--pain", "pain_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, metavar="FILE",
                        help="The diary file itself (default: pain.csv in the athlete's folder).")(func)
    return athlete_folder_option(func)


def diary_path(pain_path: Path | None, athlete_dir: Path | None, *, writing: bool = True) -> Path:
    """``--pain FILE``, else ``pain.csv`` of the athlete folder (:func:`athlete_folder`)."""
    if pain_path is not None:
        return pain_path
    return athlete_folder(athlete_dir, writing=writing) / "pain.csv"


@pain_group.command("add")
@click.option("--date", "day", type=DateType(), default=None, help="Day of the entry (default: today).")
@click.option("--severity", type=click.IntRange(0, 10), default=None,
              help="Pain 0-10; 0 records a pain-free day (required, except with --assessed).")
@click.option("--location", default="", help='Where, in your words (e.g. "inner knee", "pes anserine").')
@click.option("--side", type=click.Choice(["left", "right", "both"]), default=None)
@click.option("--onset", type=click.Choice(["gradual", "sudden"]), default=None,
              help="Gradual (built up over days) or sudden (a moment you can name).")
@click.option("--symptom", "symptoms", multiple=True,
              help="Repeatable: swelling, bruising, locking, catching, clicking, grinding, instability, "
                   "giving_way, pop, weight_bearing_pain, night_pain, stiffness, tightness, "
                   "reduced_range, pinpoint_pain, hop_pain, stopped_running, and twist, blow or fall "
                   "for the moment it happened.")
@click.option("--assessed", is_flag=True,
              help="A sports physical therapist or doctor has seen the knee: earlier red flags "
                   "are dealt with (give --severity too if you know how it feels).")
@click.option("--note", default="", help="Anything else.")
@diary_option
@user_errors
def pain_add(day, severity, location, side, onset, symptoms, assessed, note, pain_path,
             athlete_dir):
    """Append one entry to the athlete's diary, safely (never a half-written file).

    The diary is pain.csv in the athlete's folder: --athlete DIR, else $LOADWATCH_ATHLETE,
    else [athlete] folder of the user config, else this folder if it is an athlete's;
    never a pain.csv in any other folder.
    """
    from loadwatch import pain

    if severity is None and not assessed:
        raise UserError("pain add: --severity 0-10 is required, except with --assessed alone")
    words = list(symptoms) + (["assessed"] if assessed else [])
    entry = pain.parse_entry({"date": (day or date.today()).isoformat(),  # no severity: assessed
                              "severity": "" if severity is None else str(severity),
                              "location": location, "side": side or "", "onset": onset or "",
                              "symptoms": ";".join(words), "notes": note})
    pain.append_entry(pain_path := diary_path(pain_path, athlete_dir), entry)
    what = "no severity" if entry.severity is None else f"severity {entry.severity}/10"
    click.echo(one_line(f"Added to {pain_path}: {entry.date}, {what}{', assessed' * assessed}."))
    reasons = pain.red_flags(entry)
    if reasons:
        click.echo("This sounds like an acute injury rather than overload ("
                   + "; ".join(reasons) + "). Get it checked by a sports physical therapist or "
                   "doctor before running on it.", err=True)


@pain_group.command("list")
@diary_option
@user_errors
def pain_list(pain_path, athlete_dir):
    """Show the athlete's diary, with any bad rows named."""
    from loadwatch import pain

    pain_path = diary_path(pain_path, athlete_dir, writing=False)
    if not pain_path.is_file():
        raise UserError(f"{pain_path}: no such pain diary (add an entry with 'loadwatch pain add')")
    diary = pain.read_diary(pain_path)
    click.echo(terminal(pain.format_diary(diary)))
    for note in diary.notes:
        say(f"Note: {note}")
    for problem in diary.errors:
        say(f"Error: {problem}")
    sys.exit(EXIT_PARTIAL if diary.errors else EXIT_OK)


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
    from loadwatch import config_view

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
    from loadwatch import new_athlete
    from loadwatch.safetext import display_name
    from loadwatch.timeline import resolve_tz

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
    from loadwatch.timeline import TimezoneError, resolve_tz

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


def cache_dir_for(option: str | None) -> str | None:
    """The cache folder, checked (a damaged cache is rebuilt with a warning).

    None when the cache cannot be used (a full disk, a lock): that is reported,
    and the squad is read without it.
    """
    path = cache_dir(option)
    store = Store(path, warn=lambda msg: say(f"Warning: {msg}"))
    close_store(store)
    return None if store.problem else str(path)


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
