"""The coach's triage table: one row per athlete, in the coach's words, most urgent first.

Each row reads one athlete's report dict (``loadwatch/report-v3``); nothing is
decided here that the verdict has not decided. The columns, as a coach asks
them, never addressed to the athlete:

==================  ===========================================================
clinical            ``clinical.status``: check now, assess soon, none
load level          ``risk.level``: high, raised, unknown, usual
last activity       days since the last activity; "stale" past 10 days (the
                    verdict's rule, :data:`loadwatch.verdict.risk.STALE_DAYS`)
last diary entry    the pain diary's last entry, or "no diary"
this week           this week's running against the mean of the same days of
                    the 4 weeks before (``this_week.four_week_mean``)
longest run         this week's longest run and next week's ceiling
                    (``next_week.longest_run``)
pain                the latest pain recorded (``pain.now``) with its day
                    (``pain.now_date``: silence is not recovery, so an old entry
                    still shows, dated) and its trend from last week's worst to
                    this week's (``pain.trend``)
top reason          the clinical reason when there is one, else what drives the
                    load level, else the most pressing condition shown
==================  ===========================================================

Ranking (:func:`sort_key`): clinical status first (check now, assess soon), then
the load level (high, raised, unknown, usual); an athlete whose data could not be
read ranks just after those at high load: the coach cannot tell. Within a level,
the strength of the evidence behind the athlete's top condition (a Frandsen spike
above a Nielsen weekly jump), then its severity and size today.

Every number is the one the athlete's report quotes: a condition's value on its
last day, never an in-week peak the complete week no longer shows.

The JSON is ``loadwatch/squad-v3`` (:func:`to_json`, in docs/json.md).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from loadwatch.report import fmt
from loadwatch.verdict.risk import strength_key
from loadwatch.words import day_month_words, race_words

SCHEMA = "loadwatch/squad-v3"
CLINICAL_ORDER = {"check_now": 0, "assess_soon": 1, "none": 2}
LEVEL_ORDER = {"high": 0, "raised": 2, "unknown": 3, "usual": 4}
BROKEN_LEVEL = 1
"""A broken athlete's place among the load levels: just after high."""
SPIKE_DAYS = 14
"""The "spike" filter: a run above 1.1x its reference in this many days, the window in
which a spike counts for the load level (:data:`loadwatch.verdict.risk.SPIKE_WINDOW_DAYS`).
[days]"""

COLUMNS = ["athlete", "clinical", "load level", "last activity", "last diary entry",
           "this week", "longest run", "pain now", "top reason"]
"""The table's columns, in every format."""


def sort_key(row: dict) -> tuple:
    """Clinical status, then load level (a broken athlete just after high), then the strength
    of the evidence behind the athlete's top condition, its severity and its size today
    (:func:`loadwatch.verdict.risk.strength_key`), then the name."""
    if row.get("error"):
        return (CLINICAL_ORDER["none"], BROKEN_LEVEL, (9, 9, 0.0), 0, row["athlete"].lower())
    return (CLINICAL_ORDER.get(row["clinical"]["status"], 2), LEVEL_ORDER.get(row["risk"], 3),
            tuple(row["_strength"]), -row["conditions_shown"], row["athlete"].lower())


def rank(rows: list[dict]) -> list[dict]:
    """Rows in the coach's order (:func:`sort_key`)."""
    return sorted(rows, key=sort_key)


GROUPS = ("check_now", "assess_soon", "high", "not_read", "raised", "unknown", "usual")
"""The count line's groups, in the coach's order (:func:`sort_key`): each athlete is counted
once, in the first that holds them (a red flag at high load is "to check now", not "high")."""

GROUP_WORDS = {"check_now": "to check now", "assess_soon": "to assess soon", "high": "high",
               "not_read": "could not be read", "raised": "raised", "unknown": "unknown",
               "usual": "usual"}


def group(row: dict) -> str:
    """The one group of :data:`GROUPS` that ranks ``row``: its clinical status when there is
    one, else its load level ("not_read" for an athlete whose data could not be read)."""
    if row.get("error"):
        return "not_read"
    status = row["clinical"]["status"]
    return status if status in ("check_now", "assess_soon") else row["risk"]


