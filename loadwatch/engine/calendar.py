"""Days as integers and ISO weeks as rows of a 7-column grid: the engine's array layout.

The daily series holds consecutive local days, so every week-wise quantity is a
row-wise operation on a ``(weeks, 7)`` grid (Monday to Sunday): the first week is
padded before its first day and the last after its last. Padding with 0 leaves
sums and running sums exactly as a sequential sum over the real days would give
them (``0 + x`` is ``x``), so week totals and "so far" sums need no Python loop
and no group-by.

Day numbers count days from 1970-01-01 (a Thursday), as ``datetime64[D]`` does.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
"""``date.toordinal()`` of day number 0."""


def day_numbers(values) -> np.ndarray:
    """Day numbers (int64, days since 1970-01-01) of datetimes at local midnight.

    >>> day_numbers(pd.to_datetime(["1970-01-02", "2026-11-22"])).tolist()
    [1, 20779]
    """
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def weekday(days: np.ndarray | int) -> np.ndarray | int:
    """ISO weekday, Monday 0 to Sunday 6, of day numbers (day 0 was a Thursday)."""
    return (np.asarray(days) + 3) % 7 if not isinstance(days, int) else (days + 3) % 7


def to_date(day: int) -> date:
    """The ``datetime.date`` of a day number.

    >>> to_date(20779)
    datetime.date(2026, 11, 22)
    """
    return date.fromordinal(EPOCH_ORDINAL + int(day))


def to_number(day: date) -> int:
    """The day number of a ``datetime.date``."""
    return day.toordinal() - EPOCH_ORDINAL


def to_index(first: int, n: int, name: str | None = "date") -> pd.DatetimeIndex:
    """``n`` consecutive days from day number ``first`` as a daily ``DatetimeIndex``."""
    return pd.date_range(pd.Timestamp(first, unit="D"), periods=n, freq="D", name=name)


def as_datetime64(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime64[ns]`` (NaT where negative-sentinel ``NAT`` is given)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


class WeekGrid:
    """The ISO weeks spanned by ``n`` consecutive days from day number ``first``.

    Attributes
    ----------
    lead : int
        Padding days before the first day (its weekday, Monday 0).
    weeks : int
        Rows of the grid.
    mondays : numpy.ndarray
        Day number of each week's Monday.
    days_in : numpy.ndarray
        Days of each week inside the series (1-7).
    last_pos : numpy.ndarray
        Position in the series of each week's last day.

    Examples
    --------
    >>> g = WeekGrid(to_number(date(2026, 11, 4)), 12)  # Wed 4 to Sun 15 Nov
    >>> g.lead, g.weeks, g.days_in.tolist()
    (2, 2, [5, 7])
    >>> g.grid(np.arange(1.0, 13.0)).sum(axis=1).tolist()
    [15.0, 63.0]
    """

    def __init__(self, first: int, n: int):
        self.first, self.n = int(first), int(n)
        self.lead = int(weekday(self.first))
        self.weeks = -(-(self.lead + self.n) // 7) if n else 0
        self.mondays = self.first - self.lead + 7 * np.arange(self.weeks, dtype=np.int64)
        slot = np.arange(self.weeks * 7) - self.lead
        self.valid = ((slot >= 0) & (slot < self.n)).reshape(self.weeks, 7)
        self.days_in = self.valid.sum(axis=1)
        self.last_pos = np.minimum(7 * np.arange(1, self.weeks + 1) - self.lead, self.n) - 1
        self.week_of_day = (np.arange(self.n) + self.lead) // 7

    def grid(self, values: np.ndarray, fill=0) -> np.ndarray:
        """``values`` (one per day) laid out as a ``(weeks, 7)`` grid, padded with ``fill``."""
        values = np.asarray(values)
        out = np.full(self.weeks * 7, fill, dtype=np.result_type(values.dtype, np.asarray(fill)))
        out[self.lead:self.lead + self.n] = values
        return out.reshape(self.weeks, 7)

    def sums(self, columns: dict[str, np.ndarray], fill=0, how: str = "sum"
             ) -> dict[str, np.ndarray]:
        """Each column's ``grid(values, fill).sum(axis=1)`` (``how="max"``: ``.max``), for
        many columns at once: the columns of one dtype laid out as one ``(columns, weeks,
        7)`` grid and reduced along its last, contiguous axis, which adds each week's days
        in the same order as a grid per column (the same floats), in a few numpy calls
        instead of a few per column (each costs more than its arithmetic on ~100 weeks)."""
        groups: dict = {}
        fill_type = np.asarray(fill)
        for name, values in columns.items():
            values = np.asarray(values)
            dtype = np.result_type(values.dtype, fill_type)
            groups.setdefault(dtype, []).append((name, values))
        out = {}
        for dtype, items in groups.items():
            grid = np.full((len(items), self.weeks * 7), fill, dtype=dtype)
            for i, (_, values) in enumerate(items):
                grid[i, self.lead:self.lead + self.n] = values
            grid = grid.reshape(len(items), self.weeks, 7)
            reduced = grid.sum(axis=2) if how == "sum" else grid.max(axis=2)
            out.update({name: reduced[i] for i, (name, _) in enumerate(items)})
        return out

    def per_day(self, grid: np.ndarray) -> np.ndarray:
        """A grid back to one value per day of the series."""
        return grid.reshape(-1)[self.lead:self.lead + self.n]

    def last_valid(self, values: np.ndarray) -> np.ndarray:
        """Per week, the last non-NaN value of ``values`` (one per day), NaN if none;
        what ``groupby(...).last()`` gives."""
        values = np.asarray(values, float)
        pos = np.where(np.isnan(values), -1, np.arange(self.n))
        last = self.grid(pos, -1).max(axis=1)
        return np.where(last >= 0, values[np.maximum(last, 0)], np.nan)


def iso_week_labels(mondays: np.ndarray) -> list[str]:
    """``YYYY-Www`` ISO week labels of Mondays (day numbers).

    >>> iso_week_labels(np.array([to_number(date(2026, 12, 28)), to_number(date(2027, 1, 4))]))
    ['2026-W53', '2027-W01']
    """
    thursday = (np.asarray(mondays, np.int64) + 3).astype("datetime64[D]")
    year = thursday.astype("datetime64[Y]")
    week = (thursday - year.astype("datetime64[D]")).astype(np.int64) // 7 + 1
    years = year.astype(np.int64) + 1970
    # Words for ~100 weeks: f-strings cost a tenth of numpy's np.char functions.
    return [f"{y}-W{w:02d}" for y, w in zip(years.tolist(), week.tolist(), strict=True)]


def segments(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last positions of each run of True in ``mask``.

    >>> [x.tolist() for x in segments(np.array([False, True, True, False, True]))]
    [[1, 4], [2, 4]]
    """
    m = np.asarray(mask, dtype=np.int8)
    edges = np.diff(np.concatenate([[0], m, [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1


def run_lengths(on: np.ndarray) -> np.ndarray:
    """Consecutive True values ending at each position (0 where False).

    >>> run_lengths(np.array([True, True, False, True])).tolist()
    [1, 2, 0, 1]
    """
    on = np.asarray(on, dtype=bool)
    idx = np.arange(len(on))
    last_off = np.maximum.accumulate(np.where(on, -1, idx)) if len(on) else idx
    return np.where(on, idx - last_off, 0)
