"""What the daily alert run has to say: each athlete's active flags, chart and recipients.

:func:`collect` reads a runner's folder, or a squad folder of athlete folders,
and returns one :class:`loadwatch.alert.AlertItem` per athlete. Which of those
flags are new, and the sending, are :func:`loadwatch.alert.run_alerts`'s job.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from loadwatch import config as config_mod
from loadwatch import flags as flags_mod
from loadwatch.alert import AlertItem
from loadwatch.athlete import load_athlete
from loadwatch.config import ConfigError
from loadwatch.report import build as report_pkg
from loadwatch.squad import athlete_folders
from loadwatch.store import Store
from loadwatch.timeline import TimezoneError


def is_squad(path: Path) -> bool:
    """A squad folder holds athlete folders and no athlete files of its own.

    A runner's folder has its own ``loadwatch.toml``' athlete table, ``pain.csv``,
    ``activities.csv`` or activity files at the top (a Strava export's
    ``activities/`` sub-folder does not make it a squad).
    """
    if not path.is_dir():
        return False
    top = {p.name.lower() for p in path.iterdir() if p.is_file()}
    if top & {"pain.csv", "activities.csv"}:
        return False
    if any(n.removesuffix(".gz").endswith((".fit", ".gpx", ".tcx", ".zip")) for n in top):
        return False
    cfg = config_mod.find(path)
    if cfg is not None and config_mod.load(cfg).athlete.name:
        return False
    return bool(athlete_folders(path)[0])


def collect(path: Path, *, as_of: date | None, tz: str | None, store: Store | None,
            to: list[str]) -> tuple[list[AlertItem], list[str]]:
    """Alert items for the runner in ``path`` or every athlete of a squad folder.

    Recipients are ``to`` (the command line or the coach's config) or, when empty,
    each athlete's own ``[alert] to``. Returns the items and one-line problems
    (an athlete that could not be read, files that failed).
    """
    folders = athlete_folders(path)[0] if is_squad(path) else [path]
    items, problems = [], []
    for folder in folders:
        try:
            data = load_athlete([folder], tz=tz, store=store)
        except (ConfigError, TimezoneError) as exc:
            problems.append(str(exc))
            continue
        problems += [f"{p}: {e}" for p, e in data.report.errors]
        if data.timeline.empty:
            problems.append(f"{folder}: no activities found")
            continue
        day = as_of or datetime.now(data.tz).date()
        built = report_pkg.for_athlete(data, as_of=day)
        active = flags_mod.visible(built.flags, day)
        items.append(AlertItem(athlete=data.name, risk=built.report["risk"]["level"], flags=active,
                               recipients=list(to or data.config.alert_to),
                               chart_png=built.chart_png() if active else None))
    return items, problems
