"""The pain diary's commands: ``pain add`` (without pandas: it starts at once) and ``pain list``;
the session ratings' ``rpe add`` beside them."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from loadwatch import diaryfile, rpelog
from loadwatch.acute_signs import red_flags
from loadwatch.cli.base import (
    EXIT_OK,
    EXIT_PARTIAL,
    DateType,
    UserError,
    athlete_folder,
    athlete_folder_option,
    cli,
    say,
    user_errors,
)
from loadwatch.safetext import one_line, terminal


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
    if severity is None and not assessed:
        raise UserError("pain add: --severity 0-10 is required, except with --assessed alone")
    words = list(symptoms) + (["assessed"] if assessed else [])
    entry = diaryfile.parse_entry({"date": (day or date.today()).isoformat(),  # no severity: assessed
                                   "severity": "" if severity is None else str(severity),
                                   "location": location, "side": side or "",
                                   "onset": onset or "", "symptoms": ";".join(words),
                                   "notes": note})
    diaryfile.append_entry(pain_path := diary_path(pain_path, athlete_dir), entry)
    what = "no severity" if entry.severity is None else f"severity {entry.severity}/10"
    click.echo(one_line(f"Added to {pain_path}: {entry.date}, {what}{', assessed' * assessed}."))
    reasons = red_flags(entry)
    if reasons:
        click.echo("This sounds like an acute injury rather than overload ("
                   + "; ".join(reasons) + "). Get it checked by a sports physical therapist or "
                   "doctor before running on it.", err=True)


@pain_group.command("list")
@diary_option
@user_errors
def pain_list(pain_path, athlete_dir):
    """Show the athlete's diary, with any bad rows named."""
    from loadwatch import diarytable  # start-up: only for this command (no pandas)

    pain_path = diary_path(pain_path, athlete_dir, writing=False)
    if not pain_path.is_file():
        raise UserError(f"{pain_path}: no such pain diary (add an entry with 'loadwatch pain add')")
    entries, errors, notes = diaryfile.read_entries(pain_path)
    click.echo(terminal(diarytable.render(
        sorted(entries, key=lambda e: (e.date, e.line or 0)))))
    for note in notes:
        say(f"Note: {note}")
    for problem in errors:
        say(f"Error: {problem}")
    sys.exit(EXIT_PARTIAL if errors else EXIT_OK)




@cli.group("rpe")
def rpe_group():
    """Rate how hard sessions felt (rpe.csv), for sessions whose file carries no rating."""


@rpe_group.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("day", metavar="DATE", type=DateType())
@click.argument("value", metavar="VALUE", type=click.FloatRange(0, 10))
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--activity", "activity", default=None, metavar="ID",
              help="The session's activity id (as 'loadwatch timeline --format json' shows "
                   "it), for a day with several sessions.")
@user_errors
def rpe_add(day, value, folder, activity):
    """Rate the session of DATE (YYYY-MM-DD or today): VALUE is how hard the whole session
    was, 0-10 (Foster's CR-10: 1 very easy, 3 moderate, 5 hard, 7 very hard, 10 maximal),
    best given about 30 minutes after it.

    The line goes to rpe.csv in the athlete's FOLDER (default: $LOADWATCH_ATHLETE, else
    [athlete] folder of the user config, else this folder if it is an athlete's), written
    safely (never a half-written file). It rates the one session of that day, or the one
    --activity names; it wins over a rating the activity's file carries.
    """
    # ignore_unknown_options: "-1" reaches VALUE and its range check instead of "No such
    # option '-1'".
    if value != value:  # click's FloatRange lets NaN through (every comparison with it is false)
        raise UserError("rpe add: VALUE 'nan' is not a rating from 0 to 10")
    if day is not None and day > date.today():
        raise UserError(f"rpe add: {day} is after today ({date.today()}): rate a session once "
                        "you have run it")
    entry = rpelog.Rating(day or date.today(), value, activity.strip() if activity else None)
    log = athlete_folder(folder) / rpelog.LOG_NAME
    if entry.activity:
        _check_activity(log.parent, entry)
    try:
        rpelog.append_rating(log, entry)
    except rpelog.RpeLogError as exc:
        raise UserError(str(exc)) from None
    which = f", activity {entry.activity}" if entry.activity else ""
    click.echo(one_line(f"Added to {log}: {entry.day}, RPE {entry.rpe:g}{which}."))


def _check_activity(folder: Path, entry: rpelog.Rating) -> None:
    """Refuse an --activity that is not one of the athlete's, or is on another day: a typo
    would be written, then dropped with a warning by every report (as ``ignore`` refuses one).
    Reads the folder through the cache, so only ``rpe add --activity`` pays for it."""
    from loadwatch.cli.base import import_athlete  # pandas: only with --activity

    data = import_athlete([folder], tz=None, cache_dir=None, no_cache=False)
    rows = data.timeline[data.timeline["activity_id"] == entry.activity]
    if rows.empty:
        raise UserError(f"rpe add: {entry.activity}: not an activity of {folder} (the ids are "
                        "in 'loadwatch timeline --format json')")
    on = rows["local_date"].iloc[0].date()
    if on != entry.day:
        raise UserError(f"rpe add: activity {entry.activity} is on {on}, not {entry.day}: fix "
                        "the date or the id")
