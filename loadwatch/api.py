"""loadwatch from Python: load a runner, assess the load, read the verdict as data.

::

    import loadwatch
    athlete = loadwatch.load_athlete("runs/")                   # .timeline, .diary, .settings
    verdict = loadwatch.assess(athlete, as_of="2026-11-22")      # .risk, .clinical, .next_week, .flags
    verdict.weeks, verdict.days                                  # pandas DataFrames
    verdict.to_json()                                            # == loadwatch report runs/ --format json
    squad = loadwatch.assess_squad("team/", as_of="2026-11-22")  # .rows (a DataFrame), .to_json()
    loadwatch.sync_folder("runs/")                               # == loadwatch sync runs/

This module sits on top of the layers (the assessment, :mod:`loadwatch.assessment`;
the report, :mod:`loadwatch.report`; the squad, :mod:`loadwatch.squad`); the
command line is a thin layer over it and prints the same documents. Every error
for the caller's input is a :class:`ValueError` (a bad settings file, zone, diary,
or a folder without activities) or a :class:`FileNotFoundError` (no such path).
"""

from __future__ import annotations

import copy
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from loadwatch import assessment as assess_mod
from loadwatch import folders, squad, squad_state
from loadwatch.assessment import Athlete
from loadwatch.flags import Flag
from loadwatch.importers.cache import Store, cache_dir
from loadwatch.report import build as report_pkg
from loadwatch.report import history as history_doc
from loadwatch.verdict import Clinical, NextWeek, Risk, Verdict, VerdictOptions
from loadwatch.verdict import history as history_mod

__all__ = ["HISTORY_COLUMNS", "Assessment", "Athlete", "NoActivities", "SquadAssessment",
           "assess", "assess_squad", "histories", "history", "load_athlete", "review",
           "sync_folder"]

WEEK_COLUMNS = ("week", "start", "end", "days", "complete", "runs", "run_days", "run_distance",
                "longest_run", "run_duration_s", "elevation_gain_m", "change_pct", "rest_days",
                "cross_training_sessions", "strength_sessions", "cross_training_duration_s",
                "walk_sessions", "time_on_feet_s", "max_run_streak", "monotony", "strain", "acwr",
                "acwr_coupled", "acwr_uncoupled", "duration_change_pct", "elevation_change_pct",
                "trimp", "hard_runs", "longest_run_ratio", "session_load", "sessions_rated",
                "rpe_missing")
"""The columns of :attr:`Assessment.weeks`: the report's ``weeks`` rows (docs/json.md)."""

DAY_COLUMNS = ("date", "run_distance", "ceiling", "load", "rest", "cross_training",
               "run_streak", "acwr", "pain")
"""The columns of :attr:`Assessment.days`: the report's ``days`` rows (docs/json.md)."""

SQUAD_COLUMNS = ("rank", "athlete", "folder", "clinical", "risk", "drivers", "risk_summary",
                 "last_activity", "diary", "this_week", "longest_run", "units", "pain",
                 "spikes_last_14_days", "reason", "conditions", "conditions_shown",
                 "data_to_check", "import", "error")
"""The columns of :attr:`SquadAssessment.rows`: the squad JSON's ``athletes`` rows."""


HISTORY_COLUMNS = history_mod.COLUMNS
"""The columns of :func:`history`'s table: ``date`` (datetime64), ``level``, ``drivers`` (a tuple
of flag codes, strongest first), ``clinical`` (:mod:`loadwatch.verdict.history`)."""


class NoActivities(ValueError):
    """A folder where no activity could be read (a runner), or no athlete folder (a squad)."""


def _existing(path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(p))
    return p


def _day(as_of: date | str | None) -> date | None:
    return date.fromisoformat(as_of) if isinstance(as_of, str) else as_of


def _cache_folder(cache: str | os.PathLike | bool | None) -> str | None:
    """The cache folder a ``cache`` argument names (True: the default one; None or False:
    no cache)."""
    if cache is None or cache is False:
        return None
    return str(cache_dir(None if cache is True else str(cache)))


