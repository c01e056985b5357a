"""One athlete's intervals.icu sync: fetch the days that may have changed, merge, write.

The window is from ``since_days`` ago on a first sync (no cursor, or no store files
for the cursor to describe: deleted or moved away), else from
:data:`LOOKBACK_DAYS` before the last day synced (an activity uploaded late or edited
on the service within that time is seen again), to tomorrow (an athlete ahead of this
machine's clock). It is asked for in windows of at most :data:`WINDOW_DAYS`, so an
incremental sync makes one request per endpoint and a first sync a few. Everything
is fetched before anything is written: a server that stops answering half-way leaves
the folder as it was. Then the two store files are merged and written
(:mod:`loadwatch.sync.store`), and the cursor moves last (:mod:`loadwatch.sync.cursor`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from loadwatch.sync import store
from loadwatch.sync.client import IntervalsClient, WaitBudget
from loadwatch.sync.cursor import Cursor
from loadwatch.sync.settings import SyncSettings

LOOKBACK_DAYS = 14
"""Days before the last day synced that every sync asks for again. [days] Activities
reach intervals.icu late (a watch synced days after the run) and are edited there (RPE,
feel and gear are often set the next day); two weeks covers both, and it spans the
7-day acute window loadwatch judges twice over."""
WINDOW_DAYS = 92
"""Most days asked for in one request. [days] A quarter of a year of one athlete's
activities is a few hundred records, a reply well under a megabyte; larger windows are
split, so no single reply grows with the history."""
STRAVA_NOTE = ("reached intervals.icu through Strava and are not available through its "
               "API: connect the watch to intervals.icu directly, or add the Strava export "
               "to this folder")


@dataclass(frozen=True)
class IntervalsResult:
    """What one athlete's intervals.icu sync did."""

    added: int
    updated: int
    removed: int
    wellness: int
    """Wellness days added or changed."""
    stubs: int
    """Strava stubs among the activities fetched (counted, never read)."""
    requests: int
    oldest: date
    newest: date


def is_stub(record: dict) -> bool:
    """A Strava stub: ``"source": "STRAVA"`` with intervals.icu's ``_note``, and no data."""
    return str(record.get("source", "")).upper() == "STRAVA" and "_note" in record


def windows(oldest: date, newest: date, size: int = WINDOW_DAYS) -> list[tuple[date, date]]:
    """``oldest`` to ``newest`` (both included) in consecutive spans of at most ``size`` days.

    >>> windows(date(2026, 1, 1), date(2026, 1, 10), 4)[-1]
    (datetime.date(2026, 1, 9), datetime.date(2026, 1, 10))
    """
    out = []
    start = oldest
    while start <= newest:
        end = min(start + timedelta(days=size - 1), newest)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def sync_intervals(folder: Path, settings: SyncSettings, state: Path, *,
                   today: date | None = None, progress: Callable | None = None,
                   notice: Callable[[str], None] | None = None,
                   sleep: Callable[[float], None] | None = None,
                   budget: WaitBudget | None = None) -> IntervalsResult:
    """Bring ``folder``'s synced store up to date with intervals.icu.

    Parameters
    ----------
    folder : Path
        The athlete folder.
    settings : SyncSettings
    state : Path
        The state folder (:func:`loadwatch.sync.cursor.state_dir`).
    today : date, optional
        The day the window ends before (default: this machine's today).
    progress : callable, optional
        ``progress(label, total, unit)`` (:func:`loadwatch.progress.bars`): one tick a request.
    notice : callable, optional
        Receives one-line messages (a 429 waited out).
    budget : WaitBudget, optional
        The run's time left for 429s, shared by a squad's athletes.

    Raises
    ------
    loadwatch.sync.settings.SyncConfigError
        No key, or a bad key file (exit 2).
    loadwatch.sync.client.AuthError
        The key refused, or the athlete forbidden (exit 2).
    loadwatch.sync.client.Unreachable
        No usable answer; nothing was written (exit 1).
    loadwatch.sync.store.StoreError
        The store cannot be read or written (exit 1).
    """
    key = settings.key()
    today = today or date.today()
    newest = today + timedelta(days=1)
    cursor = Cursor(state, settings.url, settings.athlete, os.path.realpath(folder))
    stores = [store.path_of(folder, name)
              for name in (store.ACTIVITIES_NAME, store.WELLNESS_NAME)]
    # The cursor says how far the files got: without them (deleted, moved away) it is void.
    held = all(store.holds(p, settings.url, settings.athlete) for p in stores)
    last = cursor.synced_to() if held else None
    if last is None:
        oldest = today - timedelta(days=settings.since_days)
    else:
        oldest = min(last, today) - timedelta(days=LOOKBACK_DAYS)
    spans = windows(oldest, newest)
    activities: list[dict] = []
    wellness: list[dict] = []
    with IntervalsClient(settings.url, settings.athlete, key, settings.timeout,
                         notice=notice, sleep=sleep, budget=budget) as client:
        bar = (progress(f"Syncing {folder.name} from intervals.icu", 2 * len(spans), "requests")
               if progress else contextlib.nullcontext())
        with bar as tick:
            for lo, hi in spans:
                activities += client.activities(lo, hi)
                if tick is not None:
                    tick.update(1)
                wellness += client.wellness(lo, hi)
                if tick is not None:
                    tick.update(1)
        requests = client.requests
    merged = store.update(store.path_of(folder, store.ACTIVITIES_NAME), "activities",
                          activities, oldest, newest, "start_date_local", settings.url,
                          settings.athlete)
    days = store.update(store.path_of(folder, store.WELLNESS_NAME), "wellness", wellness,
                        oldest, newest, "id", settings.url, settings.athlete)
    try:
        cursor.advance(min(today, newest))
    except OSError as exc:
        if notice:
            notice(f"{cursor.path}: cannot record how far the sync went ({exc.strerror or exc}); "
                   "the folder is complete, the next sync asks for the same days again")
    return IntervalsResult(merged.added, merged.updated, merged.removed,
                           days.added + days.updated, sum(map(is_stub, activities)),
                           requests, oldest, newest)

