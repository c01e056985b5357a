"""The weekly report as data: one dict that every renderer (text, Markdown, HTML, JSON) reads.

:func:`build` runs the engine and the flag rules on an athlete's timeline and
collects what a runner needs: the risk level first, this week against last
week, the active flags with their explanation and advice, pain episodes and
what preceded them, and the last weeks' table. The dict is the JSON report
(``"schema": "loadwatch/report-v1"``); distances are in the chosen units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from loadwatch import engine, pain
from loadwatch import flags as flags_mod
from loadwatch.flags import Flag

SCHEMA = "loadwatch/report-v1"
METRES_PER = {"km": 1000.0, "mi": 1609.344}
ACTIVE_DAYS = 7
"""A flag is active when its condition held in the last 7 days up to the report date."""


@dataclass
class ReportOptions:
    """What the report covers and how it counts."""

    as_of: date
    weeks: int = 8
    units: str = "km"
    load: str = "distance"
    thresholds: flags_mod.Thresholds = field(default_factory=flags_mod.Thresholds)
    athlete: engine.AthleteParams = field(default_factory=engine.AthleteParams)


def _num(value, digits: int = 2):
    """A JSON number, or None for NaN/NA/None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, int | bool):
        return value
    f = float(value)
    return round(f, digits) if digits is not None else f


def _int(value):
    v = _num(value, None)
    return None if v is None else int(v)


def build(timeline: pd.DataFrame, athlete: str, options: ReportOptions, *,
          import_report: dict | None = None, diary: pain.Diary | None = None
          ) -> tuple[dict, list[Flag]]:
    """The report-v1 dict for one athlete, and every flag raised over its history.

    Parameters
    ----------
    timeline : pandas.DataFrame
        The athlete's deduplicated timeline (``loadwatch.timeline.COLUMNS``).
    athlete : str
    options : ReportOptions
    import_report : dict, optional
        ``ImportReport.to_json()``, copied to ``import``.
    diary : loadwatch.pain.Diary, optional
        The pain diary: its red flags count for the risk level and come first; its
        episodes are linked to the load flags before them (``pain`` section).
    """
    per = METRES_PER[options.units]
    analysis = engine.analyse(timeline, options.as_of, load=options.load, athlete=options.athlete)
    load_flags = flags_mod.evaluate(analysis, options.thresholds, units=options.units)
    pain_section, red = None, []
    if diary is not None:
        pain_section, red = _pain(diary, load_flags, analysis, options.as_of)
    all_flags = red + load_flags
    level = flags_mod.risk_level(all_flags, options.as_of)
    active = _one_per_code(f for f in all_flags if f.active_on(options.as_of, ACTIVE_DAYS))

    weekly = analysis.weekly.tail(options.weeks)
    first_week_start = pd.Timestamp(weekly["start"].iloc[0]).date() if len(weekly) else options.as_of
    shown_flags = sorted((f for f in all_flags if f.until >= first_week_start),
                         key=lambda f: (f.date, -flags_mod.severity_rank(f.severity)))
    spikes = analysis.spikes
    if len(spikes):
        spikes = spikes[pd.to_datetime(spikes["date"]).dt.date >= first_week_start]
    codes = list(dict.fromkeys(f.code for f in active))
    report = {
        "schema": SCHEMA,
        "athlete": athlete,
        "as_of": options.as_of.isoformat(),
        "units": options.units,
        "load": options.load,
        "risk": {"level": level, "flags": codes},
        "active_flags": [_flag_json(f, active=True) for f in active],
        "weeks": [_week_json(w, per) for w in weekly.to_dict(orient="records")],
        "runs": [_run_json(r, per) for r in spikes.to_dict(orient="records")],
        "flags": [_flag_json(f, active=f.active_on(options.as_of, ACTIVE_DAYS))
                  for f in shown_flags],
        "streak": {"current": int(analysis.streak_current), "longest": int(analysis.streak_longest)},
        "days_since_rest": _int(analysis.days_since_rest),
        "days_since_cross_training": _int(analysis.days_since_cross_training),
        "days": _days_json(analysis, first_week_start, per, diary),
        "pain": pain_section,
        "import": import_report or {},
    }
    return report, all_flags


def _pain(diary: pain.Diary, load_flags: list[Flag], analysis, as_of: date
          ) -> tuple[dict, list[Flag]]:
    """The pain section and the diary's red flags (up to ``as_of``)."""
    in_range = diary.entries[diary.entries["date"].dt.date <= as_of]
    diary = pain.Diary(entries=in_range, errors=diary.errors)
    episodes = pain.episodes(diary)
    daily = analysis.daily
    start = pd.Timestamp(daily.index[0] if len(daily) else as_of).date()
    section = pain.pain_json(diary, episodes, pain.link(episodes, load_flags),
                             pain.patterns(episodes, load_flags, start, as_of))
    return section, pain.red_flag_flags(diary)


