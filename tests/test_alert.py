"""E-mail alerts against a real SMTP server on loopback: delivery, TLS, AUTH, never twice.

The hostile cases (dropped lines, tarpits, refusals, concurrent runs) are in tests/hostile/.
"""

import io
import os
import sqlite3
from datetime import date

import pytest
from click.testing import CliRunner

from loadwatch.alerts import compose, run, send
from loadwatch.alerts import settings as settings_mod
from loadwatch.alerts import state as state_mod
from loadwatch.cli import cli
from loadwatch.flags import Flag
from tests import story
from tests.smtp_server import PASSWORD, SmtpServer


def flag(code="long_run_spike", severity="high", day=date(2026, 11, 15), msg="Your 30.0 km run"):
    return Flag(code, "evidence", severity, day, day, 2.1, 2.0, "strong", "Frandsen 2025", msg)


def toml(server: SmtpServer, extra: str = "") -> str:
    lines = ["[athlete]", 'name = "Story"', 'timezone = "Europe/Oslo"', "[alert]",
             'to = ["runner@example.org"]', "[smtp]"]
    for key, value in server.settings().items():
        lines.append(f"{key} = {value!r}".replace("'", '"') if isinstance(value, str)
                     else f"{key} = {value}")
    return "\n".join(lines) + "\n" + extra


@pytest.fixture
def state(tmp_path):
    with state_mod.AlertState(tmp_path / "state") as s:
        yield s


def item(name="Ingrid", flags=None, to=("runner@example.org",), chart=None):
    return compose.AlertItem(name, f"/athletes/{name}", "high", flags or [flag()], list(to), chart)


def test_delivery_with_text_html_and_chart(tmp_path, state):
    with SmtpServer(tmp_path) as server:
        settings = settings_mod.SmtpSettings.from_mapping(server.settings())
        items = [item(flags=[flag(), flag("pain_red_flag", msg="Get it checked")],
                      chart=b"\x89PNG\r\n\x1a\nfake")]
        outcome = run.run_alerts(items, settings, state)
        assert outcome.sent == 1 and outcome.new_flags == 2
        (msg,) = server.messages
        assert msg["Subject"].startswith("loadwatch: Ingrid: HIGH load")
        text = msg.get_body(("plain",)).get_content()
        assert text.index("Get it checked") < text.index("Your 30.0 km run")  # red flags first
        assert "Your 30.0 km run" in msg.get_body(("html",)).get_content()
        (png,) = compose.charts(msg)
        assert f"cid:{png['Content-ID'][1:-1]}" in msg.get_body(("html",)).get_content()
        assert png.get_content_type() == "image/png"
        # The same flags are never sent twice.
        assert run.run_alerts(items, settings, state).sent == 0
        assert len(server.messages) == 1


def test_starttls_with_auth_and_the_password_from_the_environment(tmp_path, state, monkeypatch):
    monkeypatch.setenv(settings_mod.PASSWORD_ENV, PASSWORD)
    with SmtpServer(tmp_path, mode="starttls") as server:
        settings = settings_mod.SmtpSettings.from_mapping(server.settings())
        run.run_alerts([item("A", to=["x@example.org"])], settings, state)
        assert len(server.messages) == 1


def test_implicit_ssl_and_a_password_file(tmp_path, state, monkeypatch):
    monkeypatch.delenv(settings_mod.PASSWORD_ENV, raising=False)
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    with SmtpServer(tmp_path, mode="ssl") as server:
        table = dict(server.settings(), password_file=str(secret))
        settings = settings_mod.SmtpSettings.from_mapping(table)
        run.run_alerts([item("A", to=["x@example.org"])], settings, state)
        assert len(server.messages) == 1
    secret.chmod(0o644)
    with pytest.raises(settings_mod.AlertConfigError, match="chmod 600"):
        settings.password()


def test_refused_message_marks_nothing_and_is_sent_next_time(tmp_path, state):
    items = [item("A", to=["x@example.org"])]
    with SmtpServer(tmp_path, refuse=True) as server:
        settings = settings_mod.SmtpSettings.from_mapping(server.settings())
        outcome = run.run_alerts(items, settings, state)
        assert outcome.sent == 0 and "550" in outcome.problems[0]
    assert state.told("/athletes/A", "x@example.org") == set()
    with SmtpServer(tmp_path) as server:
        settings = settings_mod.SmtpSettings.from_mapping(server.settings())
        assert run.run_alerts(items, settings, state).sent == 1


def test_server_down_retries_with_backoff_then_fails(state):
    from tests.smtp_server import free_port

    settings = settings_mod.SmtpSettings.from_mapping({"host": "127.0.0.1", "port": free_port(),
                                                "timeout": 1})
    waits = []
    with pytest.raises(send.AlertSendError, match="tried 4 times"):
        send.deliver(compose.compose([item("A")], settings.sender, ["x@e.org"]), settings,
                     ["x@e.org"], retries=3, backoff=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0]


def test_min_level_and_dry_run(state):
    items = [compose.AlertItem("A", "/athletes/A", "raised",
                               [flag(severity="caution"), flag("pain_red_flag")], ["x@example.org"])]
    settings = settings_mod.SmtpSettings()
    out = io.StringIO()
    outcome = run.run_alerts(items, settings, state, min_level="high", dry_run=True, out=out)
    assert outcome.new_flags == 1 and outcome.sent == 0  # clinical news always counts
    assert "Subject: loadwatch: A" in out.getvalue()
    assert state.told("/athletes/A", "x@example.org") == set()


@pytest.mark.parametrize("table, needle", [
    ({"password": "x"}, "LOADWATCH_SMTP_PASSWORD"),
    ({"hots": "x"}, "smtp.hots"),
    ({"security": "tls"}, "smtp.security"),
    ({"port": "25"}, "smtp.port"),
])
def test_settings_errors_name_the_key(table, needle):
    with pytest.raises(settings_mod.AlertConfigError, match=needle):
        settings_mod.SmtpSettings.from_mapping(table, source="x.toml")


