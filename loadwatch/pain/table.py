"""The diary as arrays, read once: what the clinical status needs of every entry, so that the
status of any day is a few array slices over the entries up to it (:func:`DiaryTable.upto`).

The per-entry work (red flags, assessments, how pain entries group into episodes) is done
once for the whole diary. Each of it depends on the entry and the entries before it only,
never on later ones, so it holds for every prefix of the diary: the status as of a day
reads the first :meth:`DiaryTable.upto` entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loadwatch.acute_signs import red_flags
from loadwatch.diaryfile import records_assessment
from loadwatch.pain.diary import Diary
from loadwatch.pain.episodes import MAX_GAP_DAYS


def day_number(d: date) -> int:
    """Days since 1970-01-01 (the numbers of :attr:`DiaryTable.day`)."""
    return int(np.datetime64(d, "D").astype(np.int64))


def to_date(n: int) -> date:
    """The day of a day number (:func:`day_number`)."""
    return np.datetime64(int(n), "D").item()


@dataclass(frozen=True, eq=False)
class DiaryTable:
    """A diary's entries in (date, line) order as arrays, one element per entry.

    Attributes
    ----------
    entries : pandas.DataFrame
        The entries sorted by date then line, index 0..n-1 (the words read them).
    day : numpy.ndarray of int64
        Day numbers (:func:`day_number`).
    severity : numpy.ndarray of float
        0-10, NaN for an assessment-only entry.
    assessed : numpy.ndarray of bool
        The entry records an assessment (:func:`loadwatch.pain.assessed`: its symptoms or
        notes, :func:`loadwatch.diaryfile.records_assessment`).
    red : tuple of tuple of str
        Its red flags in words (:func:`loadwatch.pain.red_flags`), () when none.
    has_red : numpy.ndarray of bool
    pain : numpy.ndarray of int64
        Positions of the pain entries (severity >= 1).
    prev_pain : numpy.ndarray of int64
        Per pain entry: the position of the pain entry before it, -1 for the first.
    sudden : numpy.ndarray of bool
        Per pain entry: a sudden onset.
    prev_sudden : numpy.ndarray of int64
        Per pain entry with a sudden onset: the position of the sudden-onset pain entry
        before it at the same place, -1 when none (and for the others).
    """

    entries: pd.DataFrame
    day: np.ndarray
    severity: np.ndarray
    assessed: np.ndarray
    red: tuple[tuple[str, ...], ...]
    has_red: np.ndarray
    pain: np.ndarray
    prev_pain: np.ndarray
    sudden: np.ndarray
    prev_sudden: np.ndarray

    @classmethod
    def of(cls, diary: Diary) -> DiaryTable:
        """The table of a diary (its per-entry work done once)."""
        e = diary.entries.sort_values(["date", "line"], kind="stable").reset_index(drop=True)
        day = e["date"].to_numpy("datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        sev = e["severity"].astype("Float64").to_numpy(float, na_value=np.nan)
        rows = list(e.itertuples(index=False))
        red = tuple(tuple(red_flags(r)) for r in rows)
        done = np.fromiter((records_assessment(r.symptoms, r.notes) for r in rows), bool,
                           len(rows))
        pain = np.flatnonzero(sev >= 1)
        prev_pain = np.concatenate([[-1], pain[:-1]]) if len(pain) else pain.copy()
        onset = e["onset"].to_numpy(object)[pain]
        sudden = onset == "sudden"
        place = e["location_label"].fillna("").str.lower().to_numpy(object)[pain]
        prev_sudden = np.full(len(pain), -1, np.int64)
        last: dict[str, int] = {}
        for k in np.flatnonzero(sudden).tolist():  # the sudden onsets only: a few
            prev_sudden[k] = last.get(place[k], -1)
            last[place[k]] = int(pain[k])
        return cls(e, day, sev, done, red, np.array([bool(r) for r in red], bool), pain,
                   prev_pain, sudden, prev_sudden)

    def upto(self, as_of: date) -> int:
        """How many entries are on or before ``as_of``."""
        return int(np.searchsorted(self.day, day_number(as_of), side="right"))

    def pain_between(self, after: int, n: int) -> np.ndarray:
        """Indices into :attr:`pain` of the pain entries at positions ``after < p < n``."""
        lo, hi = np.searchsorted(self.pain, [after + 1, n])
        return np.arange(lo, hi)

    def starts(self, k: np.ndarray, after: int) -> np.ndarray:
        """Whether each pain entry ``k`` (indices into :attr:`pain`) starts an episode when
        the entries after position ``after`` are grouped (:func:`loadwatch.pain.episodes`:
        a gap of more than :data:`~loadwatch.pain.MAX_GAP_DAYS` days to the pain entry
        before, or a sudden onset not within that of a sudden onset at the same place)."""
        pos = self.pain[k]
        prev = self.prev_pain[k]
        first = prev <= after
        gap = self.day[pos] - self.day[np.maximum(prev, 0)]
        ps = self.prev_sudden[k]
        near = (ps > after) & (self.day[pos] - self.day[np.maximum(ps, 0)] <= MAX_GAP_DAYS)
        return first | (gap > MAX_GAP_DAYS) | (self.sudden[k] & ~near)