def _days_json(analysis, first_day: date, per: float, diary: pain.Diary | None) -> list[dict]:
    """One entry per local day of the shown weeks, for the charts and the JSON."""
    daily = analysis.daily[analysis.daily.index >= pd.Timestamp(first_day)]
    severity = {}
    if diary is not None and len(diary.entries):
        entries = diary.entries
        severity = entries.groupby(entries["date"].dt.date)["severity"].max().to_dict()
    return [{
        "date": day.date().isoformat(),
        "run_distance": round(row.run_distance_m / per, 2),
        "load": _num(row.load),
        "rest": bool(row.rest),
        "cross_training": int(row.cross_sessions),
        "run_streak": int(row.streak),
        "acwr": _num(row.acwr),
        "pain": _int(severity.get(day.date())),
    } for day, row in zip(daily.index, daily.itertuples(index=False), strict=True)]


def _one_per_code(flags) -> list[Flag]:
    """The active flags to show: per code the most severe, then the most recent, worst first.

    Pain red flags are all kept: each is its own reason to get checked.
    """
    best: dict[str, Flag] = {}
    kept = []
    for f in sorted(flags, key=_flag_order):
        if f.code == "pain_red_flag":
            kept.append(f)
        elif f.code not in best:
            best[f.code] = f
    return sorted(kept + list(best.values()), key=_flag_order)


def _flag_order(f: Flag) -> tuple:
    """Red flags first, then by severity, then by strength of evidence, then the most recent."""
    evidence = flags_mod.EVIDENCE.index(f.evidence) if f.evidence in flags_mod.EVIDENCE else 9
    return (f.code != "pain_red_flag", -flags_mod.severity_rank(f.severity), evidence,
            -f.until.toordinal())


def _flag_json(f: Flag, *, active: bool) -> dict:
    rule = flags_mod.RULES.get(f.code)
    return {
        "code": f.code,
        "severity": f.severity,
        "date": f.date.isoformat(),
        "last_date": f.until.isoformat(),
        "value": _num(f.value, 3),
        "threshold": _num(f.threshold, 3),
        "evidence": f.evidence,
        "source": f.source,
        "message": f.message,
        "title": rule.title if rule else f.code,
        "advice": rule.advice if rule else "",
        "active": active,
    }


def _week_json(w: dict, per: float) -> dict:
    return {
        "week": w["week"],
        "start": pd.Timestamp(w["start"]).date().isoformat(),
        "end": pd.Timestamp(w["end"]).date().isoformat(),
        "runs": _int(w["runs"]),
        "run_days": _int(w["run_days"]),
        "run_distance": _num(w["run_distance_m"] / per),
        "run_duration_s": _num(w["run_duration_s"], 0),
        "elevation_gain_m": _num(w["elevation_gain_m"], 0),
        "change_pct": _num(w["change_pct"], 1),
        "rest_days": _int(w["rest_days"]),
        "cross_training_sessions": _int(w["cross_training_sessions"]),
        "cross_training_duration_s": _num(w["cross_training_duration_s"], 0),
        "max_run_streak": _int(w["max_run_streak"]),
        "monotony": _num(w["monotony"]),
        "strain": _num(w["strain"], 1),
        "acwr": _num(w["acwr"]),
        "acwr_coupled": _num(w["acwr_coupled"]),
        "acwr_uncoupled": _num(w["acwr_uncoupled"]),
        "duration_change_pct": _num(w.get("duration_change_pct"), 1),
        "elevation_change_pct": _num(w.get("elevation_change_pct"), 1),
        "trimp": _num(w.get("trimp"), 1),
    }


def _run_json(r: dict, per: float) -> dict:
    start = r.get("start_local")
    return {
        "date": pd.Timestamp(r["date"]).date().isoformat(),
        "start_local": start.isoformat() if hasattr(start, "isoformat") else start,
        "distance": _num(r["distance_m"] / per),
        "reference": _num(r["reference_m"] / per),
        "spike_ratio": _num(r["spike_ratio"], 3),
        "spike": None if r.get("spike") is None or pd.isna(r.get("spike")) else r["spike"],
    }


def this_and_last_week(report: dict) -> tuple[dict | None, dict | None]:
    """The report's current (last) week and the one before, if present."""
    weeks = report["weeks"]
    this = weeks[-1] if weeks else None
    last = weeks[-2] if len(weeks) > 1 else None
    return this, last


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
