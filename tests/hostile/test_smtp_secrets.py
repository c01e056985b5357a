"""Issue 11, items 18 and 19: a password never travels in clear; a loose password file is exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from loadwatch.alerts.settings import PASSWORD_ENV, AlertConfigError, SmtpSettings
from loadwatch.cli import cli
from tests.hostile.mailrun import alert_args, runner
from tests.smtp_server import PASSWORD, USER, SmtpServer


def test_a_login_without_encryption_is_refused_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server, smtp_extra=f'user = "{USER}"\n')
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 2, result.output
        assert "in clear" in result.stderr and "allow_plaintext_auth" in result.stderr
        assert not server.messages
        assert PASSWORD not in result.output
    allowed = SmtpSettings.from_mapping({"security": "none", "user": USER,
                                         "allow_plaintext_auth": True})
    assert allowed.user == USER and allowed.security == "none"
    with pytest.raises(AlertConfigError, match="allow_plaintext_auth"):
        SmtpSettings.from_mapping({"security": "none", "user": USER,
                                   "allow_plaintext_auth": "yes"})


def test_the_default_is_starttls_on_587_and_never_falls_back_to_clear(tmp_path, monkeypatch):
    defaults = SmtpSettings.from_mapping({})
    assert (defaults.security, defaults.port) == ("starttls", 587)
    assert (SmtpSettings().security, SmtpSettings().port) == ("starttls", 587)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    # A server that offers no STARTTLS: with the default security nothing is sent.
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        toml = (folder / "loadwatch.toml").read_text().replace('security = "none"\n', "")
        (folder / "loadwatch.toml").write_text(toml + f'user = "{USER}"\n')
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 1, result.output
        assert "does not offer STARTTLS" in result.stderr
        assert not server.messages


def test_a_password_file_others_can_read_exits_2(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o644)
    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = runner(tmp_path / "story", server,
                        smtp_extra=f'password_file = "{secret}"\n')
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 2, result.output
        assert "chmod 600" in result.stderr
        assert PASSWORD not in result.output and not server.messages
        secret.chmod(0o600)
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
        assert result.exit_code == 0, result.output
        assert len(server.messages) == 1


def test_a_password_that_smtp_cannot_carry_is_exit_2_without_echoing_it(tmp_path, monkeypatch):
    secret = "pässwörd-ß"
    monkeypatch.setenv(PASSWORD_ENV, secret)
    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = runner(tmp_path / "story", server)
        result = CliRunner().invoke(cli, alert_args(folder, tmp_path / "cache"))
    assert result.exit_code == 2, result.output
    assert "printable ASCII" in result.stderr
    assert all(ch not in result.output for ch in "äöß")
