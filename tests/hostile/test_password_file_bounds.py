"""Issue 17: the SMTP password file is read in a bounded prefix, never blocking (exit 2 when bad)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loadwatch.alerts.settings import PASSWORD_ENV, AlertConfigError, SmtpSettings
from tests.hostile.helpers import deadline, run_cli
from tests.hostile.mailrun import alert_args, runner
from tests.smtp_server import PASSWORD, SmtpServer


def test_a_huge_password_file_is_bad_settings_exit_2(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    secret = tmp_path / "pw"
    with open(secret, "wb") as fh:
        fh.write(PASSWORD.encode() + b"\n")
        fh.truncate(2 << 30)  # sparse: 2 GB of size, no disk
    secret.chmod(0o600)
    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = runner(tmp_path / "story", server, smtp_extra=f'password_file = "{secret}"\n')
        env = dict(os.environ, LOADWATCH_USER_CONFIG="")
        env.pop(PASSWORD_ENV, None)
        done = run_cli(*alert_args(folder, tmp_path / "cache"), timeout=120, memory=1 << 30,
                       env=env)
        assert done.returncode == 2, done.stderr
        errors = [ln for ln in done.stderr.decode().splitlines() if ln.startswith("Error")]
        assert len(errors) == 1 and str(secret) in errors[0]
        assert "larger than a password file can be" in errors[0]
        assert PASSWORD not in done.stderr.decode() + done.stdout.decode()
        assert not server.messages


def test_a_fifo_swapped_in_after_a_check_never_blocks(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    fifo = tmp_path / "pw"
    os.mkfifo(fifo, 0o600)
    regular = tmp_path / "was-here"
    regular.write_text(PASSWORD)
    regular.chmod(0o600)
    # A check by path sees the regular file that was there a moment before the swap.
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat(regular))
    settings = SmtpSettings.from_mapping({"password_file": str(fifo)})
    with deadline(10), pytest.raises(AlertConfigError, match="not a regular file"):
        settings.password()
