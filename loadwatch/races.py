"""Races: which runs were races, from their names and the athlete's ``[races]`` settings.

A race is a planned spike: a half marathon after a taper is 1.17x the longest run of
the month before and is flagged like any spike (Frandsen et al. 2025 measured every
run, races included). loadwatch does not excuse it; it names it ("the race 'Valencia
Half' on Sun 8 Nov"), so that the runner and the coach read the flag for what it was.
The week after (a recovery week) is a dip, and next week's base skips it by the dip
rule (:mod:`loadwatch.flags.returns`), races or not.

Where a race comes from:

1. ``[races]`` in ``loadwatch.toml``: ``days = ["2026-11-08"]`` (every run of that
   local day), ``activities = ["strava:123"]`` (an activity id), and ``not = [...]``
   (activity ids that are not races, whatever their name says);
2. the name rule (:func:`by_name`), for runs only.

Strava's bulk export carries no race flag: Strava's "workout type" (race, long run,
workout) is in its API but not in ``activities.csv``, whose one ``Type`` column sits
among the ski-run fields and is empty in every export loadwatch has seen (the shared
corpus's four exports, 2023-2025). Garmin FIT files carry none either.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from loadwatch.settings_past import RaceSettings

RACE_WORDS = ("race", "parkrun", "marathon", "halfmarathon", "halbmarathon",
              "semi-marathon", "semimaratón", "maratón", "maratona", "wettkampf",
              "wedstrijd", "compétition", "competición")
"""Words that make a run's name a race's (case-insensitive, whole words): English race,
parkrun and marathon, and the same in German (Halbmarathon, Wettkampf), French
(semi-marathon, compétition), Spanish (maratón, competición), Italian (maratona) and Dutch
(wedstrijd). loadwatch's product rule, kept conservative: distance names ("10K", "half")
are left out because "10K tempo" or "half an hour easy" are training runs."""

NOT_AFTER = ("pace", "paced", "prep", "plan", "training", "build", "sim", "simulation",
             "effort", "rehearsal", "recce", "recon", "shoes", "kit", "week",
             "long", "tempo", "workout", "session", "specific", "recovery", "taper", "easy",
             "jog", "shakeout", "warm", "warmup", "warm-up", "cool", "cooldown", "cool-down",
             "intervals", "threshold", "progression", "block", "base", "strides")
"""A race word followed by one of these is training, not a race ("marathon pace long run",
"race prep", "race week", "Marathon long run", "Half marathon tempo", "Race recovery jog"):
loadwatch's product rule."""

NOT_BEFORE = ("before", "after", "to", "from", "post", "pre", "watch", "watching", "for",
              "towards", "warm-up", "warmup", "cool-down", "cooldown")
"""A race word after one of these (and an optional "the") is no race: the run is around it
("Warm-up before parkrun", "Cool down after race", "Run to parkrun", "Easy run to watch the
marathon", "Training for marathon"): loadwatch's product rule."""

_RACE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in RACE_WORDS) + r")(?![\w-])"
    r"(?!\s+(?:" + "|".join(NOT_AFTER) + r")\b)",
    re.IGNORECASE)
_AROUND = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in NOT_BEFORE) + r")\s+(?:the\s+)?(?:"
    + "|".join(re.escape(w) for w in RACE_WORDS) + r")(?![\w-])",
    re.IGNORECASE)


def by_name(names, is_run) -> np.ndarray:
    """Whether each run's name names a race (:data:`RACE_WORDS`, :data:`NOT_AFTER`).

    Parameters
    ----------
    names : array-like of str or None
    is_run : array-like of bool

    Returns
    -------
    numpy.ndarray of bool
        False for other sports and for runs without a name.

    >>> by_name(["Valencia Half Marathon", "Marathon pace 3x5k", "Saturday parkrun",
    ...          "Race prep", "Morning Run", None], [True] * 6).tolist()
    [True, False, True, False, False, False]
    """
    text = pd.Series(names, dtype=object)
    # The words around a race ("after race") are taken out first; what is left must name one.
    rest = text.fillna("").astype(str).str.replace(_AROUND, " ", regex=True)
    hit = rest.str.contains(_RACE, regex=True).to_numpy(bool)
    return hit & np.asarray(is_run, dtype=bool)


def mark(df: pd.DataFrame, settings: RaceSettings | None) -> pd.DataFrame:
    """The timeline with ``race`` set from ``[races]``: the athlete's word beats the names.

    A day marks the runs of that local day; an id marks that activity (any sport: the
    athlete said so); ``not`` unmarks. A name marks runs only, also when ``[sports]`` made
    a run named "Marathon ..." something else after the name rule saw it.
    """
    if df.empty:
        return df
    race = df["race"].to_numpy(bool) & df["is_run"].to_numpy(bool)
    if settings is not None and (settings.days or settings.activities or settings.not_races):
        ids = df["activity_id"].to_numpy(object)
        days = df["local_date"].dt.strftime("%Y-%m-%d").to_numpy(object)
        race |= np.isin(days, list(settings.days)) & df["is_run"].to_numpy(bool)
        race |= np.isin(ids, list(settings.activities))
        race &= ~np.isin(ids, list(settings.not_races))
    return df.assign(race=race)
