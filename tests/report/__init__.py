"""Report dicts (``loadwatch/report-v3``) for the renderer tests, built directly, not by the engine.

The renderers read nothing but the report dict, so their tests describe the data
they draw instead of running :func:`loadwatch.report.model.build`.
:func:`sample_report` is a 16-week story from Mon 3 Aug to Sun 22 Nov 2026
(Europe/Oslo):

- weeks 1-11: runs Tue, Thu, Sat (7 km) and a Sunday long run (12 km), a ride on
  Wednesdays, rest on Mondays and Fridays: 33 km a week. The first long run
  (Sun 9 Aug, 12 km against 7) is a moderate spike, 1.71x; a 13.5 km run on
  Sun 6 Sep is a small one, 1.125x;
- weeks 12-15: five runs of 8-9 km Tuesday to Saturday and a 13-14 km Sunday, no
  cross-training: 53 km in week 12 (+60.6%, a high weekly jump);
- week 16: running every day, with a 30 km race on Sat 21 Nov, 2.14x the longest
  run of the previous 30 days (a large spike, an active high ``long_run_spike``):
  71 km (+20.3%), a 13-day run streak and no rest day;
- pain: a pain-free entry on 1 Sep, inner-knee pain from 14 Nov (2-4/10), then
  7/10 with a sudden onset and a pop in the race (a ``pain_red_flag``).

Derived numbers (reference runs, spike bands, streaks, EWMA ratios, monotony) are
worked out here the way DOMAIN.md defines them, so the dict is coherent; the
tests only check that the renderers show what the dict says.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FIRST_MONDAY = date(2026, 8, 3)
AS_OF = date(2026, 11, 22)
WEEKS = 16
ZONE = ZoneInfo("Europe/Oslo")
SECONDS_PER_KM = 330
CLIMB_PER_RUN_M = 50.0
RIDE_S = 3600


def _plan() -> list[tuple[date, float, int]]:
    """(day, run km, cross-training sessions) for every day of the 16 weeks."""
    out = []
    for i in range(WEEKS * 7):
        day = FIRST_MONDAY + timedelta(days=i)
        week, weekday = divmod(i, 7)
        cross = 0
        if week < 11:
            km = {1: 7.0, 3: 7.0, 5: 7.0, 6: 13.5 if week == 4 else 12.0}.get(weekday, 0.0)
            cross = int(weekday == 2)
        elif week < 15:
            long_run = (13.0, 14.0, 14.0, 14.0)[week - 11]
            km = 0.0 if weekday == 0 else long_run if weekday == 6 else (8.0, 8.0, 9.0, 9.0)[week - 11]
        else:
            km = (6.0, 8.0, 8.0, 8.0, 6.0, 30.0, 5.0)[weekday]
        out.append((day, km, cross))
    return out


def _ewma(loads: list[float], span: int) -> list[float]:
    """EWMA with lambda = 2 / (span + 1), seeded with the first day (Williams et al. 2017)."""
    lam, out = 2 / (span + 1), []
    for load in loads:
        out.append(load if not out else lam * load + (1 - lam) * out[-1])
    return out


def _band(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    edges = ((1.10, "none"), (1.30, "small"), (2.00, "moderate"))
    return next((band for edge, band in edges if ratio <= edge + 1e-9), "large")


def _days(plan) -> list[dict]:
    loads = [km * 1000 for _, km, _ in plan]
    acute, chronic = _ewma(loads, 7), _ewma(loads, 28)
    pain = {date(2026, 9, 1): 0, date(2026, 11, 14): 2, date(2026, 11, 17): 4,
            date(2026, 11, 19): 3, date(2026, 11, 21): 7, date(2026, 11, 22): 5}
    out, streak = [], 0
    for i, (day, km, cross) in enumerate(plan):
        streak = streak + 1 if km else 0
        out.append({
            "date": day.isoformat(), "run_distance": km, "load": km * 1000,
            "rest": not km and not cross, "cross_training": cross, "run_streak": streak,
            # Hidden for the first 28 days, while the chronic average is still settling.
            "acwr": round(acute[i] / chronic[i], 2) if i >= 27 and chronic[i] else None,
            "pain": pain.get(day),
        })
    return out


def _runs(plan) -> list[dict]:
    out = []
    for day, km, _ in plan:
        if not km:
            continue
        prior = [r["distance"] for r in out if (day - date.fromisoformat(r["date"])).days <= 30]
        reference = max(prior, default=None)
        ratio = None if reference is None else round(km / reference, 3)
        start = datetime.combine(day, time(7, 0), ZONE)
        out.append({"activity_id": f"strava:{len(out) + 1}", "date": day.isoformat(),
                    "start_local": start.isoformat(), "kind": "long_run", "measure": "distance",
                    "distance": km, "duration_s": km * SECONDS_PER_KM, "reference": reference,
                    "reference_duration_s": None, "reference_date": None, "spike_ratio": ratio,
                    "spike": _band(ratio)})
    return out


def _ceilings(days: list[dict], runs: list[dict]) -> None:
    """``days[].ceiling``: 1.1x the longest run of the 30 days up to the day that was not itself
    a spike (ratio above 1.1), the rule of loadwatch.verdict.next_week, worked out directly."""
    adapted = [r for r in runs if r["spike_ratio"] is None or r["spike_ratio"] <= 1.1 + 1e-9]
    for d in days:
        day = date.fromisoformat(d["date"])
        window = [r["distance"] for r in adapted
                  if 0 <= (day - date.fromisoformat(r["date"])).days < 30]
        d["ceiling"] = round(1.1 * max(window), 2) if window else None


def _longest_ratios(weeks: list[dict], runs: list[dict]) -> None:
    """``weeks[].longest_run_ratio``: the week's longest run against its 30-day reference."""
    for w in weeks:
        inside = [r for r in runs if w["start"] <= r["date"] <= w["end"]]
        top = max(inside, key=lambda r: r["distance"], default=None)
        w["longest_run_ratio"] = top["spike_ratio"] if top else None


