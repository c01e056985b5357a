"""The weekly report as data: one dict that every renderer (text, Markdown, HTML, JSON) reads.

:func:`build` turns a :class:`loadwatch.verdict.Verdict` into the JSON report
(``"schema": "loadwatch/report-v3"``, described in docs/json.md). It decides
nothing: the level, the flags and what is shown come from the verdict; this
module converts units, rounds and lays them out. Distances are in the report's
units (``km`` or ``mi``), durations in seconds, climbing in metres.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch import engine
from loadwatch.engine import calendar
from loadwatch.engine.edges import over as over_edge
from loadwatch.pain.episodes import latest_pain
from loadwatch.pain.output import pain_json
from loadwatch.verdict import RECENT_SPIKE_DAYS, Verdict, VerdictOptions, glance, next_week
from loadwatch.verdict.risk import STALE_DAYS

SCHEMA = "loadwatch/report-v3"
METRES_PER = {"km": 1000.0, "mi": 1609.344}


def _num(value, digits: int | None = 2):
    """A JSON number, or None for NaN/NA/None."""
    if isinstance(value, float):  # the common case, numpy floats included
        f = float(value)
        if not math.isfinite(f):
            return None
        return round(f, digits) if digits is not None else f
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    f = float(value)
    if not math.isfinite(f):
        return None
    return round(f, digits) if digits is not None else f


def _int(value):
    v = _num(value, None)
    return None if v is None else int(v)


def _iso(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def build(verdict: Verdict, *, weeks: int = 8, import_report: dict | None = None,
          review: dict | None = None, level_strip: bool = True,
          levels: pd.DataFrame | None = None) -> dict:
    """The report-v3 dict of a verdict.

    Parameters
    ----------
    verdict : loadwatch.verdict.Verdict
    weeks : int, default 8
        Weeks in the table and the charts.
    import_report : dict, optional
        ``ImportReport.to_json()``, copied to ``import``.
    review : dict, optional
        The athlete's own review (:func:`loadwatch.review.run.report_part`), copied to
        ``review``; None without a diary.
    level_strip : bool, default True
        Give ``level_strip`` (each day's level, :meth:`loadwatch.verdict.Verdict.levels`);
        False: null (a squad's reports: its page draws no strip).
    levels : pandas.DataFrame, optional
        The verdict's level history (:meth:`loadwatch.verdict.Verdict.levels`) when the caller
        has made it (the athlete's review counts on one): the strip is read from it when it
        covers the weeks shown, not made again.
    """
    options = verdict.options
    per = METRES_PER[options.units]
    analysis = verdict.analysis
    w = analysis.weeks_arrays
    shown_weeks = slice(max(0, len(w["week"]) - weeks), len(w["week"]))
    starts = calendar.day_numbers(w["start"][shown_weeks])
    first_shown = calendar.to_date(starts[0]) if len(starts) else options.as_of
    history = [f.to_json() for f in verdict.flags if f.last_date >= first_shown]
    drivers = {f.identity for f in verdict.risk.drivers}
    spikes = _spike_columns(analysis)
    recent = _recent(spikes, options)
    plan = verdict.next_week.to_json(per)
    return {
        "schema": SCHEMA,
        "athlete": verdict.athlete,
        "as_of": options.as_of.isoformat(),
        "units": options.units,
        "load": options.load,
        "session_rpe": _session_rpe(w, shown_weeks),
        "summary": summary(glance.of(verdict), plan),
        "clinical": verdict.clinical.to_json(),
        "risk": verdict.risk.to_json(),
        "next_week": plan,
        "flags": [dict(f.to_json(), driver=f.identity in drivers) for f in verdict.shown()],
        "history": history,
        "recent_spikes": [_spike_json(r, per) for r in _rows(spikes, recent)],
        "spike_notes": list(verdict.spike_notes),
        "data_to_check": [{"activity_id": r["activity_id"], "date": _iso(r["date"]),
                           "sport": r["sport"], "name": None if pd.isna(r["name"]) else r["name"],
                           "path": r["path"], "reason": r["reason"]}
                          for r in _records(verdict.data_to_check)] if len(verdict.data_to_check)
        else [],
        "ignored": [{"activity_id": r["activity_id"], "date": _iso(r["date"]),
                     "reason": r["reason"] or None}
                    for r in _records(verdict.ignored)] if len(verdict.ignored) else [],
        "this_week": this_week(analysis, per),
        "weeks": _weeks_json(w, shown_weeks, spikes, per),
        "runs": [_spike_json(r, per) for r in _rows(
            spikes, spikes["day"] >= calendar.to_number(first_shown))] if spikes else [],
        "streak": {"current": int(analysis.streak_current), "longest": int(analysis.streak_longest)},
        "shoes": shoes_json(analysis.shoes, per),
        "shoes_note": verdict.shoes_note,
        "wellness": [wellness_json(w) for w in verdict.wellness],
        "days_since_rest": _int(analysis.days_since_rest),
        "days_since_cross_training": _int(analysis.days_since_cross_training),
        "intensity": {"proxy": analysis.heart_rate.describe()},
        "data": _data_json(analysis, options.as_of),
        "days": _days_json(analysis, first_shown, per, verdict.pain),
        "level_strip": _level_strip(verdict, first_shown, levels) if level_strip else None,
        "pain": _pain_json(verdict),
        "import": import_report or {},
        "review": review,
    }


def shoes_json(use, per: float) -> list[dict]:
    """The shoe table (:class:`loadwatch.engine.shoes.ShoeUse`) in the report's units: ``name``
    (null: runs naming no shoe), ``runs_4w``, ``km_4w`` and ``km_total`` (miles with
    ``units = "mi"``, the keys keep their names), 1 decimal."""
    return [{"name": s.name, "runs_4w": s.runs_4w, "km_4w": round(s.distance_4w_m / per, 1),
             "km_total": round(s.distance_total_m / per, 1)} for s in use.table]


def wellness_json(w) -> dict:
    """One wellness measure (:class:`loadwatch.wellness.Trend`): ``measure``, ``last`` and
    ``last_date``, ``mean_4w`` and ``mean_before`` (the 28 days up to the report date and the
    28 before), ``change`` = mean_4w - mean_before and ``trend`` (up, down, same or null), in
    the measure's own unit, 1 decimal."""
    return {"measure": w.measure, "last": _num(w.last, 1), "last_date": w.last_date.isoformat(),
            "mean_4w": _num(w.mean_4w, 1), "mean_before": _num(w.mean_before, 1),
            "change": _num(w.change, 1), "trend": w.direction}
def summary(g: glance.Glance, plan: dict) -> dict:
    """The report's first screen (:mod:`loadwatch.verdict.glance`) as JSON.

    ``next_week`` copies the very numbers of the report's ``next_week`` (its
    ``weekly_distance_max`` and ``longest_run`` in the report's units, rounded down
    as shown; ``longest_run_s`` for runs measured by time; ``rest_days_min``), so the
    summary can never disagree with them.
    """
    return {
        "clinical": {"status": g.clinical_status, "label": g.clinical_label,
                     "reason": g.clinical_reason},
        "level": {"level": g.level, "label": g.level_label, "reason": g.level_reason},
        "next_week": {"status": plan["status"], "weekly_max": plan["weekly_distance_max"],
                      "longest_run": plan["longest_run"], "longest_run_s": plan["longest_run_s"],
                      "rest_days_min": plan["rest_days_min"]},
        "todo": list(g.todo),
    }


def _data_json(analysis: engine.LoadAnalysis, as_of: date) -> dict:
    """The span of the data and how long ago the last activity was.

    ``stale`` is the verdict's rule (:data:`loadwatch.verdict.risk.STALE_DAYS`): no
    activity for more than 10 days before the report date (a break, or files not
    uploaded), which also makes the level unknown.
    """
    last = analysis.last_activity
    ago = None if last is None else (as_of - pd.Timestamp(last).date()).days
    return {"first_day": _iso(analysis.first_day), "last_activity": _iso(last),
            "days": analysis.days_of_data, "days_since_activity": ago,
            "stale": ago is None or ago > STALE_DAYS}


FOUR_WEEKS = 4
"""Complete weeks in the average this week is held against. [weeks]"""


def this_week(analysis: engine.LoadAnalysis, per: float) -> dict | None:
    """This week (so far) against the same days of last week and of the four weeks before.

    Returns
    -------
    dict or None
        ``days`` (this week's days in the data, 1-7), ``whole`` (the week is over),
        ``this`` and ``last``: ``run_distance`` [units], ``runs``, ``run_duration_s``
        [s], ``elevation_gain_m`` [m], ``rest_days``, ``cross_training_sessions``,
        ``longest_run`` [units], ``hard_runs``; ``change_pct`` of the distance [%]
        (None when last week's same days are not all in the data or hold no running);
        ``four_week_mean``: the mean running distance of the same days (Monday to
        this week's last day) of the 4 weeks before [units], and
        ``change_vs_four_weeks_pct`` [%] (both None unless those 4 weeks are all in the
        data; the change also when the mean is 0).

    Notes
    -----
    A week in progress is held against the same weekdays of earlier weeks, never
    against whole weeks: on a Wednesday, Monday to Wednesday of each.
    """
    # The engine's arrays and first day, not its daily frame.
    n = analysis.n_days
    if not n:
        return None
    end = analysis.days_start + n - 1
    weekday = int(calendar.weekday(end))
    prev_monday = end - weekday - 7
    this = slice(max(0, n - 1 - weekday), n)
    # Last week's same days: Monday to the same weekday, when in the data.
    last = slice(max(0, n - 8 - weekday), max(0, n - 7))
    last_known = analysis.days_start <= prev_monday
    col = analysis.days_arrays

    def sums(part: slice) -> dict:
        def total(c):
            return col[c][part].sum()

        longest = col["longest_run_m"][part]
        return {"run_distance": round(float(total("run_distance_m")) / per, 2),
                "runs": int(total("runs")),
                "run_duration_s": round(float(total("run_duration_s"))),
                "elevation_gain_m": round(float(total("elevation_gain_m"))),
                "rest_days": int(total("rest")),
                "cross_training_sessions": int(total("cross_sessions")),
                "longest_run": round(float(longest.max() if len(longest) else 0.0) / per, 2),
                "hard_runs": int(total("hard_runs"))}

    this_days = this.stop - this.start
    now, before = sums(this), sums(last) if last_known else None
    change = None
    if before and before["run_distance"] > 0:
        change = round((now["run_distance"] - before["run_distance"]) / before["run_distance"]
                       * 100, 1)
    mean = against = None
    if this.start - 7 * FOUR_WEEKS >= 0:
        run = col["run_distance_m"]
        weeks = [run[this.start - 7 * k:this.stop - 7 * k].sum() for k in range(1, FOUR_WEEKS + 1)]
        mean = round(float(sum(weeks)) / FOUR_WEEKS / per, 2)
        if mean > 0:
            against = round((now["run_distance"] - mean) / mean * 100, 1)
    return {"days": this_days, "whole": this_days == 7,
            "first": calendar.to_date(end - weekday).isoformat(),
            "to": calendar.to_date(end).isoformat(), "this": now, "last": before, "change_pct": change,
            "four_week_mean": mean, "change_vs_four_weeks_pct": against}


def _pain_json(verdict: Verdict) -> dict | None:
    view = verdict.pain
    if view is None:
        return None
    out = pain_json(view.diary, view.episodes, view.links, view.patterns)
    out["now"] = view.now
    # The pain "now" is the latest recorded, however old: its day goes with it.
    latest = latest_pain(view.diary, verdict.as_of)
    out["now_date"] = None if latest is None or view.now is None else latest[1].isoformat()
    going = set(view.ongoing)
    for ep, doc in zip(view.episodes, out["episodes"], strict=True):
        doc["ongoing"] = ep in going
    out.update(_pain_trend(view.diary.entries, verdict.as_of))
    return out


TREND_WEEKS = 3
"""Weekly pain peaks shown: this week so far and the two before. [weeks]"""


def _pain_trend(entries: pd.DataFrame, as_of: date) -> dict:
    """The diary's last entry, its weekly worst pain and which way it goes.

    Returns
    -------
    dict
        ``last_entry`` (ISO date or None), ``weekly_peaks``: ``[{week_start, peak}]``
        for the last 3 ISO weeks (``peak`` 0-10, None without an entry that week), and
        ``trend``: ``rising``, ``easing`` or ``steady`` from last week's peak to this
        week's so far, None unless both weeks have an entry. A description of the
        diary, not a clinical rule (that is :mod:`loadwatch.verdict.clinical`'s).
    """
    if entries.empty:
        return {"last_entry": None, "weekly_peaks": [], "trend": None}
    monday = pd.Timestamp(as_of - timedelta(days=as_of.weekday()))
    weeks = [monday - pd.Timedelta(days=7 * k) for k in range(TREND_WEEKS - 1, -1, -1)]
    week_of = entries["date"] - pd.to_timedelta(entries["date"].dt.day_of_week, unit="D")
    peaks = entries.groupby(week_of.dt.normalize())["severity"].max().reindex(weeks)
    before, now = peaks.iloc[-2], peaks.iloc[-1]
    trend = None
    if pd.notna(before) and pd.notna(now):
        trend = "rising" if now > before else "easing" if now < before else "steady"
    return {"last_entry": _iso(entries["date"].max()),
            "weekly_peaks": [{"week_start": w.date().isoformat(), "peak": _int(p)}
                             for w, p in peaks.items()],
            "trend": trend}


def _days_json(analysis, first_day: date, per: float, view) -> list[dict]:
    """One entry per local day of the shown weeks, for the charts and the JSON."""
    day_numbers = analysis.days_start + np.arange(analysis.n_days)
    shown = day_numbers >= calendar.to_number(first_day)
    severity = {}
    if view is not None and len(view.diary.entries):
        entries = view.diary.entries
        severity = entries.groupby(entries["date"].dt.date)["severity"].max().to_dict()
    # Shown like every ceiling: rounded down to 0.1 of the unit (loadwatch.engine.edges).
    ceiling = np.floor(next_week.ceiling_values(analysis, first_day) / per * 10 + 1e-6) / 10
    col = {c: analysis.days_arrays[c][shown].tolist() for c in
           ("run_distance_m", "load", "rest", "cross_sessions", "streak", "acwr")}
    days = [calendar.to_date(d) for d in day_numbers[shown].tolist()]
    return [{
        "date": day.isoformat(),
        "run_distance": round(dist / per, 2),
        "ceiling": _num(ceil),
        "load": _num(load),
        "rest": bool(rest),
        "cross_training": int(cross),
        "run_streak": int(streak),
        "acwr": _num(acwr),
        "pain": _int(severity.get(day)),
    } for day, dist, ceil, load, rest, cross, streak, acwr in zip(
        days, col["run_distance_m"], ceiling.tolist(), col["load"], col["rest"],
        col["cross_sessions"], col["streak"], col["acwr"], strict=True)]


def _level_strip(verdict: Verdict, first_day: date, levels: pd.DataFrame | None = None
                 ) -> list[dict]:
    """The load level of each day from the Monday of the first week shown to the report date,
    as the report of that day gave it (:meth:`loadwatch.verdict.Verdict.levels`; read from
    ``levels`` when it holds those days: each day's row is that day's report, whatever day
    the table starts on)."""
    first = np.datetime64(min(first_day, verdict.as_of), "ns")
    dates = None if levels is None else levels["date"].to_numpy("datetime64[ns]")
    if (dates is not None and len(dates) and dates[0] <= first
            and dates[-1] == np.datetime64(verdict.as_of, "ns")):
        table = levels[dates >= first]
    else:
        table = verdict.levels(min(first_day, verdict.as_of))
    return [{"date": d, "level": lvl} for d, lvl in
            zip(table["date"].dt.strftime("%Y-%m-%d").tolist(), table["level"].tolist(),
                strict=True)]


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts of Python values (``to_dict(orient="records")``)."""
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _spike_columns(analysis) -> dict[str, np.ndarray]:
    """The spike table's columns as arrays, days as day numbers (empty dict: no runs):
    the engine's (``analysis.spike_columns``, with ``day``), not read back from its frame."""
    if not analysis.spike_columns:
        return {}
    cols = dict(analysis.spike_columns)
    ref = cols["reference_date"].astype("datetime64[ns]")
    cols["reference_day"] = np.where(np.isnat(ref), NO_DAY,
                                     ref.astype("datetime64[D]").astype(np.int64))
    return cols


NO_DAY = np.iinfo(np.int64).min


def _recent(spikes: dict, options: VerdictOptions) -> np.ndarray:
    """Runs above the caution ratio in the last ``RECENT_SPIKE_DAYS`` days
    (:meth:`loadwatch.verdict.Verdict.recent_spikes`)."""
    if not spikes:
        return np.zeros(0, dtype=bool)
    since = calendar.to_number(options.as_of) - (RECENT_SPIKE_DAYS - 1)
    ratio = spikes["spike_ratio"].astype(float)
    with np.errstate(invalid="ignore"):
        t = options.thresholds
        return (over_edge(ratio, t.spike_caution_ratio, t.band_tolerance_pct)
                & (spikes["day"] >= since))


def _rows(spikes: dict, mask: np.ndarray) -> list[dict]:
    """The spike rows where ``mask`` holds, as dicts of Python values."""
    if not spikes or not mask.any():
        return []
    names = ("activity_id", "start_local", "kind", "measure", "distance_m", "duration_s",
             "reference", "spike_ratio", "spike", "day", "reference_day", "parts", "race",
             "name")
    values = [spikes[c][mask].tolist() for c in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _weeks_json(w: dict, shown: slice, spikes: dict, per: float) -> list[dict]:
    """The weekly rows, each with its longest run's ratio to that run's 30-day reference."""
    ratio = {}
    rows = np.flatnonzero(spikes["measure"] == "distance") if spikes else []
    if len(rows):
        monday = spikes["day"][rows] - calendar.weekday(spikes["day"][rows])
        # The longest run of each week (the later one of equal length).
        order = rows[np.lexsort((spikes["value"][rows].astype(float), monday))]
        ordered_monday = spikes["day"][order] - calendar.weekday(spikes["day"][order])
        last = np.r_[ordered_monday[1:] != ordered_monday[:-1], True]
        ratio = dict(zip(ordered_monday[last].tolist(),
                         spikes["spike_ratio"][order][last].tolist(), strict=True))
    names = [c for c in w if not c.startswith("_")]
    columns = {c: w[c][shown].tolist() for c in names}
    columns["start"] = calendar.day_numbers(w["start"][shown]).tolist()
    columns["end"] = calendar.day_numbers(w["end"][shown]).tolist()
    rows = [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    return [dict(_week_json(row, per), longest_run_ratio=_num(ratio.get(row["start"]), 3))
            for row in rows]


def _week_json(w: dict, per: float) -> dict:
    return {
        "week": w["week"],
        "start": calendar.to_date(w["start"]).isoformat(),
        "end": calendar.to_date(w["end"]).isoformat(),
        "days": _int(w["days"]),
        "complete": bool(w["complete"]),
        "runs": _int(w["runs"]),
        "run_days": _int(w["run_days"]),
        "run_distance": _num(w["run_distance_m"] / per),
        "longest_run": _num(w["longest_run_m"] / per),
        "run_duration_s": _num(w["run_duration_s"], 0),
        "elevation_gain_m": _num(w["elevation_gain_m"], 0),
        "change_pct": _num(w["change_pct"], 1),
        "rest_days": _int(w["rest_days"]),
        "cross_training_sessions": _int(w["cross_training_sessions"]),
        "strength_sessions": _int(w["strength_sessions"]),
        "cross_training_duration_s": _num(w["cross_training_duration_s"], 0),
        "walk_sessions": _int(w["walk_sessions"]),
        "time_on_feet_s": _num(w["time_on_feet_s"], 0),
        "max_run_streak": _int(w["max_run_streak"]),
        "monotony": _num(w["monotony"]),
        "strain": _num(w["strain"], 1),
        "acwr": _num(w["acwr"]),
        "acwr_coupled": _num(w["acwr_coupled"]),
        "acwr_uncoupled": _num(w["acwr_uncoupled"]),
        "duration_change_pct": _num(w["duration_change_pct"], 1),
        "elevation_change_pct": _num(w["elevation_change_pct"], 1),
        "trimp": _num(w["trimp"], 1),
        "hard_runs": _int(w["hard_runs"]),
        "session_load": _num(w["session_load"], 0),
        "sessions_rated": _int(w["sessions_rated"]),
        "rpe_missing": _int(w["rpe_missing"]),
    }


def _session_rpe(w: dict, shown: slice) -> dict | None:
    """Rated and unrated sessions of the weeks shown; None when none is rated."""
    rated = int(np.sum(w["sessions_rated"][shown]))
    if not rated:
        return None
    return {"rated": rated, "unrated": int(np.sum(w["rpe_missing"][shown]))}


def _spike_json(r: dict, per: float) -> dict:
    start = r.get("start_local")
    by_distance = r["measure"] == "distance"
    spike = r.get("spike")
    ref_day = r["reference_day"]
    return {
        "activity_id": r["activity_id"],
        "date": calendar.to_date(r["day"]).isoformat(),
        "start_local": start.isoformat() if hasattr(start, "isoformat") else start,
        "kind": r["kind"],
        "measure": r["measure"],
        "distance": _num(r["distance_m"] / per),
        "duration_s": _num(r["duration_s"], 0),
        "reference": _num(r["reference"] / per) if by_distance else None,
        "reference_duration_s": None if by_distance else _num(r["reference"], 0),
        "reference_date": None if ref_day == NO_DAY else calendar.to_date(ref_day).isoformat(),
        "spike_ratio": _num(r["spike_ratio"], 3),
        "spike": None if spike is None or pd.isna(spike) else spike,
        "parts": int(r.get("parts") or 1),
        "race": bool(r.get("race")),
        "name": None if r.get("name") is None or pd.isna(r["name"]) else str(r["name"]),
    }


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


