"""Next week's plan as an iCalendar file: all-day events a runner's calendar shows.

One all-day event per part of the plan (:func:`loadwatch.report.plan_words.parts`),
each across the week the plan's ceilings apply to (Monday to Sunday):

- the weekly maximum (``up to 82.5 km``; with ``no increase`` while pain goes on),
- the long-run ceiling,
- the rest day advice,
- or, when the plan says stop (a red flag not yet assessed), that alone, with the three
  others of the week sent as cancelled (``STATUS:CANCELLED``, same UIDs, higher
  ``SEQUENCE``), so a calendar that imported them earlier in the week drops them.

Each event's description holds the plan's own sentences about it: the number,
where it comes from and what to do. Every number is the report's (the JSON
``next_week``), so the calendar and the report agree.

The week: the ceilings of a report are computed on the complete weeks up to its
date, so they apply to the week after the last complete week. From a Sunday's
report that is the coming week; from a report during a week it is the current
week (the same rule on the same weeks: the description then says what is left).

Stable UIDs: an event's UID is made of its kind, the ISO week and a digest of the
athlete's id (``[athlete] id``, else the folder: the digest keeps the path out of
the file), so importing the file of a later report for the same week updates the
events instead of adding new ones. Events are transparent (they do not block
time) and carry ``LAST-MODIFIED`` and a ``SEQUENCE`` that grows with the report's
date, so a client that keeps the first import takes the later one.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from loadwatch.report import plan_words
from loadwatch.safetext import no_surrogates
from loadwatch.version import __version__

FOOTER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
          "locking, giving way or pain on weight bearing need a sports physical therapist or "
          "doctor.")


CANCELLED_TITLES = {"weekly": "weekly distance", "long_run": "longest run", "rest": "rest day"}
"""What a cancelled event of each kind is called (a stop plan cancels the numbers)."""


def plan_week(as_of: date) -> date:
    """The Monday of the week the plan of a report dated ``as_of`` applies to.

    >>> plan_week(date(2026, 11, 15)), plan_week(date(2026, 11, 18))
    (datetime.date(2026, 11, 16), datetime.date(2026, 11, 16))
    """
    day = as_of + timedelta(days=1)
    return day - timedelta(days=day.weekday())


def uid(athlete_id: str, monday: date, kind: str) -> str:
    """The event's UID: the same athlete, week and kind give the same UID.

    >>> uid("ingrid-2026", date(2026, 11, 16), "weekly")
    'loadwatch-weekly-2026-W47-28cf89be22890ea4@loadwatch'
    """
    year, week, _ = monday.isocalendar()
    digest = hashlib.sha256(athlete_id.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"loadwatch-{kind}-{year}-W{week:02d}-{digest}@loadwatch"


def render(report: dict, athlete_id: str, *, stamp: datetime | None = None) -> str:
    """The plan of ``report`` (a ``loadwatch/report-v3`` dict) as an iCalendar text.

    Parameters
    ----------
    report : dict
    athlete_id : str
        The athlete's stable id, for the UIDs.
    stamp : datetime, optional
        ``DTSTAMP`` and ``LAST-MODIFIED`` (default: now, UTC).
    """
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    as_of = date.fromisoformat(report["as_of"])
    monday = plan_week(as_of)
    name = " ".join(no_surrogates(str(report.get("athlete") or "")).split())
    cal = Calendar()
    cal.add("prodid", f"-//loadwatch//loadwatch {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"loadwatch: {name}" if name else "loadwatch")
    parts = plan_words.parts(report.get("next_week"), report.get("units", "km"))
    for part in parts:
        event = Event()
        event.add("uid", uid(athlete_id, monday, part.kind))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        # Later reports for the same week win: the days from the week's Monday to the report.
        event.add("sequence", max(0, (as_of - monday).days + 7))
        event.add("dtstart", monday)
        event.add("dtend", monday + timedelta(days=7))
        title = plan_words.title(part)
        event.add("summary", f"{name}: {title}" if name else title)
        event.add("description", "\n\n".join(
            [*part.detail, f"From loadwatch's report of {as_of.isoformat()}.", FOOTER]))
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["loadwatch"])
        event.add("x-loadwatch-kind", part.kind)
        cal.add_component(event)
    if [p.kind for p in parts] == ["stop"]:
        # A file imported earlier this week put the numbers in the calendar; the same UIDs,
        # cancelled with a higher SEQUENCE, take them out, so "stop" is not shown beside them.
        for kind in plan_words.KINDS[1:]:
            event = Event()
            event.add("uid", uid(athlete_id, monday, kind))
            event.add("dtstamp", stamp)
            event.add("last-modified", stamp)
            event.add("sequence", max(0, (as_of - monday).days + 7))
            event.add("dtstart", monday)
            event.add("dtend", monday + timedelta(days=7))
            event.add("status", "CANCELLED")
            title = (f"{CANCELLED_TITLES[kind]}: cancelled, no running until the red flag "
                     "is checked")
            event.add("summary", f"{name}: {title}" if name else title)
            event.add("description", f"Cancelled by loadwatch's report of {as_of.isoformat()}.")
            event.add("transp", "TRANSPARENT")
            event.add("categories", ["loadwatch"])
            event.add("x-loadwatch-kind", kind)
            cal.add_component(event)
    return cal.to_ical().decode("utf-8")
