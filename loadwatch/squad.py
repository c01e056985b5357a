"""The coach's view: every athlete of a squad folder, read and reported, most urgent first.

A squad folder holds one sub-folder per athlete (its own ``loadwatch.toml``,
``pain.csv`` and activity files in any layout the importers read). Each athlete
is imported and reported in a separate process (all cores); one athlete's broken
files or config never stop the squad: that athlete's row says what is wrong.
Folders without activity files are listed as skipped; which folders are athletes'
is :mod:`loadwatch.folders`'s. The table's rows, their
ranking and the JSON are :mod:`loadwatch.report.squad_table`'s; what changed since the
last squad report, :mod:`loadwatch.squad_state`'s; the renderers,
:mod:`loadwatch.report.squad`'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loadwatch import assessment, cluster, reuse
from loadwatch import progress as progress_mod
from loadwatch.config import ConfigError
from loadwatch.folders import athlete_folders
from loadwatch.importers.cache import Store
from loadwatch.report import build as report_pkg
from loadwatch.report import squad_table
from loadwatch.review import run as review_run
from loadwatch.timeline import TimezoneError

SCHEMA = squad_table.SCHEMA

REPORT_WEEKS = 8
"""Weeks of history in each athlete's report of a squad: ``loadwatch report``'s default
``--weeks``, so that a row and the athlete's own report agree. [weeks]"""


@dataclass
class AthleteResult:
    """One athlete's outcome: a report dict, or the error that stopped it."""

    folder: str
    name: str
    report: dict | None = None
    error: str | None = None
    exit_code: int = 0


@dataclass(frozen=True)
class AthleteJob:
    """One athlete to report, in plain picklable values (for a worker process or a cluster).

    ``check_cache`` runs the cache's integrity check on opening: needed only when the
    squad has not checked it once already.
    """

    folder: str
    as_of: date | None
    cache_dir: str | None
    tz: str | None = None
    weeks: int = REPORT_WEEKS
    follow_links: bool = False
    check_cache: bool = True


