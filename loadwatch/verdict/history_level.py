"""The evidence level of every day at once: :func:`loadwatch.verdict.risk.evidence_level`
with ``as_of`` each day, read from one analysis over the whole history.

Why one analysis serves every day: the engine's series are causal (a day's figures
read only that day and the days before it), a spike is one run measured against the
30 days before it, and a weekly-distance jump on day D is the week so far against the
same days of last week. So the analysis up to the last day, cut at D, is the analysis
as of D. What :func:`~loadwatch.verdict.risk.evidence_level` asks of the flags as of D
then reads, per day:

- spikes (``long_run_spike``, ``duration_spike``) and ``return_spike``: those that
  started in the :data:`~loadwatch.verdict.risk.SPIKE_WINDOW_DAYS` days up to D, with
  their own severity (a spike's flag never changes after its day);
- ``weekly_distance_jump``: the flag held on D and the one held on the last complete
  Sunday (an episode never crosses a Monday, so a flag held then ends then as of D),
  each when its severity that day is ``high``;
- ``cumulative_ramp``: the flag held on the last complete Sunday at ``high``.

One part is not causal: a week back at the usual load after a dip or a break is a
return, not a jump (:mod:`loadwatch.flags.returns`), and which dips and breaks there
are depends on where the data ends (a fourth low week turns a short dip into a new
normal; a first run back closes a break). Sparing a return only ever removes a jump or
a ramp, so the days where it can matter are those where the rule without the sparing
says ``high`` on D or on its Sunday; for those days only (a few a year) the dips and
breaks are found again from the weekly rows as they stood on D (:func:`_as_of`), the
same function on the rows as of D, and the sparing applied as on that day.
"""

from __future__ import annotations

import functools

import numpy as np

from loadwatch import flags as flags_mod
from loadwatch.engine import calendar
from loadwatch.flags import returns, weekly
from loadwatch.flags.tables import FlagTables, Weeks
from loadwatch.verdict.risk import DRIVER_ORDER, PAIN_SEVERITY, SPIKE_WINDOW_DAYS

LEVEL_CODES = ("usual", "raised", "high")
"""The evidence levels by their number in :func:`evidence_days`'s ``level`` array."""
SPIKE_CODES = frozenset({"long_run_spike", "duration_spike", "return_spike"})
"""The single-run flags (each counts for the level in the 14 days from its day)."""
_SLOT = {code: i for i, code in enumerate(DRIVER_ORDER)}
_WEEK, _RAMP = _SLOT["weekly_distance_jump"], _SLOT["cumulative_ramp"]


