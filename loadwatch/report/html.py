"""The weekly report as one self-contained HTML file.

Inline CSS, the chart embedded as a ``data:`` URI, no script and no external
resource, so it opens offline, on a phone and on paper. Every string that came
from the athlete's files (names, flag messages, diary locations and notes) is
escaped. The content and its order are the text report's: risk first, red flags
first of all, then the flags with their explanation, pain episodes, the charts
and the weekly table.
"""

from __future__ import annotations

import base64
from html import escape

from loadwatch.report import fmt

CSS = """
:root { --high: #b3261e; --caution: #a15c00; --info: #00695c; --low: #1b5e20; --ink: #1c1c1c; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
.risk { padding: .75rem 1rem; border-radius: .5rem; color: #fff; font-weight: 600; }
.risk-high { background: var(--high); } .risk-moderate { background: var(--caution); }
.risk-low { background: var(--low); } .risk-unknown { background: #555; }
.redflag { border: 3px solid var(--high); background: #fdecea; padding: .75rem 1rem;
           border-radius: .5rem; margin: 1rem 0; font-weight: 600; }
.flag { border-left: 5px solid #999; padding: .25rem .75rem; margin: .75rem 0; }
.flag.high { border-color: var(--high); } .flag.caution { border-color: var(--caution); }
.flag.info { border-color: var(--info); }
.badge { font-size: .75rem; font-weight: 700; text-transform: uppercase; padding: .1rem .4rem;
         border-radius: .25rem; color: #fff; background: #777; }
.badge.high { background: var(--high); } .badge.caution { background: var(--caution); }
.badge.info { background: var(--info); }
.muted { color: #555; font-size: .9rem; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .9rem; white-space: nowrap; }
th, td { border-bottom: 1px solid #e0e0e0; padding: .3rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.row-high td:nth-child(2), tr.row-unknown td:nth-child(2) { color: var(--high); font-weight: 700; }
tr.row-moderate td:nth-child(2) { color: var(--caution); font-weight: 700; }
tr.row-low td:nth-child(2) { color: var(--low); font-weight: 700; }
tr.why td { white-space: normal; text-align: left; color: #333; border-bottom: 2px solid #bbb;
            padding-bottom: .6rem; }
img.chart { max-width: 100%; height: auto; border: 1px solid #eee; }
section.athlete { margin-top: 2.5rem; }
@media print { body { max-width: none; font-size: 11pt; } .risk, .badge { color: #000 !important;
  background: none !important; border: 2px solid #000; } section.athlete { break-before: page; }
  img.chart { break-inside: avoid; } }
"""


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body`` (already escaped HTML)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")


def _img(png: bytes | None, alt: str, css: str = "chart") -> str:
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{css}" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _flag(f: dict) -> str:
    sev = escape(f["severity"])
    return (f'<div class="flag {sev}"><h3><span class="badge {sev}">{sev}</span> '
            f"{escape(f['title'])} <span class=\"muted\">since {escape(fmt.day(f['date']))}</span>"
            f"</h3><p>{escape(f['message'])}</p>"
            f"<p class=\"muted\">Evidence: {escape(f['evidence'])}; {escape(f['source'])}</p>"
            + (f"<p><strong>What to do:</strong> {escape(f['advice'])}</p>" if f["advice"] else "")
            + "</div>")


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def athlete_section(report: dict, chart_png: bytes | None, anchor_id: str) -> str:
    """One athlete's report as a ``<section>`` (the body of a report, or a squad page's part)."""
    level = report["risk"]["level"]
    out = [f'<section class="athlete" id="{escape(anchor_id)}">',
           f"<h1>{escape(report['athlete'])}</h1>",
           f'<p class="muted">Weekly report as of {escape(fmt.day(report["as_of"], year=True))}</p>',
           f'<p class="risk risk-{escape(level)}">Risk: {escape(fmt.RISK_WORDS[level])}</p>']
    active = report["active_flags"]
    for f in (f for f in active if f["code"] == "pain_red_flag"):
        out.append(f'<div class="redflag">{escape(f["message"])}</div>')
    load_flags = [f for f in active if f["code"] != "pain_red_flag"]
    out.append("<h2>Active flags</h2>")
    out += [_flag(f) for f in load_flags] or [
        "<p>No active flags: nothing in the last 7 days crossed a threshold.</p>"]
    rows = fmt.comparison_rows(report)
    if rows:
        out.append("<h2>This week against last week</h2>")
        out.append(_table(["", "this week", "last week"], [list(r) for r in rows]))
        out.append(f"<p>{escape(fmt.streak_line(report))}</p>")
    pain = report.get("pain")
    if pain and pain.get("episodes"):
        out.append("<h2>Pain and the load before it</h2><ul>")
        out += [f"<li>{escape(ep['summary'])}</li>" for ep in pain["episodes"]]
        out.append("</ul>")
        if pain.get("patterns", {}).get("summary"):
            out.append(f"<p>{escape(pain['patterns']['summary'])}</p>")
    if chart_png:
        out.append("<h2>Charts</h2>")
        out.append(_img(chart_png, f"Training load charts for {report['athlete']}"))
    header, table = fmt.week_rows(report)
    if table:
        out.append("<h2>Weekly table (ISO weeks, Monday to Sunday)</h2>")
        out.append(_table(header, table))
    imp = fmt.import_line(report)
    if imp:
        out.append(f'<p class="muted">{escape(imp)}</p>')
    out.append(f'<p class="muted">{escape(fmt.DISCLAIMER)}</p>')
    out.append("</section>")
    return "\n".join(out)


def render(report: dict, chart_png: bytes | None = None) -> str:
    """The whole report as one HTML document."""
    title = f"loadwatch report: {report['athlete']}, {report['as_of']}"
    return page(title, athlete_section(report, chart_png, "report"))
