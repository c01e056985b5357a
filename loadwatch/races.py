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
_FOLD = {ord("\u017f"): "s", ord("\u0131"): "i"}
"""Beyond ``str.lower``, what ``re.IGNORECASE`` also takes for a letter of the race words:
the long s and the dotless i (CPython's ``sre`` equivalences; tests/test_races.py checks
every code point)."""
_WORDS = re.compile("|".join(re.escape(w.lower().translate(_FOLD)) for w in RACE_WORDS))
_WORDS_ANY_CASE = re.compile("|".join(re.escape(w) for w in RACE_WORDS), re.IGNORECASE)


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
    names = np.asarray(names, dtype=object)
    hit = np.zeros(len(names), dtype=bool)
    rows = np.flatnonzero(np.asarray(is_run, dtype=bool) & ~pd.isna(names))
    text = names[rows].tolist()
    try:
        joined = "\n".join(text)
    except TypeError:  # a name that is no text (a number) reads as its digits
        text = names[rows].astype(str).tolist()
        joined = "\n".join(text)
    # One search of the run names joined, for the race words alone: only a name holding
    # one can name a race (taking "after race" out adds none), and most names hold none,
    # so the full patterns run on those few, not on every activity (a regex call per name
    # cost more than the rest of the timeline's build). A word holds no newline, so each
    # find lies in one name, found by its position. The text is lowered first: a
    # case-blind alternation is tried at every letter (~0.1 us each), a plain one skips
    # to its first letters (15x faster). Lowering keeps every position unless a dotted
    # capital I (two letters lowered) is there: then the case-blind search.
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=len(text))
    start = np.concatenate(([0], np.cumsum(lengths + 1)))
    folded = joined.lower().translate(_FOLD)
    finds = (_WORDS.finditer(folded) if len(folded) == len(joined)
             else _WORDS_ANY_CASE.finditer(joined))
    found = [m.start() for m in finds]
    candidates = np.unique(np.searchsorted(start, found, side="right") - 1)
    # The words around a race ("after race") are taken out first; what is left must name one.
    hit[rows[candidates]] = [_RACE.search(_AROUND.sub(" ", text[i])) is not None
                             for i in candidates.tolist()]
    return hit


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
    if np.array_equal(race, df["race"].to_numpy(bool)):
        return df  # nothing marked or unmarked (the usual case): no copy of the frame
    return df.assign(race=race)
