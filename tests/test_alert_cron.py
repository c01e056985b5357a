"""A daily cron over eight weeks against a loopback SMTP server: each mail carries something new.

Two runners, each with ten steady weeks before the eight simulated ones (BASE: 6, 6 and a
12 km Sunday long run). The steady one keeps going: no mail in eight weeks. The other:

- week 3, Sunday: a 20 km long run, 1.67x her longest of the month, in a week 33% up
  (a spike in a > 30% week: high);
- weeks 5-6: knee pain 3-4/10 on three days of a week (persistent: get it assessed soon);
- week 7, Wednesday: a pop and giving way (a red flag: check now);
- week 8, Monday: "assessed" recorded; the status clears (no mail for that).

Three mails in all, each about something the ones before did not say.

The chart is a 1x1 PNG stand-in here (``chart_stand_in``, tests/conftest.py): an alert run
draws the real chart whenever it has items (2-3 s of matplotlib each, 112 runs), and what this
test is about is which mail goes out.
"""

from datetime import timedelta

from click.testing import CliRunner

from loadwatch.alerts import compose
from loadwatch.cli import cli
from tests.smtp_server import SmtpServer
from tests.verdict import patterns

START = patterns.AS_OF + timedelta(days=1)  # Mon 23 Nov 2026: the cron's first day
DAYS = 56


def _toml(server, name: str) -> str:
    settings = server.settings()
    smtp = "\n".join(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}"
                     for k, v in settings.items())
    return (f'[athlete]\nname = "{name}"\ntimezone = "UTC"\n[alert]\nto = ["{name}@example.org"]\n'
            f"[smtp]\n{smtp}\n")


def _runners(root, server):
    steady = patterns.steady("steady", patterns.BASE, last=START + timedelta(days=DAYS))
    eve = patterns.steady("eve", patterns.BASE, last=START + timedelta(days=DAYS))
    long_day = START + timedelta(days=20)  # week 3, Sunday
    eve.rows = [r for r in eve.rows if r[0] != long_day]
    eve.run(long_day, 20.0)
    week5 = START + timedelta(days=28)
    eve.pain = [f"{week5 + timedelta(days=k)},{s},inner knee,left,gradual,tightness,"
                for k, s in ((1, 2), (8, 3), (10, 4), (12, 3))]
    eve.pain.append(f"{START + timedelta(days=44)},6,inner knee,left,sudden,pop;giving_way,")
    eve.pain.append(f"{START + timedelta(days=49)},2,inner knee,left,,assessed,seen by the physio")
    folders = {}
    for story in (steady, eve):
        folder = story.write(root / story.name)
        (folder / "loadwatch.toml").write_text(_toml(server, story.name))
        folders[story.name] = folder
    return folders


def test_eight_weeks_of_daily_runs_send_only_what_is_new(tmp_path, chart_stand_in):
    with SmtpServer(tmp_path) as server:
        folders = _runners(tmp_path, server)
        for k in range(DAYS):
            day = (START + timedelta(days=k)).isoformat()
            for name, folder in folders.items():
                result = CliRunner().invoke(cli, ["alert", str(folder), "--as-of", day,
                                                  "--cache-dir", str(tmp_path / "cache")])
                assert result.exit_code == 0, (name, day, result.output)
        mails = server.messages
    assert all(m["To"] == "eve@example.org" for m in mails)  # the steady runner: nothing
    subjects = [" ".join(str(m["Subject"]).split()) for m in mails]
    assert len(mails) == 3, subjects
    assert subjects[0].startswith("loadwatch: eve: HIGH load - a run 67% longer")
    assert "get it assessed soon" in subjects[1]
    assert subjects[2].startswith("loadwatch: eve: CHECK NOW")
    bodies = [m.get_body(("plain",)).get_content() for m in mails]
    news = [b.split("What is new", 1)[1].split("Next week", 1)[0] for b in bodies]
    # Each mail's news is its own: the spike is told once, then the pain, then the red flag.
    assert "1.67x your longest run" in news[0] and "33% more than the week before" in news[0]
    assert "1.67x" not in news[1] and "pain of 3/10 or more on 3 of the last 7 days" in news[1]
    assert "1.67x" not in news[2] and "3 of the last 7 days" not in news[2]
    assert "a pop, giving way and sudden onset" in news[2] and "before running on it" in news[2]
    # Every mail says what to do next week and carries the chart.
    for m, body in zip(mails, bodies, strict=True):
        assert "Next week" in body and "does not diagnose" in body
        assert [a.get_content_type() for a in compose.charts(m)] == ["image/png"]
        assert [a.get_content() for a in compose.charts(m)] == chart_stand_in[:1]
