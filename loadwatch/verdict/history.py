"""The verdict's history: the level, its drivers and the clinical status of every day.

:func:`history` gives, for every day D of a range, what ``loadwatch report --as-of D``
says (:func:`loadwatch.verdict.judge` with ``options.as_of = D``): one definition, so
that a review of how pain followed the level reads the same level the runner was
shown. :func:`reference` is that definition run literally, one verdict a day; the
tests hold :func:`history` to it on random days.

The table (:data:`COLUMNS`), one row per day, by date:

==========  ===============  ==================================================
column      dtype            meaning
==========  ===============  ==================================================
date        datetime64[ns]   the day D (midnight, no zone: the athlete's day)
level       object (str)     ``high``, ``raised``, ``usual`` or ``unknown``
                             (``Verdict.risk.level`` as of D)
drivers     object (tuple)   the driver flag codes, strongest first, as
                             ``Verdict.risk.drivers`` orders them (a tuple of
                             str; may be non-empty on an ``unknown`` day: what
                             the evidence said before the data stopped it)
clinical    object (str)     ``check_now``, ``assess_soon`` or ``none``
                             (``Verdict.clinical.status`` as of D)
==========  ===============  ==================================================
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch import pain
from loadwatch import verdict as verdict_mod
from loadwatch.engine import calendar
from loadwatch.verdict import VerdictOptions, history_clinical, history_level, judge
from loadwatch.verdict.risk import DRIVER_ORDER, MIN_DATA_DAYS, STALE_DAYS

COLUMNS = ("date", "level", "drivers", "clinical")
"""The columns of :func:`history`'s table (see the module)."""
LEVEL_COLUMNS = COLUMNS[:3]
"""The columns of :func:`levels`'s table: :data:`COLUMNS` without ``clinical``."""


def empty() -> pd.DataFrame:
    """A history table without days."""
    return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                         "level": pd.Series(dtype=object), "drivers": pd.Series(dtype=object),
                         "clinical": pd.Series(dtype=object)})


def first_day(timeline: pd.DataFrame) -> date | None:
    """The first local day of the data (None without activities)."""
    if timeline.empty:
        return None
    return pd.Timestamp(timeline["local_date"].min()).date()


def _range(timeline: pd.DataFrame, options: VerdictOptions, start: date | None,
           end: date | None) -> tuple[date, date] | None:
    end = end or options.as_of
    start = start or first_day(timeline)
    if start is None or start > end:
        return None
    return start, end


def reference(timeline: pd.DataFrame, athlete: str, options: VerdictOptions,
              diary: pain.Diary | None = None, *, start: date | None = None,
              end: date | None = None) -> pd.DataFrame:
    """The history by definition: :func:`loadwatch.verdict.judge` once for each day.

    Slow (one whole verdict a day); the yardstick :func:`history` is tested against.
    Arguments as :func:`history`.
    """
    span = _range(timeline, options, start, end)
    if span is None:
        return empty()
    rows = []
    day = span[0]
    while day <= span[1]:
        v = judge(timeline, athlete, dataclasses.replace(options, as_of=day), diary)
        rows.append((pd.Timestamp(day), v.risk.level, tuple(f.code for f in v.risk.drivers),
                     v.clinical.status))
        day += timedelta(days=1)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["date"] = out["date"].astype("datetime64[ns]")
    return out


def history(timeline: pd.DataFrame, athlete: str, options: VerdictOptions,
            diary: pain.Diary | None = None, *, start: date | None = None,
            end: date | None = None, analysis=None) -> pd.DataFrame:
    """The level, its drivers and the clinical status of every day from ``start`` to ``end``.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``, deduplicated (as :func:`loadwatch.verdict.judge`).
    athlete : str
    options : VerdictOptions
        As for :func:`~loadwatch.verdict.judge`; ``as_of`` is the default ``end``.
    diary : loadwatch.pain.Diary, optional
    start : datetime.date, optional
        The first day (default: the first day of the data).
    end : datetime.date, optional
        The last day (default: ``options.as_of``).
    analysis : loadwatch.engine.LoadAnalysis, optional
        The verdict's analysis as of ``end`` when the caller has it (a :class:`Verdict`'s,
        as of ``end``): not made again.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per day from ``start`` to ``end`` (none when the
        timeline is empty or ``start`` is after ``end``); each row equals what
        ``judge`` says with ``as_of`` that day.
    """
    return _table(timeline, athlete, options, diary, start, end, analysis, with_clinical=True)


