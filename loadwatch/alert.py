"""E-mail alerts for new risk flags: composing, sending over SMTP, and never twice.

A flag is identified by (athlete, code, date). :class:`AlertState` keeps the
ones already sent in loadwatch's SQLite store, and is advanced only after the
mail server accepted the message: a run that could not send marks nothing, so
the next run retries. Sending uses the standard library's :mod:`smtplib` with
plain, STARTTLS or implicit TLS connections; the password comes only from
``LOADWATCH_SMTP_PASSWORD`` or a file only its owner can read, and never
appears in any output.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from pathlib import Path

from loadwatch.flags import Flag, severity_rank

PASSWORD_ENV = "LOADWATCH_SMTP_PASSWORD"
SECURITY = ("none", "starttls", "ssl")
DISCLAIMER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
              "locking, giving way or pain on weight bearing need a sports physical therapist or "
              "doctor.")


class AlertConfigError(ValueError):
    """Bad ``[smtp]`` settings; the message names the file and the key."""


class AlertSendError(RuntimeError):
    """The message could not be delivered; one line with the server and its reply."""


@dataclass(frozen=True)
class SmtpSettings:
    """The ``[smtp]`` table of ``loadwatch.toml``.

    Attributes
    ----------
    host, port : str, int
        The mail server (port default: 25, 587 with STARTTLS, 465 with SSL).
    security : str
        ``none``, ``starttls`` or ``ssl`` (implicit TLS).
    user : str or None
        Login name; no login without it.
    sender : str
        The From address (``from`` in the file).
    password_file : str or None
        A file holding the password, readable by its owner only.
    timeout : float
        Seconds before a connection attempt gives up. [s]
    cafile : str or None
        CA bundle to trust (a private server's certificate), else the system's.
    """

    host: str = "localhost"
    port: int = 25
    security: str = "none"
    user: str | None = None
    sender: str = "loadwatch@localhost"
    password_file: str | None = None
    timeout: float = 30.0
    cafile: str | None = None

    @classmethod
    def from_mapping(cls, table: dict, source: str = "loadwatch.toml") -> SmtpSettings:
        """Settings from the ``[smtp]`` table; unknown keys and bad values name the key."""
        known = {"host", "port", "security", "user", "from", "password_file", "timeout", "cafile"}
        for key in table:
            if key == "password":
                raise AlertConfigError(
                    f"{source}: smtp.password is not read from files; set the environment variable "
                    f"{PASSWORD_ENV} or smtp.password_file (a file only you can read)")
            if key not in known:
                raise AlertConfigError(f"{source}: unknown key smtp.{key} "
                                       f"(known: {', '.join(sorted(known))})")
        security = table.get("security", "none")
        if security not in SECURITY:
            raise AlertConfigError(f"{source}: smtp.security must be one of {', '.join(SECURITY)}, "
                                   f"not {security!r}")
        port = table.get("port", {"none": 25, "starttls": 587, "ssl": 465}[security])
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise AlertConfigError(f"{source}: smtp.port must be a port number, not {port!r}")
        timeout = table.get("timeout", 30.0)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise AlertConfigError(f"{source}: smtp.timeout must be a positive number of seconds")
        for key in ("host", "user", "from", "password_file", "cafile"):
            if key in table and not isinstance(table[key], str):
                raise AlertConfigError(f"{source}: smtp.{key} must be a string")
        sender = table.get("from", table.get("user") or "loadwatch@localhost")
        if "@" not in sender:
            raise AlertConfigError(f"{source}: smtp.from must be an e-mail address, not {sender!r}")
        return cls(host=table.get("host", "localhost"), port=port, security=security,
                   user=table.get("user"), sender=sender, password_file=table.get("password_file"),
                   timeout=float(timeout), cafile=table.get("cafile"))

    def password(self) -> str | None:
        """The password from ``LOADWATCH_SMTP_PASSWORD``, else from ``password_file``.

        Raises
        ------
        AlertConfigError
            The file is missing, unreadable, or readable by group or others.
        """
        env = os.environ.get(PASSWORD_ENV)
        if env:
            return env
        if not self.password_file:
            return None
        path = Path(self.password_file).expanduser()
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise AlertConfigError(f"{path}: cannot read the SMTP password file "
                                   f"({exc.strerror or exc})") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise AlertConfigError(f"{path}: the SMTP password file may be read by others; "
                                   f"run chmod 600 {path}")
        return path.read_text(encoding="utf-8").strip()


# -- state -----------------------------------------------------------------------------------

class AlertState:
    """Which (athlete, code, date) flags were already e-mailed, in the SQLite store."""

    def __init__(self, conn):
        self.conn = conn
        self.conn.execute(
            """CREATE TABLE IF NOT EXISTS alerts_sent (
                   athlete TEXT, code TEXT, date TEXT, sent_at TEXT, recipients TEXT,
                   PRIMARY KEY (athlete, code, date))""")

    def unsent(self, athlete: str, flags: list[Flag]) -> list[Flag]:
        sent = {c for (c,) in self.conn.execute(
            "SELECT code FROM alerts_sent WHERE athlete = ?", (athlete,))}
        return [f for f in flags if f.identity not in sent]

    def mark_sent(self, athlete: str, flags: list[Flag], recipients: list[str]) -> None:
        """Record ``flags`` as sent, all in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(
                "INSERT OR IGNORE INTO alerts_sent VALUES (?, ?, ?, ?, ?)",
                [(athlete, f.identity, f.start.isoformat(), now, ", ".join(recipients))
                 for f in flags])
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")


# -- composing -------------------------------------------------------------------------------

@dataclass
class AlertItem:
    """One athlete's alert: their risk level, the flags to tell, who to tell, and a chart."""

    athlete: str
    risk: str
    flags: list[Flag]
    recipients: list[str] = field(default_factory=list)
    chart_png: bytes | None = None


def _order(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (f.code != "pain_red_flag", -severity_rank(f.severity),
                                        -f.start.toordinal()))


def _subject(items: list[AlertItem], prefix: str) -> str:
    if len(items) == 1:
        item = items[0]
        red = any(f.code == "pain_red_flag" for f in item.flags)
        return (f"{prefix}: {item.athlete}: {item.risk} risk"
                + (" - pain red flag, get it checked" if red else ""))
    worst = max((i.risk for i in items), key=["usual", "unknown", "raised", "high"].index)
    return f"{prefix}: {len(items)} athletes with new flags (highest risk: {worst})"


def compose(items: list[AlertItem], settings: SmtpSettings, recipients: list[str],
            subject_prefix: str = "loadwatch") -> EmailMessage:
    """One e-mail about ``items`` (one athlete, or a coach's digest): text, HTML and charts."""
    msg = EmailMessage()
    msg["Subject"] = _subject(items, subject_prefix)
    msg["From"] = settings.sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1].strip("> "))
    text, html = [], []
    for item in items:
        text.append(f"{item.athlete}: risk {item.risk.upper()}")
        html.append(f"<h2>{escape(item.athlete)}: risk {escape(item.risk.upper())}</h2><ul>")
        for f in _order(item.flags):
            line = f"[{f.severity.upper()}] {f.start:%a %d %b}: {f.message}"
            text.append(f"  - {line}")
            text.append(f"    Evidence: {f.evidence}; {f.source}")
            strong = " style=\"color:#b3261e\"" if f.code == "pain_red_flag" else ""
            html.append(f"<li{strong}><strong>{escape(f.severity.upper())}</strong> "
                        f"{escape(f'{f.start:%a %d %b}')}: {escape(f.message)}<br>"
                        f"<small>Evidence: {escape(f.evidence)}; {escape(f.source)}</small></li>")
        text.append("")
        html.append("</ul>")
    text.append(DISCLAIMER)
    html.append(f"<p><small>{escape(DISCLAIMER)}</small></p>")
    msg.set_content("\n".join(text))
    msg.add_alternative("<!DOCTYPE html><html><body>" + "".join(html) + "</body></html>",
                        subtype="html")
    for item in items:
        if item.chart_png:
            name = "".join(c if c.isalnum() else "-" for c in item.athlete) or "athlete"
            msg.add_attachment(item.chart_png, maintype="image", subtype="png",
                               filename=f"loadwatch-{name}.png")
    return msg


