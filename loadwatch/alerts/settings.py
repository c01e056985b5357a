"""The ``[smtp]`` settings of ``loadwatch.toml`` and the SMTP password.

A password never travels in clear: the default is STARTTLS on port 587, and
``security = "none"`` with a ``user`` is refused unless the file says
``allow_plaintext_auth = true``. The password comes only from the environment
variable ``LOADWATCH_SMTP_PASSWORD`` or a file that only its owner can read, and
never appears in any output (not even one character of it in an error).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from loadwatch.config import ConfigError
from loadwatch.fileio import read_private_text

PASSWORD_ENV = "LOADWATCH_SMTP_PASSWORD"
SECURITY = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
MAX_PASSWORD_FILE_BYTES = 4096
"""Largest SMTP password file read: a password with its line end is far shorter, and a
larger file is a wrong path (a log, a disk image), never read whole. [bytes]"""
KNOWN_KEYS = ("host", "port", "security", "user", "from", "password_file", "timeout", "cafile",
              "allow_plaintext_auth")


class AlertConfigError(ConfigError):
    """Bad ``[smtp]`` settings or password file; the message names the file and the key.

    A :class:`loadwatch.config.ConfigError`, so the command line reports it as a
    usage error (one line, exit 2).
    """


@dataclass(frozen=True)
class SmtpSettings:
    """The ``[smtp]`` table of ``loadwatch.toml``.

    Attributes
    ----------
    host : str, default "localhost"
        The mail server.
    port : int, default 587
        Its port: 587 for STARTTLS (the default), 465 for implicit TLS (``ssl``),
        25 for ``none``.
    security : str, default "starttls"
        ``starttls``, ``ssl`` (implicit TLS) or ``none`` (no encryption: only for
        a server on this machine or without login).
    user : str or None
        Login name; no login without it.
    sender : str
        The From address (``from`` in the file).
    password_file : str or None
        A file holding the password, readable by its owner only.
    timeout : float, default 30
        Bound on one whole exchange with the server: connecting, EHLO, STARTTLS,
        AUTH, the envelope, DATA and QUIT together. [s]
    cafile : str or None
        CA bundle to trust (a private server's certificate), else the system's.
    allow_plaintext_auth : bool, default False
        Permit a login over an unencrypted connection (``security = "none"``
        with a ``user``): the password then crosses the network in clear.
    """

    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    sender: str = "loadwatch@localhost"
    password_file: str | None = None
    timeout: float = 30.0
    cafile: str | None = None
    allow_plaintext_auth: bool = False

    @classmethod
    def from_mapping(cls, table: dict, source: str = "loadwatch.toml",
                     sources: dict[str, str] | None = None) -> SmtpSettings:
        """Settings from the ``[smtp]`` table; unknown keys and bad values name the key.

        ``sources`` maps ``smtp.<key>`` to the file that set it (merged settings,
        :attr:`loadwatch.config.Config.sources`); a message names that file, else
        ``source``.

        Raises
        ------
        AlertConfigError
            An unknown key, a password in the file, a bad value, or a login that
            would send the password in clear.
        """

        def src(key: str) -> str:
            return (sources or {}).get(f"smtp.{key}", source)

        for key in table:
            if key == "password":
                raise AlertConfigError(
                    f"{src('password')}: smtp.password is not read from files; set the environment variable "
                    f"{PASSWORD_ENV} or smtp.password_file (a file only you can read)")
            if key not in KNOWN_KEYS:
                raise AlertConfigError(f"{src(key)}: unknown key smtp.{key} "
                                       f"(known: {', '.join(sorted(KNOWN_KEYS))})")
        security = table.get("security", "starttls")
        if security not in SECURITY:
            raise AlertConfigError(f"{src('security')}: smtp.security must be one of {', '.join(SECURITY)}, "
                                   f"not {security!r}")
        port = table.get("port", DEFAULT_PORTS[security])
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise AlertConfigError(f"{src('port')}: smtp.port must be a port number, not {port!r}")
        timeout = table.get("timeout", 30.0)
        if (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                or not 0 < timeout <= 3600):
            raise AlertConfigError(f"{src('timeout')}: smtp.timeout must be a number of seconds "
                                   "between 0 and 3600")
        for key in ("host", "user", "from", "password_file", "cafile"):
            if key in table and not isinstance(table[key], str):
                raise AlertConfigError(f"{src(key)}: smtp.{key} must be a string")
            if key in table and any(ord(c) < 32 or ord(c) == 127 for c in table[key]):
                raise AlertConfigError(f"{src(key)}: smtp.{key} must not hold control characters")
        plaintext = table.get("allow_plaintext_auth", False)
        if not isinstance(plaintext, bool):
            raise AlertConfigError(f"{src('allow_plaintext_auth')}: smtp.allow_plaintext_auth must be true or false")
        user = table.get("user") or None
        if security == "none" and user and not plaintext:
            raise AlertConfigError(
                f"{src('security')}: smtp.security = \"none\" with smtp.user would send the password in "
                "clear; use security = \"starttls\" (port 587) or \"ssl\" (port 465), or set "
                "allow_plaintext_auth = true for a server you trust on this machine")
        sender = table.get("from", user or "loadwatch@localhost")
        if "@" not in sender:
            raise AlertConfigError(f"{src('from')}: smtp.from must be an e-mail address, not {sender!r}")
        return cls(host=table.get("host", "localhost"), port=port, security=security,
                   user=user, sender=sender, password_file=table.get("password_file"),
                   timeout=float(timeout), cafile=table.get("cafile"),
                   allow_plaintext_auth=plaintext)

    def password(self) -> str | None:
        """The password from ``LOADWATCH_SMTP_PASSWORD``, else from ``password_file``.

        Returns
        -------
        str or None
            None when neither is set.

        Raises
        ------
        AlertConfigError
            The file is missing, unreadable, not a regular file, larger than
            :data:`MAX_PASSWORD_FILE_BYTES`, readable or writable by group or others, or the password is not printable ASCII
            (what SMTP AUTH carries). The message never shows the password.
        """
        env = os.environ.get(PASSWORD_ENV)
        if env:
            return _checked(env, PASSWORD_ENV)
        if not self.password_file:
            return None
        path = Path(self.password_file).expanduser()

        text = read_private_text(path, MAX_PASSWORD_FILE_BYTES, label="the SMTP password file",
                                 kind="a password file", holds="the password",
                                 error=AlertConfigError)
        return _checked(text.strip("\r\n"), str(path))


def _checked(password: str, where: str) -> str:
    # AUTH PLAIN and LOGIN as smtplib sends them carry ASCII only; say so without
    # echoing a character of the secret.
    if not password.isascii() or not password.isprintable():
        raise AlertConfigError(f"{where}: the SMTP password holds characters other than printable "
                               "ASCII, which SMTP login cannot carry")
    return password