def _table(timeline, athlete, options, diary, start, end, analysis, *, with_clinical: bool):
    span = _range(timeline, options, start, end)
    if span is None:
        return empty() if with_clinical else empty()[list(LEVEL_COLUMNS)]
    first, last = span
    at_end = dataclasses.replace(options, as_of=last)
    _, kept, quarantine, clean = verdict_mod.split(timeline, at_end)
    days = np.arange(calendar.to_number(first), calendar.to_number(last) + 1, dtype=np.int64)
    t = options.thresholds
    hurting = history_clinical.pain_levels(diary, days)
    if analysis is None or analysis.as_of != last:
        analysis = verdict_mod.analyse(clean, at_end)
    level, counts = history_level.evidence_days(analysis, t, days, hurting)

    unknown = np.zeros(len(days), dtype=bool)
    # No activity on or before the day, fewer than MIN_DATA_DAYS days of data, or none in
    # the STALE_DAYS before it (risk.assess).
    active = np.unique(calendar.day_numbers(clean["local_date"]))
    at = np.searchsorted(active, days, side="right") - 1
    none_yet = at < 0
    last_activity = active[np.maximum(at, 0)] if len(active) else np.zeros(len(days), np.int64)
    unknown |= none_yet
    if len(active):
        unknown |= (days - active[0] + 1) < MIN_DATA_DAYS
    unknown |= ~none_yet & ((days - last_activity) > STALE_DAYS)
    if len(quarantine):
        # Data to check: from the first quarantined activity's day on, the level the data
        # would give with them; a different one makes the day unknown. Plausibility reads
        # only earlier runs, so the activities quarantined as of the last day are those of
        # every day before it.
        held = calendar.day_numbers(quarantine["date"])
        waiting = days >= held.min()
        if waiting.any():
            other, _ = history_level.evidence_days(verdict_mod.analyse(kept, at_end), t, days,
                                                   hurting)
            unknown |= waiting & (other != level)

    words = np.asarray(history_level.LEVEL_CODES, dtype=object)[level]
    words[unknown] = "unknown"
    codes = np.asarray(DRIVER_ORDER, dtype=object)
    # A few distinct combinations over thousands of days: each made into its tuple once.
    combos, which = np.unique(counts, axis=0, return_inverse=True)
    made = [tuple(np.repeat(codes, row).tolist()) for row in combos.tolist()]
    drivers = [made[k] for k in np.asarray(which).reshape(-1).tolist()]
    out = pd.DataFrame({"date": calendar.as_datetime64(days).astype("datetime64[ns]"),
                        "level": words, "drivers": drivers}, columns=list(LEVEL_COLUMNS))
    if with_clinical:
        out["clinical"] = history_clinical.statuses(diary, days, t)
    return out


def levels(timeline: pd.DataFrame, athlete: str, options: VerdictOptions,
           diary: pain.Diary | None = None, *, start: date | None = None,
           end: date | None = None, analysis=None) -> pd.DataFrame:
    """:func:`history` without the clinical status: :data:`LEVEL_COLUMNS` (``date``,
    ``level``, ``drivers``). The diary still counts (pain of 3/10 or more makes a spike
    high); the clinical status is evaluated on the days after each diary entry
    (:mod:`.history_clinical`)."""
    return _table(timeline, athlete, options, diary, start, end, analysis, with_clinical=False)
