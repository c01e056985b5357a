"""Run independent tasks on a Dask cluster, for when one machine is not enough.

:func:`run_tasks` takes a function and one picklable argument per task, runs
``client.map`` over them, collects them with ``as_completed`` for the progress bar
and returns one :class:`TaskOutcome` per task, in order: its result, or the error
that stopped it for good. It knows nothing of what the tasks do; the squad
(:mod:`loadwatch.squad`, one task per athlete) ranks the results and makes its
own error rows afterwards, as for a local run, so the JSON is the same.

Schedulers (``loadwatch squad --scheduler``, or ``LOADWATCH_SCHEDULER``):

- ``local`` (the default): a process pool on this machine, no Dask needed;
- ``dask-local``: a ``distributed.LocalCluster`` on this machine (one worker
  process per core), its dashboard address printed;
- anything else: the address of a running Dask scheduler (``tcp://host:8786``),
  checked first (:func:`probe`): a refused port, a silent server, a web server or
  anything else that does not greet like a Dask scheduler is one line within
  seconds, never a hang or a crash.

What a cluster needs: Dask (``pip install 'loadwatch[dask]'``) and the same
loadwatch version on the client and every worker (the tasks are loadwatch's own
functions, sent by reference); the athlete folders at the same path on every
worker (a shared filesystem); and a cache the workers can write. The cache path
is passed to the workers as it is: a local path gives each worker machine its own
cache (SQLite is not safe on network filesystems), which fills on the first run.

A task that raises, or whose worker dies and whose retries are used up, is an
outcome with an error; the other tasks are done.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

LOCAL = "local"
DASK_LOCAL = "dask-local"
ENV = "LOADWATCH_SCHEDULER"
RETRIES = 2
"""Times a failed task is run again (on any worker) before it is an error."""
CONNECT_TIMEOUT_S = 20
"""Seconds Dask's client may take to connect once the address has answered as a
scheduler (:func:`probe`). [s]"""
PROBE_TIMEOUT_S = 5.0
"""Seconds for the address to accept a connection and send Dask's greeting. A scheduler
greets at once; a silent server (or a web server, which waits for a request) gets
this long before the run stops. [s]"""
MAX_GREETING_BYTES = 4096
"""Largest greeting accepted from a scheduler (Dask's is under 100 bytes): a peer that
announces more is not Dask, and its number is never used to allocate memory. [bytes]"""
DEFAULT_PORT = 8786
"""Dask's scheduler port, when an address names none."""


class ClusterError(Exception):
    """The cluster could not be used (Dask missing, scheduler unreachable); one line."""


@dataclass(frozen=True)
class TaskOutcome:
    """What one task gave: its ``result``, or ``error`` (the exception's type and text,
    in one line of at most :data:`MAX_ERROR_CHARS` characters) when it failed for good."""

    result: object = None
    error: str | None = None


MAX_ERROR_CHARS = 200
"""Longest text kept of a failed task's exception, so that an error stays one short line. [characters]"""


def is_local(scheduler: str | None) -> bool:
    """Whether ``scheduler`` means this machine's process pool."""
    return scheduler in (None, "", LOCAL)


def run_tasks(task: Callable, jobs: Sequence, scheduler: str, *,
              progress: Callable | None = None, echo: Callable[[str], None] | None = None,
              workers: int | None = None) -> list[TaskOutcome]:
    """Run ``task(job)`` for every job on a Dask cluster; one outcome per job, in order.

    Parameters
    ----------
    task : callable
        A module-level function (sent by reference): one picklable value in, one out.
    jobs : sequence
        One picklable argument per task.
    scheduler : str
        :data:`DASK_LOCAL` or a scheduler address.
    progress : callable, optional
        ``progress(total)`` gives a context manager with ``update(n)``.
    echo : callable, optional
        Receives one-line messages (the dashboard address).
    workers : int, optional
        Worker processes of a :data:`DASK_LOCAL` cluster (default: one per core).

    Raises
    ------
    ClusterError
        Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        # Dask is optional (loadwatch[dask]) and slow to import: only a cluster run needs it.
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise ClusterError("--scheduler needs Dask: pip install 'loadwatch[dask]'") from exc
    say = echo or (lambda msg: None)
    cluster = None
    try:
        if scheduler == DASK_LOCAL:
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=":0")
            say(f"Dask dashboard: {cluster.dashboard_link}")
            client = Client(cluster)
        else:
            checked = probe(scheduler)
            # An address probe() could not check (ws://, ucx://) gets the probe's deadline
            # from Dask itself: a web server behind ws:// answers nothing Dask can use.
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S if checked else PROBE_TIMEOUT_S)
    except ClusterError:
        raise
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        detail = " ".join(str(exc).split())[:200]
        if scheduler.startswith("tls://") and isinstance(exc, TypeError):
            detail = ("tls:// needs Dask's TLS settings (distributed.comm.tls: ca-file, "
                      "client.cert, client.key in the Dask config)")
        raise ClusterError(f"cannot reach the Dask scheduler {scheduler!r}: {detail}") from exc
    try:
        if scheduler != DASK_LOCAL:
            say(f"Dask scheduler {scheduler}: {len(client.scheduler_info().get('workers', {}))} "
                "workers")
        futures = client.map(task, list(jobs), retries=RETRIES, pure=False)
        position = {f.key: i for i, f in enumerate(futures)}
        out: list[TaskOutcome] = [TaskOutcome()] * len(futures)
        with contextlib.ExitStack() as stack:
            bar = stack.enter_context(progress(len(futures))) if progress else None
            for future in as_completed(futures):
                i = position[future.key]
                out[i] = _outcome(future)
                if bar is not None:
                    bar.update(1)
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _outcome(future) -> TaskOutcome:
    """The task's result, or its error when it failed for good."""
    try:
        return TaskOutcome(result=future.result())
    except Exception as exc:  # noqa: BLE001 - a failed task is that task's error, not the run's
        text = " ".join(str(exc).split())[:MAX_ERROR_CHARS]
        return TaskOutcome(error=f"{type(exc).__name__}: {text}")


def probe(scheduler: str) -> bool:
    """Check that ``scheduler`` answers like a Dask scheduler before Dask's client connects.

    Dask's client waits for a scheduler's greeting without a deadline and trusts the
    length it announces: a silent server (or a web server, the dashboard's port by
    mistake) hangs the run, and random bytes or an ``HTTP/1.1 400`` are read as a
    length of exabytes (MemoryError). Here the greeting is read with
    :data:`PROBE_TIMEOUT_S` and at most :data:`MAX_GREETING_BYTES`; a refused port
    fails at once. ``tls://`` addresses are only connected to (their greeting is
    encrypted); other schemes are left to Dask (False: not checked here).

    Returns
    -------
    bool
        Whether the address was checked here (``tcp://`` and ``tls://``).

    Raises
    ------
    ClusterError
        Unreachable, refused, silent, or not speaking Dask's protocol; one line.
    """
    # Dask is optional (loadwatch[dask]) and slow to import: only a cluster run needs it.
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(scheduler)
    if scheme not in ("tcp", "tls"):
        return False
    host, port = parse_host_port(location, default_port=DEFAULT_PORT)

    def fail(why: str) -> ClusterError:
        return ClusterError(f"cannot reach the Dask scheduler {scheduler!r}: {why}")

    try:
        sock = socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S)
    except TimeoutError:
        raise fail(f"no answer within {PROBE_TIMEOUT_S:g} s (check the host and port, "
                   "and any firewall)") from None
    except OSError as exc:
        raise fail(f"cannot connect ({exc.strerror or exc}); is the scheduler running "
                   "(dask scheduler)?") from None
    with sock:
        if scheme == "tls":
            return True
        sock.settimeout(PROBE_TIMEOUT_S)
        greeting = b""
        try:
            while len(greeting) < 8 or len(greeting) < 8 + _announced(greeting):
                chunk = sock.recv(MAX_GREETING_BYTES)
                if not chunk:
                    raise fail("the server closed the connection without Dask's greeting: "
                               "not a Dask scheduler")
                greeting += chunk
                if len(greeting) >= 8 and _announced(greeting) > MAX_GREETING_BYTES:
                    what = ("an HTTP server" if greeting.startswith(b"HTTP/")
                            else "something else")
                    raise fail(f"answered as {what}, not as a Dask scheduler (is it the "
                               f"dashboard's port, 8787, instead of the scheduler's, "
                               f"{DEFAULT_PORT}?)")
        except TimeoutError:
            raise fail(f"connected, but no Dask greeting within {PROBE_TIMEOUT_S:g} s: not a "
                       f"Dask scheduler (a web server, such as the dashboard on 8787, "
                       f"waits silently; the scheduler's port is {DEFAULT_PORT})") from None
        except OSError as exc:
            raise fail(f"the connection failed ({exc.strerror or exc})") from None
    if b"pickle-protocol" not in greeting and b"python" not in greeting:
        raise fail("answered, but not with Dask's greeting: not a Dask scheduler")
    return True


def _announced(greeting: bytes) -> int:
    """The length a Dask greeting announces in its first 8 bytes (little-endian). [bytes]"""
    return int.from_bytes(greeting[:8], "little")
