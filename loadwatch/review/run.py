"""Reviewing athletes: an athlete's level history and diary into counts, a squad in parallel.

One athlete (:func:`athlete_exposure`): the level of every day from :data:`LOOK_BACK` days
before the diary's start to the report date (:func:`loadwatch.verdict.history.history`, the
level the runner was shown), then :func:`loadwatch.review.cohort.exposure`. A squad
(:func:`review_folders`): each athlete in a worker process, as ``loadwatch squad`` does;
one athlete's broken files or settings cost that athlete only, named in the review's
``errors``. Athletes whose diary has no entry (and no ``[athlete] diary_since``) are left
out: a review needs a diary.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from loadwatch import assessment
from loadwatch import progress as progress_mod
from loadwatch.config import ConfigError
from loadwatch.flags import Thresholds
from loadwatch.review import cohort, model
from loadwatch.review.cohort import LOOK_BACK
from loadwatch.timeline import TimezoneError
from loadwatch.verdict import VerdictOptions
from loadwatch.verdict import history as history_mod


def athlete_levels(athlete: assessment.Athlete, options: VerdictOptions, analysis=None
                   ) -> pd.DataFrame | None:
    """The level of each day the athlete's review counts (:func:`athlete_exposure`), as
    :func:`loadwatch.verdict.history.levels` gives it: from :data:`LOOK_BACK` days before the
    diary's start to ``options.as_of``. None without a diary (nor ``diary_since``), or with
    one that starts after the report date.

    ``analysis`` is the verdict's as of ``options.as_of`` when the caller has it. The report
    draws its level strip from this table when it covers the weeks shown: the level history
    is the costly part of both.
    """
    since = athlete.settings.athlete.diary_since
    if athlete.diary is None and since is None:
        return None  # no diary, no diary_since: no review (and no empty diary made for it)
    diary = athlete.diary if athlete.diary is not None else _no_diary()
    start = cohort.diary_start(diary, since)
    if start is None or start > options.as_of:
        return None
    # The level only (history_mod.levels): the review does not need the clinical status.
    return history_mod.levels(athlete.timeline, athlete.name, options, athlete.diary,
                              start=start - timedelta(days=LOOK_BACK), end=options.as_of,
                              analysis=analysis)


def athlete_exposure(athlete: assessment.Athlete, as_of: date,
                     options: VerdictOptions | None = None, analysis=None,
                     levels: pd.DataFrame | None = None, episodes: list | None = None
                     ) -> tuple[model.AthleteExposure | None, Thresholds]:
    """One athlete's counts as of ``as_of`` (None without a diary), and their thresholds.

    ``options`` are the report's (its load and settings: the level the runner was shown);
    by default the athlete's settings'. ``analysis`` is the verdict's as of ``as_of`` when the
    caller has it (``Verdict.analysis``): the level history then does not make it again.
    ``levels``: :func:`athlete_levels` with these options, when the caller has made it;
    ``episodes``: the diary's (:func:`verdict_episodes`), when the caller has them.

    Raises
    ------
    loadwatch.config.ConfigError
        Bad ``[thresholds]`` settings.
    """
    if options is None:
        options = assessment.options_for(athlete.settings, as_of=as_of, folder=athlete.folder)
    options = dataclasses.replace(options, as_of=as_of)
    t = options.thresholds
    history = levels if levels is not None else athlete_levels(athlete, options, analysis)
    if history is None:
        return None, t
    diary = athlete.diary if athlete.diary is not None else _no_diary()
    since = athlete.settings.athlete.diary_since
    found = cohort.exposure(history, diary, as_of, t.review_washout_days, since, episodes)
    if found is None:
        return None, t
    return model.AthleteExposure(athlete.name, str(athlete.folder), found), t


def _no_diary():
    from loadwatch.pain import Diary

    return Diary()


@dataclass(frozen=True)
class Outcome:
    """One athlete's result in a squad, in picklable values."""

    folder: str
    exposure: model.AthleteExposure | None = None
    max_ratio: float | None = None
    error: str | None = None
    exit_code: int = 0


@dataclass(frozen=True)
class Job:
    folder: str
    as_of: date | None
    tz: str | None
    cache_dir: str | None
    follow_links: bool = False


def review_athlete(job: Job) -> Outcome:
    """Load one athlete and count; a user-level problem becomes the outcome's error."""
    from loadwatch.importers.cache import Store

    path = Path(job.folder)
    try:
        store = Store(job.cache_dir, check=False) if job.cache_dir else None
        try:
            athlete = assessment.load([path], tz=job.tz, store=store,
                                      follow_links=job.follow_links, workers=1)
        finally:
            if store:
                store.close()
        if athlete.errors:
            return Outcome(job.folder, error="; ".join(athlete.errors), exit_code=1)
        if athlete.timeline.empty:
            return Outcome(job.folder, error="no activities could be read", exit_code=1)
        found, t = athlete_exposure(athlete, job.as_of or assessment.today(athlete.tz))
        return Outcome(job.folder, found, t.review_max_ci_ratio,
                       exit_code=1 if athlete.data.report.errors else 0)
    except (ConfigError, TimezoneError, ValueError, OSError) as exc:
        return Outcome(job.folder, error=str(exc), exit_code=1)


