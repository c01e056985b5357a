"""The clinical status: what the pain diary says about seeing someone, before any load talk.

loadwatch does not diagnose. It reads the runner's own diary for the signs that
the brief (and the clinical sources it names) say need a clinician, and says so
first, in every output:

===========  ======================================================================
status       when (as of the report date)
===========  ======================================================================
check_now    a red flag (:func:`loadwatch.pain.red_flags`: a pop, locking or
             catching, giving way, swelling with bruising, pain on weight bearing
             after a twist, blow or fall, a sudden onset; or the signs of a stress
             fracture: sharp pin-point pain, pain on hopping, night pain, pain that
             stopped the run) not yet followed by an entry that records the knee
             was assessed or cleared (``loadwatch pain add --assessed``, or the word
             "assessed" or "cleared" in its notes)
assess_soon  pain that persists or worsens: 3/10 or more on at least 3 of the last
             7 days; an episode going on for 14 days or more; or weekly peaks
             rising two weeks running (three weeks, each worse than the one
             before). "If in doubt, get it checked early."
none         neither
===========  ======================================================================

Running after an unassessed red flag is said plainly, with the runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from loadwatch import pain
from loadwatch.flags import day_words, distance_words

STATUSES = ("check_now", "assess_soon", "none")
PERSISTENT_SEVERITY = 3
"""Pain at or above this ... [0-10]"""
PERSISTENT_DAYS, PERSISTENT_WINDOW = 3, 7
"""... on at least this many of the last 7 days is persistent. [days]"""
LONG_EPISODE_DAYS = 14
"""An episode going on this long needs assessing. [days]"""
RISING_WEEKS = 3
"""Weekly peaks rising this many weeks in a row (two rises). [weeks]"""


@dataclass
class Clinical:
    """The clinical status and why.

    Attributes
    ----------
    status : str
        ``check_now``, ``assess_soon`` or ``none``.
    reasons : list of str
        Each reason in plain words with its dates and numbers.
    diary : str
        ``none`` (no diary), ``pain_free`` (only pain-free days recorded) or
        ``pain`` (pain recorded).
    diary_note : str
        What the diary holds, or how to start one.
    red_flag_day : datetime.date or None
        The first unassessed red flag.
    runs_since : int
        Runs recorded after that red flag.
    """

    status: str
    reasons: list[str] = field(default_factory=list)
    diary: str = "none"
    diary_note: str = ""
    red_flag_day: date | None = None
    runs_since: int = 0

    @property
    def summary(self) -> str:
        head = {"check_now": "CHECK NOW", "assess_soon": "GET IT ASSESSED SOON",
                "none": "NOTHING IN THE DIARY NEEDS A CLINICIAN"}[self.status]
        if self.status == "none":
            return f"{head}. {self.diary_note}".strip()
        return f"{head}: {' '.join(self.reasons)}"

    def to_json(self) -> dict:
        return {"status": self.status, "reasons": list(self.reasons), "summary": self.summary,
                "diary": self.diary, "diary_note": self.diary_note,
                "red_flag_day": None if self.red_flag_day is None else self.red_flag_day.isoformat(),
                "runs_since_red_flag": self.runs_since}


def assess(diary: pain.Diary | None, timeline: pd.DataFrame, as_of: date, units: str = "km"
           ) -> Clinical:
    """The clinical status from the diary (up to ``as_of``) and the runs after a red flag.

    Parameters
    ----------
    diary : loadwatch.pain.Diary or None
        None when the athlete keeps no diary.
    timeline : pandas.DataFrame
        The athlete's activities (``loadwatch.timeline.COLUMNS``).
    as_of : datetime.date
    units : {"km", "mi"}

    Examples
    --------
    >>> assess(None, pd.DataFrame(), date(2026, 11, 22)).diary_note[:30]
    'No pain diary: loadwatch canno'
    """
    if diary is None:
        return Clinical("none", diary="none", diary_note=(
            "No pain diary: loadwatch cannot tell how your knee feels. Start one after your "
            "next run with 'loadwatch pain add --athlete DIR --severity 0' (0 means pain-free; "
            "add --location and --symptom when it hurts)."))
    entries = diary.entries[diary.entries["date"] <= pd.Timestamp(as_of)].sort_values(
        ["date", "line"], kind="stable")
    if entries.empty:
        return Clinical("none", diary="none", diary_note=(
            "The pain diary has no entry yet: add one after each run with 'loadwatch pain add' "
            "(severity 0 for a pain-free day)."))
    kind, note = _diary_state(entries)
    reasons: list[str] = []
    red_day, runs_since = _red_flags(entries, timeline, as_of, units, reasons)
    if reasons:
        return Clinical("check_now", reasons, kind, note, red_day, runs_since)
    _persistent(entries, as_of, reasons)
    _long_episode(diary, entries, as_of, reasons)
    _rising(entries, as_of, reasons)
    return Clinical("assess_soon" if reasons else "none", reasons, kind, note)


def _diary_state(entries: pd.DataFrame) -> tuple[str, str]:
    last = entries["date"].max().date()
    pain_days = entries[entries["severity"] > 0]
    if pain_days.empty:
        n = len(entries)
        return "pain_free", (f"{n} pain-free day{'s' if n > 1 else ''} recorded, the last on "
                             f"{day_words(last)}.")
    return "pain", f"Last diary entry on {day_words(last)}."


def _red_flags(entries: pd.DataFrame, timeline: pd.DataFrame, as_of: date, units: str,
               reasons: list[str]) -> tuple[date | None, int]:
    flagged = [(row, pain.red_flags(row)) for row in entries.itertuples(index=False)]
    flagged = [(row, why) for row, why in flagged if why]
    if not flagged:
        return None, 0
    cleared_at = [(row.date, row.line) for row in entries.itertuples(index=False)
                  if pain.assessed(row)]
    open_flags = [(row, why) for row, why in flagged
                  if not any((d, ln) > (row.date, row.line) for d, ln in cleared_at)]
    if not open_flags:
        return None, 0
    first = open_flags[0][0]
    day = first.date.date()
    signs = sorted({w for _, why in open_flags for w in why}, key=str)
    reasons.append(f"your diary records {pain.join_words(signs)} (first on {day_words(day)}), which "
                   "may be an injury (meniscus, ligament or bone) rather than overload: get it "
                   "checked by a sports physical therapist or doctor before running on it.")
    runs = timeline[timeline["is_run"] & (timeline["local_date"] > pd.Timestamp(day))
                    & (timeline["local_date"] <= pd.Timestamp(as_of))] if len(timeline) else timeline
    if len(runs):
        last = runs.iloc[-1]
        dist = ("" if pd.isna(last["distance_m"])
                else f" {distance_words(float(last['distance_m']), units)}")
        reasons.append(f"You have run {len(runs)} time{'s' if len(runs) > 1 else ''} since "
                       f"(the last{dist} on {day_words(last['local_date'].date())}): stop "
                       "running on it until it has been checked.")
    reasons.append("Once it has been assessed, record it: 'loadwatch pain add --assessed'.")
    return day, len(runs)


def _persistent(entries: pd.DataFrame, as_of: date, reasons: list[str]) -> None:
    since = pd.Timestamp(as_of - timedelta(days=PERSISTENT_WINDOW - 1))
    recent = entries[entries["date"] >= since]
    per_day = recent.groupby("date")["severity"].max()
    days = per_day[per_day >= PERSISTENT_SEVERITY]
    if len(days) >= PERSISTENT_DAYS:
        reasons.append(f"pain of {PERSISTENT_SEVERITY}/10 or more on {len(days)} of the last "
                       f"{PERSISTENT_WINDOW} days (up to {int(days.max())}/10): pain that "
                       "persists needs assessing, early.")


def _long_episode(diary: pain.Diary, entries: pd.DataFrame, as_of: date,
                  reasons: list[str]) -> None:
    episodes = pain.episodes(pain.Diary(entries=entries, errors=[]))
    going = pain.ongoing(episodes, pain.Diary(entries=entries, errors=[]), as_of)
    for ep in going:
        days = (as_of - ep.start).days + 1
        if days >= LONG_EPISODE_DAYS:
            reasons.append(f"your {pain.pain_words(ep.location, ep.side)} has gone on for {days} days "
                           f"(since {day_words(ep.start)}): get it assessed rather than wait.")


def _rising(entries: pd.DataFrame, as_of: date, reasons: list[str]) -> None:
    monday = pd.Timestamp(as_of - timedelta(days=as_of.weekday()))
    weeks = [monday - pd.Timedelta(days=7 * k) for k in range(RISING_WEEKS - 1, -1, -1)]
    week_of = entries["date"] - pd.to_timedelta(entries["date"].dt.day_of_week, unit="D")
    peaks = entries.groupby(week_of)["severity"].max().reindex(weeks)
    if peaks.notna().all() and peaks.iloc[0] > 0 and (peaks.diff().iloc[1:] > 0).all():
        trail = " to ".join(f"{int(p)}/10" for p in peaks)
        reasons.append(f"your weekly worst pain has risen {RISING_WEEKS - 1} weeks running "
                       f"({trail}): worsening pain needs assessing, even without an injury.")
