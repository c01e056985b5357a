"""One vocabulary of sports for every source, and what to do when a file names none.

FIT, TCX, GPX and Strava each name sports their own way (``running``/``trail``,
``Running``, ``9``, ``Trail Run``). :func:`normalise` maps them all onto
``SPORTS``. Trail, treadmill, track and virtual runs are runs; a sport loadwatch
has no name for is ``other``; ``unknown`` means the file says nothing and nothing
could be inferred.

A file without a usable sport is never taken for a run. :func:`settle` infers
one from evidence in the file, strongest first: its names (track, metadata and
file names, in several languages), the app or device that wrote it
(:func:`from_creator`), and its speed (:func:`from_speed`), which can only rule
a run out (a ride) or find a walk (a walking pace for an hour); it never finds a run.
Every inferred sport carries a note (:func:`guess_note`) saying so and from what.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

SPORTS = ("run", "ride", "swim", "walk", "hike", "strength", "ski", "row", "other", "unknown")

_ALIASES = {
    "run": "run", "running": "run", "trailrun": "run", "trailrunning": "run",
    "virtualrun": "run", "treadmill": "run", "treadmillrunning": "run", "track": "run",
    "trackrunning": "run", "indoorrunning": "run", "jog": "run", "jogging": "run",
    "ultrarun": "run", "streetrunning": "run",
    "ride": "ride", "cycling": "ride", "biking": "ride", "bike": "ride", "virtualride": "ride",
    "ebikeride": "ride", "emountainbikeride": "ride", "mountainbikeride": "ride",
    "gravelride": "ride", "handcycle": "ride", "velomobile": "ride", "ebiking": "ride",
    "indoorcycling": "ride", "mountainbiking": "ride", "roadbiking": "ride",
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
    "other": "other", "unknown": "unknown",
}

# Words that state no particular sport: FIT generic (0) and all (254), TCX Other,
# OpenTracks' "unknown". A file saying only this may be anything.
_VAGUE = {"", "generic", "other", "unknown", "all", "none", "null", "0", "254", "sport",
          "activity", "default", "misc", "miscellaneous"}

# Of those, the words that say "something else" (TCX knows Running, Biking and Other):
# left so, the activity is ``other``; every other vague word says nothing (``unknown``).
_OTHER = {"other", "misc", "miscellaneous"}

# Strava's GPX <type> is a number (its old activity-type enum) in some exports.
_STRAVA_GPX_TYPES = {"1": "ride", "2": "ski", "4": "hike", "9": "run", "10": "walk",
                     "16": "swim", "29": "strength"}

# FIT sub-sports that turn a generic FIT sport into one of ours.
_FIT_SUB_SPORTS = {"treadmill": "run", "trail": "run", "track": "run", "street": "run",
                   "indoor_running": "run", "virtual_activity": None,
                   "strength_training": "strength", "indoor_rowing": "row",
                   "indoor_cycling": "ride", "lap_swimming": "swim", "open_water": "swim"}


def _key(raw: str) -> str:
    return re.sub(r"[^a-z0-9]", "", raw.lower())


def normalise(raw: object, sub_sport: object = None) -> str:
    """The loadwatch sport for a source's sport (and sub-sport) name.

    >>> normalise("Trail Run"), normalise("running", "treadmill"), normalise("9")
    ('run', 'run', 'run')
    >>> normalise("training", "strength_training"), normalise(82), normalise(None)
    ('strength', 'other', 'unknown')
    """
    text = "" if raw is None else str(raw).strip()
    if text in _STRAVA_GPX_TYPES:
        return _STRAVA_GPX_TYPES[text]
    sport = _ALIASES.get(_key(text))
    sub = None if sub_sport is None else str(sub_sport)
    if sub in _FIT_SUB_SPORTS and _FIT_SUB_SPORTS[sub] and sport in (None, "strength", "other",
                                                                      "unknown"):
        sport = _FIT_SUB_SPORTS[sub]
    if sport is None and _key(text) in _VAGUE:
        return "unknown" if not text else "other"
    return sport or "other"


def vague(raw: object, sub_sport: object = None, *, free_text: bool = False) -> bool:
    """Whether a stated sport leaves the question open, so evidence may settle it.

    True for nothing stated, a generic word (FIT ``generic``, TCX ``Other``,
    ``unknown``) whose sub-sport does not settle it either, and, with
    ``free_text`` (GPX ``<type>``, which any app fills as it likes), any word
    loadwatch does not know. A particular sport loadwatch merely has no name for
    (FIT ``transition``, ``fishing``, sport 82) is not vague: it stays ``other``.

    >>> vague(None), vague("generic", "virtual_activity"), vague("generic", "treadmill")
    (True, True, False)
    >>> vague("transition"), vague("jkljkl"), vague("jkljkl", free_text=True)
    (False, False, True)
    """
    text = "" if raw is None else str(raw).strip()
    if normalise(raw, sub_sport) not in ("other", "unknown"):
        return False
    return _key(text) in _VAGUE or free_text


# -- names -------------------------------------------------------------------------------

# Words that name a sport in activity, track and file names, as apps write them
# (Strava's and Garmin's default names: "Morgenlauf", "Course à pied le matin",
# "Carrera matutina", "Ochtendrit", "Runkeeper's "Cycling 5/1/19"). Accents are
# removed before matching; "ø" reads "o". English "loop" (a round route) and
# "track" (a GPS track) name no sport; Dutch compounds ending in -loop do.
_WORDS = {
    "run": """run runs running runner jog jogging trailrun longrun parkrun lauf laufen
        laufrunde lauftraining dauerlauf course carrera correr corsa corrida hardloop
        hardlopen hardlooprondje loopje duurloop bosloop lop loping lopetur lopning loptur
        lob lobetur juoksu juoksulenkki bieg""",
    "ride": """ride rides riding cycling cycle cyclist bike biking bicycle ebike mtb
        mountainbike bikepacking rad radeln radfahrt radtour radrunde radausfahrt fahrrad
        rennrad velo velotour velotaf cyclisme vtt bici bicicleta bicicletta ciclismo
        pedalada btt fiets fietsen fietstocht fietsrit rit ochtendrit middagrit avondrit
        nachtrit sykkel sykling sykkeltur cykel cykling cykeltur pyoraily spinning""",
    "walk": """walk walks walking stroll spaziergang spazieren marche balade promenade
        caminata caminar camminata passeggiata caminhada wandeling wandelen gatur
        promenad kavely spacer""",
    "hike": """hike hikes hiking trek trekking wandern wanderung bergtour randonnee rando
        senderismo escursione escursionismo trilha vandring vaellus fjelltur""",
    "swim": """swim swims swimming schwimmen natation natacion nuoto zwemmen natacao
        svomming simning uinti""",
    "ski": """ski skiing langlauf skilanglauf langrenn skitur skitour esqui sci""",
    "row": """row rowing rudern aviron remo canottaggio roeien roing kayak kajak canoe kanu""",
}
_WORD_SPORT = {w: sport for sport, words in _WORDS.items() for w in words.split()}

# Compounds: German and Dutch glue the sport to a time of day ("Abendlauf",
# "Morgenspaziergang", "Avondloop"). Longer endings are tried first, so that
# "Skilanglauf" is skiing and not a run.
_ENDINGS = sorted([("langlauf", "ski"), ("lauf", "run"), ("loop", "run"), ("run", "run"),
                   ("radfahrt", "ride"), ("radtour", "ride"), ("bike", "ride"),
                   ("spaziergang", "walk"), ("wandeling", "walk"), ("wanderung", "hike")],
                  key=lambda e: -len(e[0]))
_MIN_STEM = 3  # letters before an ending: "Morgen|lauf" counts, "Ab|lauf" does not


def _words(text: str) -> list[str]:
    """Lower-case words of ``text``, accents removed, camelCase and digits split."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ß", "ss")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[a-z]+", plain.lower())