# -- sending ---------------------------------------------------------------------------------

def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=context)
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        smtp.starttls(context=context)
    return smtp


def send(message: EmailMessage, settings: SmtpSettings, *, retries: int = 3,
         backoff: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> None:
    """Deliver ``message``; a few retries with backoff for temporary failures.

    Connection errors and 4xx replies are retried (``backoff``, doubled each time);
    a 5xx refusal or a failed login is not. Raises :class:`AlertSendError` with one
    line naming the server and its reply, never the password.
    """
    where = f"{settings.host}:{settings.port}"
    password = settings.password()
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        try:
            with _connect(settings) as smtp:
                if settings.user:
                    smtp.login(settings.user, password or "")
                refused = smtp.send_message(message)
            if refused:
                raise AlertSendError(f"{where} refused some recipients: {', '.join(refused)}")
            return
        except smtplib.SMTPNotSupportedError as exc:
            raise AlertSendError(f"{where}: {exc} (check smtp.security)") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise AlertSendError(f"{where} refused the login for {settings.user} "
                                 f"({exc.smtp_code})") from None
        except smtplib.SMTPResponseException as exc:
            reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
                else str(exc.smtp_error)
            last = f"{where} answered {exc.smtp_code} {' '.join(reply.split())}"
            if exc.smtp_code < 400 or exc.smtp_code >= 500:
                raise AlertSendError(last) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise AlertSendError(f"{where} refused the recipients: "
                                 f"{', '.join(exc.recipients)}") from None
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            last = f"cannot reach the mail server {where} ({type(exc).__name__}: {exc})"
    raise AlertSendError(f"{last}; tried {retries + 1} times")


@dataclass
class AlertOutcome:
    """What a run did: messages sent (or printed, dry run) and how many new flags they told."""

    sent: int = 0
    new_flags: int = 0
    messages: list[EmailMessage] = field(default_factory=list)


def run_alerts(items: list[AlertItem], settings: SmtpSettings, state: AlertState, *,
               min_severity: str = "caution", dry_run: bool = False, out=None,
               digest: bool = True, sender: Callable[..., None] = send) -> AlertOutcome:
    """E-mail the flags not sent before, at or above ``min_severity`` (red flags always).

    ``digest`` sends one message for all athletes to the union of their recipients;
    otherwise one per athlete. State is advanced per message, only after the server
    accepted it; ``dry_run`` prints the messages and changes nothing.
    """
    out = out or sys.stdout
    floor = severity_rank(min_severity)
    fresh = []
    for item in items:
        wanted = [f for f in item.flags
                  if f.code == "pain_red_flag" or severity_rank(f.severity) >= floor]
        new = state.unsent(item.athlete, wanted)
        if new:
            fresh.append(AlertItem(item.athlete, item.risk, new, item.recipients, item.chart_png))
    outcome = AlertOutcome(new_flags=sum(len(i.flags) for i in fresh))
    if not fresh:
        return outcome
    if digest:
        recipients = list(dict.fromkeys(r for i in fresh for r in i.recipients))
        batches = [(fresh, recipients)]
    else:
        batches = [([i], i.recipients) for i in fresh]
    for batch, recipients in batches:
        message = compose(batch, settings, recipients)
        outcome.messages.append(message)
        if dry_run:
            _print(message, out)
            continue
        sender(message, settings)
        for item in batch:
            state.mark_sent(item.athlete, item.flags, recipients)
        outcome.sent += 1
    return outcome


def _print(message: EmailMessage, out) -> None:
    for key in ("From", "To", "Subject", "Date"):
        out.write(f"{key}: {message[key]}\n")
    body = message.get_body(preferencelist=("plain",))
    out.write("\n" + (body.get_content() if body else "") + "\n")
    attachments = [a.get_filename() for a in message.iter_attachments()]
    if attachments:
        out.write(f"[attached: {', '.join(attachments)}]\n")
    out.write("-" * 72 + "\n")
