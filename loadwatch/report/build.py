"""The weekly report: built once as a dict (:mod:`.model`), rendered as text, Markdown, HTML or JSON.

:func:`of_verdict` turns a :class:`loadwatch.verdict.Verdict` (from
:mod:`loadwatch.assessment`) into the report the command line, the squad view, the
alerts and the Python API all show; it reads no file and no setting itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from loadwatch.report import model
from loadwatch.verdict import Verdict

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class BuiltReport:
    """A report dict, the verdict it shows, and its chart on demand (rendered once)."""

    report: dict
    verdict: Verdict
    chart_png: Callable[[], bytes]


def of_verdict(verdict: Verdict, *, weeks: int = 8, import_report: dict | None = None,
               review: dict | None = None, level_strip: bool = True,
               levels: pd.DataFrame | None = None) -> BuiltReport:
    """The report of ``verdict``: ``weeks`` weeks in the table, ``import_report`` as ``import``,
    ``review`` (the athlete's own review, :func:`loadwatch.review.run.report_part`) as
    ``review``; ``level_strip`` False leaves the day-by-day level out (null: a squad's page
    does not draw it, and it is about a quarter of an athlete's cost); ``levels``: the
    verdict's level history when the caller has it (the review's,
    :func:`loadwatch.review.run.athlete_levels`), the strip's days read from it."""
    report = model.build(verdict, weeks=weeks, import_report=import_report, review=review,
                         level_strip=level_strip, levels=levels)

    @cache
    def chart() -> bytes:
        from loadwatch.report import charts  # matplotlib: only when a chart is drawn

        return charts.render_png(report)

    return BuiltReport(report, verdict, chart)


def render(report: dict, fmt: str, *, charts: Callable[[], bytes] | None = None,
           athlete_id: str | None = None) -> str:
    """The report as ``text``, ``markdown``, ``json``, ``html`` or ``ics`` (next week's plan as
    calendar events, their UIDs made from ``athlete_id``, else the athlete's name)."""
    if fmt == "ics":
        from loadwatch.report import ics

        return ics.render(report, athlete_id or str(report.get("athlete") or ""))
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        # Each renderer only for its own format (HTML loads Jinja2).
        from loadwatch.report import markdown

        return markdown.render(report)
    if fmt == "html":
        from loadwatch.report import html

        if charts is None:
            return html.render(report)
        # The page draws its charts as SVG panels a phone can read (the PNG is for --chart).
        from loadwatch.report import panels

        return html.render(report, panels=panels.svg_panels(report))
    from loadwatch.report import text

    return text.render(report)
