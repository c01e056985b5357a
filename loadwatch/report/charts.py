"""The report's charts, drawn with matplotlib from the report dict alone.

:func:`figure` lays out five panels on one date axis: weekly run distance coloured
by the week's worst flag (with the change % over jumps), the EWMA acute:chronic
ratio with its bands, runs with their long-run spikes marked, a calendar strip of
rest, run and cross-training days with the run streak, and the pain diary's
severity. Colours are from the Okabe-Ito colour-blind-safe palette.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

SEVERITY_COLOURS = {"none": "#56B4E9", "info": "#009E73", "caution": "#E69F00", "high": "#D55E00"}
SPIKE_MARKERS = {"small": ("^", "#E69F00", 60), "moderate": ("^", "#D55E00", 90),
                 "large": ("*", "#CC0000", 220)}
REST, RUN, CROSS = "#BBBBBB", "#0072B2", "#009E73"


def _d(iso: str) -> date:
    return date.fromisoformat(iso)


def _dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def week_severity(report: dict) -> dict[str, str]:
    """The worst severity of the flags whose [date, last_date] touches each week (by week label)."""
    order = ["none", "info", "caution", "high"]
    out = {}
    for w in report["weeks"]:
        start, end = _d(w["start"]), _d(w["end"])
        worst = "none"
        for f in report["flags"]:
            touches = _d(f["date"]) <= end and _d(f["last_date"]) >= start
            if touches and order.index(f["severity"]) > order.index(worst):
                worst = f["severity"]
        out[w["week"]] = worst
    return out


def figure(report: dict, *, width_in: float = 11.0) -> Figure:
    """The report's charts as a matplotlib Figure (not yet saved)."""
    units = report["units"]
    days = report.get("days") or []
    has_pain = any(d.get("pain") is not None for d in days)
    panels = 5 if has_pain else 4
    heights = [3, 2, 2, 0.9] + ([1.6] if has_pain else [])
    fig, axes = plt.subplots(panels, 1, figsize=(width_in, sum(heights) * 0.95 + 1.2), sharex=True,
                             gridspec_kw={"height_ratios": heights})
    fig.suptitle(f"{report['athlete']}: training load to {report['as_of']}", fontsize=13)
    _weekly(axes[0], report, units)
    _acwr(axes[1], days)
    _runs(axes[2], report, units)
    _calendar(axes[3], days)
    if has_pain:
        _pain(axes[4], report, days)
    axis = axes[-1]
    axis.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    for label in axis.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")
    axis.set_xlabel("date (weeks start on Monday)")
    fig.tight_layout()
    return fig


def _weekly(ax, report: dict, units: str) -> None:
    sev = week_severity(report)
    starts = [_d(w["start"]) for w in report["weeks"]]
    heights = [w["run_distance"] or 0.0 for w in report["weeks"]]
    colours = [SEVERITY_COLOURS[sev[w["week"]]] for w in report["weeks"]]
    bars = ax.bar(starts, heights, width=6, align="edge", color=colours, edgecolor="black",
                  linewidth=0.4)
    for bar, w in zip(bars, report["weeks"], strict=True):
        if w["change_pct"] is not None and w["change_pct"] > 10:
            ax.annotate(f"+{w['change_pct']:.0f}%", (bar.get_x() + bar.get_width() / 2,
                                                     bar.get_height()),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                        textcoords="offset points")
    ax.set_ylabel(f"weekly run\ndistance [{units}]")
    ax.set_ylim(0, max(heights + [1]) * 1.2)
    ax.legend(handles=[Patch(color=c, label=f"worst flag: {s}") for s, c in SEVERITY_COLOURS.items()],
              loc="upper left", fontsize=7, ncol=4, frameon=False)
    ax.grid(axis="y", alpha=0.3)