def _store(cache: str | os.PathLike | bool | None) -> Store | None:
    folder = _cache_folder(cache)
    return None if folder is None else Store(folder)


def _members(p: Path, follow_links: bool) -> tuple[list[Path], list[tuple[str, str]]]:
    """The athlete folders of ``p`` and the folders skipped: a squad's, or ``p`` alone.

    Raises
    ------
    NoActivities
        A squad folder without athlete folders.
    """
    if not folders.is_squad(p):
        return [p], []
    members, skipped = folders.athlete_folders(p, follow_links)
    if not members:
        raise NoActivities(f"no athlete folders with activity files in {p}")
    return members, skipped


def load_athlete(path: str | os.PathLike, *, tz: str | None = None,
                 config: str | os.PathLike | None = None, pain: str | os.PathLike | None = None,
                 cache: str | os.PathLike | bool | None = None,
                 follow_links: bool = False) -> Athlete:
    """Read one runner's folder (or activity file): activities, settings and pain diary.

    Parameters
    ----------
    path : str or path-like
        The athlete's folder (any layout the importers read) or one file.
    tz : str, optional
        IANA zone of the athlete's local days (default: the folder's settings, else
        this machine's).
    config : path-like, optional
        A settings file read instead of the folder's ``loadwatch.toml``.
    pain : path-like, optional
        The pain diary (default: ``pain.csv`` in the folder, if there is one).
    cache : path-like or bool, optional
        A cache folder, or True for the user cache folder (default: no cache).
    follow_links : bool, default False
        Read what symbolic links lead to outside the folder.

    Returns
    -------
    loadwatch.assessment.Athlete
        ``.timeline`` (a DataFrame, one activity a row), ``.diary``, ``.settings``,
        ``.name``; ``.warnings`` and ``.errors`` say what of the diary was left out.

    Raises
    ------
    FileNotFoundError
        ``path`` (or ``config``, or ``pain``) does not exist.
    NoActivities
        No activity could be read from ``path``.
    loadwatch.folders.FolderError
        ``path`` is a squad folder (use :func:`assess_squad`).
    loadwatch.config.ConfigError, loadwatch.timeline.TimezoneError, loadwatch.pain.DiaryError
        A bad settings file, zone name or pain diary (all ``ValueError``).
    """
    p = _existing(path)
    config_path = _existing(config) if config is not None else None
    folders.refuse_squad(p, "load_athlete")
    store = _store(cache)
    try:
        data = assess_mod.load_athlete([p], tz=tz, config_path=config_path, store=store,
                                       follow_links=follow_links)
    finally:
        if store is not None:
            store.close()
    if data.timeline.empty:
        raise NoActivities(f"no activities found in {p}")
    return assess_mod.with_diary(data, Path(pain) if pain is not None else None)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one athlete on one day, and the report that shows it.

    Attributes
    ----------
    verdict : loadwatch.verdict.Verdict
        Everything decided (risk, clinical status, next week, flags, the load analysis).
    report : dict
        The ``loadwatch/report-v3`` document (:meth:`to_json` gives a copy).
    """

    verdict: Verdict
    built: report_pkg.BuiltReport

    @classmethod
    def of(cls, athlete: Athlete, options: VerdictOptions, *, weeks: int = 8) -> Assessment:
        """Judge ``athlete`` with ``options`` (:func:`loadwatch.assessment.options_for`)."""
        from loadwatch.review import run as review_run  # numpy work only with a diary

        verdict = assess_mod.judge_athlete(athlete, options)
        # The level history the review counts on is the strip's too: made once.
        levels = review_run.athlete_levels(athlete, options, verdict.analysis)
        review = review_run.report_part(athlete, options, verdict.analysis, levels,
                                        review_run.verdict_episodes(verdict))
        return cls(verdict, report_pkg.of_verdict(verdict, weeks=weeks,
                                                  import_report=athlete.import_report,
                                                  review=review, levels=levels))

    @property
    def report(self) -> dict:
        return self.built.report

    @property
    def athlete(self) -> str:
        return self.verdict.athlete

    @property
    def as_of(self) -> date:
        return self.verdict.as_of

    @property
    def risk(self) -> Risk:
        """The load level (``.level``: usual, raised, high, unknown) and what drives it."""
        return self.verdict.risk

    @property
    def clinical(self) -> Clinical:
        """What the pain diary says about seeing a clinician (``.status``, ``.summary``)."""
        return self.verdict.clinical

    @property
    def next_week(self) -> NextWeek:
        """Next week's numbers (``.lines``, ``.notes``)."""
        return self.verdict.next_week

    @property
    def flags(self) -> list[Flag]:
        """Every episode of every condition over the history, pain red flags included."""
        return self.verdict.flags

    @property
    def weeks(self) -> pd.DataFrame:
        """The report's weeks (the last ``weeks``), one row each: :data:`WEEK_COLUMNS`."""
        return pd.DataFrame(self.report["weeks"], columns=list(WEEK_COLUMNS))

    @property
    def days(self) -> pd.DataFrame:
        """The report's days (those of the weeks shown), one row each: :data:`DAY_COLUMNS`."""
        return pd.DataFrame(self.report["days"], columns=list(DAY_COLUMNS))

    def to_json(self) -> dict:
        """The report as ``loadwatch report PATH --format json`` prints it (a copy)."""
        return copy.deepcopy(self.report)

    def chart_png(self) -> bytes:
        """The report's charts as a PNG image."""
        return self.built.chart_png()


