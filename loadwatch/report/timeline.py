"""The timeline and import summaries as a table, CSV or JSON."""

from __future__ import annotations

import json

import pandas as pd

from loadwatch.importers.report import ImportReport
from loadwatch.safetext import FORMULA_START, one_line

TIMELINE_SCHEMA = "loadwatch/timeline-v1"


def _fmt_duration(seconds: float) -> str:
    if pd.isna(seconds):
        return ""
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def timeline_table(df: pd.DataFrame, report: ImportReport) -> str:
    """A readable fixed-width table, one activity a line, then a one-line summary."""
    lines = [f"{'date':<10}  {'time':<5}  {'sport':<8}  {'km':>6}  {'moving':>8}  {'climb m':>7}  "
             f"{'avg hr':>6}  {'source':<10}  name"]
    for row in df.itertuples(index=False):
        km = "" if pd.isna(row.distance_m) else f"{row.distance_m / 1000:.2f}"
        climb = "" if pd.isna(row.elevation_gain_m) else f"{row.elevation_gain_m:.0f}"
        hr = "" if pd.isna(row.avg_hr) else f"{row.avg_hr:.0f}"
        name = "" if pd.isna(row.name) else one_line(row.name)
        lines.append(f"{row.local_date:%Y-%m-%d}  {row.start_local:%H:%M}  {one_line(row.sport):<8}  {km:>6}  "
                     f"{_fmt_duration(row.duration_s):>8}  {climb:>7}  {hr:>6}  {row.source:<10}  {name}")
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines)


def summary_line(report: ImportReport) -> str:
    return (f"{report.activities} activities from {report.files_seen} files; "
            f"{report.duplicates_dropped} duplicates dropped, {len(report.skipped)} skipped, "
            f"{len(report.warnings)} read with warnings, {len(report.errors)} failed.")


def _records(df: pd.DataFrame) -> list[dict]:
    out = df.copy()
    out["start_utc"] = out["start_utc"].map(lambda t: t.isoformat().replace("+00:00", "Z"))
    out["start_local"] = out["start_local"].map(lambda t: t.isoformat())
    out["local_date"] = out["local_date"].dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(out.notna(), None)
    return out.to_dict(orient="records")


def timeline_csv(df: pd.DataFrame, report: ImportReport) -> str:
    """CSV with the timeline's columns; times in ISO 8601.

    Text cells that a spreadsheet would run as a formula (an activity named
    ``=HYPERLINK(...)``, ``+``, ``-``, ``@``) get a leading ``'``
    (:func:`loadwatch.safetext.guard_formula`); numbers are left as they are.
    """
    out = pd.DataFrame(_records(df), columns=list(df.columns))
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            cells = out[col].astype("string")
            formula = cells.str.startswith(FORMULA_START).fillna(False).astype(bool)
            if formula.any():
                out[col] = out[col].astype(object)
                out.loc[formula, col] = "'" + cells[formula]
    return out.to_csv(index=False)


def timeline_json(df: pd.DataFrame, report: ImportReport) -> str:
    """``{"schema": "loadwatch/timeline-v1", "activities": [...], "import": {...}}``."""
    payload = {"schema": TIMELINE_SCHEMA, "activities": _records(df), "import": report.to_json()}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def import_summary(report: ImportReport) -> str:
    """One screen: files seen, parsed, from cache, skipped, failed (one line each), duplicates."""
    lines = [
        f"Files seen:          {report.files_seen}",
        f"  parsed now:        {report.parsed}",
        f"  from cache:        {report.from_cache}",
        f"  skipped:           {len(report.skipped)} (not activities)",
        f"  with warnings:     {len(report.warnings)} (read as far as they go)",
        f"  failed:            {len(report.errors)}",
        f"Activities:          {report.activities}",
        f"Duplicates dropped:  {report.duplicates_dropped}",
    ]
    if report.duplicates:
        lines.append("")
        lines.append("Duplicates (second recordings of one activity):")
        lines += [f"  {one_line(d)}: same activity as {one_line(k)}" for k, d in report.duplicates]
    if report.skipped:
        lines.append("")
        lines.append("Skipped:")
        lines += [f"  {one_line(p)}: {one_line(r)}" for p, r in report.skipped]
    if report.notes:
        lines.append("")
        lines += [f"Note: {one_line(n)}" for n in report.notes]
    if report.warnings:
        lines.append("")
        lines.append("Warnings:")
        lines += [f"  {one_line(p)}: {one_line(w)}" for p, w in report.warnings]
    if report.errors:
        lines.append("")
        lines.append("Failed:")
        lines += [f"  {one_line(p)}: {one_line(e)}" for p, e in report.errors]
    return "\n".join(lines)