def _weeks(days: list[dict]) -> list[dict]:
    out = []
    for w in range(WEEKS):
        week = days[w * 7:(w + 1) * 7]
        start = date.fromisoformat(week[0]["date"])
        iso = start.isocalendar()
        km = sum(d["run_distance"] for d in week)
        loads = [d["load"] for d in week]
        sd = statistics.pstdev(loads)
        monotony = round(statistics.mean(loads) / sd, 2) if sd else None
        history = days[max(0, (w + 1) * 7 - 28):(w + 1) * 7]
        acute_sum = sum(loads)
        coupled = uncoupled = None
        if len(history) == 28:
            coupled = round(acute_sum / (sum(d["load"] for d in history) / 4), 2)
            uncoupled = round(acute_sum / (sum(d["load"] for d in history[:21]) / 3), 2)
        previous = out[-1]["run_distance"] if out else None
        runs = sum(1 for d in week if d["run_distance"])
        out.append({
            "week": f"{iso.year}-W{iso.week:02d}", "start": start.isoformat(),
            "end": (start + timedelta(days=6)).isoformat(), "days": 7, "complete": True,
            "runs": runs, "run_days": runs, "run_distance": km,
            "longest_run": max(d["run_distance"] for d in week), "run_duration_s": km * SECONDS_PER_KM,
            "elevation_gain_m": runs * CLIMB_PER_RUN_M,
            "change_pct": round((km - previous) / previous * 100, 1) if previous else None,
            "rest_days": sum(d["rest"] for d in week),
            "cross_training_sessions": sum(d["cross_training"] for d in week),
            "cross_training_duration_s": float(sum(d["cross_training"] for d in week) * RIDE_S),
            "max_run_streak": max(d["run_streak"] for d in week),
            "monotony": monotony,
            "strain": round(acute_sum * monotony, 1) if monotony else None,
            "acwr": week[-1]["acwr"], "acwr_coupled": coupled, "acwr_uncoupled": uncoupled,
            "duration_change_pct": None if previous is None else round(
                (km - previous) / previous * 100, 1),
            "elevation_change_pct": None, "trimp": None, "hard_runs": 0, "strength_sessions": 0,
            "walk_sessions": 0, "time_on_feet_s": km * SECONDS_PER_KM,
        })
    return out


