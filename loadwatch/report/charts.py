"""The report's charts, drawn with matplotlib from the report dict alone.

:func:`figure` stacks up to five panels on one date axis, each read from the
report (``loadwatch/report-v3``, :mod:`.model`):

(a) weekly run distance, each bar coloured and hatched by the worst evidence-led flag
    touching the week (spikes, weekly jumps: the conditions that can raise the
    risk level), with the change on the week before written over weeks that grew
    by more than 10%;
(b) the acute:chronic load ratio (:func:`loadwatch.engine.ratios.ewma_acwr`) as a
    plain line with 1.0 (your usual) and loadwatch's habit threshold marked; no
    "sweet spot" or "danger zone" is shaded, because those bands come from team
    sports and were not linked to injury in runners;
(c) every run as a point on its day, long-run spikes marked by band (small,
    moderate, large) with the ratio written for moderate and large, over the
    longest run of the previous 30 days it is measured against, and the next long
    run's ceiling over time as a step line (1.1x the longest run of 30 days that
    was not itself a spike: ``days[].ceiling``);
(d) a calendar strip: run days, rest days, cross-training days and the run
    streaks with their length;
(e) the pain diary's severity 0-10, red-flag days marked (only with pain data).

Colours are the Okabe-Ito palette, safe for colour-blind readers, and every
colour has a second cue (marker shape, row or label). Figures are built on the
Agg canvas directly, never through pyplot, so no display is touched and nothing
stays registered after the PNG is written.

References
----------
.. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and
   presentations that are friendly to colorblind people," 2002-2008.
   https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
from datetime import date, timedelta

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from loadwatch.report import fmt
from loadwatch.safetext import one_line

SEVERITY_COLOURS = {"none": "#56B4E9", "info": "#009E73", "caution": "#E69F00", "high": "#D55E00"}
"""Bar colour per worst flag severity of a week (Okabe-Ito sky blue, green, orange, vermillion)."""
SEVERITY_HATCHES = {"none": "", "info": "..", "caution": "\\\\", "high": "xx"}
"""Hatch per worst flag severity of a week: the bar's second cue, so that a reader who cannot
tell the colours apart still tells a high week from a quiet one (never colour alone). A week
not over adds ``///``."""
SEVERITY_ORDER = ("none", "info", "caution", "high")
SPIKE_STYLES = {"small": ("^", "#E69F00", 55), "moderate": ("D", "#D55E00", 55),
                "large": ("*", "#D55E00", 260)}
"""Marker, colour and size [pt^2] per long-run spike band; the shape alone tells them apart."""
RUN, REST, CROSS, PAIN, INK, GREY = "#0072B2", "#C8C8C8", "#009E73", "#CC79A7", "#000000", "#6E6E6E"
ACWR_HINT = 1.3
"""loadwatch's ``acwr_caution`` default, drawn as a dashed line: a habit threshold, not a band."""
JUMP_LABEL_PCT = 10.0
"""Weeks whose distance grew by more than this [%] get their change written over the bar."""
STREAK_MIN_DAYS, STREAK_LABEL_DAYS = 2, 3
"""Run streaks are drawn from 2 days [days] and labelled from 3 (shorter ones would clutter)."""
TOLERANCE = 1e-9
"""Slack for band edges: (11 - 10) / 10 * 100 is 10.000000000000009."""

TITLE_CHARS_PER_IN, LEGEND_ENTRY_IN, DATE_LABELS_PER_IN = 13, 2.1, 1.6
"""Layout: panel-title characters per inch at 9 pt, legend column width [in], date labels
per inch of width (one per Monday while they fit)."""
TEXT_PT_ATTR = "loadwatch_text_pt"
"""Figure attribute holding the one text size [pt] of a panel drawn for a phone."""
CHAR_EM = 0.62
"""Mean width of a DejaVu Sans character, in ems, for wrapping legend titles. [em]"""
_HEIGHTS = {"weekly": 2.6, "acwr": 1.8, "runs": 2.1, "calendar": 1.0, "pain": 1.4}
"""Panel heights [in], before each panel's legend row."""


def _x(isos) -> np.ndarray:
    """Matplotlib date numbers [days] of the midnights starting ISO dates."""
    return mdates.date2num(np.array(list(isos), dtype="datetime64[D]"))


def _values(items: list[dict], key: str) -> np.ndarray:
    """``item[key]`` of each item as floats, None as NaN."""
    return np.array([np.nan if i.get(key) is None else i[key] for i in items], dtype=float)


def _rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity)