def assess(athlete: Athlete, *, as_of: date | str | None = None, units: str | None = None,
           load: str | None = None, weeks: int = 8) -> Assessment:
    """The verdict on ``athlete`` (from :func:`load_athlete`) as of ``as_of``.

    Parameters
    ----------
    as_of : datetime.date or str, optional
        The report date, ``YYYY-MM-DD`` (default: today in the athlete's zone).
    units : str, optional
        ``km`` or ``mi`` (default: the settings').
    load : str, optional
        The load of the ratios, monotony and strain: ``distance``, ``duration``, ``trimp``
        or ``srpe`` (Foster's session RPE of the rated sessions); default: ``[athlete]
        load`` of the settings, else ``distance``.
    weeks : int, default 8
        Weeks in the report (and in :attr:`Assessment.weeks`).

    Raises
    ------
    ValueError
        ``as_of`` is not a date; bad ``[thresholds]`` settings
        (:class:`loadwatch.config.ConfigError`); ``load="trimp"`` without heart-rate
        settings (:class:`loadwatch.engine.LoadError`).
    """
    day = _day(as_of) or assess_mod.today(athlete.tz)
    options = assess_mod.options_for(athlete.settings, as_of=day, units=units, load=load,
                                     folder=athlete.data.folder)
    return Assessment.of(athlete, options, weeks=weeks)


def history(athlete: Athlete, *, start: date | str | None = None,
            end: date | str | None = None) -> pd.DataFrame:
    """The load level, its drivers and the clinical status of every day, as
    ``loadwatch report --as-of DAY`` gives them (:func:`loadwatch.verdict.history.history`).

    Parameters
    ----------
    athlete : Athlete
        From :func:`load_athlete`.
    start : datetime.date or str, optional
        The first day, ``YYYY-MM-DD`` (default: the first day of the data).
    end : datetime.date or str, optional
        The last day (default: today in the athlete's zone).

    Returns
    -------
    pandas.DataFrame
        :data:`HISTORY_COLUMNS`, one row per day (none when ``start`` is after ``end``).

    Raises
    ------
    ValueError
        A date that is not one; bad ``[thresholds]`` settings.
    """
    last = _day(end) or assess_mod.today(athlete.tz)
    options = assess_mod.options_for(athlete.settings, as_of=last, folder=athlete.data.folder)
    return history_mod.history(athlete.timeline, athlete.name, options, athlete.diary,
                               start=_day(start), end=last)


