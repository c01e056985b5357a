"""The weekly report for the terminal."""

from __future__ import annotations

import textwrap

from loadwatch.report import fmt
from loadwatch.safetext import one_line


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent) or [indent]


def render(report: dict) -> str:
    """Plain text: risk first, red flags first of all, this week vs last, flags, pain, weeks."""
    as_of = fmt.day(report["as_of"], year=True)
    out = [f"loadwatch weekly report: {one_line(report['athlete'])}, as of {as_of}", ""]
    out.append(f"Risk: {fmt.RISK_WORDS[report['risk']['level']]}")
    out.append("")
    active = report["active_flags"]
    red = [f for f in active if f["code"] == "pain_red_flag"]
    for f in red:
        out += _wrap(f"!! {f['message']}", "")
        out.append("")

    rows = fmt.comparison_rows(report)
    if rows:
        out.append("This week against last week")
        width = max(len(r[0]) for r in rows)
        for label, this, last in rows:
            out.append(f"  {label:<{width}}  {this:<24}  last week: {last}")
        out.append("  " + fmt.streak_line(report))
        out.append("")

    load_flags = [f for f in active if f["code"] != "pain_red_flag"]
    if load_flags:
        out.append("Active flags")
        for f in load_flags:
            out.append(f"  [{f['severity'].upper()}] {f['title']} (since {fmt.day(f['date'])})")
            out += _wrap(f["message"], "    ")
            out += _wrap(f"Evidence: {f['evidence']}; {f['source']}", "    ")
            if f["advice"]:
                out += _wrap(f"What to do: {f['advice']}", "    ")
            out.append("")
    else:
        out.append("No active flags: nothing in the last 7 days crossed a threshold.")
        out.append("")

    pain = report.get("pain")
    if pain and pain.get("episodes"):
        out.append("Pain and the load before it")
        for ep in pain["episodes"]:
            out += _wrap(ep["summary"], "  ")
        if pain.get("patterns", {}).get("summary"):
            out += _wrap(pain["patterns"]["summary"], "  ")
        out.append("")

    header, table = fmt.week_rows(report)
    if table:
        out.append(f"Last {len(table)} weeks (ISO weeks, Monday to Sunday)")
        widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
        out.append("  " + "  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
        for r in table:
            out.append("  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
        out.append("")
    imp = fmt.import_line(report)
    if imp:
        out.append(imp)
    out += _wrap(fmt.DISCLAIMER, "")
    return "\n".join(out) + "\n"
