"""One athlete's data: configuration, imported activities and the deduplicated timeline.

This is where the lower layers meet: a folder (or files) in, an :class:`AthleteData`
out. The report, the squad view and the alerts all start from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

import pandas as pd

from loadwatch import config as config_mod
from loadwatch import timeline
from loadwatch.importers.scan import ImportReport, import_paths
from loadwatch.safetext import display_name
from loadwatch.store import Store


@dataclass
class AthleteData:
    """An athlete's configuration, timeline and import report."""

    name: str
    folder: Path
    config: config_mod.Config
    tz: tzinfo
    timeline: pd.DataFrame
    report: ImportReport


def athlete_name(path: Path, cfg: config_mod.Config) -> str:
    """The configured name, else the folder's name (a file's folder for a file).

    A folder name that is not UTF-8 has its odd bytes as ``\\xNN``
    (:func:`loadwatch.safetext.display_name`), so every report, mail and log can hold it.
    """
    if cfg.athlete.name:
        return cfg.athlete.name
    folder = path if path.is_dir() else path.parent
    return display_name(folder.resolve().name) or "athlete"


def load_athlete(paths: list[Path], *, tz: str | None = None, config_path: Path | None = None,
                 store: Store | None = None, follow_links: bool = False) -> AthleteData:
    """Import one athlete from ``paths`` (its folder, or files), deduplicated.

    The zone is ``tz`` if given, else the config's ``athlete.timezone``, else the
    machine's. The config is ``config_path``, else the first path's ``loadwatch.toml``.
``follow_links`` reads what symbolic links lead to outside the folder
(:func:`loadwatch.importers.scan.import_paths`).

    Raises
    ------
    loadwatch.config.ConfigError, loadwatch.timeline.TimezoneError
        A bad config file or zone name.
    """
    first = Path(paths[0])
    cfg = config_mod.load(config_path or config_mod.find(first))
    zone = timeline.resolve_tz(tz or cfg.athlete.timezone)
    name = athlete_name(first, cfg)
    records, report = import_paths(paths, store, follow_links=follow_links)
    df = timeline.build(records, name, zone)
    df, dropped = timeline.dedupe(df)
    report.duplicates_dropped = dropped
    report.activities = len(df)
    return AthleteData(name, first if first.is_dir() else first.parent, cfg, zone, df, report)
