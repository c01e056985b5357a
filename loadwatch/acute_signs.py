"""The signs of an acute injury in one diary entry, without pandas (``pain add`` says them).

:func:`red_flags` is the rule; :mod:`loadwatch.pain.signs` turns the red flags of a
whole diary into flags, and the command line warns on the entry just added.
"""

from __future__ import annotations

from collections.abc import Iterable

from loadwatch.diaryfile import (
    INJURY_MOMENTS,
    MILD_SYMPTOMS,
    STATUS_WORDS,
    STRESS_FRACTURE_SIGNS,
)

SEE_SOMEONE = "get it checked by a sports physical therapist or doctor before running on it"
CLICKING_NOTE = (
    "Clicking or grinding alone is common and not a sign of injury; it matters when it comes "
    "with pain, swelling, locking or the knee giving way."
)


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
    >>> from loadwatch.diaryfile import PainEntry
    >>> red_flags(PainEntry(date(2024, 10, 11), 6, "inner knee", onset="sudden",
    ...                     symptoms=("pop", "swelling")))
    ['sudden onset', 'a pop']
    >>> red_flags(PainEntry(date(2024, 10, 11), 3, "kneecap", symptoms=("clicking",)))
    []
    """
    s = set(entry.symptoms)
    reasons = []
    if entry.onset == "sudden" and (severity_of(entry) or 0) >= 1:
        reasons.append("sudden onset")
    if "pop" in s:
        reasons.append("a pop")
    for group in (("locking", "catching"), ("instability", "giving_way")):
        present = [x.replace("_", " ") for x in group if x in s]
        if present:
            reasons.append(" and ".join(present))
    if {"swelling", "bruising"} <= s:
        reasons.append("swelling with bruising")
    moments = [m for m in INJURY_MOMENTS if m in s]
    if "weight_bearing_pain" in s and moments:
        reasons.append("pain on weight bearing after a " + " and a ".join(moments))
    fracture = [_FRACTURE_WORDS[x] for x in STRESS_FRACTURE_SIGNS if x in s]
    if fracture:
        reasons.append(f"{_joined(fracture)} (signs of a stress fracture)")
    return reasons


_FRACTURE_WORDS = {"pinpoint_pain": "sharp pin-point pain", "hop_pain": "pain on hopping",
                   "night_pain": "pain at night", "stopped_running": "pain that stopped the run"}


def _joined(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: :func:`loadwatch.pain.join_words`, which cannot be
    imported here without pandas (the ``loadwatch.pain`` package loads it)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def severity_of(entry) -> int | None:
    """An entry's severity, None for an assessment-only entry (no severity recorded).

    ``entry`` is a :class:`loadwatch.diaryfile.PainEntry` or a row of the diary's table,
    whose missing severity is pandas' NA (checked without importing pandas).
    """
    v = entry.severity
    if v is None:
        return None
    try:
        return None if v != v else int(v)  # NaN is not equal to itself
    except TypeError:  # pandas' NA: its truth is ambiguous, and it means "not recorded"
        return None


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
    return remarks(entry.symptoms, bool(red_flags(entry)))


def remarks(symptoms: Iterable[str], flagged: bool) -> list[str]:
    """The remarks of :func:`notes_on` from an entry's (or an episode's) symptoms."""
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
