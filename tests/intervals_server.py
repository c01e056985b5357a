"""A fake intervals.icu on 127.0.0.1 for the sync tests: no test touches the network.

``FakeIntervals`` answers ``GET /api/v1/athlete/{id}/activities`` and ``.../wellness`` with
the records whose day lies in ``oldest``..``newest`` (as the real service filters), checks
HTTP Basic (user ``API_KEY``), and can be told to answer 401, 403, 429 with a
``Retry-After``, to stall, to answer given bytes, or to trickle a byte at a time. Every request is recorded (path, query, athlete).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeIntervals:
    def __init__(self, key: str = "test-key-123", athletes: tuple[str, ...] = ("i1",)):
        self.key = key
        self.athletes = set(athletes)
        self.activities: dict[str, dict[str, dict]] = {a: {} for a in athletes}
        self.wellness: dict[str, dict[str, dict]] = {a: {} for a in athletes}
        self.requests: list[tuple[str, str, dict]] = []
        self.forbidden: set[str] = set()
        self.rate_limited = 0          # answer 429 this many times first
        self.retry_after = "0"
        self.stall_s = 0.0
        self.body: bytes | None = None   # answer 200 with these bytes instead
        self.trickle_s = 0.0             # answer 200, then one byte every trickle_s, forever
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                fake._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeIntervals:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stall_s = 0.0
        self.server.shutdown()
        self.server.server_close()

    def add(self, athlete: str, record: dict) -> None:
        self.activities[athlete][record["id"]] = record

    def add_wellness(self, athlete: str, record: dict) -> None:
        self.wellness[athlete][record["id"]] = record

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        segs = parts.path.strip("/").split("/")
        athlete = segs[3] if len(segs) == 5 else ""
        self.requests.append((segs[-1], athlete, query))
        if self.stall_s:
            time.sleep(self.stall_s)
            return
        if self.body is not None:
            h.send_response(200)
            h.send_header("Content-Length", str(len(self.body)))
            h.end_headers()
            h.wfile.write(self.body)
            return
        if self.trickle_s:
            h.send_response(200)
            h.end_headers()
            try:
                while self.trickle_s:
                    h.wfile.write(b" ")
                    h.wfile.flush()
                    time.sleep(self.trickle_s)
            except OSError:   # the client gave up
                pass
            return
        if self.rate_limited:
            self.rate_limited -= 1
            return self._send(h, 429, {"error": "slow down"}, {"Retry-After": self.retry_after})
        expected = "Basic " + base64.b64encode(f"API_KEY:{self.key}".encode()).decode()
        if h.headers.get("Authorization") != expected:
            return self._send(h, 401, {"error": "Unauthorized"})
        if (len(segs) != 5 or segs[:3] != ["api", "v1", "athlete"]
                or segs[4] not in ("activities", "wellness")):
            return self._send(h, 404, {"error": "not found"})
        if athlete in self.forbidden or athlete not in self.athletes:
            return self._send(h, 403, {"error": "Forbidden"})
        lo, hi = query["oldest"][:10], query["newest"][:10]
        if segs[4] == "activities":
            rows = [r for r in self.activities[athlete].values()
                    if lo <= r["start_date_local"][:10] <= hi]
        else:
            rows = [r for r in self.wellness[athlete].values() if lo <= r["id"] <= hi]
        self._send(h, 200, rows)

    @staticmethod
    def _send(h, status: int, body, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)


def run_record(rid: str, start_local: str, *, offset_h: int = 1, distance: float = 10000.0,
               moving: int = 3000, kind: str = "Run", **extra) -> dict:
    """An intervals.icu activity as its API lists it (with the nulls it sends)."""
    from datetime import datetime, timedelta

    local = datetime.fromisoformat(start_local)
    utc = local - timedelta(hours=offset_h)
    record = {"id": rid, "start_date_local": local.isoformat(),
              "start_date": utc.isoformat() + "Z", "type": kind, "name": f"Run {rid}",
              "distance": distance, "moving_time": moving, "elapsed_time": moving + 60,
              "total_elevation_gain": 42.0, "average_heartrate": 145, "max_heartrate": 171,
              "icu_rpe": 6, "feel": 2, "gear": {"id": "g42", "name": "Pegasus 41"},
              "source": "GARMIN_CONNECT", "icu_training_load": None, "average_watts": None}
    record.update(extra)
    return record


def strava_stub(rid: str, start_local: str) -> dict:
    return {"id": rid, "start_date_local": start_local, "type": "Run", "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API"}