def counts(rows: list[dict]) -> dict[str, int]:
    """How many athletes are in each group of :data:`GROUPS` (zeros kept), and ``total``:
    the squad at a glance, the same numbers in every format."""
    out = dict.fromkeys(GROUPS, 0)
    for r in rows:
        key = group(r)
        out[key] = out.get(key, 0) + 1
    out["total"] = len(rows)
    return out


def count_line(counts_: dict[str, int]) -> str:
    """"5 athletes: 1 to check now, 2 high, 1 raised, 1 usual" (groups of none left out)."""
    parts = [f"{counts_[g]} {GROUP_WORDS[g]}" for g in GROUPS if counts_.get(g)]
    head = fmt.plural(counts_.get("total", 0), "athlete")
    return f"{head}: " + ", ".join(parts) if parts else f"{head}."


def day_or_none(iso: str | None) -> str:
    return fmt.day(iso) if iso else "-"


WEEKLY_CODES = ("weekly_distance_jump", "duration_jump", "elevation_jump")
"""Conditions measured on the week so far, whose value can fall back before Sunday."""


def expired_in_week(f: dict, as_of: date) -> bool:
    """A weekly condition that held on some days of a week now complete, but no longer at its
    end: the complete week does not show it, so it is never a headline."""
    if f["code"] not in WEEKLY_CODES:
        return False
    last = date.fromisoformat(f["last_date"])
    sunday = last + timedelta(days=6 - last.weekday())
    return last.weekday() != 6 and as_of >= sunday


def coach_words(f: dict, as_of: date | None = None) -> str:
    """A condition in a few words about the athlete, for the coach: "ran 2.1x the longest of
    the month before on Sun 15 Nov".

    The numbers are the condition's values on its last day (``latest``), as the athlete's
    report quotes them, never a peak earlier in the week that the week no longer shows.
    """
    v = f.get("latest") if f.get("latest") is not None else (f.get("value") or 0.0)
    start, last = fmt.day(f["start"]), fmt.day(f["last_date"])
    so_far = as_of is not None and expired_in_week(f, as_of)
    week = (f"so far on {last}; not over the whole week" if so_far else f"week to {last}")
    ran = "ran"
    if f.get("race") is not None and f["code"] in ("long_run_spike", "duration_spike"):
        # A planned spike, named for what it was.
        ran = f"ran {race_words(f['race'])}"
    words = {
        "long_run_spike": f"{ran} {v:.2f}x the longest of the month before on {start}",
        "duration_spike": f"{ran} {v:.2f}x the longest time of the month before on {start}",
        "return_spike": f"first run back after a break, {v:.2f}x the longest before it, on {start}",
        "single_shoe": f"one pair of shoes for every run naming one in 4 weeks ({v:.0f} runs, "
                       f"to {last})",
        "weekly_distance_jump": f"weekly distance up {v:.0f}% ({week})",
        "cumulative_ramp": f"weekly distance up {v:.0f}% over several weeks (to {last})",
        "acwr_high": f"load of the last 7 days {v:.2f}x the usual (a hint only)",
        "monotony_high": f"the same load every day (monotony {v:.1f}, week to {last})",
        "run_streak": f"{v:.0f} running days in a row (to {last})",
        "no_rest_day": f"no rest day for {v:.0f} days (to {last})",
        "no_cross_training": f"no cross-training for {v:.0f} days (to {last})",
        "duration_jump": f"running time up {v:.0f}% on the week before ({week})",
        "elevation_jump": f"climbing up {v:.0f}% on the week before ({week})",
        "intensity_jump": f"{v:.0f} hard runs in a week, more than usual (to {last})",
        "pain_red_flag": f"red flag in the pain diary on {start}",
    }
    return words.get(f["code"], f"{f.get('title', f['code'])} ({start})")


_SIGNS = re.compile(r"records (?P<signs>.+?) \(first on")