KINDS = {"long_run_spike": "evidence", "weekly_distance_jump": "evidence",
         "pain_red_flag": "evidence"}
"""Kinds of the codes used here; a weekly jump under 30% is a habit."""

RULES = {
    "weekly_distance_jump": (
        "Weekly distance up fast", "moderate",
        "Nielsen et al. 2014, JOSPT 44:739 (> 30%/week); the 10% rule showed no effect in "
        "Buist et al. 2008, AJSM 36:33",
        "Raise your running gradually: hold this week's volume for a week or two before adding "
        "more, and plan at least one rest day a week."),
    "long_run_spike": (
        "Run much longer than your recent longest", "strong",
        "Frandsen et al. 2025, BJSM 59:1203 (5,205 runners): runs > 10% longer than the longest "
        "of the previous 30 days raised injury risk",
        "Keep single runs within about 10% of your longest run of the last month; build the long "
        "run step by step, with easy days after it."),
    "run_streak": (
        "Many running days in a row", "advice",
        "Coaching practice; no cohort study links consecutive running days to injury",
        "Break the streak with a rest day or a cross-training day (cycling, swimming) to let "
        "tendons and bursae recover."),
    "no_rest_day": (
        "No rest day this week", "advice",
        "ECSS/ACSM overtraining consensus, Meeusen et al. 2013, MSSE 45:186: at least one "
        "passive rest day a week",
        "Plan at least one full rest day every week."),
    "no_cross_training": (
        "No cross-training", "advice",
        "Overuse knee pain in runners often goes with running only; cross-training and strength "
        "work spread the load",
        "Swap one run a week for cycling or swimming, and add hip and thigh strength work "
        "(abductors, adductors, quadriceps) twice a week."),
    "pain_red_flag": (
        "Pain that needs checking", "advice",
        "Acute knee injury signs: Bunt et al. 2018, Am Fam Physician 98:576",
        "Stop running on it and get it checked by a sports physical therapist or doctor."),
}


def flag(code: str, severity: str, first: str, last: str | None, value, threshold,
         message: str) -> dict:
    """One flag of the report, with its rule's title, evidence, source and advice."""
    title, evidence, source, advice = RULES[code]
    last = last or first
    kind = KINDS.get(code, "habit")
    if code == "weekly_distance_jump" and severity != "high":
        kind = "habit"
    return {"code": code, "kind": kind, "severity": severity, "start": first, "last_date": last,
            "value": value, "threshold": threshold, "evidence": evidence, "source": source,
            "message": message, "title": title, "advice": advice,
            "steps": [{"severity": severity, "date": first}],
            "identity": f"{code}:{first}:{severity}", "activity_id": None, "driver": False}


