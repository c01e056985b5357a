"""The weekly report as one self-contained HTML file.

Inline CSS, the chart embedded as a ``data:`` URI, no script and no external
resource (a Content-Security-Policy forbids loading any), so the file opens
offline, on a phone and on paper. Every string taken from the report is passed
through :func:`html.escape`: athlete names, flag messages, diary locations and
summaries all came from the athlete's files. Content and order are the text
report's (:mod:`.text`): the risk banner, red flags first of all with the
instruction to get them checked, this week against last week, the active flags
with their explanation, evidence and what to do, pain episodes with the flags
before them, the charts, the weekly table, the import summary and the
disclaimer.
"""

from __future__ import annotations

import base64
from html import escape

from loadwatch.report import fmt

SEVERITIES = ("info", "caution", "high")
RISK_LEVELS = ("usual", "raised", "high", "unknown")
CHECK_IT = "Get it checked by a sports physical therapist or doctor before running on it."

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
       "form-action 'none'")
"""Nothing but inline style and data: images may load, whatever ends up in the page."""

CSS = """
:root { --high: #b3261e; --caution: #8a4b00; --info: #00695c; --low: #1b5e20; --ink: #1c1c1c;
        --muted: #555; --line: #e0e0e0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: #fff; margin: 0 auto; max-width: 62rem; padding: 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; padding-bottom: .2rem;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
p { margin: .4rem 0; }
.muted { color: var(--muted); font-size: .9rem; }
.risk { padding: .75rem 1rem; border-radius: .5rem; color: #fff; font-size: 1.1rem;
        font-weight: 700; margin: .75rem 0; }
.risk-high { background: var(--high); } .risk-raised { background: var(--caution); }
.risk-usual { background: var(--low); } .risk-unknown { background: #555; }
.redflag { border: 3px solid var(--high); background: #fdecea; padding: .75rem 1rem;
           border-radius: .5rem; margin: 1rem 0; }
.redflag .check { font-weight: 700; color: var(--high); }
.flag { border-left: 6px solid #999; padding: .4rem .9rem; margin: .9rem 0; background: #fafafa; }
.flag.high { border-color: var(--high); } .flag.caution { border-color: var(--caution); }
.flag.info { border-color: var(--info); }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase;
         padding: .05rem .45rem; border-radius: .25rem; color: #fff; background: #777;
         vertical-align: .1em; }
.badge.high { background: var(--high); } .badge.caution { background: var(--caution); }
.badge.info { background: var(--info); }
.episode { margin: .75rem 0; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .55rem; text-align: right;
         white-space: nowrap; }
th { background: #f3f3f3; }
th:first-child, td:first-child { text-align: left; }
table.compare td, table.compare th { white-space: normal; text-align: left; }
tr.row-high td:nth-child(2), tr.row-unknown td:nth-child(2) { color: var(--high); font-weight: 700; }
tr.row-raised td:nth-child(2) { color: var(--caution); font-weight: 700; }
tr.row-usual td:nth-child(2) { color: var(--low); font-weight: 700; }
tr.why td { white-space: normal; text-align: left; color: #333; border-bottom: 2px solid #bbb;
            padding-bottom: .6rem; }
figure { margin: .5rem 0; }
img.chart { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
footer { margin-top: 1.5rem; }
section.athlete + section.athlete, h1 ~ section.athlete { margin-top: 3rem; }
@media (max-width: 30rem) { body { padding: .6rem; font-size: 15px; } .flag { padding: .4rem .6rem; } }
@media print {
  @page { margin: 1.5cm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .risk { color: #000; background: none !important; border: 3px solid #000; }
  .risk-high { border-color: var(--high); } .risk-raised { border-color: var(--caution); }
  .badge { color: #000; background: none !important; border: 1px solid #000; }
  .flag, .redflag, .episode, figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  section.athlete:not(:first-child) { break-before: page; }
}
"""


def page(title: str, body: str) -> str:
    """A complete HTML5 document with the report's CSS around ``body``.

    Parameters
    ----------
    title : str
        Plain text for ``<title>``; escaped here.
    body : str
        HTML, already escaped by the caller.
    """
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            "<meta name=\"color-scheme\" content=\"light\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")


def _sev(severity: str) -> str:
    """The severity as a CSS class (an unknown one gets the neutral look)."""
    return severity if severity in SEVERITIES else "unknown"


