"""Which folder is what: an athlete's, a squad's, or neither.

========================  ==================================================================
athlete folder            a folder with a ``loadwatch.toml`` (``loadwatch init`` writes one),
                          or the folder named by ``--athlete``, ``$LOADWATCH_ATHLETE`` or
                          the user config's ``[athlete] folder``; not a squad folder. Only
                          an athlete folder receives a ``pain.csv`` or settled activities.
squad folder              a folder of athlete folders (:func:`is_squad`): its sub-folders
                          hold activity files and it holds none of its own. ``squad`` and
                          ``alert`` read each sub-folder as one athlete; ``report`` and
                          ``timeline`` refuse it rather than merge everyone into one runner.
a folder of runs          anything else with activity files in it (a Downloads folder, an
                          export): ``report``, ``import`` and ``timeline`` read it, but
                          loadwatch writes nothing into it.
========================  ==================================================================

The CLI, the squad and the alerts all ask here, so they agree on every folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from loadwatch import config as config_mod

ATHLETE_ENV = "LOADWATCH_ATHLETE"
"""The environment variable naming the athlete folder."""
STATE_ENV = "LOADWATCH_STATE"
"""The environment variable naming the state folder (the alerts' and the sync's)."""
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".bin")
"""Activity files (also gzipped); besides them a ``.zip`` or a ``.csv`` other than the diary."""
DIARY_NAME = "pain.csv"
RPE_LOG_NAME = "rpe.csv"
"""The athlete's own session ratings (:mod:`loadwatch.rpelog`): not an activity file."""
EXPORT_FILES = frozenset({"export.xml", "export_cda.xml", "activities.csv"})
"""Files at the top of one runner's export (Apple Health, Strava): never a squad folder."""
EXPORT_PARTS = frozenset({"activities", "workout-routes", "electrocardiograms", "di_connect",
                          "di-connect-fitness", "di-connect-uploaded-files", "uploadedfiles",
                          "intervals.icu", "watch"})
"""Sub-folders of one runner's export (Strava, Apple Health, Garmin's account export) or of
what ``loadwatch sync`` brought in (``intervals.icu/``, ``watch/``): never an athlete of a
squad."""
SYNCED_ACTIVITIES = "intervals-activities.json"
"""The synced store's activities (:mod:`loadwatch.sync.store`): an athlete's data."""


class FolderError(ValueError):
    """A folder that is not what the command needs; one line naming it and what to do."""


def has_activity_files(folder: Path, depth: int | None = None) -> bool:
    """Whether ``folder`` (down to ``depth`` levels of sub-folders; None: all) holds a file
    an importer may read."""
    base = len(folder.parts)
    for root, dirs, files in os.walk(folder):
        if depth is not None and len(Path(root).parts) - base >= depth:
            dirs[:] = []
        for name in files:
            lower = name.lower()
            if ((lower.endswith((".zip", ".csv")) and lower not in (DIARY_NAME, RPE_LOG_NAME))
                    or lower == SYNCED_ACTIVITIES):
                return True
            if lower.removesuffix(".gz").endswith(ACTIVITY_SUFFIXES):
                return True
    return False


def looks_like_athlete(folder: Path) -> bool:
    """A folder with a ``loadwatch.toml``, a ``pain.csv`` or activity files in it or in its
    direct sub-folders: something an athlete's data may be read from (never written to)."""
    return ((folder / config_mod.CONFIG_NAME).is_file() or (folder / DIARY_NAME).is_file()
            or has_activity_files(folder, depth=1))


def is_athlete_folder(folder: Path) -> bool:
    """A folder that ``loadwatch init`` made or that has its own ``loadwatch.toml``, and that is
    not a squad folder (whose ``loadwatch.toml`` holds the squad's shared settings).

    Raises
    ------
    loadwatch.config.ConfigError
        The folder's own ``loadwatch.toml`` is broken.
    """
    return (folder / config_mod.CONFIG_NAME).is_file() and not is_squad(folder)


def _loop(sub: Path, top: Path) -> bool:
    """A symbolic link to ``top`` itself or to a folder above it: read as an athlete, it would
    hold everyone's files."""
    try:
        return sub.is_symlink() and top.is_relative_to(sub.resolve())
    except (OSError, RuntimeError):  # a link to itself
        return True


def athlete_folders(squad_dir: Path, follow_links: bool = False
                    ) -> tuple[list[Path], list[tuple[str, str]]]:
    """The sub-folders of a squad folder that hold activity files, and the skipped ones with a
    reason.

    A sub-folder that is a symbolic link leading outside ``squad_dir`` is skipped unless
    ``follow_links``; one leading to ``squad_dir`` itself or a folder above it always is.
    """
    folders, skipped = [], []
    top = squad_dir.resolve()
    for sub in sorted(p for p in squad_dir.iterdir() if not p.name.startswith(".")):
        if _loop(sub, top):
            skipped.append((sub.name, "a link to the squad folder itself or a folder above "
                                      "it, not read (it would hold every athlete's files)"))
            continue
        if not sub.is_dir():
            continue
        if not follow_links and sub.is_symlink() and not sub.resolve().is_relative_to(top):
            skipped.append((sub.name, "a link to outside the squad folder, not followed "
                                      "(--follow-links reads it)"))
            continue
        if not has_activity_files(sub):
            skipped.append((sub.name, "no activity files (not an athlete folder)"))
            continue
        folders.append(sub)
    return folders, skipped


