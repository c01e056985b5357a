"""A real SMTP server on loopback for the alert tests (aiosmtpd), with TLS and AUTH.

``SmtpServer(tmp_path, mode=...)`` starts on 127.0.0.1 on a free port:
``plain``, ``starttls`` (STARTTLS required before AUTH) or ``ssl`` (implicit TLS),
with a self-signed certificate made by the ``openssl`` command. Received messages
are in ``.messages``, their envelopes in ``.envelopes``.

Hostile behaviours, for tests/hostile/:

- ``refuse=True`` answers every message with 550;
- ``refuse_rcpt={"a@b"}`` refuses those recipients (550 at RCPT TO);
- ``after_data="drop"`` takes the message, then drops the line before replying;
  ``"stall"`` waits ``stall`` seconds before replying 250;
- ``on_data`` is called with each message as it is taken (e.g. to kill the client);
- ``data_delay`` seconds of thought before taking a message (to overlap runs);
- ``quit_reply="500 what?"`` answers QUIT oddly.

:class:`Tarpit` is a raw TCP server that answers one byte every ``interval``
seconds, forever.
"""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import subprocess
import threading
import time
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

    async def handle_RCPT(self, smtp, session, envelope, address, options):  # noqa: N802
        if address.lower() in self.server.refuse_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        server = self.server
        if server.data_delay:
            await asyncio.sleep(server.data_delay)
        if server.refuse:
            return "550 5.7.1 Message refused by policy"
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=policy.default)
        server.messages.append(message)
        server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if server.on_data is not None:
            server.on_data(message)
        if server.after_data == "drop":
            smtp.transport.abort()
            await asyncio.sleep(3600)
        if server.after_data == "stall":
            await asyncio.sleep(server.stall)
        return "250 OK"

    async def handle_QUIT(self, smtp, session, envelope):  # noqa: N802
        return self.server.quit_reply or "221 Bye"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
        and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok)


class SmtpServer:
    def __init__(self, folder: Path, mode: str = "plain", refuse: bool = False, *,
                 refuse_rcpt: set[str] = frozenset(), after_data: str | None = None,
                 stall: float = 30.0, data_delay: float = 0.0, quit_reply: str | None = None,
                 on_data=None):
        self.mode, self.refuse = mode, refuse
        self.refuse_rcpt = {a.lower() for a in refuse_rcpt}
        self.after_data, self.stall, self.data_delay = after_data, stall, data_delay
        self.quit_reply, self.on_data = quit_reply, on_data
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


class Tarpit:
    """A TCP server on loopback that sends an endless SMTP greeting, one byte at a time."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        clients = []
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                clients.append(conn)
                threading.Thread(target=self._drip, args=(conn,), daemon=True).start()
            except TimeoutError:
                continue
            except OSError:
                break
        for conn in clients:
            conn.close()

    def _drip(self, conn: socket.socket) -> None:
        line = b"220-slowly, very slowly\r\n"
        i = 0
        while not self._stop.is_set():
            try:
                conn.sendall(line[i % len(line):i % len(line) + 1])
            except OSError:
                return
            i += 1
            time.sleep(self.interval)

    def __enter__(self) -> Tarpit:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()
