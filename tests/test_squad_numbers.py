"""One set of numbers: the squad's reasons, the coach's digest and each athlete's report quote
the same current values, and the coach reads the most urgent athlete first.

Six athletes on the same base (Mon-Sat 4 km, a Sunday 10 km: 34 km a week) for 15
weeks; their last week (Mon 16 - Sun 22 Nov) is what differs:

=====  =========================================================================
Ann    the same week again: usual
Bea    10 km Mon-Thu, 5 km on Sunday: 45 km, +32% on the complete week (Nielsen's
       > 30%, moderate evidence), though +150% on Thursday (40 km against 16)
Cid    the base week with a 19 km Sunday run: 1.90x the longest of the month
       before (Frandsen, strong evidence), +26% on the week
Dev    the base week, and a pop with giving way in the diary on Thu 19 Nov
Eve    the base week with a 20 km Sunday run: 2.00x (strong), +29%
Fay    10, 10, 10, 4.7 km Mon-Thu, then nothing: +117% on Thursday, +45% on
       Saturday (34.7 km against 24 km), but the complete week ended 2% up
=====  =========================================================================
"""

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from tests.smtp_server import SmtpServer
from tests.test_alert import toml
from tests.verdict.patterns import AS_OF, FIRST, Story, days

BASE = {0: 4.0, 1: 4.0, 2: 4.0, 3: 4.0, 4: 4.0, 5: 4.0, 6: 10.0}
MONDAY = AS_OF - timedelta(days=6)
RED_FLAG = "2026-11-19,7,inner knee,right,sudden,pop;giving_way,twisted on a root"


def athlete(name: str, last_week: dict[int, float], pain=()) -> Story:
    s = Story(name, pain=list(pain))
    for d in days(FIRST, MONDAY - timedelta(days=1)):
        s.run(d, BASE[d.weekday()])
    for weekday, km in last_week.items():
        s.run(MONDAY + timedelta(days=weekday), km)
    return s


def write_squad(root):
    athlete("Ann", BASE).write(root / "ann")
    athlete("Bea", {0: 10.0, 1: 10.0, 2: 10.0, 3: 10.0, 6: 5.0}).write(root / "bea")
    athlete("Cid", {**BASE, 6: 19.0}).write(root / "cid")
    athlete("Dev", BASE, pain=[RED_FLAG]).write(root / "dev")
    athlete("Eve", {**BASE, 6: 20.0}).write(root / "eve")
    athlete("Fay", {0: 10.0, 1: 10.0, 2: 10.0, 3: 4.7}).write(root / "fay")
    return root


@pytest.fixture(scope="module")
def squad_dir(tmp_path_factory):
    return write_squad(tmp_path_factory.mktemp("numbers"))


@pytest.fixture(scope="module")
def squad_doc(squad_dir, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
        result = CliRunner().invoke(cli, ["squad", str(squad_dir), "--as-of", AS_OF.isoformat(),
                                          "--no-cache", "--workers", "2", "--format", "json"],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def report_json(folder) -> dict:
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF.isoformat(),
                                      "--no-cache", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_squad_quotes_the_complete_week_not_an_in_week_peak(squad_doc, squad_dir):
    rows = {a["athlete"]: a for a in squad_doc["athletes"]}
    bea = rows["Bea"]
    assert bea["risk"] == "raised"
    # The athlete's own report says +32% for the week: so does the coach's row.
    assert "weekly running distance up 32%" in report_json(squad_dir / "bea")["risk"]["summary"]
    assert bea["reason"] == "weekly distance up 32% (week to Sun 22 Nov)"
    assert "150%" not in json.dumps(bea)
    # Fay's week ended 2% up: the jump that held until Saturday is no headline, and where it
    # is listed it says so.
    fay = rows["Fay"]
    assert fay["risk"] == "usual" and "weekly distance" not in fay["reason"]
    jump = next(c for c in fay["conditions"] if c["code"] == "weekly_distance_jump")
    assert jump["words"] == "weekly distance up 45% (so far on Sat 21 Nov; not over the whole week)"


def test_within_a_level_the_strongest_evidence_then_the_biggest_first(squad_doc):
    order = [a["athlete"] for a in sorted(squad_doc["athletes"], key=lambda a: a["rank"])]
    # Dev's red flag first; the raised ones: Frandsen's 2.0x and 1.9x runs (strong evidence)
    # above Nielsen's not significant weekly jump (moderate), the bigger run first.
    assert order[:4] == ["Dev", "Eve", "Cid", "Bea"]
    assert set(order[4:]) == {"Ann", "Fay"}


def test_the_text_table_reads_in_the_same_order_and_numbers(squad_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path))
    result = CliRunner().invoke(cli, ["squad", str(squad_dir), "--as-of", AS_OF.isoformat(),
                                      "--no-cache", "--workers", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("Eve") < text.index("Cid") < text.index("Bea")
    assert "why: weekly distance up 32% (week to Sun 22 Nov)" in text
    assert "150%" not in text


def test_the_coach_digest_opens_with_the_most_urgent_in_the_coachs_words(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    team = write_squad(tmp_path / "team")
    with SmtpServer(tmp_path) as server:
        (team / "loadwatch.toml").write_text(toml(server).replace('name = "Story"\n', ""))
        result = CliRunner().invoke(cli, ["alert", str(team), "--as-of", AS_OF.isoformat(),
                                          "--to", "coach@example.org", "--no-cache"])
        assert result.exit_code == 0, result.output
        (msg,) = server.messages
    body = msg.get_body(("plain",)).get_content()
    heads = [line for line in body.splitlines() if line in {"Bea", "Cid", "Dev", "Eve"}]
    assert heads == ["Dev", "Eve", "Cid", "Bea"]
    # About the athlete, by name, never to them.
    assert "CHECK NOW: Dev's diary records a pop" in body
    assert "Dev has run" in body
    assert "your" not in body.lower()
    assert "In the week of Mon 16 Nov Bea ran 45.0 km, 32% more" in body
    assert "RAISED: weekly running distance up 32%" in body
    html = msg.get_body(("html",)).get_content()
    assert html.index("Dev") < html.index("Eve") < html.index("Bea")


def test_mid_week_the_digest_speaks_of_the_athlete_too(squad_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    thursday = (MONDAY + timedelta(days=3)).isoformat()
    result = CliRunner().invoke(cli, ["alert", str(squad_dir), "--as-of", thursday, "--dry-run",
                                      "--to", "coach@example.org", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "This week so far (to Thu 19 Nov) Bea has run 40.0 km" in result.stdout
    assert "you " not in result.stdout.lower() and "your" not in result.stdout.lower()
