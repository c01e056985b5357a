"""The assessment layer: an athlete's files, settings and pain diary in, a verdict out.

This is the one place that reads what a verdict needs: the activities
(:func:`loadwatch.athlete.load_athlete`), the pain diary (:func:`read_pain`) and the
settings that shape the verdict (:func:`options_for`), then calls
:func:`loadwatch.verdict.judge`. The outputs (:mod:`loadwatch.report`,
:mod:`loadwatch.squad`, :mod:`loadwatch.alerts`) only render or send the
:class:`loadwatch.verdict.Verdict` they are given; the public API
(:mod:`loadwatch.api`) and the command line sit on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

import pandas as pd

from loadwatch import engine, pain
from loadwatch import flags as flags_mod
from loadwatch import wellness as wellness_mod
from loadwatch.athlete import AthleteData, load_athlete
from loadwatch.config import Config, ConfigError
from loadwatch.importers.cache import Store
from loadwatch.importers.walk import Manifest
from loadwatch.verdict import Verdict, VerdictOptions, judge

DIARY_NAME = "pain.csv"
"""The pain diary's file name in an athlete's folder."""


@dataclass(frozen=True)
class Athlete:
    """An athlete ready to be judged: activities, settings and pain diary, as read.

    Attributes
    ----------
    data : loadwatch.athlete.AthleteData
        The imported activities (deduplicated timeline), settings and import report.
    diary : loadwatch.pain.Diary or None
        None without a diary, or when it was too large to read (see ``errors``).
    warnings : tuple of str
        One line per note on the diary or bad diary row (the other rows count).
    errors : tuple of str
        Inputs left out, one line each (a diary too large to read): a verdict on
        this athlete is partial.
    wellness : loadwatch.wellness.Wellness or None
        The folder's wellness log (:mod:`loadwatch.wellness`); None without one. Its bad
        rows are in ``warnings``.
    """

    data: AthleteData
    diary: pain.Diary | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    wellness: wellness_mod.Wellness | None = None

    @property
    def name(self) -> str:
        """The configured name, else the folder's."""
        return self.data.name

    @property
    def folder(self) -> Path:
        return self.data.folder

    @property
    def timeline(self) -> pd.DataFrame:
        """One row per activity, deduplicated (:func:`loadwatch.timeline.build`)."""
        return self.data.timeline

    @property
    def settings(self) -> Config:
        """The settings in effect (:func:`loadwatch.config.resolve`)."""
        return self.data.config

    @property
    def tz(self) -> tzinfo:
        return self.data.tz

    @property
    def athlete_id(self) -> str:
        """The stable id (:attr:`loadwatch.athlete.AthleteData.athlete_id`)."""
        return self.data.athlete_id

    @property
    def import_report(self) -> dict:
        """What the import read, skipped and failed, as the JSON outputs' ``import`` block."""
        return self.data.report.to_json()


MAX_DIARY_WARNINGS = 20
"""Bad diary rows named one by one in a report, a squad or an alert; the rest are counted in
one line (``loadwatch pain list`` names them all). [rows]"""


def read_pain(path: Path, *, required: bool) -> tuple[pain.Diary | None, list[str]]:
    """The pain diary at ``path`` (None if absent), its notes and one warning per bad row
    (at most :data:`MAX_DIARY_WARNINGS`, then one line counting the rest).

    Raises
    ------
    loadwatch.pain.DiaryError
        A diary named on the command line is missing, or any diary is unreadable
        or has a wrong header (:class:`loadwatch.pain.DiaryTooLarge` for one too large).
    """
    if not path.is_file():
        if required:
            raise pain.DiaryError(f"{path}: no such pain diary")
        return None, []
    diary = pain.read_diary(path)
    errors = list(diary.errors)
    if len(errors) > MAX_DIARY_WARNINGS:
        # A diary of bad rows would bury the report under a line per row.
        more = len(errors) - MAX_DIARY_WARNINGS
        errors = errors[:MAX_DIARY_WARNINGS] + [
            f"{path}: {more:,} more rows like these were left out ('loadwatch pain list' "
            "lists every one)"]
    return diary, list(diary.notes) + errors


