"""The words every layer shares: dates, distances, climbing, durations and their units.

English names whatever the locale (``strftime``'s ``%a``/``%b`` follow the locale and
its ``%-d`` fails on Windows), so that a report reads the same on every machine. Nothing
here imports the rest of loadwatch: the importers, the engine, the rules, the verdict and
the renderers all put their numbers in words through it.
"""

from __future__ import annotations

import math
from datetime import date

KM, MILE = 1000.0, 1609.344
"""Metres in a kilometre and in an international mile. [m]"""
FEET_PER_METRE = 1 / 0.3048
"""International foot: 0.3048 m exactly (1959 agreement). [ft/m]"""

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month_words(d: date) -> str:
    """``15 Nov``: the day and the month.

    >>> day_month_words(date(2026, 10, 11))
    '11 Oct'
    """
    return f"{d.day} {_MONTHS[d.month - 1]}"


def day_words(d: date, *, year: bool = False) -> str:
    """``Sun 15 Nov``, or ``Sun 15 Nov 2026`` with ``year``.

    >>> day_words(date(2026, 11, 15)), day_words(date(2026, 11, 15), year=True)
    ('Sun 15 Nov', 'Sun 15 Nov 2026')
    """
    text = f"{_WEEKDAYS[d.weekday()]} {day_month_words(d)}"
    return f"{text} {d.year}" if year else text


def iso_day_words(iso: str, *, year: bool = False) -> str:
    """:func:`day_words` of an ISO date string, as the JSON report holds them.

    >>> iso_day_words("2026-11-15", year=True)
    'Sun 15 Nov 2026'
    """
    return day_words(date.fromisoformat(iso), year=year)


def distance_words(metres: float, units: str) -> str:
    """``14.1 km`` or ``8.8 mi``.

    >>> distance_words(14100, "km"), distance_words(14100, "mi")
    ('14.1 km', '8.8 mi')
    """
    return f"{metres / (MILE if units == 'mi' else KM):.1f} {units}"


def climb_words(metres: float, units: str) -> str:
    """``450 m``, or ``1476 ft`` with miles.

    >>> climb_words(450, "km"), climb_words(450, "mi")
    ('450 m', '1476 ft')
    """
    return f"{metres * FEET_PER_METRE:.0f} ft" if units == "mi" else f"{metres:.0f} m"


def duration_words(seconds: float) -> str:
    """``1h05``: rounded to the minute.

    >>> duration_words(65 * 60 + 29)
    '1h05'
    """
    minutes = int(round(seconds / 60))
    return f"{minutes // 60}h{minutes % 60:02d}"


def floor_to(value: float, decimals: int = 1) -> float:
    """``value`` rounded down to ``decimals`` (float noise of 13.7 = 13.6999... kept as 13.7).

    A ceiling is shown rounded down to the shown precision, so that running exactly the
    number shown is inside it (loadwatch's rule, :mod:`loadwatch.engine.edges`).

    >>> floor_to(13.75), floor_to(13.7), floor_to(0.3 * 3)
    (13.7, 13.7, 0.9)
    """
    scale = 10 ** decimals
    return math.floor(value * scale + 1e-6) / scale


def ceiling_words(metres: float, units: str) -> str:
    """A ceiling in words, rounded down: ``13.7 km`` for 13,750 m.

    >>> ceiling_words(1.1 * 12500, "km"), ceiling_words(1.1 * 12500, "mi")
    ('13.7 km', '8.5 mi')
    """
    return f"{floor_to(metres / (MILE if units == 'mi' else KM)):.1f} {units}"


def ceiling_duration_words(seconds: float) -> str:
    """A time ceiling in words, rounded down to the minute: ``1h05`` for 65.9 minutes.

    >>> ceiling_duration_words(65.9 * 60)
    '1h05'
    """
    minutes = int(floor_to(seconds / 60, 0))
    return f"{minutes // 60}h{minutes % 60:02d}"


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["a pop", "swelling", "giving way"])
    'a pop, swelling and giving way'
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with ``...`` where it was cut."""
    return text if len(text) <= width else text[: width - 3] + "..."


def name_words(name: str) -> str:
    """A code name in words: ``giving_way`` -> ``giving way``."""
    return name.replace("_", " ")


def race_words(name: str) -> str:
    """A race as every output names it: ``the race "Valencia Half Marathon"`` (``the race``
    without a name; :mod:`loadwatch.races`).

    >>> race_words("Valencia Half Marathon"), race_words("")
    ('the race "Valencia Half Marathon"', 'the race')
    """
    # One line whatever the file held: each renderer escapes the rest for its medium.
    return f'the race "{" ".join(name.split())}"' if name and name.strip() else "the race"
