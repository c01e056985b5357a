"""``loadwatch config show``: the effective settings, each with the file it came from.

The output is TOML (a block can be copied into a file), each line followed by
its source: a file's path, or ``default``. It lists every setting the commands
use: the athlete, every threshold, the settled activities, the alert's
recipients, the mail server and the sports patterns. A password is never shown,
nor read: the ``[smtp]`` block says where it would be read from (the environment
variable or ``password_file``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import tomlkit

from loadwatch import config as config_mod
from loadwatch import flags as flags_mod
from loadwatch.alerts import settings as settings_mod
from loadwatch.config import Config, ConfigError
from loadwatch.safetext import one_line

ROLES = {"athlete": "athlete file", "--config": "--config file", "squad": "squad file",
         "user config": "user config"}
WIDTH = 44
"""Column of the source comments. [characters]"""


def _toml(value) -> str:
    if isinstance(value, list):
        items = tomlkit.array()
        for v in value:
            if isinstance(v, dict):
                table = tomlkit.inline_table()
                table.update(v)
                items.append(table)
            else:
                items.append(v)
        return items.as_string()
    return tomlkit.item(value).as_string()


def _key(key: str) -> str:
    """A bare key if TOML allows it, else quoted (``"Runkeeper-*.gpx"``)."""
    return key if key.replace("_", "a").replace("-", "a").isalnum() else _toml(key)


def _row(key: str, value, source: str) -> str:
    text = f"# {key}: not set" if value is None else f"{_key(key)} = {_toml(value)}"
    return f"{text:<{WIDTH - 2}}  # {source}"


def render(cfg: Config, target: Path | None) -> str:
    """The effective settings of ``cfg`` for ``target`` (an athlete folder, or None).

    Raises
    ------
    loadwatch.config.ConfigError
        A bad ``[thresholds]`` or ``[smtp]`` value, naming the file that set it.
    """
    src = cfg.sources

    def source(key: str, default: str = "default") -> str:
        return src.get(key, default)

    user = config_mod.user_config_path()
    lines = [f"# loadwatch settings for {target}" if target is not None else
             "# loadwatch settings outside any athlete folder: the user config and defaults",
             "# Each setting comes from the first of: the command line (--tz, --units, --to...),",
             "# --config FILE or the athlete's loadwatch.toml, the squad folder's loadwatch.toml,",
             "# the user config, the defaults. Read here:"]
    for role, path in cfg.layers:
        lines.append(f"#   {ROLES[role]:<14}{path}")
    if user is None:
        lines.append(f"#   user config   none (${config_mod.USER_CONFIG_ENV} is empty)")
    elif all(role != "user config" for role, _ in cfg.layers):
        lines.append(f"#   user config   {user} (no such file)")

    a = cfg.athlete
    lines += ["", "[athlete]"]
    folder_name = target.resolve().name if target is not None else None
    lines.append(_row("name", a.name or folder_name, source("athlete.name", "default: the folder's name")))
    lines.append(_row("id", a.id, source("athlete.id", "default: the folder's path")))
    zone = a.timezone
    if zone is None:
        # Start-up: the timeline imports pandas; only when no zone is set.
        from loadwatch.timeline import resolve_tz

        zone = getattr(resolve_tz(None), "key", None)
    lines.append(_row("timezone", zone, source("athlete.timezone", "default: this machine's zone")))
    lines.append(_row("units", a.units, source("athlete.units")))
    for key in ("max_hr", "rest_hr", "sex", "folder", "load", "injuries", "diary_since"):
        lines.append(_row(key, getattr(a, key), source(f"athlete.{key}")))

    try:
        thresholds = flags_mod.Thresholds.from_mapping(cfg.thresholds)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{_named(cfg, exc, 'thresholds')}: {exc}") from exc
    lines += ["", "[thresholds]"]
    for f in dataclasses.fields(thresholds):
        lines.append(_row(f.name, getattr(thresholds, f.name), source(f"thresholds.{f.name}")))

    lines += ["", "[activities]"]
    where = source("activities", "none settled")
    lines.append(_row("ignore", [{"id": i, "reason": r} if r else i for i, r in cfg.ignore.items()],
                      where))
    lines.append(_row("confirm", list(cfg.confirm), where))

    lines += ["", "[alert]", _row("to", list(cfg.alert_to), source("alert.to"))]
    if cfg.alert_notify:
        # The URLs hold tokens and passwords: shown as apprise masks them, and checked.
        from loadwatch.alerts import push

        urls = push.check_urls(cfg.alert_notify, source("alert.notify"))
        lines.append(_row("notify", [push.mask(u) for u in urls], source("alert.notify")))
    else:
        lines.append(_row("notify", [], source("alert.notify")))

    smtp = settings_mod.SmtpSettings.from_mapping(cfg.smtp, source=cfg.where("smtp"),
                                                  sources=src)
    lines += ["", "[smtp]"]
    for key, attr in (("host", "host"), ("port", "port"), ("security", "security"),
                      ("user", "user"), ("from", "sender"), ("password_file", "password_file"),
                      ("timeout", "timeout"), ("cafile", "cafile"),
                      ("allow_plaintext_auth", "allow_plaintext_auth")):
        lines.append(_row(key, getattr(smtp, attr), source(f"smtp.{key}")))
    lines.append(password_line(smtp))

    lines += ["", "[sync]", *sync_lines(cfg)]

    lines += ["", "[sports]"]
    if not cfg.sports:
        lines.append("# no patterns or ids: sports come from the files themselves")
    for key, sport in cfg.sports.items():
        lines.append(_row(key, sport, source(f"sports.{key}")))
    lines += ["", "[races]"]
    r = cfg.races
    for key, value in (("days", r.days), ("activities", r.activities), ("not", r.not_races)):
        lines.append(_row(key, list(value), source(f"races.{key}", "default: runs named like a race")))
    # Paths, names and password_file come from folders and files: one line each, always.
    return "\n".join(map(one_line, lines)) + "\n"


def password_line(smtp: settings_mod.SmtpSettings) -> str:
    """Where the SMTP password would be read from; never the password, never a read of it."""
    env = settings_mod.PASSWORD_ENV
    if os.environ.get(env):
        extra = (f"; password_file {smtp.password_file} is not read while it is set"
                 if smtp.password_file else "")
        return f"# password: from ${env} (set; not shown){extra}"
    if smtp.password_file:
        return f"# password: from password_file {smtp.password_file} (not shown)"
    if smtp.user:
        return (f"# password: none set for user {smtp.user}: set ${env} or smtp.password_file "
                "(a file only you can read)")
    return f"# password: none (no login; ${env} or smtp.password_file would set one)"


def _named(cfg: Config, exc: Exception, section: str) -> str:

    found = re.search(rf"{section}\.(\w+)", str(exc))
    return cfg.where(f"{section}.{found.group(1)}") if found else cfg.where(section)


def sync_lines(cfg: config_mod.Config) -> list[str]:
    """The ``[sync]`` block of ``config show``: where the key would come from, never the key."""
    # Start-up: the sync settings (no HTTP client) only for config show.
    from loadwatch.sync import settings as sync_settings

    if not cfg.sync:
        return ["# none: 'loadwatch sync' has nothing to bring in (service = \"intervals\" or "
                "\"folder\")"]
    sync = sync_settings.SyncSettings.from_mapping(cfg.sync, source=cfg.where("sync"),
                                                   sources=cfg.sources)
    keys = (("service", "athlete", "key_file", "url", "timeout", "since_days")
            if sync.service == "intervals" else ("service", "path"))
    where = {k: cfg.sources.get(f"sync.{k}", "default") for k in keys}
    if os.environ.get(sync_settings.URL_ENV):
        where["url"] = f"${sync_settings.URL_ENV}"
    lines = [_row(k, getattr(sync, k), where[k]) for k in keys]
    if sync.service == "intervals":
        env = sync_settings.KEY_ENV
        if os.environ.get(env):
            lines.append(f"# key: from ${env} (not shown)")
        elif sync.key_file:
            lines.append(f"# key: from key_file {sync.key_file} (not shown)")
        else:
            lines.append(f"# key: none set: set ${env} or sync.key_file")
    return lines
