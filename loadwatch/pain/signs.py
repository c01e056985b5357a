"""Signs in the diary: red flags (acute injury and stress fracture), notes, pain now."""

from __future__ import annotations

import re
from collections.abc import Iterable

from loadwatch.flags import Flag
from loadwatch.pain.diary import (
    INJURY_MOMENTS,
    MILD_SYMPTOMS,
    STATUS_WORDS,
    STRESS_FRACTURE_SIGNS,
    Diary,
)
from loadwatch.pain.words import _day, _words, join_words, pain_words

RED_FLAG_SOURCE = (
    "Acute knee injury signs: Bunt et al. 2018 Am Fam Physician 98:576 (trauma, swelling, "
    "mechanical symptoms, instability); Stiell et al. 1996 JAMA 275:611 (weight bearing)"
)
SEE_SOMEONE = "get it checked by a sports physical therapist or doctor before running on it"
CLICKING_NOTE = (
    "Clicking or grinding alone is common and not a sign of injury; it matters when it comes "
    "with pain, swelling, locking or the knee giving way."
)


# -- red flags ----------------------------------------------------------------------------

def red_flags(entry) -> list[str]:
    """The signs in an entry that point to an acute injury rather than overload.

    Parameters
    ----------
    entry : PainEntry or a row of Diary.entries
        Anything with ``severity``, ``onset`` and ``symptoms`` attributes.

    Returns
    -------
    list of str
        The reasons in plain words, empty when there is none.

    Notes
    -----
    One reason per rule: a sudden onset (with pain, severity >= 1); a pop;
    locking or catching; instability or giving way; swelling together with
    bruising; pain on weight bearing after a twist, blow or fall; and the signs
    of a stress fracture (:data:`STRESS_FRACTURE_SIGNS`: sharp pin-point pain,
    pain on hopping, night pain, pain that stopped the run). Each alone is
    enough. Clicking or grinding alone is not a red flag (:func:`notes_on`). These
    go with a meniscus tear, a ligament sprain, a fracture or a dislocation, which
    need a clinician's examination, not load management [1]_, [2]_.

    References
    ----------
    .. [1] C. W. Bunt, C. E. Jonas and J. G. Chang, "Knee pain in adults and
       adolescents: the initial evaluation," Am. Fam. Physician, vol. 98, no. 9,
       pp. 576-585, 2018.
    .. [2] I. G. Stiell et al., "Prospective validation of a decision rule for the
       use of radiography in acute knee injuries," JAMA, vol. 275, no. 8,
       pp. 611-615, 1996, doi:10.1001/jama.1996.03530320035031.

    Examples
    --------
    >>> from datetime import date
    >>> from loadwatch.pain.diary import PainEntry
    >>> red_flags(PainEntry(date(2024, 10, 11), 6, "inner knee", onset="sudden",
    ...                     symptoms=("pop", "swelling")))
    ['sudden onset', 'a pop']
    >>> red_flags(PainEntry(date(2024, 10, 11), 3, "kneecap", symptoms=("clicking",)))
    []
    """
    s = set(entry.symptoms)
    reasons = []
    if entry.onset == "sudden" and entry.severity >= 1:
        reasons.append("sudden onset")
    if "pop" in s:
        reasons.append("a pop")
    for group in (("locking", "catching"), ("instability", "giving_way")):
        present = [_words(x) for x in group if x in s]
        if present:
            reasons.append(" and ".join(present))
    if {"swelling", "bruising"} <= s:
        reasons.append("swelling with bruising")
    moments = [m for m in INJURY_MOMENTS if m in s]
    if "weight_bearing_pain" in s and moments:
        reasons.append("pain on weight bearing after a " + " and a ".join(moments))
    fracture = [_FRACTURE_WORDS[x] for x in STRESS_FRACTURE_SIGNS if x in s]
    if fracture:
        reasons.append(f"{join_words(fracture)} (signs of a stress fracture)")
    return reasons


_FRACTURE_WORDS = {"pinpoint_pain": "sharp pin-point pain", "hop_pain": "pain on hopping",
                   "night_pain": "pain at night", "stopped_running": "pain that stopped the run"}


def assessed(entry) -> bool:
    """Whether an entry records that the knee was assessed or cleared by a clinician."""
    return bool(set(entry.symptoms) & set(STATUS_WORDS)) or bool(
        _STATUS_NOTE.search(str(entry.notes or "")))


_STATUS_NOTE = re.compile(r"\b(assessed|cleared)\b", re.IGNORECASE)


def notes_on(entry) -> list[str]:
    """Plain remarks on an entry that are not red flags.

    Parameters
    ----------
    entry : PainEntry or a row of Diary.entries

    Returns
    -------
    list of str
        :data:`CLICKING_NOTE` for clicking or grinding with no red flag, and a
        reminder of the signs to watch for after an injury moment with no red flag.
    """
    return _notes(entry.symptoms, bool(red_flags(entry)))


def _notes(symptoms: Iterable[str], flagged: bool) -> list[str]:
    s = set(symptoms) - set(STATUS_WORDS)
    if flagged:
        return []
    out = []
    # "Clicking alone is common" is said only where it is alone with mild symptoms: never
    # beside swelling, locking or instability.
    if s & {"clicking", "grinding"} and s <= set(MILD_SYMPTOMS):
        out.append(CLICKING_NOTE)
    moments = [m for m in INJURY_MOMENTS if m in s]
    if moments:
        out.append(f"You recorded a {' and a '.join(moments)}: if swelling, locking, giving way "
                   f"or pain on weight bearing follow, {SEE_SOMEONE}.")
    return out


def red_flag_flags(diary: Diary) -> list[Flag]:
    """A ``pain_red_flag`` for every diary entry with a red flag (:func:`red_flags`).

    Parameters
    ----------
    diary : Diary

    Returns
    -------
    list of Flag
        In date order: severity ``high``, evidence ``advice``, value the entry's
        severity [0-10], no threshold, dated the entry's day. The message starts
        with getting it checked.
    """
    out = []
    for entry in diary.entries.itertuples(index=False):
        reasons = red_flags(entry)
        if not reasons:
            continue
        day = entry.date.date()
        out.append(Flag(
            code="pain_red_flag", kind="evidence", severity="high", start=day, last_date=day,
            value=float(entry.severity), threshold=None, evidence="advice",
            source=RED_FLAG_SOURCE, steps=(("high", day),),
            message=(f"{SEE_SOMEONE[0].upper()}{SEE_SOMEONE[1:]}: the "
                     f"{pain_words(entry.location_label, entry.side)} you recorded on {_day(day)} "
                     f"({entry.severity}/10) came with {join_words(reasons)}, which usually means an "
                     "acute injury (meniscus, ligament or bone) rather than overload; loadwatch "
                     "does not diagnose."),
        ))
    return out