@dataclass
class SquadResult:
    as_of: date
    athletes: list[AthleteResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def report_athlete(job: AthleteJob) -> AthleteResult:
    """Import and report one athlete; any user-level problem becomes the row's error.

    Runs in a worker process, so it takes and returns plain, picklable values. With a
    cache, a report kept from an earlier run is taken back when nothing it depends on
    changed (:mod:`loadwatch.reuse`), and a report made now is kept when it was made
    from a whole-cache import without a problem.
    """
    return report_share((job,))[0]


def report_share(jobs: Sequence[AthleteJob]) -> list[AthleteResult]:
    """:func:`report_athlete` of each job, through one cache connection.

    A worker process's share of a squad (:func:`shares`). Opening the cache and
    closing it (the close folds the write-ahead log back into the file) cost about
    1.5 ms of CPU and waits on the disk, a tenth of an athlete's report: a share pays
    them once. The jobs of one squad name the same cache.
    """
    return list(_reported(jobs))


def _reported(jobs: Sequence[AthleteJob]) -> Iterator[AthleteResult]:
    """Each job's result as it is made, through one cache connection (:func:`report_share`)."""
    store = None
    try:
        for job in jobs:
            path = Path(job.folder)
            # Opened for the first athlete, and again only after the cache gave up (a lock,
            # a full disk): each athlete then tries it afresh, as one opening per athlete did.
            if job.cache_dir and (store is None or store.problem is not None):
                if store is not None:
                    store.close()
                store = Store(job.cache_dir, check=job.check_cache)
            try:
                yield _report_athlete(job, path, store)
            except (ConfigError, TimezoneError, ValueError, OSError) as exc:
                yield AthleteResult(job.folder, path.name, error=str(exc), exit_code=1)
    finally:
        if store:
            store.close()


SHARE_MAX = 16
"""Most athletes a worker process is handed at once. [athletes] A share's results come
back together: 16 athletes (about 0.4 s) keep the progress bar moving."""


def shares(jobs: Sequence[AthleteJob], workers: int) -> list[tuple[AthleteJob, ...]]:
    """The jobs cut into shares for ``workers`` processes, in order: large first, then
    smaller, one athlete each at the end (guided scheduling).

    Large shares open the cache seldom (:func:`report_share`); the single athletes at the
    end let the workers finish together, as handing out one athlete at a time would.
    Each share is half of each worker's part of what is left, at most
    :data:`SHARE_MAX`: 30 athletes on 2 workers are shares of 7, 5, 4, 3, 2, 2 and 7 of one.
    """
    out, start = [], 0
    while start < len(jobs):
        size = min(SHARE_MAX, max(1, (len(jobs) - start) // (2 * workers)))
        out.append(tuple(jobs[start:start + size]))
        start += size
    return out


def _report_athlete(job: AthleteJob, path: Path, store: Store | None) -> AthleteResult:
    folder, as_of = job.folder, job.as_of
    keyed = None
    if store is not None and store.available:
        keyed = reuse.key(path, as_of=as_of, tz=job.tz, weeks=job.weeks,
                          follow_links=job.follow_links)
        kept = store.load_result(folder, keyed.key) if keyed else None
        unpacked = reuse.unpack(kept) if kept is not None else None
        if unpacked is not None:
            return AthleteResult(folder, unpacked[0], report=unpacked[1])
    # One process per athlete already: the import parses in this one.
    # The settings and the folder's walk the key was made of are used as they are.
    athlete = assessment.load([path], tz=job.tz, store=store, follow_links=job.follow_links,
                              workers=1, settings=keyed.settings if keyed else None,
                              known=keyed.known if keyed else None)
    data = athlete.data
    if data.timeline.empty:
        problems = "; ".join(f"{p}: {e}" for p, e in data.report.errors[:3])
        return AthleteResult(folder, data.name, error="no activities could be read"
                             + (f" ({problems})" if problems else ""), exit_code=2)
    report_day = keyed.as_of if keyed else as_of or assessment.today(data.tz)
    options = assessment.options_for(data.config, as_of=report_day, folder=data.folder)
    if athlete.errors:
        # Without its diary a row would say "nothing needs a clinician" unread: an error row.
        return AthleteResult(folder, data.name, error="; ".join(athlete.errors), exit_code=1)
    verdict = assessment.judge_athlete(athlete, options)
    review = review_run.report_part(athlete, options, verdict.analysis,
                                    episodes=review_run.verdict_episodes(verdict))
    # The squad's page draws no day-by-day level strip: it is left out (null) of its reports.
    built = report_pkg.of_verdict(verdict, weeks=job.weeks, import_report=athlete.import_report,
                                  review=review, level_strip=False)
    result = AthleteResult(folder, data.name, report=built.report,
                           exit_code=1 if data.report.errors else 0)
    # Kept only as a warm run makes it: a cold run's "files parsed" would be shown again.
    if keyed and result.exit_code == 0 and data.report.parsed == 0 and store.problem is None:
        store.save_result(folder, keyed.key, reuse.pack(result.name, result.report))
    return result


def run(squad_dir: Path, *, as_of: date | None, cache_dir: str | None, tz: str | None = None,
        workers: int | None = None, progress: Callable | None = None,
        follow_links: bool = False, scheduler: str | None = None,
        echo: Callable[[str], None] | None = None) -> SquadResult:
    """Report every athlete of ``squad_dir`` (in parallel), ranked by risk.

    Parameters
    ----------
    progress : callable, optional
        Called with the number of athletes, returns a context manager with ``update(n)``
        (``click.progressbar`` fits); None shows nothing.
    follow_links : bool, default False
        Read what symbolic links lead to outside the squad and athlete folders.
    scheduler : str, optional
        ``local`` (default): this machine's process pool; ``dask-local`` or a Dask
        scheduler address: one task per athlete on a Dask cluster (:mod:`loadwatch.cluster`).
    echo : callable, optional
        Receives one-line messages about the cluster (its dashboard).
    """
    folders, skipped = athlete_folders(squad_dir, follow_links)
    result = SquadResult(as_of=as_of or date.today(), skipped=skipped)
    if not folders:
        return result
    workers = max(1, min(workers or os.cpu_count() or 1, len(folders)))
    if cache_dir:
        # Checked (and rebuilt if damaged) once here, not once per athlete.
        Store(cache_dir).close()
    jobs = [AthleteJob(str(f), as_of, cache_dir, tz, follow_links=follow_links,
                       check_cache=not cache_dir) for f in folders]
    if not cluster.is_local(scheduler):
        outcomes = cluster.run_tasks(report_athlete, jobs, scheduler, progress=progress,
                                     echo=echo, workers=workers)
        results = [cluster_result(j, o) for j, o in zip(jobs, outcomes, strict=True)]
    elif workers == 1:
        results = progress_mod.counted(progress, len(jobs), _reported(jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(report_share, s) for s in shares(jobs, workers)]
            results = progress_mod.counted(progress, len(jobs),
                                           (r for f in futures for r in f.result()))
    result.athletes = rank(results)
    reported = next((a.report for a in result.athletes if a.report), None)
    if as_of is None and reported:
        result.as_of = date.fromisoformat(reported["as_of"])
    return result


def cluster_result(job: AthleteJob, outcome: cluster.TaskOutcome) -> AthleteResult:
    """The athlete's result from the cluster, or its error row when the task failed for good."""
    if outcome.error is None:
        return outcome.result
    return AthleteResult(job.folder, Path(job.folder).name,
                         error=f"failed on the cluster ({outcome.error})", exit_code=1)



def row_of(a: AthleteResult) -> dict:
    """The triage row of one athlete (:func:`loadwatch.report.squad_table.row`), or its error row."""
    if a.report is None:
        return squad_table.error_row(a.name, a.folder, a.error or "could not be read")
    return squad_table.row(a.name, a.folder, a.report)


def rank(results: list[AthleteResult]) -> list[AthleteResult]:
    """Athletes in the coach's order (:func:`loadwatch.report.squad_table.sort_key`): clinical status
    first, then the load level, a broken athlete just after the highs."""
    return sorted(results, key=lambda a: squad_table.sort_key(row_of(a)))


def to_json(result: SquadResult, changes: dict | None = None) -> dict:
    """The ``loadwatch/squad-v3`` document of a squad run (:func:`loadwatch.report.squad_table.to_json`),
    with the squad's pooled review (:func:`loadwatch.review.run.pooled`) as ``review``."""
    doc = squad_table.to_json([row_of(a) for a in result.athletes], as_of=result.as_of,
                              skipped=result.skipped, changes=changes)
    doc["review"] = pooled_review(result)
    return doc


def pooled_review(result: SquadResult) -> dict | None:
    """The squad's pooled review from its athletes' reports; None when none keeps a diary.

    The "too few to tell" rule is the strictest of the athletes' ``review_max_ci_ratio``.
    """
    parts = [(a.name, a.folder, a.report["review"]) for a in result.athletes
             if a.report and a.report.get("review")]
    if not parts:
        return None
    ratio = min(p["max_ci_ratio"] for _, _, p in parts)
    return review_run.pooled(parts, result.as_of, ratio)


def page_parts(result: SquadResult) -> dict[str, dict]:
    """Each reported athlete's report by folder, for the squad page (its sections and each
    row's sparkline, :mod:`loadwatch.report.sparkline`)."""
    return {a.folder: a.report for a in result.athletes if a.report is not None}


def exit_code(result: SquadResult) -> int:
    """0 all athletes fine; 1 some athletes or files failed; 2 nothing to report."""
    if not any(a.report for a in result.athletes):
        return 2
    return 1 if any(a.exit_code for a in result.athletes) else 0