def _word_sport(word: str) -> str | None:
    if word in _WORD_SPORT:
        return _WORD_SPORT[word]
    for ending, sport in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return sport
    return None


def from_names(names: Iterable[str | None]) -> str | None:
    """The one sport that the names name, or None (none named, or several).

    >>> from_names(["Cycling 5/1/19 6:31 am"]), from_names(["Abendlauf", None])
    ('ride', 'run')
    >>> from_names(["Skilanglauf"]), from_names(["Bike & Run"]), from_names(["ACTIVE LOG"])
    ('ski', None, None)
    """
    found = {s for name in names if name for w in _words(str(name)) if (s := _word_sport(w))}
    return found.pop() if len(found) == 1 else None


# -- creator -----------------------------------------------------------------------------

# Apps and devices that record one sport only: bike computers, indoor-cycling apps
# and trainers ride; a Stryd footpod runs. Multi-sport watches and apps (Garmin
# watches, Strava, Runkeeper, Zwift) say nothing.
_CREATOR_SPORT = (
    (re.compile(r"(?<![a-z])edge|elemnt|bryton|karoo|hammerhead|igpsport|xplova|lezyne|"
                r"ride ?with ?gps|trainer ?road|rouvy|fulgaz|bkool|tacx|wattbike|"
                r"stages.cycling|magene|cycplus|mywhoosh|peloton bike"), "ride"),
    (re.compile(r"stryd|runmeter|nike run club"), "run"),
)