def _clinical_reason(clinical: dict) -> str | None:
    status = clinical.get("status")
    if status == "check_now":
        match = _SIGNS.search(" ".join(clinical.get("reasons") or []))
        signs = f" ({match['signs']})" if match else ""
        text = f"red flag in the pain diary on {day_or_none(clinical.get('red_flag_day'))}{signs}, not assessed yet"
        runs = clinical.get("runs_since_red_flag") or 0
        if runs:
            text += f"; ran {fmt.plural(runs, 'time')} since"
        return text
    if status == "assess_soon" and clinical.get("reasons"):
        # "pain of 3/10 or more on 4 of the last 7 days (up to 5/10): pain that persists ..."
        first = clinical["reasons"][0].split(": ")[0]
        return re.sub(r"^your ", "", first) + _silent(clinical)
    # Nothing needs a clinician now, but the coach should see what the column's word says.
    label = clinical_label(clinical)
    if label == "ASSESSED":
        a = clinical["assessment"]
        return (f"assessed on {day_or_none(a.get('date'))}"
                f"{'' if not a.get('improving') else ', improving'}"
                f" ({a.get('pain_then')} -> {a.get('pain_latest')}/10)" + _silent(clinical))
    if label == "NO NEWS":
        last = clinical["last_pain"]
        return (f"pain {last['severity']}/10 last recorded on {day_or_none(last.get('date'))}"
                + _silent(clinical))
    return None


def clinical_label(clinical: dict) -> str:
    """The clinical column's word: the status (``CHECK NOW``, ``ASSESS SOON``, ``NONE``), and
    for ``none`` what still deserves a look: ``ASSESSED`` (an assessment whose story goes on)
    or ``NO NEWS`` (pain last recorded, then a silent diary): never a bare NONE over them."""
    status = clinical.get("status", "none")
    if status == "none":
        assessment = clinical.get("assessment") or {}
        if assessment and not assessment.get("over"):
            return "ASSESSED"
        if clinical.get("silent_since") and (clinical.get("last_pain") or {}).get("severity"):
            return "NO NEWS"
    return fmt.CLINICAL_WORDS.get(status, "-")


def _silent(clinical: dict) -> str:
    """"; no diary entry since Sat 21 Nov: ask how the knee is" when the diary went quiet."""
    since = clinical.get("silent_since")
    return f"; no diary entry since {day_or_none(since)}: ask how the knee is" if since else ""


def _load_reason(report: dict) -> str | None:
    risk = report["risk"]
    by_id = {f["identity"]: f for f in report["flags"]}
    if risk["level"] in ("high", "raised"):
        drivers = [by_id[i] for i in risk.get("driver_ids") or [] if i in by_id]
        if drivers:
            # Every driver, as the report's summary names them: a run above 1.1x is HIGH only
            # with the week up over 30% around it, so quoting the run alone would not say why.
            return "; ".join(coach_words(f, _as_of(report)) for f in drivers)
    if risk["level"] == "unknown":
        data = report.get("data") or {}
        if data.get("stale"):
            ago = data.get("days_since_activity")
            return ("no activity at all" if ago is None else
                    f"no activity for {fmt.plural(ago, 'day')} (last on "
                    f"{day_or_none(data.get('last_activity'))}): a break, or not uploading?")
        if (data.get("days") or 0) < 28:
            return f"only {fmt.plural(data.get('days') or 0, 'day')} of data: too early to judge"
        if report.get("data_to_check"):
            n = len(report["data_to_check"])
            return (f"{fmt.plural(n, 'activity', 'activities')} under \"data to check\" would "
                    "change the level: confirm or ignore")
    return None


def top_reason(report: dict) -> str:
    """The one reason a coach reads first: clinical, then the load level's driver or why it is
    unknown, then the most pressing condition shown."""
    reason = _clinical_reason(report.get("clinical") or {}) or _load_reason(report)
    if reason:
        return reason
    top = _top(report)
    if top is not None:
        return coach_words(top, _as_of(report))
    return "nothing the evidence links to injury"


def _as_of(report: dict) -> date:
    return date.fromisoformat(report["as_of"])


def _top(report: dict) -> dict | None:
    """The condition that stands for the athlete: the load level's first driver, else the
    strongest condition shown (:func:`loadwatch.verdict.risk.strength_key`) that the complete
    week still shows; a red flag is the clinical status's, not this."""
    by_id = {f["identity"]: f for f in report["flags"]}
    risk = report["risk"]
    if risk["level"] in ("high", "raised"):
        drivers = [by_id[i] for i in risk.get("driver_ids") or [] if i in by_id]
        if drivers:
            return drivers[0]
    as_of = _as_of(report)
    shown = [f for f in report["flags"]
             if f["code"] != "pain_red_flag" and not expired_in_week(f, as_of)]
    return min(shown, key=_strength, default=None)


