"""Small formatting helpers shared by the renderers: dates, units, plurals, the weekly rows.

Nothing here decides anything: the numbers and sentences come from the report
dict (:mod:`.model`); these helpers only put them in words and units.
"""

from __future__ import annotations

from datetime import date

from loadwatch.words import FEET_PER_METRE, iso_day_words, race_words

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

CLINICAL_WORDS = {"check_now": "CHECK NOW", "assess_soon": "ASSESS SOON", "none": "NONE"}
"""The clinical status as a short word, for tables; ``clinical.summary`` says why."""


GRADE_WORDS = {
    "strong": "strong evidence (a large running cohort)",
    "moderate": "moderate evidence (a running cohort, wide uncertainty, or a proxy)",
    "limited": "limited evidence (one small running study, or team sports and contested in runners)",
    "advice": "advice (consensus or coaching practice, no injury study)",
}
"""Each evidence grade in plain words."""

JARGON = {
    "monotony": ("monotony: how alike the week's daily loads were (their mean divided by how much "
                 "they vary, Foster 1998); above 2 means nearly the same load every day."),
    "load_ratio": ("load ratio (acute:chronic): the load of the last 7 days against the "
                   "28-day weighted average; 1.0 is as usual. A hint only: it was not linked to "
                   "injury in runners."),
    "trimp": ("TRIMP (training impulse): minutes of exercise weighted by how hard the heart "
              "worked (Banister), so a hard hour counts more than an easy one."),
    "session_load": ("session load: how hard each session felt (0-10) x its minutes, summed over "
                     "the week's rated sessions of every sport (session RPE, Foster 2001); "
                     "(12 of 14): only 12 of the week's 14 sessions were rated, the others "
                     "are unknown and not in the sum."),
    "ratio_30": ("x 30 days: the week's longest run against the longest run of the 30 days "
                 "before it; above 1.1x is a spike (Frandsen 2025)."),
}
"""Plain-word explanations of the terms the weekly table uses, printed beneath it."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 run``, ``2 runs``; ``many`` for irregular plurals.

    >>> plural(1, "day"), plural(0, "day"), plural(2, "activity", "activities")
    ('1 day', '0 days', '2 activities')
    """
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def day(iso: str, *, year: bool = False) -> str:
    """``2026-11-15`` as ``Sun 15 Nov`` (``Sun 15 Nov 2026`` with ``year``)."""
    return iso_day_words(iso, year=year)


def dist(value, units: str) -> str:
    """``14.1 km``; ``-`` for None. ``value`` is already in ``units``."""
    return "-" if value is None else f"{value:.1f} {units}"


def climb_unit(units: str) -> str:
    """``m`` with kilometres, ``ft`` with miles."""
    return "ft" if units == "mi" else "m"


def climb(metres, units: str, *, unit: bool = True) -> str:
    """Climbing in the report's units: metres, or feet with ``mi``; ``-`` for None.

    >>> climb(442, "km"), climb(442, "mi"), climb(None, "mi")
    ('442 m', '1450 ft', '-')
    """
    if metres is None:
        return "-"
    value = metres * FEET_PER_METRE if units == "mi" else metres
    return f"{value:.0f} {climb_unit(units)}" if unit else f"{value:.0f}"


def pct(value) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def num(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(value) -> str:
    """``2.14x``; ``-`` for None."""
    return "-" if value is None else f"{value:.2f}x"


def hours(seconds) -> str:
    if seconds is None:
        return "-"
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}h{minutes % 60:02d}"