def from_creator(creator: str | None) -> str | None:
    """The sport implied by the app or device that wrote a file, or None.

    >>> from_creator("Garmin Edge 530"), from_creator("StravaGPX"), from_creator("stryd")
    ('ride', None, 'run')
    """
    if not creator:
        return None
    text = str(creator).lower()
    return next((sport for pattern, sport in _CREATOR_SPORT if pattern.search(text)), None)


# -- speed -------------------------------------------------------------------------------

MARATHON_RECORD_M = 42195.0
MARATHON_RECORD_S = 7235.0
"""Men's marathon world record, 2:00:35 (K. Kiptum, Chicago, 2023). [m], [s]"""

RIEGEL_EXPONENT = 1.06
"""Fatigue exponent of Riegel's endurance model, t2 = t1 (d2/d1)^1.06. [unitless]"""

SPEED_EVIDENCE_MIN_S = 600.0
"""Moving time below which a speed proves nothing (a sprint, a few GPS points). [s]"""

HIKE_PACE_MAX_MPS = 1.8
"""Brisk walking pace (6.5 km/h); kept up for :data:`HIKE_PACE_MIN_S` it is a walk or hike. [m/s]"""

HIKE_PACE_MIN_S = 3600.0
"""Moving time at walking pace that makes an outing a walk or hike: an hour, so that
a short slow outing of another kind (18 minutes of stand-up paddling, a warm-up, a
cool-down) is not taken for a walk; the one rule for walks. [s]"""

WALK_MIN_MPS = 0.5
"""Below this average no one is travelling on foot either (standing, fishing, a bad file). [m/s]"""

HIKE_MIN_ELAPSED_S = 7200.0
"""A walking-pace outing this long, or climbing :data:`HIKE_MIN_CLIMB_M_PER_KM`, is a hike. [s]"""

HIKE_MIN_CLIMB_M_PER_KM = 40.0
"""Climb per kilometre above which a walking-pace outing is a hike. [m/km]"""


