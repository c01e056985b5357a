"""Returns and dips: a week back to a runner's usual load is a return, not a jump.

The weekly jumps linked to injury were rises over a runner's established load:
Nielsen et al. 2014 (> 30% in a week) and Damsted et al. 2019 (> 20% a week)
followed runners building up, not runners coming back. Week-over-week change
compares the way back with the dip instead: 40 km after a 20 km week spent ill
reads "+100%" although the runner only came back to what the body carried a
fortnight before, and a 4-week mean that holds the dip caps next week below the
usual week. So these are loadwatch's product rules (not the studies'):

- **Usual load**: the mean of the (up to) ``usual_weeks`` (4) complete weeks
  before a dip or a break; the lowest and highest of them are the usual range.
- **Short dip**: 1 to ``dip_max_weeks`` (3) consecutive complete weeks each
  below ``dip_ratio`` (0.8) x the usual load (a few days ill, a planned down or
  recovery week, a taper). Longer low stretches without a break are a new
  normal: the usual load before them no longer holds and the weeks after the one
  that made the stretch long are compared as before (the weeks judged while it
  was still a short dip keep that judgement: a later week never changes how an
  earlier one was judged).
- **Break**: :data:`BREAK_DAYS` (14) days or more without running (an injury, an
  illness, a holiday); the usual load is that of the complete weeks ended by the
  last run before it. The body has lost part of its adaptation and a previous
  injury is itself a risk factor, so the way back is judged by the return rule
  of :mod:`loadwatch.verdict.next_week` (half the usual load in the first week
  back, 10 points more each week), stated as such.
- **Return weeks**: from the second week of a short dip, or from the week of the
  first run after a break, each week at or below the top of the usual range, for
  at most ``return_weeks`` (6) weeks after the dip or the first run back, until
  the first week that reaches the usual load. A return week is neither a weekly
  jump nor part of a ramp; a week above the usual range is compared as before.
  The single-run spike rules (Frandsen et al. 2025) are untouched: every run of a
  return week is still measured against the longest of the 30 days before it.

The same rules apply to weekly running time and climbing, each against its own
usual. Everything here works on the weekly rows (about 52 a year) and loops only
over the few dips and breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from loadwatch.engine import calendar
from loadwatch.flags.thresholds import Thresholds
from loadwatch.words import ceiling_words, day_words, distance_words

BREAK_DAYS = 14
"""Days without running that make a break (the return rule of next week's plan). [days]"""
OFF_WORDS_DAYS = 7
"""A dip with this many days in a row without running is told as "after N days off",
otherwise as "after a lighter week" (wording only). [days]"""
SLACK = 1e-9
"""Relative slack of the "at or below the usual" comparisons (float sums of metres). [-]"""


def _slack(t: Thresholds) -> float:
    """The "at or below the top of the usual range" slack: the band tolerance
    (``t.band_tolerance_pct``, GPS noise of a few metres never turns a return into a jump),
    at least :data:`SLACK`. [-]"""
    return max(SLACK, t.band_tolerance_pct / 100.0)


@dataclass(frozen=True)
class Comeback:
    """One dip or break and the way back from it, in weekly rows of the analysis.

    Attributes
    ----------
    kind : str
        ``dip`` (a short dip) or ``break`` (:data:`BREAK_DAYS` or more without running).
    usual, usual_low, usual_high : float
        Mean, lowest and highest of the usual weeks before it, in the column's unit.
    usual_weeks : int
        How many complete weeks the usual load is the mean of.
    first_low, last_low : int
        Weekly rows of the first and last week below the dip line (a dip), or of
        the weeks between the last run before a break and the first run after it.
    candidates : tuple of int
        The weeks on the way back, each measured against the top of the usual
        range (the last may have gone over it or be the week in progress).
    returns : tuple of int
        The complete weeks among them at or below the top of the usual range.
    """

    kind: str
    usual: float
    usual_low: float
    usual_high: float
    usual_weeks: int
    first_low: int
    last_low: int
    candidates: tuple[int, ...]
    returns: tuple[int, ...]


def comebacks(analysis, column: str, t: Thresholds) -> tuple[Comeback, ...]:
    """Every short dip and break in the weekly ``column`` (``run_distance_m``,
    ``run_duration_s`` or ``elevation_gain_m``) of ``analysis``, by first week.

    The flag rules find them once per analysis (:class:`loadwatch.flags.tables.FlagTables`)
    and pass them to :func:`spare` and :func:`return_rows`."""
    return tuple(_find(analysis, column, t))


def comebacks_of(analysis, columns: tuple[str, ...], t: Thresholds
                 ) -> dict[str, tuple[Comeback, ...]]:
    """:func:`comebacks` of each of ``columns``, the weeks' days and the breaks in running
    (the same for every column) found once for all."""
    breaks = _breaks(analysis)
    return {c: tuple(_find(analysis, c, t, breaks)) for c in columns}


def _breaks(analysis) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each weekly row's last day and Monday, and the first day and length of each stretch
    without running (day numbers, days)."""
    return (*_week_days(analysis), *_gaps(_run_days(analysis)))


def allowance(found: tuple[Comeback, ...], weeks: int) -> np.ndarray:
    """Per weekly row (``weeks`` of them): the top of the usual range for a week on the way
    back from one of the dips or breaks ``found`` (a week so far at or below it is a return,
    not a jump), NaN elsewhere."""
    out = np.full(weeks, np.nan)
    for c in found:
        rows = np.asarray(c.candidates, dtype=int)
        out[rows] = np.fmax(out[rows], c.usual_high)
    return out


def spare(found: tuple[Comeback, ...], weeks: int, t: Thresholds, week_of_day: np.ndarray,
          so_far: np.ndarray, level: np.ndarray) -> np.ndarray:
    """A weekly rule's per-day severity ``level`` (-1 none) without the days whose week so
    far (``so_far``, one per day; ``week_of_day``, its weekly row) is a return to the usual
    load after one of the dips or breaks ``found`` of its column (``weeks``: weekly rows):
    a return is not a jump."""
    return spare_within(allowance(found, weeks)[week_of_day], t, so_far, level)


def spare_within(allow: np.ndarray, t: Thresholds, so_far: np.ndarray, level: np.ndarray
                 ) -> np.ndarray:
    """:func:`spare` with each day's :func:`allowance` (``allow``, NaN: none) given."""
    with np.errstate(invalid="ignore"):
        back = so_far <= allow * (1 + _slack(t))
    return np.where(back, -1, level)


def return_rows(found: tuple[Comeback, ...], weeks: int) -> np.ndarray:
    """Per weekly row (``weeks`` of them): True for a complete week that is a return from
    one of the dips or breaks ``found`` (see the module)."""
    out = np.zeros(weeks, dtype=bool)
    for c in found:
        out[list(c.returns)] = True
    return out


@dataclass(frozen=True)
class Scan:
    """The short-dip scan of one weekly column over a whole history, for its cuts
    (:func:`comebacks_cut`): the usual load of each row (:func:`_usual_before`) and each
    stretch of low weeks as the scan found it.

    Attributes
    ----------
    usual : tuple of numpy.ndarray
        Per row: mean, lowest, highest and number of the usual weeks before it.
    stretches : tuple of (int, int, int, int, Comeback or None)
        Per stretch, in order: its first and last low rows ``s`` and ``e``, the rows
        ``last`` and ``end`` its dip was cut to (the last low week told, the end of the way
        back), and its dip (None: no week on the way back).
    """

    usual: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    stretches: tuple[tuple[int, int, int, int, Comeback | None], ...]


def scan(analysis, column: str, t: Thresholds) -> Scan:
    """The :class:`Scan` of ``column`` over the whole of ``analysis``."""
    w = analysis.weeks_arrays
    usual = _usual_before(np.asarray(w[column], float), np.asarray(w["complete"], bool),
                          t.usual_weeks)
    stretches: list = []
    _find(analysis, column, t, usual=usual, record=stretches)
    return Scan(usual, tuple(stretches))


def comebacks_cut(cut, column: str, t: Thresholds, whole: Scan) -> tuple[Comeback, ...]:
    """:func:`comebacks` of ``cut``: the analysis ``whole`` was scanned from, cut at a day
    (its weekly rows up to that day's, the last one's days, completeness and end as on that
    day, the run days up to it; the ``_Cut`` of :mod:`loadwatch.verdict.history_level`).

    The same comebacks as :func:`comebacks` of ``cut`` (tests/flags/test_returns_cut.py
    checks every day of generated runners), found without scanning the whole history
    again. Row ``R``, the cut's last, is the only row the cut changes, so:

    - the usual load of the rows up to ``R`` reads only the rows before each: the whole
      history's, sliced;
    - a stretch of low weeks whose scan stopped before ``R`` (the row after it, ``e + 1``,
      is before ``R``) is the same stretch in the cut, in the same place of the scan's
      order (a stretch starts only after the one before it); the breaks inside it closed
      before ``R`` too; its dip is the same when its way back ends by ``R`` (``end <= R``),
      else it is measured again on the cut's rows;
    - the scan goes on from the row after the last such stretch, as :func:`comebacks` would;
      the breaks are found again (a few; which are closed depends on the day).
    """
    return tuple(_find(cut, column, t, usual=whole.usual, settled=whole.stretches))


def _find(analysis, column: str, t: Thresholds, breaks: tuple | None = None, *,
          usual: tuple | None = None, settled: tuple = (), record: list | None = None
          ) -> list[Comeback]:
    """The comebacks of ``column`` (:func:`comebacks`). ``usual``: :func:`_usual_before` of
    the column, or of a history ``analysis`` is a cut of (its first rows are the cut's);
    ``settled``: that history's stretches (:class:`Scan`), taken as they are where they
    stopped before the cut's last row (:func:`comebacks_cut`); ``record`` receives each
    stretch scanned here."""
    w = analysis.weeks_arrays
    n = len(w["week"])
    if n == 0:
        return []
    v = np.asarray(w[column], float)
    complete = np.asarray(w["complete"], bool)
    if usual is None:
        usual = _usual_before(v, complete, t.usual_weeks)
    usual, low_w, high_w, count = (x[:n] for x in usual)
    values, full = v.tolist(), complete.tolist()
    # Python floats and ints read by position: ~60 comebacks an athlete, each reading a
    # numpy scalar costs more than the list.
    usual_at, low_at, high_at, count_at = (x.tolist() for x in (usual, low_w, high_w, count))
    slack = _slack(t)
    found = []

    def comeback(kind: str, at: int, first_low: int, last_low: int, window: range) -> Comeback:
        # ``at``: the row whose (up to) usual_weeks complete weeks before it are the usual.
        return _comeback(kind, values, full, usual_at[at], low_at[at], high_at[at],
                         count_at[at], first_low, last_low, window, slack)

    # Breaks: from the week of the first run back; the usual is that of the complete weeks
    # ended by the last run before the break.
    ends, mondays, gap_first, gap_len = breaks if breaks is not None else _breaks(analysis)
    big = gap_len >= BREAK_DAYS
    for first_off, length in zip(gap_first[big].tolist(), gap_len[big].tolist(), strict=True):
        at = int(np.searchsorted(ends, first_off - 1, side="right"))
        row_off, row_back = (int(r) - 1 for r in np.searchsorted(
            mondays, [first_off, first_off + length], side="right"))
        if at >= n or not usual[at] > 0 or row_back >= n:
            continue
        found.append(comeback("break", at, row_off, row_back - 1,
                              range(row_back, row_back + t.return_weeks)))

    # Short dips: a stretch of weeks below the dip line of the usual before it.
    with np.errstate(invalid="ignore"):
        low = complete & (v < t.dip_ratio * usual)
    # The week of each break's first run back: from then on the break is known.
    backs = [c.candidates[0] for c in found if c.candidates]
    done = 0
    # The stretches of the whole history that stopped before the cut's last row.
    for s, e, last, end, dip in settled:
        if e + 1 >= n - 1:
            break
        if dip is not None:
            found.append(dip if end <= n - 1 else comeback("dip", s, s, last,
                                                             range(s + 1, end)))
        done = e + 1
    for s in np.flatnonzero(low).tolist():
        if s < done:
            continue
        line = t.dip_ratio * usual_at[s]
        e = s
        while e + 1 < n and full[e + 1] and values[e + 1] < line:
            e += 1
        done = e + 1
        last, end = e, e + 1 + t.return_weeks
        if e - s + 1 > t.dip_max_weeks:
            # A long stretch is a new normal, but only from the week after the one that made
            # it long: the weeks judged while it was still a short dip (up to and including
            # the week in progress then) keep that judgement, so that a later week never
            # turns an earlier week into a jump after the fact.
            last, end = s + t.dip_max_weeks - 1, s + t.dip_max_weeks + 1
        inside = [back for back in backs if s + 1 <= back <= e + 1]
        if inside:
            # A break inside is told by the break from the week of its first run back (before
            # that run it was no break yet); the weeks before were judged as a dip's and stay.
            end = min(end, min(inside))
            last = min(last, end - 1)
        dip = comeback("dip", s, s, last, range(s + 1, end)) if end > s + 1 else None
        if record is not None:
            record.append((s, e, last, end, dip))
        if dip is not None:
            found.append(dip)
    return sorted(found, key=lambda c: c.first_low)


def _comeback(kind, values, full, usual, low, high, count, first_low, last_low, window,
              slack=SLACK):
    candidates, returns = [], []
    for k in window:
        if k >= len(values):
            break
        candidates.append(k)
        if not full[k] or values[k] > high * (1 + slack):
            break
        returns.append(k)
        if values[k] >= usual * (1 - SLACK):
            break
    return Comeback(kind, usual, low, high, count, int(first_low), int(last_low),
                    tuple(candidates), tuple(returns))


def _usual_before(v: np.ndarray, complete: np.ndarray, weeks: int):
    """Per row: mean, lowest, highest and number of the (up to) ``weeks`` complete rows
    before it (NaN and 0 when there is none)."""
    known = np.concatenate([np.full(weeks, np.nan), np.where(complete, v, np.nan)])
    window = np.lib.stride_tricks.sliding_window_view(known, weeks)[:len(v)]
    count = (~np.isnan(window)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, np.nansum(window, axis=1) / count, np.nan)
    return mean, np.fmin.reduce(window, axis=1), np.fmax.reduce(window, axis=1), count


def _week_days(analysis) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers of each weekly row's last day and Monday."""
    w = analysis.weeks_arrays
    return calendar.day_numbers(w["end"]), calendar.day_numbers(w["start"])


def days_off(analysis, c: Comeback) -> tuple[date | None, int]:
    """The first day and length [days] of the longest stretch without running that overlaps
    the low weeks of ``c``; (None, 0) when there is none."""
    ends, mondays = _week_days(analysis)
    gap_first, gap_len = _gaps(_run_days(analysis))
    overlap = (gap_first <= ends[c.last_low]) & (gap_first + gap_len - 1 >= mondays[c.first_low])
    if not overlap.any():
        return None, 0
    i = np.flatnonzero(overlap)[np.argmax(gap_len[overlap])]
    return calendar.to_date(int(gap_first[i])), int(gap_len[i])


def _run_days(analysis) -> np.ndarray:
    days = analysis.days_arrays
    if not analysis.n_days:
        return np.zeros(0, dtype=np.int64)
    return analysis.days_start + np.flatnonzero(np.asarray(days["run_day"], bool))


def _gaps(run_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First day and length [days] of each stretch without running between two runs."""
    if len(run_days) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    length = run_days[1:] - run_days[:-1] - 1
    keep = length > 0
    return run_days[:-1][keep] + 1, length[keep]


# -- next week --------------------------------------------------------------------------------

WHY = ("the weekly jumps linked to injury (Nielsen 2014, Damsted 2019) were rises over an "
       "established load, not returns to it")
"""Why a return is not a jump, in the messages."""


def dip_plan(analysis, t: Thresholds, units: str, last_row: int, mean4: float, step: float,
             cap: float, found: tuple[Comeback, ...] | None = None):
    """Next week's weekly ceiling after a short dip, or None when none is this recent.

    A short dip of run distance with a week among the last ``usual_weeks`` complete weeks
    up to ``last_row`` (it pulls the 4-week mean down): the ceiling starts from the
    higher of last week and the usual load, ``step`` (0.1) over it, and is capped ``cap``
    (0.2) over the higher of the 4-week mean ``mean4`` [m] and the usual load, so that
    it is never below the usual week. ``found``: the run distance's :func:`comebacks`
    when the caller has them (the flag tables found them already), else found here.

    Returns
    -------
    (float, dict, str) or None
        The ceiling [m], its basis for the JSON report and the line in words.
    """
    if found is None:
        found = comebacks(analysis, "run_distance_m", t)
    recent = [c for c in found
              if c.kind == "dip" and c.first_low <= last_row
              and c.last_low > last_row - t.usual_weeks]
    if not recent:
        return None
    c = recent[-1]
    w = analysis.weeks_arrays

    def d(metres: float) -> str:
        return distance_words(metres, units)

    last_m = float(w["run_distance_m"][last_row])
    base, over = max(last_m, c.usual), max(mean4, c.usual)
    by_step = base * (1 + step) <= over * (1 + cap)
    ceiling = min(base * (1 + step), over * (1 + cap))
    lighter = c.last_low - c.first_low + 1
    monday = day_words(calendar.to_date(int(calendar.day_numbers(
        w["start"][c.first_low:c.first_low + 1])[0])))
    off_days = days_off(analysis, c)[1]
    off = (f"{off_days} days off" if off_days >= OFF_WORDS_DAYS else
           f"a lighter week (the week of {monday})" if lighter == 1 else
           f"{lighter} lighter weeks (from the week of {monday})")
    low, high = d(c.usual_low).split()[0], d(c.usual_high)
    same = low == high.split()[0]
    usual = f"your usual {d(c.usual)}"
    if c.first_low <= last_row <= c.last_low:
        story = (f"Last week was lighter ({d(last_m)}, under {t.dip_ratio:.0%} of {usual}): "
                 "next week may come back to your usual week.")
    elif last_row in c.returns and last_m >= c.usual * (1 - SLACK):
        story = (f"Last week you were back to {usual} after {off}" if same else
                 f"Last week you were back to {d(last_m)}, within your usual {low}-{high}, "
                 f"after {off}") + ": a return, not a jump."
    elif last_row in c.returns:
        story = (f"Last week you were building back after {off}: {d(last_m)} of {usual}, "
                 "a return, not a jump.")
    else:
        story = f"Your usual week before {off} was {d(c.usual)}."
    if by_step:
        how = (f"about 10% over last week ({d(last_m)})" if last_m >= c.usual else
               f"about 10% over {usual}")
    else:
        how = (f"20% over your mean of the last {t.usual_weeks} complete weeks ({d(mean4)})"
               if mean4 >= c.usual else f"20% over {usual}")
    line = (f"Weekly distance: up to {ceiling_words(ceiling, units)}, {how}. {story} After a short dip (up to "
            f"{t.dip_max_weeks} weeks under {t.dip_ratio:.0%} of the usual) loadwatch counts from "
            f"your usual week ({d(c.usual)}, the mean of the {c.usual_weeks} complete weeks "
            f"before it{'' if same else f', {low}-{high}'}), not from the dip or a "
            f"4-week mean it pulled down: loadwatch's rule, since {WHY}.")
    basis = {"rule": "dip", "bound": "step" if by_step else "cap",
             "last_week_m": round(last_m), "usual_m": round(c.usual),
             "usual_range_m": [round(c.usual_low), round(c.usual_high)],
             "usual_weeks": c.usual_weeks, "mean_4_weeks_m": round(mean4),
             "dip_weeks": [str(x) for x in w["week"][c.first_low:c.last_low + 1]],
             "off_days": off_days, "week": str(w["week"][last_row])}
    return ceiling, basis, line
