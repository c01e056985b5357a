"""A squad row's small chart: the weekly running distance as an inline SVG sparkline.

Drawn as a few lines of SVG text, not with matplotlib: a page of 1,000 athletes gets 1,000
of them in a few milliseconds, and the page stays one self-contained file (inline SVG
needs no image source and no style: every look is a presentation attribute, which the
page's Content-Security-Policy allows).

What it shows, and says in its accessible name (``aria-label`` and ``<title>``):
every week of the report (``weeks[].run_distance``, in the report's units, as
:func:`loadwatch.report.fmt.dist` writes them elsewhere), the least and the most of
those weeks labelled at their heights (the scale starts at half the most or lower,
:data:`FLOOR_SHARE`), and the first week's date and "this week" under it;
the latest week is a larger dot, and a week still in progress is drawn dashed and said
"so far".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from loadwatch.report import fmt
from loadwatch.words import day_month_words

WIDTH, HEIGHT = 200, 58
"""The sparkline's size. [CSS px] Fits a 390 px phone's card beside nothing else."""
LEFT, RIGHT, TOP, BOTTOM = 52, 194, 8, 36
"""The plot area inside the sparkline: the scale's labels left of it, the dates under it. [px]"""
FONT_PX = 11
"""The labels' size: the issue's least readable text on a phone. [CSS px]"""
FLOOR_SHARE = 0.5
"""The scale's bottom is the least week or this share of the most, whichever is lower: a wobble of
a few per cent (34 and 35 km) stays a small wobble, not a zig-zag across the chart, while a
real change fills it. loadwatch's presentation rule. [share of the most week]"""
LINE, DOT, LABEL = "#0072B2", "#0072B2", "#333333"
"""Okabe-Ito blue for the line and dots; labels in dark grey (12.6:1 on white, WCAG AA)."""


@dataclass(frozen=True)
class Sparkline:
    """One athlete's sparkline: its SVG markup and the words it says."""

    svg: Markup
    label: str


def _value(week: dict) -> float:
    return float(week.get("run_distance") or 0.0)


def describe(report: dict) -> str | None:
    """"Weekly running distance, 8 weeks from 28 Sep to 22 Nov: 29.0 to 43.0 km; this week
    43.0 km", or None when the report has no weeks."""
    weeks = report.get("weeks") or []
    if not weeks:
        return None
    units = report["units"]
    values = [_value(w) for w in weeks]
    first = day_month_words(date.fromisoformat(weeks[0]["start"]))
    last_week = weeks[-1]
    end = day_month_words(date.fromisoformat(last_week["end"] if last_week.get("complete")
                                             else report.get("as_of") or last_week["end"]))
    lo, hi = min(values), max(values)
    scale = (f"{fmt.dist(lo, units)} every week" if lo == hi else
             f"{lo:.1f} to {fmt.dist(hi, units)}")
    now = (f"this week {fmt.dist(values[-1], units)}" if last_week.get("complete") else
           f"this week so far ({fmt.plural(last_week.get('days') or 0, 'day')}) "
           f"{fmt.dist(values[-1], units)}")
    return (f"Weekly running distance, {fmt.plural(len(weeks), 'week')} from {first} to {end}: "
            f"{scale}; {now}")


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def sparkline(report: dict) -> Sparkline | None:
    """The sparkline of ``report`` (``loadwatch/report-v3``), or None without weeks."""
    label = describe(report)
    if label is None:
        return None
    weeks, units = report["weeks"], report["units"]
    values = [_value(w) for w in weeks]
    lo, hi = min(values), max(values)
    floor = min(lo, hi * FLOOR_SHARE)
    span = hi - floor
    n = len(values)
    step = (RIGHT - LEFT) / (n - 1) if n > 1 else 0.0
    xs = [LEFT + i * step if n > 1 else (LEFT + RIGHT) / 2 for i in range(n)]
    # Least at the bottom, most at the top; all equal: one level line across the middle.
    ys = [(TOP + BOTTOM) / 2 if span == 0 else BOTTOM - (v - floor) / span * (BOTTOM - TOP)
          for v in values]
    points = [f"{_num(x)},{_num(y)}" for x, y in zip(xs, ys, strict=True)]
    in_progress = not weeks[-1].get("complete", True) and n > 1
    solid = points[:-1] if in_progress else points
    parts = [f'<svg class="spark" role="img" aria-label="{escape(label)}" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-size="{FONT_PX}" '
             f'font-family="system-ui, sans-serif" fill="{LABEL}">',
             f"<title>{escape(label)}</title>"]
    if len(solid) > 1:
        parts.append(f'<polyline points="{" ".join(solid)}" fill="none" stroke="{LINE}" '
                     'stroke-width="1.5" stroke-linejoin="round"/>')
    if in_progress:
        parts.append(f'<polyline points="{points[-2]} {points[-1]}" fill="none" stroke="{LINE}" '
                     'stroke-width="1.5" stroke-dasharray="3 2"/>')
    parts += [f'<circle cx="{_num(x)}" cy="{_num(y)}" r="1.6" fill="{DOT}"/>'
              for x, y in zip(xs[:-1], ys[:-1], strict=True)]
    parts.append(f'<circle cx="{_num(xs[-1])}" cy="{_num(ys[-1])}" r="3" fill="{DOT}"/>')
    # The scale: the most and the least, each at its own height (the least pushed down clear
    # of the most), right-aligned left of the plot.
    if lo == hi:
        parts.append(_text(LEFT - 4, min(ys) + 4, fmt.dist(hi, units), "end"))
    else:
        top_y, low_y = min(ys) + 4, max(ys) + 4
        parts.append(_text(LEFT - 4, top_y, fmt.dist(hi, units), "end"))
        parts.append(_text(LEFT - 4, max(low_y, top_y + FONT_PX + 2), fmt.dist(lo, units), "end"))
    first = day_month_words(date.fromisoformat(weeks[0]["start"]))
    parts.append(_text(LEFT, HEIGHT - 3, first, "start"))
    if n > 1:
        parts.append(_text(RIGHT, HEIGHT - 3, "this week", "end"))
    parts.append("</svg>")
    return Sparkline(Markup("".join(parts)), label)


def _text(x: float, y: float, words: str, anchor: str) -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{escape(words)}</text>'
