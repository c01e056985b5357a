"""`loadwatch pain add` and `loadwatch pain list` through the CLI."""

from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.pain import read_diary


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_add_creates_the_diary_with_its_header(tmp_path):
    diary = tmp_path / "pain.csv"
    result = run("pain", "add", "--pain", str(diary), "--date", "2026-11-14", "--severity", "2",
                 "--location", "pes anserine", "--side", "left", "--onset", "gradual",
                 "--symptom", "tightness", "--symptom", "stiffness", "--note", "after the long run")
    assert result.exit_code == 0, result.output
    assert diary.read_text().splitlines()[0] == "date,severity,location,side,onset,symptoms,notes"
    entries = read_diary(diary).entries
    assert list(entries["severity"]) == [2]
    assert entries.iloc[0]["symptoms"] == ("tightness", "stiffness")
    assert "acute injury" not in result.output


def test_red_flag_entry_says_to_get_it_checked(tmp_path):
    result = run("pain", "add", "--pain", str(tmp_path / "pain.csv"), "--date", "2026-11-19",
                 "--severity", "7", "--onset", "sudden", "--symptom", "pop", "--symptom", "giving_way")
    assert result.exit_code == 0
    assert "sports physical therapist or doctor" in result.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    diary = tmp_path / "pain.csv"
    assert run("pain", "add", "--pain", str(diary), "--severity", "11").exit_code == 2
    result = run("pain", "add", "--pain", str(diary), "--severity", "3", "--symptom", "sweling")
    assert result.exit_code == 2 and "sweling" in result.stderr
    assert run("pain", "add", "--pain", str(diary), "--date", "2026-13-40",
               "--severity", "3").exit_code == 2
    assert not diary.exists()


def test_list_names_bad_rows_and_keeps_good_ones(tmp_path):
    diary = tmp_path / "pain.csv"
    diary.write_text("date,severity,location,side,onset,symptoms,notes\n"
                     "2026-11-14,2,inner knee,left,gradual,tightness,\n"
                     "2026-11-15,twelve,inner knee,left,gradual,,\n")
    result = run("pain", "list", "--pain", str(diary))
    assert result.exit_code == 1
    assert "2026-11-14" in result.stdout
    assert "line 3" in result.stderr and "Traceback" not in result.output


def test_list_without_a_diary_is_a_clear_error(tmp_path):
    result = run("pain", "list", "--pain", str(tmp_path / "none.csv"))
    assert result.exit_code == 2 and "no such pain diary" in result.stderr


def test_the_diary_is_the_athlete_folders_never_the_shells(tmp_path, monkeypatch):
    from tests import story

    athlete = story.write(tmp_path / "ingrid", pain=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("LOADWATCH_ATHLETE", raising=False)
    refused = run("pain", "add", "--severity", "0")
    assert refused.exit_code == 2 and "not an athlete folder" in refused.stderr
    assert not (elsewhere / "pain.csv").exists()
    assert run("pain", "add", "--athlete", str(athlete), "--severity", "0").exit_code == 0
    monkeypatch.setenv("LOADWATCH_ATHLETE", str(athlete))
    assert run("pain", "add", "--severity", "1").exit_code == 0
    assert list(read_diary(athlete / "pain.csv").entries["severity"]) == [0, 1]
    monkeypatch.chdir(athlete)
    monkeypatch.delenv("LOADWATCH_ATHLETE")
    listed = run("pain", "list")
    assert listed.exit_code == 0 and listed.stdout.count("\n") >= 2


def test_assessed_clears_a_red_flag_for_the_clinical_status(tmp_path):
    import json

    from tests import story

    athlete = story.write(tmp_path / "dev", pain=False)

    def clinical():
        out = run("report", str(athlete), "--as-of", "2026-11-22", "--no-cache", "--format", "json")
        return json.loads(out.stdout)["clinical"]["status"]

    run("pain", "add", "--athlete", str(athlete), "--date", "2026-11-19", "--severity", "7",
        "--onset", "sudden", "--symptom", "pop", "--symptom", "swelling")
    assert clinical() == "check_now"
    result = run("pain", "add", "--athlete", str(athlete), "--date", "2026-11-21",
                 "--severity", "3", "--assessed", "--note", "physio: a sprain, rest a week")
    assert result.exit_code == 0
    assert read_diary(athlete / "pain.csv").entries.iloc[-1]["symptoms"] == ("assessed",)
    assert clinical() != "check_now"
