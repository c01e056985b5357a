"""Push notifications through apprise URLs, against a loopback HTTP server the test starts.

apprise's ``json://`` and ``ntfy://`` post to 127.0.0.1; the server keeps what arrived.
"""

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from loadwatch.alerts import push
from loadwatch.cli import cli
from tests import story
from tests.push_server import PushServer
from tests.smtp_server import SmtpServer

SECRET = "S3cretPushPw"


def athlete_toml(urls: list[str], extra: str = "") -> str:
    listed = ", ".join(f'"{u}"' for u in urls)
    return (f'[athlete]\nname = "Story"\ntimezone = "Europe/Oslo"\n[alert]\nnotify = [{listed}]\n'
            + extra)


def alert(folder, tmp_path, *extra):
    # As of Sun 15 Nov the 1.5x long run of Sun 8 Nov makes the load raised: news.
    return CliRunner().invoke(cli, ["alert", str(folder), "--as-of", "2026-11-15",
                                    "--cache-dir", str(tmp_path / "c"),
                                    "--state-dir", str(tmp_path / "state"), *extra])


def test_json_and_ntfy_get_one_short_notification_each_and_never_twice(tmp_path):
    with PushServer() as server:
        urls = [f"json://127.0.0.1:{server.port}/hook",
                f"ntfy://runner:{SECRET}@127.0.0.1:{server.port}/knee"]
        folder = story.write(tmp_path / "story", toml=athlete_toml(urls))
        first = alert(folder, tmp_path)
        assert first.exit_code == 0, first.output
        assert "sent 0 e-mail(s) and 2 push notification(s)" in first.stderr
        (hook,) = [r for r in server.requests if r[1] == "/hook"]
        (ntfy,) = [r for r in server.requests if r[1] != "/hook"]
        title, message = hook[3]["title"], hook[3]["message"]
        assert title == "loadwatch: Story: RAISED load"
        assert message.startswith("New (3 new items): a run 50% longer")
        assert "Next week: weekly distance up to 82.5 km, longest run up to 33.0 km" in message
        assert len(title) + len(message) <= push.MAX_CHARS
        assert ntfy[3]["topic"] == "knee" and ntfy[3]["message"] == message
        assert ntfy[2]["Authorization"].startswith("Basic ")  # the login reached the server
        second = alert(folder, tmp_path)
        assert second.exit_code == 0 and "0 new item" in second.stderr
        assert len(server.requests) == 2
    # The state keys a URL by a digest: its secret is nowhere in the file.
    assert SECRET.encode() not in (tmp_path / "state" / "alerts.sqlite").read_bytes()
    for result in (first, second):
        assert SECRET not in result.output


def test_the_push_numbers_are_the_mail_and_the_reports(tmp_path):
    with SmtpServer(tmp_path) as smtp, PushServer() as server:
        settings = "".join(f"{k} = {json.dumps(v)}\n" for k, v in smtp.settings().items())
        toml = athlete_toml([f"json://127.0.0.1:{server.port}/"],
                            f'to = ["runner@example.org"]\n[smtp]\n{settings}')
        folder = story.write(tmp_path / "story", toml=toml)
        result = alert(folder, tmp_path)
        assert result.exit_code == 0, result.output
        (mail,) = smtp.messages
        (note,) = server.requests
    text = mail.get_body(("plain",)).get_content()
    message = note[3]["message"]
    report = json.loads(CliRunner().invoke(cli, ["report", str(folder), "--as-of", "2026-11-15",
                                                 "--no-cache", "--format", "json"]).stdout)
    plan = report["next_week"]
    weekly, longest = (float(x) for x in re.findall(r"up to (\d+\.\d) km", message)[:2])
    assert (weekly, longest) == (plan["weekly_distance_max"], plan["longest_run"])
    assert f"Weekly distance: up to {weekly:.1f} km" in text
    assert f"Longest run: up to {longest:.1f} km" in text
    assert note[3]["title"].split(": ")[-1] in mail["Subject"]  # the same status: RAISED load


def test_a_failing_server_exits_1_names_the_masked_url_and_is_retried(tmp_path):
    with PushServer(status=500) as server:
        url = f"json://coach:{SECRET}@127.0.0.1:{server.port}/hook"
        folder = story.write(tmp_path / "story", toml=athlete_toml([url]))
        down = alert(folder, tmp_path)
        assert down.exit_code == 1, down.output
        (line,) = [x for x in down.stderr.splitlines() if x.startswith("Error:")]
        assert line == (f"Error: push to json://coach:****@127.0.0.1:{server.port}/hook failed "
                        "(the server answered HTTP 500); it is tried again next run")
        assert SECRET not in down.output and len(server.requests) == 1
        server.status = 200
        up = alert(folder, tmp_path)
        assert up.exit_code == 0, up.output
        assert "3 new item(s); sent 0 e-mail(s) and 1 push notification(s)" in up.stderr
        assert len(server.requests) == 2
        again = alert(folder, tmp_path)
        assert again.exit_code == 0 and len(server.requests) == 2


def test_no_server_at_all_is_one_line_and_exit_1(tmp_path):
    with PushServer() as server:
        port = server.port
    folder = story.write(tmp_path / "story", toml=athlete_toml([f"ntfy://127.0.0.1:{port}/t"]))
    result = alert(folder, tmp_path)
    assert result.exit_code == 1
    assert (f"Error: push to ntfy://127.0.0.1:{port}/t failed (no connection, or no answer in "
            "time); it is tried again next run") in result.stderr


