"""The weekly report for the terminal."""

from __future__ import annotations

import textwrap

from loadwatch.report import fmt
from loadwatch.safetext import one_line


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent, subsequent_indent=indent) or [indent]


def _flag_block(f: dict) -> list[str]:
    out = [f"  [{f['severity'].upper()}] {f['title']} ({fmt.since(f)})"]
    out += _wrap(f["message"], "    ")
    out += _wrap(f"Evidence: {fmt.GRADE_WORDS.get(f['evidence'], f['evidence'])}; {f['source']}",
                 "    ")
    if f["advice"]:
        out += _wrap(f"What to do: {f['advice']}", "    ")
    return out + [""]


def render(report: dict) -> str:
    """Plain text, in the order that matters: the status, what drove it, habits, pain,
    this week against last, the weeks, data to check, the import."""
    as_of = fmt.day(report["as_of"], year=True)
    out = [f"loadwatch weekly report: {one_line(report['athlete'])}, as of {as_of}", ""]
    red, evidence, habits = fmt.flag_groups(report)
    for f in red:
        out += _wrap(f"!! {f['message']}") + [""]
    out += _wrap(f"Load risk: {report['risk']['summary']}") + [""]

    out.append("What drove it")
    if evidence:
        for f in evidence:
            out += _flag_block(f)
    else:
        out += ["  No run much longer than your recent longest and no big weekly jump.", ""]
    spikes = fmt.spike_rows(report)
    if spikes:
        out.append("  Runs above 1.1x their reference in the last 30 days:")
        out += [f"    {line}" for line in spikes]
        out.append("")
    for note in report.get("spike_notes") or []:
        out += _wrap(f"Note: {note}", "  ")
    if report.get("spike_notes"):
        out.append("")

    if habits:
        out.append("Habits worth a look (they do not raise the risk level on their own)")
        for f in habits:
            out += _flag_block(f)

    pain = report.get("pain")
    if pain and pain.get("episodes"):
        out.append("Pain and the load before it")
        for ep in pain["episodes"]:
            out += _wrap(ep["summary"], "  ")
        if pain.get("patterns", {}).get("summary"):
            out += _wrap(pain["patterns"]["summary"], "  ")
        out.append("")

    rows = fmt.comparison_rows(report)
    if rows:
        out.append(fmt.comparison_title(report))
        width = max(len(r[0]) for r in rows)
        for label, this, last in rows:
            tail = f"  last week: {last}" if last else ""
            out.append(f"  {label:<{width}}  {this:<24}{tail}".rstrip())
        out.append("  " + fmt.streak_line(report))
        out.append("")

    header, table = fmt.week_rows(report)
    if table:
        out.append(f"Last {fmt.plural(len(table), 'week')}")
        widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
        out.append("  " + "  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
        for r in table:
            out.append("  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
        out += _wrap(fmt.WEEK_NOTE, "  ") + [""]

    checks = fmt.check_rows(report)
    if checks:
        out.append("Data to check")
        out += [line for c in checks for line in _wrap(c, "  ")]
        out += _wrap(fmt.CHECK_HOW, "  ") + [""]
    imp = fmt.import_line(report)
    if imp:
        out.append(imp)
    out += _wrap(fmt.DISCLAIMER)
    return "\n".join(out) + "\n"
