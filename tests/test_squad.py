"""The coach's triage: ranking, the columns in the coach's words, broken athletes, skipped folders,
formats (text, Markdown, JSON, CSV, HTML), and what changed since the last squad report."""

import csv
import io
import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from loadwatch import squad, squad_state
from loadwatch.cli import cli
from loadwatch.report import html, squad_table
from loadwatch.report import squad as views
from tests import browser, story

EVIL = "<script>alert('x')</script>"


def add_team(root):
    story.write(root / "overreacher", toml='[athlete]\nname = "Olga"\ntimezone = "Europe/Oslo"\n')
    story.write(root / "strict", toml='[athlete]\nname = "Sam"\n[thresholds]\nstreak_high_days = 10\n')
    calm = story.write(root / "calm", pain=False, toml='[athlete]\nname = "Cal"\n')
    # Cal's data stops before the build-up: nothing recent, stale, level unknown.
    lines = (calm / "activities.csv").read_text().splitlines(keepends=True)
    (calm / "activities.csv").write_text("".join(lines[:40]))
    red = story.write(root / "red", toml='[athlete]\nname = "Rita"\n')
    with open(red / "pain.csv", "a") as fh:
        fh.write("2026-11-20,7,inner knee,right,sudden,pop;swelling;giving_way,twisted on a root\n")
    broken = story.write(root / "broken")
    (broken / "loadwatch.toml").write_text("[athlete]\nunits = 'furlongs'\n")
    (root / "empty").mkdir()
    (root / "notes").mkdir()
    (root / "notes" / "plan.txt").write_text("not an athlete")
    return root


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    return add_team(tmp_path_factory.mktemp("team"))