def fastest_run_mps(moving_s: float) -> float:
    """The fastest average speed a human has run for ``moving_s`` seconds.

    Parameters
    ----------
    moving_s : float
        Duration of the effort. [s]

    Returns
    -------
    float
        Speed [m/s].

    Notes
    -----
    Riegel's model [1]_ anchored at the marathon world record:
    v(t) = v_m (t / t_m)^(1/1.06 - 1), v_m = 42195 m / 7235 s = 5.83 m/s.
    It gives 6.71 m/s for 10 min (5000 m record: 6.62 m/s over 12:35), 6.07 m/s
    for 1 h (hour record: 5.93 m/s) and 5.61 m/s for 4 h, so between 10 min and
    a day it is at or above every running world record: an average above it
    is no run.

    References
    ----------
    .. [1] P. S. Riegel, "Athletic records and human endurance," American
       Scientist, vol. 69, no. 3, pp. 285-290, 1981.

    >>> round(fastest_run_mps(3600), 2)
    6.07
    """
    v_marathon = MARATHON_RECORD_M / MARATHON_RECORD_S
    return v_marathon * (moving_s / MARATHON_RECORD_S) ** (1 / RIEGEL_EXPONENT - 1)


def from_speed(distance_m: float | None, moving_s: float | None, elapsed_s: float | None = None,
               climb_m: float | None = None) -> str | None:
    """The sport a speed profile proves, or None: a ride, a walk or a hike, never a run.

    Parameters
    ----------
    distance_m : float or None
        Distance covered. [m]
    moving_s : float or None
        Moving (timer) time; the elapsed time where it is unknown. [s]
    elapsed_s : float or None
        Elapsed time. [s]
    climb_m : float or None
        Total ascent. [m]

    Returns
    -------
    str or None
        ``ride`` when the moving speed beats :func:`fastest_run_mps` over at
        least :data:`SPEED_EVIDENCE_MIN_S`; ``walk`` or ``hike`` when it stays
        at a walking pace, 0.5-1.8 m/s, for an hour or more; ``hike`` if also
        2 h or more elapsed or 40 m/km of climbing.

    Notes
    -----
    A running pace is also a slow ride's or a fast walk's, so speed never
    proves a run; a walking pace held for less than an hour is also a paddle's,
    a warm-up's or a slow ride's, so it proves nothing either. Normal walking
    is 1.2-1.5 m/s and brisk walking up to about 1.8 m/s [1]_; a beginner's
    walk-run averages more than 1.4 m/s.

    References
    ----------
    .. [1] R. W. Bohannon and A. W. Andrews, "Normal walking speed: a descriptive
       meta-analysis," Physiotherapy, vol. 97, no. 3, pp. 182-189, 2011,
       doi:10.1016/j.physio.2010.12.004.

    >>> from_speed(30000, 3600), from_speed(10000, 3600), from_speed(18000, 25000, 36000)
    ('ride', None, 'hike')
    """
    moving = moving_s or elapsed_s
    if not distance_m or not moving or not math.isfinite(distance_m) or not math.isfinite(moving):
        return None
    if moving < SPEED_EVIDENCE_MIN_S:
        return None
    v = distance_m / moving
    if v > fastest_run_mps(moving):
        return "ride"
    on_foot = WALK_MIN_MPS <= v <= HIKE_PACE_MAX_MPS and moving >= HIKE_PACE_MIN_S
    if not on_foot:
        return None
    long = (elapsed_s or moving) >= HIKE_MIN_ELAPSED_S
    steep = climb_m is not None and climb_m / (distance_m / 1000) >= HIKE_MIN_CLIMB_M_PER_KM
    return "hike" if long or steep else "walk"