def evidence_days(analysis, t: flags_mod.Thresholds, days: np.ndarray, pain: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The evidence level and the drivers of each day.

    Parameters
    ----------
    analysis : loadwatch.engine.LoadAnalysis
        Of the activities the level is judged on, as of the last of ``days`` or later.
    t : loadwatch.flags.Thresholds
    days : numpy.ndarray of int
        Consecutive day numbers (:func:`loadwatch.engine.calendar.to_number`).
    pain : numpy.ndarray of float
        Per day, the pain going on (:func:`loadwatch.pain.pain_now`; NaN: none recorded).

    Returns
    -------
    (level, drivers) : numpy.ndarray
        ``level``: per day 0 usual, 1 raised, 2 high (:data:`LEVEL_CODES`); ``drivers``:
        per day and code of :data:`~loadwatch.verdict.risk.DRIVER_ORDER` (columns), how many
        flags of that code drive the level.
    """
    n = len(days)
    level = np.zeros(n, dtype=np.int8)
    drivers = np.zeros((n, len(DRIVER_ORDER)), dtype=np.int64)
    if analysis.first_day is None or not n:
        return level, drivers
    tables = FlagTables.of(analysis, t, ("run_distance_m",))
    a_days = tables.days
    pos = days - a_days.first  # position in the analysis; < 0 before its first day
    inside = pos >= 0
    weekday = calendar.weekday(days)
    sunday = days - (weekday + 1) % 7  # the last complete Sunday (the day itself on a Sunday)
    sun_pos = sunday - a_days.first
    week_flag, sunday_flag, ramp = _weeks(analysis, tables, t, days, pos, weekday, sun_pos)

    spikes = flags_mod.evaluate(analysis, t, codes=SPIKE_CODES, tables=tables)
    if spikes:
        start = np.array([calendar.to_number(f.start) for f in spikes], dtype=np.int64)
        slot = np.array([_SLOT[f.code] for f in spikes], dtype=np.int64)
        strong = np.array([f.code != "return_spike" and f.severity == "high" for f in spikes])
        # Each spike counts on the 14 days from its day: one (spike, day) pair each.
        f_idx = np.repeat(np.arange(len(spikes)), SPIKE_WINDOW_DAYS)
        d_idx = (start[f_idx] + np.tile(np.arange(SPIKE_WINDOW_DAYS), len(spikes))) - days[0]
        keep = (d_idx >= 0) & (d_idx < n)
        f_idx, d_idx = f_idx[keep], d_idx[keep]
        s, d = start[f_idx], d_idx
        monday = days[d] - weekday[d]
        in_week = week_flag[d] & (s >= monday)
        in_sunday_week = sunday_flag[d] & (s >= sunday[d] - 6) & (s <= sunday[d])
        with np.errstate(invalid="ignore"):
            hurting = pain[d] >= PAIN_SEVERITY
        high = strong[f_idx] | hurting | in_week | in_sunday_week
        cells = n * len(DRIVER_ORDER)
        flat = d * len(DRIVER_ORDER) + slot[f_idx]
        all_counts = np.bincount(flat, minlength=cells).reshape(n, -1)
        high_counts = np.bincount(flat[high], minlength=cells).reshape(n, -1)
        # A week up more than 30% with a spike in it is high, and drives it.
        week_high = np.bincount(d[in_week], minlength=n) > 0
        sunday_high = np.bincount(d[in_sunday_week], minlength=n) > 0
    else:
        all_counts = high_counts = np.zeros((n, len(DRIVER_ORDER)), dtype=np.int64)
        week_high = sunday_high = np.zeros(n, dtype=bool)

    is_high = high_counts.sum(axis=1) > 0
    raised_counts = all_counts.copy()
    raised_counts[:, _WEEK] += week_flag.astype(int) + sunday_flag.astype(int)
    raised_counts[:, _RAMP] += ramp.astype(int)
    high_counts = high_counts.copy()
    high_counts[:, _WEEK] += week_high.astype(int) + sunday_high.astype(int)
    is_raised = ~is_high & (raised_counts.sum(axis=1) > 0)
    level[is_raised] = 1
    level[is_high] = 2
    drivers[is_high] = high_counts[is_high]
    drivers[is_raised] = raised_counts[is_raised]
    level[~inside] = 0
    drivers[~inside] = 0
    return level, drivers


def _weeks(analysis, tables: FlagTables, t, days, pos, weekday, sun_pos):
    """Per day: the weekly-distance-jump flag held that day at ``high``, the one held on the
    last complete Sunday at ``high`` (not the same flag: never on a Sunday), and a ramp
    at ``high`` on that Sunday, each as the analysis cut at that day says."""
    n = len(days)
    week_flag, sunday_flag, ramp = (np.zeros(n, dtype=bool) for _ in range(3))
    a_days = tables.days
    w_info, raw = weekly.distance_jump_levels(a_days, t)
    so_far = w_info["so_far"]
    week_of_day = a_days.grid.week_of_day
    inside = pos >= 0
    p = np.where(inside, pos, 0)
    sp = np.where(sun_pos >= 0, sun_pos, 0)
    has_sunday = (sun_pos >= 0) & (weekday != 6)
    maybe = inside & ((raw[p] == 2) | (has_sunday & (raw[sp] == 2)))
    # A ramp without the returns spared: the most a ramp can be (sparing only removes).
    w = tables.weeks
    rows = np.flatnonzero(w["complete"].astype(bool))
    ramp_rows = np.zeros(w.n, dtype=bool)
    if len(rows) >= 2:
        rank = weekly.ramp_ranks(w, rows, (), t)[0]
        ramp_rows[rows[rank == 2]] = True
    maybe |= inside & (sun_pos >= 0) & ramp_rows[week_of_day[sp]]
    # A run after BREAK_DAYS or more without running closes a break: the dips and breaks
    # as of a day change within a week only there (and on its Sunday, the week complete).
    run_pos = np.flatnonzero(np.asarray(analysis.days_arrays["run_day"], bool))
    gap = np.diff(run_pos) - 1
    closing = run_pos[1:][gap >= returns.BREAK_DAYS]
    cache: dict = {}
    # The dips of the whole history, scanned once: each day's cut scans on from the last
    # one that ended before its week (returns.comebacks_cut).
    whole = returns.scan(analysis, "run_distance_m", t) if maybe.any() else None
    for i in np.flatnonzero(maybe).tolist():
        d, at_p = int(days[i]), int(pos[i])
        allow, ranks = _as_of(analysis, tables, t, at_p, d,
                              int(np.searchsorted(closing, at_p, side="right")), cache, whole)
        at = [at_p] + ([int(sun_pos[i])] if has_sunday[i] else [])
        spared = returns.spare_within(allow[week_of_day[at]], t, so_far[at], raw[at])
        week_flag[i] = spared[0] == 2
        sunday_flag[i] = len(at) > 1 and spared[1] == 2
        row = int(week_of_day[sun_pos[i]]) if sun_pos[i] >= 0 else -1
        if row >= 0 and ramp_rows[row]:  # else no ramp, returns or not
            ramp[i] = ranks().get(row, -1) == 2
    return week_flag, sunday_flag, ramp


class _Cut:
    """The parts of an analysis cut at a day that :func:`loadwatch.flags.returns.comebacks`
    reads: the weekly rows, the run days, the first day and the length of the daily series."""

    def __init__(self, weeks_arrays, run_day, days_start: int):
        self.weeks_arrays = weeks_arrays
        self.days_arrays = {"run_day": run_day}
        self.days_start, self.n_days = days_start, len(run_day)


def _week_at(tables: FlagTables, p: int, day: int) -> tuple[int, int]:
    """The weekly row of position ``p`` (day number ``day``) and its days of data up to it."""
    row = int(tables.days.grid.week_of_day[p])
    return row, day - max(int(tables.weeks.start[row]), tables.days.first) + 1


def cut(analysis, tables: FlagTables, p: int, day: int) -> tuple[_Cut, Weeks]:
    """The analysis cut at position ``p`` (day number ``day``), as far as the returns and
    the ramp read it: the weekly rows up to that day's, the last one with the days, the
    completeness and the end it had on that day, and the run days up to it; and those
    rows as :class:`~loadwatch.flags.tables.Weeks`."""
    row, days_in = _week_at(tables, p, day)
    col = {k: np.asarray(v)[:row + 1] for k, v in analysis.weeks_arrays.items()}
    col["days"] = col["days"].copy()
    col["days"][row] = days_in
    col["complete"] = col["complete"].copy()
    col["complete"][row] = days_in == 7
    col["end"] = col["end"].copy()
    col["end"][row] = np.datetime64(calendar.to_date(day), "ns")
    view = Weeks(col, tables.weeks.start[:row + 1], calendar.day_numbers(col["end"]))
    run_day = np.asarray(analysis.days_arrays["run_day"], bool)[:p + 1]
    return _Cut(col, run_day, analysis.days_start), view


def _as_of(analysis, tables: FlagTables, t, p: int, day: int, breaks: int, cache: dict,
           whole: returns.Scan):
    """The allowance of each weekly row (:func:`loadwatch.flags.returns.allowance` of the run
    distance's dips and breaks) and the ramp rank of each complete row (by row) as the
    analysis cut at position
    ``p`` (day number ``day``) has them: the weeks up to that day's, the last one complete
    only on a Sunday after 7 days of data, and the breaks closed by then (``breaks`` of
    them). They depend on nothing else (the week in progress is read only once complete,
    the run days only through the breaks they close): cached on these."""
    row, days_in = _week_at(tables, p, day)
    key = (row, days_in == 7, breaks)
    if key in cache:
        return cache[key]
    at, view = cut(analysis, tables, p, day)
    col = at.weeks_arrays
    found = returns.comebacks_cut(at, "run_distance_m", t, whole)

    @functools.cache
    def ranks() -> dict[int, int]:
        rows = np.flatnonzero(col["complete"].astype(bool))
        if len(rows) < 2:
            return {}
        return dict(zip(rows.tolist(), weekly.ramp_ranks(view, rows, found, t)[0].tolist(),
                        strict=True))

    cache[key] = out = (returns.allowance(found, view.n), ranks)
    return out