def _strength(f: dict) -> tuple:
    return strength_key(f.get("evidence"), f.get("severity"),
                        f.get("latest") if f.get("latest") is not None else f.get("value"),
                        f.get("threshold"))


def _spikes(report: dict) -> int:
    as_of = date.fromisoformat(report["as_of"])
    return sum(1 for r in report.get("recent_spikes") or []
               if (as_of - date.fromisoformat(r["date"])).days < SPIKE_DAYS)


def row(name: str, folder: str, report: dict) -> dict:
    """The squad row of one athlete (JSON-ready, ``loadwatch/squad-v3``)."""
    clinical = report.get("clinical") or {"status": "none", "summary": "", "diary": "none"}
    data = report.get("data") or {}
    week = report.get("this_week") or {}
    this = week.get("this") or {}
    plan = report.get("next_week") or {}
    pain = report.get("pain") or {}
    shown = report["flags"]
    top = _top(report)
    as_of = _as_of(report)
    return {
        "athlete": name,
        "folder": folder,
        "clinical": {"status": clinical["status"], "summary": clinical.get("summary", ""),
                     "label": clinical_label(clinical),
                     "previous_injury": clinical.get("previous_injury")},
        "wellness": report.get("wellness") or [],
        "risk": report["risk"]["level"],
        "drivers": report["risk"]["drivers"],
        "risk_summary": report["risk"]["summary"],
        "last_activity": {"date": data.get("last_activity"),
                          "days_ago": data.get("days_since_activity"),
                          "stale": bool(data.get("stale"))},
        "diary": {"kind": clinical.get("diary", "none"), "last_entry": pain.get("last_entry")},
        "this_week": {"run_distance": this.get("run_distance"), "days": week.get("days"),
                      "whole": week.get("whole"), "four_week_mean": week.get("four_week_mean"),
                      "change_vs_four_weeks_pct": week.get("change_vs_four_weeks_pct")},
        "longest_run": {"this_week": this.get("longest_run"),
                        "ceiling": plan.get("longest_run"), "plan": plan.get("status")},
        "units": report["units"],
        "pain": {"now": pain.get("now"), "now_date": pain.get("now_date"),
                 "trend": pain.get("trend"),
                 "weekly_peaks": [p["peak"] for p in pain.get("weekly_peaks") or []]},
        "spikes_last_14_days": _spikes(report),
        "reason": top_reason(report),
        "conditions": [{"key": _key(f["identity"]), "code": f["code"], "severity": f["severity"],
                        "kind": f["kind"], "words": coach_words(f, as_of)} for f in shown],
        "conditions_shown": len(shown),
        "data_to_check": len(report.get("data_to_check") or []),
        "import": report.get("import") or {},
        "error": None,
        "_strength": _strength(top) if top else (5, 4, 0.0),
    }


def _key(identity: str) -> str:
    """A condition's episode key, ``code:start``: its identity without the severity step, so
    an escalation is the same condition."""
    return identity.rsplit(":", 1)[0] if identity.count(":") >= 2 else identity


def error_row(name: str, folder: str, error: str) -> dict:
    """The row of an athlete whose data or settings could not be read."""
    return {"athlete": name, "folder": folder, "error": error}


def filters(r: dict) -> dict[str, bool]:
    """What the page's filters select: a clinical status, pain now, a spike in 14 days,
    stale data."""
    if r.get("error"):
        return {"clinical": False, "pain": False, "spike": False, "stale": False}
    return {"clinical": r["clinical"]["status"] != "none",
            "pain": bool(r["pain"]["now"]),
            "spike": r["spikes_last_14_days"] > 0,
            "stale": r["last_activity"]["stale"]}


def cells(r: dict) -> list[str]:
    """The row's cells under :data:`COLUMNS`, in words."""
    if r.get("error"):
        return [r["athlete"], "-", "could not be read", "-", "-", "-", "-", "-", r["error"]]
    units = r["units"]
    return [r["athlete"], r["clinical"].get("label") or fmt.CLINICAL_WORDS.get(r["clinical"]["status"], "-"),
            fmt.RISK_WORDS.get(r["risk"], r["risk"].upper()), last_activity(r),
            last_diary(r), this_week(r), longest_run(r, units), pain_now(r), reason(r)]


