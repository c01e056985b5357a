"""The diary over time, through the CLI (issue 16): silence is not recovery, an assessment counts.

- The sample runner's last entry is 5/10 on Sat 21 Nov: from then on the status keeps what
  it said, and after a week of silence asks "how is the knee?" with the command to answer.
- Ann felt a pop on Mon 9 Nov, recorded an assessment on Thu 12 Nov ("physio: cleared to
  jog"), and her pain fell 6 -> 1: that reads as improving in every output, with no
  "stop running on it"; a rise, two weeks without improvement or a new red flag asks again.
"""

import html
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.pain import read_diary
from tests.smtp_server import SmtpServer
from tests.verdict import patterns

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
NOTHING = "NOTHING IN THE DIARY NEEDS A CLINICIAN"
SILENCE = "No diary entry since Sat 21 Nov: how is the knee?"
FORMATS = ("text", "markdown", "html", "json")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rendered(folder, day, fmt, cache=None) -> str:
    out = run("report", folder, "--as-of", day, "--format", fmt,
              *(["--cache-dir", cache] if cache else ["--no-cache"]))
    assert out.exit_code == 0, out.output
    return out.stdout


def report(folder, day, fmt="json", cache=None):
    text = rendered(folder, day, fmt, cache)
    return json.loads(text) if fmt == "json" else text


def flat(text: str) -> str:
    """One line of words, HTML entities read as the characters they are."""
    return " ".join(html.unescape(text).split())


# -- silence ------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-11-25", "2026-11-29", "2026-12-06"])
def test_the_sample_runners_silent_diary_still_needs_assessing(tmp_path, day):
    doc = report(SAMPLE / "runner", day, cache=tmp_path)
    clinical = doc["clinical"]
    assert clinical["status"] == "assess_soon"
    assert NOTHING not in clinical["summary"]
    assert "pain of 3/10 or more on 4 of the 7 days to the last diary entry, Sat 21 Nov" in (
        clinical["summary"])
    assert doc["pain"]["now"] == 5 and doc["pain"]["now_date"] == "2026-11-21"
    # The episode is not "over" because nobody wrote: it is ongoing, last recorded 21 Nov.
    (episode,) = doc["pain"]["episodes"]
    assert episode["ongoing"] and "last recorded 21 Nov" in episode["summary"]
    silent = day != "2026-11-25"  # 4 days is not yet a silence; 8 and 15 are
    assert (clinical["silent_since"] == "2026-11-21") is silent
    for fmt in FORMATS[:3]:
        text = flat(report(SAMPLE / "runner", day, fmt, cache=tmp_path))
        assert NOTHING not in text and "GET IT ASSESSED SOON" in text
        assert (SILENCE in text) is silent
        if silent:
            # The command as it can be pasted: the folder the report was run on, not "DIR".
            assert (f'loadwatch pain add --athlete {SAMPLE / "runner"} --severity N '
                    '--location "inner knee" --side left') in text


def test_the_squad_dates_the_pain_and_keeps_the_red_flag_through_silence(tmp_path):
    out = run("squad", SAMPLE / "squad", "--as-of", "2026-12-20", "--cache-dir", tmp_path)
    assert out.exit_code == 0, out.output
    text = flat(out.stdout)
    # Dev's pop of Thu 19 Nov was never assessed: a month of silence does not clear it.
    assert "pain now: 7/10 on 19 Nov" in text and "none now" not in text
    doc = json.loads(run("squad", SAMPLE / "squad", "--as-of", "2026-12-20", "--format", "json",
                         "--cache-dir", tmp_path).stdout)
    dev = doc["athletes"][0]
    assert dev["athlete"] == "Dev" and dev["clinical"]["status"] == "check_now"
    assert "No diary entry since Thu 19 Nov: how is the knee?" in dev["clinical"]["summary"]
    assert dev["pain"] == {"now": 7, "now_date": "2026-11-19", "trend": None,
                           "weekly_peaks": [None, None, None]}
    # ...and its report still shows the red flag's box, a month on (it showed 28 days).
    codes = [f["code"] for f in report(SAMPLE / "squad" / "dev", "2026-12-20", cache=tmp_path)
             ["flags"]]
    assert "pain_red_flag" in codes


