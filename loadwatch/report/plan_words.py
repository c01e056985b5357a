"""Next week's plan in a few words each, for the calendar and the push notification.

The verdict decided every number (:class:`loadwatch.verdict.next_week.NextWeek`);
these functions read the report's ``next_week`` dict, the same the JSON report
holds, so a calendar event, a phone notification and the report show the same
figures: the ceilings rounded down as the JSON gives them (``weekly_distance_max``,
``longest_run``, ``this_week.left``), a time ceiling rounded down to the minute.
Each kind of advice is matched with the plan's own sentence about it (its numbers,
where they come from and what to do), picked by the words it opens with.
"""

from __future__ import annotations

from dataclasses import dataclass

from loadwatch.words import ceiling_duration_words

KINDS = ("stop", "weekly", "long_run", "rest")
"""The plan's parts, in the order they are shown: no running (``stop``), the weekly
maximum, the long-run ceiling, the rest day."""

_OPENINGS = {
    "stop": ("No running",),
    "weekly": ("No increase", "This week so far", "Weekly distance"),
    "long_run": ("This week so far", "Longest run"),
    "rest": ("At least", "Plan at least one full rest day"),
}
"""The words each of the plan's sentences opens with (:mod:`loadwatch.verdict.next_week`)."""


@dataclass(frozen=True)
class PlanPart:
    """One part of the plan.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    short : str
        The number in a few words (``up to 82.5 km``).
    detail : list of str
        The plan's sentences about it: the numbers, their source and what to do.
    """

    kind: str
    short: str
    detail: list[str]


def parts(plan: dict | None, units: str) -> list[PlanPart]:
    """The plan's parts that hold a number or an instruction, in :data:`KINDS` order.

    ``stop`` alone when the plan says no running (a red flag to get checked); else
    the weekly maximum and the long-run ceiling when the data gives them, and the
    rest day always.

    >>> plan = {"status": "build", "weekly_distance_max": 82.5, "longest_run": 33.0,
    ...         "longest_run_s": None, "rest_days_min": 1, "this_week": None,
    ...         "lines": ["Weekly distance: up to 82.5 km, ...", "Longest run: up to 33.0 km"],
    ...         "notes": []}
    >>> [(p.kind, p.short) for p in parts(plan, "km")]
    [('weekly', 'up to 82.5 km'), ('long_run', 'up to 33.0 km'), ('rest', 'at least 1 rest day')]
    """
    if not plan:
        return []
    sentences = [*(plan.get("lines") or []), *(plan.get("notes") or [])]

    def about(kind: str) -> list[str]:
        return [s for s in sentences if s.startswith(_OPENINGS[kind])]

    if plan.get("status") == "stop":
        return [PlanPart("stop", "no running until the red flag is checked", about("stop"))]
    out = []
    weekly = plan.get("weekly_distance_max")
    if weekly is not None:
        short = f"up to {weekly:.1f} {units}"
        if plan.get("status") == "hold":
            short += " (no increase: pain)"
        out.append(PlanPart("weekly", short, about("weekly")))
    if plan.get("longest_run") is not None:
        out.append(PlanPart("long_run", f"up to {plan['longest_run']:.1f} {units}",
                            about("long_run")))
    elif plan.get("longest_run_s") is not None:
        out.append(PlanPart("long_run", f"up to {ceiling_duration_words(plan['longest_run_s'])}",
                            about("long_run")))
    rest = int(plan.get("rest_days_min") or 1)
    out.append(PlanPart("rest", f"at least {rest} rest day{'s' if rest > 1 else ''}",
                        about("rest")))
    return out


TITLES = {
    "stop": "{short}",
    "weekly": "weekly distance {short}",
    "long_run": "longest run {short}",
    "rest": "{short}",
}
"""Each part in a few words: a calendar event's title, a clause of :func:`one_line`."""


def title(part: PlanPart) -> str:
    """``weekly distance up to 82.5 km``: the part in a few words."""
    return TITLES[part.kind].format(short=part.short)


def one_line(plan: dict | None, units: str) -> str:
    """The plan on one line, with what it is for: ``Next week: weekly distance up to 82.5 km,
    longest run up to 33.0 km, at least 1 rest day.``; empty without a plan.

    A report during the week gives the current week's ceilings (the same rule on the same
    complete weeks) and what is left of it: the line says ``This week`` and how much is left.
    """
    clauses = [title(p) for p in parts(plan, units)]
    if not clauses:
        return ""
    week = (plan or {}).get("this_week") or None
    label = "This week" if week else "Next week"
    if week and week.get("left") is not None and plan.get("status") != "stop":
        clauses.insert(1 if len(clauses) > 1 else 0, f"{week['left']:.1f} {units} left")
    return f"{label}: {', '.join(clauses)}."
