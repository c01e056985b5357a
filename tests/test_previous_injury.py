"""A previous injury through the CLI: from the settings, from a diary episode that stopped
the running for 7 days or more (seen in the activities) or that a clinician assessed; shown
in the status and the squad row, and never changing the level or next week's numbers."""

import json
from datetime import date

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.verdict.patterns import steady

AS_OF = date(2026, 11, 22)
PATTERN = {0: 8.0, 2: 8.0, 4: 8.0, 6: 14.0}  # 38 km a week


def runner(tmp_path, name="ana", *, stop=None, pain=(), toml=""):
    """38 km a week from Mon 4 May 2026 to Sun 22 Nov, minus the days in ``stop``."""
    s = steady(name, PATTERN, first=date(2026, 5, 4), last=AS_OF)
    if stop:
        s.rows = [r for r in s.rows if not stop[0] <= r[0] <= stop[1]]
    s.pain = list(pain)
    folder = s.write(tmp_path / name)
    if toml:
        with open(folder / "loadwatch.toml", "a") as f:
            f.write(toml)
    return folder


def report(folder, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF.isoformat(),
                                      "--no-cache", *args], catch_exceptions=False)
    return result


def doc(folder) -> dict:
    result = report(folder, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_injury_in_the_settings_is_context_and_changes_no_number(tmp_path):
    plain = doc(runner(tmp_path, "plain"))
    assert plain["clinical"]["previous_injury"] is None
    folder = runner(tmp_path, "ana",
                    toml='injuries = [{date = "2026-03", what = "shin splints"}]\n')
    d = doc(folder)
    before = d["clinical"]["previous_injury"]
    assert {k: before[k] for k in ("date", "what", "source")} == {
        "date": "2026-03", "what": "shin splints", "source": "settings"}
    assert before["words"] == ("injured in March 2026 (shin splints): the most consistently "
                               "reported risk factor")
    # The decision under test: context, not a number. Level, ceilings and flags stay.
    assert d["risk"] == plain["risk"] and d["next_week"] == plain["next_week"]
    assert [f["identity"] for f in d["flags"]] == [f["identity"] for f in plain["flags"]]
    assert d["clinical"]["status"] == plain["clinical"]["status"] == "none"
    words = " ".join(report(folder).stdout.split())
    assert ("Previous injury in March 2026: shin splints (from your settings). A previous injury "
            "is the most consistently reported risk factor for a new one (Saragiotto 2014; "
            "Malisoux 2015: 1.72 times the injury rate). It does not change the level or next "
            "week's numbers") in words


def test_an_injury_more_than_a_year_old_is_not_shown(tmp_path):
    folder = runner(tmp_path, toml='injuries = [{date = "2025-10-01", what = "ankle sprain"}]\n')
    assert doc(folder)["clinical"]["previous_injury"] is None
    folder = runner(tmp_path, "bo", toml='injuries = [{date = 2025-12-01, what = "calf"}]\n')
    assert doc(folder)["clinical"]["previous_injury"]["date"] == "2025-12-01"


def test_a_diary_episode_that_stopped_the_running_for_7_days_is_a_previous_injury(tmp_path):
    pain = ["2026-09-01,5,inner knee,left,gradual,,sore after the long run",
            "2026-09-03,4,inner knee,left,gradual,,",
            "2026-09-08,2,inner knee,left,gradual,,"]
    # No running from Wed 2 Sep to Wed 9 Sep: 8 days.
    folder = runner(tmp_path, stop=(date(2026, 9, 2), date(2026, 9, 9)), pain=pain)
    before = doc(folder)["clinical"]["previous_injury"]
    assert before["source"] == "diary_restricted" and before["date"] == "2026-09-01"
    assert before["what"] == "left inner-knee pain, up to 5/10"
    assert "with running stopped or cut for 7 days or more" in before["sentence"]


def test_pain_the_running_went_on_through_is_no_injury_by_the_consensus(tmp_path):
    pain = ["2026-09-01,5,inner knee,left,gradual,,", "2026-09-03,4,inner knee,left,gradual,,"]
    # One run left out: 30 km in the 7 days from Tue 1 Sep, above half the usual 38 km.
    folder = runner(tmp_path, stop=(date(2026, 9, 2), date(2026, 9, 2)), pain=pain)
    assert doc(folder)["clinical"]["previous_injury"] is None
    # Two left out (22 km in those 7 days) is still above 19 km; three (14 km) is not.
    folder = runner(tmp_path, "bo", stop=(date(2026, 9, 2), date(2026, 9, 4)), pain=pain)
    assert doc(folder)["clinical"]["previous_injury"] is None
    folder = runner(tmp_path, "cy", stop=(date(2026, 9, 2), date(2026, 9, 6)), pain=pain)
    assert doc(folder)["clinical"]["previous_injury"]["source"] == "diary_restricted"


def test_an_episode_a_clinician_assessed_is_a_previous_injury(tmp_path):
    pain = ["2026-10-05,4,outer knee,right,gradual,,",
            "2026-10-08,2,outer knee,right,gradual,,assessed by the physio: ITB band",
            "2026-10-20,0,,,,,"]
    before = doc(runner(tmp_path, pain=pain))["clinical"]["previous_injury"]
    assert before["source"] == "diary_assessed" and before["date"] == "2026-10-05"
    assert "assessed by a clinician" in before["sentence"]


def test_the_squad_row_names_the_previous_injury(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    runner(tmp_path / "squad", "ana", toml='injuries = [{date = "2026-03", what = "shin"}]\n')
    runner(tmp_path / "squad", "bo")
    result = CliRunner().invoke(cli, ["squad", str(tmp_path / "squad"), "--as-of",
                                      AS_OF.isoformat(), "--no-cache", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {r["athlete"]: r for r in json.loads(result.stdout)["athletes"]}
    assert rows["ana"]["clinical"]["previous_injury"]["date"] == "2026-03"
    assert rows["bo"]["clinical"]["previous_injury"] is None
    text = CliRunner().invoke(cli, ["squad", str(tmp_path / "squad"), "--as-of",
                                    AS_OF.isoformat(), "--no-cache"]).stdout
    assert "injured in March 2026 (shin): the most consistently reported risk factor" in \
        " ".join(text.split())


def test_a_bad_injury_setting_is_one_line_naming_the_file(tmp_path):
    folder = runner(tmp_path, toml='injuries = [{date = "March", what = "shin"}]\n')
    result = report(folder)
    assert result.exit_code == 2
    assert ("loadwatch.toml: athlete.injuries: date 'March' is not a month (\"2026-03\") or a "
            "day (\"2026-03-14\")") in result.stderr
    assert "Traceback" not in result.output


def test_a_long_bad_value_is_quoted_cut_short(tmp_path):
    folder = runner(tmp_path, toml='injuries = [{date = "2026-03", what = "' + "a" * 5000 + '"}]\n')
    result = report(folder)
    assert result.exit_code == 2
    assert "what must be text of up to 200 printable characters, not 'aaa" in result.stderr
    assert len(result.stderr) < 400, len(result.stderr)


def test_injuries_are_one_athletes_own(tmp_path, monkeypatch):
    from loadwatch import config

    squad = tmp_path / "squad"
    runner(squad, "ana")
    (squad / "loadwatch.toml").write_text(
        '[athlete]\ninjuries = [{date = "2026-03", what = "the squad\'s"}]\n')
    assert config.resolve(squad / "ana").athlete.injuries == []
    home = tmp_path / "home.toml"
    home.write_text('[athlete]\ninjuries = [{date = "2026-03", what = "shin"}]\n')
    monkeypatch.setenv(config.USER_CONFIG_ENV, str(home))
    result = report(squad / "ana")
    assert result.exit_code == 2
    assert "athlete.injuries is one athlete's" in result.stderr
