"""Small formatting helpers shared by the renderers."""

from __future__ import annotations

from datetime import date

DISCLAIMER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
              "locking, giving way or pain on weight bearing need a sports physical therapist or "
              "doctor, and so does pain that persists.")

RISK_WORDS = {
    "high": "HIGH: a strong overload signal (or a pain red flag) in the last 7 days.",
    "moderate": "MODERATE: a caution signal in the last 7 days.",
    "low": "LOW: no caution or high flag in the last 7 days.",
}


def day(iso: str, *, year: bool = False) -> str:
    """``2026-11-15`` as ``Sun 15 Nov`` (``Sun 15 Nov 2026`` with ``year``)."""
    d = date.fromisoformat(iso)
    return d.strftime("%a %-d %b %Y" if year else "%a %-d %b")


def dist(value, units: str) -> str:
    return "-" if value is None else f"{value:.1f} {units}"


def pct(value) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def num(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def hours(seconds) -> str:
    if seconds is None:
        return "-"
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}h{minutes % 60:02d}"


def week_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the compact weekly table."""
    units = report["units"]
    header = ["week", units, "change", "runs", "run days", "time", "climb m", "rest", "x-train",
              "streak", "monotony", "ACWR"]
    rows = []
    for w in report["weeks"]:
        rows.append([
            w["week"], num(w["run_distance"], 1), pct(w["change_pct"]), str(w["runs"]),
            str(w["run_days"]), hours(w["run_duration_s"]),
            num(w["elevation_gain_m"], 0), str(w["rest_days"]), str(w["cross_training_sessions"]),
            str(w["max_run_streak"]), num(w["monotony"]), num(w["acwr"]),
        ])
    return header, rows


def comparison_rows(report: dict) -> list[tuple[str, str, str]]:
    """(label, this week, last week) lines for "this week against last week"."""
    weeks = report["weeks"]
    if not weeks:
        return []
    this = weeks[-1]
    last = weeks[-2] if len(weeks) > 1 else None
    units = report["units"]

    def both(fn):
        return fn(this), (fn(last) if last else "-")

    rows = [
        ("Running", *both(lambda w: f"{dist(w['run_distance'], units)} in {w['runs']} runs")),
        ("Change", pct(this["change_pct"]), pct(last["change_pct"]) if last else "-"),
        ("Running time", *both(lambda w: hours(w["run_duration_s"]))),
        ("Climbing", *both(lambda w: f"{num(w['elevation_gain_m'], 0)} m")),
        ("Rest days", *both(lambda w: str(w["rest_days"]))),
        ("Cross-training", *both(lambda w: f"{w['cross_training_sessions']} sessions")),
        ("Longest run streak", *both(lambda w: f"{w['max_run_streak']} days")),
    ]
    return rows


def streak_line(report: dict) -> str:
    parts = [f"Run streak: {report['streak']['current']} days (longest {report['streak']['longest']})."]
    if report.get("days_since_rest") is not None:
        parts.append(f"Last rest day: {report['days_since_rest']} days ago.")
    if report.get("days_since_cross_training") is not None:
        parts.append(f"Last cross-training: {report['days_since_cross_training']} days ago.")
    else:
        parts.append("No cross-training recorded.")
    return " ".join(parts)


def import_line(report: dict) -> str:
    imp = report.get("import") or {}
    if not imp:
        return ""
    return (f"Read {imp.get('activities', 0)} activities from {imp.get('files_seen', 0)} files; "
            f"{imp.get('duplicates_dropped', 0)} duplicates dropped, {len(imp.get('skipped', []))} "
            f"skipped, {len(imp.get('errors', []))} failed.")
