"""The squad table as text, Markdown, CSV and one self-contained HTML page.

Every format reads the ``loadwatch/squad-v3`` document
(:func:`loadwatch.report.squad_table.to_json`) and shows the same columns in the coach's
words (:data:`loadwatch.report.squad_table.COLUMNS`), in the coach's order, then what
changed since the last squad report, then the skipped folders. The HTML page adds
each athlete's full report below the table, a small chart each, and a few lines
of script (``templates/squad.js``, allowed by its hash) that sort and filter the
table; without script the table stays ranked and the filters stay hidden.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re

from loadwatch.report import fmt, sparkline, squad_table
from loadwatch.report import review as review_view
from loadwatch.safetext import guard_formula, markdown_text, one_line

DISCLAIMER = ("loadwatch does not diagnose: an athlete with a clinical status of CHECK NOW "
              "needs a sports physical therapist or doctor before running on it.")
CHANGES_TITLE = "Changed since the last squad report"
CLINICAL_NAMES = {"check_now": "check now", "assess_soon": "assess soon", "none": "none"}


def change_lines(doc: dict) -> tuple[list[str], list[str]]:
    """"Changed since the last squad report" as (one line per athlete, notes)."""
    changes = doc.get("changes")
    if changes is None:
        return [], []
    notes = [changes["error"]] if changes.get("error") else []
    since = changes.get("since")
    if since is None:
        if not changes.get("error"):
            notes.append("The first squad report of this folder: changes show from the next one.")
        return [], notes
    lines = []
    for c in changes["athletes"]:
        if c.get("joined"):
            lines.append(f"{c['athlete']}: new in the squad.")
            continue
        if c.get("left"):
            lines.append(f"{c['athlete']}: no longer in the squad folder.")
            continue
        parts = []
        if "clinical" in c:
            old, new = (CLINICAL_NAMES.get(x, x) for x in c["clinical"])
            parts.append(f"clinical status {old} -> {new}")
        if "level" in c:
            old, new = (x or "not read" for x in c["level"])
            parts.append(f"load level {old} -> {new}")
        parts += [f"new: {x['words']}" for x in c.get("new", [])]
        parts += [f"worse ({x['from']} -> {x['severity']}): {x['words']}"
                  for x in c.get("escalated", [])]
        parts += [f"resolved: {x['words']}" for x in c.get("resolved", [])]
        lines.append(f"{c['athlete']}: " + "; ".join(parts) + ".")
    if not lines:
        notes.append(f"Nothing changed since the last squad report (as of {fmt.day(since)}).")
    else:
        notes.append(f"Against the last squad report, as of {fmt.day(since)}.")
    return lines, notes


def counts_of(doc: dict) -> dict[str, int]:
    """The document's ``counts`` (:func:`loadwatch.report.squad_table.counts`); counted from its
    rows for a document written before the key existed."""
    return doc.get("counts") or squad_table.counts(squad_table.table_rows(doc))


Segment = tuple[str, str | None]
"""A piece of a text line and its tone (a :data:`TONES` key), or None for plain text."""


def tone_of_label(label: str) -> str:
    """The tone of the clinical column's word (:func:`squad_table.clinical_label`):
    ``check_now``, ``assess_soon``, ``info`` (ASSESSED, NO NEWS: worth a look), ``none``."""
    return {"CHECK NOW": "check_now", "ASSESS SOON": "assess_soon", "ASSESSED": "info",
            "NO NEWS": "info"}.get(label, "none")


def count_segments(counts_: dict[str, int]) -> list[Segment]:
    """The count line (:func:`squad_table.count_line`) in pieces, each group with its tone."""
    groups = [g for g in squad_table.GROUPS if counts_.get(g)]
    head = fmt.plural(counts_.get("total", 0), "athlete")
    if not groups:
        return [(f"{head}.", None)]
    out: list[Segment] = [(f"{head}: ", None)]
    for i, g in enumerate(groups):
        out.append((f"{counts_[g]} {squad_table.GROUP_WORDS[g]}", g))
        if i < len(groups) - 1:
            out.append((", ", None))
    return out


def _padded(word: str, width: int, tone: str) -> list[Segment]:
    """``word`` in its tone, then the plain spaces that line the next column up."""
    return [(word, tone), (" " * (max(width - len(word), 0) + 1), None)]


def text_lines(doc: dict) -> list[list[Segment]]:
    """The text squad as lines of toned segments: :func:`render_text` joins them plainly, the
    terminal colours the tones (:mod:`loadwatch.report.squad_terminal`)."""
    out: list[list[Segment]] = [
        [(f"loadwatch squad report, as of {fmt.day(doc['as_of'], year=True)}", None)],
        count_segments(counts_of(doc)), []]
    for r in squad_table.table_rows(doc):
        c = [one_line(x) for x in squad_table.cells(r)]
        if r.get("error"):
            out += [[*_padded("ERROR", 12, "not_read"), *_padded("not read", 17, "not_read"),
                     (c[0], None)], [(f"    {c[8]}", None)]]
            continue
        out.append([*_padded(c[1], 12, tone_of_label(c[1])), *_padded(c[2], 17, r["risk"]),
                    (c[0], None)])
        out.append([(f"    last activity: {c[3]}; last diary entry: {c[4]}; pain now: {c[7]}",
                     None)])
        out.append([(f"    this week: {c[5]}; longest run: {c[6]}", None)])
        out.append([(f"    why: {c[8]}", None)])
    if doc.get("changes") is not None:
        lines, notes = change_lines(doc)
        out += [[], [(CHANGES_TITLE, None)]] + [[(f"  {one_line(x)}", None)] for x in lines + notes]
    for s in doc["skipped"]:
        out.append([(f"skipped: {one_line(s['folder'])}: {one_line(s['reason'])}", None)])
    out += [[(line, None)] if line else [] for line in review_view.squad_text(doc.get("review"))]
    out += [[], [(DISCLAIMER, None)]]
    return out


def render_text(doc: dict) -> str:
    """The squad for the terminal: the count line, then one block per athlete, most urgent
    first (plain: coloured by :mod:`loadwatch.report.squad_terminal` on a terminal)."""
    return "\n".join("".join(t for t, _ in line) for line in text_lines(doc)) + "\n"


def render_markdown(doc: dict) -> str:
    """The squad table in Markdown, the same columns as the page."""
    cols = squad_table.COLUMNS
    out = [f"# loadwatch squad report, as of {fmt.day(doc['as_of'], year=True)}", "",
           f"**{markdown_text(squad_table.count_line(counts_of(doc)))}**", "",
           "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(markdown_text(c) for c in squad_table.cells(r)) + " |"
            for r in squad_table.table_rows(doc)]
    if doc.get("changes") is not None:
        lines, notes = change_lines(doc)
        out += ["", f"## {CHANGES_TITLE}", ""] + [f"- {markdown_text(x)}" for x in lines]
        out += [f"*{markdown_text(n)}*" for n in notes]
    if doc["skipped"]:
        out += ["", "## Skipped folders", ""]
        out += [f"- {markdown_text(s['folder'])}: {markdown_text(s['reason'])}"
                for s in doc["skipped"]]
    out += review_view.squad_markdown(doc.get("review"), markdown_text)
    out += ["", f"*{DISCLAIMER}*"]
    return "\n".join(out) + "\n"


CSV_COLUMNS = ["rank", "athlete", "folder", "clinical", "level", "last_activity",
               "days_since_activity", "stale", "last_diary_entry", "this_week_distance",
               "this_week_days", "four_week_mean", "change_vs_four_weeks_pct", "longest_run",
               "longest_run_ceiling", "next_week", "units", "pain_now", "pain_now_date", "pain_trend",
               "spikes_last_14_days", "reason", "error"]
"""The CSV's columns: the table's, with numbers as numbers and the words beside them."""


def csv_record(r: dict) -> list:
    if r.get("error"):
        return [r["rank"], r["athlete"], r["folder"]] + [""] * (len(CSV_COLUMNS) - 4) + [r["error"]]
    week, run, pain = r["this_week"], r["longest_run"], r["pain"]
    return [r["rank"], r["athlete"], r["folder"], r["clinical"]["status"], r["risk"],
            r["last_activity"]["date"], r["last_activity"]["days_ago"],
            r["last_activity"]["stale"], r["diary"]["last_entry"], week["run_distance"],
            week["days"], week["four_week_mean"], week["change_vs_four_weeks_pct"],
            run["this_week"], run["ceiling"], run["plan"], r["units"], pain["now"],
            pain.get("now_date"), pain["trend"], r["spikes_last_14_days"], squad_table.reason(r), ""]


def render_csv(doc: dict) -> str:
    """The squad table as CSV, safe to open in a spreadsheet.

    Text cells a spreadsheet would run as a formula (a name or note beginning with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``
    (:func:`loadwatch.safetext.guard_formula`); numbers stay numbers. Empty cells
    are missing values.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in squad_table.table_rows(doc):
        writer.writerow(["" if v is None else guard_formula(v) if isinstance(v, str) else v
                         for v in csv_record(r)])
    return buf.getvalue()


def _anchor(name: str, taken: set[str]) -> str:

    base = "athlete-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


SORTABLE = {0: ("name", "ascending", "descending"), 1: ("rank", "ascending", "descending"),
            2: ("level", "descending", "ascending"), 3: ("activity", "descending", "ascending"),
            5: ("week", "descending", "ascending"), 7: ("painNow", "descending", "ascending")}
"""Column index -> (sort key, aria-sort after the first click, after the second). Keys sort
most urgent first on the first click: clinical is the coach's order itself."""


def _sort_values(r: dict) -> dict:
    """Numbers that sort a row most urgent first (the template's ``data-*``)."""
    if r.get("error"):
        return {"rank": r["rank"], "name": r["athlete"].lower(), "level": 1, "activity": 0,
                "week": 0, "pain": 0}
    change = r["this_week"]["change_vs_four_weeks_pct"]
    ago = r["last_activity"]["days_ago"]
    return {"rank": r["rank"], "name": r["athlete"].lower(),
            "level": squad_table.LEVEL_ORDER.get(r["risk"], 3),
            "activity": -(ago if ago is not None else 10_000),
            "week": -(change if change is not None else -10_000),
            "pain": -(r["pain"]["now"] or 0)}


def render_html(doc: dict, reports: dict[str, dict] | None = None,
                charts: dict[str, bytes] | None = None, progress=None) -> str:
    """The squad page: the triage table first, then the changes, then each athlete's report.

    Parameters
    ----------
    doc : dict
        A ``loadwatch/squad-v3`` document.
    reports : dict, optional
        Report dicts by athlete folder, shown below the table (linked from the names), each
        row with the sparkline of its weekly distance (:mod:`loadwatch.report.sparkline`).
    charts : dict, optional
        A PNG chart by athlete folder, embedded in its report below the table (the command
        gives none: the sparkline in the row is the squad's chart, and a page of 1,000
        athletes stays fast without matplotlib).
    progress : callable, optional
        ``progress(label, total, unit)`` (:func:`loadwatch.progress.bars`): a bar counting
        the athletes whose part of the page is made (seconds for a squad of thousands).
    """
    # Jinja2 and the templates only for the HTML page.
    from loadwatch.report import html

    reports, charts = reports or {}, charts or {}
    taken: set[str] = set()
    rows, athletes = [], []
    table = squad_table.table_rows(doc)
    with (progress("Writing the squad page", len(table), "athletes")
          if progress is not None and len(table) > 1 else contextlib.nullcontext()) as bar:
        for r in table:
            _row_parts(r, reports, charts, taken, rows, athletes)
            if bar is not None:
                bar.update(1)
    lines, notes = change_lines(doc)

    script = html.asset("squad.js")
    return html.render_page(
        "squad.html.j2", f"loadwatch squad report {doc['as_of']}", script=script,
        as_of=fmt.day(doc["as_of"], year=True), counts=count_segments(counts_of(doc)),
        columns=squad_table.COLUMNS, rows=rows,
        sortable=SORTABLE, changes=None if doc.get("changes") is None else
        {"title": CHANGES_TITLE, "lines": lines, "notes": notes},
        skipped=[f"{s['folder']}: {s['reason']}" for s in doc["skipped"]],
        athletes=athletes, disclaimer=DISCLAIMER,
        review=review_view.squad_part(doc.get("review")))


def _row_parts(r: dict, reports: dict, charts: dict, taken: set[str], rows: list,
               athletes: list) -> None:
    """One athlete's row of the table, and their section below it (if reported)."""
    from loadwatch.report import html  # Jinja2: only for the HTML page (imported once above)

    report = reports.get(r["folder"]) if not r.get("error") else None
    anchor = _anchor(r["athlete"], taken) if report else None
    cells = squad_table.cells(r)
    tones = ((None, "not_read") if r.get("error") else (tone_of_label(cells[1]), r["risk"]))
    rows.append({"cells": cells[:-1], "reason": cells[-1], "error": r.get("error"),
                 "tones": tones, "spark": sparkline.sparkline(report) if report else None,
                 "anchor": anchor, "filters": squad_table.filters(r), "sort": _sort_values(r)})
    if report:
        athletes.append(html.athlete_context(report, charts.get(r["folder"]), anchor))