def week_severity(report: dict) -> dict[str, str]:
    """The worst severity of the evidence-led flags touching each week, by week label.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.

    Returns
    -------
    dict of str to str
        ``none``, ``info``, ``caution`` or ``high`` per ``week`` label.

    Notes
    -----
    A flag touches the week [start, end] when its days [start, last_date] overlap
    it. Habits (streaks, ratios, monotony) do not colour weeks: the colour follows
    the risk level's evidence.
    """
    out = {}
    for w in report["weeks"]:
        touching = [f["severity"] for f in report["history"] if f["severity"] in SEVERITY_ORDER
                    and f["kind"] == "evidence" and f["code"] != "pain_red_flag"
                    and f["start"] <= w["end"] and f["last_date"] >= w["start"]]
        out[w["week"]] = max(touching, key=_rank, default="none")
    return out


def _plain_text(build):
    """Build a figure with mathtext off for every text in it.

    Names come from folders and config files, pain locations from the runner: a
    ``$`` would start matplotlib's mathtext and an unbalanced one makes saving the
    figure fail. Each Text takes ``text.parse_math`` when it is made, so turning it
    off around the whole build covers every title, label, legend and annotation.
    """
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False}):
            return build(*args, **kwargs)
    return wrapper


@_plain_text
def figure(report: dict, *, width_in: float = 11.0) -> Figure:
    """The report's charts as a matplotlib Figure on the Agg canvas (not yet saved).

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report; only its ``weeks``, ``days``, ``runs`` and
        ``flags`` are drawn.
    width_in : float, default 11
        Figure width. [in]

    Returns
    -------
    matplotlib.figure.Figure
        Axes in order: weekly distance, ACWR, runs, calendar, then pain when any day
        has a pain entry.
    """
    days = report.get("days") or []
    panels = ["weekly", "acwr", "runs", "calendar"]
    if any(d.get("pain") is not None for d in days):
        panels.append("pain")
    heights = [_HEIGHTS[p] for p in panels]
    fig = Figure(figsize=(width_in, sum(heights) + 0.55 * len(panels) + 1.0), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(panels), 1, sharex=True, height_ratios=heights)
    draw = {"weekly": _weekly, "acwr": _acwr, "runs": _runs, "calendar": _calendar, "pain": _pain}
    for ax, name in zip(axes, panels, strict=True):
        draw[name](ax, report)
        ax.grid(axis="x", which="major", color=GREY, alpha=0.25, linewidth=0.8)
        ax.set_axisbelow(True)
    # The name came from a folder or a config file: "$" must not start matplotlib's mathtext,
    # and a control character (a CR) has no glyph: matplotlib would warn with a source line.
    fig.suptitle(f"{one_line(report['athlete'])}: training load to "
                 f"{fmt.day(report['as_of'], year=True)}",
                 fontsize=13, fontweight="bold", parse_math=False)
    _date_axis(axes[-1], report)
    return fig


def _legend(ax, title: str, handles=None) -> None:
    """The panel's legend above it, its title naming what the panel shows.

    Title and entries are wrapped to the figure's width, so a narrow figure gets more
    lines rather than squeezed axes.
    """
    fig = ax.get_figure()
    width_in = fig.get_figwidth()
    if handles is None:
        handles, _ = ax.get_legend_handles_labels()
    labels = [h.get_label() for h in handles]
    # A panel drawn for a phone (loadwatch.report.panels) sets its one text size on the figure:
    # the legend then takes that size, one entry a line, title and entries wrapped to the width.
    pt = getattr(fig, TEXT_PT_ATTR, None)
    if pt:
        chars, ncol, size, title_size = int(width_in * 72 / (CHAR_EM * pt)), 1, pt, pt
        labels = ["\n".join(textwrap.wrap(label, chars - 4)) for label in labels]
    else:
        chars = max(30, int(width_in * TITLE_CHARS_PER_IN))
        ncol = max(1, min(len(handles), int(width_in / LEGEND_ENTRY_IN)))
        size, title_size = 8, 9
    title = "\n".join(textwrap.wrap(title, chars))
    fig.loadwatch_legend_lines = title.count("\n") + 1 + sum(
        label.count("\n") + 1 for label in labels)
    ax.legend(handles=handles, labels=labels, title=title, loc="lower left",
              bbox_to_anchor=(0, 1.0),
              ncol=ncol, frameon=False, fontsize=size, title_fontsize=title_size,
              alignment="left", borderaxespad=0.2, handletextpad=0.4, columnspacing=1.2)


def _sunday(week: dict) -> str:
    return (date.fromisoformat(week["start"]) + timedelta(days=6)).isoformat()


