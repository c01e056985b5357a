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

import numpy as np
import pandas as pd

from loadwatch import pain
from loadwatch.flags.thresholds import Thresholds
from loadwatch.pain.table import day_number, to_date
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
           thresholds: Thresholds | None = None, *, folder: str | None = None,
           table: pain.DiaryTable | None = None) -> Clinical:
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
    table : loadwatch.pain.DiaryTable, optional
        The diary's table when the caller has it (made from ``diary`` otherwise).

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
    table = pain.DiaryTable.of(diary) if table is None else table
    n = table.upto(as_of)
    if n == 0:
        return Clinical("none", diary="none", diary_note=(
            f"The pain diary has no entry yet: add one after each run with "
            f"'{pain_command(folder, '--severity N')}' (severity 0 for a pain-free day)."))
    f = _findings(table, n, as_of, t)
    entries = table.entries.iloc[:n]
    kind, note = _diary_state(table, n)
    reasons: list[str] = []
    red_day, runs_since = None, 0
    done = f.done
    if len(f.open_red):
        red_day, runs_since = _red_flags(table, f.open_red, timeline, as_of, units, reasons,
                                         folder)
    elif f.after_rule:
        reasons += assessment_mod.reasons_after(done, *f.since, t, _where(table, n))
    else:
        if f.persistent is not None:
            days, worst, judged = f.persistent
            reasons.append(f"pain of {PERSISTENT_SEVERITY}/10 or more on {days} of "
                           f"{_to(judged, as_of)} (up to {worst}/10): pain that "
                           "persists needs assessing, early.")
        if f.long is not None:
            reasons.append(_long_words(table, f.long, as_of))
        if f.rising is not None:
            peaks, judged = f.rising
            trail = " to ".join(f"{p}/10" for p in peaks)
            when = "" if judged == as_of else f", to the last diary entry on {day_words(judged)}"
            reasons.append(f"your weekly worst pain has risen {RISING_WEEKS - 1} weeks running "
                           f"({trail}{when}): worsening pain needs assessing, even without an "
                           "injury.")
    out = Clinical(f.status, reasons, kind, note, red_day, runs_since, assessment=done,
                   last_pain=f.latest)
    if done is not None and done.lowest is not None:
        out.again = (f"Get it assessed again if it rises to {done.lowest + t.assessed_rise_points}"
                     f"/10 or more ({t.assessed_rise_points} points over its lowest since, "
                     f"{done.lowest}/10) or stops improving for {t.assessed_stall_days} days.")
    elif done is not None:
        out.again = "Get it assessed again if pain comes back or does not improve."
    if f.silent:
        out.silent_since = f.last_day
        out.silence = assessment_mod.silence_line(entries, as_of, folder)
    return out


def status(table: pain.DiaryTable, as_of: date, thresholds: Thresholds | None = None) -> str:
    """:func:`assess`'s status alone (``check_now``, ``assess_soon`` or ``none``), without its
    words: the history asks it of every day (:mod:`.history_clinical`)."""
    n = table.upto(as_of)
    return "none" if n == 0 else _findings(table, n, as_of, thresholds or Thresholds()).status


@dataclass(frozen=True)
class _Findings:
    """What the rules find in the first entries of a diary as of a day (the status and the
    numbers its words need; :func:`assess` words them)."""

    status: str
    open_red: np.ndarray
    done: Assessment | None
    after_rule: bool
    since: tuple[list[date], list[int]]
    persistent: tuple[int, int, date] | None
    long: tuple[int, int, int] | None
    rising: tuple[tuple[int, ...], date] | None
    latest: tuple[int, date] | None
    last_day: date
    silent: bool


def _findings(table: pain.DiaryTable, n: int, as_of: date, t: Thresholds) -> _Findings:
    """The rules (the module's table) over the first ``n`` entries of ``table``, as of ``as_of``.

    A red flag is open when no later entry records an assessment: it is at or after the
    latest assessment. The pain rules read the entries after the latest assessment."""
    known = np.flatnonzero(~np.isnan(table.severity[:n]))
    latest = (None if not len(known) else
              (int(table.severity[known[-1]]), to_date(int(table.day[known[-1]]))))
    last_day = to_date(int(table.day[n - 1]))
    # Silence after pain holds what the last entries said: judge on the last entry's day.
    judged = last_day if latest is not None and latest[0] >= 1 else as_of
    done, at, since_days, since_values = assessment_mod.latest(table, n)
    open_red = max(at, 0) + np.flatnonzero(table.has_red[max(at, 0):n])
    after_rule, persistent, long, rising = False, None, None, None
    if len(open_red):
        status = "check_now"
    elif done is not None and not done.over:
        after_rule = bool(assessment_mod.reasons_after(done, since_days, since_values, t, ""))
        status = "assess_soon" if after_rule else "none"
    else:
        # Judged today when today still says it (the usual words), else as of the last entry.
        persistent = _persistent(table, at, n, as_of) or _persistent(table, at, n, judged)
        long = _long_episode(table, at, n, as_of)
        rising = _rising(table, at, n, as_of) or _rising(table, at, n, judged)
        status = "assess_soon" if persistent or long or rising else "none"
    painful = (latest is not None and latest[0] >= 1) or status != "none"
    silent = painful and (as_of - last_day).days >= t.diary_silence_days
    return _Findings(status, open_red, done, after_rule, (since_days, since_values), persistent,
                     long, rising, latest, last_day, silent)