def run(team, *args, as_of="2026-11-22"):
    return CliRunner().invoke(cli, ["squad", str(team), "--as-of", as_of, "--no-cache",
                                    "--workers", "2", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def doc(team, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
        result = run(team, "--format", "json")
    assert result.exit_code == 1  # one athlete is broken
    return json.loads(result.stdout)


def test_ranking_and_json(doc):
    assert doc["schema"] == "loadwatch/squad-v3" and doc["as_of"] == "2026-11-22"
    assert doc["columns"] == squad_table.COLUMNS
    rows = squad_table.table_rows(doc)
    names = [r["athlete"] for r in rows]
    # Rita's unassessed red flag first; the broken athlete after the highs (none here), so
    # next; Cal stopped uploading (unknown) before the usual ones.
    assert names[0] == "Rita" and names[1] == "broken" and names[2] == "Cal"
    assert set(names[3:]) == {"Sam", "Olga"}
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    risks = {a["athlete"]: a["risk"] for a in doc["athletes"]}
    assert risks == {"Rita": "usual", "Sam": "usual", "Olga": "usual", "Cal": "unknown"}
    rita = doc["athletes"][0]
    assert rita["clinical"]["status"] == "check_now"
    assert rita["reason"].startswith("red flag in the pain diary on Fri 20 Nov (a pop")
    assert rita["reason"].endswith("not assessed yet; ran 2 times since")
    assert rita["longest_run"] == {"this_week": 30.0, "ceiling": None, "plan": "stop"}
    olga = next(a for a in doc["athletes"] if a["athlete"] == "Olga")
    # Hand-checked (story.py): W47 102 km; the 4 weeks before: 60, 80, 90 (W44-W46) and 45.
    assert olga["this_week"]["run_distance"] == 102.0
    assert olga["this_week"]["four_week_mean"] == pytest.approx((45 + 60 + 80 + 90) / 4)
    assert olga["longest_run"] == {"this_week": 30.0, "ceiling": 33.0, "plan": "hold"}
    assert olga["pain"] == {"now": 5, "now_date": "2026-11-21", "trend": "rising",
                            "weekly_peaks": [None, 2, 5]}
    assert olga["diary"] == {"kind": "pain", "last_entry": "2026-11-21"}
    assert olga["last_activity"] == {"date": "2026-11-22", "days_ago": 0, "stale": False}
    cal = next(a for a in doc["athletes"] if a["athlete"] == "Cal")
    assert cal["last_activity"]["stale"] and cal["last_activity"]["days_ago"] > 10
    assert cal["reason"].startswith(f"no activity for {cal['last_activity']['days_ago']} days")
    assert cal["diary"]["kind"] == "none"
    assert set(olga) >= {"athlete", "risk", "drivers", "this_week", "pain", "import", "conditions"}
    (error,) = doc["errors"]
    assert error["folder"].endswith("broken") and "athlete.units" in error["error"]
    assert {s["folder"] for s in doc["skipped"]} == {"empty", "notes"}
    assert doc["changes"]["since"] is None  # the first report of this squad


def test_ranking_puts_clinical_status_first_then_the_level():
    def row(name, clinical, level):
        return {"athlete": name, "clinical": {"status": clinical}, "risk": level,
                "_strength": (0, 0, 0.0), "conditions_shown": 1}

    rows = [row("usual", "none", "usual"), row("unknown", "none", "unknown"),
            row("raised", "none", "raised"), row("high", "none", "high"),
            squad_table.error_row("broken", "x", "bad"), row("soon", "assess_soon", "usual"),
            row("now", "check_now", "usual"), row("soon-high", "assess_soon", "high")]
    assert [r["athlete"] for r in squad_table.rank(rows)] == [
        "now", "soon-high", "soon", "high", "broken", "raised", "unknown", "usual"]


def test_the_columns_speak_of_the_athlete_never_to_them(team, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path))
    for fmt_ in ("text", "markdown", "csv"):
        out = run(team, "--format", fmt_).stdout
        assert not re.search(r"\b(you|your)\b", out, flags=re.I), fmt_
    out = run(team).stdout
    assert "last activity: today" in out and "stale" in out
    assert "this week: 102.0 km (4-week average 68.8 km, +48%)" in out
    assert "longest run: 30.0 km; ceiling 33.0 km" in out
    assert "no running until checked" in out


def test_coach_words_for_a_spike_name_the_ratio_and_the_day():
    f = {"code": "long_run_spike", "value": 2.144, "latest": 2.144, "start": "2026-11-15",
         "last_date": "2026-11-15", "title": "t"}
    assert squad_table.coach_words(f) == "ran 2.14x the longest of the month before on Sun 15 Nov"


def test_text_lists_everyone_most_urgent_first(team, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path))
    result = run(team)
    out = result.stdout
    assert out.index("Rita") < out.index("broken") < out.index("Cal") < min(out.index("Sam"),
                                                                             out.index("Olga"))
    assert "ERROR" in out and "skipped: empty" in out
    assert "athlete.units" in result.stderr


def test_markdown_has_every_column(team, tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path))
    out = run(team, "--format", "markdown").stdout
    assert "| " + " | ".join(squad_table.COLUMNS) + " |" in out and "Rita" in out
    assert "## Changed since the last squad report" in out


def test_csv_is_safe_for_spreadsheets(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    names = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)"]
    for i, name in enumerate(names):
        story.write(tmp_path / "team" / f"a{i}", toml=f"[athlete]\nname = '{name}'\n")
    result = run(tmp_path / "team", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["athlete"] for r in rows) == sorted("'" + n for n in names)
    assert list(rows[0]) == views.CSV_COLUMNS
    # Numbers stay numbers, a negative one included.
    assert rows[0]["this_week_distance"] == "102.0" and rows[0]["days_since_activity"] == "0"
    doc = {"athletes": [], "skipped": [], "errors": [
        dict(squad_table.error_row("=cmd|' /C calc'!A0", "f", "-bad"), rank=1)]}
    (row,) = list(csv.DictReader(io.StringIO(views.render_csv(doc))))
    assert row["athlete"] == "'=cmd|' /C calc'!A0" and row["error"] == "'-bad"


