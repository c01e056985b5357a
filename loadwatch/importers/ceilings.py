"""Ceilings on the summary numbers a file states: beyond them a number is a read error.

A summary field is whatever the file says: a Garmin export entry or a TCX lap can
hold a distance of 1e308 m, which no activity covers and which, summed into a week,
overflows. :func:`limit` drops each number above its ceiling, with one short line
in the activity's ``warnings`` (the figure written in at most a few digits), so the
rest of the activity still counts. The ceilings are far above any human-powered
activity and far below where arithmetic goes wrong; what is merely implausible
(a run at car speed, a lap of 46 days) is kept and judged later, under "data to
check" (:mod:`loadwatch.plausibility`).
"""

from __future__ import annotations

from loadwatch.importers.base import Activity

MAX_DISTANCE_M = 2_000_000.0
"""Longest distance one activity can cover: 2,000 km. [m]

The 24 h road cycling record is about 1,030 km and the 48 h ceiling on one
recording (:data:`loadwatch.plausibility.MAX_ACTIVITY_S`) doubles it; more is a
read error, not a ride."""

MAX_TIME_S = 366 * 86400.0
"""Longest moving or elapsed time a file may state: a year. [s]

Longer than 48 h is already "data to check"; beyond a year no timer glitch is
worth keeping as a figure."""

MAX_CLIMB_M = 50_000.0
"""Most climbing one activity can hold: 50 km of ascent. [m]

The 24 h uphill records are near 24 km of ascent; twice that covers 48 h."""

CEILINGS = {"distance_m": (MAX_DISTANCE_M, "distance", 1000.0, "km"),
            "duration_s": (MAX_TIME_S, "moving time", 86400.0, "days"),
            "elapsed_s": (MAX_TIME_S, "elapsed time", 86400.0, "days"),
            "elevation_gain_m": (MAX_CLIMB_M, "climbing", 1000.0, "km")}
"""Field: (ceiling in SI units, words, unit divisor and name for the message)."""


def limit(a: Activity) -> Activity:
    """``a`` without the summary numbers above their ceilings, each dropped with a warning.

    >>> from datetime import UTC, datetime
    >>> a = limit(Activity("tcx", "x.tcx", datetime(2026, 1, 1, tzinfo=UTC), distance_m=1e308))
    >>> a.distance_m, a.warnings
    (None, ['distance of 1e+305 km is more than one activity can have (2,000 km at most): \
a read error; left out'])
    """
    for name, (ceiling, words, divisor, unit) in CEILINGS.items():
        value = getattr(a, name)
        if value is not None and not value <= ceiling:
            setattr(a, name, None)
            a.warnings.append(f"{words} of {short(value / divisor)} {unit} is more than one "
                              f"activity can have ({ceiling / divisor:,.0f} {unit} at most): "
                              "a read error; left out")
    return a


def short(value: float) -> str:
    """A figure in at most four significant digits; "over 1e+308" for an infinite one.

    >>> short(1e305), short(2512.0), short(12.5), short(float("inf"))
    ('1e+305', '2512', '12.5', 'over 1e+308')
    """
    if value != value or abs(value) == float("inf"):
        return "over 1e+308"
    return f"{value:.4g}"


def figure(value: float, spec: str = ",.0f") -> str:
    """``value`` formatted with ``spec``, or :func:`short` when it is 10^9 or more.

    Messages quote what a file says; a read error must not become a line of hundreds
    of digits.

    >>> figure(1234.5), figure(1e308), figure(3.25, ".1f")
    ('1,234', '1e+308', '3.2')
    """
    if not abs(value) < 1e9:
        return short(value)
    return format(value, spec)
