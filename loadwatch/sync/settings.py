"""The ``[sync]`` settings of ``loadwatch.toml`` and the intervals.icu API key.

::

    [sync]
    service = "intervals"      # or "folder"
    athlete = "i123456"        # intervals.icu athlete id ("0": the key's own athlete)
    key_file = "~/.config/loadwatch/intervals.key"   # or $LOADWATCH_INTERVALS_API_KEY
    url = "https://intervals.icu"                      # or $LOADWATCH_INTERVALS_URL

    [sync]
    service = "folder"
    path = "/media/ingrid/GARMIN/GARMIN/Activity"     # a mounted watch, or any folder

The key comes only from the environment variable or a file that only its owner
can read (as the SMTP password, :mod:`loadwatch.alerts.settings`), and never
appears in any output, not even one character of it in an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loadwatch.config import ConfigError
from loadwatch.fileio import read_private_text

KEY_ENV = "LOADWATCH_INTERVALS_API_KEY"
URL_ENV = "LOADWATCH_INTERVALS_URL"
DEFAULT_URL = "https://intervals.icu"
SERVICES = ("intervals", "folder")
KNOWN_KEYS = ("service", "athlete", "key_file", "url", "path", "timeout", "since_days")
MAX_KEY_FILE_BYTES = 4096
"""Largest API key file read: an intervals.icu key is a few dozen characters; a larger
file is a wrong path, never read whole. [bytes]"""
DEFAULT_TIMEOUT_S = 30.0
"""Bound on each wait for the server (connecting, or between two bytes of a reply). [s]
Thirty seconds is far above intervals.icu's usual answer of well under a second, and
short enough that a cron job never hangs."""
DEFAULT_SINCE_DAYS = 365
"""How far back the first sync of an athlete reaches. [days] A year covers every
window loadwatch judges (the longest, the 28-day chronic load and the year's weekly
history, are shorter); set ``since_days`` for more."""
MAX_SINCE_DAYS = 3660
"""Furthest back ``since_days`` may reach: ten years. [days]"""


class SyncConfigError(ConfigError):
    """Bad ``[sync]`` settings or key file; one line naming the file and the key (exit 2)."""


@dataclass(frozen=True)
class SyncSettings:
    """The ``[sync]`` table of ``loadwatch.toml``.

    Attributes
    ----------
    service : str
        ``intervals`` or ``folder``.
    athlete : str, default "0"
        The intervals.icu athlete id (``i123456``); ``0`` is the key's own athlete.
    key_file : str or None
        A file holding the API key, readable by its owner only.
    url : str
        The server (``$LOADWATCH_INTERVALS_URL`` wins over the file).
    path : str or None
        ``service = "folder"``: the folder to copy new activity files from.
    timeout : float, default 30
        Bound on each wait for the server. [s]
    since_days : int, default 365
        How far back the first sync reaches. [days]
    """

    service: str
    athlete: str = "0"
    key_file: str | None = None
    url: str = DEFAULT_URL
    path: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    since_days: int = DEFAULT_SINCE_DAYS

    @classmethod
    def from_mapping(cls, table: dict, source: str = "loadwatch.toml",
                     sources: dict[str, str] | None = None,
                     base: Path | None = None) -> SyncSettings:
        """Settings from the ``[sync]`` table; unknown keys and bad values name the key.

        ``sources`` maps ``sync.<key>`` to the file that set it; ``base`` is the folder
        a relative ``key_file`` or ``path`` is taken from (else the file's own folder).

        Raises
        ------
        SyncConfigError
            No ``service``, an unknown key, a key in the file, or a bad value.
        """

        def src(key: str) -> str:
            return (sources or {}).get(f"sync.{key}", source)

        for key in table:
            if key in ("key", "api_key"):
                raise SyncConfigError(
                    f"{src(key)}: sync.{key} is not read from files; set the environment "
                    f"variable {KEY_ENV} or sync.key_file (a file only you can read)")
            if key not in KNOWN_KEYS:
                raise SyncConfigError(f"{src(key)}: unknown key sync.{key} "
                                      f"(known: {', '.join(sorted(KNOWN_KEYS))})")
        service = table.get("service")
        if service not in SERVICES:
            raise SyncConfigError(f"{src('service')}: sync.service must be one of "
                                  f"{', '.join(repr(s) for s in SERVICES)}, not {service!r}")
        for key in ("athlete", "key_file", "url", "path"):
            value = table.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()
                                      or not value.isprintable()):
                raise SyncConfigError(f"{src(key)}: sync.{key} must be a non-empty string "
                                      "without control characters")
        athlete = table.get("athlete", "0").strip()
        if not (athlete == "0" or athlete.lstrip("i").isdigit()) or len(athlete) > 20:
            raise SyncConfigError(f"{src('athlete')}: sync.athlete must be an intervals.icu "
                                  f"athlete id like \"i123456\" (or \"0\" for the key's own "
                                  f"athlete), not {athlete!r}")
        url = os.environ.get(URL_ENV) or table.get("url", DEFAULT_URL)
        where_url = URL_ENV if os.environ.get(URL_ENV) else src("url")
        try:
            parts = urlsplit(url)
            usable = (parts.scheme in ("http", "https") and bool(parts.hostname)
                      and (parts.port is None or parts.port > 0))   # .port: ValueError >65535
        except ValueError:      # "http://[::1": an unclosed IPv6 bracket
            usable = False
        if not usable:
            raise SyncConfigError(f"{where_url}: the intervals.icu address must be an http(s) "
                                  f"URL like {DEFAULT_URL}")
        if parts.username is not None or parts.password is not None:
            # It would be printed with every message about the server, and config show.
            raise SyncConfigError(f"{where_url}: the intervals.icu address must not hold a user "
                                  f"or password; the key goes in {KEY_ENV} or sync.key_file")
        timeout = table.get("timeout", DEFAULT_TIMEOUT_S)
        if (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                or not 0 < timeout <= 600):
            raise SyncConfigError(f"{src('timeout')}: sync.timeout must be a number of seconds "
                                  "above 0 and at most 600")
        since = table.get("since_days", DEFAULT_SINCE_DAYS)
        if isinstance(since, bool) or not isinstance(since, int) or not 14 <= since <= MAX_SINCE_DAYS:
            raise SyncConfigError(f"{src('since_days')}: sync.since_days must be a whole number "
                                  f"of days from 14 to {MAX_SINCE_DAYS}")

        def located(key: str) -> str | None:
            value = table.get(key)
            if value is None:
                return None
            path = Path(value).expanduser()
            if not path.is_absolute():
                here = base if base is not None else Path(src(key)).parent
                path = here / path
            return str(path)

        if service == "folder" and not table.get("path"):
            raise SyncConfigError(f"{src('service')}: sync.service = \"folder\" needs sync.path, "
                                  "the folder to copy activity files from (a mounted watch)")
        return cls(service=service, athlete=athlete, key_file=located("key_file"),
                   url=url.rstrip("/"), path=located("path"), timeout=float(timeout),
                   since_days=since)

    def key(self) -> str:
        """The API key from ``$LOADWATCH_INTERVALS_API_KEY``, else from ``key_file``.

        Raises
        ------
        SyncConfigError
            Neither is set; the file is missing, unreadable, not a regular file, too
            large, readable or writable by group or others; or the key is not printable
            ASCII. The message never shows the key.
        """
        env = os.environ.get(KEY_ENV)
        if env:
            return _checked(env.strip(), KEY_ENV)
        if not self.key_file:
            raise SyncConfigError(f"no intervals.icu API key: set the environment variable "
                                  f"{KEY_ENV} or sync.key_file (a file only you can read; the "
                                  "key is under Settings > Developer on intervals.icu)")
        path = Path(self.key_file)

        text = read_private_text(path, MAX_KEY_FILE_BYTES, label="the intervals.icu key file",
                                 kind="a key file", holds="the key", error=SyncConfigError)
        return _checked(text.strip(), str(path))


def _checked(key: str, where: str) -> str:
    # HTTP Basic carries it in a header: printable ASCII only, said without a character of it.
    if not key or not key.isascii() or not key.isprintable() or " " in key:
        raise SyncConfigError(f"{where}: the intervals.icu API key is empty or holds characters "
                              "other than printable ASCII; copy it again from intervals.icu")
    return key