def _flags() -> list[dict]:
    return [
        flag("long_run_spike", "caution", "2026-08-09", None, 1.714, 1.1,
             "Your 12.0 km run on Sun 9 Aug was 1.71x your longest run of the previous 30 days "
             "(7.0 km)."),
        flag("long_run_spike", "caution", "2026-09-06", None, 1.125, 1.1,
             "Your 13.5 km run on Sun 6 Sep was 1.12x your longest run of the previous 30 days "
             "(12.0 km)."),
        flag("weekly_distance_jump", "high", "2026-10-25", None, 60.606, 30.0,
             "You ran 53.0 km in the week of Mon 19 Oct, 60.6% more than the week before "
             "(33.0 km). Jumps over 30% a week came with more injuries in novice runners."),
        flag("no_cross_training", "info", "2026-10-28", "2026-11-22", 39.0, 14.0,
             "No cross-training in the last 39 days while running 6-7 days a week. Cycling, "
             "swimming and strength work spread the load."),
        flag("no_rest_day", "caution", "2026-11-16", "2026-11-22", 13.0, 7.0,
             "You have not had a rest day for 13 days (since Mon 9 Nov). Plan at least one full "
             "rest day every week."),
        flag("run_streak", "caution", "2026-11-16", "2026-11-22", 13.0, 7.0,
             "You have run 13 days in a row (from Tue 10 Nov). A break lets tendons and bursae "
             "recover."),
        flag("long_run_spike", "high", "2026-11-21", None, 2.143, 2.0,
             "Your 30.0 km run on Sat 21 Nov was 2.14x your longest run of the previous 30 days "
             "(14.0 km). In 5,205 runners, runs over twice the recent longest came with 2.28 "
             "times the injury rate."),
        flag("pain_red_flag", "high", "2026-11-21", None, 7.0, None,
             "Get it checked by a sports physical therapist or doctor before running on it: the "
             "left inner-knee pain you recorded on 21 Nov (7/10) came with sudden onset and a "
             "pop, which usually means an acute injury (meniscus, ligament or bone) rather than "
             "overload; loadwatch does not diagnose."),
        flag("weekly_distance_jump", "caution", "2026-11-22", None, 20.282, 10.0,
             "You ran 71.0 km this week, 20.3% more than the week before (59.0 km). That is more "
             "than the usual 10% guide; the rule itself is coaching advice, not a proven limit."),
    ]


SHOWN = ("pain_red_flag", "long_run_spike", "weekly_distance_jump", "no_rest_day", "run_streak",
         "no_cross_training")
"""The flags shown on the report date, in the verdict's order: red flags, drivers, then the
rest by kind and severity."""


def _pain() -> dict:
    def before(*codes_dates):
        return [{"code": c, "start": d, "severity": s, "kind": KINDS.get(c, "habit"), "value": v}
                for c, d, s, v in codes_dates]

    return {
        "entries": 6,
        "errors": ["pain.csv: line 8: severity 'sore' is not a whole number 0-10"],
        "episodes": [
            {"start": "2026-11-14", "end": "2026-11-19", "peak": 4, "location": "inner-knee",
             "side": "left", "onset": "gradual", "red_flags": [],
             "preceding_flags": before(
                 ("weekly_distance_jump", "2026-10-25", "high", 60.606),
                 ("no_cross_training", "2026-10-28", "info", 14.0)),
             "summary": "Your left inner-knee pain began on 14 Nov, 20 days after a week with "
                        "61% more running distance than the week before. It peaked at 4/10 and "
                        "lasted until 19 Nov."},
            {"start": "2026-11-21", "end": "2026-11-22", "peak": 7, "location": "inner-knee",
             "side": "left", "onset": "sudden", "red_flags": ["sudden onset", "a pop"],
             "preceding_flags": before(
                 ("no_cross_training", "2026-10-28", "info", 14.0),
                 ("no_rest_day", "2026-11-16", "caution", 7.0),
                 ("run_streak", "2026-11-16", "caution", 7.0),
                 ("long_run_spike", "2026-11-21", "high", 2.143)),
             "summary": "Your left inner-knee pain began on 21 Nov, the day of a long run 2.14x "
                        "your longest in the previous month, after 12 days of running in a row. "
                        "It came with sudden onset and a pop, signs of an acute injury rather "
                        "than overload: get it checked by a sports physical therapist or doctor "
                        "before running on it."},
        ],
        "patterns": {"window_days": 21, "episodes": 2, "left_out": 0, "pain_free_windows": 3,
                     "enough": False, "codes": [],
                     "summary": "Only 2 pain episodes with 21 days of activity data before them: "
                                "too few to call a pattern (at least 3 are needed)."},
    }


