"""The clinical status of every day (:func:`loadwatch.verdict.clinical.assess` as of each day),
evaluated only on the days it can change.

The status reads the diary's entries up to the day and the day itself. Between two
entries the entries do not change, and the day counts only in three rules, none of
which can change 7 days or more after the last entry (:data:`QUIET_DAYS`):

- persistent pain on 3 of "the last 7 days": no entry in them after 7 days;
- weekly peaks rising over the weeks up to the day's: the day's week has no entry
  (its peak is missing) from 7 days after the last entry;
- an episode going on 14 days or more: its clock runs to at most
  :data:`~loadwatch.pain.MAX_GAP_DAYS` (7) days after its last entry, then holds.

A red flag not yet assessed and the rules after an assessment read the entries only.
So the status is evaluated on each entry's day and the 7 days after it, and held
from there to the next entry's day: a diary of a few entries a month costs a few
evaluations a month, whatever the length of the training history. Each evaluation is
:func:`loadwatch.verdict.clinical.status` (the status :func:`~loadwatch.verdict.clinical.assess`
gives, one definition) over the diary read once as arrays
(:class:`loadwatch.pain.DiaryTable`): a few array slices over the entries up to the day,
so a dense diary of years costs a fraction of a second.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from loadwatch import pain
from loadwatch.engine import calendar
from loadwatch.verdict import clinical as clinical_mod

QUIET_DAYS = 7
"""Days after an entry from which the status holds until the next entry (see the module).
[days]"""


def statuses(diary: pain.Diary | None, days: np.ndarray, thresholds) -> np.ndarray:
    """The clinical status (``check_now``, ``assess_soon``, ``none``) of each day.

    Parameters
    ----------
    diary : loadwatch.pain.Diary or None
    days : numpy.ndarray of int
        Consecutive day numbers.
    """
    out = np.full(len(days), "none", dtype=object)
    if diary is None or diary.entries.empty or not len(days):
        return out
    entry_days = np.unique(calendar.day_numbers(diary.entries["date"]))
    # The days to evaluate: each entry's day and the QUIET_DAYS after it.
    evaluate = np.unique((entry_days[:, None] + np.arange(QUIET_DAYS + 1)[None, :]).ravel())
    evaluate = evaluate[(evaluate >= days[0]) & (evaluate <= days[-1])]
    if len(evaluate) and evaluate[0] > days[0] and (entry_days < days[0]).any():
        evaluate = np.concatenate([[days[0]], evaluate])  # a status held from before the range
    elif not len(evaluate) and (entry_days < days[0]).any():
        evaluate = days[:1]
    if not len(evaluate):
        return out
    first = calendar.to_date(int(days[0]))
    # The diary's per-entry work once; each day's status reads the entries up to it.
    table = pain.DiaryTable.of(diary)
    words = [clinical_mod.status(table, first + timedelta(days=int(d - days[0])), thresholds)
             for d in evaluate.tolist()]
    # Each day holds the status of the last day evaluated on or before it.
    at = np.searchsorted(evaluate, days, side="right") - 1
    known = at >= 0
    out[known] = np.asarray(words, dtype=object)[at[known]]
    return out


def pain_levels(diary: pain.Diary | None, days: np.ndarray) -> np.ndarray:
    """Per day: the pain going on (:func:`loadwatch.pain.pain_now`), NaN when none is recorded.

    The latest entry with a severity on or before the day, in (date, line) order."""
    out = np.full(len(days), np.nan)
    if diary is None or diary.entries.empty:
        return out
    e = diary.entries[diary.entries["severity"].notna().to_numpy(bool)]
    if e.empty:
        return out
    e = e.sort_values(["date", "line"], kind="stable")
    at = np.searchsorted(calendar.day_numbers(e["date"]), days, side="right") - 1
    known = at >= 0
    out[known] = e["severity"].to_numpy(float)[at[known]]
    return out