def _so_far(week: dict, as_of: str) -> bool:
    """Whether the week is not over on the report date (its ``end`` is then as_of)."""
    return _sunday(week) > as_of


def _span(report: dict) -> tuple[float, float]:
    """First and last date numbers [days] the axis shows: whole weeks, and the days to as_of."""
    starts = [w["start"] for w in report["weeks"]] + [d["date"] for d in report.get("days") or []]
    ends = [_sunday(w) for w in report["weeks"]] + [report["as_of"]]
    first = min(starts) if starts else (date.fromisoformat(report["as_of"])
                                        - timedelta(days=6)).isoformat()
    left, right = _x([first, max(ends)])
    return left, right + 1


def _date_axis(ax, report: dict) -> None:
    left, right = _span(report)
    ax.set_xlim(left, right)
    weeks = max(1, round((right - left) / 7))
    every = math.ceil(weeks / (ax.get_figure().get_figwidth() * DATE_LABELS_PER_IN))
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=every))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b\n%Y" if weeks > 26 else "%-d %b"))
    ax.set_xlabel("date (grid lines on Mondays; weeks run Monday to Sunday)")


def _weekly(ax, report: dict) -> None:
    weeks = report["weeks"]
    units = report["units"]
    severity = week_severity(report)
    left = _x(w["start"] for w in weeks)
    heights = np.nan_to_num(_values(weeks, "run_distance"))
    colours = [SEVERITY_COLOURS[severity[w["week"]]] for w in weeks]
    # A week is 7 days wide; the gap keeps neighbouring bars apart.
    bars = ax.bar(left + 3.5, heights, width=6.4, color=colours, edgecolor=INK, linewidth=0.5)
    for bar, w in zip(bars, weeks, strict=True):
        hatch = SEVERITY_HATCHES[severity[w["week"]]] + ("///" if _so_far(w, report["as_of"])
                                                          else "")
        if hatch:
            bar.set_hatch(hatch)
        change = w.get("change_pct")
        if change is not None and change > JUMP_LABEL_PCT + TOLERANCE:
            ax.annotate(f"+{change:.0f}%", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=8, fontweight="bold")
    ax.set_ylim(0, max(heights.max(initial=0.0), 1.0) * 1.22)
    ax.set_ylabel(f"run distance\n[{units}/week]")
    ax.grid(axis="y", color=GREY, alpha=0.3)
    handles = [Patch(facecolor=c, edgecolor=INK, linewidth=0.5, hatch=SEVERITY_HATCHES[s] or None,
                     label=s) for s, c in SEVERITY_COLOURS.items()]
    if any(_so_far(w, report["as_of"]) for w in weeks):
        handles.append(Patch(facecolor="white", edgecolor=INK, hatch="///", label="week so far"))
    _legend(ax, "(a) Weekly running distance, coloured and hatched by the week's worst "
            f"evidence-led flag; +% = more than {JUMP_LABEL_PCT:.0f}% up on the week before", handles)


def _acwr(ax, report: dict) -> None:
    days = report.get("days") or []
    x = _x(d["date"] for d in days) + 0.5
    y = _values(days, "acwr")
    defined = np.flatnonzero(~np.isnan(y))
    top = max(2.0, np.nanmax(y) + 0.25) if len(defined) else 2.0
    ax.axhline(1.0, color=GREY, linewidth=1.0, label="1.0: load as usual")
    ax.axhline(ACWR_HINT, color=SEVERITY_COLOURS["caution"], linewidth=1.0, linestyle="--",
               label=f"{ACWR_HINT}: loadwatch's hint threshold (a habit, not a risk)")
    if len(defined):
        # Undefined days inside the span stay NaN, so the line breaks there.
        span = slice(defined[0], defined[-1] + 1)
        ax.plot(x[span], y[span], color=INK, linewidth=1.5, label="ratio, whole weeks (7:28)")
    else:
        ax.text(0.5, 0.5, "not enough history yet (the ratio needs 42 days)",
                transform=ax.transAxes, ha="center", va="center", color=GREY)
    ax.set_ylim(0, top)
    ax.set_ylabel("acute:chronic\n[ratio]")
    ax.grid(axis="y", color=GREY, alpha=0.3)
    _legend(ax, "(b) Load ratio: last 7 days against your 28-day weighted average. A hint "
            "only: in runners it was not linked to injury, and the team-sport bands are contested")