def test_changes_since_the_last_squad_report(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    team = tmp_path / "team"
    story.write(team / "olga", toml='[athlete]\nname = "Olga"\n')
    red = story.write(team / "rita", toml='[athlete]\nname = "Rita"\n')
    first = json.loads(run(team, "--format", "json", as_of="2026-11-15").stdout)
    assert first["changes"] == {"since": None, "athletes": [], "error": None}
    with open(red / "pain.csv", "a") as fh:
        fh.write("2026-11-20,7,inner knee,right,sudden,pop;swelling,twisted on a root\n")
    story.write(team / "new", toml='[athlete]\nname = "Nina"\n')
    second = json.loads(run(team, "--format", "json", as_of="2026-11-22").stdout)
    changes = second["changes"]
    assert changes["since"] == "2026-11-15" and changes["error"] is None
    by = {c["athlete"]: c for c in changes["athletes"]}
    assert by["Nina"] == {"athlete": "Nina", "folder": "new", "joined": True}
    rita = by["Rita"]
    assert rita["clinical"] == ["none", "check_now"]
    assert rita["level"] == ["raised", "usual"]  # the 1.5x run of Sun 8 Nov is 14 days back
    new = {c["key"] for c in rita["new"]}
    assert {"pain_red_flag:2026-11-20", "run_streak:2026-11-16"} <= new
    resolved = {c["key"]: c["words"] for c in rita["resolved"]}
    assert resolved["long_run_spike:2026-11-08"] == (
        "ran 1.50x the longest of the month before on Sun 8 Nov")
    # The same report again: nothing changed, and the text says so.
    text = run(team, as_of="2026-11-22").stdout
    assert "Nothing changed since the last squad report (as of Sun 22 Nov)." in text
    # Each squad folder keeps its own state.
    other = tmp_path / "other"
    story.write(other / "olga", toml='[athlete]\nname = "Olga"\n')
    assert json.loads(run(other, "--format", "json").stdout)["changes"]["since"] is None
    conn = sqlite3.connect(tmp_path / "state" / squad_state.DB_NAME)
    assert conn.execute("SELECT count(*) FROM reports").fetchone() == (2,)


def test_an_escalation_is_the_same_condition_worse():
    before = {"a": squad_state.AthleteState("A", "none", "raised", {
        "long_run_spike:2026-11-15": {"severity": "caution", "words": "w"}})}
    now = {"a": squad_state.AthleteState("A", "none", "high", {
        "long_run_spike:2026-11-15": {"severity": "high", "words": "w2"}})}
    (change,) = squad_state.changes(before, now)
    assert change["level"] == ["raised", "high"] and "new" not in change
    assert change["escalated"] == [{"severity": "high", "words": "w2", "from": "caution",
                                    "key": "long_run_spike:2026-11-15"}]
    assert squad_state.changes(now, now) == []
    (gone,) = squad_state.changes(now, {})
    assert gone == {"athlete": "A", "folder": "a", "left": True}


def test_a_damaged_state_is_moved_aside_and_an_unusable_one_costs_only_the_changes(
        team, tmp_path, monkeypatch):
    state = tmp_path / "state"
    state.mkdir()
    (state / squad_state.DB_NAME).write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv("LOADWATCH_STATE", str(state))
    result = run(team, "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and doc["athletes"]  # the broken athlete, as before
    assert "moved to squads.sqlite.damaged-" in doc["changes"]["error"]
    assert len(list(state.glob("squads.sqlite.damaged-*"))) == 1
    assert json.loads(run(team, "--format", "json").stdout)["changes"]["since"] == "2026-11-22"
    # A state folder that is a file: the report goes on, the changes say why they are missing.
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("LOADWATCH_STATE", str(blocked))
    result = run(team)
    assert result.exit_code == 1 and "Rita" in result.stdout
    assert "Warning: changes since the last squad report unavailable" in result.stderr
    assert "Traceback" not in result.output


def test_a_squad_equals_its_athletes_alone(team):
    from datetime import date

    from loadwatch.assessment import assess, load
    from loadwatch.report.build import of_verdict

    result = squad.run(team, as_of=None, cache_dir=None, workers=1)
    together = {a.name: a.report for a in result.athletes if a.report}
    athlete = load([team / "overreacher"])
    alone = of_verdict(assess(athlete, as_of=date.fromisoformat(together["Olga"]["as_of"]))).report
    assert together["Olga"]["risk"] == alone["risk"] and together["Olga"]["weeks"] == alone["weeks"]


def test_the_progress_bar_counts_every_athlete(team):
    seen = []

    class Bar:
        def __init__(self, total):
            seen.append(("total", total))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            seen.append(("update", n))

    result = squad.run(team, as_of=None, cache_dir=None, workers=2, progress=Bar)
    assert seen[0] == ("total", 5) and seen[1:] == [("update", 1)] * 5
    assert len(result.athletes) == 5


def test_no_athletes_is_exit_2(tmp_path):
    (tmp_path / "nobody").mkdir()
    result = CliRunner().invoke(cli, ["squad", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2 and "no athlete folders" in result.stderr


# -- the page ------------------------------------------------------------------------------

class Tags(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self._in = [], [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)


@pytest.fixture(scope="module")
def page(team, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "squad.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOADWATCH_STATE", str(tmp_path_factory.mktemp("state")))
        result = run(team, "--format", "html", "--out", str(out))
    assert result.exit_code == 1  # the broken athlete
    return out


def test_the_triage_table_is_the_pages_first_table(page):
    text = page.read_text(encoding="utf-8")
    first = text.index("<table")
    assert text[first:].startswith('<table id="squad" class="squad stack">')
    assert text.index('<section class="athlete"') > text.index("</table>")
    header = re.findall(r"<th scope=\"col\"[^>]*>([^<]*)</th>", text[first:text.index("</thead>")])
    assert header == squad_table.COLUMNS[:-1]  # the top reason has a row of its own
    # A sparkline per reported athlete, inline SVG (no matplotlib PNG any more).
    assert text.count('<svg class="spark" role="img"') == 4
    assert "data:image/png;base64," not in text
    assert 'href="#athlete-rita"' in text and 'id="athlete-rita"' in text


def test_the_page_is_self_contained_and_its_script_allowed_by_its_hash(page):
    text = page.read_text(encoding="utf-8")
    parsed = Tags(text)
    (script,) = parsed.scripts
    assert script == html.asset("squad.js")
    csp = next(a["content"] for t, a in parsed.tags if a.get("http-equiv") ==
               "Content-Security-Policy")
    assert f"script-src {html.sha256_source(script)}" in csp and "'unsafe-inline'" not in csp
    assert "default-src 'none'" in csp
    for tag, attrs in parsed.tags:
        assert tag not in {"link", "iframe", "object", "embed", "base", "form"}
        assert not [n for n in attrs if n.startswith("on")] and "style" not in attrs
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", text)


def test_everything_from_files_is_escaped_on_the_page():
    row = squad_table.row(f"Mallory {EVIL}", "f", _report_with_evil())
    doc = squad_table.to_json([row, squad_table.error_row(f"B {EVIL}", "g", f"bad {EVIL}")],
                              as_of=__import__("datetime").date(2026, 11, 22),
                              skipped=[(f"s {EVIL}", "why")])
    page = views.render_html(doc)
    parsed = Tags(page)
    assert len(parsed.scripts) == 1  # only the page's own
    assert page.count("<script>") == 1
    words = browser.text_of(page)
    for text in (f"Mallory {EVIL}", f"B {EVIL}", f"bad {EVIL}", f"s {EVIL}"):
        assert text in words


def _report_with_evil() -> dict:
    from tests.report import sample_report

    report = sample_report(athlete=f"Mallory {EVIL}")
    report["data"] = dict(report["data"], days_since_activity=0, stale=False)
    return report


@pytest.mark.browser
@pytest.mark.parametrize("width", [1200, 390], ids=["desktop", "phone"])
def test_no_cell_is_cut_off_at_desktop_and_phone_widths(page, width):
    with browser.live_page(page, width) as live:
        assert browser.cut_cells(live) == []
        assert live.console_errors == []  # the script ran under the CSP
        first = live.evaluate("document.querySelector('table').id")
        assert first == "squad"


def _order(live) -> list[str]:
    return live.evaluate("Array.from(document.querySelectorAll('#squad tbody'))"
                         ".filter(b => !b.hidden).map(b => b.querySelector('td').innerText)")


@pytest.mark.browser
def test_a_click_sorts_and_a_filter_filters(page):
    with browser.live_page(page, 1200) as live:
        ranked = _order(live)
        assert ranked[:3] == ["Rita", "broken", "Cal"]
        live.get_by_role("button", name="athlete").click()
        assert _order(live) == sorted(ranked, key=str.lower)
        live.get_by_role("button", name="athlete").click()  # again: the other way
        assert _order(live) == sorted(ranked, key=str.lower, reverse=True)
        live.get_by_role("button", name="last activity").click()
        assert _order(live)[0] == "Cal"  # the longest without an activity first
        live.get_by_role("button", name="clinical").click()
        assert _order(live) == ranked
        live.get_by_label("stale data").check()
        assert _order(live) == ["Cal"]
        live.get_by_label("a clinical status").check()  # either filter
        assert _order(live) == ["Rita", "Cal"]
        assert live.locator("#shown").inner_text() == "2 of 5 shown"
        live.get_by_label("stale data").uncheck()
        live.get_by_label("a clinical status").uncheck()
        assert len(_order(live)) == 5
        assert live.console_errors == []


@pytest.mark.browser
def test_without_script_the_table_stays_ranked_and_the_filters_hidden(page):
    with browser.live_page(page, 1200, script=False) as live:
        assert _order(live)[:3] == ["Rita", "broken", "Cal"]
        assert live.locator("#filters").is_hidden()
        assert live.locator("#squad th button").count() == 0
        assert browser.cut_cells(live) == []


def test_without_the_state_there_is_no_changes_section():
    from datetime import date

    doc = squad_table.to_json([squad_table.row("Ann", "a", _report_with_evil())],
                              as_of=date(2026, 11, 22), skipped=[])
    for out in (views.render_text(doc), views.render_markdown(doc), views.render_html(doc)):
        assert views.CHANGES_TITLE not in out
    doc["changes"] = {"since": "2026-11-15", "athletes": [], "error": None}
    assert "Nothing changed since the last squad report (as of Sun 15 Nov)." in views.render_html(doc)


@pytest.mark.parametrize(("athletes", "workers"), [(1, 2), (2, 2), (5, 2), (30, 2), (31, 3),
                                                  (1000, 2), (100, 8)])
def test_shares_hand_out_every_athlete_once_in_order_and_end_one_by_one(athletes, workers):
    jobs = list(range(athletes))
    cut = squad.shares(jobs, workers)
    assert [j for share in cut for j in share] == jobs
    assert all(1 <= len(share) <= squad.SHARE_MAX for share in cut)
    sizes = [len(share) for share in cut]
    assert sizes == sorted(sizes, reverse=True)
    # The workers finish together: the last share each worker takes is a single athlete.
    assert sizes[-min(workers, athletes):] == [1] * min(workers, athletes)


def test_a_share_opens_the_cache_once_and_a_broken_athlete_stays_its_own_row(
        team, tmp_path, monkeypatch):
    opened = []
    real = squad.Store

    def counting(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(squad, "Store", counting)
    names = ("overreacher", "broken", "strict")
    shared = squad.report_share([squad.AthleteJob(str(team / n), None, str(tmp_path / "one"))
                                 for n in names])
    assert len(opened) == 1
    # Each alone, on a cache of its own as cold as the share's was.
    alone = [squad.report_athlete(squad.AthleteJob(str(team / n), None, str(tmp_path / n)))
             for n in names]
    assert len(opened) == 4
    assert [(r.name, r.error, r.exit_code) for r in shared] == [
        (r.name, r.error, r.exit_code) for r in alone]
    assert shared[1].report is None and "furlongs" in shared[1].error
    assert [r.report for r in shared] == [r.report for r in alone]


def test_a_cache_given_up_during_a_share_is_opened_again_for_the_next_athlete(
        team, tmp_path, monkeypatch):
    # Each athlete of a share meets the cache as it would alone: a lock or a full disk
    # met by one athlete (the store gives up for the run) does not leave the athletes after
    # it in the share without the cache (read again from their files, nothing kept).
    jobs = [squad.AthleteJob(str(team / n), None, str(tmp_path / "c"))
            for n in ("overreacher", "strict")]
    squad.report_share(jobs)
    warm = squad.report_share(jobs)
    real = squad._report_athlete
    stores = []

    def then_locked(job, path, store):
        stores.append(store.available)
        out = real(job, path, store)
        if job is jobs[0]:
            store._give_up(sqlite3.OperationalError("database is locked"))
        return out

    monkeypatch.setattr(squad, "_report_athlete", then_locked)
    again = squad.report_share(jobs)
    assert stores == [True, True]
    assert [r.report for r in again] == [r.report for r in warm]
