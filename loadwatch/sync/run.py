"""``loadwatch sync PATH``: one athlete, or a squad athlete by athlete.

PATH is a squad when :func:`loadwatch.folders.is_squad` says so, or when its
sub-folders have settings of their own (athletes not synced yet have no files) and
PATH's own file names no athlete (``[athlete] name``); else it is one athlete. Each athlete syncs from the
service its merged ``[sync]`` settings name (a squad's file may hold the shared
``service`` and ``url``); a failure is named with the athlete and the others go on.

Exit codes (:func:`exit_code`): 0 all went well (Strava stubs counted are not a
fault); 1 a server unreachable, a timeout, a folder that cannot be written or a watch
not mounted (that athlete's folder unchanged); 2 bad settings, a wrong key or a
forbidden athlete; 3 an unexpected failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loadwatch import config as config_mod
from loadwatch import folders
from loadwatch.config import ConfigError
from loadwatch.sync import intervals, watch
from loadwatch.sync.client import AuthError, SyncError, WaitBudget
from loadwatch.sync.settings import SyncConfigError, SyncSettings
from loadwatch.sync.store import StoreError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3


@dataclass
class AthleteSync:
    """One athlete's sync: what it did, in lines, and its exit code."""

    name: str
    folder: Path
    code: int = EXIT_OK
    lines: list[str] = field(default_factory=list)
    """What was brought in, one line each (stdout)."""
    notes: list[str] = field(default_factory=list)
    """What the user should know but is no fault (Strava stubs, a 429 waited out)."""
    error: str | None = None
    result: object = None


def athletes_of(path: Path) -> tuple[list[Path], bool]:
    """The athlete folders to sync under ``path``, and whether ``path`` is a squad."""
    path = Path(path)
    subs = [d for d in sorted(path.iterdir())
            if d.is_dir() and not d.name.startswith(".")
            and d.name.lower() not in folders.EXPORT_PARTS
            and (d / config_mod.CONFIG_NAME).is_file()]
    own_file = config_mod.find(path)
    own = config_mod.load(own_file) if own_file is not None else config_mod.Config()
    # A squad's own file may hold sync.athlete by mistake; its sub-folders' settings decide.
    squad = folders.is_squad(path) or bool(subs and not own.athlete.name)
    if not squad:
        return [path], False
    members = set(folders.athlete_folders(path)[0]) | set(subs)
    return sorted(m for m in members if m.name.lower() not in folders.EXPORT_PARTS), True


def sync_path(path: str | os.PathLike, *, state: Path, today: date | None = None,
              progress: Callable | None = None, notice: Callable[[str], None] | None = None,
              sleep: Callable[[float], None] | None = None) -> list[AthleteSync]:
    """Sync the athlete at ``path``, or every athlete of the squad at ``path``.

    Parameters
    ----------
    path : path
        An athlete folder or a squad folder.
    state : Path
        The state folder (:func:`loadwatch.sync.cursor.state_dir`).
    today : date, optional
        The last day of the window is the day after it (default: this machine's today).
    progress : callable, optional
        ``progress(label, total, unit)`` (:func:`loadwatch.progress.bars`).
    notice : callable, optional
        Receives one-line messages while a sync waits (a 429).

    Returns
    -------
    list of AthleteSync
        One per athlete, in order; a squad athlete without ``[sync]`` is listed with a note.

    Raises
    ------
    loadwatch.config.ConfigError
        The one athlete's settings are missing or bad (a squad names them per athlete).
    """
    members, squad = athletes_of(Path(path))
    budget = WaitBudget()   # one key's rate limit: the squad's athletes share the waits
    out = []
    for folder in members:
        outcome = AthleteSync(folder.name, folder)
        out.append(outcome)
        try:
            _one(outcome, squad, state, today, progress, notice, sleep, budget)
        except ConfigError as exc:
            if not squad:
                raise
            outcome.code, outcome.error = EXIT_USAGE, str(exc)
        except AuthError as exc:
            outcome.code, outcome.error = EXIT_USAGE, str(exc)
        except (SyncError, StoreError) as exc:
            outcome.code, outcome.error = EXIT_PARTIAL, str(exc)
        except Exception as exc:  # noqa: BLE001 - one athlete's failure must not stop a squad
            if not squad:
                raise
            outcome.code = EXIT_UNEXPECTED
            outcome.error = f"unexpected {type(exc).__name__}: {exc}"
    return out


def _one(outcome: AthleteSync, squad: bool, state: Path, today, progress, notice, sleep,
         budget: WaitBudget) -> None:
    folder = outcome.folder
    cfg = config_mod.resolve(folder)
    if cfg.athlete.name:
        outcome.name = cfg.athlete.name
    if not cfg.sync:
        if squad:
            outcome.notes.append(f"{outcome.name}: no [sync] settings in "
                                 f"{folder / config_mod.CONFIG_NAME}; not synced")
            return
        raise SyncConfigError(f"{folder / config_mod.CONFIG_NAME}: no [sync] settings: add "
                              "[sync] with service = \"intervals\" and athlete = \"i...\" (or "
                              "service = \"folder\" with path = \"...\")")
    if squad and cfg.sync.get("service", "intervals") == "intervals" and "athlete" not in cfg.sync:
        # "0" is the key's own athlete: in a squad synced with the coach's key, that is the
        # coach, whose runs must never land in an athlete's folder as theirs.
        outcome.notes.append(f"{outcome.name}: no sync.athlete in "
                             f"{folder / config_mod.CONFIG_NAME}; not synced (in a squad each "
                             "athlete names their intervals.icu id, \"i...\")")
        return
    settings = SyncSettings.from_mapping(cfg.sync, source=cfg.where("sync"),
                                         sources=cfg.sources)
    say = (lambda msg: notice(f"{outcome.name}: {msg}")) if notice else None
    if settings.service == "folder":
        got = watch.copy_new(folder, settings, progress=progress)
        outcome.result = got
        outcome.lines.append(f"{outcome.name}: {len(got.copied)} new activity file(s) copied "
                             f"from {settings.path} into {folder / watch.FOLDER} "
                             f"({got.known} copied before)")
        outcome.notes += [f"{outcome.name}: {where}: {why}" for where, why in got.skipped]
        return
    got = intervals.sync_intervals(folder, settings, state, today=today, progress=progress,
                                   notice=say, sleep=sleep, budget=budget)
    outcome.result = got
    outcome.lines.append(
        f"{outcome.name}: {got.added} new, {got.updated} updated, {got.removed} removed "
        f"activities and {got.wellness} wellness day(s) from intervals.icu "
        f"({got.oldest} to {got.newest}, {got.requests} requests)")
    if got.stubs:
        outcome.notes.append(f"{outcome.name}: {got.stubs} activities {intervals.STRAVA_NOTE}")


def exit_code(outcomes: list[AthleteSync]) -> int:
    """The worst code of the athletes (0 when there are none to fault)."""
    return max((o.code for o in outcomes), default=EXIT_OK)
