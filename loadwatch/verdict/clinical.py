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

Silence is not recovery. When the latest entry records pain, the rules are
judged as of that entry's day (persistent and rising pain keep their status
until an entry says otherwise; the long-episode clock runs on through at most
:data:`~loadwatch.pain.MAX_GAP_DAYS` silent days, the gap the diary's episodes
allow, and holds there). After ``diary_silence_days`` (7) days without an entry
the status adds "No diary entry since Sat 21 Nov: how is the knee?" and the
command that records it; a status with pain never reads "nothing needs a
clinician" through silence.

An entry recording an assessment closes the red flags before it, and the rules'
clock restarts after it (:mod:`.assessment`): pain improving since reads as such
("assessed on 12 Nov; 6 -> 1/10"), and only a rise or no improvement asks for a
new assessment. A red flag after it opens again.

Running after an unassessed red flag is said plainly, with the runs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from loadwatch import pain
from loadwatch.flags.thresholds import Thresholds
from loadwatch.verdict import assessment as assessment_mod
from loadwatch.verdict.assessment import Assessment
from loadwatch.verdict.previous_injury import PreviousInjury
from loadwatch.words import day_words, distance_words

STATUSES = ("check_now", "assess_soon", "none")
PERSISTENT_SEVERITY = 3
"""Pain at or above this ... [0-10]"""
PERSISTENT_DAYS, PERSISTENT_WINDOW = 3, 7
"""... on at least this many of the last 7 days is persistent. [days]"""
LONG_EPISODE_DAYS = 14
"""An episode going on this long needs assessing. [days]"""
RISING_WEEKS = 3
"""Weekly peaks rising this many weeks in a row (two rises). [weeks]"""
HEADS = {"check_now": "CHECK NOW", "assess_soon": "GET IT ASSESSED SOON",
         "none": "NOTHING IN THE DIARY NEEDS A CLINICIAN"}
