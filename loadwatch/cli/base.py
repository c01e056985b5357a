"""The command line's ground floor: the ``loadwatch`` group, shared options, output and errors.

Start-up matters here: ``loadwatch --help``, ``pain add`` and ``pain list`` must answer at
once, so this module imports only click and the small pandas-free modules at its top;
whatever imports pandas, numpy or matplotlib is imported inside the function that needs
it, with the reason beside it.
"""

from __future__ import annotations

import functools
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from loadwatch import __version__, fileio, folders, progress
from loadwatch.config import ConfigError, valid_address
from loadwatch.folders import FolderError
from loadwatch.safetext import no_surrogates, one_line, terminal

if TYPE_CHECKING:
    from loadwatch.athlete import AthleteData
    from loadwatch.importers.cache import Store

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def user_error_types() -> tuple[type[Exception], ...]:
    """The library's documented input errors, each turned into one ``Error:`` line (exit 2)."""
    from loadwatch.diaryfile import DiaryError  # the diary file's own (no pandas)
    from loadwatch.engine import LoadError  # pandas: asked only once a command failed (start-up)
    from loadwatch.timeline import TimezoneError  # pandas, as above

    return (ConfigError, TimezoneError, DiaryError, LoadError, fileio.UnsafeTarget, FolderError)


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
        except Exception as exc:
            # Checked after the fact: the error types live in modules that import pandas.
            if isinstance(exc, click.ClickException) or not isinstance(exc, user_error_types()):
                raise
            if _debug():
                raise
            raise UserError(str(exc)) from exc

    return wrapper


# -- shared options ----------------------------------------------------------------------------

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
        if not valid_address(str(value)):
            self.fail(f"{one_line(repr(value))} is not an e-mail address like "
                      "coach@example.org", param, ctx)
        return str(value)


def as_of_option(func):
    return click.option("--as-of", "as_of", type=DateType(), default=None,
                        help="Report date, YYYY-MM-DD (default: today in the athlete's zone).")(func)


def today_in(zone) -> date:
    return datetime.now(zone).date()


def open_store(cache_dir_opt: str | None, no_cache: bool) -> Store | None:
    from loadwatch.importers.cache import (  # pandas: only for a command that imports
        Store,
        cache_dir,
    )

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
    from loadwatch.athlete import load_athlete  # pandas: only for a command that imports

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
    elif fmt in ("html", "csv", "ics"):
        # Data, not a terminal: CSV and iCalendar keep their CRLF line ends as written.
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


# -- the group -------------------------------------------------------------------------------

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


def cache_dir_for(option: str | None) -> str | None:
    """The cache folder, checked (a damaged cache is rebuilt with a warning).

    None when the cache cannot be used (a full disk, a lock): that is reported,
    and the squad is read without it.
    """
    from loadwatch.importers.cache import (  # pandas: only for a command that imports
        Store,
        cache_dir,
    )

    path = cache_dir(option)
    store = Store(path, warn=lambda msg: say(f"Warning: {msg}"))
    close_store(store)
    return None if store.problem else str(path)

