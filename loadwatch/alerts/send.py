"""Sending one alert e-mail over SMTP: bounded in time, never twice, per recipient.

The exchange is driven step by step with the standard library's :mod:`smtplib`
so that each outcome is known precisely:

- ``timeout`` bounds the whole exchange (connect, greeting, EHLO, STARTTLS,
  AUTH, the envelope, DATA and QUIT together): a watchdog cuts the connection
  at the deadline, so a server that answers one byte every few seconds cannot
  keep a run going.
- Each recipient is accepted or refused on its own (RCPT TO); the refused ones
  are reported and tried again by the next run, the others are not.
- Before the final ``.`` that ends DATA, ``before_final_dot`` records the
  message as sent. Once that ``.`` is out the message counts as sent, whatever
  follows: a dropped line, a slow reply or an odd answer to QUIT is reported,
  never retried. Only an explicit refusal of the message (a 4xx or 5xx reply
  to the ``.``) makes it unsent.
- Failures before DATA that may pass (no connection, a 4xx reply, a dropped
  line) are retried a few times with backoff; a refused login, a server without
  STARTTLS, a TLS failure, a 5xx refusal or the deadline are not.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

from loadwatch.alerts.settings import SmtpSettings


class AlertSendError(RuntimeError):
    """The message was not sent to anyone: one line naming the server and what happened.

    Attributes
    ----------
    retry : bool
        Whether trying again within this run may help (a passing failure).
    """

    def __init__(self, message: str, retry: bool = False):
        super().__init__(message)
        self.retry = retry


@dataclass
class Delivery:
    """What became of one message.

    Attributes
    ----------
    accepted : list of str
        Recipients the message counts as sent to (the final ``.`` went out).
    refused : dict
        Recipient -> the server's reply, for those not sent to (tried again next run).
    confirmed : bool
        The server answered 250 to the message.
    notes : list of str
        What happened after the final ``.``: a dropped line, no reply in time, an
        odd answer to QUIT. One line each.
    """

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    confirmed: bool = False
    notes: list[str] = field(default_factory=list)


class _Deadline:
    """Cuts the client's connection when ``seconds`` have passed since it started."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.start = time.monotonic()
        self.fired = False
        self.client: _Client | None = None
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.05, self.seconds - (time.monotonic() - self.start))

    def _cut(self) -> None:
        self.fired = True
        sock = self.client.sock if self.client is not None else None
        if sock is not None:
            # The plain socket's shutdown, also under TLS: it wakes a blocked read or
            # write in the other thread without touching the TLS object.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


class _Client(smtplib.SMTP):
    """:class:`smtplib.SMTP` whose socket the deadline can cut, also during a TLS handshake."""

    def __init__(self, deadline: _Deadline, context: ssl.SSLContext | None):
        self._deadline = deadline
        self._implicit_tls = context
        deadline.client = self
        super().__init__(timeout=deadline.seconds)

    def _get_socket(self, host, port, timeout):
        raw = socket.create_connection((host, port), self._deadline.remaining(),
                                       self.source_address)
        self.sock = raw
        if self._implicit_tls is not None:
            return self._implicit_tls.wrap_socket(raw, server_hostname=host)
        return raw


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}".strip()


def message_bytes(message: EmailMessage, international: bool) -> bytes:
    """The message as SMTP DATA carries it: CRLF lines, leading dots doubled, no final dot."""
    pol = (policy.SMTPUTF8 if international else policy.SMTP).clone(linesep="\r\n")
    data = message.as_bytes(policy=pol)
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def deliver(message: EmailMessage, settings: SmtpSettings, recipients: list[str], *,
            password: str | None = None,
            before_final_dot: Callable[[list[str]], None] | None = None,
            retries: int = 3, backoff: float = 2.0,
            sleep: Callable[[float], None] | None = None) -> Delivery:
    """Send ``message`` to ``recipients`` and say precisely what became of it.

    Parameters
    ----------
    message : EmailMessage
        The e-mail; its headers are not used for the envelope.
    settings : SmtpSettings
        The server, security and ``timeout`` (per attempt, for the whole exchange). [s]
    recipients : list of str
        Envelope recipients.
    password : str, optional
        For ``settings.user``.
    before_final_dot : callable, optional
        Called with the accepted recipients after the message body went out and
        before the final ``.``: record it as sent there. If it raises, the
        connection is closed without the ``.`` (the server discards the message)
        and the error propagates.
    retries, backoff : int, float
        Passing failures before DATA are tried again ``retries`` times, waiting
        ``backoff`` seconds, doubled each time. [s]

    Returns
    -------
    Delivery
        The message counts as sent to ``accepted``.

    Raises
    ------
    AlertSendError
        Nothing was sent: one line naming the server and what happened, never
        the password.
    """
    where = f"{settings.host}:{settings.port}"
    sleep = sleep or time.sleep
    error: AlertSendError | None = None
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        try:
            return _attempt(message, settings, recipients, password, before_final_dot, where)
        except AlertSendError as exc:
            if not exc.retry:
                raise
            error = exc
    assert error is not None
    raise AlertSendError(f"{error}; tried {retries + 1} times")


def _attempt(message, settings, recipients, password, before_final_dot, where) -> Delivery:
    context = ssl.create_default_context(cafile=settings.cafile)
    with _Deadline(settings.timeout) as deadline:
        client = _Client(deadline, context if settings.security == "ssl" else None)
        try:
            return _exchange(client, context, message, settings, recipients, password,
                             before_final_dot, where, deadline)
        except _Failed as failed:
            step, exc = failed.step, failed.cause
        finally:
            with contextlib.suppress(OSError):
                client.close()
    raise _explain(exc, step, where, settings, deadline.fired)