def settle(stated: object, sub_sport: object = None, *, free_text: bool = False,
           names: Iterable[str | None] = (), creator: str | None = None,
           distance_m: float | None = None, moving_s: float | None = None,
           elapsed_s: float | None = None, climb_m: float | None = None
           ) -> tuple[str | None, str | None]:
    """The sport to record for a file's activity, and the evidence if it was inferred.

    Parameters
    ----------
    stated, sub_sport : str or None
        What the file says (``None``: nothing).
    free_text : bool, default False
        ``stated`` is free text (GPX ``<type>``): unknown words are vague.
    names : iterable of str
        Track, metadata and file names.
    creator : str or None
        App or device that wrote the file.
    distance_m, moving_s, elapsed_s, climb_m : float or None
        For :func:`from_speed`. [m], [s], [s], [m]

    Returns
    -------
    sport : str or None
        ``stated`` when it names a sport (or is a particular sport loadwatch has no
        name for); else the inferred loadwatch sport; else ``"other"`` if the file
        said "other" (TCX ``Other``) or names a particular sub-sport, ``"unknown"``
        if it stated nothing or only a word that says nothing (FIT ``generic``).
    evidence : str or None
        ``"names"``, ``"creator"`` or ``"speed"`` when inferred, else None.

    Notes
    -----
    Names win over the creator, the creator over speed: a name is the athlete's
    or the app's own word, while a watch left running in the car makes any
    outing fast.

    >>> settle("Running"), settle(None, names=["Evening Ride"])
    (('Running', None), ('ride', 'names'))
    >>> settle("Other", distance_m=17652, moving_s=2434), settle(None)
    (('ride', 'speed'), ('unknown', None))
    """
    if not vague(stated, sub_sport, free_text=free_text):
        return (None if stated is None else str(stated)), None
    for evidence, sport in (("names", from_names(names)), ("creator", from_creator(creator)),
                            ("speed", from_speed(distance_m, moving_s, elapsed_s, climb_m))):
        if sport:
            return sport, evidence
    return ("other" if _says_other(stated, sub_sport) else "unknown"), None


def _says_other(stated: object, sub_sport: object) -> bool:
    """Whether a vague statement still says "some other sport": TCX ``Other``, a free-text
    word loadwatch does not know, or a particular FIT sub-sport (not ``generic``, not
    ``virtual_activity``, which Zwift writes for runs and rides alike)."""
    key = _key("" if stated is None else str(stated))
    sub = _key("" if sub_sport is None else str(sub_sport))
    return (key in _OTHER or (bool(key) and key not in _VAGUE)
            or (bool(sub) and sub not in _VAGUE and sub != "virtualactivity"))


def guess_note(sport: str, evidence: str | None, stated: object, *,
               names: Iterable[str | None] = (), creator: str | None = None,
               distance_m: float | None = None, moving_s: float | None = None,
               elapsed_s: float | None = None) -> str | None:
    """The note for an activity whose sport :func:`settle` inferred (``evidence`` set),
    saying what the file said, what was guessed and from what; None when not inferred.

    >>> guess_note("walk", "speed", "Other", distance_m=5400, moving_s=4500)
    "the file's sport is 'Other'; guessed 'walk' from its speed (1.2 m/s for 75 min); if that is wrong, set the sport in [sports] of loadwatch.toml"
    """
    if not evidence:
        return None
    said = "" if stated is None else str(stated).strip()
    what = f"the file's sport is {said!r}" if said else "the file states no sport"
    if evidence == "names":
        name = next((n for n in names if n and from_names([n]) == sport), None)
        why = f"its name {name!r}" if name else "its names"
    elif evidence == "creator":
        why = f"the device or app that wrote it ({creator!r}), which records only that"
    else:
        moving = moving_s or elapsed_s or 0.0
        speed = (distance_m or 0.0) / moving if moving else 0.0
        why = f"its speed ({speed:.1f} m/s for {moving / 60:,.0f} min)"
    return (f"{what}; guessed {sport!r} from {why}; if that is wrong, set the sport in "
            "[sports] of loadwatch.toml")


def settle_noted(stated: object, sub_sport: object = None, **evidence
                 ) -> tuple[str | None, str | None, list[str]]:
    """:func:`settle`, and its :func:`guess_note` as a list (empty when not inferred)."""
    sport, found = settle(stated, sub_sport, **evidence)
    note = guess_note(sport, found, stated, **{k: v for k, v in evidence.items()
                                               if k not in ("free_text", "climb_m")})
    return sport, found, [note] if note else []


