"""loadwatch: a training-load monitor for runners.

Reads a runner's own activity files, measures the training patterns that lead to
overuse knee pain (mileage raised too fast, long-run spikes, long running streaks,
no rest, no cross-training) and explains each risk in plain words.

From Python (:mod:`loadwatch.api`)::

    import loadwatch
    athlete = loadwatch.load_athlete("runs/")
    verdict = loadwatch.assess(athlete, as_of="2026-11-22")
    verdict.risk.level, verdict.weeks, verdict.to_json()
    squad = loadwatch.assess_squad("team/", as_of="2026-11-22")
    loadwatch.sync_folder("runs/")       # loadwatch sync: intervals.icu or a watch folder

The API's names are loaded on first use, so that ``import loadwatch`` (and the
command line's start-up) does not import pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from loadwatch.version import __version__

if TYPE_CHECKING:  # for type checkers and editors; at run time, __getattr__ below
    from loadwatch.api import (
        Assessment,
        Athlete,
        NoActivities,
        SquadAssessment,
        assess,
        assess_squad,
        history,
        load_athlete,
        sync_folder,
    )

_API = ("Assessment", "Athlete", "NoActivities", "SquadAssessment", "assess", "assess_squad",
        "history", "load_athlete", "sync_folder")

__all__ = ["Assessment", "Athlete", "NoActivities", "SquadAssessment", "__version__", "assess",
           "assess_squad", "history", "load_athlete", "sync_folder"]


def __getattr__(name: str) -> Any:
    """The public API's names, imported from :mod:`loadwatch.api` when first asked for."""
    if name in _API:
        return getattr(importlib.import_module("loadwatch.api"), name)
    raise AttributeError(f"module 'loadwatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