def test_pain_under_the_rules_then_silence_never_reads_as_nothing(tmp_path):
    story = patterns.steady("sid", patterns.BASE, last=date(2026, 11, 29))
    story.pain = ["2026-11-10,2,outer knee,right,gradual,,"]
    folder = story.write(tmp_path / "sid")
    assert report(folder, "2026-11-14")["clinical"]["summary"].startswith(NOTHING)
    clinical = report(folder, "2026-11-22")["clinical"]
    assert clinical["status"] == "none" and NOTHING not in clinical["summary"]
    assert clinical["summary"].startswith("PAIN 2/10 LAST RECORDED ON TUE 10 NOV")
    assert "No diary entry since Tue 10 Nov: how is the knee?" in clinical["summary"]


def test_a_long_episode_keeps_its_status_through_silence(tmp_path):
    story = patterns.steady("lou", patterns.BASE, last=date(2026, 11, 30))
    story.pain = [f"2026-11-{d:02d},2,kneecap,left,gradual,," for d in (1, 4, 7, 10)]
    folder = story.write(tmp_path / "lou")
    assert report(folder, "2026-11-13")["clinical"]["status"] == "none"  # 13 days
    # The clock runs through up to 7 silent days (a next entry would still join the episode)...
    assert report(folder, "2026-11-14")["clinical"]["status"] == "assess_soon"
    # ...and then holds: 17 days, not 30, and not over either.
    clinical = report(folder, "2026-11-30")["clinical"]
    assert clinical["status"] == "assess_soon"
    assert ("your left kneecap pain has gone on for 17 days (since Sun 1 Nov, last recorded on "
            "Tue 10 Nov)") in clinical["summary"]
    assert "No diary entry since Tue 10 Nov: how is the knee?" in clinical["summary"]


# -- assessment ---------------------------------------------------------------------------

def ann(tmp_path, extra=(), last=date(2026, 12, 10)) -> Path:
    story = patterns.steady("ann", patterns.BASE, last=last)
    story.pain = ["2026-11-09,6,inner knee,left,sudden,pop;swelling,felt a pop on the descent",
                  "2026-11-10,6,inner knee,left,,swelling,",
                  "2026-11-12,6,inner knee,left,,,physio: cleared to jog",
                  "2026-11-15,5,inner knee,left,,,", "2026-11-17,4,inner knee,left,,,",
                  "2026-11-19,3,inner knee,left,,,", "2026-11-21,2,inner knee,left,,,",
                  "2026-11-24,1,inner knee,left,,,", "2026-11-27,1,inner knee,left,,,",
                  "2026-11-29,1,inner knee,left,,,", *extra]
    return story.write(tmp_path / "ann")


@pytest.mark.parametrize(("day", "now"), [("2026-11-23", 2), ("2026-11-27", 1), ("2026-11-29", 1)])
def test_an_assessment_closes_the_red_flag_and_improving_pain_reads_so(tmp_path, day, now):
    folder = ann(tmp_path)
    doc = report(folder, day)
    clinical = doc["clinical"]
    assert clinical["status"] == "none", clinical["summary"]
    assert clinical["red_flag_day"] is None
    assert clinical["summary"].startswith(f"ASSESSED, IMPROVING: assessed on 12 Nov; 6 -> {now}/10")
    assert clinical["assessment"]["red_flags_closed"] == [
        {"date": "2026-11-09", "signs": "sudden onset and a pop"}]
    assert "pain_red_flag" not in [f["code"] for f in doc["flags"]]
    assert doc["next_week"]["status"] != "stop"
    for fmt in FORMATS:
        text = flat(rendered(folder, day, fmt))
        assert "assessed on 12 Nov" in text
        assert "Stop running on it" not in text and "GET IT ASSESSED SOON" not in text
        # loadwatch does not know what the clinician said: never "cleared".
        assert "cleared" not in text.lower()


