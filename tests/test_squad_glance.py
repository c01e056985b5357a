"""The squad at a glance: the count line in every format, the coloured terminal text, the
pills, the sticky header and the phone cards of the page, the sparklines."""

import io
import json
import re
from datetime import date

import pytest
from click.testing import CliRunner

from loadwatch.cli import cli
from loadwatch.report import squad as views
from loadwatch.report import squad_table, squad_terminal
from tests import browser
from tests.test_squad import add_team

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    return add_team(tmp_path_factory.mktemp("team"))


@pytest.fixture(scope="module")
def outputs(team, tmp_path_factory):
    """The team's squad in every format, as printed by the command."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
        for fmt_ in ("text", "markdown", "json", "html"):
            result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", "2026-11-22",
                                              "--no-cache", "--workers", "2", "--format", fmt_],
                                        catch_exceptions=False)
            assert result.exit_code == 1  # the broken athlete
            out[fmt_] = result.stdout
    return out


LINE = "5 athletes: 1 to check now, 1 could not be read, 1 unknown, 2 usual"


def test_the_count_line_is_the_same_in_every_format(outputs):
    doc = json.loads(outputs["json"])
    assert doc["counts"] == {"check_now": 1, "assess_soon": 0, "high": 0, "not_read": 1,
                             "raised": 0, "unknown": 1, "usual": 2, "total": 5}
    assert sum(v for k, v in doc["counts"].items() if k != "total") == doc["counts"]["total"]
    assert outputs["text"].splitlines()[1] == LINE
    assert f"**{LINE}**" in outputs["markdown"].splitlines()
    # The page's pills end elements, which the text extraction marks with a space.
    assert LINE in browser.text_of(outputs["html"]).replace(" ,", ",")


def test_each_athlete_is_counted_once_in_the_group_that_ranks_them():
    def row(clinical, level):
        return {"athlete": "x", "clinical": {"status": clinical}, "risk": level}

    rows = [row("check_now", "high"), row("assess_soon", "usual"), row("none", "high"),
            row("none", "high"), row("none", "raised"), squad_table.error_row("b", "b", "bad")]
    counts = squad_table.counts(rows)
    assert counts == {"check_now": 1, "assess_soon": 1, "high": 2, "not_read": 1, "raised": 1,
                      "unknown": 0, "usual": 0, "total": 6}
    assert squad_table.count_line(counts) == ("6 athletes: 1 to check now, 1 to assess soon, "
                                              "2 high, 1 could not be read, 1 raised")
    assert squad_table.count_line(squad_table.counts([])) == "0 athletes."


def test_a_terminal_gets_colours_and_the_same_words(outputs):
    doc = json.loads(outputs["json"])
    buf = io.StringIO()
    squad_terminal.print_squad(doc, squad_terminal.console(buf, force=True))
    coloured = buf.getvalue()
    assert ANSI.search(coloured)
    plain = views.render_text(doc)
    assert ANSI.sub("", coloured) == plain
    # The status in its colour, the padding plain.
    assert re.search(r"\x1b\[[0-9;]+mCHECK NOW\x1b\[0m {4}", coloured)


def test_a_pipe_gets_plain_text(outputs):
    assert "\x1b" not in outputs["text"]
    # Up to the changes, which differ: the JSON run came after the text one.
    upto = outputs["text"].index(views.CHANGES_TITLE)
    assert outputs["text"][:upto] == views.render_text(json.loads(outputs["json"]))[:upto]


def test_names_with_rich_markup_are_printed_as_written():
    doc = squad_table.to_json([squad_table.error_row("[bold red]x[/] \x1b[31m", "f", "bad")],
                              as_of=date(2026, 11, 22), skipped=[])
    buf = io.StringIO()
    squad_terminal.print_squad(doc, squad_terminal.console(buf, force=True))
    plain = ANSI.sub("", buf.getvalue())
    assert "[bold red]x[/] \\x1b[31m" in plain


def test_the_command_colours_the_text_on_a_terminal(team, tmp_path, monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(squad_terminal, "console",
                        lambda file=None, force=None: squad_terminal.Console(
                            file=buf, force_terminal=True, highlight=False, soft_wrap=True,
                            emoji=False, markup=False))
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path))
    result = CliRunner().invoke(cli, ["squad", str(team), "--as-of", "2026-11-22", "--no-cache",
                                      "--workers", "1"], catch_exceptions=False)
    assert result.stdout == ""  # printed on the terminal's console instead
    assert ANSI.search(buf.getvalue()) and LINE in ANSI.sub("", buf.getvalue())


# -- the page ------------------------------------------------------------------------------

def _cell_pills(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<span class="pill ([a-z_]+)">([^<]+)</span>', page)


def test_status_and_level_are_pills_with_their_words(outputs):
    pills = _cell_pills(outputs["html"])
    # The count line's groups first, then each row's clinical status and load level.
    assert pills[:4] == [("check_now", "1 to check now"), ("not_read", "1 could not be read"),
                         ("unknown", "1 unknown"), ("usual", "2 usual")]
    rows = pills[4:]
    assert rows[:2] == [("check_now", "CHECK NOW"), ("usual", "USUAL")]  # Rita
    assert rows[2] == ("not_read", "could not be read")  # the broken athlete: no status
    assert ("unknown", "UNKNOWN") in rows


@pytest.mark.browser
def test_the_header_stays_on_top_and_a_phone_gets_cards(outputs, tmp_path):
    page = tmp_path / "squad.html"
    page.write_text(outputs["html"], encoding="utf-8")
    with browser.live_page(page, 1280, 500) as live:
        live.evaluate("window.scrollTo(0, 400)")
        top = live.evaluate("document.querySelector('#squad thead th').getBoundingClientRect().top")
        assert abs(top) < 1
    with browser.live_page(page, 390, 844) as live:
        cards = live.evaluate("Array.from(document.querySelectorAll('#squad tbody'))"
                              ".map(b => getComputedStyle(b).display)")
        assert set(cards) == {"block"} and len(cards) == 5
        assert browser.cut_cells(live) == []
        live.evaluate("window.scrollTo(0, 600)")
        top = live.evaluate("document.querySelector('#squad thead').getBoundingClientRect().top")
        assert abs(top) < 1
