"""The weekly report as Markdown."""

from __future__ import annotations

from loadwatch.report import fmt
from loadwatch.safetext import markdown_text


def _cell(text: str) -> str:
    # Names, notes and pain summaries carry the user's words: raw HTML is escaped.
    return markdown_text(text)


def render(report: dict) -> str:
    """Markdown with the same content and order as the text report."""
    out = [f"# loadwatch weekly report: {_cell(report['athlete'])}", "",
           f"As of {fmt.day(report['as_of'], year=True)}.", "",
           f"**Risk: {fmt.RISK_WORDS[report['risk']['level']]}**", ""]
    active = report["active_flags"]
    for f in (f for f in active if f["code"] == "pain_red_flag"):
        out += [f"> **{_cell(f['message'])}**", ""]
    rows = fmt.comparison_rows(report)
    if rows:
        out += ["## This week against last week", "", "| | this week | last week |", "|---|---|---|"]
        out += [f"| {label} | {this} | {last} |" for label, this, last in rows]
        out += ["", fmt.streak_line(report), ""]
    out += ["## Active flags", ""]
    load_flags = [f for f in active if f["code"] != "pain_red_flag"]
    if not load_flags:
        out += ["No active flags: nothing in the last 7 days crossed a threshold.", ""]
    for f in load_flags:
        out += [f"### {f['severity'].upper()}: {_cell(f['title'])} (since {fmt.day(f['date'])})", "",
                _cell(f["message"]), "",
                f"*Evidence: {f['evidence']}; {_cell(f['source'])}*", ""]
        if f["advice"]:
            out += [f"**What to do:** {_cell(f['advice'])}", ""]
    pain = report.get("pain")
    if pain and pain.get("episodes"):
        out += ["## Pain and the load before it", ""]
        out += [f"- {_cell(ep['summary'])}" for ep in pain["episodes"]]
        if pain.get("patterns", {}).get("summary"):
            out += ["", _cell(pain["patterns"]["summary"])]
        out.append("")
    header, table = fmt.week_rows(report)
    if table:
        out += ["## Last weeks", "", "| " + " | ".join(header) + " |",
                "|" + "---:|" * len(header)]
        out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in table]
        out.append("")
    imp = fmt.import_line(report)
    if imp:
        out += [imp, ""]
    out += [f"*{fmt.DISCLAIMER}*", ""]
    return "\n".join(out)
