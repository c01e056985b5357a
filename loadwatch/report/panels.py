"""The report's charts as separate SVG panels a phone can read (the HTML page).

:func:`svg_panels` draws each panel of :mod:`.charts` (weekly distance, load
ratio, runs, calendar, pain) as its own SVG, :data:`PANEL_WIDTH_IN` wide with
every text at :data:`TEXT_PT`, so that shown at a 390 px phone's width (one panel
a row) the smallest text is at least 11 CSS px; on a wide screen the page sets them
side by side at about the same size. The text stays text (``svg.fonttype: none``):
it scales with the page and a screen reader or a test can read it. Each panel
carries an alt text that says what it shows, with its numbers.

The per-day level strip (the report's ``level_strip``, from the verdict's history)
is drawn under the weekly chart (:func:`level_strip`), never computed here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from loadwatch.report import charts, fmt
from loadwatch.safetext import one_line
from loadwatch.words import race_words

PANEL_WIDTH_IN = 4.0
"""Width each panel is drawn at. [in] (384 CSS px: a 390 px phone shows it at about 371 px)"""
TEXT_PT = 9.5
"""Every text of a panel, ticks and legends included. [pt] At 384 px drawn and 371 px shown,
9.5 pt (12.7 px) shows as 12.2 CSS px: above the 11 px a phone needs (issue 23), with room for a
360 px phone (11.1 px)."""
LINE_IN = TEXT_PT * 1.45 / 72
"""Height of one legend line. [in]"""
AXIS_IN = 0.75
"""Room for the date axis (two lines of text) and the margins. [in]"""
PANEL_ORDER = ("weekly", "acwr", "runs", "calendar", "pain")


@dataclass(frozen=True)
class Panel:
    """One chart panel: ``name`` (a :data:`PANEL_ORDER` word), its ``alt`` text, the ``svg``
    document, and its drawn size in CSS px."""

    name: str
    alt: str
    svg: bytes
    width_px: int
    height_px: int


LEVEL_STYLES = {"high": ("#D55E00", "xx"), "raised": ("#E69F00", "\\\\"),
                "usual": ("#009E73", ""), "unknown": ("#FFFFFF", "..")}
"""Fill and hatch of each load level in the strip (Okabe-Ito colours, as the charts': a hatch
besides the colour, so the strip reads without colour too)."""
STRIP_IN = 0.55
"""Height of the strip's axes. [in]"""


