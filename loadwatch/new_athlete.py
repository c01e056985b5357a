"""``loadwatch init``: a new athlete folder, its commented ``loadwatch.toml`` and empty diary.

The settings file is written from a template with every section explained, the
values given filled in and the others left as comments to fill in later, so that
nobody has to copy a file from the README. The pain diary starts as its header
line alone (:data:`loadwatch.pain.HEADER`). Both are written atomically
(:func:`loadwatch.fileio.write_atomic`); an existing file is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomlkit

from loadwatch import config as config_mod
from loadwatch import folders
from loadwatch.fileio import write_atomic
from loadwatch.pain import HEADER

DIARY_NAME = "pain.csv"


class InitError(ValueError):
    """The folder cannot be set up (a file there already, a bad value); one line."""


@dataclass
class NewAthlete:
    """What ``loadwatch init`` was told (None: left as a comment in the file)."""

    name: str
    timezone: str | None = None
    units: str = "km"
    max_hr: int | None = None
    rest_hr: int | None = None


def _value(v) -> str:
    return tomlkit.item(v).as_string()


def _line(key: str, value, comment: str, example) -> str:
    """``key = value  # comment``, or the key commented out with an example when unset."""
    text = f"# {key} = {_value(example)}" if value is None else f"{key} = {_value(value)}"
    return f"{text:<30}# {comment}"


def settings_text(new: NewAthlete) -> str:
    """The commented ``loadwatch.toml`` of a new athlete.

    >>> text = settings_text(NewAthlete("Ana", "Europe/Oslo", "km", 190, None))
    >>> 'name = "Ana"' in text, "# rest_hr = 50" in text
    (True, True)
    """
    zone_note = ("IANA zone for files without a local offset" if new.timezone else
                 "not set: this machine's zone is used")
    lines = [
        "# loadwatch settings for one athlete. This folder holds the athlete's activity files",
        "# (FIT, GPX, TCX, a Strava or Garmin export, Apple Health: any layout) and pain.csv,",
        "# the pain diary. A setting here wins over the squad folder's loadwatch.toml and the",
        "# user config; 'loadwatch config show' prints each setting and where it comes from.",
        "",
        "[athlete]",
        _line("name", new.name, "shown in reports and mails", "Ana"),
        _line("id", None, "optional: keeps the alert history if the folder moves",
              "ana-2026"),
        _line("timezone", new.timezone, zone_note, "Europe/Oslo"),
        _line("units", new.units, "\"km\" or \"mi\"", "km"),
        _line("max_hr", new.max_hr, "beats per minute: --load trimp and hard runs", 190),
        _line("rest_hr", new.rest_hr, "beats per minute, below max_hr", 50),
        _line("sex", None, "Banister TRIMP constants: \"female\" or \"male\"", "female"),
        _line("load", None, "the ratios' load: distance, duration, trimp or srpe "
              "(session RPE)", "distance"),
        "",
        "[thresholds]                  # any rule's number (loadwatch/flags.py, Thresholds)",
        "# weekly_jump_high_pct = 30",
        "",
        "[activities]                  # settled with 'loadwatch ignore' and 'loadwatch confirm'",
        "ignore = []",
        "confirm = []",
        "",
        "# [alert]                     # who 'loadwatch alert' mails",
        "# to = [\"coach@example.org\"]",
        "",
        "# [smtp]                      # the mail server; the password only in",
        "# host = \"smtp.example.org\"   # $LOADWATCH_SMTP_PASSWORD or a password_file (chmod 600)",
        "# user = \"ana@example.org\"",
        "",
        "# [sync]                      # where 'loadwatch sync' brings new activities from",
        "# service = \"intervals\"       # or \"folder\" with path = \"/media/ana/GARMIN/GARMIN/Activity\"",
        "# athlete = \"i123456\"         # the key only in $LOADWATCH_INTERVALS_API_KEY or a",
        "# key_file = \"~/.config/loadwatch/intervals.key\"   # key_file (chmod 600)",
        "",
        "# [sports]                    # for files that state no sport loadwatch can use",
        "# \"Runkeeper-*.gpx\" = \"run\"",
        "",
    ]
    return "\n".join(lines)


def existing(folder: Path) -> list[Path]:
    """The files ``init`` would write that are already there."""
    return [p for p in (folder / config_mod.CONFIG_NAME, folder / DIARY_NAME)
            if p.exists() or p.is_symlink()]


def create(folder: Path, new: NewAthlete) -> list[Path]:
    """Create ``folder`` if needed and write its ``loadwatch.toml`` and empty ``pain.csv``.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InitError
        ``folder`` is a file, a squad folder (:func:`loadwatch.folders.is_squad`), or holds
        either file already (nothing is written).
    loadwatch.config.ConfigError
        A value the settings would refuse (checked before anything is written).
    OSError
        The folder cannot be created or written.
    """
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: not a folder")
    if folder.is_dir() and folders.is_squad(folder):
        # Its settings would make the squad one runner, every athlete's runs merged into one.
        names = [f.name for f in folders.athlete_folders(folder)[0]][:2]
        raise InitError(f"{folder} is a squad folder (athlete folders: {', '.join(names)}, ...): "
                        f"run init in each athlete's own folder, e.g. 'loadwatch init "
                        f"{folder / names[0]}'; 'loadwatch squad {folder}' reports on them all")
    found = existing(folder)
    if found:
        raise InitError(f"{found[0]} already exists: init never overwrites (edit it, or move "
                        "it away first)")
    text = settings_text(new)
    # The file must read back as valid settings: a name with odd characters, a bad zone.
    config_mod.from_tables(tomlkit.parse(text).unwrap(), folder / config_mod.CONFIG_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / config_mod.CONFIG_NAME
    diary = folder / DIARY_NAME
    write_atomic(settings, text.encode("utf-8"))
    write_atomic(diary, (",".join(HEADER) + "\n").encode("utf-8"))
    return [settings, diary]
