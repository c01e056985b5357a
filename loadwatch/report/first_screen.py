"""The report's first screen, laid out once for every format from ``report["summary"]``.

:func:`of` turns the summary (:func:`loadwatch.report.model.summary`, itself the
verdict's :mod:`~loadwatch.verdict.glance`) into the words each renderer shows: a
text box (:mod:`.text`), a Markdown block (:mod:`.markdown`) and the HTML cards
(``_summary.html.j2``). The numbers are the summary's, written as the report's
"Next week" lines write them (rounded down to 0.1 of the unit), so the first screen
and the lines below it always read the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadwatch.report import fmt
from loadwatch.report.sections import LEVELS, STATUSES, tone
from loadwatch.words import ceiling_duration_words


@dataclass(frozen=True)
class Number:
    """One of next week's numbers: ``label`` (``weekly maximum``) and ``value`` (``69.8 km``)."""

    label: str
    value: str


@dataclass(frozen=True)
class FirstScreen:
    """What a report opens with.

    Attributes
    ----------
    clinical_label, clinical_reason, clinical_tone : str
        The clinical status in capitals, its reason, and its CSS-safe class word.
    level_label, level_reason, level_tone : str
        The load level likewise.
    plan : str
        ``build``, ``hold`` or ``stop``.
    numbers : tuple of Number
        Weekly maximum, longest run, rest days; empty on ``stop``.
    plan_words : str
        The numbers in one line (``weekly maximum 69.8 km, longest run 15.4 km, at
        least 1 rest day``), or why there are none.
    todo : tuple of str
    """

    clinical_label: str
    clinical_reason: str
    clinical_tone: str
    level_label: str
    level_reason: str
    level_tone: str
    plan: str
    numbers: tuple[Number, ...]
    plan_words: str
    todo: tuple[str, ...]


STOP_WORDS = "no running until the red flag has been checked"


def _numbers(plan: dict, units: str) -> tuple[Number, ...]:
    if plan["status"] == "stop":
        return ()
    weekly = plan.get("weekly_max")
    longest, longest_s = plan.get("longest_run"), plan.get("longest_run_s")
    if longest is not None:
        run = f"{longest:.1f} {units}"
    elif longest_s is not None:
        run = ceiling_duration_words(longest_s)
    else:
        run = "none"
    rest = plan.get("rest_days_min") or 0
    return (Number("weekly maximum", "none yet" if weekly is None else f"{weekly:.1f} {units}"),
            Number("longest run", run),
            Number("rest days", f"at least {rest}"))


def of(report: dict) -> FirstScreen | None:
    """The first screen of a ``loadwatch/report-v3`` report (its ``summary``); None for a
    report written before the summary existed (nothing to show, nothing made up)."""
    s = report.get("summary")
    if not s:
        return None
    clinical, level, plan = s["clinical"], s["level"], s["next_week"]
    numbers = _numbers(plan, report["units"])
    if numbers:
        weekly, run, rest = numbers
        words = (f"weekly maximum {weekly.value}, longest run {run.value}, "
                 f"{rest.value} {'rest day' if rest.value.endswith(' 1') else 'rest days'}")
    else:
        words = STOP_WORDS
    return FirstScreen(
        clinical_label=clinical["label"], clinical_reason=clinical["reason"],
        clinical_tone=tone(clinical["status"], STATUSES),
        level_label=level["label"], level_reason=level["reason"],
        level_tone=tone(level["level"], LEVELS), plan=plan["status"], numbers=numbers,
        plan_words=words, todo=tuple(s["todo"]))


def title(report: dict) -> str:
    """``Ingrid, as of Sun 22 Nov 2026``."""
    return f"{report['athlete']}, as of {fmt.day(report['as_of'], year=True)}"
