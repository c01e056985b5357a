"""The ``loadwatch`` command line: each command wires the library's layers together."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from loadwatch import __version__, fileio
from loadwatch import config as config_mod
from loadwatch import store as store_mod
from loadwatch.athlete import AthleteData, load_athlete
from loadwatch.config import ConfigError
from loadwatch.engine import LoadError
from loadwatch.pain import DiaryError
from loadwatch.safetext import no_surrogates, one_line, terminal
from loadwatch.store import Store, cache_dir
from loadwatch.timeline import TimezoneError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

USER_ERRORS: tuple[type[Exception], ...] = (ConfigError, TimezoneError, DiaryError, LoadError,
                                            fileio.UnsafeTarget)


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
                        help="Athlete's IANA time zone (default: loadwatch.toml, else this machine's).")(func)


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


def import_athlete(paths: list[Path], *, tz: str | None, cache_dir: str | None, no_cache: bool,
                   config_path: Path | None = None, follow_links: bool = False) -> AthleteData:
    """Import one athlete through the cache (unless ``--no-cache``)."""
    store = open_store(cache_dir, no_cache)
    try:
        return load_athlete(paths, tz=tz, config_path=config_path, store=store,
                            follow_links=follow_links)
    finally:
        if store:
            store.close()


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
    elif fmt == "html":
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
    """One stderr line per damaged or failed file; a line if nothing could be imported."""
    for path, warning in data.report.warnings:
        say(f"Warning: {path}: {warning}")
    for path, problem in data.report.errors:
        say(f"Error: {path}: {problem}")
    if data.timeline.empty:
        say(f"Error: no activities found in {data.folder}")


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
@user_errors
def timeline_cmd(paths, tz, fmt, out, cache_dir, no_cache, follow_links):
    """Print every activity under PATHS, one row each, on its local day, counted once."""
    from loadwatch.report.timeline import timeline_csv, timeline_json, timeline_table

    check_outputs(out)
    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    render = {"table": timeline_table, "csv": timeline_csv, "json": timeline_json}[fmt]
    write_output(render(data.timeline, data.report), out, "json" if fmt == "json" else "text")
    echo_problems(data)
    sys.exit(import_exit_code(data))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@tz_option
@cache_options
@follow_links_option
@user_errors
def import_cmd(paths, tz, cache_dir, no_cache, follow_links):
    """Read PATHS into the cache and summarise what was found."""
    from loadwatch.report.timeline import import_summary

    data = import_athlete(list(paths), tz=tz, cache_dir=cache_dir, no_cache=no_cache,
                          follow_links=follow_links)
    click.echo(terminal(import_summary(data.report)))
    if data.timeline.empty:
        say(f"Error: no activities found in {', '.join(map(str, paths))}")
    sys.exit(import_exit_code(data))


@cli.command("report")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@as_of_option
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True,
              help="Weeks in the table.")
@tz_option
@click.option("--units", type=click.Choice(["km", "mi"]), default=None,
              help="Distance units (default: loadwatch.toml, else km).")
@click.option("--load", "load", type=click.Choice(["distance", "duration", "trimp"]),
              default="distance", show_default=True, help="Load used for ACWR, monotony and strain.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings file (default: PATH/loadwatch.toml).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]),
              default="text", show_default=True, help="Output format.")
@out_option
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the charts as a PNG file.")
@click.option("--pain", "pain_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Pain diary (default: PATH/pain.csv).")
@cache_options
@follow_links_option
@user_errors
def report_cmd(path, as_of, weeks, tz, units, load, config_path, fmt, out, chart, pain_path,
               cache_dir, no_cache, follow_links):
    """The weekly report for the athlete in PATH: risk, flags, advice and the last weeks."""
    from loadwatch.report import build as report_pkg

    check_outputs(out, chart)
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
    for problem in built.warnings:
        say(f"Warning: {problem}")
    write_output(report_pkg.render(built.report, fmt, charts=built.chart_png if fmt == "html" else None),
                 out, fmt)
    if chart:
        write_atomic(chart, built.chart_png())
        say(f"Wrote {chart}")
    sys.exit(import_exit_code(data))


@cli.command("squad")
@click.argument("squad_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@as_of_option
@tz_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]),
              default="text", show_default=True, help="Output format.")
@out_option
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes to use (default: all cores).")
@cache_options
@follow_links_option
@user_errors
def squad_cmd(squad_dir, as_of, tz, fmt, out, workers, cache_dir, no_cache, follow_links):
    """One ranked view of every athlete in SQUAD_DIR (one sub-folder each): who is at risk and why."""
    from loadwatch import squad

    check_outputs(out)
    cache = None if no_cache else str(cache_dir_for(cache_dir))

    def progress(total):
        return click.progressbar(length=total, label="Athletes", file=sys.stderr)

    result = squad.run(squad_dir, as_of=as_of, cache_dir=cache, tz=tz, workers=workers,
                       follow_links=follow_links,
                       progress=progress if sys.stderr.isatty() else None)
    doc = squad.to_json(result)
    if not result.athletes:
        say(f"Error: no athlete folders with activity files in {squad_dir}")
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        text = squad.render_markdown(doc)
    elif fmt == "html":
        text = squad.render_html(doc, result)
    else:
        text = squad.render_text(doc)
    write_output(text, out, fmt)
    for e in doc["errors"]:
        say(f"Error: {e['athlete']}: {e['error']}")
    sys.exit(squad.exit_code(result))


@cli.command("alert")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "to", multiple=True, type=AddressType(),
              help="Recipient (repeatable; default: [alert] to in loadwatch.toml).")
@click.option("--min-severity", type=click.Choice(["caution", "high"]), default="caution",
              show_default=True, help="Least severity to e-mail (pain red flags always are).")
@as_of_option
@tz_option
@click.option("--dry-run", is_flag=True, help="Print the e-mail instead of sending it; change no state.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Settings with [smtp] and [alert] (default: PATH/loadwatch.toml).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="LOADWATCH_CACHE",
              help="Folder of the cache and the alert state.")
@user_errors
def alert_cmd(path, to, min_severity, as_of, tz, dry_run, config_path, cache_dir):
    """E-mail new risk flags for a runner (PATH) or a squad (a folder of athlete folders).

    Each flag (athlete, code, date) is sent once: the state is advanced only after the
    mail server accepted the message, so a failed run is retried by the next one.
    Exit 0: sent, or nothing new; 1: could not send (or some files failed); 2: bad usage.
    """
    from loadwatch import alert, notify

    settings_cfg = config_mod.load(config_path or config_mod.find(path))
    try:
        settings = alert.SmtpSettings.from_mapping(settings_cfg.smtp, source=str(settings_cfg.path))
    except alert.AlertConfigError as exc:
        raise UserError(str(exc)) from exc
    if not dry_run:
        check_password(settings)
    with Store(store_mod.cache_dir(cache_dir),
               warn=lambda msg: say(f"Warning: {msg}")) as store:
        items, problems = notify.collect(path, as_of=as_of, tz=tz, store=store,
                                         to=list(to) or settings_cfg.alert_to)
        for problem in problems:
            say(f"Error: {problem}")
        if not items:
            sys.exit(EXIT_USAGE)
        missing = [i.athlete for i in items if not i.recipients]
        if missing and not dry_run:
            raise UserError(f"no recipient for {', '.join(missing)}: give --to ADDR or "
                            "[alert] to = [...] in loadwatch.toml")
        try:
            outcome = alert.run_alerts(items, settings, alert.AlertState(store.conn),
                                       min_severity=min_severity, dry_run=dry_run,
                                       digest=bool(to) or bool(settings_cfg.alert_to) or len(items) == 1)
        except alert.AlertSendError as exc:
            say(f"Error: {exc}")
            sys.exit(EXIT_PARTIAL)
    verb = "would send" if dry_run else "sent"
    say(f"{outcome.new_flags} new flag(s); {verb} {len(outcome.messages)} e-mail(s).")
    sys.exit(EXIT_PARTIAL if problems else EXIT_OK)


@cli.group("pain")
def pain_group():
    """Keep the pain diary (pain.csv) that the report lines up against your training load."""


def diary_option(func):
    return click.option("--pain", "pain_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=Path("pain.csv"), show_default=True,
                        help="The diary file (usually pain.csv in the athlete's folder).")(func)


@pain_group.command("add")
@click.option("--date", "day", type=DateType(), default=None, help="Day of the entry (default: today).")
@click.option("--severity", type=click.IntRange(0, 10), required=True,
              help="Pain 0-10; 0 records a pain-free day.")
@click.option("--location", default="", help='Where, in your words (e.g. "inner knee", "pes anserine").')
@click.option("--side", type=click.Choice(["left", "right", "both"]), default=None)
@click.option("--onset", type=click.Choice(["gradual", "sudden"]), default=None,
              help="Gradual (built up over days) or sudden (a moment you can name).")
@click.option("--symptom", "symptoms", multiple=True,
              help="Repeatable: swelling, bruising, locking, catching, clicking, grinding, instability, "
                   "giving_way, pop, weight_bearing_pain, night_pain, stiffness, tightness, "
                   "reduced_range, and twist, blow or fall for the moment it happened.")
@click.option("--note", default="", help="Anything else.")
@diary_option
@user_errors
def pain_add(day, severity, location, side, onset, symptoms, note, pain_path):
    """Append one entry to the diary, safely (never a half-written file)."""
    from loadwatch import pain

    entry = pain.parse_entry({"date": (day or date.today()).isoformat(), "severity": str(severity),
                              "location": location, "side": side or "", "onset": onset or "",
                              "symptoms": ";".join(symptoms), "notes": note})
    pain.append_entry(pain_path, entry)
    click.echo(one_line(f"Added to {pain_path}: {entry.date.isoformat()}, "
                        f"severity {entry.severity}/10."))
    reasons = pain.red_flags(entry)
    if reasons:
        click.echo("This sounds like an acute injury rather than overload ("
                   + "; ".join(reasons) + "). Get it checked by a sports physical therapist or "
                   "doctor before running on it.", err=True)


@pain_group.command("list")
@diary_option
@user_errors
def pain_list(pain_path):
    """Show the diary, with any bad rows named."""
    from loadwatch import pain

    if not pain_path.is_file():
        raise UserError(f"{pain_path}: no such pain diary (add an entry with 'loadwatch pain add')")
    diary = pain.read_diary(pain_path)
    click.echo(terminal(pain.format_diary(diary)))
    for note in diary.notes:
        say(f"Note: {note}")
    for problem in diary.errors:
        say(f"Error: {problem}")
    sys.exit(EXIT_PARTIAL if diary.errors else EXIT_OK)


def check_password(settings) -> None:
    """Refuse a password SMTP login cannot send, before connecting; never show any of it.

    SMTP's AUTH PLAIN, LOGIN and CRAM-MD5 (Python's smtplib) send ASCII only; the
    error Python would raise quotes the offending character.
    """
    from loadwatch import alert

    if not settings.user:
        return
    try:
        password = settings.password()
    except alert.AlertConfigError as exc:
        raise UserError(str(exc)) from None
    except UnicodeDecodeError:
        raise UserError(f"{settings.password_file}: the SMTP password file is not UTF-8 "
                        "text") from None
    if password and not password.isascii():
        raise UserError("the SMTP password has characters other than ASCII, which SMTP login "
                        "cannot send; use an ASCII password (or an app password) for loadwatch")


def cache_dir_for(option: str | None) -> Path:
    """The cache folder, created, with a warning if an unreadable cache had to be rebuilt."""
    path = cache_dir(option)
    Store(path, warn=lambda msg: say(f"Warning: {msg}")).close()
    return path


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