CLINICAL = {
    "status": "check_now",
    "reasons": [
        "your diary records a pop and sudden onset (first on Sat 21 Nov), which may be an injury "
        "(meniscus, ligament or bone) rather than overload: get it checked by a sports physical "
        "therapist or doctor before running on it.",
        "You have run 1 time since (the last 5.0 km on Sun 22 Nov): stop running on it until it "
        "has been checked.",
        "Once it has been assessed, record it: 'loadwatch pain add --assessed'."],
    "summary": "CHECK NOW: your diary records a pop and sudden onset (first on Sat 21 Nov), which "
               "may be an injury (meniscus, ligament or bone) rather than overload: get it "
               "checked by a sports physical therapist or doctor before running on it. You have "
               "run 1 time since (the last 5.0 km on Sun 22 Nov): stop running on it until it has "
               "been checked. Once it has been assessed, record it: 'loadwatch pain add "
               "--assessed'.",
    "diary": "pain", "diary_note": "Last diary entry on Sun 22 Nov.",
    "red_flag_day": "2026-11-21", "runs_since_red_flag": 1,
}
"""The clinical status of the story: the pop on race day, not yet assessed."""

NEXT_WEEK = {
    "status": "stop", "longest_run_m": None, "longest_run": None, "longest_run_s": None,
    "reference": None, "weekly_distance_max_m": 0.0, "weekly_distance_max": 0.0,
    "weekly_basis": {"rule": "stop"}, "rest_days_min": 1,
    "lines": ["No running until the red flag of Sat 21 Nov has been checked by a sports "
              "physical therapist or doctor.",
              "Weekly distance: none until it has been checked."],
    "notes": ["Plan at least one full rest day: your last was 13 days ago.",
              "Hip and thigh strength work twice a week (abductors, adductors, quadriceps): no "
              "strength session recorded in the last 4 weeks."],
}
"""Next week after an unassessed red flag: no running."""


SUMMARY = {
    "clinical": {"status": "check_now", "label": "CHECK NOW",
                 "reason": "A red flag in your pain diary, first on Sat 21 Nov; 1 run since"},
    "level": {"level": "high", "label": "HIGH",
              "reason": "A run more than twice as long as your longest of the month before, on "
                        "Sat 21 Nov (2.14x)"},
    "next_week": {"status": "stop", "weekly_max": 0.0, "longest_run": None, "longest_run_s": None,
                  "rest_days_min": 1},
    "todo": [NEXT_WEEK["lines"][0],
             "Settle 1 activity under \"Data to check\": 'loadwatch confirm ID' if real, "
             "'loadwatch ignore ID' if not."],
}
"""The first screen of the story (loadwatch.verdict.glance)."""


def sample_report(athlete: str = "Ingrid Øksendal") -> dict:
    """The 16-week story as a ``loadwatch/report-v3`` dict (a fresh copy each call)."""
    plan = _plan()
    days = _days(plan)
    flags = _flags()
    latest = {f["code"]: f for f in flags if (AS_OF - date.fromisoformat(f["last_date"])).days < 7}
    shown = [dict(latest[c], driver=c == "long_run_spike") for c in SHOWN]
    runs = _runs(plan)
    weeks = _weeks(days)
    _ceilings(days, runs)
    _longest_ratios(weeks, runs)
    return {
        "schema": "loadwatch/report-v3",
        "athlete": athlete,
        "as_of": AS_OF.isoformat(),
        "units": "km",
        "load": "distance",
        "summary": SUMMARY,
        "clinical": CLINICAL,
        "risk": {"level": "high", "drivers": ["long_run_spike"],
                 "driver_ids": ["long_run_spike:2026-11-21:high"],
                 "summary": "HIGH: a run more than twice as long as your longest of the month "
                            "before, on Sat 21 Nov (2.14x).", "reasons": []},
        "next_week": NEXT_WEEK,
        "flags": shown,
        "history": flags,
        "recent_spikes": [r for r in runs if r["date"] >= "2026-10-24" and r["spike"]
                          not in (None, "none")],
        "spike_notes": [],
        "data_to_check": [{"activity_id": "fit:0a1b2c3d4e5f", "date": "2026-11-08",
                           "sport": "run", "name": "Morning Run", "path": "fit/car.fit",
                           "reason": "averaged 48.0 km/h for 1h30, faster than the world record "
                                     "for that time (20.9 km/h)"}],
        "ignored": [],
        "this_week": {"days": 7, "whole": True, "first": "2026-11-16", "to": "2026-11-22",
                      "this": _sums(weeks[-1]), "last": _sums(weeks[-2]),
                      "change_pct": weeks[-1]["change_pct"]},
        "weeks": weeks,
        "runs": runs,
        "streak": {"current": days[-1]["run_streak"],
                   "longest": max(d["run_streak"] for d in days)},
        "days_since_rest": 13,
        "days_since_cross_training": 39,
        "intensity": {"proxy": "pace at least 10% faster than your usual (grade-adjusted)"},
        "data": {"first_day": "2026-08-04", "last_activity": "2026-11-22", "days": 111},
        "days": days,
        "pain": _pain(),
        "import": {"files_seen": 89, "parsed": 88, "from_cache": 0, "activities": 87,
                   "duplicates_dropped": 1,
                   "skipped": [{"path": "activities/notes.txt", "reason": "not an activity file"}],
                   "errors": [{"path": "activities/18342.fit.gz",
                               "error": "truncated FIT file: no session and no records"}],
                   "warnings": [], "notes": []},
    }


