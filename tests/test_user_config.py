"""Settings in layers: flags > --config or the athlete's loadwatch.toml > the squad folder's
loadwatch.toml > the user config > defaults; `loadwatch config show` names each source and never
a password."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch import config
from loadwatch.cli import cli

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "runner"


@pytest.fixture
def user_config(tmp_path, monkeypatch):
    """Write the user config (``$LOADWATCH_USER_CONFIG``) and return its path."""
    path = tmp_path / "home" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("LOADWATCH_USER_CONFIG", str(path))

    def write(text: str) -> Path:
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def team(tmp_path):
    """A squad folder with one athlete, ``team/ana``, her files from the sample runner."""
    team = tmp_path / "team"
    shutil.copytree(SAMPLE, team / "ana", ignore=shutil.ignore_patterns("loadwatch.toml"))
    return team


def toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_each_layer_beats_the_ones_below_it(team, user_config, tmp_path):
    ana = team / "ana"
    cfg = config.resolve(ana)
    assert cfg.athlete.timezone is None and "athlete.timezone" not in cfg.sources   # default

    home = user_config('[athlete]\ntimezone = "Asia/Tokyo"\nunits = "mi"\n')
    cfg = config.resolve(ana)
    assert cfg.athlete.timezone == "Asia/Tokyo" and cfg.sources["athlete.timezone"] == str(home)

    squad = toml(team / "loadwatch.toml", '[athlete]\ntimezone = "America/Denver"\n')
    cfg = config.resolve(ana)
    assert cfg.athlete.timezone == "America/Denver" and cfg.sources["athlete.timezone"] == str(squad)
    assert cfg.athlete.units == "mi" and cfg.sources["athlete.units"] == str(home)   # key by key

    own = toml(ana / "loadwatch.toml", '[athlete]\nname = "Ana"\ntimezone = "Europe/Oslo"\n')
    cfg = config.resolve(ana)
    assert cfg.athlete.timezone == "Europe/Oslo" and cfg.sources["athlete.timezone"] == str(own)
    assert [role for role, _ in cfg.layers] == ["athlete", "squad", "user config"]

    other = toml(tmp_path / "other.toml", '[athlete]\ntimezone = "Africa/Nairobi"\n')
    cfg = config.resolve(ana, config_path=other)
    assert cfg.athlete.timezone == "Africa/Nairobi" and cfg.sources["athlete.timezone"] == str(other)
    assert cfg.athlete.name is None          # --config replaces the athlete's file, not adds to it
    assert cfg.athlete.units == "mi"         # the layers below still apply


def report_units(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["report", *args, "--as-of", "2026-11-22", "--no-cache",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["units"]


def test_units_from_every_source_reach_the_report(team, user_config, tmp_path):
    ana = str(team / "ana")
    assert report_units([ana]) == "km"                                          # default
    user_config('[athlete]\nunits = "mi"\n')
    assert report_units([ana]) == "mi"                                          # user config
    toml(team / "loadwatch.toml", '[athlete]\nunits = "km"\n')
    assert report_units([ana]) == "km"                                          # squad file
    toml(team / "ana" / "loadwatch.toml", '[athlete]\nunits = "mi"\n')
    assert report_units([ana]) == "mi"                                          # athlete file
    other = toml(tmp_path / "other.toml", '[athlete]\nunits = "km"\n')
    assert report_units([ana, "--config", str(other)]) == "km"                  # --config
    assert report_units([ana, "--config", str(other), "--units", "mi"]) == "mi"  # the flag


def test_tz_flag_beats_every_file(team, user_config):
    user_config('[athlete]\ntimezone = "Asia/Tokyo"\n')
    toml(team / "ana" / "loadwatch.toml", '[athlete]\ntimezone = "Europe/Oslo"\n')
    from loadwatch.athlete import load_athlete

    data = load_athlete([team / "ana"], tz="America/Denver")
    assert str(data.tz) == "America/Denver" and data.config.sources["athlete.timezone"] == "--tz"


def test_a_folder_above_that_names_an_athlete_is_not_a_squad(tmp_path):
    toml(tmp_path / "loadwatch.toml", '[athlete]\nname = "Runner"\nunits = "mi"\n')
    (tmp_path / "2025").mkdir()
    cfg = config.resolve(tmp_path / "2025")
    assert cfg.athlete.units == "km" and cfg.layers == []


def test_athletes_own_settings_stay_in_their_own_file(team, user_config):
    toml(team / "loadwatch.toml", '[activities]\nignore = ["strava:1"]\n[smtp]\nhost = "mail.team"\n')
    cfg = config.resolve(team / "ana")
    assert cfg.ignore == {} and cfg.smtp == {"host": "mail.team"}
    for text, key in (('[athlete]\nname = "Me"\n', "athlete.name"),
                      ('[athlete]\nid = "me"\n', "athlete.id"),
                      ('[activities]\nconfirm = ["fit:1"]\n', "activities")):
        home = user_config(text)
        with pytest.raises(config.ConfigError) as err:
            config.resolve(team / "ana")
        assert str(err.value).startswith(f"{home}: {key} is one athlete's")
    user_config("")
    toml(team / "ana" / "loadwatch.toml", '[athlete]\nfolder = "/somewhere"\n')
    with pytest.raises(config.ConfigError, match=r"loadwatch.toml: athlete.folder belongs in the user config"):
        config.resolve(team / "ana")


def test_sports_patterns_merge_the_athletes_first(team, user_config):
    user_config('[sports]\n"*.gpx" = "ride"\n"Runkeeper-*" = "walk"\n')
    toml(team / "ana" / "loadwatch.toml", '[sports]\n"*.gpx" = "run"\n"Strava-*" = "hike"\n')
    cfg = config.resolve(team / "ana")
    assert list(cfg.sports.items()) == [("*.gpx", "run"), ("Strava-*", "hike"),
                                        ("Runkeeper-*", "walk")]


def test_errors_name_the_file_and_key_that_set_the_value(team, user_config):
    home = user_config('[athlete]\nrest_hr = 60\n[smtp]\nport = "x"\n')
    toml(team / "ana" / "loadwatch.toml", '[athlete]\nmax_hr = 105\n')
    runner = CliRunner()
    result = runner.invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {home}: smtp.port must be a port number, not 'x'\n"

    home = user_config('[athlete]\nrest_hr = 110\n')
    result = runner.invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {home}: athlete.rest_hr (110) must be below "
                                    f"athlete.max_hr (105, from {team / 'ana' / 'loadwatch.toml'})")

    user_config("")
    squad = toml(team / "loadwatch.toml", "[thresholds]\nspike_high_ratio = -1\n")
    result = runner.invoke(cli, ["report", str(team / "ana"), "--no-cache", "--as-of", "2026-11-22"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {squad}: thresholds.spike_high_ratio")


def test_config_show_names_each_source(team, user_config):
    home = user_config('[smtp]\nhost = "smtp.example.org"\nuser = "coach@example.org"\n'
                       '[athlete]\ntimezone = "Asia/Tokyo"\n')
    squad = toml(team / "loadwatch.toml", '[alert]\nto = ["coach@example.org"]\n'
                 '[thresholds]\nweekly_jump_high_pct = 25\n')
    own = toml(team / "ana" / "loadwatch.toml", '[athlete]\nname = "Ana"\nunits = "mi"\n')
    result = CliRunner().invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 0, result.output
    rows = {line.split(" = ")[0]: line for line in result.stdout.splitlines() if " = " in line
            and not line.startswith("#")}
    assert rows["name"].endswith(f"# {own}") and '"Ana"' in rows["name"]
    assert rows["units"].endswith(f"# {own}") and '"mi"' in rows["units"]
    assert rows["timezone"].endswith(f"# {home}") and "Asia/Tokyo" in rows["timezone"]
    assert rows["host"].endswith(f"# {home}") and rows["user"].endswith(f"# {home}")
    assert rows["to"].endswith(f"# {squad}")
    assert rows["weekly_jump_high_pct"].endswith(f"# {squad}") and "25" in rows["weekly_jump_high_pct"]
    assert rows["weekly_jump_caution_pct"].endswith("# default")
    assert rows["port"].endswith("# default") and "587" in rows["port"]
    assert f"#   athlete file  {own}" in result.stdout
    assert f"#   squad file    {squad}" in result.stdout
    assert f"#   user config   {home}" in result.stdout


def test_config_show_never_prints_a_password(team, user_config, monkeypatch, tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("S3cret-from-file\n")
    secret.chmod(0o600)
    user_config(f'[smtp]\nhost = "smtp.example.org"\nuser = "coach@example.org"\n'
                f'password_file = "{secret}"\n')
    runner = CliRunner()
    result = runner.invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 0, result.output
    assert "S3cret" not in result.output
    assert f"# password: from password_file {secret} (not shown)" in result.stdout

    monkeypatch.setenv("LOADWATCH_SMTP_PASSWORD", "S3cret-from-env")
    result = runner.invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 0 and "S3cret" not in result.output
    assert "# password: from $LOADWATCH_SMTP_PASSWORD (set; not shown); password_file" in result.stdout

    # A password written into a settings file is refused without being echoed.
    toml(team / "ana" / "loadwatch.toml", '[smtp]\npassword = "S3cret-in-toml"\n')
    result = runner.invoke(cli, ["config", "show", str(team / "ana")])
    assert result.exit_code == 2 and "S3cret" not in result.output
    assert "smtp.password is not read from files" in result.stderr


def test_config_show_outside_any_athlete_folder(user_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOADWATCH_ATHLETE", raising=False)
    home = user_config('[athlete]\nunits = "mi"\n')
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert "outside any athlete folder" in result.stdout
    assert any(line.startswith('units = "mi"') and line.endswith(f"# {home}")
               for line in result.stdout.splitlines())


def test_user_config_folder_is_where_pain_add_writes(user_config, tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("LOADWATCH_ATHLETE", raising=False)
    runner = CliRunner()
    add = ["pain", "add", "--severity", "1", "--date", "2026-11-20"]
    assert runner.invoke(cli, add).exit_code == 2            # no folder given, none configured
    home = user_config('[athlete]\nfolder = "../nowhere"\n')
    result = runner.invoke(cli, add)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'home' / '..' / 'nowhere'}: no such athlete "
                             f"folder (athlete.folder in {home})\n")
    user_config('[athlete]\nfolder = "../mine"\n')           # relative to the config's folder
    result = runner.invoke(cli, add)
    assert result.exit_code == 0, result.output
    assert (mine / "pain.csv").is_file()
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("LOADWATCH_ATHLETE", str(other))      # the variable beats the config
    assert runner.invoke(cli, add).exit_code == 0 and (other / "pain.csv").is_file()
    third = tmp_path / "third"
    third.mkdir()
    assert runner.invoke(cli, [*add, "--athlete", str(third)]).exit_code == 0   # the flag beats both
    assert (third / "pain.csv").is_file()


def test_an_empty_variable_means_no_user_config(monkeypatch, tmp_path):
    monkeypatch.setenv("LOADWATCH_USER_CONFIG", "")
    assert config.user_config_path() is None
    monkeypatch.delenv("LOADWATCH_USER_CONFIG")
    assert config.user_config_path().name == "config.toml"
    assert config.user_config_path().parent.name == "loadwatch"
