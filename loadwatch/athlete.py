"""One athlete's data: configuration, imported activities and the deduplicated timeline.

This is where the lower layers meet: a folder (or files) in, an :class:`AthleteData`
out. The report, the squad view and the alerts all start from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path

import pandas as pd

from loadwatch import config as config_mod
from loadwatch import duplicates, races, rpelog, session_rpe, timeline
from loadwatch.importers.cache import Store
from loadwatch.importers.report import ImportReport
from loadwatch.importers.scan import import_paths
from loadwatch.importers.walk import Manifest, manifest
from loadwatch.safetext import display_name


@dataclass
class AthleteData:
    """An athlete's configuration, timeline and import report."""

    name: str
    folder: Path
    config: config_mod.Config
    tz: tzinfo
    timeline: pd.DataFrame
    report: ImportReport
    paths: list[Path] = field(default_factory=list)
    """What was imported, as given (files, folders)."""

    @property
    def athlete_id(self) -> str:
        """The stable id: ``[athlete] id`` of loadwatch.toml, else the folder's absolute path.

        It keys the alert state, so renaming the athlete (``name``) sends nothing
        again; moving the folder does, unless ``id`` is set. Bytes of a folder name
        that are not UTF-8 are kept as ``\\xNN`` escapes, so every folder has a
        distinct id that a database can store.
        """
        if self.config.athlete.id:
            return self.config.athlete.id
        return os.fsencode(self.folder.resolve()).decode("utf-8", "backslashreplace")


def athlete_name(path: Path, cfg: config_mod.Config) -> str:
    """The configured name, else the folder's name (a file's folder for a file).

    A folder name that is not UTF-8 has its odd bytes as ``\\xNN``
    (:func:`loadwatch.safetext.display_name`), so every report, mail and log can hold it.
    """
    if cfg.athlete.name:
        return cfg.athlete.name
    folder = path if path.is_dir() else path.parent
    return display_name(folder.resolve().name) or "athlete"


def first_folder(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def unknown_sport_notes(df: pd.DataFrame, config_path: Path) -> list[str]:
    """One note per activity whose sport is ``unknown``, saying how to set it."""
    unknown = df["sport"].to_numpy(object) == "unknown"
    if not unknown.any():  # the usual case: no frame is sliced for nothing
        return []
    rows = df.loc[unknown, ["path", "activity_id"]]
    return [f"{path}: states no sport and none could be inferred from its names, device or "
            f"speed, so it counts as 'unknown', not as a run; to set it, add to {config_path}: "
            f"[sports] \"{_base(path)}\" = \"run\" (or ride, walk...), or key it by its id "
            f"\"{aid}\""
            for path, aid in rows.itertuples(index=False)]


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]


