"""Issue 17: a settings file a TOML parser cannot take is one line naming it, never the squad's end."""

from __future__ import annotations

import json
import os
import time

import pytest

from loadwatch import config
from tests import story
from tests.hostile.helpers import run_cli

HOSTILE = {
    "arrays": "[thresholds]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n",
    "tables": "[thresholds]\nx = " + "{a = " * 30_000 + "1" + "}" * 30_000 + "\n",
    "headers": "".join(f"[{'a.' * 200}b{i}]\n" for i in range(10)),
    "dotted": "[thresholds]\n" + "a." * 100_000 + "b = 1\n",
    # Under the 1 MiB cap: one quoted key of a million characters, echoed whole in the
    # unknown-key error line before (a megabyte on stderr and in the squad's error row).
    "quoted key": '"' + "k" * 1_000_000 + '" = 1\n',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_settings_are_refused_before_parsing(tmp_path, kind):
    path = tmp_path / "loadwatch.toml"
    path.write_text(HOSTILE[kind])
    started = time.monotonic()
    with pytest.raises(config.ConfigError) as err:
        config.load(path)
    assert time.monotonic() - started < 5
    message = str(err.value)
    assert message.startswith(f"{path}: refused as settings") and "\n" not in message
    assert "at most" in message


def test_real_settings_pass_the_guard():
    text = ('[athlete]\nname = "Ingrid"\n[thresholds]\nweekly_jump_high_pct = 25\n'
            '[activities]\nignore = [{id = "strava:1", reason = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]\n'
            '[sports]\n"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.gpx" = "run"\n# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q\n')
    from loadwatch import tomlguard

    assert tomlguard.check(text) is None


def test_report_on_hostile_settings_is_one_line_exit_2(tmp_path):
    folder = story.write(tmp_path / "ann")
    (folder / "loadwatch.toml").write_text(HOSTILE["arrays"])
    done = run_cli("report", folder, "--no-cache", "--as-of", "2026-11-22", timeout=120,
                   memory=1 << 30)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(folder / "loadwatch.toml") in lines[0]
    assert "nested 100,000 deep" in lines[0] or "nested 100000 deep" in lines[0]


def test_one_hostile_athlete_is_an_error_row_the_squad_goes_on(tmp_path):
    team = tmp_path / "team"
    story.write(team / "ann", toml='[athlete]\nname = "Ann"\n')
    deep = story.write(team / "deep")
    (deep / "loadwatch.toml").write_text(HOSTILE["tables"])
    dotted = story.write(team / "dotted")
    (dotted / "loadwatch.toml").write_text(HOSTILE["dotted"])
    env = dict(os.environ, LOADWATCH_STATE=str(tmp_path / "state"),
               LOADWATCH_USER_CONFIG="")
    done = run_cli("squad", team, "--no-cache", "--as-of", "2026-11-22", "--format", "json",
                   "--workers", "1", timeout=120, memory=1 << 30, env=env)
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [r["athlete"] for r in doc["athletes"]] == ["Ann"]
    errors = {r["athlete"]: r["error"] for r in doc["errors"]}
    assert set(errors) == {"deep", "dotted"}
    for name, error in errors.items():
        assert error.startswith(str(team / name / "loadwatch.toml")) and "refused as settings" in error


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_user_config_that_is_not_a_file_is_one_line_exit_2(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "config.toml"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "config.d"
        target.mkdir()
    else:
        target = "/dev/zero"
    folder = story.write(tmp_path / "ann")
    env = dict(os.environ, LOADWATCH_USER_CONFIG=str(target))
    done = run_cli("report", folder, "--no-cache", "--as-of", "2026-11-22", timeout=60, env=env)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0] and "not a regular file" in lines[0]
