"""A real SMTP server on loopback for the alert tests (aiosmtpd), with TLS and AUTH.

``SmtpServer(tmp_path, mode=...)`` starts on 127.0.0.1 on a free port:
``plain``, ``starttls`` (STARTTLS required before AUTH) or ``ssl`` (implicit TLS),
with a self-signed certificate made by the ``openssl`` command. ``refuse=True``
answers every message with 550. Received messages are in ``.messages``.
"""

from __future__ import annotations

import email
import socket
import ssl
import subprocess
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "coach@example.org", "s3cret-Pa55word"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)
    return cert, key


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.server.refuse:
            return "550 5.7.1 Message refused by policy"
        self.server.messages.append(
            email.message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default))
        self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
        and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok)


class SmtpServer:
    def __init__(self, folder: Path, mode: str = "plain", refuse: bool = False):
        self.mode, self.refuse = mode, refuse
        self.messages: list = []
        self.envelopes: list = []
        self.port = free_port()
        kwargs = {}
        self.cafile = None
        if mode in ("starttls", "ssl"):
            cert, key = certificate(folder)
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
            self.cafile = str(cert)
            if mode == "starttls":
                kwargs.update(tls_context=ctx, require_starttls=True)
            else:
                # aiosmtpd does not count implicit TLS as TLS for AUTH; the link is TLS anyway.
                kwargs.update(ssl_context=ctx, auth_require_tls=False)
            kwargs.update(authenticator=_authenticator, auth_required=True)
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10, **kwargs)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def settings(self) -> dict:
        """The ``[smtp]`` table for this server."""
        table = {"host": "127.0.0.1", "port": self.port, "security": "none" if self.mode == "plain"
                 else self.mode, "from": "loadwatch@example.org", "timeout": 5}
        if self.mode != "plain":
            table.update(user=USER, cafile=self.cafile)
        return table