def histories(path: str | os.PathLike, *, start: date | str | None = None,
              end: date | str | None = None, tz: str | None = None,
              cache: str | os.PathLike | bool | None = None, follow_links: bool = False,
              progress: Callable | None = None) -> history_doc.HistoryRun:
    """:func:`history` of the runner in ``path``, or of every athlete of a squad folder.

    Each athlete's days run from ``start`` (default: the first day of its data) to
    ``end`` (default: today in its zone). An athlete that cannot be read (no
    activities, bad settings or diary) is an entry of ``errors`` and the others go on.

    Parameters
    ----------
    path : str or path-like
        A runner's folder (or file), or a squad folder (one sub-folder per athlete).
    start, end, tz, cache, follow_links
        As for :func:`history` and :func:`load_athlete`.
    progress : callable, optional
        Called with the number of athletes, returns a context manager with ``update(n)``.

    Returns
    -------
    loadwatch.report.history.HistoryRun
        ``.athletes`` (name, folder, table), ``.errors``, ``.skipped``;
        :func:`loadwatch.report.history.to_json` and ``to_csv`` render it.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    NoActivities
        A squad folder without athlete folders.
    ValueError
        A date that is not one.
    """
    p = _existing(path)
    first, last = _day(start), _day(end)
    run = history_doc.HistoryRun()
    members, run.skipped = _members(p, follow_links)
    store = _store(cache)

    def one(folder: Path) -> None:
        try:
            data = assess_mod.load_athlete([folder], tz=tz, store=store,
                                           follow_links=follow_links)
            if data.timeline.empty:
                problems = "; ".join(f"{f}: {e}" for f, e in data.report.errors[:3])
                raise NoActivities("no activities could be read"
                                   + (f" ({problems})" if problems else ""))
            athlete = assess_mod.with_diary(data)
            if athlete.errors:
                # Without its diary every day would read "nothing needs a clinician" unread.
                raise ValueError("; ".join(athlete.errors))
            run.athletes.append(history_doc.AthleteHistory(
                athlete.name, str(folder), history(athlete, start=first, end=last)))
        except (ValueError, OSError) as exc:
            run.errors.append((folder.name, str(folder), str(exc)))

    try:
        if progress is None:
            for folder in members:
                one(folder)
        else:
            with progress(len(members)) as bar:
                for folder in members:
                    one(folder)
                    bar.update(1)
    finally:
        if store is not None:
            store.close()
    return run


@dataclass(frozen=True)
class SquadAssessment:
    """Every athlete of a squad folder, judged and ranked (most urgent first).

    Attributes
    ----------
    result : loadwatch.squad.SquadResult
        Each athlete's report or error.
    document : dict
        The ``loadwatch/squad-v3`` document (:meth:`to_json` gives a copy).
    """

    result: squad.SquadResult
    document: dict

    @property
    def rows(self) -> pd.DataFrame:
        """The athletes reported, in the coach's order: :data:`SQUAD_COLUMNS`."""
        return pd.DataFrame(self.document["athletes"], columns=list(SQUAD_COLUMNS))

    @property
    def errors(self) -> list[dict]:
        """The athletes that could not be reported, each with its ``error``."""
        return self.document["errors"]

    def to_json(self) -> dict:
        """The squad as ``loadwatch squad DIR --format json`` prints it (a copy)."""
        return copy.deepcopy(self.document)


