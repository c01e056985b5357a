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

import pandas as pd

from loadwatch import pain
from loadwatch.verdict import VerdictOptions, judge

COLUMNS = ("date", "level", "drivers", "clinical")
"""The columns of :func:`history`'s table (see the module)."""


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
    return pd.DataFrame(rows, columns=list(COLUMNS))


def history(timeline: pd.DataFrame, athlete: str, options: VerdictOptions,
            diary: pain.Diary | None = None, *, start: date | None = None,
            end: date | None = None) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per day from ``start`` to ``end`` (none when the
        timeline is empty or ``start`` is after ``end``); each row equals what
        ``judge`` says with ``as_of`` that day.
    """
    return reference(timeline, athlete, options, diary, start=start, end=end)