def reason(r: dict) -> str:
    """The reason cell: the top reason, then the context a coach reads with it (a previous
    injury, the last wellness values and their 4-week trend)."""
    before = r["clinical"].get("previous_injury")
    context = [before["words"]] if before else []
    if r.get("wellness"):
        context.append("wellness: " + ", ".join(fmt.wellness_words(w, short=True)
                                                for w in r["wellness"]))
    return "; ".join([r["reason"], *context])


def last_activity(r: dict) -> str:
    act = r["last_activity"]
    if act["days_ago"] is None:
        return "none"
    ago = "today" if act["days_ago"] == 0 else f"{fmt.plural(act['days_ago'], 'day')} ago"
    return f"{ago}, stale" if act["stale"] else ago


def last_diary(r: dict) -> str:
    diary = r["diary"]
    if diary["kind"] == "none" or not diary["last_entry"]:
        return "no diary"
    free = " (pain-free)" if diary["kind"] == "pain_free" else ""
    return f"{fmt.day(diary['last_entry'])}{free}"


def this_week(r: dict) -> str:
    week, units = r["this_week"], r["units"]
    if week["run_distance"] is None:
        return "-"
    text = fmt.dist(week["run_distance"], units)
    if week["days"] and not week["whole"]:
        text += f" in {fmt.plural(week['days'], 'day')}"
    if week["four_week_mean"] is None:
        return text + "; no 4-week average yet"
    change = week["change_vs_four_weeks_pct"]
    against = "" if change is None else f", {change:+.0f}%"
    same = "same days' " if week["days"] and not week["whole"] else ""
    return f"{text} ({same}4-week average {fmt.dist(week['four_week_mean'], units)}{against})"


def longest_run(r: dict, units: str) -> str:
    run = r["longest_run"]
    longest = fmt.dist(run["this_week"], units) if run["this_week"] else "no run"
    if run["plan"] == "stop":
        return f"{longest}; no running until checked"
    if run["ceiling"] is None:
        return f"{longest}; no ceiling yet"
    return f"{longest}; ceiling {fmt.dist(run['ceiling'], units)}"


TREND_WORDS = {"rising": "rising", "easing": "easing", "steady": "steady"}


def pain_now(r: dict) -> str:
    pain = r["pain"]
    if r["diary"]["kind"] == "none":
        return "no diary"
    on = f" on {day_month_words(date.fromisoformat(pain['now_date']))}" if pain.get("now_date") else ""
    if pain["now"] is None:
        now = "none recorded"
    else:
        now = f"pain-free{on}" if pain["now"] == 0 else f"{pain['now']}/10{on}"
    if pain["trend"]:
        peaks = ", ".join("-" if p is None else str(p) for p in pain["weekly_peaks"])
        now += f", {TREND_WORDS.get(pain['trend'], pain['trend'])} (weekly worst {peaks})"
    return now


def to_json(rows: list[dict], *, as_of: date, skipped: list[tuple[str, str]],
            changes: dict | None = None) -> dict:
    """The ``loadwatch/squad-v3`` document: ranked rows, broken athletes, skipped folders,
    and what changed since the last squad report.

    Every row, reported or broken, has its ``rank`` in the coach's order (1 first): the
    broken ones sit between the athletes at high load and the rest.
    """
    ranked = [dict(r, rank=i) for i, r in enumerate(rank(rows), start=1)]
    return {
        "schema": SCHEMA,
        "as_of": as_of.isoformat(),
        "columns": COLUMNS,
        "counts": counts(ranked),
        "athletes": [_public(r) for r in ranked if not r.get("error")],
        "errors": [r for r in ranked if r.get("error")],
        "skipped": [{"folder": f, "reason": why} for f, why in skipped],
        "changes": changes,
    }


def _public(r: dict) -> dict:
    return {k: v for k, v in r.items() if not k.startswith("_")}


def table_rows(doc: dict) -> list[dict]:
    """Reported and broken athletes together, in the coach's order."""
    return sorted(doc["athletes"] + doc["errors"], key=lambda r: r["rank"])