class _Failed(Exception):
    def __init__(self, step: str, cause: BaseException):
        super().__init__(step)
        self.step, self.cause = step, cause


def _exchange(client, context, message, settings, recipients, password, before_final_dot, where,
              deadline) -> Delivery:
    step = "connecting"
    try:
        client._host = settings.host  # smtplib names the TLS server from this (set in __init__)
        client.connect(settings.host, settings.port)
        step = "EHLO"
        client.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            step = "STARTTLS"
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            step = "AUTH"
            client.login(settings.user, password or "")
        envelope = [parseaddr(r)[1] or r for r in recipients]
        sender = parseaddr(settings.sender)[1] or settings.sender
        international = not all(a.isascii() for a in [sender, *envelope])
        options = []
        if international:
            if not client.has_extn("smtputf8"):
                raise AlertSendError(f"{where} cannot take non-ASCII addresses (no SMTPUTF8)")
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        step = "MAIL FROM"
        code, text = client.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, sender)
        step = "RCPT TO"
        delivery = Delivery()
        temporary = False
        for original, addr in zip(recipients, envelope, strict=True):
            code, text = client.rcpt(addr)
            if code in (250, 251):
                delivery.accepted.append(original)
            else:
                delivery.refused[original] = _reply(code, text)
                temporary |= 400 <= code < 500
        if not delivery.accepted:
            refused = "; ".join(f"{r} ({why})" for r, why in delivery.refused.items())
            raise AlertSendError(f"{where} refused every recipient: {refused}", retry=temporary)
        step = "DATA"
        code, text = client.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, text)
        step = "sending the message"
        client.send(message_bytes(message, international))
    except _Failed:
        raise
    except AlertSendError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure before the "." means: not sent
        raise _Failed(step, exc) from None
    if before_final_dot is not None:
        before_final_dot(list(delivery.accepted))
    try:
        client.send(b".\r\n")
    except Exception as exc:  # noqa: BLE001
        raise _Failed("ending the message", exc) from None
    # From here the message counts as sent: nothing below raises or retries.
    try:
        code, text = client.getreply()
    except Exception as exc:  # noqa: BLE001
        delivery.notes.append(_after_dot(exc, where, settings, deadline.fired))
        return delivery
    if code == 250:
        delivery.confirmed = True
    else:
        reply = _reply(code, text)
        delivery.refused.update({r: reply for r in delivery.accepted})
        delivery.accepted = []
        return delivery
    try:
        code, text = client.docmd("QUIT")
        if code != 221:
            delivery.notes.append(f"{where} accepted the message, then answered QUIT with "
                                  f"{_reply(code, text)} (ignored)")
    except Exception as exc:  # noqa: BLE001
        delivery.notes.append(f"{where} accepted the message; closing the connection then "
                              f"failed ({_what(exc, deadline.fired, settings)}; ignored)")
    return delivery


def _what(exc: BaseException, fired: bool, settings: SmtpSettings) -> str:
    if fired:
        return f"no answer within the {settings.timeout:g} s timeout"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _after_dot(exc: BaseException, where: str, settings: SmtpSettings, fired: bool) -> str:
    why = ("it gave no answer within the timeout of " f"{settings.timeout:g} s" if fired
           else "the connection dropped before its answer"
           if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError)
           else f"its answer could not be read ({type(exc).__name__}: {exc})")
    return (f"the message was sent in full to {where} but {why}; it counts as sent and is not "
            "sent again (check that it arrived)")


def _explain(exc: BaseException, step: str, where: str, settings: SmtpSettings,
             fired: bool) -> AlertSendError:
    """One line for a failure before the message was sent, and whether to retry."""
    if fired:
        return AlertSendError(f"{where} did not finish within the {settings.timeout:g} s timeout "
                              f"(stalled at {step}); nothing was sent")
    if isinstance(exc, smtplib.SMTPNotSupportedError) and step == "AUTH":
        return AlertSendError(f"{where} does not offer a login (AUTH) on this connection; "
                              "nothing was sent (check smtp.user and smtp.security)")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return AlertSendError(f"{where} does not offer STARTTLS, so nothing was sent rather than "
                              "send the login or the message in clear (check smtp.security)")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return AlertSendError(f"{where} refused the login for {settings.user} "
                              f"({exc.smtp_code}); nothing was sent")
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        temporary = 400 <= exc.smtp_code < 500
        return AlertSendError(f"{where} answered {reply} at {step}; nothing was sent",
                              retry=temporary)
    if isinstance(exc, ssl.SSLError):
        return AlertSendError(f"TLS with {where} failed at {step} ({exc.reason or exc}); "
                              "nothing was sent (check smtp.security and smtp.cafile)")
    if isinstance(exc, smtplib.SMTPException) and not isinstance(
            exc, smtplib.SMTPServerDisconnected):
        return AlertSendError(f"{where} at {step}: {exc}; nothing was sent")
    if not isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
        return AlertSendError(f"{where} at {step}: {type(exc).__name__}: {exc}; nothing was sent")
    if isinstance(exc, smtplib.SMTPServerDisconnected) or step != "connecting":
        return AlertSendError(f"{where} closed the connection at {step} "
                              f"({_what(exc, fired, settings)}); nothing was sent", retry=True)
    detail = exc.strerror or str(exc)
    return AlertSendError(f"cannot reach the mail server {where} ({detail or type(exc).__name__})",
                          retry=True)