def assess_squad(path: str | os.PathLike, *, as_of: date | str | None = None,
                 tz: str | None = None, workers: int | None = None,
                 cache: str | os.PathLike | bool | None = None, follow_links: bool = False,
                 scheduler: str | None = None, record: bool = False,
                 progress: Callable | None = None,
                 echo: Callable[[str], None] | None = None) -> SquadAssessment:
    """Judge every athlete of a squad folder (one sub-folder each), in parallel.

    Parameters
    ----------
    as_of, tz, follow_links
        As for :func:`load_athlete` and :func:`assess`, for every athlete.
    workers : int, optional
        Processes (default: all cores).
    cache : path-like or bool, optional
        A cache folder, or True for the user cache folder (default: no cache).
    scheduler : str, optional
        ``local`` (default), ``dask-local`` or a Dask scheduler address.
    record : bool, default False
        Compare with the squad's previous report and keep this one, as ``loadwatch
        squad`` does: the document's ``changes``. Otherwise ``changes`` is None.
    progress, echo
        :func:`loadwatch.squad.run`'s progress bar and messages.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    NoActivities
        No athlete folder with activity files.
    loadwatch.cluster.ClusterError
        The Dask scheduler cannot be used.
    """
    p = _existing(path)
    result = squad.run(p, as_of=_day(as_of), cache_dir=_cache_folder(cache), tz=tz, workers=workers,
                       follow_links=follow_links, scheduler=scheduler, progress=progress,
                       echo=echo)
    if not result.athletes:
        raise NoActivities(f"no athlete folders with activity files in {p}")
    doc = squad.to_json(result)
    if record:
        doc["changes"] = squad_state.record(p, doc)
    return SquadAssessment(result, doc)


def sync_folder(path: str | os.PathLike, *, state_dir: str | os.PathLike | None = None,
                progress: Callable | None = None,
                notice: Callable[[str], None] | None = None) -> list:
    """Bring new activities into an athlete folder, or each of a squad's, as ``loadwatch sync``.

    Parameters
    ----------
    path : path-like
        An athlete folder (its ``loadwatch.toml`` has ``[sync]``) or a squad folder.
    state_dir : path-like, optional
        Where the sync cursors are kept (default: ``$LOADWATCH_STATE``, else the user
        state folder).
    progress, notice
        A progress-bar factory (:func:`loadwatch.progress.bars`) and a receiver of
        one-line messages (a 429 waited out).

    Returns
    -------
    list of loadwatch.sync.run.AthleteSync
        One per athlete: ``lines`` (what was brought in), ``notes`` (Strava stubs
        counted), ``error`` and ``code`` (0, 1 unreachable, 2 refused or bad settings).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    loadwatch.config.ConfigError
        The one athlete's ``[sync]`` settings are missing or bad, or there is no key.
    """
    from loadwatch.sync import cursor, run  # httpx: only for a sync

    return run.sync_path(_existing(path), state=cursor.state_dir(state_dir), progress=progress,
                         notice=notice)


def review(path: str | os.PathLike, *, as_of: date | str | None = None, tz: str | None = None,
           workers: int | None = None, cache: str | os.PathLike | bool | None = None,
           follow_links: bool = False, progress: Callable | None = None):
    """How pain followed the load level, for a runner or a squad (``loadwatch review``).

    Parameters
    ----------
    path : str or path-like
        An athlete folder, or a squad folder (one sub-folder per athlete).
    as_of : datetime.date or str, optional
        The report date (default: today in each athlete's zone).
    tz, workers, cache, follow_links, progress
        As :func:`assess_squad`.

    Returns
    -------
    loadwatch.review.model.Review
        Counts, rates and rate ratios with their intervals (``.to_json()`` is the
        ``loadwatch/review-v1`` document); athletes whose diary has no entry are left out,
        athletes that could not be read are named in ``.errors``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    NoActivities
        A squad folder without athlete folders.
    """
    from loadwatch.review import run as review_run  # scipy: only the review loads it

    p = _existing(path)
    day = _day(as_of)
    members, _skipped = _members(p, follow_links)
    if members == [p]:  # one runner's folder: no process pool
        workers = 1
    store_dir = _cache_folder(cache)
    if store_dir is not None:
        Store(store_dir).close()  # checked (and rebuilt if damaged) once, not per athlete
    outcomes = review_run.review_folders(members, as_of=day, tz=tz, cache_dir=store_dir,
                                         workers=workers, follow_links=follow_links,
                                         progress=progress)
    return review_run.combine(outcomes, day or date.today())