def _table(header: list[str], rows: list[list[str]], css: str = "", caption: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    cap = f"<caption class=\"muted\">{escape(caption)}</caption>" if caption else ""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<div class="table-wrap"><table{cls}>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _red_flag(f: dict) -> str:
    advice = f.get("advice") or CHECK_IT
    return (f'<div class="redflag" role="alert"><h3>Red flag: {escape(f["title"])} '
            f'<span class="muted">{escape(fmt.day(f["start"]))}</span></h3>'
            f"<p>{escape(f['message'])}</p>"
            f'<p class="check">What to do: {escape(advice)}</p></div>')


def _flag(f: dict) -> str:
    sev = _sev(f["severity"])
    grade = fmt.GRADE_WORDS.get(f["evidence"], f["evidence"])
    out = (f'<div class="flag {sev}"><h3><span class="badge {sev}">{escape(f["severity"])}</span> '
           f'{escape(f["title"])} <span class="muted">{escape(fmt.since(f))}</span></h3>'
           f"<p>{escape(f['message'])}</p>"
           f'<p class="muted">Evidence: {escape(grade)}; {escape(f["source"])}</p>')
    if f.get("advice"):
        out += f"<p><strong>What to do:</strong> {escape(f['advice'])}</p>"
    return out + "</div>"


def _titles(report: dict) -> dict[str, str]:
    """Flag titles by code, from the flags the report carries."""
    return {f["code"]: f["title"] for f in report["flags"] + report.get("history", [])}


def _before(episode: dict, titles: dict[str, str]) -> str:
    """The flags raised before a pain episode, once per code: its worst severity, last date."""
    per_code: dict[str, dict] = {}
    for f in episode.get("preceding_flags") or []:
        seen = per_code.setdefault(f["code"], {"severity": f["severity"], "date": f["start"]})
        if _rank(f["severity"]) > _rank(seen["severity"]):
            seen["severity"] = f["severity"]
        seen["date"] = max(seen["date"], f["start"])
    if not per_code:
        return ""
    # Worst first, then the most recent: what most plausibly mattered leads.
    ordered = sorted(per_code.items(), key=lambda kv: kv[1]["date"], reverse=True)
    ordered.sort(key=lambda kv: _rank(kv[1]["severity"]), reverse=True)
    items = "".join(
        f'<li><span class="badge {_sev(v["severity"])}">{escape(v["severity"])}</span> '
        f"{escape(titles.get(code, code.replace('_', ' ')))}, from {escape(fmt.day(v['date']))}</li>"
        for code, v in ordered)
    return f'<p class="muted">Flags raised before it:</p><ul>{items}</ul>'


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def _pain(report: dict) -> list[str]:
    pain = report.get("pain")
    if not pain or not pain.get("episodes"):
        return []
    titles = _titles(report)
    out = ["<h2>Pain and the load before it</h2>"]
    out += [f'<div class="episode"><p>{escape(ep["summary"])}</p>{_before(ep, titles)}</div>'
            for ep in pain["episodes"]]
    summary = (pain.get("patterns") or {}).get("summary")
    if summary:
        out.append(f"<p>{escape(summary)}</p>")
    return out


def _chart(report: dict, png: bytes) -> list[str]:
    data = base64.b64encode(png).decode("ascii")
    alt = (f"Training load charts for {report['athlete']}: weekly distance coloured by flag, "
           "load ratio, runs with long-run spikes, rest and run days, pain")
    return ["<h2>Charts</h2>",
            f'<figure><img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{data}">'
            "</figure>"]


def _import(report: dict) -> list[str]:
    line = fmt.import_line(report)
    if not line:
        return []
    errors = (report.get("import") or {}).get("errors") or []
    out = [f'<p class="muted">{escape(line)}</p>']
    if errors:
        out.append('<ul class="muted">' + "".join(
            f"<li>{escape(str(e.get('path', '')))}: {escape(str(e.get('error', '')))}</li>"
            for e in errors) + "</ul>")
    return out


def athlete_section(report: dict, chart_png: bytes | None, anchor_id: str) -> str:
    """One athlete's report as a ``<section>``: a report's body, or one part of a squad page.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v2`` report.
    chart_png : bytes or None
        PNG embedded as a ``data:`` URI under "Charts"; None leaves the section out.
    anchor_id : str
        The section's ``id``, for links from a squad table.
    """
    level = report["risk"]["level"]
    risk_class = level if level in RISK_LEVELS else "unknown"
    out = [f'<section class="athlete" id="{escape(anchor_id)}">',
           f"<h1>loadwatch weekly report: {escape(report['athlete'])}</h1>",
           f'<p class="muted">As of {escape(fmt.day(report["as_of"], year=True))}; distances in '
           f"{escape(report['units'])}, load from {escape(report['load'])}.</p>"]
    red, evidence, habits = fmt.flag_groups(report)
    out += [_red_flag(f) for f in red]
    out.append(f'<p class="risk risk-{risk_class}" role="status">Load risk: '
               f"{escape(report['risk']['summary'])}</p>")

    out.append("<h2>What drove it</h2>")
    out += [_flag(f) for f in evidence] or [
        "<p>No run much longer than your recent longest and no big weekly jump.</p>"]
    spikes = fmt.spike_rows(report)
    if spikes:
        out.append("<p>Runs above 1.1x their reference in the last 30 days:</p><ul>"
                   + "".join(f"<li>{escape(x)}</li>" for x in spikes) + "</ul>")
    out += [f'<p class="muted">Note: {escape(n)}</p>' for n in report.get("spike_notes") or []]
    if habits:
        out.append("<h2>Habits worth a look</h2>"
                   '<p class="muted">They do not raise the risk level on their own.</p>')
        out += [_flag(f) for f in habits]
    out += _pain(report)
    rows = fmt.comparison_rows(report)
    if rows:
        out.append(f"<h2>{escape(fmt.comparison_title(report))}</h2>")
        out.append(_table(["", "this week", "last week"], [list(r) for r in rows], "compare"))
        out.append(f"<p>{escape(fmt.streak_line(report))}</p>")
    if chart_png:
        out += _chart(report, chart_png)
    header, table = fmt.week_rows(report)
    if table:
        out.append(f"<h2>Last {len(table)} weeks</h2>")
        out.append(_table(header, table, caption=fmt.WEEK_NOTE))
    checks = fmt.check_rows(report)
    if checks:
        out.append("<h2>Data to check</h2><ul>" + "".join(f"<li>{escape(c)}</li>" for c in checks)
                   + f"</ul><p>{escape(fmt.CHECK_HOW)}</p>")
    out.append("<footer>")
    out += _import(report)
    out.append(f'<p class="muted">{escape(fmt.DISCLAIMER)}</p></footer>')
    out.append("</section>")
    return "\n".join(out)


def render(report: dict, chart_png: bytes | None = None) -> str:
    """The whole report as one self-contained HTML document.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v2`` report.
    chart_png : bytes, optional
        The chart (:func:`loadwatch.report.charts.render_png`), embedded in the page.
    """
    title = f"loadwatch report: {report['athlete']}, {report['as_of']}"
    return page(title, athlete_section(report, chart_png, "report"))
