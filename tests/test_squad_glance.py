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


# -- the sparklines -------------------------------------------------------------------------

def _sparks(page: str) -> list[str]:
    return re.findall(r'<svg class="spark".*?</svg>', page)


def test_each_reported_athlete_has_a_sparkline_that_says_what_it_shows(outputs):
    doc = json.loads(outputs["json"])
    olga = next(a for a in doc["athletes"] if a["athlete"] == "Olga")
    sparks = _sparks(outputs["html"])
    assert len(sparks) == len(doc["athletes"]) == 4  # the broken athlete has none
    (body,) = [b for b in re.findall(r"<tbody.*?</tbody>", outputs["html"], flags=re.S)
               if ">Olga</a>" in b]
    (svg,) = _sparks(body)
    label = re.search(r'aria-label="([^"]+)"', svg)[1]
    assert re.search(r"<title>([^<]+)</title>", svg)[1] == label
    # Olga's 8 weeks (story.py): the least of them 33.0 km, the most this week's 102.0 km, the
    # number the row's "this week" quotes.
    assert olga["this_week"]["run_distance"] == 102.0
    assert label.startswith("Weekly running distance, 8 weeks from ")
    assert label.endswith(" to 22 Nov: 33.0 to 102.0 km; this week 102.0 km")
    # The scale's labels on the chart itself: the most, the least, the weeks covered.
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert texts[:2] == ["102.0 km", "33.0 km"] and texts[-1] == "this week"
    assert int(re.search(r'font-size="(\d+)"', svg)[1]) >= 11
    assert "style=" not in svg  # allowed by the page's Content-Security-Policy


def test_a_week_in_progress_is_dashed_and_said_so_far():
    from loadwatch.report import sparkline
    from tests.report import sample_report

    report = sample_report()
    weeks = [dict(w) for w in report["weeks"]]
    weeks[-1].update(complete=False, days=3, run_distance=12.34)
    report = dict(report, weeks=weeks)
    spark = sparkline.sparkline(report)
    assert spark.label.endswith(f"; this week so far (3 days) 12.3 {report['units']}")
    assert 'stroke-dasharray="3 2"' in spark.svg
    flat = dict(report, weeks=[dict(w, run_distance=20.0, complete=True) for w in weeks])
    assert ": 20.0 km every week; this week 20.0 km" in sparkline.sparkline(flat).label
    assert sparkline.sparkline(dict(report, weeks=[])) is None


def test_the_squad_page_draws_without_matplotlib(outputs, tmp_path):
    """1,000 small PNGs took seconds of matplotlib; the sparklines are text."""
    import subprocess
    import sys

    doc = tmp_path / "doc.json"
    doc.write_text(outputs["json"], encoding="utf-8")
    code = ("import json, sys; from loadwatch.report import squad as v; "
            f"v.render_html(json.load(open({str(doc)!r}))); "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.browser
def test_the_sparklines_text_is_readable_on_a_phone(outputs, tmp_path):
    page = tmp_path / "squad.html"
    page.write_text(outputs["html"], encoding="utf-8")
    with browser.live_page(page, 390, 844) as live:
        sizes = live.evaluate("Array.from(document.querySelectorAll('svg.spark text'))"
                              ".map(t => t.getBoundingClientRect().height)")
        assert sizes and min(sizes) >= 10  # the glyph box of 11 px text
        fonts = live.evaluate("Array.from(document.querySelectorAll('svg.spark text'))"
                              ".map(t => parseFloat(getComputedStyle(t).fontSize))")
        assert min(fonts) >= 11
        assert browser.cut_cells(live) == []


def test_a_small_wobble_stays_small_and_its_labels_apart():
    """34 and 35 km weeks: the scale starts at half the most, so the line stays near the top."""
    from loadwatch.report import sparkline
    from tests.report import sample_report

    report = sample_report()
    weeks = [dict(w, run_distance=34.0 + i % 2, complete=True)
             for i, w in enumerate(report["weeks"])]
    svg = str(sparkline.sparkline(dict(report, weeks=weeks)).svg)
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert max(ys) - min(ys) < 0.1 * (sparkline.BOTTOM - sparkline.TOP)
    label_ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end"',
                                             svg)][:2]
    assert label_ys[1] - label_ys[0] >= sparkline.FONT_PX


def test_each_athletes_report_on_the_page_opens_with_its_cards_and_folds_the_rest(outputs):
    """A coach with 40 athletes on a phone scrolls their cards, not 40 whole reports (some 5,500
    CSS px each at 390 px when every section was shown open)."""
    page = outputs["html"]
    reports = re.findall(r'<section class="athlete" id="[^"]+">(.*?)</section>\s*(?=<section '
                         r'class="athlete"|</main>|$)', page, re.S)
    assert len(reports) == 4  # every athlete but the one whose files could not be read
    for report in reports:
        name = re.search(r'<h2 class="athlete-name">(.*?)</h2>', report).group(1)
        glance, first_section = (report.index(f'aria-label="{name} at a glance"'),
                                 report.index("<details"))
        assert glance < first_section
        assert re.findall(r'<details[^>]*\bopen\b', report) == []
        assert 'data-card="clinical"' in report and 'data-card="next_week"' in report
