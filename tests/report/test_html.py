"""The HTML report: the sections of the text report in the same order, escaped, self-contained
under a strict Content-Security-Policy, and readable in a real browser on a phone and a desktop."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from loadwatch.report import charts, html, sections
from tests import browser
from tests.report import quiet_report, sample_report

EVIL = "<script>alert('x')</script>"
VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr"}


class Page(HTMLParser):
    """The page's tags, attributes and inline style/script bodies, and whether every element
    was closed in order."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.misnested: list[str] = []
        self.bodies: dict[str, list[str]] = {"style": [], "script": []}
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.misnested.append(tag)

    def handle_data(self, data):
        if self.stack and self.stack[-1] in self.bodies:
            self.bodies[self.stack[-1]].append(data)

    def csp(self) -> dict[str, list[str]]:
        content = next(a["content"] for t, a in self.tags
                       if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        return {d.split()[0]: d.split()[1:] for d in content.split(";") if d.strip()}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def report():
    return sample_report()


@pytest.fixture(scope="module")
def chart(report):
    return charts.render_png(report)


@pytest.fixture(scope="module")
def page(report, chart):
    return html.render(report, chart)


def _evil_report() -> dict:
    report = sample_report(athlete=f"Mallory {EVIL}")
    report["flags"] = [dict(f, message=f"<img src=x onerror=alert(1)> {EVIL}", title=f"t {EVIL}",
                            advice=f"a {EVIL}", source='" onmouseover="alert(1)')
                       for f in report["flags"]]
    report["clinical"] = dict(report["clinical"], summary=f"CHECK NOW: {EVIL}")
    report["risk"] = dict(report["risk"], summary=f"HIGH: {EVIL}")
    report["next_week"] = dict(report["next_week"], lines=[f"line {EVIL}"], notes=[f"note {EVIL}"])
    episode = report["pain"]["episodes"][0]
    episode.update(summary=f"pain at the {EVIL}", location=EVIL)
    report["pain"]["patterns"]["summary"] = f"pattern {EVIL}"
    report["data_to_check"][0].update(name=f"run {EVIL}", reason=f"why {EVIL}")
    report["import"]["errors"] = [{"path": f"runs/{EVIL}.fit", "error": f"bad {EVIL}"}]
    report["import"]["warnings"] = [{"path": f"w/{EVIL}.gpx", "warning": f"odd {EVIL}"}]
    report["weeks"][-1]["week"] = EVIL
    return report


def test_is_one_well_formed_html5_document(page):
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert not parsed.misnested and not parsed.stack
    meta = [a for t, a in parsed.tags if t == "meta"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in meta
    assert {"charset": "utf-8"} in meta


def test_sections_come_in_the_order_that_matters(report, page):
    words = browser.text_of(page)
    headings = [a for t, a in Page(page).tags if t == "h2"]
    assert len(headings) == len(sections.sections(report, charts=True))
    order = ["Status", "Next week", "What drove it", "Habits worth a look",
             "Pain and the load before it", "This week against last", "Charts", "Week by week",
             "Data to check", "Files read"]
    h2 = re.findall(r'<h2 class="section">([^<]*)</h2>', page)
    assert h2 == order
    # The first-screen cards come first (they quote next week's first line); then the clinical
    # status comes before the load level, and both before everything else.
    cards = words.index(report["summary"]["todo"][-1])
    at = [words.index(x, cards) for x in (report["clinical"]["summary"], report["risk"]["summary"],
                                          report["next_week"]["lines"][0], "What drove it")]
    assert at == sorted(at)


def test_status_banners_carry_the_verdicts_words_and_a_safe_class(page, report):
    parsed = Page(page)
    banners = [a["class"] for t, a in parsed.tags if t == "p" and "banner" in a.get("class", "")]
    assert banners == ["banner tone-check_now", "banner tone-high"]
    odd = sample_report()
    odd["risk"]["level"] = 'odd" class="x'
    odd["clinical"]["status"] = "<b>"
    other = Page(html.render(odd))
    assert [a["class"] for t, a in other.tags if t == "p" and "banner" in a.get("class", "")] == [
        "banner tone-unknown", "banner tone-unknown"]


def test_next_week_lines_then_notes(report, page):
    words = browser.text_of(page)
    block = words[words.index("Next week"):words.index("What drove it")]
    items = report["next_week"]["lines"] + report["next_week"]["notes"]
    assert [block.index(x) for x in items] == sorted(block.index(x) for x in items)


def test_what_drove_it_has_the_drivers_first_and_the_recent_spikes(report, page):
    words = browser.text_of(page)
    block = words[words.index("What drove it"):words.index("Habits worth a look")]
    shown = [f for f in report["flags"] if f["kind"] == "evidence" and f["code"] != "pain_red_flag"]
    assert "drives the level" in block
    assert "Sat 21 Nov: 30.0 km against 14.0 km, 2.14x" in block  # recent_spikes
    for f in shown:
        assert f["message"] in block and f["advice"] in block and f["source"] in block
    # An evidence-led condition listed before the driver still comes after it.
    other = sample_report()
    jump = next(f for f in other["history"] if f["code"] == "weekly_distance_jump"
                and f["severity"] == "high")
    other["flags"].insert(0, dict(jump, message="Another condition.", driver=False))
    words = browser.text_of(html.render(other))
    block = words[words.index("What drove it"):words.index("Habits worth a look")]
    driver = next(f for f in other["flags"] if f["driver"])
    assert block.index(driver["message"]) < block.index("Another condition.")


def test_habits_have_their_grade_in_plain_words(report, page):
    words = browser.text_of(page)
    block = words[words.index("Habits worth a look"):words.index("Pain and the load before it")]
    assert "They do not raise the risk level on their own." in block
    for f in report["flags"]:
        if f["kind"] == "habit":
            assert f["message"] in block
    assert "Evidence: advice (consensus or coaching practice, no injury study)" in block


def test_pain_shows_the_red_flag_the_episodes_and_what_preceded_them(report, page):
    words = browser.text_of(page)
    block = words[words.index("Pain and the load before it"):words.index("This week against last")]
    assert "Red flag: Pain that needs checking" in block
    assert "What to do: Stop running on it and get it checked" in block
    for episode in report["pain"]["episodes"]:
        assert episode["summary"] in block
    second = block[block.index(report["pain"]["episodes"][1]["summary"]):]
    assert re.search(r"Conditions before it: high Run much longer than your recent longest, "
                     r"from Sat 21 Nov caution .* info No cross-training, from Wed 28 Oct", second)
    assert report["pain"]["patterns"]["summary"] in block
    assert "Last diary entry on Sun 22 Nov." in block
    # A red flag without advice still says what to do.
    bare = sample_report()
    bare["flags"][0] = dict(bare["flags"][0], advice="", message="Pop and swelling.")
    assert sections.CHECK_IT in browser.text_of(html.render(bare))


def test_the_weekly_table_has_the_longest_run_and_its_ratio(report, page):
    words = browser.text_of(page)
    assert "week km change runs longest x 30 days time on feet climb m" in words
    assert "2026-W47 71.0 +20.3% 7 30.0 2.14x 6h30 6h30" in words
    for term in ("x 30 days: the week's longest run", "monotony: how alike",
                 "load ratio (acute:chronic): the load of the last 7 days"):
        assert term in words


def test_the_chart_is_embedded_as_a_data_uri(chart, page):
    images = [a for t, a in Page(page).tags if t == "img"]
    assert len(images) == 1
    prefix = "data:image/png;base64,"
    assert images[0]["src"].startswith(prefix)
    assert base64.b64decode(images[0]["src"][len(prefix):]) == chart
    assert "Training load charts for" in images[0]["alt"]


def test_without_a_chart_there_is_no_image_and_no_charts_heading(report):
    page = html.render(report)
    assert "<img" not in page and ">Charts</h2>" not in page


def test_nothing_is_loaded_and_inline_style_is_allowed_by_its_hash_only(page):
    parsed = Page(page)
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "link", "iframe", "object", "embed", "base", "form"}
        assert "style" not in attrs  # a style attribute would need 'unsafe-inline'
        for name in ("src", "href", "srcset", "action", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith(("data:image/png;base64,", "#"))
    assert not re.search(r"https?://", page)
    assert "url(" not in page and "@import" not in page
    csp = parsed.csp()
    (style,) = parsed.bodies["style"]
    assert csp["default-src"] == ["'none'"] and csp["img-src"] == ["data:"]
    assert csp["style-src"] == [sha256(style)] and csp["script-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(csp)
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]


def test_everything_from_files_is_escaped():
    page = html.render(_evil_report(), charts.render_small_png(sample_report()))
    parsed = Page(page)
    assert not [t for t, _ in parsed.tags if t == "script"]
    assert [a["src"][:22] for t, a in parsed.tags if t == "img"] == ["data:image/png;base64,"]
    for _, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")]
    assert "<script" not in page and "<img src=x" not in page
    words = browser.text_of(page)
    # Name, status, next week, messages, titles, advice, pain, data to check, import, weeks.
    assert words.count(EVIL) >= 20
    for text in (f"line {EVIL}", f"note {EVIL}", f"why {EVIL}", f"bad {EVIL}", f"odd {EVIL}",
                 f"pattern {EVIL}", f"CHECK NOW: {EVIL}", f"HIGH: {EVIL}"):
        assert text in words
    assert 'onmouseover="alert(1)' not in page
    assert "<title>loadwatch report: Mallory &lt;script&gt;" in page


def test_a_quiet_week_says_so_and_how_to_start_a_diary():
    page = html.render(quiet_report())
    words = browser.text_of(page)
    assert 'class="banner tone-usual"' in page and "USUAL: no run much longer" in words
    assert sections.NO_EVIDENCE in words and sections.NO_HABITS in words
    assert "No pain diary: loadwatch cannot tell how your knee feels" in words
    assert "loadwatch pain add" in words
    assert "redflag" not in page.split("</style>")[1] and "Data to check" not in words


def test_layout_rules_for_phones_and_print(page):
    (css,) = Page(page).bodies["style"]
    assert "@media (max-width: 48rem)" in css and "content: attr(data-label)" in css
    assert "@media print" in css and "break-inside: avoid" in css
    # Every cell of the stacked weekly table names its column.
    cells = [a for t, a in Page(page).tags if t == "td" and "data-label" in a]
    assert {"week", "longest", "x 30 days", "load ratio"} <= {a["data-label"] for a in cells}


def test_the_mail_template_renders_the_leads_context():
    mail = html.render_mail({
        "title": f"loadwatch: {EVIL}", "intro": ["Something new."],
        "athletes": [{"name": f"Rita {EVIL}",
                      "status": [{"label": "Clinical", "text": "CHECK NOW: a pop", "tone": "check_now"},
                                 {"label": "Load risk", "text": "USUAL", "tone": 'x" onload="'}],
                      "blocks": [{"heading": "What is new", "lines": [f"pain {EVIL}"]},
                                 {"heading": "Next week", "lines": ["No running."]}],
                      "chart_cid": "chart-1@loadwatch"}],
        "footer": ["loadwatch does not diagnose."]})
    parsed = Page(mail)
    assert not parsed.misnested and "<script" not in mail
    assert [a["src"] for t, a in parsed.tags if t == "img"] == ["cid:chart-1@loadwatch"]
    assert [a["class"] for t, a in parsed.tags if t == "p" and "banner" in a.get("class", "")] == [
        "banner tone-check_now", "banner tone-unknown"]
    words = browser.text_of(mail)
    assert f"Rita {EVIL}" in words and f"pain {EVIL}" in words
    assert words.index("CHECK NOW") < words.index("USUAL") < words.index("What is new")
    without = html.render_mail({"title": "t", "athletes": [{"name": "A", "status": [],
                                                               "blocks": []}]})
    assert "<img" not in without


@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390], ids=["desktop", "phone"])
def test_no_table_cell_is_cut_off_in_chromium(page, tmp_path, width):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    with browser.live_page(path, width) as live:
        assert browser.cut_cells(live) == []
        assert live.console_errors == []  # no CSP violation: style and image load
        assert live.evaluate("document.querySelector('img.chart').naturalWidth") > 500
        banner = live.evaluate("getComputedStyle(document.querySelector('.banner'))"
                               ".backgroundColor")
        assert banner == "rgb(179, 38, 30)"  # the stylesheet applied under the CSP


