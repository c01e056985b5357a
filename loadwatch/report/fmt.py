"""Small formatting helpers shared by the renderers."""

from __future__ import annotations

from datetime import date

DISCLAIMER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
              "locking, giving way or pain on weight bearing need a sports physical therapist or "
              "doctor, and so does pain that persists.")

RISK_WORDS = {
    "high": "HIGH",
    "raised": "RAISED",
    "usual": "USUAL",
    "unknown": "UNKNOWN",
}
"""The level's word; ``risk.summary`` says what drives it."""


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
    header = ["week", units, "change", "longest", "runs", "run days", "time", "climb m", "rest",
              "x-train", "streak", "hard", "monotony", "ACWR"]
    rows = []
    for w in report["weeks"]:
        label = w["week"] if w.get("complete", True) else f"{w['week']}*"
        rows.append([
            label, num(w["run_distance"], 1), pct(w["change_pct"]), num(w.get("longest_run"), 1),
            str(w["runs"]), str(w["run_days"]), hours(w["run_duration_s"]),
            num(w["elevation_gain_m"], 0), str(w["rest_days"]), str(w["cross_training_sessions"]),
            str(w["max_run_streak"]), str(w.get("hard_runs", "-")), num(w["monotony"]),
            num(w["acwr"]),
        ])
    return header, rows


WEEK_NOTE = ("ISO weeks, Monday to Sunday; * a week not all in the data (the first, or the one in "
             "progress); change: against the whole week before, or for the week in progress its "
             "same days; monotony only for complete weeks.")


def comparison_rows(report: dict) -> list[tuple[str, str, str]]:
    """(label, this week, last week) lines for "this week against last week".

    The week in progress is compared with the same days of last week, never with
    the whole of it.
    """
    week = report.get("this_week")
    if not week:
        return []
    units = report["units"]
    this, last = week["this"], week["last"]

    def both(fn):
        return fn(this), (fn(last) if last else "-")

    def runs(w):
        return f"{dist(w['run_distance'], units)} in {plural(w['runs'], 'run')}"

    return [
        ("Running", *both(runs)),
        ("Change", pct(week["change_pct"]), ""),
        ("Longest run", *both(lambda w: dist(w["longest_run"], units))),
        ("Running time", *both(lambda w: hours(w["run_duration_s"]))),
        ("Climbing", *both(lambda w: f"{w['elevation_gain_m']} m")),
        ("Hard runs", *both(lambda w: str(w["hard_runs"]))),
        ("Rest days", *both(lambda w: str(w["rest_days"]))),
        ("Cross-training", *both(lambda w: plural(w["cross_training_sessions"], "session"))),
    ]


def comparison_title(report: dict) -> str:
    """"This week against last week", or for a week in progress which days are compared."""
    week = report.get("this_week") or {}
    if week.get("whole", True):
        return "This week against last week"
    first, to = date.fromisoformat(week["first"]), date.fromisoformat(week["to"])
    return (f"This week so far ({first:%a}-{to:%a}) against the same days last week")


def plural(n: int, word: str) -> str:
    """``1 run``, ``2 runs``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def streak_line(report: dict) -> str:
    streak = report["streak"]
    parts = [f"Run streak: {plural(streak['current'], 'day')} (longest {plural(streak['longest'], 'day')})."]
    if report.get("days_since_rest") is not None:
        parts.append(f"Last rest day: {_ago(report['days_since_rest'])}.")
    if report.get("days_since_cross_training") is not None:
        parts.append(f"Last cross-training: {_ago(report['days_since_cross_training'])}.")
    else:
        parts.append("No cross-training recorded.")
    return " ".join(parts)


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{plural(days, 'day')} ago"


def flag_groups(report: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """The shown flags as (pain red flags, evidence-led conditions, habits worth a look)."""
    shown = report["flags"]
    red = [f for f in shown if f["code"] == "pain_red_flag"]
    evidence = [f for f in shown if f["kind"] == "evidence" and f["code"] != "pain_red_flag"]
    habits = [f for f in shown if f["kind"] == "habit"]
    return red, evidence, habits


def since(f: dict) -> str:
    """``Sun 15 Nov``, or ``Tue 3 Nov to Sun 22 Nov`` for a flag that held several days."""
    text = day(f["start"])
    if f["last_date"] != f["start"]:
        text += f" to {day(f['last_date'])}"
    return text


GRADE_WORDS = {
    "strong": "strong evidence (a large running cohort)",
    "moderate": "moderate evidence (a running cohort, wide uncertainty, or a proxy)",
    "limited": "limited evidence (from team sports, contested in runners)",
    "advice": "advice (consensus or coaching practice, no injury study)",
}


def spike_rows(report: dict) -> list[str]:
    """One line per run above 1.1x its reference in the last 30 days."""
    units = report["units"]
    out = []
    for r in report.get("recent_spikes") or []:
        if r["measure"] == "distance":
            what = f"{dist(r['distance'], units)} against {dist(r['reference'], units)}"
        else:
            what = f"{hours(r['duration_s'])} against {hours(r['reference_duration_s'])} (by time)"
        kind = " (first run after a break)" if r["kind"] == "return" else ""
        out.append(f"{day(r['date'])}: {what}, {r['spike_ratio']:.2f}x{kind}")
    return out


def check_rows(report: dict) -> list[str]:
    """One line per activity under "data to check", with how to settle it."""
    return [f"{day(d['date'])} {d['sport']}{' ' + repr(d['name']) if d.get('name') else ''} "
            f"({d['activity_id']}): {d['reason']}" for d in report.get("data_to_check") or []]


CHECK_HOW = ("Left out of the load and the flags until you settle them: "
             "'loadwatch confirm ID' if it was real, 'loadwatch ignore ID' if not.")


def import_line(report: dict) -> str:
    imp = report.get("import") or {}
    if not imp:
        return ""
    return (f"Read {imp.get('activities', 0)} activities from {imp.get('files_seen', 0)} files; "
            f"{imp.get('duplicates_dropped', 0)} duplicates dropped, {len(imp.get('skipped', []))} "
            f"skipped, {len(imp.get('warnings', []))} read with warnings, "
            f"{len(imp.get('errors', []))} failed.")