def _where(table: pain.DiaryTable, n: int) -> str:
    """``left inner-knee pain``: the place of the latest pain entry."""
    k = int(np.searchsorted(table.pain, n)) - 1
    if k < 0:
        return "pain"
    row = table.entries.iloc[int(table.pain[k])]
    return pain.pain_words(row["location_label"], row["side"])


def _diary_state(table: pain.DiaryTable, n: int) -> tuple[str, str]:
    last = to_date(int(table.day[n - 1]))
    sev = table.severity[:n]
    if not (sev > 0).any():
        known = int((~np.isnan(sev)).sum())
        if known == 0:  # assessments only: something was seen to, not a pain-free day
            return "pain", f"Last diary entry on {day_words(last)}."
        return "pain_free", (f"{known} pain-free day{'s' if known > 1 else ''} recorded, the last "
                             f"on {day_words(last)}.")
    return "pain", f"Last diary entry on {day_words(last)}."


def _red_flags(table: pain.DiaryTable, open_red: np.ndarray, timeline: pd.DataFrame,
               as_of: date, units: str, reasons: list[str],
               folder: str | None = None) -> tuple[date | None, int]:
    day = to_date(int(table.day[open_red[0]]))
    signs = sorted({w for i in open_red.tolist() for w in table.red[i]}, key=str)
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
    """How the window is named: "the last 7 days", or the days to the last diary entry."""
    if judged == as_of:
        return f"the last {PERSISTENT_WINDOW} days"
    return f"the {PERSISTENT_WINDOW} days to the last diary entry, {day_words(judged)}"


def _span(table: pain.DiaryTable, at: int, n: int, lo: date, hi: date) -> slice:
    """The entries after position ``at`` and before ``n`` dated ``lo`` to ``hi``."""
    i0 = int(np.searchsorted(table.day, day_number(lo), side="left"))
    i1 = int(np.searchsorted(table.day, day_number(hi), side="right"))
    return slice(max(i0, at + 1), min(i1, n))


def _persistent(table: pain.DiaryTable, at: int, n: int,
                judged: date) -> tuple[int, int, date] | None:
    """Pain of PERSISTENT_SEVERITY or more on PERSISTENT_DAYS days of the window to ``judged``:
    (those days, the worst, ``judged``), else None."""
    span = _span(table, at, n, judged - timedelta(days=PERSISTENT_WINDOW - 1), judged)
    hit = table.severity[span] >= PERSISTENT_SEVERITY
    days = len(np.unique(table.day[span][hit]))
    if days >= PERSISTENT_DAYS:
        return days, int(table.severity[span][hit].max()), judged
    return None


def _long_episode(table: pain.DiaryTable, at: int, n: int,
                  as_of: date) -> tuple[int, int, int] | None:
    """The episode going on as of ``as_of`` (the last one of the entries after position
    ``at``, unless a pain-free entry came after it) when it has gone on LONG_EPISODE_DAYS or
    more: (its first pain index into ``table.pain``, its last, its days), else None."""
    k = table.pain_between(at, n)
    if not len(k):
        return None
    first = int(k[np.flatnonzero(table.starts(k, at))[-1]])
    last = int(k[-1])
    end = int(table.day[table.pain[last]])
    later = slice(at + 1, n)
    if ((table.severity[later] == 0) & (table.day[later] > end)).any():
        return None
    # Through a silent diary the clock runs as long as a next entry would still belong
    # to the episode (MAX_GAP_DAYS), then holds: days nobody recorded are not counted.
    until = min(day_number(as_of), end + pain.MAX_GAP_DAYS)
    days = until - int(table.day[table.pain[first]]) + 1
    return (first, last, days) if days >= LONG_EPISODE_DAYS else None


def _long_words(table: pain.DiaryTable, long: tuple[int, int, int], as_of: date) -> str:
    first, last, days = long
    ep = pain.episode_of(table.entries.iloc[table.pain[first:last + 1]])
    tail = "" if ep.end == as_of else f", last recorded on {day_words(ep.end)}"
    return (f"your {pain.pain_words(ep.location, ep.side)} has gone on for {days} days "
            f"(since {day_words(ep.start)}{tail}): get it assessed rather than wait.")


def _rising(table: pain.DiaryTable, at: int, n: int,
            judged: date) -> tuple[tuple[int, ...], date] | None:
    """Weekly peaks (Monday to Sunday) rising over the RISING_WEEKS weeks to ``judged``'s:
    (the peaks, ``judged``), else None."""
    if n <= at + 1:
        return None
    monday = judged - timedelta(days=judged.weekday())
    peaks = []
    for k in range(RISING_WEEKS - 1, -1, -1):
        week = monday - timedelta(days=7 * k)
        sev = table.severity[_span(table, at, n, week, week + timedelta(days=6))]
        sev = sev[~np.isnan(sev)]
        if not len(sev):
            return None
        peaks.append(int(sev.max()))
    if peaks[0] > 0 and all(b > a for a, b in zip(peaks, peaks[1:], strict=False)):
        return tuple(peaks), judged
    return None
