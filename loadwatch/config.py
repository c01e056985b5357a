"""``loadwatch.toml``: the athlete's settings, threshold overrides and mail settings.

An athlete folder may hold a ``loadwatch.toml`` (``--config FILE`` names another)::

    [athlete]
    name = "Ingrid"
    id = "ingrid-2026"         # stable id for the alert state (default: the folder)
    timezone = "Europe/Oslo"   # IANA zone for activities without a device offset
    units = "km"               # or "mi"
    max_hr = 190               # for --load trimp
    rest_hr = 48
    sex = "female"             # Banister TRIMP constants: "female" or "male"
    load = "distance"          # the load of the ratios, monotony and strain (as --load)
    injuries = [{date = "2026-03", what = "shin splints, 3 weeks off"}]  # context, not the level
    diary_since = 2025-03-01   # the pain diary was kept from this day (default: its first entry)

    [thresholds]               # overrides of loadwatch.flags.Thresholds
    weekly_jump_high_pct = 25

    [activities]               # activities under "data to check": yours to settle
    confirm = ["fit:3f2a9c0d1b7e"]                      # real: count it
    ignore = [{id = "strava:123", reason = "car"}]      # not an activity: leave it out

    [alert]
    to = ["coach@example.org"]
    notify = ["ntfys://ntfy.sh/my-topic"]   # push, through apprise URLs (alerts.push)

    [smtp]                     # see loadwatch.alerts.settings.SmtpSettings
    host = "smtp.example.org"

    [sync]                     # see loadwatch.sync.settings.SyncSettings
    service = "intervals"      # or "folder" (with path = "...")
    athlete = "i123456"

    [sports]                   # the sport of files that state none loadwatch can use
    "Runkeeper-*.gpx" = "run"  # a glob pattern on the file's name
    "gpx:3f2a9c1b0e4d" = "ride"  # or an activity id (``loadwatch timeline --format json``)

    [races]                    # races beyond those named like one (loadwatch.races)
    days = ["2026-11-08"]      # every run of that day
    activities = ["strava:123"]
    not = ["strava:456"]       # "Marathon shoes test" was no race

The same sections may also be set in two shared files, for every athlete they
cover (:func:`resolve`); each setting comes from the first of these that sets it:

1. the command line (``--tz``, ``--units``, ``--to``...);
2. ``--config FILE``, or else the athlete folder's ``loadwatch.toml``;
3. the squad folder's ``loadwatch.toml``, for the athletes of its sub-folders (the
   folder just above an athlete's, when its file names no athlete);
4. the user config (:func:`user_config_path`: ``~/.config/loadwatch/config.toml``
   on Linux, the platform's config folder elsewhere, ``$LOADWATCH_USER_CONFIG``);
5. the defaults.

Tables merge key by key (``[smtp] host`` from the user config and ``user`` from
the athlete's file); ``[sports]`` patterns are tried in that order too. What is one
athlete's alone (``[athlete] name`` and ``id``, ``[activities]``) is read from the
athlete's own file only: the user config refuses it, a squad's file keeps it to
itself. ``[athlete] folder`` belongs to the user config alone: the athlete folder
that ``pain add``, ``ignore`` and ``confirm`` write to when neither ``--athlete`` nor
``$LOADWATCH_ATHLETE`` names one.

Unknown sections or keys and bad values raise :class:`ConfigError` with one line
naming the file and the key. A ``[sports]`` key is an activity id when it is one
(``fit:3f2a9c1b0e4d``, ``strava:123``), else a glob pattern
(``*``, ``?``, ``[...]``) matched against the file's name without its folder
(for a member of a zip, its own name); the value is a sport: ``run``, ``ride``,
``swim``, ``walk``, ``hike``, ``strength``, ``ski``, ``row`` or ``other`` (or a
source's own word for one, like ``Running``). An id wins over a pattern, and
among patterns the first that matches. ``[thresholds]``, ``[smtp]`` and ``[sync]`` are
checked by the modules that own them; a squad's file keeps its ``sync.athlete`` and
``sync.path`` to itself (:data:`SQUAD_KEEPS`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from loadwatch import tomlguard
from loadwatch.fileio import UnsafeTarget, locked, read_regular, write_atomic
from loadwatch.settings_past import RaceSettings, check_injuries, check_races

CONFIG_NAME = "loadwatch.toml"
MAX_CONFIG_BYTES = 1 << 20
"""Largest settings file read; a real one is well under a kilobyte. [bytes]"""
SECTIONS = ("athlete", "thresholds", "activities", "alert", "smtp", "sports", "sync", "races")
USER_CONFIG_ENV = "LOADWATCH_USER_CONFIG"
USER_CONFIG_NAME = "config.toml"
ATHLETES_OWN = ("athlete.name", "athlete.id", "athlete.injuries", "activities")
"""Settings that are one athlete's alone: read from the athlete's own file only."""
SQUAD_KEEPS = {"sync": ("athlete", "path")}
"""Settings a squad's file keeps to itself: one intervals.icu athlete or one watch folder is
never every athlete's."""


