"""One vocabulary of sports for every source.

FIT, TCX, GPX and Strava each name sports their own way (``running``/``trail``,
``Running``, ``9``, ``Trail Run``). :func:`normalise` maps them all onto
``SPORTS``; anything unknown is ``other``. Trail, treadmill, track and virtual
runs are runs.
"""

from __future__ import annotations

import re

SPORTS = ("run", "ride", "swim", "walk", "hike", "strength", "ski", "row", "other")

_ALIASES = {
    "run": "run", "running": "run", "trailrun": "run", "trailrunning": "run",
    "virtualrun": "run", "treadmill": "run", "treadmillrunning": "run", "track": "run",
    "trackrunning": "run", "indoorrunning": "run", "jog": "run", "jogging": "run",
    "ultrarun": "run", "streetrunning": "run",
    "ride": "ride", "cycling": "ride", "biking": "ride", "bike": "ride", "virtualride": "ride",
    "ebikeride": "ride", "emountainbikeride": "ride", "mountainbikeride": "ride",
    "gravelride": "ride", "handcycle": "ride", "velomobile": "ride", "ebiking": "ride",
    "indoorcycling": "ride", "mountainbiking": "ride", "roadbiking": "ride", "eBiking": "ride",
    "swim": "swim", "swimming": "swim", "openwaterswimming": "swim", "lapswimming": "swim",
    "walk": "walk", "walking": "walk",
    "hike": "hike", "hiking": "hike", "snowshoe": "hike", "snowshoeing": "hike",
    "strength": "strength", "weighttraining": "strength", "strengthtraining": "strength",
    "workout": "strength", "training": "strength", "crossfit": "strength", "hiit": "strength",
    "ski": "ski", "nordicski": "ski", "alpineski": "ski", "backcountryski": "ski",
    "crosscountryskiing": "ski", "alpineskiing": "ski", "skiing": "ski", "rollerski": "ski",
    "snowboard": "ski", "snowboarding": "ski",
    "row": "row", "rowing": "row", "indoorrowing": "row", "canoeing": "row", "canoe": "row",
    "kayaking": "row", "kayak": "row",
}

# Strava's GPX <type> is a number (its old activity-type enum) in some exports.
_STRAVA_GPX_TYPES = {"1": "ride", "2": "ski", "4": "hike", "9": "run", "10": "walk",
                     "16": "swim", "29": "strength"}

# FIT sub-sports that turn a generic FIT sport into one of ours.
_FIT_SUB_SPORTS = {"treadmill": "run", "trail": "run", "track": "run", "virtual_activity": None,
                   "strength_training": "strength", "indoor_rowing": "row",
                   "indoor_cycling": "ride", "lap_swimming": "swim", "open_water": "swim"}


def _key(raw: str) -> str:
    return re.sub(r"[^a-z0-9]", "", raw.lower())


def normalise(raw: object, sub_sport: object = None) -> str:
    """The loadwatch sport for a source's sport (and sub-sport) name.

    >>> normalise("Trail Run"), normalise("running", "treadmill"), normalise("9")
    ('run', 'run', 'run')
    >>> normalise("training", "strength_training"), normalise(82)
    ('strength', 'other')
    """
    text = "" if raw is None else str(raw).strip()
    if text in _STRAVA_GPX_TYPES:
        return _STRAVA_GPX_TYPES[text]
    sport = _ALIASES.get(_key(text))
    sub = None if sub_sport is None else str(sub_sport)
    if sub in _FIT_SUB_SPORTS and _FIT_SUB_SPORTS[sub] and sport in (None, "strength", "other"):
        sport = _FIT_SUB_SPORTS[sub]
    return sport or "other"


def compatible(a: str, b: str) -> bool:
    """Whether two normalised sports may be the same activity seen twice.

    ``other`` matches anything (a TCX "Other" is often a virtual ride); walk and
    hike are interchangeable, as uploads often relabel one as the other.
    """
    if a == b or "other" in (a, b):
        return True
    return {a, b} == {"walk", "hike"}
