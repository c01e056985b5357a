"""The verdict at a glance: what every report opens with, read in ten seconds.

:func:`of` picks, from a :class:`loadwatch.verdict.Verdict` already decided, the
few things a runner acts on: the clinical status and its reason, the load level
and its reason in one line, next week's numbers (the very values of
:class:`~loadwatch.verdict.next_week.NextWeek`, never recomputed), and what to do,
at most :data:`MAX_TODO` sentences, the most urgent first:

1. the clinical step (a red flag: no running until it is checked; pain that
   persists or worsens: get it assessed soon);
2. a silent diary after pain: record how it is today, with the command;
3. next week: the plan's own first line when it holds or stops the running,
   else "stay within these numbers" and the first rest-and-variety note;
4. activities waiting under "data to check": settle them.

Nothing new is judged here: each sentence is a part of what the verdict already
says at length further down the report, shortened.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadwatch.verdict.clinical import HEADS
from loadwatch.verdict.risk import PAIN_WORDS, USUAL_WORDS, driver_words, high_with_pain
from loadwatch.words import day_words

MAX_TODO = 3
"""Sentences under "what to do" at most: a glance, not a list (loadwatch's product rule). [-]"""

LEVEL_LABELS = {"high": "HIGH", "raised": "RAISED", "usual": "USUAL", "unknown": "UNKNOWN"}
"""The load level as the summary names it."""

ASSESS_SOON = "Get the pain assessed by a sports physical therapist or doctor soon."
KEEP_TO = "Keep next week within these numbers."


@dataclass(frozen=True)
class Glance:
    """The first screen of a report.

    Attributes
    ----------
    clinical_status : str
        ``check_now``, ``assess_soon`` or ``none`` (:class:`~.clinical.Clinical`).
    clinical_label : str
        ``CHECK NOW``, ``GET IT ASSESSED SOON``, ``ASSESSED``, ... in capitals.
    clinical_reason : str
        Why, in one clause with its dates and numbers.
    level : str
        ``high``, ``raised``, ``usual`` or ``unknown`` (:class:`~.risk.Risk`).
    level_label : str
    level_reason : str
        The strongest driver, or why the level is unknown, in one clause.
    plan : str
        Next week's status: ``build``, ``hold`` or ``stop``.
    todo : tuple of str
        What to do, at most :data:`MAX_TODO` sentences, the most urgent first.
    """

    clinical_status: str
    clinical_label: str
    clinical_reason: str
    level: str
    level_label: str
    level_reason: str
    plan: str
    todo: tuple[str, ...]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _head(reason: str) -> str:
    """A clinical reason without its closing advice: ``pain of 3/10 ... (up to 5/10)``.

    Every persistent, long or rising reason ends ``(...): <advice>.``; the advice is
    what the summary's "what to do" says once for all of them.
    """
    head, sep, _ = reason.rpartition("): ")
    return f"{head})" if sep else reason.rstrip(".")


def _clinical(verdict) -> tuple[str, str]:
    c = verdict.clinical
    if c.status == "check_now":
        runs = "" if not c.runs_since else (
            f"; {c.runs_since} run{'s' if c.runs_since > 1 else ''} since")
        return HEADS["check_now"], (f"A red flag in your pain diary, first on "
                                    f"{day_words(c.red_flag_day)}{runs}")
    if c.status == "assess_soon":
        return HEADS["assess_soon"], _capital(_head(c.reasons[0])) if c.reasons else ""
    a = c.assessment
    if a is not None and not a.over:
        return ("ASSESSED, IMPROVING" if a.improving else "ASSESSED"), _capital(a.words())
    if c.silence and c.last_pain is not None:
        severity, day = c.last_pain
        return "PAIN NOT RECORDED LATELY", f"{severity}/10 last recorded on {day_words(day)}"
    if c.diary == "none":
        return HEADS["none"], "No pain diary"
    return HEADS["none"], c.diary_note.split(":")[0].rstrip(".")


def _level(verdict) -> str:
    risk = verdict.risk
    if risk.level == "unknown":
        return _capital(risk.reasons[0]) if risk.reasons else "Not enough data"
    if risk.level == "usual":
        return _capital(USUAL_WORDS)
    if not risk.drivers:
        return ""
    shown, also = [risk.drivers[0]], ""
    if risk.level == "high" and shown[0].severity != "high":
        # The level is HIGH from a combination (risk.evidence_level), not from the first driver
        # alone: a run above 1.1x in a week up more than 30%, or while pain goes on. Naming the
        # run alone ("a run 12% longer") would not say why the level is high.
        jump = next((f for f in risk.drivers[1:] if f.code == "weekly_distance_jump"), None)
        if jump is not None:
            shown.append(jump)
        elif high_with_pain(risk.level, risk.drivers):
            also = f", {PAIN_WORDS}"
    more = len(risk.drivers) - len(shown)
    tail = f" (and {more} more below)" if more else ""
    return _capital("; ".join(driver_words(f) for f in shown)) + also + tail


def _todo(verdict) -> list[str]:
    c, plan = verdict.clinical, verdict.next_week
    out = []
    if plan.status == "stop" and plan.lines:
        out.append(plan.lines[0])
    elif c.status == "check_now":
        out.append("Get it checked by a sports physical therapist or doctor before running on it.")
    elif c.status == "assess_soon":
        out.append(ASSESS_SOON)
    if c.silence:
        out.append(c.silence)
    if plan.status == "hold" and plan.lines:
        out.append(plan.lines[0])
    elif plan.status == "build":
        note = plan.notes[0] if plan.notes else ""
        out.append(f"{KEEP_TO} {note}".strip())
    n = len(verdict.data_to_check)
    if n:
        out.append(f"Settle {n} activit{'y' if n == 1 else 'ies'} under \"Data to check\": "
                   "'loadwatch confirm ID' if real, 'loadwatch ignore ID' if not.")
    return out[:MAX_TODO]


def of(verdict) -> Glance:
    """The glance of ``verdict`` (a :class:`loadwatch.verdict.Verdict`)."""
    label, reason = _clinical(verdict)
    level = verdict.risk.level
    return Glance(clinical_status=verdict.clinical.status, clinical_label=label,
                  clinical_reason=reason, level=level,
                  level_label=LEVEL_LABELS.get(level, level.upper()),
                  level_reason=_level(verdict), plan=verdict.next_week.status,
                  todo=tuple(_todo(verdict)))
