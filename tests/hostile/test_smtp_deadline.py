"""Issue 11, item 9: ``timeout`` bounds the whole SMTP exchange, not each read.

A tarpit answers one byte every half second: every read succeeds well within a
per-read timeout, so only a deadline over the whole exchange stops it.
"""

from __future__ import annotations

import time

from tests.hostile.mailrun import alert_args, run_cli, runner
from tests.smtp_server import SmtpServer, Tarpit


def test_a_tarpit_cannot_keep_alert_running(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
    with Tarpit(interval=0.5) as tarpit:
        toml = (folder / "loadwatch.toml").read_text()
        toml = toml.replace(f"port = {server.port}", f"port = {tarpit.port}")
        (folder / "loadwatch.toml").write_text(toml.replace("timeout = 5", "timeout = 2"))
        start = time.monotonic()
        result = run_cli(alert_args(folder, tmp_path / "cache"), timeout=60)
        took = time.monotonic() - start
    assert result.returncode == 1, result.stderr
    assert "did not finish within the 2 s timeout" in result.stderr
    assert "nothing was sent" in result.stderr
    # Reading the story and drawing its chart take a few seconds; the tarpit adds 2.
    assert took < 30

