"""Issue 11, item 17: user mistakes are usage errors (exit 2, one line), never "unexpected ...
exit 3"; an error never echoes any character of a password."""

from __future__ import annotations

import os

import pytest

from tests import story
from tests.hostile.helpers import gpx, run_cli
from tests.smtp_server import SmtpServer


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("usage") / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx())
    return folder


def _one_usage_line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = [ln for ln in proc.stderr.decode().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error"), lines
    assert "unexpected" not in lines[0]
    return lines[0]


@pytest.mark.parametrize("zone", ["Europe", "America", "Europe/", "../../etc/passwd", "/etc",
                                  "Nowhere/Land"])
@pytest.mark.parametrize("command", ["report", "timeline"])
def test_bad_zone(runs, zone, command):
    line = _one_usage_line(run_cli(command, runs, "--no-cache", "--tz", zone))
    assert "time zone" in line


@pytest.mark.parametrize("day", ["9999-01-01", "0001-01-01", "2262-04-12", "1677-09-20"])
def test_dates_beyond_the_calendar(runs, day):
    line = _one_usage_line(run_cli("report", runs, "--no-cache", "--as-of", day))
    assert "--as-of" in line


def test_the_last_accepted_date_works(runs):
    proc = run_cli("report", runs, "--no-cache", "--as-of", "2200-12-31")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("address", ["a@b.c\nBcc: x@y.z", "a@b.c\r\nX: y", "two@a.b three@c.d",
                                     "no-at-sign", "a@b@c"])
def test_bad_recipient(runs, address):
    line = _one_usage_line(run_cli("alert", runs, "--dry-run", "--as-of", "2026-11-12",
                                   "--to", address))
    assert "--to" in line and "\n" not in line


def test_bad_recipient_in_the_config(tmp_path):
    folder = story.write(tmp_path / "a", toml='[alert]\nto = ["a@b.c\\nBcc: x@y.z"]\n')
    line = _one_usage_line(run_cli("alert", folder, "--dry-run", "--as-of", "2026-11-22"))
    assert "alert.to" in line


PASSWORD = "pässwörd-ÆØÅ-secret"


def _never_echoes(proc) -> None:
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    for ch in set(PASSWORD) - set("-"):
        if not ch.isascii():
            assert ch not in out
            assert f"\\x{ord(ch):02x}" not in out and f"\\u{ord(ch):04x}" not in out
    assert PASSWORD not in out and "secret" not in out


def test_a_non_ascii_password_is_a_usage_error(tmp_path):
    from tests.test_alert import toml

    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = story.write(tmp_path / "a", toml=toml(server))
        env = {**os.environ, "LOADWATCH_SMTP_PASSWORD": PASSWORD}
        proc = run_cli("alert", folder, "--as-of", "2026-11-22", "--cache-dir", tmp_path / "c",
                       env=env)
        line = _one_usage_line(proc)
        assert "ASCII" in line
        _never_echoes(proc)
        assert not server.messages


def test_a_password_file_that_is_not_utf8_is_a_usage_error(tmp_path):
    from tests.test_alert import toml

    secret = tmp_path / "pw"
    secret.write_bytes(PASSWORD.encode("latin-1", "replace"))
    secret.chmod(0o600)
    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = story.write(tmp_path / "a", toml=toml(server))
        text = (folder / "loadwatch.toml").read_text().replace(
            "[smtp]\n", f'[smtp]\npassword_file = "{secret}"\n')
        (folder / "loadwatch.toml").write_text(text)
        env = {k: v for k, v in os.environ.items() if k != "LOADWATCH_SMTP_PASSWORD"}
        proc = run_cli("alert", folder, "--as-of", "2026-11-22", "--cache-dir", tmp_path / "c",
                       env=env)
        line = _one_usage_line(proc)
        assert "not UTF-8" in line
        _never_echoes(proc)
