"""The HTML report: the text report's content and order, escaped, self-contained, and readable
in a real browser on a phone and a desktop."""

import base64
import re
from html.parser import HTMLParser

import pytest

from loadwatch.report import charts, fmt, html, text
from tests import browser
from tests.report import quiet_report, sample_report

EVIL = "<script>alert('x')</script>"
VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr"}


class Page(HTMLParser):
    """The page's tags and attributes, and whether every element was closed in order."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.misnested: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.misnested.append(tag)



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
    red, *rest = report["active_flags"]
    report["active_flags"] = [dict(red, message=f"red {EVIL}"),
                              dict(rest[0], message=f"<img src=x onerror=alert(1)> {EVIL}",
                                   title=f"t {EVIL}", advice=f"a {EVIL}",
                                   source='" onmouseover="alert(1)'), *rest[1:]]
    report["flags"] = [dict(f, title=f"{f['title']} {EVIL}") for f in report["flags"]]
    episode = report["pain"]["episodes"][0]
    episode.update(summary=f"pain at the {EVIL}", location=EVIL)
    report["pain"]["patterns"]["summary"] = f"pattern {EVIL}"
    report["import"]["errors"] = [{"path": f"runs/{EVIL}.fit", "error": f"bad {EVIL}"}]
    report["weeks"][-1]["week"] = EVIL
    return report


def test_is_one_well_formed_html5_document(page):
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert not parsed.misnested and not parsed.stack
    meta = [a for t, a in parsed.tags if t == "meta"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in meta
    assert {"charset": "utf-8"} in meta


def test_same_content_and_order_as_the_text_report(report, page):
    words = browser.text_of(page)
    marks = ["Risk: HIGH", "Red flag: Pain that needs checking", "This week against last week",
             "Active flags", "Pain and the load before it", "Charts", "Last 16 weeks",
             fmt.import_line(report), fmt.DISCLAIMER]
    positions = [words.index(m) for m in marks]
    assert positions == sorted(positions)
    # The text report has the same sections in the same order.
    plain = re.sub(r"\s+", " ", text.render(report))
    in_text = [m for m in marks if m in plain]
    assert [plain.index(m) for m in in_text] == sorted(plain.index(m) for m in in_text)
    assert len(in_text) >= 6


def test_red_flag_comes_first_and_says_get_it_checked(report, page):
    words = browser.text_of(page)
    red = report["active_flags"][0]
    assert red["code"] == "pain_red_flag"
    assert words.index(red["message"]) < words.index("This week against last week")
    assert "What to do: Stop running on it and get it checked by a sports physical therapist " \
           "or doctor." in words
    # Without advice in the dict, the instruction is still there.
    bare = sample_report()
    bare["active_flags"][0] = dict(bare["active_flags"][0], advice="", message="Pop and swelling.")
    assert html.CHECK_IT in browser.text_of(html.render(bare))


def test_every_active_flag_has_message_evidence_and_advice(report, page):
    words = browser.text_of(page)
    for f in report["active_flags"][1:]:
        assert f["message"] in words and f["advice"] in words
        assert f"Evidence: {f['evidence']}; {f['source']}" in words
    flags_at = [words.index(f["message"]) for f in report["active_flags"]]
    assert flags_at == sorted(flags_at)  # the report's order: worst and best evidenced first
    assert "Mon 16 Nov to Sun 22 Nov" in words  # a flag that still holds shows its days


def test_tables_reuse_the_shared_rows(report, page):
    words = browser.text_of(page)
    for label, this, last in fmt.comparison_rows(report):
        assert f"{label} {this} {last}" in words
    header, rows = fmt.week_rows(report)
    assert " ".join(header) in words
    for row in rows:
        assert " ".join(row) in words
    assert fmt.streak_line(report) in words


def test_pain_episodes_show_what_preceded_them(report, page):
    words = browser.text_of(page)
    for episode in report["pain"]["episodes"]:
        assert episode["summary"] in words
    assert report["pain"]["patterns"]["summary"] in words
    # The second episode: the high spike first, then the caution flags, info last.
    second = words[words.index(report["pain"]["episodes"][1]["summary"]):]
    assert re.search(r"Flags raised before it: high Run much longer than your recent longest, "
                     r"last Sat 21 Nov caution .* info No cross-training, last Wed 28 Oct", second)


def test_the_chart_is_embedded_as_a_data_uri(chart, page):
    images = [a for t, a in Page(page).tags if t == "img"]
    assert len(images) == 1
    prefix = "data:image/png;base64,"
    assert images[0]["src"].startswith(prefix)
    assert base64.b64decode(images[0]["src"][len(prefix):]) == chart
    assert "Training load charts for" in images[0]["alt"]


def test_without_a_chart_there_is_no_image_and_no_charts_heading(report):
    page = html.render(report)
    assert "<img" not in page and "<h2>Charts</h2>" not in page


def test_nothing_is_loaded_from_anywhere(page):
    parsed = Page(page)
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "link", "iframe", "object", "embed", "base", "form"}
        for name in ("src", "href", "srcset", "action", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith(("data:image/png;base64,", "#"))
    assert not re.search(r"https?://", page)
    assert "url(" not in page and "@import" not in page
    csp = next(a["content"] for t, a in parsed.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "img-src data:" in csp


def test_everything_from_files_is_escaped():
    page = html.render(_evil_report(), charts.render_small_png(sample_report()))
    parsed = Page(page)
    assert not [t for t, _ in parsed.tags if t == "script"]
    assert [a["src"][:22] for t, a in parsed.tags if t == "img"] == ["data:image/png;base64,"]
    for _, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")]
    assert "<script" not in page and "<img src=x" not in page
    # The text arrives as text: name, messages, titles, advice, pain, import errors, weeks.
    assert browser.text_of(page).count(EVIL) >= 9
    assert 'onmouseover="alert(1)' not in page
    assert "<title>loadwatch report: Mallory &lt;script&gt;" in page


def test_unknown_levels_and_severities_get_a_neutral_look():
    report = sample_report()
    report["risk"]["level"] = 'odd" class="x'
    report["active_flags"][1] = dict(report["active_flags"][1], severity='worse"><b>')
    page = html.render(report)
    assert 'class="risk risk-unknown"' in page and 'class="flag unknown"' in page
    assert 'worse"><b>' not in page and "Risk: ODD&quot; CLASS=&quot;X" in page


def test_a_quiet_week_says_so():
    page = html.render(quiet_report())
    words = browser.text_of(page)
    assert 'class="risk risk-low"' in page and "Risk: LOW" in words
    assert "No active flags: nothing in the last 7 days crossed a threshold." in words
    assert "Pain and the load before it" not in words and "redflag" not in page.split("</style>")[1]


def test_phone_and_print_layout_rules_are_present(page):
    css = page[page.index("<style>"):page.index("</style>")]
    assert ".table-wrap { overflow-x: auto;" in css and "img.chart { display: block; max-width: 100%" in css
    assert "@media print" in css and "break-inside: avoid" in css
    assert page.count('class="table-wrap"') == 2  # both tables scroll sideways on a phone


def test_athlete_section_and_page_for_the_squad(report):
    section = html.athlete_section(report, None, 'athlete-"x"')
    assert section.startswith('<section class="athlete" id="athlete-&quot;x&quot;">')
    assert section.rstrip().endswith("</section>")
    doc = html.page("Squad <b>", section + section)
    assert "<title>Squad &lt;b&gt;</title>" in doc and doc.count("<section") == 2
    assert not Page(doc).misnested


@pytest.mark.browser
@pytest.mark.parametrize("size", [browser.PHONE, browser.DESKTOP], ids=["phone", "desktop"])
def test_renders_in_chromium(report, page, tmp_path, size):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    words = browser.render(path, shot, *size)
    assert browser.distinct_colours(shot) > 100  # text, banner, badges: not a blank page
    assert "Risk: HIGH: a strong overload signal" in words
    for f in report["active_flags"]:
        assert f["message"] in words
    assert words.index(report["active_flags"][0]["message"]) < words.index("Active flags")
    assert "Stop running on it and get it checked by a sports physical therapist" in words


@pytest.mark.browser
def test_chromium_draws_the_embedded_chart(report, page, tmp_path):
    with_chart, without = tmp_path / "with.html", tmp_path / "without.html"
    with_chart.write_text(page, encoding="utf-8")
    without.write_text(html.render(report), encoding="utf-8")
    vermillion = (0xD5, 0x5E, 0x00)  # the chart's high-flag bars; the page's CSS has no such colour
    shown = browser.colour_share(browser.screenshot(with_chart, tmp_path / "a.png"), vermillion)
    absent = browser.colour_share(browser.screenshot(without, tmp_path / "b.png"), vermillion)
    assert shown > 0.002 and absent == 0


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