@pytest.mark.browser
@pytest.mark.parametrize("size", [browser.PHONE, browser.DESKTOP], ids=["phone", "desktop"])
def test_renders_in_chromium(report, page, tmp_path, size):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    words = browser.render(path, shot, *size)
    assert browser.distinct_colours(shot) > 100  # text, banners, badges: not a blank page
    assert words.index("CHECK NOW") < words.index("HIGH: a run more than twice")
    for f in report["flags"]:
        assert f["message"] in words


@pytest.mark.browser
def test_chromium_draws_the_embedded_chart(report, page, tmp_path):
    with_chart, without = tmp_path / "with.html", tmp_path / "without.html"
    with_chart.write_text(page, encoding="utf-8")
    without.write_text(html.render(report), encoding="utf-8")
    vermillion = (0xD5, 0x5E, 0x00)  # the chart's high-flag bars; the page's CSS has no such colour
    shown = browser.colour_share(browser.screenshot(with_chart, tmp_path / "a.png",
                                                    height=9000), vermillion)
    absent = browser.colour_share(browser.screenshot(without, tmp_path / "b.png",
                                                     height=9000), vermillion)
    assert shown > 0.001 and absent == 0


@pytest.mark.browser
def test_chromium_shows_file_text_as_text(tmp_path):
    path = tmp_path / "evil.html"
    path.write_text(html.render(_evil_report()), encoding="utf-8")
    dom = browser.rendered_dom(path)
    assert "<script" not in dom.split("</style>")[1]
    assert f"Mallory {EVIL}" in browser.text_of(dom)


