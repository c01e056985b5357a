"""What an alert run has to say: each athlete's active flags, chart and recipients.

:func:`collect` reads a runner's folder, or a squad folder of athlete folders,
and returns one :class:`loadwatch.alerts.compose.AlertItem` per athlete. One
athlete's broken diary, config, files or name never stops a squad: that athlete
becomes a one-line problem and the others' alerts go out. Which flags are new to
whom, and the sending, are :mod:`loadwatch.alerts.run`'s job.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from loadwatch import config as config_mod
from loadwatch import flags as flags_mod
from loadwatch.alerts.compose import AlertItem, clean_text
from loadwatch.athlete import load_athlete
from loadwatch.config import ConfigError
from loadwatch.engine import LoadError
from loadwatch.pain import DiaryError
from loadwatch.report import build as report_pkg
from loadwatch.squad import athlete_folders
from loadwatch.store import Store
from loadwatch.timeline import TimezoneError

USER_ERRORS = (ConfigError, TimezoneError, DiaryError, LoadError)


def is_squad(path: Path) -> bool:
    """A squad folder holds athlete folders and no athlete files of its own.

    A runner's folder has its own ``loadwatch.toml``' athlete table, ``pain.csv``,
    ``activities.csv`` or activity files at the top (a Strava export's
    ``activities/`` sub-folder does not make it a squad).

    Raises
    ------
    loadwatch.config.ConfigError
        The folder's own ``loadwatch.toml`` is broken.
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
            to: list[str], require_recipients: bool = True) -> tuple[list[AlertItem], list[str]]:
    """Alert items for the runner in ``path`` or every athlete of a squad folder.

    Parameters
    ----------
    to : list of str
        Recipients from the command line or the coach's config; when empty, each
        athlete's own ``[alert] to``.
    require_recipients : bool, default True
        An athlete with no recipient at all is a problem (not on a dry run).

    Returns
    -------
    items : list of AlertItem
        One per athlete that could be read.
    problems : list of str
        One line each: an athlete that could not be read (and why), files that
        failed, an athlete with no recipient.
    """
    folders = athlete_folders(path)[0] if is_squad(path) else [path]
    items, problems = [], []
    for folder in folders:
        try:
            item, folder_problems = _athlete(folder, as_of=as_of, tz=tz, store=store, to=to)
        except USER_ERRORS as exc:
            problems.append(clean_text(str(exc)))
            continue
        except (ValueError, OSError) as exc:
            problems.append(f"{clean_text(str(folder))}: {clean_text(str(exc))}")
            continue
        except Exception as exc:  # noqa: BLE001 - one athlete's bug must not stop a squad's alerts
            problems.append(f"{clean_text(str(folder))}: unexpected {type(exc).__name__}: "
                            f"{clean_text(str(exc))}")
            continue
        problems += folder_problems
        if item is None:
            continue
        if require_recipients and not item.recipients:
            problems.append(f"no recipient for {clean_text(item.athlete)} ({clean_text(str(folder))}): "
                            "give --to ADDR or [alert] to = [...] in loadwatch.toml")
            continue
        items.append(item)
    return items, problems


def _athlete(folder: Path, *, as_of, tz, store, to) -> tuple[AlertItem | None, list[str]]:
    data = load_athlete([folder], tz=tz, store=store)
    problems = [f"{clean_text(str(p))}: {clean_text(str(e))}" for p, e in data.report.errors]
    if data.timeline.empty:
        return None, [*problems, f"{clean_text(str(folder))}: no activities found"]
    day = as_of or datetime.now(data.tz).date()
    built = report_pkg.for_athlete(data, as_of=day)
    active = flags_mod.visible(built.flags, day)
    return AlertItem(athlete=data.name, athlete_id=data.athlete_id,
                     risk=built.report["risk"]["level"], flags=active,
                     recipients=list(to or data.config.alert_to),
                     chart_png=built.chart_png() if active else None), problems
