"""Issue 17: a pain diary too large to be one is refused unread, and named."""

from __future__ import annotations

import json
import os

import pytest

from tests import story
from tests.hostile.helpers import run_cli

HUGE = 2 << 30


def huge_diary(folder):
    path = folder / "pain.csv"
    with open(path, "ab") as fh:  # sparse: 2 GB of size, no disk
        fh.truncate(HUGE)
    return path


@pytest.fixture()
def ann(tmp_path):
    folder = story.write(tmp_path / "team" / "ann")
    huge_diary(folder)
    return folder


def env(tmp_path):
    return dict(os.environ, LOADWATCH_STATE=str(tmp_path / "state"), LOADWATCH_USER_CONFIG="")


def test_report_goes_on_without_the_diary_and_says_so(ann, tmp_path):
    done = run_cli("report", ann, "--no-cache", "--as-of", "2026-11-22", "--format", "json",
                   timeout=120, memory=1 << 30, env=env(tmp_path))
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["risk"]["level"]
    errors = [ln for ln in done.stderr.decode().splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and str(ann / "pain.csv") in errors[0]
    assert f"{HUGE:,} bytes" in errors[0] and "leaves the pain diary out" in errors[0]


def test_pain_add_refuses_a_huge_diary(ann, tmp_path):
    done = run_cli("pain", "add", "--athlete", ann, "--severity", "3", "--date", "2026-11-22",
                   timeout=120, memory=1 << 30, env=env(tmp_path))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(ann / "pain.csv") in lines[0] and "too large" in lines[0]
    assert os.path.getsize(ann / "pain.csv") == HUGE


def test_pain_list_refuses_a_huge_diary(ann, tmp_path):
    done = run_cli("pain", "list", "--athlete", ann, timeout=120, memory=1 << 30,
                   env=env(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "too large" in done.stderr.decode()


def test_squad_names_the_diary_on_that_athletes_row(ann, tmp_path):
    story.write(ann.parent / "bob", toml='[athlete]\nname = "Bob"\n')
    done = run_cli("squad", ann.parent, "--no-cache", "--as-of", "2026-11-22", "--format", "json",
                   "--workers", "1", timeout=180, memory=1 << 30, env=env(tmp_path))
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [r["athlete"] for r in doc["athletes"]] == ["Bob"]
    [row] = doc["errors"]
    assert row["folder"] == str(ann) and str(ann / "pain.csv") in row["error"]
    assert "too large" in row["error"]


def test_alert_goes_on_without_the_diary_and_says_so(tmp_path):
    from tests.hostile.mailrun import alert_args, runner
    from tests.smtp_server import SmtpServer

    with SmtpServer(tmp_path) as server:
        folder = runner(tmp_path / "story", server)
        huge_diary(folder)
        done = run_cli(*alert_args(folder, tmp_path / "cache"), timeout=180, memory=1 << 30,
                       env=env(tmp_path))
        assert done.returncode == 1, done.stderr
        errors = [ln for ln in done.stderr.decode().splitlines() if ln.startswith("Error:")]
        assert len(errors) == 1 and str(folder / "pain.csv") in errors[0]
        assert "too large" in errors[0]
        assert len(server.messages) == 1  # the load's news still goes out


def test_a_diary_of_bad_rows_under_the_cap_is_a_few_lines_not_one_per_row(tmp_path):
    # 5,000 rows each with a symptom loadwatch does not know: the report names 20 and counts
    # the rest in one line (a 16 MB diary like this printed 207,792 warning lines).
    folder = story.write(tmp_path / "ann")
    rows = "".join(f"2026-10-{1 + i % 28:02d},2,inner knee,left,gradual,zzz{i},\n"
                   for i in range(5000))
    (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n" + rows)
    done = run_cli("report", folder, "--no-cache", "--as-of", "2026-11-22", timeout=120,
                   memory=1 << 30, env=env(tmp_path))
    lines = done.stderr.decode().splitlines()
    assert 20 < len(lines) < 30, lines[:5]
    assert any("4,980 more rows like these were left out" in ln for ln in lines)
