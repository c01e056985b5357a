"""Issue 11, item 4: the alert state is keyed by a stable athlete id, not the display name."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from loadwatch import config
from loadwatch.cli import cli
from tests.hostile.mailrun import alert_args, runner, smtp_toml
from tests.smtp_server import SmtpServer


def invoke(args):
    return CliRunner().invoke(cli, args)


def test_renaming_an_athlete_sends_nothing_again(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server, name="Story")
        assert invoke(alert_args(folder, tmp_path / "cache")).exit_code == 0
        (folder / "loadwatch.toml").write_text(smtp_toml(server, name="Story Nordmann"))
        again = invoke(alert_args(folder, tmp_path / "cache"))
        assert again.exit_code == 0 and "0 new item" in again.stderr
        assert len(server.messages) == 1


def test_an_id_in_loadwatch_toml_survives_moving_the_folder(tmp_path):
    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server, athlete_id="story-2026")
        assert invoke(alert_args(folder, tmp_path / "cache")).exit_code == 0
        moved = shutil.move(folder, tmp_path / "elsewhere")
        again = invoke(alert_args(moved, tmp_path / "cache"))
        assert again.exit_code == 0 and "0 new item" in again.stderr
        assert len(server.messages) == 1
        # Without an id, the folder is the identity: a new folder is a new athlete.
        (tmp_path / "elsewhere" / "loadwatch.toml").write_text(smtp_toml(server))
        invoke(alert_args(moved, tmp_path / "cache"))
        assert len(server.messages) == 2


@pytest.mark.parametrize("value", ['""', '"   "', "42", '"a\\nb"', '"' + "x" * 201 + '"'])
def test_a_bad_athlete_id_is_a_config_error(tmp_path, value):
    path = tmp_path / "loadwatch.toml"
    path.write_text(f"[athlete]\nid = {value}\n")
    with pytest.raises(config.ConfigError, match="athlete.id"):
        config.load(path)