def test_after_an_assessment_a_rise_a_stall_or_a_new_red_flag_asks_again(tmp_path):
    rise = ann(tmp_path / "rise", ["2026-12-01,3,inner knee,left,,,"])
    clinical = report(rise, "2026-12-01")["clinical"]
    assert clinical["status"] == "assess_soon"
    assert ("has risen again since it was assessed on 12 Nov: 3/10 on Tue 1 Dec, up from 1/10 "
            "on Tue 24 Nov") in clinical["summary"]
    # Lowest (1/10) first on 24 Nov; still 1/10 on 8 Dec: 14 days without improvement.
    stall = ann(tmp_path / "stall", ["2026-12-04,1,inner knee,left,,,",
                                      "2026-12-08,1,inner knee,left,,,"])
    assert report(stall, "2026-12-07")["clinical"]["status"] == "none"
    clinical = report(stall, "2026-12-08")["clinical"]
    assert clinical["status"] == "assess_soon"
    assert "has not improved for 14 days since it was assessed on 12 Nov" in clinical["summary"]
    again = ann(tmp_path / "again", ["2026-12-02,5,inner knee,left,,giving_way,gave way on a stair"])
    doc = report(again, "2026-12-03")
    assert doc["clinical"]["status"] == "check_now"
    assert doc["clinical"]["red_flag_day"] == "2026-12-02"
    assert [f["start"] for f in doc["flags"] if f["code"] == "pain_red_flag"] == ["2026-12-02"]


def test_the_alert_does_not_mail_get_it_assessed_after_an_assessment(tmp_path, chart_stand_in):
    # About the subjects of seven daily alerts: the chart is a stand-in (tests/conftest.py).
    with SmtpServer(tmp_path) as server:
        folder = ann(tmp_path, last=date(2026, 11, 29))
        smtp = "\n".join(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}"
                         for k, v in server.settings().items())
        (folder / "loadwatch.toml").write_text(
            f'[athlete]\nname = "ann"\ntimezone = "UTC"\n[alert]\nto = ["ann@example.org"]\n'
            f"[smtp]\n{smtp}\n")
        for k in range(7):
            day = (date(2026, 11, 23) + timedelta(days=k)).isoformat()
            out = run("alert", folder, "--as-of", day, "--cache-dir", tmp_path / "cache")
            assert out.exit_code == 0, out.output
        subjects = [str(m["Subject"]) for m in server.messages]
    assert not any("assess" in s.lower() or "CHECK NOW" in s for s in subjects), subjects


def test_pain_add_assessed_needs_no_severity(tmp_path):
    story = patterns.steady("dev", patterns.BASE)
    folder = story.write(tmp_path / "dev")
    (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n")
    added = run("pain", "add", "--athlete", folder, "--date", "2026-11-19", "--severity", "7",
                "--location", "inner knee", "--onset", "sudden", "--symptom", "pop")
    assert added.exit_code == 0
    assert report(folder, "2026-11-20")["clinical"]["status"] == "check_now"
    added = run("pain", "add", "--athlete", folder, "--date", "2026-11-21", "--assessed",
                "--note", "sports physio")
    assert added.exit_code == 0, added.output
    assert "2026-11-21, no severity, assessed." in added.stdout
    (row,) = read_diary(folder / "pain.csv").entries.iloc[-1:].itertuples()
    assert row.symptoms == ("assessed",) and row.severity is not None and str(row.severity) == "<NA>"
    doc = report(folder, "2026-11-22")
    assert doc["clinical"]["status"] == "none"
    assert "assessed on 21 Nov (7/10 then)" in doc["clinical"]["summary"]
    assert "pain_red_flag" not in [f["code"] for f in doc["flags"]]
    for fmt in FORMATS[:3]:
        assert "assessed on 21 Nov" in flat(report(folder, "2026-11-22", fmt))
    listed = run("pain", "list", "--athlete", folder)
    assert listed.exit_code == 0 and "assessed on 21 Nov" in listed.stdout
    # Without --assessed a severity is still needed: one line, exit 2, nothing written.
    before = (folder / "pain.csv").read_bytes()
    refused = run("pain", "add", "--athlete", folder, "--date", "2026-11-22")
    assert refused.exit_code == 2 and "--severity" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert (folder / "pain.csv").read_bytes() == before
    # A hand-written row with an empty severity and no assessment is a bad row, named.
    shutil.copy(folder / "pain.csv", tmp_path / "bad.csv")
    with open(tmp_path / "bad.csv", "a") as f:
        f.write("2026-11-23,,inner knee,,,,sore\n")
    listed = run("pain", "list", "--pain", tmp_path / "bad.csv")
    assert listed.exit_code == 1 and "severity is missing" in listed.stderr