def test_visible_text_leaves_out_head_style_and_hidden_elements():
    dom = ("<html><head><title>t</title><style>p{}</style></head><body><p>shown &amp; "
           "read</p><div hidden><p>gone</p></div><img src='data:,'><p>last</p></body></html>")
    assert browser.text_of(dom) == "shown & read last"


@pytest.mark.browser
def test_the_cut_cell_check_sees_a_table_too_wide_for_a_phone(tmp_path):
    path = tmp_path / "wide.html"
    cells = "".join(f"<td>column-{i}-wide-text</td>" for i in range(12))
    path.write_text("<!DOCTYPE html><meta name='viewport' content='width=device-width'>"
                    "<div style='overflow-x:auto'><table><tr>" + cells.replace("<td>", "<td nowrap>")
                    + "</tr></table></div>", encoding="utf-8")
    with browser.live_page(path, 390) as live:
        cut = browser.cut_cells(live)
    assert any("clipped by a scrolling div" in c for c in cut)


def test_every_template_file_ships_as_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["loadwatch.report"]
    files = [p.name for p in (root / "loadwatch" / "report" / "templates").iterdir()]
    assert {"base.html.j2", "report.html.j2", "squad.html.j2", "mail.html.j2", "style.css",
            "squad.js"} <= set(files)
    for name in files:
        assert any(fnmatch.fnmatch(f"templates/{name}", p) for p in patterns), name
