"""``loadwatch review`` through the command line: formats, words, errors, exit codes."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.verdict import patterns

AS_OF = patterns.AS_OF.isoformat()


def _team(root, names):
    for s in patterns.stories():
        if s.name in names:
            s.write(root / s.name)
    return root


def run(*args):
    return CliRunner().invoke(cli, ["review", *map(str, args), "--no-cache"],
                              catch_exceptions=False)


def test_a_runner_in_text_says_numbers_with_intervals_and_what_it_cannot_show(tmp_path):
    folder = _team(tmp_path / "team", {"spike-with-pain"}) / "spike-with-pain"
    result = run(folder, "--as-of", AS_OF, "--quiet")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "how pain followed the load level" in text
    assert "per 1,000 athlete-days (95% interval)" in text
    assert "too few" in text and "95% interval" in text
    for words in ("wide intervals", "only when it hurts", "reverse causation", "not proof"):
        assert words in text


def test_json_and_html_show_the_same_numbers(tmp_path):
    folder = _team(tmp_path / "team", {"spike-with-pain"}) / "spike-with-pain"
    doc = json.loads(run(folder, "--as-of", AS_OF, "--format", "json").stdout)
    out = tmp_path / "review.html"
    result = run(folder, "--as-of", AS_OF, "--format", "html", "--out", out)
    assert result.exit_code == 0 and out.is_file()
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert doc["rate_ratio"]["high"]["words"].replace("'", "&#39;") in page
    usual = doc["levels"]["usual"]
    assert f"<td>{usual['athlete_days']:,}</td>" in page


def test_an_athlete_without_a_diary_exits_2_naming_the_folder(tmp_path):
    folder = _team(tmp_path / "team", {"new-user"}) / "new-user"
    result = run(folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert f"{folder}: no athlete has a pain diary" in result.stderr
    assert "loadwatch pain add" in result.stderr
    assert "Traceback" not in result.output


def test_a_squad_goes_on_past_a_broken_athlete_and_names_it(tmp_path):
    team = _team(tmp_path / "team", {"spike-with-pain", "rising-pain-flat-load", "new-user"})
    broken = team / "broken"
    shutil.copytree(team / "spike-with-pain", broken)
    (broken / "loadwatch.toml").write_text("[athlete\nname = 'x'\n", encoding="utf-8")
    result = run(team, "--as-of", AS_OF, "--workers", "1")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(broken) in errors[0] and "loadwatch.toml" in errors[0]
    assert "2 athletes with a pain diary" in result.stdout
    assert "1 athlete without a pain diary was left out." in result.stdout
    assert "Mantel-Haenszel" in result.stdout


def test_bad_thresholds_are_one_line_naming_the_file(tmp_path):
    folder = _team(tmp_path / "team", {"spike-with-pain"}) / "spike-with-pain"
    (folder / "loadwatch.toml").write_text("[thresholds]\nreview_max_ci_ratio = 1\n",
                                           encoding="utf-8")
    result = run(folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "review_max_ci_ratio must be above 1" in line and "loadwatch.toml" in line