def test_cli_sends_once_and_never_prints_the_password(tmp_path, monkeypatch):
    monkeypatch.setenv(settings_mod.PASSWORD_ENV, PASSWORD)
    with SmtpServer(tmp_path, mode="starttls") as server:
        folder = story.write(tmp_path / "story", toml=toml(server))
        # As of Sun 15 Nov the 1.5x long run of Sun 8 Nov makes the load raised: news.
        args = ["alert", str(folder), "--as-of", "2026-11-15", "--cache-dir", str(tmp_path / "c")]
        dry = CliRunner().invoke(cli, [*args, "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "Subject: loadwatch: Story" in dry.stdout and not server.messages
        first = CliRunner().invoke(cli, args)
        assert first.exit_code == 0, first.output
        (msg,) = server.messages
        assert msg["To"] == "runner@example.org"
        body = msg.get_body(("plain",)).get_content()
        assert msg["Subject"].startswith("loadwatch: Story: RAISED load - a run 50% longer")
        assert "1.50x your longest run" in body and "Next week" in body
        assert "days in a row" not in body  # habits are not mailed without a weekly digest
        second = CliRunner().invoke(cli, args)
        assert second.exit_code == 0 and len(server.messages) == 1
        assert "0 new item" in second.stderr
    for result in (dry, first, second):
        assert PASSWORD not in result.output


def test_cli_with_the_server_down_exits_1_and_retries_next_run(tmp_path, monkeypatch):
    monkeypatch.setattr("loadwatch.alerts.send.time.sleep", lambda s: None)
    with SmtpServer(tmp_path) as server:
        folder = story.write(tmp_path / "story", toml=toml(server))
    args = ["alert", str(folder), "--as-of", "2026-11-15", "--cache-dir", str(tmp_path / "c")]
    down = CliRunner().invoke(cli, args)
    assert down.exit_code == 1 and "cannot reach the mail server" in down.stderr
    with SmtpServer(tmp_path) as again:
        (folder / "loadwatch.toml").write_text(toml(again))
        up = CliRunner().invoke(cli, args)
        assert up.exit_code == 0 and len(again.messages) == 1


def test_cli_coach_digest_for_a_squad(tmp_path):
    with SmtpServer(tmp_path) as server:
        team = tmp_path / "team"
        story.write(team / "a", toml='[athlete]\nname = "Ann"\n')
        story.write(team / "b", toml='[athlete]\nname = "Bo"\n')
        (team / "loadwatch.toml").write_text(toml(server).replace('name = "Story"\n', ""))
        result = CliRunner().invoke(cli, ["alert", str(team), "--as-of", "2026-11-15",
                                          "--to", "coach@example.org",
                                          "--cache-dir", str(tmp_path / "c")])
        assert result.exit_code == 0, result.output
        (msg,) = server.messages
        assert "2 athletes" in msg["Subject"] and msg["To"] == "coach@example.org"
        body = msg.get_body(("plain",)).get_content()
        assert "Ann" in body and "Bo" in body
    assert os.path.exists(tmp_path / "c" / "loadwatch.sqlite")


def test_an_upgrade_carries_the_old_sent_state_over_and_mails_nothing_again(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = story.write(tmp_path / "story", toml=toml(server))
        # loadwatch 0.1 kept what it sent in the cache, by display name, code and day: the
        # 1.5x long run of Sun 8 Nov, and the streak on the day it turned high.
        (tmp_path / "c").mkdir()
        old = sqlite3.connect(tmp_path / "c" / "loadwatch.sqlite")
        old.execute("CREATE TABLE alerts_sent (athlete TEXT, code TEXT, date TEXT, sent_at TEXT, "
                    "recipients TEXT, PRIMARY KEY (athlete, code, date))")
        old.executemany("INSERT INTO alerts_sent VALUES ('Story', ?, ?, '2026-11-15T06:00:00', "
                        "'runner@example.org, coach@example.org')",
                        [("long_run_spike", "2026-11-08"), ("run_streak", "2026-11-14")])
        old.commit()
        old.close()
        args = ["alert", str(folder), "--as-of", "2026-11-15", "--cache-dir", str(tmp_path / "c")]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "carried" in result.stderr and "upgraded the alert state" in result.stderr
        assert "0 new item" in result.stderr
        assert not server.messages
        # What changes after the upgrade is news again: a week later the level has moved on,
        # and a new 2.0x run would be mailed; here the next Sunday's repeat is not news.
        later = CliRunner().invoke(cli, [*args[:-4], "--as-of", "2026-11-16", *args[-2:]])
        assert later.exit_code == 0 and not server.messages


def test_the_chart_is_drawn_only_when_something_is_new(tmp_path, monkeypatch):
    from loadwatch.report import charts

    drawn = []
    real = charts.render_png
    monkeypatch.setattr(charts, "render_png", lambda report: drawn.append(1) or real(report))
    with SmtpServer(tmp_path) as server:
        folder = story.write(tmp_path / "story", toml=toml(server))
        args = ["alert", str(folder), "--as-of", "2026-11-15", "--cache-dir", str(tmp_path / "c")]
        first = CliRunner().invoke(cli, args)
        assert first.exit_code == 0 and len(drawn) == 1
        assert compose.charts(server.messages[0])  # the chart is attached
        # The same news again: nothing to send, so nothing to draw (seconds on a cron job).
        second = CliRunner().invoke(cli, args)
        assert second.exit_code == 0 and "0 new item" in second.stderr
        assert len(drawn) == 1 and len(server.messages) == 1