@charts._plain_text
def level_strip(report: dict) -> Panel | None:
    """The load level of each day of the weeks shown, as a strip under the weekly chart.

    Drawn from the report's ``level_strip`` (the verdict's level day by day, from
    :func:`loadwatch.verdict.history.levels`), never judged here; None without one.
    """
    strip = report.get("level_strip") or []
    if not strip:
        return None
    with matplotlib.rc_context({"font.size": TEXT_PT, "xtick.labelsize": TEXT_PT,
                                "ytick.labelsize": TEXT_PT, "axes.labelsize": TEXT_PT}):
        fig = Figure(figsize=(PANEL_WIDTH_IN, STRIP_IN), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        x = charts._x(d["date"] for d in strip)
        for level, (colour, hatch) in LEVEL_STYLES.items():
            days = [i for i, d in enumerate(strip) if d["level"] == level]
            if days:
                ax.bar(x[days] + 0.5, 1.0, width=1.0, color=colour, edgecolor=charts.INK,
                       linewidth=0.3, hatch=hatch or None)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        charts._date_axis(ax, report)
        ax.set_xlabel("")
        ax.tick_params(labelsize=TEXT_PT)
        handles = [Patch(facecolor=c, edgecolor=charts.INK, linewidth=0.5,
                                hatch=h or None, label=level)
                   for level, (c, h) in LEVEL_STYLES.items()]
        charts._legend(ax, "The load level of each day", handles)
        lines = getattr(fig, "loadwatch_legend_lines", 0)
        fig.set_figheight(STRIP_IN + AXIS_IN + LINE_IN * lines)
        for text in fig.findobj(Text):
            if text.get_fontsize() < TEXT_PT:
                text.set_fontsize(TEXT_PT)
        w, h = fig.get_size_inches()
        return Panel("level_strip", _strip_alt(report, strip), _svg(fig), round(w * 96),
                     round(h * 96))


def _strip_alt(report: dict, strip: list[dict]) -> str:
    """The strip in words: how many days at each level, and each change of level."""
    counts = {level: sum(1 for d in strip if d["level"] == level) for level in LEVEL_STYLES}
    said = ", ".join(f"{fmt.plural(n, 'day')} {level}" for level, n in counts.items() if n)
    changes = [d for i, d in enumerate(strip) if i and d["level"] != strip[i - 1]["level"]]
    turns = "; ".join(f"{d['level']} from {fmt.day(d['date'])}" for d in changes[-6:])
    return (f"The load level of {one_line(report['athlete'])} day by day, "
            f"{fmt.day(strip[0]['date'])} to {fmt.day(strip[-1]['date'])}: {said}."
            + (f" Changes: {turns}." if turns else ""))


def _draw(name: str, report: dict) -> Figure:
    draw = {"weekly": charts._weekly, "acwr": charts._acwr, "runs": charts._runs,
            "calendar": charts._calendar, "pain": charts._pain}[name]
    fig = Figure(figsize=(PANEL_WIDTH_IN, charts._HEIGHTS[name]), layout="constrained")
    FigureCanvasAgg(fig)
    setattr(fig, charts.TEXT_PT_ATTR, TEXT_PT)
    ax = fig.add_subplot()
    draw(ax, report)
    ax.grid(axis="x", which="major", color=charts.GREY, alpha=0.25, linewidth=0.8)
    ax.set_axisbelow(True)
    charts._date_axis(ax, report)
    ax.set_xlabel("date (weeks from Monday)")
    ax.tick_params(labelsize=TEXT_PT)
    # The legend (its title and entries, wrapped) sits over the axes: the figure grows by it,
    # and by the date axis under them, so the axes keep their height.
    lines = getattr(fig, "loadwatch_legend_lines", 0)
    fig.set_figheight(charts._HEIGHTS[name] + AXIS_IN + LINE_IN * lines)
    for text in fig.findobj(Text):
        if text.get_fontsize() < TEXT_PT:
            text.set_fontsize(TEXT_PT)
    return fig


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context({"text.parse_math": False, "svg.fonttype": "none",
                                "svg.hashsalt": "loadwatch"}):
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    return buf.getvalue()


def _alt(name: str, report: dict) -> str:
    """What the panel shows, with its numbers, for a reader who cannot see it."""
    units = report["units"]
    weeks, days = report["weeks"], report.get("days") or []
    who = one_line(report["athlete"])
    if name == "weekly":
        severity = charts.week_severity(report)
        bars = "; ".join(f"{w['week']} {fmt.num(w['run_distance'], 1)} {units}"
                         + ("" if severity[w["week"]] == "none"
                            else f" ({severity[w['week']]} flag)") for w in weeks)
        return f"Weekly running distance of {who}, the last {len(weeks)} weeks: {bars}."
    if name == "acwr":
        known = [d for d in days if d.get("acwr") is not None]
        last = (f" The latest, {fmt.day(known[-1]['date'])}: {known[-1]['acwr']:.2f}."
                if known else " Not enough history yet.")
        return ("Load ratio day by day (the last 7 days against the 28-day weighted average; "
                f"1.0 is as usual, {charts.ACWR_HINT} loadwatch's hint threshold).{last}")
    if name == "runs":
        spikes = [r for r in report["runs"] if r.get("spike") in charts.SPIKE_STYLES]
        # A race is named as the race wherever its spike shows, the picture's words included.
        said = "; ".join(f"{fmt.day(r['date'])} "
                         f"{race_words(r.get('name') or '') + ' ' if r.get('race') else ''}"
                         f"{fmt.dist(r['distance'], units)} "
                         f"({r['spike']} spike, {r['spike_ratio']:.2f}x)" for r in spikes)
        return (f"Every run of the last {len(weeks)} weeks by distance ({len(report['runs'])} "
                "runs), over the longest run of the 30 days before each and the next long run's "
                f"ceiling. {'Spikes: ' + said + '.' if spikes else 'No spike.'}")
    if name == "calendar":
        ran = sum(1 for d in days if (d.get("run_distance") or 0) > 0)
        rest = sum(1 for d in days if d.get("rest"))
        cross = sum(1 for d in days if (d.get("cross_training") or 0) > 0)
        longest = max((n for _, n in charts.streaks(days)), default=0) if days else 0
        return (f"Calendar of {len(days)} days: {ran} run days, {rest} rest days, {cross} "
                f"cross-training days; the longest run streak {fmt.plural(longest, 'day')}.")
    pains = [d for d in days if d.get("pain") is not None]
    worst = max(pains, key=lambda d: d["pain"]) if pains else None
    top = (f" Highest {worst['pain']}/10 on {fmt.day(worst['date'])}." if worst else "")
    return f"Pain diary by day, severity 0 to 10 ({len(pains)} days recorded).{top}"


@charts._plain_text
def svg_panels(report: dict) -> list[Panel]:
    """The report's chart panels as SVG documents, in :data:`PANEL_ORDER` (pain only with a
    pain entry in the shown days)."""
    days = report.get("days") or []
    names = [n for n in PANEL_ORDER
             if n != "pain" or any(d.get("pain") is not None for d in days)]
    out = []
    with matplotlib.rc_context({"font.size": TEXT_PT, "xtick.labelsize": TEXT_PT,
                                "ytick.labelsize": TEXT_PT, "axes.labelsize": TEXT_PT}):
        for name in names:
            fig = _draw(name, report)
            w, h = fig.get_size_inches()
            out.append(Panel(name, _alt(name, report), _svg(fig), round(w * 96), round(h * 96)))
    return out