def review_folders(folders: list[Path], *, as_of: date | None, tz: str | None = None,
                   cache_dir: str | None = None, workers: int | None = None,
                   follow_links: bool = False, progress: Callable | None = None
                   ) -> list[Outcome]:
    """Every athlete of ``folders`` reviewed, in parallel processes (one athlete each).

    ``progress`` is called with the number of athletes and returns a context manager with
    ``update(n)`` (:meth:`loadwatch.progress.Bars.athletes`); None shows nothing.
    """
    jobs = [Job(str(f), as_of, tz, cache_dir, follow_links) for f in folders]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        return progress_mod.counted(progress, len(jobs), (review_athlete(j) for j in jobs))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return progress_mod.counted(progress, len(jobs), pool.map(review_athlete, jobs))



def combine(outcomes: list[Outcome], as_of: date) -> model.Review:
    """The review of the athletes that keep a diary; errors named by folder.

    The "too few to tell" rule is the athletes' ``review_max_ci_ratio``: the squad's
    ``loadwatch.toml`` sets it for all (when athletes differ, the strictest, the smallest
    ratio, holds for the pooled table).
    """
    reviewed = sorted((o for o in outcomes if o.exposure is not None),
                      key=lambda o: (o.exposure.athlete.lower(), o.folder))
    ratios = [o.max_ratio for o in reviewed if o.max_ratio is not None]
    max_ratio = min(ratios) if ratios else Thresholds().review_max_ci_ratio
    errors = [(o.folder, o.error) for o in outcomes if o.error]
    partial = any(o.exit_code and not o.error for o in outcomes)
    review = model.build([o.exposure for o in reviewed], as_of, max_ratio, errors, partial)
    without = sum(1 for o in outcomes if o.exposure is None and not o.error)
    if without and reviewed:
        note = (f"{without} athlete{'s' if without != 1 else ''} without a pain diary "
                f"{'were' if without != 1 else 'was'} left out.")
        review = dataclasses.replace(review, notes=(*review.notes, note))
    return review


def verdict_episodes(verdict) -> list | None:
    """The diary's episodes as the verdict found them (``Verdict.pain.episodes``), when they
    are the whole diary's: no entry after the report date (the verdict reads the diary up to
    it; the review reads all of it). None otherwise, or without a diary."""
    view, diary = verdict.pain, verdict.diary
    if view is None or diary is None:
        return None
    dates = diary.entries["date"]
    if len(dates) and dates.max() > pd.Timestamp(verdict.as_of):
        return None
    return view.episodes


def report_part(athlete: assessment.Athlete, options: VerdictOptions, analysis=None,
                levels: pd.DataFrame | None = None, episodes: list | None = None
                ) -> dict | None:
    """The athlete's review as the report carries it (``review`` of ``loadwatch/report-v3``).

    ``analysis``: the verdict's (``Verdict.analysis``), reused; ``levels``: :func:`athlete_levels`
    with ``options``, and ``episodes``: :func:`verdict_episodes`, when the caller has them.
    None when the athlete keeps no diary. The counts per lag and level are always there (the
    squad pools them); the rate ratios and the sentence only when the diary covers at least
    ``Thresholds.review_min_athlete_days`` counted athlete-days (else ``sentence`` is None and
    ``rate_ratio`` empty): the sentence is "too few episodes to tell" or the ratio with its
    interval (:func:`loadwatch.review.model.athlete_sentence`).
    """
    as_of = options.as_of
    found, t = athlete_exposure(athlete, as_of, options, analysis, levels, episodes)
    if found is None:
        return None
    e = found.exposure
    part = {"diary_start": e.diary_start.isoformat(), "athlete_days": e.athlete_days,
            "episodes": sum(e.events[cohort.PRIMARY].values()),
            "lags": {name: {lvl: {"athlete_days": e.days[name][lvl],
                                  "episodes": e.events[name][lvl]} for lvl in cohort.LEVELS}
                     for name, _ in cohort.LAGS},
            "sentence": None, "rate_ratio": {}, "max_ci_ratio": t.review_max_ci_ratio}
    if e.athlete_days >= t.review_min_athlete_days:
        review = model.build([found], as_of, t.review_max_ci_ratio)
        part["sentence"] = model.athlete_sentence(review, t.review_min_athlete_days)
        part["rate_ratio"] = review.to_json()["rate_ratio"]
    return part


def pooled(parts: list[tuple[str, str, dict]], as_of: date, max_ratio: float) -> dict | None:
    """A squad's pooled review from its athletes' report parts (:func:`report_part`).

    Parameters
    ----------
    parts : list of (athlete, folder, part)
    as_of : datetime.date
    max_ratio : float
        ``Thresholds.review_max_ci_ratio``.

    Returns
    -------
    dict or None
        ``athletes`` (with a diary), and the review document's ``levels``, ``rate_ratio``,
        ``lags``, ``limits`` and ``notes`` (:meth:`loadwatch.review.model.Review.to_json`);
        None when no athlete keeps a diary.
    """
    strata = []
    for name, folder, part in parts:
        days = {lag: {lvl: c["athlete_days"] for lvl, c in levels.items()}
                for lag, levels in part["lags"].items()}
        events = {lag: {lvl: c["episodes"] for lvl, c in levels.items()}
                  for lag, levels in part["lags"].items()}
        exposure = cohort.Exposure(date.fromisoformat(part["diary_start"]), as_of, days, events)
        strata.append(model.AthleteExposure(name, folder, exposure))
    if not strata:
        return None
    doc = model.build(strata, as_of, max_ratio).to_json()
    return {"athletes": len(strata), **{k: doc[k] for k in ("levels", "rate_ratio", "lags",
                                                            "limits", "notes")}}