class ConfigError(ValueError):
    """A bad configuration file; the message names the file and the key, ``key`` too when known
    (``thresholds.spike_high_ratio``)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key

    def __reduce__(self):
        return type(self), (str(self), self.key)  # picklable across the squad's processes


@dataclass
class AthleteConfig:
    """The ``[athlete]`` table."""

    name: str | None = None
    id: str | None = None
    timezone: str | None = None
    units: str = "km"
    max_hr: float | None = None
    rest_hr: float | None = None
    sex: str | None = None
    folder: str | None = None
    load: str = "distance"
    """The daily load of the ratios, monotony and strain when ``--load`` is not given:
    one of :data:`LOADS`."""
    injuries: list[dict] = field(default_factory=list)
    """Earlier injuries: ``{"date": "2026-03" or "2026-03-14", "what": text}``, checked
    (:func:`loadwatch.settings_past.check_injuries`)."""
    diary_since: date | None = None
    """The day the pain diary was started (``loadwatch review`` counts athlete-days from it):
    a TOML date or ``"YYYY-MM-DD"``, not after today; default the diary's first entry."""


LOADS = ("distance", "duration", "trimp", "srpe")
"""``[athlete] load`` values: :data:`loadwatch.engine.daily.LOADS` (kept here, where settings
are read without pandas; tests/test_config.py checks they agree)."""


@dataclass
class Config:
    """A parsed ``loadwatch.toml`` (all defaults when there is none)."""

    athlete: AthleteConfig = field(default_factory=AthleteConfig)
    thresholds: dict = field(default_factory=dict)
    alert_to: list[str] = field(default_factory=list)
    alert_notify: list[str] = field(default_factory=list)
    """Push notification URLs (apprise); checked by :func:`loadwatch.alerts.push.check_urls`."""
    smtp: dict = field(default_factory=dict)
    ignore: dict[str, str] = field(default_factory=dict)
    confirm: list[str] = field(default_factory=list)
    sports: dict[str, str] = field(default_factory=dict)
    sync: dict = field(default_factory=dict)
    """The ``[sync]`` table, checked by :class:`loadwatch.sync.settings.SyncSettings`."""
    races: RaceSettings = field(default_factory=RaceSettings)
    path: Path | None = None
    """The athlete's own file (``--config FILE`` or the folder's ``loadwatch.toml``)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each setting that is not a default came from: ``"athlete.timezone"``
    (``"sports.<key>"``, ``"thresholds.<key>"``...) to a file's path or a flag."""
    layers: list[tuple[str, Path]] = field(default_factory=list)
    """The files read, highest first, each with its role (``athlete``, ``--config``,
    ``squad``, ``user config``)."""

    def where(self, key: str) -> str:
        """The file (or flag) that set ``key``, for a message; else the athlete's file."""
        return self.sources.get(key) or str(self.path or CONFIG_NAME)


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
    return _load(path, _read(path))


def _load(path: Path, data: dict) -> Config:
    """:func:`load` of the tables ``data`` read from ``path``."""
    if "folder" in data.get("athlete", {}):
        raise ConfigError(f"{path}: athlete.folder belongs in the user config "
                          f"({user_config_path()}), not in a {CONFIG_NAME}")
    cfg = from_tables(data, path)
    cfg.layers = [("athlete", Path(path))]
    cfg.sources = {key: str(path) for key in _keys(data)}
    return cfg


