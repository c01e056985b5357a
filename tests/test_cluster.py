"""The squad on a Dask cluster: a 2-worker LocalCluster on loopback against the local pool.

The same JSON as the local run; a broken athlete is one error row while the rest
are done; a worker killed mid-run costs nothing (Dask runs its tasks again);
progress shows on a terminal; a scheduler that cannot be reached is one line.
"""

import json
import os
import pty
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch import cluster, squad
from loadwatch.cli import cli
from tests import story

distributed = pytest.importorskip("distributed")

AS_OF = "2026-11-22"


@pytest.fixture(scope="module")
def dask_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    root = tmp_path_factory.mktemp("team")
    for i in range(8):
        story.write(root / f"runner-{i}", pain=i % 3 == 0,
                    toml=f'[athlete]\nname = "Runner {i}"\ntimezone = "Europe/Oslo"\n')
    broken = story.write(root / "broken")
    (broken / "loadwatch.toml").write_text("[athlete]\nunits = 'furlongs'\n")
    unreadable = root / "unreadable"
    unreadable.mkdir()
    (unreadable / "run.fit").write_bytes(b"\x0e\x10 not a FIT file")
    return root


def squad_json(team, tmp_path, *args):
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", AS_OF, "--format", "json",
                                      "--cache-dir", str(tmp_path / "cache"), *args],
                                catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_same_json_as_the_local_pool_and_broken_athletes_are_rows(team, tmp_path, dask_cluster):
    squad_json(team, tmp_path)  # both runs below from a warm cache
    local, expected = squad_json(team, tmp_path, "--scheduler", "local")
    remote, got = squad_json(team, tmp_path, "--scheduler", dask_cluster.scheduler_address)
    assert got == expected
    assert remote.exit_code == local.exit_code == 1
    assert len(got["athletes"]) == 8
    errors = {Path(e["folder"]).name: e["error"] for e in got["errors"]}
    assert set(errors) == {"broken", "unreadable"}
    assert "athlete.units" in errors["broken"]
    assert "no activities could be read" in errors["unreadable"]


def test_the_environment_variable_names_the_scheduler(team, tmp_path, dask_cluster, monkeypatch):
    squad_json(team, tmp_path)
    _, expected = squad_json(team, tmp_path)
    monkeypatch.setenv(cluster.ENV, dask_cluster.scheduler_address)
    calls = []
    real = cluster.run_tasks
    monkeypatch.setattr(cluster, "run_tasks", lambda *a, **k: calls.append(a) or real(*a, **k))
    _, got = squad_json(team, tmp_path)
    assert calls and got == expected


def test_a_worker_killed_mid_run_is_recovered_by_retries(team, tmp_path, dask_cluster):
    local = squad.run(team, as_of=date(2026, 11, 22), cache_dir=None, workers=1)
    with distributed.Client(dask_cluster.scheduler_address) as client:
        pids = list(client.run(os.getpid).values())
    killed = []

    class KillOnFirst:
        def __init__(self, total):
            self.total = total

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            if not killed:  # the other tasks are queued or running on the workers
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

    got = squad.run(team, as_of=date(2026, 11, 22), cache_dir=None,
                    scheduler=dask_cluster.scheduler_address, progress=KillOnFirst)
    assert killed
    assert squad.to_json(got) == squad.to_json(local)
    # The nanny starts a new worker in its place.
    with distributed.Client(dask_cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=60)


def test_a_failing_task_is_that_athletes_error_row(team, dask_cluster):
    jobs = [squad.AthleteJob(str(p), date(2026, 11, 22), None)
            for p in sorted(team.glob("runner-*"))[:3]]
    outcomes = cluster.run_tasks(_fails_for_runner_1, jobs, dask_cluster.scheduler_address)
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert outcomes[1].error == "RuntimeError: no luck"
    results = [squad.cluster_result(j, o) for j, o in zip(jobs, outcomes, strict=True)]
    assert [r.error is None for r in results] == [True, False, True]
    assert "failed on the cluster (RuntimeError: no luck)" in results[1].error
    assert results[1].name == "runner-1" and results[1].exit_code == 1


