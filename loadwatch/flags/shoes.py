"""The one-pair habit: every run of the last 4 weeks with a named shoe was in one pair.

Malisoux et al. 2015 (Scand J Med Sci Sports 25:110; 264 recreational runners
followed 22 weeks) found fewer injuries in runners who used more than one pair
of running shoes in parallel (HR 0.61, 0.39-0.96). One cohort, with the pairs'
own differences not separated: the grade is ``limited`` and, as a habit, the
flag never moves the level. Runs without a named shoe are unknown, never "one
pair"; when most runs of the 4 weeks name none there is no habit, and
:func:`note` says why.
"""

from __future__ import annotations

import numpy as np

from loadwatch.engine import calendar
from loadwatch.engine.shoes import SHOE_WINDOW_DAYS, ShoeUse
from loadwatch.flags.model import Flag, episodes, make_flag
from loadwatch.flags.tables import FlagTables
from loadwatch.flags.thresholds import Thresholds
from loadwatch.safetext import one_line
from loadwatch.words import day_words


def single_shoe(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    """One ``single_shoe`` habit per episode of days on which, over the 4 weeks up to the day:
    the runs that name a shoe were at least ``t.single_shoe_min_runs``, all in one pair, and
    at least as many as the runs that name none (``2 x unknown <= known + unknown``)."""
    use: ShoeUse = analysis.shoes
    if not len(use.known):
        return []
    held = ((use.pairs == 1) & (use.known >= t.single_shoe_min_runs)
            & (2 * use.unknown <= use.known + use.unknown))
    out = []
    for a, b in episodes(held):
        # One pair at a time: an episode splits where the pair changes.
        names = use.only[a:b + 1]
        cuts = np.flatnonzero(names[1:] != names[:-1]) + 1
        for lo, hi in zip(np.r_[0, cuts] + a, np.r_[cuts, b - a + 1] + a - 1, strict=True):
            day = calendar.to_date(use.first + int(hi))
            runs, unknown = int(use.known[hi]), int(use.unknown[hi])
            msg = message(str(use.only[hi]), runs, unknown, day)
            out.append(make_flag("single_shoe", "habit", "info",
                                 calendar.to_date(use.first + int(lo)), day, runs,
                                 t.single_shoe_min_runs, msg,
                                 latest=runs))
    return out


def message(pair: str, runs: int, unknown: int, day) -> str:
    """The habit's words, with its numbers."""
    rest = (f" ({unknown} other run{'s name' if unknown > 1 else ' names'} no shoe)"
            if unknown else "")
    return (f"All {runs} runs of the {SHOE_WINDOW_DAYS // 7} weeks to "
            f"{day_words(day)} that name a shoe were in one pair, \"{one_line(pair)}\"{rest}. In a cohort of "
            "264 runners, those who used more than one pair in parallel had fewer injuries "
            "(Malisoux 2015, HR 0.61): one study, worth a thought when you buy your next pair. "
            "No study sets a distance at which to retire a shoe.")


def note(use: ShoeUse, t: Thresholds) -> str | None:
    """Why the one-pair habit could not be judged, when shoes are named at all but most runs
    of the 4 weeks name none (None otherwise)."""
    if not len(use.known) or not use.any_named:
        return None
    known, unknown = int(use.known[-1]), int(use.unknown[-1])
    if unknown and 2 * unknown > known + unknown:
        return (f"{unknown} of the {known + unknown} runs of the last {SHOE_WINDOW_DAYS // 7} "
                "weeks name no shoe: loadwatch cannot tell whether you alternate pairs. "
                "Pick the shoe on Strava (Activity Gear) to see it.")
    return None
