"""``loadwatch.toml``: the athlete's settings, threshold overrides and mail settings.

An athlete folder may hold a ``loadwatch.toml`` (``--config FILE`` names another)::

    [athlete]
    name = "Ingrid"
    timezone = "Europe/Oslo"   # IANA zone for activities without a device offset
    units = "km"               # or "mi"
    max_hr = 190               # for --load trimp
    rest_hr = 48
    sex = "female"             # Banister TRIMP constants: "female" or "male"

    [thresholds]               # overrides of loadwatch.flags.Thresholds
    weekly_jump_high_pct = 25

    [alert]
    to = ["coach@example.org"]

    [smtp]                     # see loadwatch.alert.SmtpSettings
    host = "smtp.example.org"

Unknown sections or keys and bad values raise :class:`ConfigError` with one line
naming the file and the key. ``[thresholds]`` and ``[smtp]`` are checked by the
modules that own them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from loadwatch.fileio import read_regular

CONFIG_NAME = "loadwatch.toml"
MAX_CONFIG_BYTES = 1 << 20
"""Largest settings file read; a real one is well under a kilobyte. [bytes]"""
SECTIONS = ("athlete", "thresholds", "alert", "smtp")


class ConfigError(ValueError):
    """A bad configuration file; the message names the file and the key."""


@dataclass
class AthleteConfig:
    """The ``[athlete]`` table."""

    name: str | None = None
    timezone: str | None = None
    units: str = "km"
    max_hr: float | None = None
    rest_hr: float | None = None
    sex: str | None = None


@dataclass
class Config:
    """A parsed ``loadwatch.toml`` (all defaults when there is none)."""

    athlete: AthleteConfig = field(default_factory=AthleteConfig)
    thresholds: dict = field(default_factory=dict)
    alert_to: list[str] = field(default_factory=list)
    smtp: dict = field(default_factory=dict)
    path: Path | None = None


_ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")


def valid_address(text: str) -> bool:
    """Whether ``text`` is one e-mail address: one ``@``, no spaces or control characters.

    A line break would let an address add mail headers (``Bcc:``).

    >>> valid_address("coach@example.org"), valid_address("a@b.c\\nBcc: x@y.z")
    (True, False)
    """
    return bool(_ADDRESS.fullmatch(text))


def find(folder: Path) -> Path | None:
    """The ``loadwatch.toml`` of an athlete folder (or of a file's folder), if any."""
    folder = folder if folder.is_dir() else folder.parent
    candidate = folder / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load(path: Path | None) -> Config:
    """Parse a ``loadwatch.toml``; ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        Unreadable TOML, an unknown section or key, or a bad value.
    """
    if path is None:
        return Config()
    try:
        # Never a FIFO or device: reading one blocks forever or never ends.
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    for section, value in data.items():
        if section not in SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(SECTIONS)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {section} must be a table, [{section}]")
    cfg = Config(athlete=_athlete(data.get("athlete", {}), path),
                 thresholds=dict(data.get("thresholds", {})),
                 smtp=dict(data.get("smtp", {})), path=Path(path))
    alert = data.get("alert", {})
    for key in alert:
        if key != "to":
            raise ConfigError(f"{path}: unknown key alert.{key} (known: to)")
    to = alert.get("to", [])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not all(isinstance(a, str) and valid_address(a) for a in to):
        raise ConfigError(f"{path}: alert.to must be an e-mail address or a list of them")
    cfg.alert_to = to
    return cfg


def _athlete(table: dict, path: Path) -> AthleteConfig:
    known = AthleteConfig.__dataclass_fields__
    out = AthleteConfig()
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key athlete.{key} (known: {', '.join(known)})")
        setattr(out, key, value)
    for key in ("name", "timezone", "sex"):
        value = getattr(out, key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: athlete.{key} must be a string")
    if out.units not in ("km", "mi"):
        raise ConfigError(f"{path}: athlete.units must be \"km\" or \"mi\", not {out.units!r}")
    if out.sex is not None and out.sex not in ("female", "male"):
        raise ConfigError(f"{path}: athlete.sex must be \"female\" or \"male\", not {out.sex!r}")
    for key, low, high in (("max_hr", 100, 250), ("rest_hr", 25, 120)):
        value = getattr(out, key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ConfigError(f"{path}: athlete.{key} must be a number of beats per minute "
                              f"between {low} and {high}, not {value!r}")
    if out.max_hr is not None and out.rest_hr is not None and out.rest_hr >= out.max_hr:
        raise ConfigError(f"{path}: athlete.rest_hr must be below athlete.max_hr")
    if out.timezone is not None:
        from loadwatch.timeline import TimezoneError, resolve_tz

        try:
            resolve_tz(out.timezone)
        except TimezoneError as exc:
            raise ConfigError(f"{path}: athlete.timezone: {exc}") from exc
    return out
