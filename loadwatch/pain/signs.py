"""Signs in the diary: red flags (acute injury and stress fracture), notes, pain now."""

from __future__ import annotations

import pandas as pd

from loadwatch.acute_signs import (  # noqa: F401  (the pain package's names)
    CLICKING_NOTE,
    SEE_SOMEONE,
    notes_on,
    red_flags,
    remarks,
    severity_of,
)
from loadwatch.diaryfile import (
    records_assessment,
)
from loadwatch.flags.model import Flag
from loadwatch.pain.diary import Diary
from loadwatch.pain.words import join_words, pain_words
from loadwatch.words import day_month_words

RED_FLAG_SOURCE = (
    "Acute knee injury signs: Bunt et al. 2018 Am Fam Physician 98:576 (trauma, swelling, "
    "mechanical symptoms, instability); Stiell et al. 1996 JAMA 275:611 (weight bearing)"
)
def assessed(entry) -> bool:
    """Whether an entry records that the knee was assessed or cleared by a clinician
    (:func:`loadwatch.diaryfile.records_assessment`)."""
    return records_assessment(entry.symptoms, entry.notes)


def assessed_after(entries: pd.DataFrame) -> pd.Series:
    """For each entry (rows in date, then line order), the day of the first later entry that
    records an assessment (:func:`assessed`), NaT when none came after it.

    An entry's own "assessed" does not close its own red flags: only a later entry does,
    so a note such as "pop, physio on Monday" never reads as dealt with.
    """
    if entries.empty:
        return pd.Series([], dtype="datetime64[ns]", index=entries.index)
    # Only the two columns it reads, not a row of every column per entry.
    mask = pd.Series([records_assessment(symptoms, notes) for symptoms, notes
                      in zip(entries["symptoms"], entries["notes"], strict=True)],
                     index=entries.index, dtype=bool)
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
