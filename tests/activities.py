"""Small hand-made activity histories for the worked-example tests.

Days are counted from :data:`MONDAY`, Mon 2 Nov 2026 (ISO week 2026-W45), in UTC, so
that day 0, 7, 14 ... are Mondays and a test can name weekdays by arithmetic.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd

from loadwatch import timeline
from loadwatch.importers.base import Activity

MONDAY = date(2026, 11, 2)
UTC_ZONE = timeline.resolve_tz("UTC")


def day(n: int) -> date:
    """The local day ``n`` days after :data:`MONDAY`."""
    return MONDAY + timedelta(days=n)


def act(n: int, sport: str = "running", km: float | None = None, minutes: float | None = None,
        *, hour: int = 7, climb: float | None = None, avg_hr: float | None = None,
        max_hr: float | None = None, elapsed_min: float | None = None) -> Activity:
    """One activity on day ``n`` at ``hour`` UTC; a unique file name per day and hour."""
    start = datetime(MONDAY.year, MONDAY.month, MONDAY.day, hour, tzinfo=UTC) + timedelta(days=n)
    return Activity("gpx", f"{sport}-{n}-{hour}.gpx", start, sport,
                    distance_m=None if km is None else km * 1000.0,
                    duration_s=None if minutes is None else minutes * 60.0,
                    elapsed_s=None if elapsed_min is None else elapsed_min * 60.0,
                    elevation_gain_m=climb, avg_hr=avg_hr, max_hr=max_hr)


def run(n: int, km: float | None = None, minutes: float | None = None, **kw) -> Activity:
    return act(n, "running", km, minutes, **kw)


def build(activities) -> pd.DataFrame:
    """The timeline of ``activities`` (one athlete, UTC)."""
    return timeline.build(list(activities), "x", UTC_ZONE)