"""Each status as the summary's first words (capitals)."""


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
    silent_since : datetime.date or None
        The last entry's day when the diary has been silent ``diary_silence_days``
        or more after pain (or under a status).
    silence : str
        The question and the command to answer it, when silent.
    assessment : Assessment or None
        The latest assessment and the pain since.
    again : str
        After an assessment: when to get it assessed again, with its numbers.
    last_pain : tuple of (int, datetime.date) or None
        The latest severity recorded and its day (:func:`loadwatch.pain.latest_pain`).
    previous_injury : PreviousInjury or None
        The latest injury of the last 12 months (:mod:`.previous_injury`): context shown
        beside the status, never a reason for it.
    """

    status: str
    reasons: list[str] = field(default_factory=list)
    diary: str = "none"
    diary_note: str = ""
    red_flag_day: date | None = None
    runs_since: int = 0
    silent_since: date | None = None
    silence: str = ""
    assessment: Assessment | None = None
    again: str = ""
    last_pain: tuple[int, date] | None = None
    previous_injury: PreviousInjury | None = None

    @property
    def summary(self) -> str:
        head = HEADS[self.status]
        tail = f" {self.silence}" if self.silence else ""
        if self.status != "none":
            return f"{head}: {' '.join(self.reasons)}{tail}"
        a = self.assessment
        if a is not None and not a.over:
            return (f"{'ASSESSED, IMPROVING' if a.improving else 'ASSESSED'}: {a.words()}. "
                    f"{self.again}{tail}")
        if self.silence and self.last_pain is not None:
            severity, day = self.last_pain
            return f"PAIN {severity}/10 LAST RECORDED ON {day_words(day).upper()}:{tail}"
        return f"{head}. {self.diary_note}".strip()

    def to_json(self) -> dict:
        return {"status": self.status, "reasons": list(self.reasons), "summary": self.summary,
                "diary": self.diary, "diary_note": self.diary_note,
                "red_flag_day": None if self.red_flag_day is None else self.red_flag_day.isoformat(),
                "runs_since_red_flag": self.runs_since,
                "silent_since": None if self.silent_since is None else self.silent_since.isoformat(),
                "silence": self.silence or None,
                "assessment": None if self.assessment is None else self.assessment.to_json(),
                "last_pain": None if self.last_pain is None else {
                    "severity": self.last_pain[0], "date": self.last_pain[1].isoformat()},
                "previous_injury": (None if self.previous_injury is None
                                    else self.previous_injury.to_json())}


def pain_command(folder: str | None, args: str) -> str:
    """``loadwatch pain add --athlete FOLDER ARGS``: a command the runner can paste as printed
    (``DIR`` where the folder is not known).

    >>> pain_command("runs/ingrid", "--assessed")
    'loadwatch pain add --athlete runs/ingrid --assessed'
    >>> pain_command("my runs", "--severity 0")
    "loadwatch pain add --athlete 'my runs' --severity 0"
    """
    return f"loadwatch pain add --athlete {shlex.quote(folder) if folder else 'DIR'} {args}"


def assess(diary: pain.Diary | None, timeline: pd.DataFrame, as_of: date, units: str = "km",
           thresholds: Thresholds | None = None, *, folder: str | None = None) -> Clinical:
    """The clinical status from the diary (up to ``as_of``) and the runs after a red flag.

    Parameters
    ----------
    diary : loadwatch.pain.Diary or None
        None when the athlete keeps no diary.
    timeline : pandas.DataFrame
        The athlete's activities (``loadwatch.timeline.COLUMNS``).
    as_of : datetime.date
    units : {"km", "mi"}
    thresholds : loadwatch.flags.Thresholds, optional
        ``diary_silence_days``, ``assessed_rise_points``, ``assessed_stall_days``.

    Examples
    --------
    >>> assess(None, pd.DataFrame(), date(2026, 11, 22)).diary_note[:30]
    'No pain diary: loadwatch canno'
    """
    t = thresholds or Thresholds()
    if diary is None:
        return Clinical("none", diary="none", diary_note=(
            "No pain diary: loadwatch cannot tell how your knee feels. Start one after your "
            f"next run with '{pain_command(folder, '--severity 0')}' (0 means pain-free; "
            "add --location and --symptom when it hurts)."))
    entries = diary.entries[diary.entries["date"] <= pd.Timestamp(as_of)].sort_values(
        ["date", "line"], kind="stable")
    if entries.empty:
        return Clinical("none", diary="none", diary_note=(
            f"The pain diary has no entry yet: add one after each run with "
            f"'{pain_command(folder, '--severity N')}' (severity 0 for a pain-free day)."))
    kind, note = _diary_state(entries)
    latest = pain.latest_pain(pain.Diary(entries=entries, errors=[]), as_of)
    last_day = entries["date"].max().date()
    # Silence after pain holds what the last entries said: judge on the last entry's day.
    judged = last_day if latest is not None and latest[0] >= 1 else as_of
    done, after = assessment_mod.latest(entries)
    reasons: list[str] = []
    red_day, runs_since = _red_flags(entries, timeline, as_of, units, reasons, folder)
    if reasons:
        status = "check_now"
    elif done is not None and not done.over:
        reasons += assessment_mod.reasons_after(done, after, t, _where(entries))
        status = "assess_soon" if reasons else "none"
    else:
        # Judged today when today still says it (the usual words), else as of the last entry.
        _persistent(after, as_of, as_of, reasons) or _persistent(after, judged, as_of, reasons)
        _long_episode(after, as_of, reasons)
        _rising(after, as_of, as_of, reasons) or _rising(after, judged, as_of, reasons)
        status = "assess_soon" if reasons else "none"
    out = Clinical(status, reasons, kind, note, red_day, runs_since, assessment=done,
                   last_pain=latest)
    if done is not None and done.lowest is not None:
        out.again = (f"Get it assessed again if it rises to {done.lowest + t.assessed_rise_points}"
                     f"/10 or more ({t.assessed_rise_points} points over its lowest since, "
                     f"{done.lowest}/10) or stops improving for {t.assessed_stall_days} days.")
    elif done is not None:
        out.again = "Get it assessed again if pain comes back or does not improve."
    painful = (latest is not None and latest[0] >= 1) or status != "none"
    if painful and (as_of - last_day).days >= t.diary_silence_days:
        out.silent_since = last_day
        out.silence = assessment_mod.silence_line(entries, as_of, folder)
    return out


def _where(entries: pd.DataFrame) -> str:
    """``left inner-knee pain``: the place of the latest pain entry."""
    painful = entries[(entries["severity"] >= 1).fillna(False).to_numpy(bool)]
    if painful.empty:
        return "pain"
    row = painful.iloc[-1]
    return pain.pain_words(row["location_label"], row["side"])


def _diary_state(entries: pd.DataFrame) -> tuple[str, str]:
    last = entries["date"].max().date()
    pain_days = entries[(entries["severity"] > 0).fillna(False).to_numpy(bool)]
    if pain_days.empty:
        n = int(entries["severity"].notna().sum())
        if n == 0:  # assessments only: something was seen to, not a pain-free day
            return "pain", f"Last diary entry on {day_words(last)}."
        return "pain_free", (f"{n} pain-free day{'s' if n > 1 else ''} recorded, the last on "
                             f"{day_words(last)}.")
    return "pain", f"Last diary entry on {day_words(last)}."


def _red_flags(entries: pd.DataFrame, timeline: pd.DataFrame, as_of: date, units: str,
               reasons: list[str], folder: str | None = None) -> tuple[date | None, int]:
    closed = pain.assessed_after(entries)
    open_flags = [(row, why) for row, why, done in
                  ((row, pain.red_flags(row), done)
                   for row, done in zip(entries.itertuples(index=False), closed, strict=True))
                  if why and pd.isna(done)]
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
    reasons.append(f"Once it has been assessed, record it: '{pain_command(folder, '--assessed')}'.")
    return day, len(runs)


def _to(judged: date, as_of: date) -> str:
    """How the window is named: "the last 7 days", or the days to the last entry."""
    if judged == as_of:
        return f"the last {PERSISTENT_WINDOW} days"
    return f"the {PERSISTENT_WINDOW} days to the last diary entry, {day_words(judged)}"


def _persistent(entries: pd.DataFrame, judged: date, as_of: date, reasons: list[str]) -> bool:
    since = pd.Timestamp(judged - timedelta(days=PERSISTENT_WINDOW - 1))
    recent = entries[(entries["date"] >= since) & (entries["date"] <= pd.Timestamp(judged))]
    per_day = recent.groupby("date")["severity"].max()
    days = per_day[(per_day >= PERSISTENT_SEVERITY).fillna(False).to_numpy(bool)]
    if len(days) >= PERSISTENT_DAYS:
        reasons.append(f"pain of {PERSISTENT_SEVERITY}/10 or more on {len(days)} of "
                       f"{_to(judged, as_of)} (up to {int(days.max())}/10): pain that "
                       "persists needs assessing, early.")
        return True
    return False


def _long_episode(entries: pd.DataFrame, as_of: date, reasons: list[str]) -> None:
    view = pain.Diary(entries=entries, errors=[])
    for ep in pain.ongoing(pain.episodes(view), view, as_of):
        # Through a silent diary the clock runs as long as a next entry would still belong
        # to the episode (MAX_GAP_DAYS), then holds: days nobody recorded are not counted.
        until = min(as_of, ep.end + timedelta(days=pain.MAX_GAP_DAYS))
        days = (until - ep.start).days + 1
        if days >= LONG_EPISODE_DAYS:
            last = "" if ep.end == as_of else f", last recorded on {day_words(ep.end)}"
            reasons.append(f"your {pain.pain_words(ep.location, ep.side)} has gone on for {days} days "
                           f"(since {day_words(ep.start)}{last}): get it assessed rather than wait.")


def _rising(entries: pd.DataFrame, judged: date, as_of: date, reasons: list[str]) -> bool:
    if entries.empty:
        return False
    monday = pd.Timestamp(judged - timedelta(days=judged.weekday()))
    weeks = [monday - pd.Timedelta(days=7 * k) for k in range(RISING_WEEKS - 1, -1, -1)]
    week_of = entries["date"] - pd.to_timedelta(entries["date"].dt.day_of_week, unit="D")
    peaks = entries.groupby(week_of)["severity"].max().reindex(weeks)
    if (peaks.notna().all() and peaks.iloc[0] > 0
            and (peaks.astype(float).diff().iloc[1:] > 0).all()):
        trail = " to ".join(f"{int(p)}/10" for p in peaks)
        when = "" if judged == as_of else f", to the last diary entry on {day_words(judged)}"
        reasons.append(f"your weekly worst pain has risen {RISING_WEEKS - 1} weeks running "
                       f"({trail}{when}): worsening pain needs assessing, even without an injury.")
        return True
    return False