def week_rows(report: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the weekly table (distances in the report's units).

    The longest run's ratio to its 30-day reference (``longest_run_ratio``) sits
    beside it; climbing is in feet with ``mi``.
    """
    units = report["units"]
    header = ["week", units, "change", "runs", "longest", "x 30 days", "time", "on feet",
              f"climb {climb_unit(units)}", "rest", "x-train", "streak", "hard", "monotony",
              "load ratio"]
    rated = any(w.get("session_load") is not None for w in report["weeks"])
    if rated:  # beside distance whatever the load, once any session is rated
        header.insert(2, "session load")
    rows = []
    for w in report["weeks"]:
        label = w["week"] if w.get("complete", True) else f"{w['week']}*"
        rows.append([
            label, num(w["run_distance"], 1), pct(w["change_pct"]), str(w["runs"]),
            num(w.get("longest_run"), 1), ratio(w.get("longest_run_ratio")),
            hours(w["run_duration_s"]), hours(w.get("time_on_feet_s")),
            climb(w["elevation_gain_m"], units, unit=False),
            str(w["rest_days"]), str(w["cross_training_sessions"]), str(w["max_run_streak"]),
            str(w.get("hard_runs", "-")), num(w["monotony"]), num(w["acwr"]),
        ])
        if rated:
            rows[-1].insert(2, session_load_cell(w))
    return header, rows


def session_load_cell(w: dict) -> str:
    """A week's session load, with how many of its sessions it covers when not all:
    ``412 (12 of 14)``; ``-`` without a rated session, ``- (0 of 4)`` when the week had
    sessions and none is rated (the unrated count shows as in JSON's ``rpe_missing``).

    >>> session_load_cell({"session_load": 412.0, "sessions_rated": 12, "rpe_missing": 2})
    '412 (12 of 14)'
    >>> session_load_cell({"session_load": 300.0, "sessions_rated": 5, "rpe_missing": 0})
    '300'
    >>> session_load_cell({"session_load": None, "sessions_rated": 0, "rpe_missing": 4})
    '- (0 of 4)'
    """
    missing = w.get("rpe_missing") or 0
    rated = w.get("sessions_rated") or 0
    if w.get("session_load") is None:
        return f"- (0 of {missing})" if missing else "-"
    whole = f"{w['session_load']:.0f}"
    return whole if not missing else f"{whole} ({rated} of {rated + missing})"


WEEK_NOTE = ("ISO weeks, Monday to Sunday; * a week not all in the data (the first, or the one in "
             "progress); change: against the whole week before, or for the week in progress its "
             "same days; time: running time; on feet: running, walking and hiking time (walks "
             "and hikes load the knee too); x-train: low-impact cross-training sessions (ride, "
             "swim, row, cross-country ski, elliptical); monotony only for complete weeks.")


def week_notes(report: dict) -> list[str]:
    """What the weekly table's columns mean, jargon in plain words."""
    notes = [WEEK_NOTE, JARGON["ratio_30"], JARGON["monotony"], JARGON["load_ratio"]]
    if report.get("load") == "trimp":
        notes.append(f"The load here is {JARGON['trimp']}")
    counted = report.get("session_rpe")
    if counted:
        notes.append(JARGON["session_load"])
    if report.get("load") == "srpe":
        notes.append(srpe_note(counted))
    return notes


def srpe_note(counted: dict | None) -> str:
    """What ``--load srpe`` rests on: how many sessions of the weeks shown are rated.

    >>> srpe_note({"rated": 12, "unrated": 2})[:73]
    'The load here is session RPE: 12 of 14 sessions in these weeks are rated.'
    """
    if not counted:
        return ("The load here is session RPE, but no session in these weeks is rated: the "
                "ratios, monotony and strain have nothing to go on. Rate sessions in your app "
                "or with 'loadwatch rpe add DATE VALUE', or use another --load.")
    rated, unrated = counted["rated"], counted["unrated"]
    said = (f"The load here is session RPE: {rated} of {rated + unrated} sessions in these "
            "weeks are rated.")
    if not unrated:
        return said
    return (f"{said} The {plural(unrated, 'unrated one')} {'is' if unrated == 1 else 'are'} "
            "left out, not counted as easy: the load ratios run low where they fall, and a "
            "week with one has no monotony or strain. Rate them with 'loadwatch rpe add "
            "DATE VALUE'.")


def comparison_rows(report: dict) -> list[tuple[str, str, str]]:
    """(label, this week, last week) lines for "this week against last".

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
        ("Climbing", *both(lambda w: climb(w["elevation_gain_m"], units))),
        ("Hard runs", *both(lambda w: str(w["hard_runs"]))),
        ("Rest days", *both(lambda w: str(w["rest_days"]))),
        ("Cross-training", *both(lambda w: plural(w["cross_training_sessions"], "session"))),
    ]


def comparison_note(report: dict) -> str:
    """Which days are compared: the whole weeks, or this week so far and the same days last."""
    week = report.get("this_week") or {}
    if not week:
        return ""
    first, to = date.fromisoformat(week["first"]), date.fromisoformat(week["to"])
    if week.get("whole", True):
        note = f"This week ({first:%a %-d %b} to {to:%a %-d %b}) against the week before."
    else:
        note = (f"A week in progress: {first:%a} to {to:%a} ({plural(week['days'], 'day')}) "
                "against the same days of last week, not against the whole of it.")
    if week.get("last") is None:
        note += " Last week is not all in the data, so there is nothing to compare with."
    return note


def streak_line(report: dict) -> str:
    streak = report["streak"]
    parts = [f"Run streak: {plural(streak['current'], 'day')} (longest "
             f"{plural(streak['longest'], 'day')})."]
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
    """The shown flags as (pain red flags, evidence-led conditions, habits worth a look).

    Evidence-led conditions keep the report's order with the level's drivers first.
    """
    shown = report["flags"]
    red = [f for f in shown if f["code"] == "pain_red_flag"]
    evidence = [f for f in shown if f["kind"] == "evidence" and f["code"] != "pain_red_flag"]
    evidence.sort(key=lambda f: not f.get("driver"))
    habits = [f for f in shown if f["kind"] == "habit"]
    return red, evidence, habits


def since(f: dict) -> str:
    """``Sun 15 Nov``, or ``Tue 3 Nov to Sun 22 Nov`` for a flag that held several days."""
    text = day(f["start"])
    if f["last_date"] != f["start"]:
        text += f" to {day(f['last_date'])}"
    return text


def spike_rows(report: dict) -> list[str]:
    """One line per run above 1.1x its reference in the last 30 days."""
    units = report["units"]
    out = []
    for r in report.get("recent_spikes") or []:
        parts = f" in {r['parts']} parts" if (r.get("parts") or 1) > 1 else ""
        if r["measure"] == "distance":
            what = f"{dist(r['distance'], units)}{parts} against {dist(r['reference'], units)}"
        else:
            what = (f"{hours(r['duration_s'])}{parts} against {hours(r['reference_duration_s'])}"
                    " (by time)")
        kind = " (first run after a break)" if r["kind"] == "return" else ""
        ref = f" (reference: {day(r['reference_date'])})" if r.get("reference_date") else ""
        race = f"{race_words(r.get('name') or '')}, " if r.get("race") else ""
        out.append(f"{day(r['date'])}: {race}{what}{ref}, {r['spike_ratio']:.2f}x{kind}")
    return out


def check_rows(report: dict) -> list[str]:
    """One line per activity under "data to check", naming its file (without the folder)."""
    return [f"{day(d['date'])} {d['sport']}{' ' + repr(d['name']) if d.get('name') else ''} "
            f"({d['activity_id']}{_file_of(d.get('path'))}): {d['reason']}"
            for d in report.get("data_to_check") or []]


def _file_of(path: str | None) -> str:
    """``", name.tcx"``: the file an activity came from, so the athlete can find it."""
    return f", {path.replace(chr(92), '/').rsplit('/', 1)[-1]}" if path else ""


def ignored_rows(report: dict) -> list[str]:
    """One line per activity the athlete ignores, with the reason given."""
    return [f"{day(d['date'])} ({d['activity_id']})" + (f": {d['reason']}" if d.get("reason") else "")
            for d in report.get("ignored") or []]


CHECK_HOW = ("Left out of the load and the flags until you settle them: "
             "'loadwatch confirm ID' if it was real, 'loadwatch ignore ID' if not.")


def import_line(report: dict) -> str:
    """What was read, in one sentence with the counts; empty without an import summary."""
    imp = report.get("import") or {}
    if not imp:
        return ""
    return (f"Read {plural(imp.get('activities', 0), 'activity', 'activities')} from "
            f"{plural(imp.get('files_seen', 0), 'file')}; "
            f"{plural(imp.get('duplicates_dropped', 0), 'duplicate')} dropped, "
            f"{len(imp.get('skipped', []))} skipped, "
            f"{len(imp.get('warnings', []))} read with warnings, "
            f"{len(imp.get('errors', []))} failed.")


def import_problems(report: dict) -> list[str]:
    """The import's warnings, failures and notes, one line each."""
    imp = report.get("import") or {}
    out = [f"Warning: {w.get('path', '')}: {w.get('warning', '')}" for w in imp.get("warnings") or []]
    out += [f"Failed: {e.get('path', '')}: {e.get('error', '')}" for e in imp.get("errors") or []]
    out += [f"Note: {n}" for n in imp.get("notes") or []]
    return out


WELLNESS_NAMES = {"soreness": ("soreness", ""), "fatigue": ("fatigue", ""),
                  "sleep_h": ("sleep", " h"), "resting_hr": ("resting heart rate", " bpm")}
"""Each wellness measure's words and unit (:mod:`loadwatch.wellness`)."""

WELLNESS_NOTE = ("Context, not part of the level: wellness tracks training load (Saw 2016) but "
                 "no study has shown it predicts a running injury. Soreness and fatigue are "
                 "your own ratings, higher is worse.")


def wellness_words(w: dict, *, short: bool = False) -> str:
    """``sleep 6.5 h on Sat 21 Nov (4-week mean 6.8 h, down from 7.4 h)``; ``short``: ``sleep
    6.5 h (down)`` for the squad."""
    name, unit = WELLNESS_NAMES.get(w["measure"], (w["measure"], ""))
    last = f"{name} {w['last']:g}{unit}"
    if short:
        return last + (f" ({w['trend']})" if w.get("trend") and w["trend"] != "same" else "")
    if w.get("mean_4w") is None:
        trend = "no value in the last 4 weeks"
    elif w.get("mean_before") is None:
        trend = f"4-week mean {w['mean_4w']:g}{unit}"
    else:
        moved = {"up": "up from", "down": "down from", "same": "as in"}[w["trend"]]
        trend = (f"4-week mean {w['mean_4w']:g}{unit}, {moved} {w['mean_before']:g}{unit}"
                 f"{' the 4 weeks before' if w['trend'] == 'same' else ''}")
    return f"{last} on {day(w['last_date'])} ({trend})"