def _read(path: Path) -> dict:
    """The tables of one settings file, its sections checked."""
    return _parse(path, read_text(path))


def _parse(path: Path, text: str) -> dict:
    """The tables of ``text`` (the settings file ``path``, read by :func:`read_text`), checked."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except RecursionError as exc:    # tomlguard's bounds make this unreachable: a safety net
        raise ConfigError(f"{path}: not valid TOML (nested too deep)") from exc
    for section, value in data.items():
        if section not in SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(SECTIONS)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {section} must be a table, [{section}]")
    return data


def read_text(path: Path) -> str:
    """The text of a settings file, within the bounds a TOML parser can take.

    Raises
    ------
    ConfigError
        Not a regular file (never a FIFO or device: reading one blocks forever or
        never ends), larger than :data:`MAX_CONFIG_BYTES`, not UTF-8, or beyond a
        bound of :mod:`loadwatch.tomlguard` (nesting, dotted keys, key length).
    """
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    problem = tomlguard.check(text)
    if problem:
        raise ConfigError(f"{path}: refused as settings: {problem}; a loadwatch.toml is a few "
                          "short tables (see 'loadwatch config show')")
    return text


def _keys(data: dict) -> list[str]:
    """``section.key`` of every setting in ``data`` (``activities`` as a whole)."""
    out = []
    for section, table in data.items():
        if section == "activities":
            out += ["activities"] if table else []
        else:
            out += [f"{section}.{key}" for key in table]
    return out


def from_tables(data: dict, path: Path | str) -> Config:
    """A :class:`Config` from checked tables; bad values name ``path`` and the key."""
    cfg = Config(athlete=_athlete(data.get("athlete", {}), path),
                 thresholds=dict(data.get("thresholds", {})),
                 smtp=dict(data.get("smtp", {})), sync=dict(data.get("sync", {})),
                 path=Path(path))
    alert = data.get("alert", {})
    for key in alert:
        if key not in ("to", "notify"):
            raise ConfigError(f"{path}: unknown key alert.{key} (known: notify, to)")
    to = alert.get("to", [])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not all(isinstance(a, str) and valid_address(a) for a in to):
        raise ConfigError(f"{path}: alert.to must be an e-mail address or a list of them")
    cfg.alert_to = to
    cfg.alert_notify = _notify(alert.get("notify", []), path)
    cfg.ignore, cfg.confirm = _activities(data.get("activities", {}), path)
    cfg.sports = _sports(data.get("sports", {}), path)
    try:
        cfg.races = check_races(data.get("races", {}))
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return cfg


MAX_NOTIFY_URLS = 20
"""Most push notification URLs in ``[alert] notify``: a phone or two and a team chat need a
few; more is a mistake (every run would send to each). [URLs]"""
MAX_URL_CHARS = 2000
"""Longest push notification URL: a token-laden webhook is a few hundred characters. [characters]"""


def _notify(urls, path) -> list[str]:
    """``[alert] notify``: a URL or a list of them, each a string without control characters
    (whether apprise can send to it is :mod:`loadwatch.alerts.push`'s check). A message never
    shows a URL: it holds a token or a password."""
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) and u.strip() for u in urls):
        raise ConfigError(f"{path}: alert.notify must be a notification URL or a list of them "
                          "(apprise URLs such as \"ntfys://ntfy.sh/TOPIC\")", key="alert.notify")
    if len(urls) > MAX_NOTIFY_URLS:
        raise ConfigError(f"{path}: alert.notify lists {len(urls)} URLs; at most "
                          f"{MAX_NOTIFY_URLS}", key="alert.notify")
    for n, url in enumerate(urls, start=1):
        if len(url) > MAX_URL_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in url):
            raise ConfigError(f"{path}: alert.notify URL {n} is longer than {MAX_URL_CHARS} "
                              "characters or holds control characters", key="alert.notify")
    return [u.strip() for u in urls]


def user_config_path() -> Path | None:
    """The user config: ``$LOADWATCH_USER_CONFIG`` (empty: none), else ``config.toml`` in the
    platform's config folder (``~/.config/loadwatch`` on Linux, ``~/Library/Application
    Support/loadwatch`` on macOS, ``%LOCALAPPDATA%\\loadwatch`` on Windows)."""
    env = os.environ.get(USER_CONFIG_ENV)
    if env is not None:
        return Path(env).expanduser() if env.strip() else None
    # Start-up: the CLI reads settings before any command; platformdirs only when no path is set.
    import platformdirs

    return platformdirs.user_config_path("loadwatch", appauthor=False) / USER_CONFIG_NAME


def squad_config_path(folder: Path) -> Path | None:
    """The squad folder's ``loadwatch.toml`` for the athlete in ``folder``, if any.

    It is the file of the folder just above, unless that file names an athlete
    (``[athlete] name`` or ``id``): then the folder above is an athlete's, not a squad's.
    """
    here = folder.resolve()
    candidate = here.parent / CONFIG_NAME
    if here.parent == here or not candidate.is_file():
        return None
    athlete = _read(candidate).get("athlete", {})
    return None if ("name" in athlete or "id" in athlete) else candidate


def resolve(target: Path | None, *, config_path: Path | None = None, squad: bool = True,
            user: bool = True) -> Config:
    """The settings for the athlete at ``target`` (a folder or a file in it), every layer merged.

    Parameters
    ----------
    target : Path or None
        The athlete's folder or a file in it; None for the user config alone.
    config_path : Path, optional
        ``--config FILE``: read instead of the folder's ``loadwatch.toml``.
    squad, user : bool, default True
        Whether the squad folder's file and the user config take part.

    Returns
    -------
    Config
        ``path`` is the athlete's own file, ``sources`` names where each setting
        came from, ``layers`` the files read (highest first).

    Raises
    ------
    ConfigError
        A bad file (naming it and the key), an athlete's own setting in the user
        config, or ``rest_hr`` not below ``max_hr`` once merged.

    Notes
    -----
    The command line's flags come above all of these; the commands apply them.
    """
    folder = None if target is None else (target if target.is_dir() else target.parent)
    layers: list[tuple[str, Path]] = []        # highest first
    own = config_path or (find(folder) if folder is not None else None)
    if own is not None:
        layers.append(("--config" if config_path else "athlete", Path(own)))
    shared = squad_config_path(folder) if (squad and folder is not None) else None
    if shared is not None and (own is None or shared.resolve() != Path(own).resolve()):
        layers.append(("squad", shared))
    home = user_config_path() if user else None
    if home is not None and (home.is_file() or home.exists()):
        # A folder, FIFO or device there is refused by _read, never passed over in silence.
        layers.append(("user config", home))

    merged: dict[str, dict] = {}
    sources: dict[str, str] = {}
    for role, path in layers:
        data = _read(path)
        checked = from_tables(data, path)    # each file's values, its own name in errors
        athlete = data.get("athlete", {})
        if role == "user config":
            for key in ATHLETES_OWN:
                section, _, name = key.partition(".")
                if (name in athlete) if name else data.get(section):
                    raise ConfigError(f"{path}: {key} is one athlete's: put it in that athlete "
                                      f"folder's {CONFIG_NAME}, not in the user config")
        elif "folder" in athlete:
            raise ConfigError(f"{path}: athlete.folder belongs in the user config "
                              f"({user_config_path()}), not in a {CONFIG_NAME}")
        if role == "squad":
            # The squad's own name, injuries or settled activities are not its athletes'.
            data.pop("activities", None)
            for section, keys in SQUAD_KEEPS.items():
                for key in keys:
                    data.get(section, {}).pop(key, None)
            data.get("athlete", {}).pop("injuries", None)
        data["sports"] = checked.sports
        for section, table in data.items():
            into = merged.setdefault(section, {})
            if section == "activities":
                if table and "activities" not in sources:
                    into.update(table)
                    sources["activities"] = str(path)
                continue
            for key, value in table.items():
                if key not in into:
                    into[key] = value
                    sources[f"{section}.{key}"] = str(path)
    _check_heart_rates(merged.get("athlete", {}), sources)
    cfg = from_tables(merged, own or CONFIG_NAME)
    if cfg.athlete.folder and "athlete.folder" in sources:
        base = Path(sources["athlete.folder"]).parent
        cfg.athlete.folder = str(base / Path(cfg.athlete.folder).expanduser())
    cfg.path = Path(own) if own is not None else None
    cfg.sources, cfg.layers = sources, layers
    return cfg


def _check_heart_rates(athlete: dict, sources: dict[str, str]) -> None:
    """``rest_hr`` below ``max_hr`` when the two come from different files."""
    rest, high = athlete.get("rest_hr"), athlete.get("max_hr")
    if rest is not None and high is not None and rest >= high:
        raise ConfigError(f"{sources['athlete.rest_hr']}: athlete.rest_hr ({rest}) must be below "
                          f"athlete.max_hr ({high}, from {sources['athlete.max_hr']})")


def _activities(table: dict, path: Path) -> tuple[dict[str, str], list[str]]:
    """``[activities]``: ``ignore`` (ids, or ``{id, reason}`` tables) and ``confirm`` (ids)."""
    for key in table:
        if key not in ("ignore", "confirm"):
            raise ConfigError(f"{path}: unknown key activities.{key} (known: ignore, confirm)")
    ignore: dict[str, str] = {}
    items = table.get("ignore", [])
    if not isinstance(items, list):
        raise ConfigError(f"{path}: activities.ignore must be a list of activity ids")
    for item in items:
        if isinstance(item, str) and item.strip():
            ignore[item.strip()] = ""
        elif (isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip()
              and set(item) <= {"id", "reason"} and isinstance(item.get("reason", ""), str)):
            ignore[item["id"].strip()] = item.get("reason", "")
        else:
            raise ConfigError(f"{path}: activities.ignore: {item!r} is not an activity id "
                              "(or {id = \"...\", reason = \"...\"})")
    confirm = table.get("confirm", [])
    if not isinstance(confirm, list) or not all(isinstance(c, str) and c.strip() for c in confirm):
        raise ConfigError(f"{path}: activities.confirm must be a list of activity ids")
    return ignore, [c.strip() for c in confirm]


def settle_activities(folder: Path, *, ignore: dict[str, str] | None = None,
                      confirm: list[str] | None = None) -> Path:
    """Record activities as ignored (with a reason) or confirmed in ``folder``'s loadwatch.toml.

    The file is created if missing; its other settings and comments are kept
    (tomlkit edits it in place), an id moves from one list to the other when
    settled again, and the new file replaces the old atomically.

    Parameters
    ----------
    folder : Path
        The athlete folder.
    ignore : dict of str to str, optional
        Activity ids to ignore, with the reason ("" for none).
    confirm : list of str, optional
        Activity ids confirmed as real.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ConfigError
        The existing file is not valid TOML or its ``[activities]`` is malformed.
    """
    path = folder / CONFIG_NAME
    try:
        # The read and the write under one lock: two at once both land, neither is lost.
        with locked(path):
            return _settle(path, ignore, confirm)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except UnsafeTarget as exc:
        raise ConfigError(str(exc)) from exc


def _settle(path: Path, ignore: dict[str, str] | None, confirm: list[str] | None) -> Path:
    """:func:`settle_activities` on ``path``, under its lock."""
    # Start-up: tomlkit (a comment-keeping writer) only for ignore/confirm, never to read.
    import tomlkit

    text = read_text(path) if path.exists() else None
    current = Config() if text is None else _load(path, _parse(path, text))
    ignored = dict(current.ignore)
    confirmed = list(current.confirm)
    for key, reason in (ignore or {}).items():
        ignored[key] = reason
        confirmed = [c for c in confirmed if c != key]
    for key in confirm or []:
        ignored.pop(key, None)
        if key not in confirmed:
            confirmed.append(key)
    doc = tomlkit.document() if text is None else tomlkit.parse(text)
    table = doc.get("activities")
    if table is None:
        table = tomlkit.table()
        doc["activities"] = table
    items = tomlkit.array()
    items.multiline(True)
    for key, reason in ignored.items():
        if reason:
            entry = tomlkit.inline_table()
            entry.update({"id": key, "reason": reason})
            items.append(entry)
        else:
            items.append(key)
    table["ignore"] = items
    table["confirm"] = tomlkit.array(confirmed).multiline(True)
    write_atomic(path, tomlkit.dumps(doc).encode("utf-8"))
    return path


def _sports(table: dict, path: Path) -> dict[str, str]:
    """The ``[sports]`` table as ``{id or pattern: loadwatch sport}``, checked."""
    # Start-up: the importers' sport table only when a file has a [sports] table.
    from loadwatch.importers.sports import SPORTS, normalise

    known = ", ".join(s for s in SPORTS if s != "unknown")
    out = {}
    for key, value in table.items():
        if not key.strip():
            raise ConfigError(f"{path}: sports: an empty key (use a file-name pattern or an "
                              "activity id)")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: sports.{key} must be a sport name in quotes "
                              f"({known}), not {value!r}")
        sport = normalise(value)
        if sport == "unknown" or (sport == "other" and value.strip().lower() != "other"):
            raise ConfigError(f"{path}: sports.{key}: {value!r} is not a sport loadwatch knows "
                              f"(use one of {known})")
        out[key] = sport
    return out


def _athlete(table: dict, path: Path) -> AthleteConfig:
    known = AthleteConfig.__dataclass_fields__
    out = AthleteConfig()
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key athlete.{key} (known: {', '.join(known)})")
        setattr(out, key, value)
    for key in ("name", "id", "timezone", "sex", "folder", "load"):
        value = getattr(out, key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: athlete.{key} must be a string")
    if out.id is not None and (not out.id.strip() or len(out.id) > 200
                               or not out.id.isprintable()):
        raise ConfigError(f"{path}: athlete.id must be 1 to 200 printable characters "
                          "(it keys the alert state: keep it once chosen)")
    if out.units not in ("km", "mi"):
        raise ConfigError(f"{path}: athlete.units must be \"km\" or \"mi\", not {out.units!r}")
    if out.load not in LOADS:
        raise ConfigError(f"{path}: athlete.load must be one of {', '.join(LOADS)}, "
                          f"not {out.load!r}")
    if out.sex is not None and out.sex not in ("female", "male"):
        raise ConfigError(f"{path}: athlete.sex must be \"female\" or \"male\", not {out.sex!r}")
    for key, low, high in (("max_hr", 100, 250), ("rest_hr", 25, 120)):
        value = getattr(out, key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ConfigError(f"{path}: athlete.{key} must be a number of beats per minute "
                              f"between {low} and {high}, not {value!r}")
    try:
        out.injuries = check_injuries(out.injuries)
    except ValueError as exc:
        raise ConfigError(f"{path}: athlete.injuries{exc}") from None
    if out.max_hr is not None and out.rest_hr is not None and out.rest_hr >= out.max_hr:
        raise ConfigError(f"{path}: athlete.rest_hr must be below athlete.max_hr")
    out.diary_since = _diary_since(out.diary_since, path)
    if out.timezone is not None:
        # Start-up: the timeline imports pandas; only a set time zone needs checking.
        from loadwatch.timeline import TimezoneError, resolve_tz

        try:
            resolve_tz(out.timezone)
        except TimezoneError as exc:
            raise ConfigError(f"{path}: athlete.timezone: {exc}") from exc
    return out


def _diary_since(value: object, path: Path | str) -> date | None:
    """``athlete.diary_since`` as a date: a TOML date or ``"YYYY-MM-DD"``, never in the future
    (a diary cannot have been started on a day to come)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ConfigError(f"{path}: athlete.diary_since must be a date like 2025-03-01 "
                          "(the day the pain diary was started)")
    if value > date.today() + timedelta(days=1):
        # One day's slack: a diary started today in a zone ahead of this machine's.
        raise ConfigError(f"{path}: athlete.diary_since ({value.isoformat()}) is in the future: "
                          "give the day the pain diary was started")
    return value