def test_a_server_that_stalls_is_given_up_on_in_bounded_time(tmp_path):
    import time

    with PushServer(delay=5) as server:
        # apprise's read timeout (rto), shortened from its 4 s for the test.
        url = f"json://127.0.0.1:{server.port}/slow?rto=0.5"
        start = time.monotonic()
        with pytest.raises(push.PushError, match="no answer in time"):
            push.send(url, "title", "body")
        assert time.monotonic() - start < 3  # the 5 s stall was not waited out
        folder = story.write(tmp_path / "story", toml=athlete_toml([url]))
        result = alert(folder, tmp_path)
    assert result.exit_code == 1 and "no answer in time" in result.stderr


@pytest.mark.parametrize("url", [f"bogus://{SECRET}@example.org/x", f"{SECRET}",
                                 f"tgram://{SECRET}"])
def test_a_url_apprise_cannot_send_to_is_one_line_naming_the_file_exit_2(tmp_path, url):
    folder = story.write(tmp_path / "story", toml=athlete_toml(["ntfys://ntfy.sh/ok", url]))
    result = alert(folder, tmp_path)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {folder / 'loadwatch.toml'}: alert.notify URL 2 (")
    assert SECRET not in result.output


def test_notify_must_be_urls(tmp_path):
    folder = story.write(tmp_path / "story", toml=athlete_toml([]).replace("notify = []",
                                                                          "notify = [1, 2]"))
    result = alert(folder, tmp_path)
    assert result.exit_code == 2 and "alert.notify must be a notification URL" in result.stderr


def test_dry_run_shows_the_masked_url_and_sends_nothing(tmp_path):
    with PushServer() as server:
        url = f"ntfys://me:{SECRET}@127.0.0.1:{server.port}/knee?priority=high"
        folder = story.write(tmp_path / "story", toml=athlete_toml([url]))
        result = alert(folder, tmp_path, "--dry-run")
        assert result.exit_code == 0, result.output
        assert f"Push: ntfys://me:****@127.0.0.1:{server.port}/knee\n" in result.stdout
        assert "Title: loadwatch: Story: RAISED load" in result.stdout
        assert SECRET not in result.output and not server.requests
    assert not (tmp_path / "state" / "alerts.sqlite").exists() or not sqlite3.connect(
        tmp_path / "state" / "alerts.sqlite").execute("SELECT * FROM told").fetchall()


def test_a_coach_gets_one_digest_about_the_squad(tmp_path):
    with PushServer() as server:
        team = tmp_path / "team"
        story.write(team / "a", toml='[athlete]\nname = "Ann"\n')
        story.write(team / "b", toml='[athlete]\nname = "Bo"\n')
        (team / "loadwatch.toml").write_text(
            f'[alert]\nnotify = ["json://127.0.0.1:{server.port}/coach"]\n')
        result = alert(team, tmp_path)
        assert result.exit_code == 0, result.output
        (note,) = server.requests
    title, message = note[3]["title"], note[3]["message"]
    assert "2 athletes with news" in title and len(title) + len(message) <= push.MAX_CHARS
    assert message.splitlines()[0].startswith(("Ann: RAISED load; next week: weekly distance",
                                               "Bo: RAISED load; next week: weekly distance"))


def test_short_text_stays_short_with_long_names_and_news():
    from datetime import date

    from loadwatch.alerts.compose import AlertItem, News

    plan = {"status": "hold", "weekly_distance_max": 90.0, "longest_run": 33.0,
            "rest_days_min": 1, "this_week": {"left": 54.0}, "lines": [], "notes": []}
    news = [News(f"n{i}", "evidence", "high", date(2026, 11, 8), "x" * 400) for i in range(5)]
    one = AlertItem("N" * 200, "a", "high", news, plan=plan)
    title, body = push.short_text([one])
    assert len(title) + len(body) + 1 <= push.MAX_CHARS
    assert "This week:" in body and "54.0 km left" in body  # during the week: what is left
    many = [AlertItem(f"Athlete {i} " + "y" * 40, str(i), "raised", news[:1], plan=plan)
            for i in range(12)]
    title, body = push.short_text(many)
    assert len(title) + len(body) + 1 <= push.MAX_CHARS and "more" in body


def test_config_show_masks_the_urls(tmp_path):
    folder = story.write(tmp_path / "story",
                         toml=athlete_toml([f"tgram://123456789:{SECRET}/987654"]))
    result = CliRunner().invoke(cli, ["config", "show", str(folder)])
    assert result.exit_code == 0, result.output
    assert 'notify = ["tgram://1...w/987654/"]' in result.stdout and SECRET not in result.output


def test_a_token_in_the_path_or_as_the_user_is_in_no_message(tmp_path):
    token = "3f9a1c0d7e2b4a68"
    with PushServer(status=500) as server:
        urls = [f"json://127.0.0.1:{server.port}/hooks/{token}",
                f"ntfy://tk_{token}@127.0.0.1:{server.port}/knee"]
        folder = story.write(tmp_path / "story", toml=athlete_toml(urls))
        down = alert(folder, tmp_path)
        dry = alert(folder, tmp_path, "--dry-run")
        shown = CliRunner().invoke(cli, ["config", "show", str(folder)])
    assert down.exit_code == 1 and dry.exit_code == 0 and shown.exit_code == 0
    assert f"Error: push to json://127.0.0.1:{server.port}/hooks/3...8 failed" in down.stderr
    assert f"Push: ntfy://t...8@127.0.0.1:{server.port}/knee" in dry.stdout
    for result in (down, dry, shown):
        assert token not in result.output