def import_records(paths: list[Path], store: Store | None = None,
                   progress: Callable | None = None, *, follow_links: bool = False,
                   workers: int | None = None, known: Manifest | None = None,
                   fields: tuple[str, ...] | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """The records of ``paths`` as a :func:`loadwatch.timeline.records_frame`, and the report.

    An import of folders whose files are all as last time (:func:`~loadwatch.importers.
    walk.manifest`) is read from the cache as one block, with nothing walked twice,
    looked up per file or turned into objects; its report counts every file as from
    the cache. Otherwise the files are imported (:func:`~loadwatch.importers.scan.
    import_paths`, through the per-file cache) and the result is kept, unless a file
    could not be read at all (that may pass: it is tried again next time). ``known`` is
    the manifest of ``paths`` when the caller walked them already (:mod:`loadwatch.reuse`).
    ``fields`` names the columns the caller reads (None: all): a block read from the cache
    holds those only (an import read afresh holds every one).
    """
    if known is None:
        known = manifest(paths, follow_links)
    usable = store is not None and store.available and known.digest is not None
    if usable:
        hit = store.load_import(known.spec, known.digest, fields)
        if hit is not None:
            frame, doc = hit
            return frame, ImportReport.from_json(doc).from_whole_cache()
    records, report = import_paths(paths, store, progress, follow_links=follow_links,
                                   workers=workers, walked=known.walks)
    frame = timeline.records_frame(records)
    unreadable = any(problem.startswith("cannot read") for _, problem in report.errors)
    if usable and store.available and store.problem is None and not unreadable:
        store.save_import(known.spec, known.digest, frame, report.to_json())
    return frame, report


def own_ratings(df: pd.DataFrame, folder: Path
                ) -> tuple[pd.DataFrame, list[tuple[str, str]], list[tuple[str, str]]]:
    """The timeline with the ratings of the folder's ``rpe.csv`` (:mod:`loadwatch.rpelog`,
    :func:`loadwatch.session_rpe.apply_log`), a ``(path, warning)`` per line that rated no
    session, and a ``(path, problem)`` per line (or log) that could not be read: the rest
    still counts."""
    path = folder / rpelog.LOG_NAME
    try:
        ratings, bad = rpelog.read_log(path)
    except rpelog.RpeLogError as exc:
        return df, [], [(str(path), str(exc).removeprefix(f"{path}: "))]
    df, unused = session_rpe.apply_log(df, ratings)
    return df, [(str(path), note) for note in unused], [(str(path), problem.removeprefix(f"{path}, ")) for problem in bad]


def load_athlete(paths: list[Path], *, tz: str | None = None, config_path: Path | None = None,
                 store: Store | None = None, progress: Callable | None = None,
                 follow_links: bool = False, workers: int | None = None,
                 settings: config_mod.Config | None = None,
                 known: Manifest | None = None) -> AthleteData:
    """Import one athlete from ``paths`` (its folder, or files), deduplicated.

    The zone is ``tz`` if given, else the config's ``athlete.timezone``, else the
    machine's. The config is ``config_path``, else the first path's ``loadwatch.toml``,
    over the squad folder's and the user config (:func:`loadwatch.config.resolve`).
    ``progress`` is passed to :func:`loadwatch.importers.scan.import_paths` (a bar for
    long reads such as an Apple Health export).
``follow_links`` reads what symbolic links lead to outside the folder
(:func:`loadwatch.importers.scan.import_paths`). ``settings`` and ``known`` are the
resolved config and the manifest of ``paths`` when the caller has them already (a squad's
:func:`loadwatch.reuse.key`), so that neither is read twice.

    Raises
    ------
    loadwatch.config.ConfigError, loadwatch.timeline.TimezoneError
        A bad config file or zone name.
    """
    first = Path(paths[0])
    cfg = settings if settings is not None else config_mod.resolve(first, config_path=config_path)
    zone = timeline.resolve_tz(tz or cfg.athlete.timezone)
    if tz:
        cfg.sources["athlete.timezone"] = "--tz"
    name = athlete_name(first, cfg)
    # Only the fields the timeline is built from: the rest (a list of warnings per record)
    # would be read back from the cache, as objects, for nothing.
    records, report = import_records(paths, store, progress, follow_links=follow_links,
                                     workers=workers, known=known, fields=timeline.BUILD_FIELDS)
    df = timeline.override_sports(timeline.build(records, name, zone), cfg.sports)
    df, dropped, pairs = duplicates.dedupe(df, confirmed=frozenset(cfg.confirm))
    # After the merge: a day or an id in [races] names the activity that is kept.
    df = races.mark(df, cfg.races)
    notes = unknown_sport_notes(df, cfg.path or first_folder(first) / config_mod.CONFIG_NAME)
    df, log_warnings, log_errors = own_ratings(df, first_folder(first))
    report = report.deduplicated(len(df), dropped, pairs, notes)
    if log_warnings or log_errors:
        report = replace(report, warnings=report.warnings + log_warnings,
                         errors=report.errors + log_errors)
    return AthleteData(name, first_folder(first), cfg, zone, df, report, [Path(p) for p in paths])
