"""The intervals.icu REST client: two list endpoints, with timeouts and bounded waits.

``GET {url}/api/v1/athlete/{id}/activities?oldest=YYYY-MM-DD&newest=YYYY-MM-DD`` and
``.../wellness?oldest=&newest=`` (both days included), with HTTP Basic authentication
whose user is the literal ``API_KEY`` and whose password is the athlete's key
(intervals.icu, API access for developers). Both answer a JSON list.

Faults become one of three exceptions, each a one-line message that never holds the key:

- :class:`AuthError` (the command exits 2): 401 (a wrong key) or 403 (an athlete the key
  may not read);
- :class:`Unreachable` (exit 1): no connection, a timeout (``sync.timeout`` between two
  bytes, :data:`MAX_REPLY_S` for a whole reply), a 5xx, a reply that is not a JSON list,
  a reply larger than :data:`MAX_REPLY_BYTES`, or 429 after
  :data:`MAX_ATTEMPTS` tries;
- 429 (too many requests) is waited out as ``Retry-After`` says, at most
  :data:`MAX_RETRY_AFTER_S` a time, :data:`MAX_ATTEMPTS` tries of a request and
  :data:`MAX_RATE_WAIT_S` for the whole run (a :class:`WaitBudget` shared by a squad's
  athletes) (``tenacity``), each wait said through ``notice``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import httpx
import tenacity

API_USER = "API_KEY"
"""The HTTP Basic user name intervals.icu expects with a personal API key."""
MAX_ATTEMPTS = 4
"""Tries of one request answered 429, the first included. [requests]"""
MAX_RETRY_AFTER_S = 120.0
"""Longest wait on one ``Retry-After``; a longer one is cut to this. [s] intervals.icu's
rate limit is per second and per minute, so two minutes covers it; a cron job must
not sleep for an hour on a header."""
MAX_RATE_WAIT_S = 300.0
"""Longest time one ``loadwatch sync`` run waits on 429s in all, every athlete and request
together. [s] intervals.icu limits a key, and a coach syncs a squad with one key: without a
total, 4 tries of 120 s for each of a first sync's 8 requests of each athlete would hold a
cron job for hours; five minutes is more than a per-minute limit needs to reset."""
DEFAULT_RETRY_AFTER_S = 5.0
"""Wait on a 429 without a usable ``Retry-After``. [s]"""
MAX_REPLY_S = 300.0
"""Longest time one reply may take to arrive whole, beside ``sync.timeout`` between two
bytes. [s] A reply of a megabyte arrives in seconds even on a slow line; a server that
sends a byte now and then would otherwise hold a cron job for ever."""
MAX_REPLY_BYTES = 16 << 20
"""Largest reply read. [bytes] One request covers at most 92 days (:data:`loadwatch.sync.
intervals.WINDOW_DAYS`): even ten activities a day of about 5 kB each are under 5 MB. The
bound is also a memory bound: parsed, JSON can take some 27 times its size (16 MB of
``[{},{},...`` is about 450 MB of Python objects; the former 64 MB bound let a broken
server cost 1.7 GB)."""


class SyncError(RuntimeError):
    """A sync that could not be made; one line for the user, never holding the key."""


class AuthError(SyncError):
    """401 or 403: a wrong key or an athlete the key may not read (exit 2)."""


class Unreachable(SyncError):
    """No answer that could be used: connection, timeout, server error (exit 1)."""


class WaitBudget:
    """What is left of the time a run may wait on 429s (:data:`MAX_RATE_WAIT_S`). [s]"""

    def __init__(self, seconds: float = MAX_RATE_WAIT_S):
        self.left = seconds


class _RateLimited(Exception):
    def __init__(self, wait_s: float):
        super().__init__(f"429, wait {wait_s:.0f} s")
        self.wait_s = wait_s


def retry_after(value: str | None) -> float:
    """Seconds a ``Retry-After`` header asks for (seconds or an HTTP date), bounded.

    >>> retry_after("3"), retry_after("9999"), retry_after(None), retry_after("soon")
    (3.0, 120.0, 5.0, 5.0)
    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), retry_after("Wed, 21 Oct 2099 07:28:00")
    (0.0, 120.0)
    """
    if not value:
        return DEFAULT_RETRY_AFTER_S
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER_S
        if when.tzinfo is None:       # an HTTP date is GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return DEFAULT_RETRY_AFTER_S
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


class IntervalsClient:
    """A connection to intervals.icu for one athlete. Use as a context manager.

    Parameters
    ----------
    url : str
        The server, ``https://intervals.icu`` (a test points it at loopback).
    athlete : str
        The athlete id (``i123456``, or ``0`` for the key's own athlete).
    key : str
        The API key; kept in the client's auth only, never in a message.
    timeout : float
        Bound on connecting and on each wait for bytes. [s]
    notice : callable, optional
        Receives a one-line message before each wait on a 429.
    sleep : callable, optional
        How to wait (tests pass a recorder).
    budget : WaitBudget, optional
        The run's time left for 429s (default: a budget of this client's own).
    """

    def __init__(self, url: str, athlete: str, key: str, timeout: float,
                 notice: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] | None = None,
                 budget: WaitBudget | None = None):
        self.base = f"{url.rstrip('/')}/api/v1/athlete/{athlete}"
        self.url = url
        self.athlete = athlete
        self.notice = notice or (lambda msg: None)
        self.requests = 0
        """Requests made (retries included): the incremental sync's bound is tested on it."""
        self._sleep = sleep
        self.budget = budget or WaitBudget()
        self._http = httpx.Client(auth=(API_USER, key), timeout=httpx.Timeout(timeout),
                                  headers={"Accept": "application/json"},
                                  follow_redirects=False, trust_env=False)

    def __enter__(self) -> IntervalsClient:
        return self

    def __exit__(self, *exc) -> None:
        self._http.close()

    def activities(self, oldest: date, newest: date) -> list[dict]:
        """The athlete's activities that started from ``oldest`` to ``newest`` (local days)."""
        return self._list("activities", oldest, newest)

    def wellness(self, oldest: date, newest: date) -> list[dict]:
        """The athlete's wellness records (one per day) from ``oldest`` to ``newest``."""
        return self._list("wellness", oldest, newest)

    def _list(self, what: str, oldest: date, newest: date) -> list[dict]:
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}

        def waited(state: tenacity.RetryCallState) -> None:
            wait = state.outcome.exception().wait_s
            self.budget.left -= wait
            self.notice(f"intervals.icu asked to slow down (429): waiting {wait:.0f} s as its "
                        f"Retry-After says (try {state.attempt_number + 1} of {MAX_ATTEMPTS})")

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_RateLimited),
            wait=lambda state: state.outcome.exception().wait_s,
            stop=(tenacity.stop_after_attempt(MAX_ATTEMPTS)
                  | (lambda state: state.outcome.exception().wait_s > self.budget.left)),
            before_sleep=waited, reraise=True,
            **({"sleep": self._sleep} if self._sleep else {}))
        try:
            return retrying(self._get, what, params)
        except _RateLimited as exc:
            if exc.wait_s > self.budget.left:
                raise Unreachable(f"intervals.icu still answered 429 (too many requests) and "
                                  f"this run has waited its {MAX_RATE_WAIT_S:g} s for it; "
                                  "nothing was changed; run again later") from None
            raise Unreachable(f"intervals.icu still answered 429 (too many requests) after "
                              f"{MAX_ATTEMPTS} tries; nothing was changed; run again later") from None

    def _get(self, what: str, params: dict) -> list[dict]:
        self.requests += 1
        where = f"{self.url} ({what} of athlete {self.athlete})"
        try:
            with self._http.stream("GET", f"{self.base}/{what}", params=params) as reply:
                if reply.status_code == 429:
                    raise _RateLimited(retry_after(reply.headers.get("Retry-After")))
                if reply.status_code == 401:
                    raise AuthError(f"{where}: the API key was refused (401); copy it again "
                                    "from intervals.icu, Settings > Developer")
                if reply.status_code == 403:
                    raise AuthError(f"{where}: this API key may not read athlete "
                                    f"{self.athlete} (403); check sync.athlete, or ask the "
                                    "athlete to share with you on intervals.icu")
                if reply.status_code != 200:
                    raise Unreachable(f"{where}: the server answered {reply.status_code} "
                                      f"{reply.reason_phrase}; nothing was changed; run again later")
                body = bytearray()
                deadline = time.monotonic() + MAX_REPLY_S
                for chunk in reply.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:
                        raise Unreachable(f"{where}: the reply did not arrive whole within "
                                          f"{MAX_REPLY_S:g} s; nothing was changed; run "
                                          "again later")
                    if len(body) > MAX_REPLY_BYTES:
                        raise Unreachable(f"{where}: the reply is larger than "
                                          f"{MAX_REPLY_BYTES:,} bytes; nothing was changed")
        except httpx.TimeoutException:
            raise Unreachable(f"{where}: no answer within the time limit (sync.timeout); "
                              "nothing was changed; run again later") from None
        except httpx.HTTPError as exc:
            # httpx's messages name the address and the system's reason, never the auth.
            raise Unreachable(f"{where}: cannot connect ({type(exc).__name__}: {exc}); "
                              "nothing was changed; run again later") from None
        try:
            data = json.loads(bytes(body).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            # RecursionError: nesting deeper than Python's stack (``[[[[...``) is no list.
            raise Unreachable(f"{where}: the reply is not JSON; nothing was changed") from None
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise Unreachable(f"{where}: the reply is not a list of {what}; nothing was changed")
        return data