def _fails_for_runner_1(job):
    if job.folder.endswith("runner-1"):
        raise RuntimeError("no luck")
    return squad.report_athlete(job)


def test_progress_is_shown_on_a_terminal(team, tmp_path, dask_cluster):
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from loadwatch.cli import main; main()", "squad", str(team),
         "--as-of", AS_OF, "--cache-dir", str(tmp_path / "cache"), "--scheduler",
         dask_cluster.scheduler_address], stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    out, seen = proc.communicate(timeout=120)[0], b""
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode == 1, seen[-500:]
    assert b"Athletes" in seen and b"athletes/s" in seen
    assert b"Runner 0" in out


def test_an_unreachable_scheduler_is_one_line_and_exit_2(team, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", AS_OF, "--no-cache",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler 'tcp://127.0.0.1:9'" in result.stderr
    assert "Traceback" not in result.output


def test_dask_local_starts_a_cluster_and_prints_its_dashboard(team, tmp_path):
    squad_json(team, tmp_path)
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", AS_OF, "--format", "json",
                                      "--cache-dir", str(tmp_path / "cache"), "--scheduler",
                                      "dask-local", "--workers", "1"], catch_exceptions=False)
    _, expected = squad_json(team, tmp_path)  # warm, as the run above left the cache
    assert "Dask dashboard: http" in result.stderr
    assert json.loads(result.stdout) == expected


class Peer:
    """A TCP server on 127.0.0.1 that is not Dask: on each connection it sends ``reply``
    (``None``: nothing, it waits) and keeps the connection open until the test ends."""

    def __init__(self, reply: bytes | None):
        import socket
        import threading

        self.reply, self.conns = reply, []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.reply is not None:
                conn.sendall(self.reply)

    def close(self):
        self.sock.close()
        for conn in self.conns:
            conn.close()


def squad_against(team, scheduler):
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", AS_OF, "--no-cache",
                                      "--scheduler", scheduler], catch_exceptions=False)
    return result, time.monotonic() - started


@pytest.mark.parametrize("reply, words", [
    (None, "no Dask greeting within 1 s"),
    (os.urandom(4096), "not as a Dask scheduler"),
    (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
     "answered as an HTTP server"),
    (b"hi\n", "no Dask greeting within 1 s"),
], ids=["silent", "random-bytes", "http-400", "short-then-silent"])
def test_a_peer_that_is_not_dask_is_one_line_exit_2_within_seconds(team, monkeypatch, reply,
                                                                   words):
    monkeypatch.setattr(cluster, "PROBE_TIMEOUT_S", 1.0)
    peer = Peer(reply)
    try:
        result, took = squad_against(team, peer.address)
    finally:
        peer.close()
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot reach the Dask scheduler '{peer.address}': ")
    assert words in lines[0]
    assert took < 15


def test_an_http_server_the_dashboard_mistake_is_one_line_exit_2(team, monkeypatch):
    import http.server
    import threading

    monkeypatch.setattr(cluster, "PROBE_TIMEOUT_S", 1.0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result, took = squad_against(team, f"tcp://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 2, result.output
    assert "8787" in result.stderr and "not a Dask scheduler" in result.stderr
    assert took < 15


def test_a_ws_address_probe_cannot_check_gets_the_probes_deadline(team, monkeypatch):
    # ws:// is Dask's to check: a silent peer behind it took Dask's 20 s before.
    monkeypatch.setattr(cluster, "PROBE_TIMEOUT_S", 2.0)
    peer = Peer(None)
    try:
        result, took = squad_against(team, peer.address.replace("tcp://", "ws://"))
    finally:
        peer.close()
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert took < 12


def test_a_refused_port_fails_at_once(team):
    import socket

    with socket.socket() as s:  # a port just freed: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result, took = squad_against(team, f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 2, result.output
    assert "cannot connect" in result.stderr and took < 10


def test_tls_without_settings_is_one_line_exit_2(team):
    peer = Peer(None)
    try:
        result, took = squad_against(team, peer.address.replace("tcp://", "tls://"))
    finally:
        peer.close()
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "tls:// needs Dask's TLS settings" in lines[0]
    assert took < 15
