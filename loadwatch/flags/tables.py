"""The per-analysis tables every rule reads, built once by :func:`loadwatch.flags.evaluate`.

:class:`FlagTables` holds the daily and weekly series of a
:class:`loadwatch.engine.LoadAnalysis` as arrays and the returns and dips of its weekly
columns (:mod:`loadwatch.flags.returns`), so that no rule reads a frame or finds a comeback
twice, and nothing is kept inside the analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from loadwatch.engine import calendar
from loadwatch.flags import returns

_to_date = lru_cache(maxsize=1 << 14)(calendar.to_date)
"""A pure function the rules call for the same few days hundreds of times per athlete."""

RETURN_COLUMNS = ("run_distance_m", "run_duration_s", "elevation_gain_m")
"""The weekly columns whose returns and dips spare the weekly rules (:mod:`.returns`)."""


@dataclass(frozen=True)
class Days:
    """The daily series of an analysis as arrays.

    Attributes
    ----------
    n : int
        Days in the series.
    first : int
        Day number of the first day (:func:`loadwatch.engine.calendar.to_number`).
    col : Mapping of str to numpy.ndarray
        Each daily column (:attr:`loadwatch.engine.LoadAnalysis.days_arrays`).
    grid : loadwatch.engine.calendar.WeekGrid
        The ISO weeks the days span.
    weekday : numpy.ndarray
        Weekday of each day (Monday 0).
    """

    n: int
    first: int
    col: Mapping[str, np.ndarray]
    grid: calendar.WeekGrid
    weekday: np.ndarray

    @classmethod
    def of(cls, analysis) -> Days:
        n, first = analysis.n_days, analysis.days_start
        return cls(n, first, analysis.days_arrays, calendar.WeekGrid(first, n),
                   calendar.weekday(first + np.arange(n)))

    def date(self, pos: int) -> date:
        """The local day at position ``pos`` of the series."""
        return _to_date(self.first + int(pos))


@dataclass(frozen=True)
class Weeks:
    """The weekly table of an analysis as arrays, with each week's first and last day.

    Attributes
    ----------
    col : Mapping of str to numpy.ndarray
        Each weekly column (:attr:`loadwatch.engine.LoadAnalysis.weeks_arrays`); also
        read as ``weeks[name]``.
    start, end : numpy.ndarray
        Day numbers of each week's first and last day in the series.
    """

    col: Mapping[str, np.ndarray]
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, analysis) -> Weeks:
        col = analysis.weeks_arrays
        return cls(col, calendar.day_numbers(col["start"]), calendar.day_numbers(col["end"]))

    @property
    def n(self) -> int:
        """Weekly rows."""
        return len(self.col["week"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.col[name]


@dataclass(frozen=True)
class FlagTables:
    """What every rule reads, computed once per analysis and thresholds.

    Attributes
    ----------
    days : Days
    weeks : Weeks
    comebacks : Mapping of str to tuple of loadwatch.flags.returns.Comeback
        The short dips and breaks of each of :data:`RETURN_COLUMNS`.
    """

    days: Days
    weeks: Weeks
    comebacks: Mapping[str, tuple[returns.Comeback, ...]]
    # What several rules read of one column (the run distance's week so far and allowance:
    # the distance jumps and the load ratio), made once when first asked for.
    _made: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def week_to_date(self, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`week_to_date_arrays` of the daily ``column``."""
        key = ("week_to_date", column)
        if key not in self._made:
            self._made[key] = week_to_date_arrays(self.days.grid, self.days.col[column])
        return self._made[key]

    def spare(self, column: str, t, so_far: np.ndarray, level: np.ndarray) -> np.ndarray:
        """:func:`loadwatch.flags.returns.spare` with the comebacks of ``column``."""
        key = ("allowance", column)
        if key not in self._made:
            self._made[key] = returns.allowance(self.comebacks[column],
                                                self.weeks.n)[self.days.grid.week_of_day]
        return returns.spare_within(self._made[key], t, so_far, level)

    @classmethod
    def of(cls, analysis, t, columns: tuple[str, ...] = RETURN_COLUMNS) -> FlagTables:
        """The tables of ``analysis`` under the thresholds ``t``, with the comebacks of
        ``columns`` (those the rules to run read)."""
        return cls(Days.of(analysis), Weeks.of(analysis),
                   returns.comebacks_of(analysis, columns, t))



def week_to_date(daily: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per day: the week's total so far, the same weekdays of last week, and last week's total.

    Parameters
    ----------
    daily : pandas.DataFrame
        The daily series (consecutive days).
    column : str
        A daily sum column.

    Returns
    -------
    pandas.DataFrame
        Index of ``daily``; ``so_far`` (Monday to the day), ``same_days`` (Monday
        to the same weekday of the week before), ``last_week`` (the whole week
        before). The last two are NaN when the week before is not all in the data.

    Examples
    --------
    >>> days = pd.date_range("2026-11-02", periods=10, freq="D")
    >>> w = week_to_date(pd.DataFrame({"x": [1.0] * 10}, index=days), "x")
    >>> w.iloc[-1].tolist()
    [3.0, 3.0, 7.0]
    """
    first = int(calendar.day_numbers(daily.index[:1])[0]) if len(daily) else 0
    grid = calendar.WeekGrid(first, len(daily))
    so_far, same_days, last_week = week_to_date_arrays(grid, daily[column].to_numpy(float))
    return pd.DataFrame({"so_far": so_far, "same_days": same_days, "last_week": last_week},
                        index=daily.index)


def week_to_date_arrays(grid: calendar.WeekGrid, values: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`week_to_date` on the arrays of a week grid."""
    running = np.cumsum(grid.grid(values.astype(float)), axis=1)
    week = grid.week_of_day
    # The week before is all in the data when its Monday is (not the first, padded week).
    prev_ok = (week >= 2) | ((week == 1) & (grid.lead == 0))
    slot = np.arange(grid.n) + grid.lead
    same_days = np.where(prev_ok, running.reshape(-1)[np.maximum(slot - 7, 0)], np.nan)
    last_week = np.where(prev_ok, running[np.maximum(week - 1, 0), 6], np.nan)
    return grid.per_day(running), same_days, last_week


def rolling_count(flag: np.ndarray, n: int) -> np.ndarray:
    """True values among each day and the ``n - 1`` before it (NaN for the first ``n - 1``)."""
    total = np.concatenate([[0], np.cumsum(flag.astype(np.int64))])
    out = np.full(len(flag), np.nan)
    if len(flag) >= n:
        out[n - 1:] = total[n:] - total[:-n]
    return out