def _runs(ax, report: dict) -> None:
    runs = report["runs"]
    units = report["units"]
    x = _x(r["date"] for r in runs) + 0.5
    dist = _values(runs, "distance")
    ref = _values(runs, "reference")
    spike = np.array([r.get("spike") or "none" for r in runs], dtype=object)
    # The reference for a run holds from the day after the previous run up to its own day.
    ax.plot(x, ref, drawstyle="steps-pre", color=GREY, linestyle="--", linewidth=1,
            label="longest run of the 30 days before")
    _ceiling(ax, report)
    plain = ~np.isin(spike, list(SPIKE_STYLES))
    ax.scatter(x[plain], dist[plain], s=16, color=RUN, zorder=2, label="run")
    for band, (marker, colour, size) in SPIKE_STYLES.items():
        sel = spike == band
        if not sel.any():
            continue
        ax.scatter(x[sel], dist[sel], marker=marker, s=size, color=colour, edgecolor=INK,
                   linewidth=0.6, zorder=3, label=f"{band} spike")
        if band != "small":
            for xi, di, r in zip(x[sel], dist[sel], np.array(runs, dtype=object)[sel], strict=True):
                if r.get("spike_ratio") is not None:
                    _ratio_label(ax, report, xi, di, r["spike_ratio"])
    ceiling = _values(report.get("days") or [], "ceiling")
    top = max(np.nanmax(dist, initial=0.0), np.nanmax(ceiling, initial=0.0), 1.0)
    ax.set_ylim(0, top * 1.3)
    ax.set_ylabel(f"run distance\n[{units}]")
    ax.grid(axis="y", color=GREY, alpha=0.3)
    _legend(ax, "(c) Runs; spikes: longer than the longest run of the previous 30 days by "
            "> 10% (small), > 30% (moderate), > 100% (large)")


def _ceiling(ax, report: dict) -> None:
    """The next long run's ceiling as a step line: each day's ``ceiling`` held for that day.

    ``days[].ceiling`` is 1.1x the longest adapted run of the 30 days up to the day
    (:func:`loadwatch.verdict.next_week.ceiling_series`), in the report's units; a
    day without one (no adapted run in the window) breaks the line.
    """
    days = report.get("days") or []
    if not days:
        return
    # One more point at the end of the last day, so its step is drawn a whole day wide.
    x = np.append(_x(d["date"] for d in days), _x([days[-1]["date"]]) + 1)
    y = _values(days, "ceiling")
    if np.isnan(y).all():
        return
    ax.plot(x, np.append(y, y[-1]), drawstyle="steps-post", color=SEVERITY_COLOURS["info"],
            linewidth=1.6, label="next long run's ceiling (1.1x the longest non-spike run of 30 days)")


def _ratio_label(ax, report: dict, x: float, y: float, ratio: float) -> None:
    """The spike ratio beside its marker, on the left near the right edge so it stays inside."""
    left, right = _span(report)
    near_edge = x > right - 0.08 * (right - left)
    ax.annotate(f"{ratio:.2f}x", (x, y), xytext=(-7 if near_edge else 7, 3),
                textcoords="offset points", ha="right" if near_edge else "left", fontsize=8,
                fontweight="bold")


def streaks(days: list[dict]) -> list[tuple[int, int]]:
    """Run streaks in the shown days as (index of first day, length [days]).

    Notes
    -----
    A streak ends on a day with ``run_streak`` > 0 followed by a 0 (or the last day);
    its length is that day's ``run_streak``, so a streak that began before the shown
    days keeps its full length while its first index is clipped to 0.
    """
    s = np.array([d["run_streak"] for d in days], dtype=int)
    following = np.append(s[1:], 0)
    ends = np.flatnonzero((s > 0) & (following == 0))
    return [(max(0, int(e - s[e] + 1)), int(s[e])) for e in ends]


def _streak_severity(report: dict, first: str, last: str) -> str:
    touching = [f["severity"] for f in report["history"] if f["severity"] in SEVERITY_ORDER
                and f["code"] == "run_streak" and f["start"] <= last and f["last_date"] >= first]
    return max(touching, key=_rank, default="none")


