"""Issue 17: text from files and people is escaped in every listing (ignore --list, import)."""

from __future__ import annotations

from tests import story
from tests.hostile.helpers import gpx, invoke


def test_ignore_list_escapes_the_reason_and_the_id(tmp_path):
    folder = story.write(tmp_path / "ann")
    (folder / "loadwatch.toml").write_text(
        '[activities]\nignore = [{id = "strava:1\\u001b[2J", '
        'reason = "car\\u001b]0;pwned\\u0007\\u001b[2J\\nconfirmed  strava:2"}]\n')
    result = invoke("ignore", "--list", "--athlete", folder)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ignored    strava:1\\x1b[2J")
    assert "car\\x1b]0;pwned\\x07\\x1b[2J\\nconfirmed  strava:2" in lines[0]


def test_a_newline_in_a_file_name_cannot_forge_a_duplicates_line(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    (folder / "b\nFailed:\n  forged.gpx").write_bytes(gpx("2026-11-10T07:00:00Z", "Tuesday run"))
    result = invoke("import", folder, "--no-cache")
    assert "Duplicates (second recordings of one activity):" in result.output, result.output
    assert "\n  forged.gpx" not in result.output and "\nFailed:" not in result.output
    assert "b\\nFailed:\\n  forged.gpx" in result.output


def test_config_show_keeps_a_path_with_a_newline_on_one_line(tmp_path):
    folder = tmp_path / "ann\n[smtp]\nhost = \"evil\""
    story.write(folder)
    result = invoke("config", "show", folder)
    assert result.exit_code == 0, result.output
    assert "\nhost = \"evil\"" not in result.output
    assert "ann\\n[smtp]\\nhost" in result.output
