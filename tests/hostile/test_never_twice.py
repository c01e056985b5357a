"""Issue 11, item 3: never twice.

Concurrent runs, a line dropped after the final ".", a slow reply, an odd answer
to QUIT, a refused recipient and a kill -9 right after the server took the message:
each new flag reaches each recipient once.
"""

from __future__ import annotations

import os
import signal

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.hostile.mailrun import alert_args, run_cli, runner, smtp_toml, start_cli
from tests.smtp_server import SmtpServer


def invoke(args):
    return CliRunner().invoke(cli, args)


def test_concurrent_runs_send_each_new_item_once_in_total(tmp_path):
    # The server thinks for a second over each message, so the runs overlap.
    with SmtpServer(tmp_path, data_delay=1.0) as server:
        folder = runner(tmp_path / "story", server)
        procs = [start_cli(alert_args(folder, tmp_path / "cache")) for _ in range(3)]
        results = [(p.wait(timeout=180), p.stderr.read()) for p in procs]
        assert [code for code, _ in results] == [0, 0, 0], results
        assert len(server.messages) == 1
        assert sum("sent 1 e-mail" in err for _, err in results) == 1


def test_a_line_dropped_after_the_final_dot_counts_as_sent(tmp_path):
    with SmtpServer(tmp_path, after_data="drop") as server:
        folder = runner(tmp_path / "story", server)
        first = invoke(alert_args(folder, tmp_path / "cache"))
        assert len(server.messages) == 1, "the message was sent again after the line dropped"
        assert "cannot reach" not in first.stderr
        assert "sent in full" in first.stderr and "connection dropped" in first.stderr
        again = invoke(alert_args(folder, tmp_path / "cache"))
        assert again.exit_code == 0 and "0 new item" in again.stderr
        assert len(server.messages) == 1


def test_a_slow_reply_after_the_final_dot_is_not_retried(tmp_path):
    with SmtpServer(tmp_path, after_data="stall", stall=20) as server:
        folder = runner(tmp_path / "story", server, smtp_extra="")
        toml = (folder / "loadwatch.toml").read_text().replace("timeout = 5", "timeout = 1.5")
        (folder / "loadwatch.toml").write_text(toml)
        first = invoke(alert_args(folder, tmp_path / "cache"))
        assert len(server.messages) == 1
        assert "no answer within the timeout of 1.5 s" in first.stderr
        invoke(alert_args(folder, tmp_path / "cache"))
        assert len(server.messages) == 1


def test_an_odd_answer_to_quit_after_acceptance_is_not_a_failure(tmp_path):
    with SmtpServer(tmp_path, quit_reply="500 5.5.1 what?") as server:
        folder = runner(tmp_path / "story", server)
        first = invoke(alert_args(folder, tmp_path / "cache"))
        assert first.exit_code == 0, first.output
        assert "answered QUIT with 500" in first.stderr
        again = invoke(alert_args(folder, tmp_path / "cache"))
        assert again.exit_code == 0 and len(server.messages) == 1


def test_one_refused_recipient_does_not_make_the_others_get_it_again(tmp_path):
    to = ["runner@example.org", "bounce@example.org"]
    with SmtpServer(tmp_path, refuse_rcpt={"bounce@example.org"}) as server:
        folder = runner(tmp_path / "story", server, to=to)
        for _ in range(2):
            result = invoke(alert_args(folder, tmp_path / "cache"))
            assert result.exit_code == 1
            assert "bounce@example.org" in result.stderr and "550" in result.stderr
        assert server.envelopes == [("loadwatch@example.org", ["runner@example.org"])]
    with SmtpServer(tmp_path) as fixed:
        (folder / "loadwatch.toml").write_text(smtp_toml(fixed, to=to))
        result = invoke(alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 0, result.output
        assert fixed.envelopes == [("loadwatch@example.org", ["bounce@example.org"])]


def test_kill_9_right_after_the_server_took_the_message_costs_no_second_copy(tmp_path):
    victim = {}

    def kill_client(message):
        if "pid" in victim:  # the first run only
            os.kill(victim.pop("pid"), signal.SIGKILL)

    with SmtpServer(tmp_path, on_data=kill_client) as server:
        folder = runner(tmp_path / "story", server)
        proc = start_cli(alert_args(folder, tmp_path / "cache"))
        victim["pid"] = proc.pid
        assert proc.wait(timeout=120) == -signal.SIGKILL
        assert len(server.messages) == 1
        again = run_cli(alert_args(folder, tmp_path / "cache"))
        assert again.returncode == 0, again.stderr
        assert "0 new item" in again.stderr
        assert len(server.messages) == 1
