"""The weekly report: built once as a dict (:mod:`.model`), rendered as text, Markdown, HTML or JSON.

:func:`for_athlete` is the one place that turns an athlete's data, settings and
pain diary into a report; the CLI, the squad view and the alerts all call it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from loadwatch import engine, pain
from loadwatch import flags as flags_mod
from loadwatch.athlete import AthleteData
from loadwatch.config import ConfigError
from loadwatch.report import model
from loadwatch.verdict import Verdict, VerdictOptions, judge


@dataclass
class BuiltReport:
    """A report dict, the warnings met while building it, and its chart on demand."""

    report: dict
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Inputs left out of the report (a diary too large to read): the run is partial."""
    verdict: Verdict | None = None
    chart_png: Callable[[], bytes] = lambda: b""

    @property
    def flags(self) -> list[flags_mod.Flag]:
        """Every flag episode of the athlete's history."""
        return self.verdict.flags if self.verdict else []


def options_for(data: AthleteData, *, as_of: date, units: str | None = None,
                load: str = "distance") -> VerdictOptions:
    """Verdict options from the command line and the athlete's ``loadwatch.toml``.

    Raises
    ------
    loadwatch.config.ConfigError
        A bad ``[thresholds]`` key or value, naming the file.
    """
    cfg = data.config
    try:
        thresholds = flags_mod.Thresholds.from_mapping(cfg.thresholds)
    except (ValueError, TypeError, KeyError) as exc:
        named = re.search(r"thresholds\.(\w+)", str(exc))
        where = cfg.where(f"thresholds.{named.group(1)}") if named else cfg.where("thresholds")
        raise ConfigError(f"{where}: {exc}") from exc
    athlete = engine.AthleteParams(max_hr=cfg.athlete.max_hr, rest_hr=cfg.athlete.rest_hr,
                                   sex=cfg.athlete.sex)
    return VerdictOptions(as_of=as_of, units=units or cfg.athlete.units, load=load,
                          thresholds=thresholds, athlete=athlete, ignore=dict(cfg.ignore),
                          confirm=frozenset(cfg.confirm))


def for_athlete(data: AthleteData, *, as_of: date, weeks: int = 8, units: str | None = None,
                load: str = "distance", pain_path: Path | None = None) -> BuiltReport:
    """The report for one athlete, with the pain diary linked to the load flags."""
    options = options_for(data, as_of=as_of, units=units, load=load)
    errors = []
    try:
        diary, warnings = read_pain(pain_path if pain_path is not None
                                    else data.folder / "pain.csv", required=pain_path is not None)
    except pain.DiaryTooLarge as exc:
        # The load report stands without the diary; the caller says the diary was left out.
        diary, warnings, errors = None, [], [f"{exc}; this report leaves the pain diary out"]
    verdict = judge(data.timeline, data.name, options, diary)
    report = model.build(verdict, weeks=weeks, import_report=data.report.to_json())

    @cache
    def chart() -> bytes:
        from loadwatch.report import charts

        return charts.render_png(report)

    return BuiltReport(report, warnings, errors, verdict, chart)


def read_pain(path: Path, *, required: bool) -> tuple[pain.Diary | None, list[str]]:
    """The pain diary at ``path`` (None if absent), its notes and one warning per bad row.

    Raises
    ------
    loadwatch.pain.DiaryError
        A diary named on the command line is missing, or any diary is unreadable
        or has a wrong header.
    """
    if not path.is_file():
        if required:
            raise pain.DiaryError(f"{path}: no such pain diary")
        return None, []
    diary = pain.read_diary(path)
    return diary, list(diary.notes) + list(diary.errors)


def render(report: dict, fmt: str, *, charts: Callable[[], bytes] | None = None) -> str:
    """The report as ``text``, ``markdown``, ``json`` or ``html``."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from loadwatch.report import markdown

        return markdown.render(report)
    if fmt == "html":
        from loadwatch.report import html

        return html.render(report, charts() if charts else None)
    from loadwatch.report import text

    return text.render(report)
