"""Signs in the diary: red flags (acute injury and stress fracture), notes, pain now."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from loadwatch.flags.model import Flag
from loadwatch.pain.diary import (
    INJURY_MOMENTS,
    MILD_SYMPTOMS,
    STATUS_WORDS,
    STRESS_FRACTURE_SIGNS,
    Diary,
    records_assessment,
)
from loadwatch.pain.words import _words, join_words, pain_words
from loadwatch.words import day_month_words

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
    if entry.onset == "sudden" and (severity_of(entry) or 0) >= 1:
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
    """Whether an entry records that the knee was assessed or cleared by a clinician
    (:func:`loadwatch.pain.diary.records_assessment`)."""
    return records_assessment(entry.symptoms, entry.notes)


def severity_of(entry) -> int | None:
    """An entry's severity, None for an assessment-only entry (no severity recorded)."""
    v = entry.severity
    return None if v is None or v is pd.NA or pd.isna(v) else int(v)


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


def assessed_after(entries: pd.DataFrame) -> pd.Series:
    """For each entry (rows in date, then line order), the day of the first later entry that
    records an assessment (:func:`assessed`), NaT when none came after it.

    An entry's own "assessed" does not close its own red flags: only a later entry does,
    so a note such as "pop, physio on Monday" never reads as dealt with.
    """
    if entries.empty:
        return pd.Series([], dtype="datetime64[ns]", index=entries.index)
    mask = pd.Series([assessed(e) for e in entries.itertuples(index=False)], index=entries.index)
    return entries["date"].where(mask).shift(-1).bfill()


def red_flag_flags(diary: Diary) -> list[Flag]:
    """A ``pain_red_flag`` for every diary entry with a red flag (:func:`red_flags`) that no
    later entry records as assessed.

    Parameters
    ----------
    diary : Diary

    Returns
    -------
    list of Flag
        In date order: severity ``high``, evidence ``advice``, value the entry's
        severity [0-10], no threshold, dated the entry's day. The message starts
        with getting it checked. A red flag followed by an assessment is no longer a
        flag ("stop running on it" is over): the clinical status says when it was
        assessed (:mod:`loadwatch.verdict.clinical`).
    """
    out = []
    closed = assessed_after(diary.entries)
    for entry, done in zip(diary.entries.itertuples(index=False), closed, strict=True):
        reasons = red_flags(entry)
        if not reasons or pd.notna(done):
            continue
        severity = severity_of(entry)
        day = entry.date.date()
        out.append(Flag(
            code="pain_red_flag", kind="evidence", severity="high", start=day, last_date=day,
            value=None if severity is None else float(severity), threshold=None, evidence="advice",
            source=RED_FLAG_SOURCE, steps=(("high", day),),
            message=(f"{SEE_SOMEONE[0].upper()}{SEE_SOMEONE[1:]}: the "
                     f"{pain_words(entry.location_label, entry.side)} you recorded on {day_month_words(day)} "
                     f"({'no severity' if severity is None else f'{severity}/10'}) came with "
                     f"{join_words(reasons)}, which usually means an acute injury (meniscus, "
                     "ligament or bone) rather than overload; loadwatch does not diagnose."),
        ))
    return out