def with_diary(data: AthleteData, pain_path: Path | None = None) -> Athlete:
    """``data`` with its pain diary: ``pain_path`` (must exist), else the folder's ``pain.csv``.

    A diary too large to read leaves the diary out and says so in ``errors``: the
    load verdict stands without it.

    Raises
    ------
    loadwatch.pain.DiaryError
        As :func:`read_pain`.
    """
    # Context only (never the level): a bad row is a warning, the rest count.
    well = wellness_mod.read(data.folder)
    notes = well.errors if well is not None else ()
    left_out = tuple(f"{s}; this report leaves it out" for s in (well.skipped if well else ()))
    try:
        diary, warnings = read_pain(pain_path if pain_path is not None
                                    else data.folder / DIARY_NAME, required=pain_path is not None)
    except pain.DiaryTooLarge as exc:
        return Athlete(data, warnings=tuple(notes), wellness=well,
                       errors=(f"{exc}; this report leaves the pain diary out", *left_out))
    return Athlete(data, diary, tuple(warnings) + tuple(notes), left_out, wellness=well)


def load(paths: list[Path], *, tz: str | None = None, config_path: Path | None = None,
         pain_path: Path | None = None, store: Store | None = None,
         progress: Callable | None = None, follow_links: bool = False,
         workers: int | None = None, settings: Config | None = None,
         known: Manifest | None = None) -> Athlete:
    """Import one athlete from ``paths`` (its folder, or files) and read its pain diary.

    The arguments are :func:`loadwatch.athlete.load_athlete`'s, and ``pain_path`` is
    :func:`with_diary`'s.

    Raises
    ------
    loadwatch.config.ConfigError, loadwatch.timeline.TimezoneError, loadwatch.pain.DiaryError
        A bad settings file, zone name or pain diary.
    """
    data = load_athlete(paths, tz=tz, config_path=config_path, store=store, progress=progress,
                        follow_links=follow_links, workers=workers, settings=settings,
                        known=known)
    return with_diary(data, pain_path)


def options_for(settings: Config, *, as_of: date, units: str | None = None,
                load: str | None = None, folder: Path | str | None = None) -> VerdictOptions:
    """Verdict options from the caller's choices and the athlete's settings (``units`` and
    ``load`` None: the settings', ``[athlete] units`` and ``load``).

    Raises
    ------
    loadwatch.config.ConfigError
        A bad ``[thresholds]`` key or value, naming the file that set it (``key``
        holds ``thresholds.<name>``).
    """
    try:
        thresholds = flags_mod.Thresholds.from_mapping(settings.thresholds)
    except flags_mod.ThresholdError as exc:
        key = f"thresholds.{exc.key}"
        raise ConfigError(f"{settings.where(key)}: {exc}", key=key) from exc
    athlete = engine.AthleteParams(max_hr=settings.athlete.max_hr,
                                   rest_hr=settings.athlete.rest_hr, sex=settings.athlete.sex)
    return VerdictOptions(as_of=as_of, units=units or settings.athlete.units,
                          load=load or settings.athlete.load,
                          thresholds=thresholds, athlete=athlete, ignore=dict(settings.ignore),
                          confirm=frozenset(settings.confirm),
                          injuries=tuple(settings.athlete.injuries),
                          folder=None if folder is None else str(folder))


def today(zone: tzinfo) -> date:
    """Today's date in ``zone`` (the athlete's), the default report date."""
    return datetime.now(zone).date()


def assess(athlete: Athlete, *, as_of: date | None = None, units: str | None = None,
           load: str | None = None) -> Verdict:
    """The verdict on ``athlete`` as of ``as_of`` (default: today in the athlete's zone).

    Parameters
    ----------
    units : str, optional
        ``km`` or ``mi`` (default: the settings').
    load : str, optional
        The daily load of the ratios and monotony: ``distance``, ``duration``, ``trimp``
        or ``srpe`` (default: ``[athlete] load`` of the settings, else ``distance``).

    Raises
    ------
    loadwatch.config.ConfigError
        Bad ``[thresholds]`` settings.
    loadwatch.engine.LoadError
        ``load="trimp"`` without the heart-rate settings it needs.
    """
    day = as_of or today(athlete.tz)
    return judge_athlete(athlete, options_for(athlete.settings, as_of=day, units=units, load=load,
                                              folder=athlete.data.folder))


def judge_athlete(athlete: Athlete, options: VerdictOptions) -> Verdict:
    """The verdict on ``athlete`` with ``options`` made beforehand (:func:`options_for`).

    The command line makes the options before reading the diary, so that bad
    settings are the error it names first.
    """
    return judge(athlete.timeline, athlete.name, options, athlete.diary, athlete.wellness)
