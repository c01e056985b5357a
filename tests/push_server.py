"""A loopback HTTP server for the push tests: what apprise's ``json://`` and ``ntfy://`` post.

``PushServer()`` listens on 127.0.0.1 on a free port; every request is kept in
``.requests`` as (method, path, headers, body as JSON or text). ``.status`` is the
answer's HTTP status (set it to 500 to play a failing server); ``.delay`` seconds of
silence before answering play a server that stalls.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        size = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
        raw = self.rfile.read(size).decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        self.server.owner.requests.append(("POST", self.path, dict(self.headers), body))
        time.sleep(self.server.owner.delay)
        reply = b"{}"
        try:
            self.send_response(self.server.owner.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except OSError:
            pass  # the client gave up on a stalled answer

    def log_message(self, *args):
        pass


class PushServer:
    def __init__(self, status: int = 200, delay: float = 0.0):
        self.status = status
        self.delay = delay
        self.requests: list[tuple] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> PushServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
