"""`loadwatch init`: a new athlete folder in one command, never over existing files."""

from click.testing import CliRunner

from loadwatch import config
from loadwatch.cli import cli
from loadwatch.cli import settings as cli_mod
from loadwatch.pain import HEADER


def test_init_writes_a_commented_settings_file_and_an_empty_diary(tmp_path):
    folder = tmp_path / "runners" / "ana"           # made, parents too
    result = CliRunner().invoke(cli, ["init", str(folder), "--name", 'Ana "Fast" Ødegård',
                                      "--tz", "Europe/Oslo", "--units", "mi", "--max-hr", "191",
                                      "--rest-hr", "47"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Created {folder / 'loadwatch.toml'} and {folder / 'pain.csv'}.")
    cfg = config.load(folder / "loadwatch.toml")
    a = cfg.athlete
    assert (a.name, a.timezone, a.units, a.max_hr, a.rest_hr) == (
        'Ana "Fast" Ødegård', "Europe/Oslo", "mi", 191, 47)
    text = (folder / "loadwatch.toml").read_text(encoding="utf-8")
    assert "# [smtp]" in text and "# [alert]" in text and "[thresholds]" in text   # commented
    assert (folder / "pain.csv").read_text(encoding="utf-8") == ",".join(HEADER) + "\n"
    # The new folder is an athlete's: the diary commands find it from inside.
    listing = CliRunner().invoke(cli, ["pain", "list", "--athlete", str(folder)])
    assert listing.exit_code == 0, listing.output


def test_defaults_need_no_input_and_take_the_machines_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/Denver")
    folder = tmp_path / "bob"
    result = CliRunner().invoke(cli, ["init", str(folder)], input="")
    assert result.exit_code == 0, result.output
    a = config.load(folder / "loadwatch.toml").athlete
    assert (a.name, a.timezone, a.units, a.max_hr, a.rest_hr) == ("bob", "America/Denver", "km",
                                                                  None, None)
    assert "# max_hr = 190" in (folder / "loadwatch.toml").read_text(encoding="utf-8")


def test_a_terminal_is_asked_for_what_was_not_given(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_mod, "interactive", lambda: True)
    folder = tmp_path / "cy"
    result = CliRunner().invoke(cli, ["init", str(folder), "--units", "km"],
                                input="Cy\nMars/Olympus\nAsia/Tokyo\n300\n185\n\n")
    assert result.exit_code == 0, result.output
    assert "Maximum heart rate" in result.output and "Units" not in result.output
    assert "unknown time zone 'Mars/Olympus'" in result.output     # asked again, not a failure
    assert "not in the range 100<=x<=250" in result.output
    a = config.load(folder / "loadwatch.toml").athlete
    assert (a.name, a.timezone, a.max_hr, a.rest_hr) == ("Cy", "Asia/Tokyo", 185, None)


def test_init_never_overwrites(tmp_path):
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "pain.csv").write_text("date,severity\n2026-01-01,3\n")
    result = CliRunner().invoke(cli, ["init", str(folder), "--name", "Ana"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {folder / 'pain.csv'} already exists: init never overwrites "
                             "it (edit it, or move it away first)\n")
    assert not (folder / "loadwatch.toml").exists()
    assert (folder / "pain.csv").read_text() == "date,severity\n2026-01-01,3\n"

    other = tmp_path / "bo"
    assert CliRunner().invoke(cli, ["init", str(other)]).exit_code == 0
    before = (other / "loadwatch.toml").read_bytes()
    again = CliRunner().invoke(cli, ["init", str(other), "--name", "Someone else"])
    assert again.exit_code == 2 and "loadwatch.toml already exists" in again.stderr
    assert (other / "loadwatch.toml").read_bytes() == before


def test_bad_values_are_one_line_and_write_nothing(tmp_path):
    runner = CliRunner()
    for args, words in ((["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
                        (["--max-hr", "105", "--rest-hr", "110"], "--rest-hr (110) must be below"),
                        (["--name", "a\x07b"], "--name must be printable")):
        folder = tmp_path / "x"
        result = runner.invoke(cli, ["init", str(folder), *args])
        assert result.exit_code == 2, (args, result.output)
        assert words in result.stderr and result.stderr.count("\n") == 1
        assert not (folder / "loadwatch.toml").exists()
    file_there = tmp_path / "afile"
    file_there.write_text("x")
    result = runner.invoke(cli, ["init", str(file_there)])
    assert result.exit_code == 2


def test_the_new_settings_name_the_load_setting_commented(tmp_path):
    folder = tmp_path / "dee"
    result = CliRunner().invoke(cli, ["init", str(folder), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert '# load = "distance"' in (folder / "loadwatch.toml").read_text(encoding="utf-8")