def _acwr(ax, days: list[dict]) -> None:
    xs = [_d(d["date"]) for d in days if d.get("acwr") is not None]
    ys = [d["acwr"] for d in days if d.get("acwr") is not None]
    ax.axhspan(0.8, 1.3, color="#009E73", alpha=0.12, label="0.8-1.3 'sweet spot'")
    ax.axhspan(1.5, max(ys + [2.0]) + 0.2, color="#D55E00", alpha=0.12, label=">= 1.5 'danger'")
    ax.plot(xs, ys, color="black", linewidth=1.4, label="EWMA acute:chronic (7:28 days)")
    ax.set_ylabel("load ratio\n[acute:chronic]")
    ax.legend(loc="upper left", fontsize=7, ncol=3, frameon=False)
    ax.text(1.0, 1.02, "contested; not linked to injury in runners", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7, style="italic")
    ax.grid(axis="y", alpha=0.3)


def _runs(ax, report: dict, units: str) -> None:
    runs = report["runs"]
    xs = [_d(r["date"]) for r in runs]
    ys = [r["distance"] for r in runs]
    ax.scatter(xs, ys, s=14, color=RUN, label="run", zorder=2)
    for kind, (marker, colour, size) in SPIKE_MARKERS.items():
        sel = [r for r in runs if r["spike"] == kind]
        if sel:
            ax.scatter([_d(r["date"]) for r in sel], [r["distance"] for r in sel], marker=marker,
                       s=size, color=colour, edgecolor="black", linewidth=0.5, zorder=3,
                       label=f"{kind} spike")
            for r in sel:
                if kind != "small":
                    ax.annotate(f"{r['spike_ratio']:.2f}x", (_d(r["date"]), r["distance"]),
                                xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set_ylabel(f"run distance\n[{units}]")
    ax.set_ylim(0, max(ys + [1]) * 1.3)
    ax.legend(loc="upper left", fontsize=7, ncol=4, frameon=False)
    ax.grid(axis="y", alpha=0.3)


def _calendar(ax, days: list[dict]) -> None:
    for d in days:
        colour = REST if d["rest"] else (RUN if d["run_distance"] else CROSS)
        ax.bar(_d(d["date"]), 1, width=0.9, color=colour, align="edge")
        if d["run_streak"] >= 7:
            ax.plot([_dt(d["date"]), _dt(d["date"]) + timedelta(days=0.9)], [1.12, 1.12],
                    color="#D55E00", linewidth=3, solid_capstyle="butt")
    ax.set_ylim(0, 1.3)
    ax.set_yticks([])
    ax.set_ylabel("days")
    ax.legend(handles=[Patch(color=REST, label="rest"), Patch(color=RUN, label="run"),
                       Patch(color=CROSS, label="cross-training only"),
                       Patch(color="#D55E00", label="run streak >= 7 days")],
              loc="upper left", bbox_to_anchor=(0, -0.05), fontsize=7, ncol=4, frameon=False)


def _pain(ax, report: dict, days: list[dict]) -> None:
    sel = [d for d in days if d.get("pain") is not None]
    ax.bar([_d(d["date"]) for d in sel], [d["pain"] for d in sel], width=0.9, align="edge",
           color="#CC79A7", label="pain severity")
    red = {f["date"] for f in report["flags"] if f["code"] == "pain_red_flag"}
    reds = [d for d in sel if d["date"] in red]
    if reds:
        ax.scatter([_dt(d["date"]) + timedelta(days=0.45) for d in reds], [d["pain"] + 0.8 for d in reds],
                   marker="X", s=80, color="#CC0000", label="red flag: get it checked")
    ax.set_ylim(0, 11)
    ax.set_ylabel("pain\n[0-10]")
    ax.legend(loc="upper left", fontsize=7, ncol=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def render_png(report: dict, *, width_in: float = 11.0, dpi: int = 110) -> bytes:
    """The full chart as PNG bytes."""
    return _png(figure(report, width_in=width_in), dpi)


def render_small_png(report: dict) -> bytes:
    """A small chart of the weekly distance, coloured by flag, for the squad page."""
    fig, ax = plt.subplots(figsize=(4.0, 1.4))
    _weekly(ax, report, report["units"])
    ax.get_legend().remove()
    ax.set_ylabel(report["units"], fontsize=7)
    ax.tick_params(labelsize=6)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    fig.tight_layout()
    return _png(fig, 100)
