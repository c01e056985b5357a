"""A squad on a Dask cluster: one task per athlete, for when one machine is not enough.

Athletes are independent: each is imported and reported alone
(:func:`loadwatch.squad.report_athlete`, which takes and returns plain picklable
values), so a squad is embarrassingly parallel and the cluster runs one task per
athlete, ``client.map`` over the folders, collected with ``as_completed`` for
the progress bar. The ranking and the output are made afterwards, as for a local
run, so the JSON is the same.

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

A task that raises, or whose worker dies and whose retries are used up, becomes
that athlete's error row; the rest of the squad is done.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

LOCAL = "local"
DASK_LOCAL = "dask-local"
ENV = "LOADWATCH_SCHEDULER"
RETRIES = 2
"""Times a failed athlete task is run again (on any worker) before it is an error."""
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


def is_local(scheduler: str | None) -> bool:
    """Whether ``scheduler`` means this machine's process pool."""
    return scheduler in (None, "", LOCAL)


def run_athletes(task: Callable, args: list[tuple], scheduler: str, *,
                 progress: Callable | None = None, echo: Callable[[str], None] | None = None,
                 workers: int | None = None) -> list:
    """Run ``task(*a)`` for every ``a`` of ``args`` on a Dask cluster; results in order.

    Parameters
    ----------
    task : callable
        :func:`loadwatch.squad.report_athlete`: plain values in, an ``AthleteResult`` out.
    args : list of tuple
        One argument tuple per athlete; the first item is the athlete's folder.
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
            probe(scheduler)
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
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
        columns = list(zip(*args, strict=True))
        futures = client.map(task, *columns, retries=RETRIES, pure=False)
        position = {f.key: i for i, f in enumerate(futures)}
        out: list = [None] * len(futures)
        with contextlib.ExitStack() as stack:
            bar = stack.enter_context(progress(len(futures))) if progress else None
            for future in as_completed(futures):
                i = position[future.key]
                out[i] = _result(future, args[i][0])
                if bar is not None:
                    bar.update(1)
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future, folder: str):
    """The task's result, or an error row when the task failed for good."""
    from pathlib import Path

    from loadwatch.squad import AthleteResult

    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a failed task is one athlete's error, not the squad's
        what = type(exc).__name__
        text = " ".join(str(exc).split())[:200]
        return AthleteResult(folder, Path(folder).name,
                             error=f"failed on the cluster ({what}: {text})", exit_code=1)


def probe(scheduler: str) -> None:
    """Check that ``scheduler`` answers like a Dask scheduler before Dask's client connects.

    Dask's client waits for a scheduler's greeting without a deadline and trusts the
    length it announces: a silent server (or a web server, the dashboard's port by
    mistake) hangs the run, and random bytes or an ``HTTP/1.1 400`` are read as a
    length of exabytes (MemoryError). Here the greeting is read with
    :data:`PROBE_TIMEOUT_S` and at most :data:`MAX_GREETING_BYTES`; a refused port
    fails at once. ``tls://`` addresses are only connected to (their greeting is
    encrypted); other schemes are left to Dask.

    Raises
    ------
    ClusterError
        Unreachable, refused, silent, or not speaking Dask's protocol; one line.
    """
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(scheduler)
    if scheme not in ("tcp", "tls"):
        return
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
            return
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


def _announced(greeting: bytes) -> int:
    """The length a Dask greeting announces in its first 8 bytes (little-endian). [bytes]"""
    return int.from_bytes(greeting[:8], "little")