def is_squad(path: Path) -> bool:
    """A squad folder holds athlete folders and no athlete files of its own: a sub-folder with
    activity files and its own ``loadwatch.toml``, or two or more sub-folders with activity
    files when the folder's own ``loadwatch.toml`` names no athlete.

    A runner's folder has ``pain.csv``, ``activities.csv``, an export's ``export.xml`` or
    activity files at the top (a Strava export's ``activities/`` sub-folder does not make it
    a squad).

    Raises
    ------
    loadwatch.config.ConfigError
        The folder's own ``loadwatch.toml`` is broken.
    """
    if not path.is_dir():
        return False
    if _runner_files_at_top(path):
        return False
    members = [m for m in athlete_folders(path)[0] if m.name.lower() not in EXPORT_PARTS]
    if any((m / config_mod.CONFIG_NAME).is_file() for m in members):
        return True  # athlete folders of their own: a squad, whatever its own settings say
    cfg = config_mod.find(path)
    if cfg is not None and config_mod.load(cfg).athlete.name:
        return False
    # One sub-folder of files is one runner's files kept a level down (an unzipped export);
    # a squad is two or more.
    return len(members) >= 2


def _runner_files_at_top(path: Path) -> bool:
    """``path`` holds a file (not a folder) named as a runner's: ``pain.csv``,
    ``activities.csv``, an export's file, or an activity file or archive.

    Only the entries so named are stat'ed, and the first one that is a file ends the
    look: a folder of 15,000 activity files costs one listing and one ``stat``, not a
    ``stat`` (and a ``Path``) per file.
    """
    with os.scandir(path) as entries:
        for entry in entries:
            name = entry.name.lower()
            if ((name in (DIARY_NAME, "activities.csv") or name in EXPORT_FILES
                 or name.removesuffix(".gz").endswith((*ACTIVITY_SUFFIXES, ".zip")))
                    and Path(entry.path).is_file()):
                return True
    return False


def refuse_squad(path: Path, command: str) -> None:
    """Refuse ``command`` (``report``, ``timeline``: one runner) on a squad folder.

    Raises
    ------
    FolderError
        ``path`` is a squad folder: the line points to ``loadwatch squad``.
    """
    if not is_squad(path):
        return
    names = [f.name for f in athlete_folders(path)[0]]
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    raise FolderError(
        f"{path} is a squad folder ({len(names)} athlete folders: {shown}), not one runner's: "
        f"run 'loadwatch squad {path}' for all of them, or 'loadwatch {command}' on one "
        "athlete's folder (if it is one runner's files, give it a loadwatch.toml with "
        "[athlete] name)")


def athlete_folder(option: Path | None, *, writing: bool = True) -> Path:
    """The athlete folder a command works in: ``option`` (``--athlete DIR``), else
    ``$LOADWATCH_ATHLETE``, else ``[athlete] folder`` of the user config, else the current
    folder if it is an athlete's.

    Unnamed, the folder must be an athlete's (:func:`is_athlete_folder`: ``loadwatch init``
    made it, or it has a ``loadwatch.toml``); a command that only reads (``writing=False``)
    also takes one with a ``pain.csv`` or activity files (:func:`looks_like_athlete`). A squad
    folder never is, named or not. loadwatch never writes its files into whatever folder the
    shell happens to be in (a Downloads folder, a squad).

    Raises
    ------
    FolderError
        No such folder, a squad folder, or an unnamed folder that is not an athlete's.
    loadwatch.config.ConfigError
        The user config or the folder's ``loadwatch.toml`` is broken.
    """
    env = os.environ.get(ATHLETE_ENV)
    option = option or (Path(env) if env else None)
    named_by = ""
    if option is None:
        user = config_mod.resolve(None)
        if user.athlete.folder:
            option = Path(user.athlete.folder)
            named_by = f" (athlete.folder in {user.where('athlete.folder')})"
    folder = option or Path.cwd()
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such athlete folder{named_by}")
    # The cheap test first: the current folder of a shell may be a large home folder.
    marked = (folder / config_mod.CONFIG_NAME).is_file() if writing else looks_like_athlete(folder)
    if (marked or option is not None) and is_squad(folder):
        raise FolderError(f"{folder} is a squad folder{named_by}, not one athlete's: give the "
                          "athlete's own folder with --athlete DIR (one of its sub-folders); "
                          f"'loadwatch squad {folder}' reports on all of them")
    if option is None and not marked:
        raise FolderError(f"{folder} is not an athlete folder (no loadwatch.toml): run "
                          f"'loadwatch init {folder}' to make it one, or give the athlete's "
                          "folder with --athlete DIR")
    return folder


def state_dir(option: str | os.PathLike | None = None) -> Path:
    """The user's state folder, shared by the alert state and the sync cursors: ``option``
    (``--state-dir``), else ``$LOADWATCH_STATE``, else ``platformdirs.user_state_dir``
    (e.g. ``~/.local/state/loadwatch``). Never an athlete folder: it holds no data."""
    if option:
        return Path(option)
    env = os.environ.get(STATE_ENV)
    if env:
        return Path(env)
    import platformdirs  # start-up: only when no folder is named

    return Path(platformdirs.user_state_dir("loadwatch"))
