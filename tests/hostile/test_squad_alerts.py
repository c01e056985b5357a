"""Issue 11, item 5: one athlete's broken diary, config or name never stops a squad's alerts."""

from __future__ import annotations

import os

from click.testing import CliRunner

from loadwatch.cli import cli
from tests import story
from tests.hostile.mailrun import AS_OF, smtp_toml
from tests.smtp_server import SmtpServer


def squad_toml(server, to=("coach@example.org",)) -> str:
    return smtp_toml(server, name=None, to=list(to))


def test_broken_athletes_are_reported_and_the_others_alerts_go_out(tmp_path):
    team = tmp_path / "team"
    story.write(team / "ann", toml='[athlete]\nname = "Ann"\n')
    story.write(team / "bo", toml='[athlete]\nname = "Bo\\nBcc: evil@example.org"\n')
    broken_diary = story.write(team / "cy", toml='[athlete]\nname = "Cy"\n')
    (broken_diary / "pain.csv").write_text("when,how bad\n2026-11-20,5\n")
    broken_config = story.write(team / "di", toml='[athlete]\nname = "Di"\n')
    (broken_config / "loadwatch.toml").write_text("[athlete\nname = ")
    odd = os.fsdecode(os.fsencode(str(team)) + b"/\xffodd-\x1b[31m")
    story.write(team / odd, toml=None)
    with SmtpServer(tmp_path) as server:
        (team / "loadwatch.toml").write_text(squad_toml(server))
        result = CliRunner().invoke(cli, ["alert", str(team), "--as-of", AS_OF,
                                          "--cache-dir", str(tmp_path / "c")])
        assert result.exit_code == 1, result.output
        assert "pain.csv" in result.stderr and "cy" in result.stderr
        assert "loadwatch.toml" in result.stderr and "di" in result.stderr
        assert "\x1b" not in result.stderr
        (msg,) = server.messages
        body = msg.get_body(("plain",)).get_content()
        assert "Ann\n  Load risk" in body.replace("\r\n", "\n")
        assert "Bo Bcc: evil@example.org\n  Load risk" in body.replace("\r\n", "\n")
        assert msg["Bcc"] is None
        assert server.envelopes == [("loadwatch@example.org", ["coach@example.org"])]


def test_an_athlete_without_a_recipient_does_not_stop_the_others(tmp_path):
    team = tmp_path / "team"
    story.write(team / "ann", toml='[athlete]\nname = "Ann"\n[alert]\nto = "ann@example.org"\n')
    story.write(team / "bo", toml='[athlete]\nname = "Bo"\n')
    with SmtpServer(tmp_path) as server:
        (team / "loadwatch.toml").write_text(squad_toml(server, to=[]))
        result = CliRunner().invoke(cli, ["alert", str(team), "--as-of", AS_OF,
                                          "--cache-dir", str(tmp_path / "c")])
        assert result.exit_code == 1, result.output
        assert "no recipient for Bo" in result.stderr
        assert server.envelopes == [("loadwatch@example.org", ["ann@example.org"])]