def _sums(week: dict) -> dict:
    """The ``this_week`` figures of a whole week."""
    return {"run_distance": week["run_distance"], "runs": week["runs"],
            "run_duration_s": week["run_duration_s"], "elevation_gain_m": week["elevation_gain_m"],
            "rest_days": week["rest_days"],
            "cross_training_sessions": week["cross_training_sessions"],
            "longest_run": week["longest_run"], "hard_runs": 0}


NO_DIARY = ("No pain diary: loadwatch cannot tell how your knee feels. Start one after your next "
            "run with 'loadwatch pain add --athlete DIR --severity 0' (0 means pain-free; add "
            "--location and --symptom when it hurts).")


def quiet_report() -> dict:
    """A usual-risk report: the first 11 weeks of the story, no flag shown, no pain diary."""
    report = sample_report()
    weeks = report["weeks"][:11]
    end = weeks[-1]["end"]
    report.update(
        as_of=end, risk={"level": "usual", "drivers": [], "driver_ids": [], "reasons": [],
                         "summary": "USUAL: no run much longer than your recent longest and no "
                                    "big weekly jump: nothing the evidence links to injury."},
        clinical={"status": "none", "reasons": [], "diary": "none", "red_flag_day": None,
                  "runs_since_red_flag": 0, "diary_note": NO_DIARY,
                  "summary": f"NOTHING IN THE DIARY NEEDS A CLINICIAN. {NO_DIARY}"},
        next_week=dict(NEXT_WEEK, status="build", longest_run_m=14850.0, longest_run=14.8,
                       weekly_distance_max_m=36300.0, weekly_distance_max=36.3,
                       lines=["Longest run: up to 14.8 km, 1.1x your longest run of the last 30 "
                              "days (13.5 km on Sun 6 Sep).",
                              "Weekly distance: up to 36.3 km, about 10% over last week "
                              "(advice)."], notes=[]),
        summary={"clinical": {"status": "none", "label": "NOTHING IN THE DIARY NEEDS A CLINICIAN",
                              "reason": "No pain diary"},
                 "level": {"level": "usual", "label": "USUAL",
                           "reason": "No run much longer than your recent longest and no big "
                                     "weekly jump"},
                 "next_week": {"status": "build", "weekly_max": 36.3, "longest_run": 14.8,
                               "longest_run_s": None, "rest_days_min": 1},
                 "todo": ["Keep next week within these numbers."]},
        flags=[], weeks=weeks, pain=None, recent_spikes=[], data_to_check=[],
        runs=[r for r in report["runs"] if r["date"] <= end],
        history=[f for f in report["history"] if f["last_date"] <= end],
        this_week=dict(report["this_week"], this=_sums(weeks[-1]), last=_sums(weeks[-2]),
                       change_pct=weeks[-1]["change_pct"]),
        days=[dict(d, pain=None) for d in report["days"] if d["date"] <= end],
        streak={"current": 2, "longest": 2}, days_since_rest=1, days_since_cross_training=4)
    return report