def _calendar(ax, report: dict) -> None:
    days = report.get("days") or []
    x = _x(d["date"] for d in days)
    ran = _values(days, "run_distance") > 0
    rest = np.array([bool(d["rest"]) for d in days], dtype=bool)
    cross = _values(days, "cross_training") > 0
    for sel, row, colour, label in ((ran, 1, RUN, "run day"), (rest, 1, REST, "rest day"),
                                    (cross, 0, CROSS, "cross-training")):
        ax.bar(x[sel] + 0.5, 0.8, bottom=row + 0.1, width=0.86, color=colour, label=label)
    flagged = set()
    for start, length in streaks(days):
        if length < STREAK_MIN_DAYS:
            continue
        end = min(start + length, len(days)) - 1
        severity = _streak_severity(report, days[start]["date"], days[end]["date"])
        colour = GREY if severity == "none" else SEVERITY_COLOURS[severity]
        if severity != "none":
            flagged.add(severity)
        # A flagged streak carries its severity's hatch too (never colour alone).
        hatch = SEVERITY_HATCHES.get(severity) or None
        ax.broken_barh([(x[start] + 0.07, x[end] - x[start] + 0.86)], (2.05, 0.3),
                       facecolor=colour, edgecolor=INK if hatch else colour, linewidth=0.0,
                       hatch=hatch)
        if length >= STREAK_LABEL_DAYS:
            ax.text((x[start] + x[end] + 1) / 2, 2.42, f"{length} d", ha="center", va="bottom",
                    fontsize=7)
    ax.set_ylim(0, 2.95)
    ax.set_yticks([0.5, 1.5, 2.2], ["x-train", "run/rest", "streak"], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel("days")
    handles = [Patch(color=RUN, label="run day"), Patch(color=REST, label="rest day"),
               Patch(color=CROSS, label="cross-training day"),
               Patch(color=GREY, label="run streak (d = days)")]
    handles += [Patch(facecolor=SEVERITY_COLOURS[s], edgecolor=INK, linewidth=0.0,
                      hatch=SEVERITY_HATCHES[s] or None, label=f"streak with a {s} flag")
                for s in sorted(flagged, key=_rank)]
    _legend(ax, "(d) Calendar: one column per day", handles)


def _pain(ax, report: dict) -> None:
    days = report.get("days") or []
    x = _x(d["date"] for d in days) + 0.5
    pain = _values(days, "pain")
    recorded = ~np.isnan(pain)
    ax.bar(x[recorded], pain[recorded], width=0.8, color=PAIN, edgecolor=INK, linewidth=0.4,
           label="pain severity")
    free = recorded & (pain == 0)
    if free.any():
        ax.scatter(x[free], np.full(free.sum(), 0.35), s=18, facecolors="none", edgecolors=PAIN,
                   linewidth=1.2, label="pain-free day recorded")
    red_days = {f["start"] for f in report["history"] if f["code"] == "pain_red_flag"}
    red = recorded & np.array([d["date"] in red_days for d in days], dtype=bool)
    if red.any():
        ax.scatter(x[red], pain[red] + 1.0, marker="X", s=90, color=INK, zorder=3,
                   label="red flag: get it checked before running")
    ax.set_ylim(0, 11.8)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel("pain\n[0-10]")
    ax.grid(axis="y", color=GREY, alpha=0.3)
    _legend(ax, "(e) Pain diary: the day's highest severity")


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    # Tick labels are made while drawing: plain text there too.
    with matplotlib.rc_context({"text.parse_math": False}):
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def render_png(report: dict, *, width_in: float = 11.0, dpi: int = 110) -> bytes:
    """The full chart (:func:`figure`) as PNG bytes.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.
    width_in : float, default 11
        Figure width. [in]
    dpi : int, default 110
        Resolution; the PNG is ``width_in * dpi`` pixels wide. [pixels/in]
    """
    return _png(figure(report, width_in=width_in), dpi)


@_plain_text
def small_figure(report: dict, *, width_in: float = 3.2, height_in: float = 0.8) -> Figure:
    """A sparkline of the weekly run distance, bars coloured by the week's worst flag.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.
    width_in, height_in : float, default 3.2 and 0.8
        Figure size. [in]
    """
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.06, 0.98, 0.9))
    weeks = report["weeks"]
    severity = week_severity(report)
    heights = np.nan_to_num(_values(weeks, "run_distance"))
    ax.bar(np.arange(len(weeks)), heights, width=0.8,
           color=[SEVERITY_COLOURS[severity[w["week"]]] for w in weeks], edgecolor=INK,
           linewidth=0.3)
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.set_xlim(-0.6, max(len(weeks), 1) - 0.4)
    ax.set_ylim(0, max(heights.max(initial=0.0), 1.0) * 1.05)
    ax.set_axis_off()
    return fig


def render_small_png(report: dict, *, width_in: float = 3.2, height_in: float = 0.8,
                     dpi: int = 100) -> bytes:
    """:func:`small_figure` as PNG bytes, for the squad page (320 x 80 pixels by default)."""
    return _png(small_figure(report, width_in=width_in, height_in=height_in), dpi)