def is_guess_note(warning: str) -> bool:
    """Whether an activity warning is a :func:`guess_note`."""
    return "; guessed '" in warning and warning.startswith(("the file's sport is",
                                                            "the file states no sport"))


# -- what an activity does to the knee ------------------------------------------------------

LOW_IMPACT, WEIGHT_BEARING = "low_impact", "weight_bearing"

CATEGORIES = {
    "run": "run",
    "ride": LOW_IMPACT, "swim": LOW_IMPACT, "row": LOW_IMPACT, "ski": LOW_IMPACT,
    "walk": WEIGHT_BEARING, "hike": WEIGHT_BEARING,
    "strength": "strength",
    "other": "other", "unknown": "unknown",
}
"""What each sport does to the knee, for the rules that ask whether it rested.

- ``low_impact`` (cross-training): ride, swim, row, cross-country ski, and the
  machines below. The legs work but do not land on every step, so fitness is
  kept while the knee rests from impact. Only these count as cross-training
  (days since cross-training, the no-cross-training habit, next week's note).
- ``weight_bearing``: walk and hike. Every step lands body weight (and on a
  descent more) on the knee; a long hike is hours on the same tissues as a run.
  Not rest and not cross-training: their time counts in the weekly time on feet
  with the runs.
- ``strength``: its own category (counted, and advised twice a week on its own).
- ``other`` and ``unknown``: a sport loadwatch has no name for, or none stated:
  no rest day, but no proof that the knee rested either.

``ski`` is one name for every kind of skiing in loadwatch's vocabulary; it counts
as cross-country (low impact) unless the file's sub-sport says resort or downhill
(:data:`NOT_LOW_IMPACT_SKI`): alpine skiing twists and brakes on the knee and is
no rest for it. An alpine day filed without one can be set to ``other`` in
``[sports]``. Source: loadwatch's product rule (the domain brief: "no cross-
training or strength work" is a usual training cause of inner-knee pain; what
rests the knee is what spares it the landing).
"""

LOW_IMPACT_SUB_SPORTS = frozenset({"elliptical", "indoor_skiing", "indoor_rowing",
                                   "indoor_cycling", "lap_swimming", "open_water", "spin"})
"""FIT sub-sports of a low-impact machine or water sport, whatever the sport says
(FIT files an elliptical as ``fitness_equipment``, loadwatch's ``other``)."""

NOT_LOW_IMPACT_SKI = frozenset({"resort", "downhill"})
"""FIT sub-sports that make a ``ski`` activity alpine skiing: ``other``, not cross-training."""


def category(sport: object, sub_sport: object = None) -> str:
    """The :data:`CATEGORIES` entry of a normalised sport and the source's sub-sport.

    >>> category("ride"), category("hike"), category("other", "elliptical")
    ('low_impact', 'weight_bearing', 'low_impact')
    >>> category("ski"), category("ski", "resort"), category("strength")
    ('low_impact', 'other', 'strength')
    """
    sport = str(sport) if isinstance(sport, str) else "unknown"
    sub = sub_sport.lower() if isinstance(sub_sport, str) else None  # NaN, NA, None: none
    found = CATEGORIES.get(sport, "other")
    if found in ("other", "strength") and sub in LOW_IMPACT_SUB_SPORTS:
        return LOW_IMPACT
    if sport == "ski" and sub in NOT_LOW_IMPACT_SKI:
        return "other"
    return found


def compatible(a: str, b: str) -> bool:
    """Whether two normalised sports may be the same activity seen twice.

    ``other`` and ``unknown`` match anything (a TCX "Other" is often a virtual
    ride); walk and hike are interchangeable, as uploads often relabel one as
    the other.
    """
    if a == b or {"other", "unknown"} & {a, b}:
        return True
    return {a, b} == {"walk", "hike"}
