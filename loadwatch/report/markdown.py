"""The weekly report as Markdown."""

from __future__ import annotations

from loadwatch.report import fmt
from loadwatch.safetext import markdown_text


def _cell(text: str) -> str:
    # Names, notes and pain summaries carry the user's words: raw HTML is escaped.
    return markdown_text(text)


def _flag(f: dict) -> list[str]:
    out = [f"### {f['severity'].upper()}: {_cell(f['title'])} ({fmt.since(f)})", "",
           _cell(f["message"]), "",
           f"*Evidence: {fmt.GRADE_WORDS.get(f['evidence'], f['evidence'])}; "
           f"{_cell(f['source'])}*", ""]
    if f["advice"]:
        out += [f"**What to do:** {_cell(f['advice'])}", ""]
    return out


def render(report: dict) -> str:
    """Markdown with the same content and order as the text report."""
    out = [f"# loadwatch weekly report: {_cell(report['athlete'])}", "",
           f"As of {fmt.day(report['as_of'], year=True)}.", ""]
    red, evidence, habits = fmt.flag_groups(report)
    for f in red:
        out += [f"> **{_cell(f['message'])}**", ""]
    out += [f"**Load risk: {_cell(report['risk']['summary'])}**", ""]

    out += ["## What drove it", ""]
    if not evidence:
        out += ["No run much longer than your recent longest and no big weekly jump.", ""]
    for f in evidence:
        out += _flag(f)
    spikes = fmt.spike_rows(report)
    if spikes:
        out += ["Runs above 1.1x their reference in the last 30 days:", ""]
        out += [f"- {_cell(s)}" for s in spikes] + [""]
    out += [f"*Note: {_cell(n)}*" for n in report.get("spike_notes") or []]
    if report.get("spike_notes"):
        out.append("")

    if habits:
        out += ["## Habits worth a look", "",
                "They do not raise the risk level on their own.", ""]
        for f in habits:
            out += _flag(f)

    pain = report.get("pain")
    if pain and pain.get("episodes"):
        out += ["## Pain and the load before it", ""]
        out += [f"- {_cell(ep['summary'])}" for ep in pain["episodes"]]
        if pain.get("patterns", {}).get("summary"):
            out += ["", _cell(pain["patterns"]["summary"])]
        out.append("")

    rows = fmt.comparison_rows(report)
    if rows:
        out += [f"## {fmt.comparison_title(report)}", "", "| | this week | last week |",
                "|---|---|---|"]
        out += [f"| {label} | {this} | {last} |" for label, this, last in rows]
        out += ["", fmt.streak_line(report), ""]
    header, table = fmt.week_rows(report)
    if table:
        out += ["## Last weeks", "", "| " + " | ".join(header) + " |",
                "|" + "---:|" * len(header)]
        out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in table]
        out += ["", f"*{fmt.WEEK_NOTE}*", ""]
    checks = fmt.check_rows(report)
    if checks:
        out += ["## Data to check", ""] + [f"- {_cell(c)}" for c in checks]
        out += ["", fmt.CHECK_HOW, ""]
    imp = fmt.import_line(report)
    if imp:
        out += [imp, ""]
    out += [f"*{fmt.DISCLAIMER}*", ""]
    return "\n".join(out)
