"""Band edges with a tolerance, ceilings shown rounded down, and runs joined into sessions.

Three rules of loadwatch's own (product rules, not the studies'), so that doing what a
report says never raises the level:

- **Tolerance at band edges.** A value counts as over an edge (Frandsen's 1.1x and 2.0x,
  the return ratio, the weekly 10% and 30% jumps, the 20% ramp and the habit ramp) only
  when it is more than :data:`BAND_TOLERANCE_PCT` percent over the distance at the edge.
  A GPS watch's distance is off by 1-5% (often more under trees); 0.5% is well inside
  that, so a few metres of noise (20.7 km recorded 0.5 m over) never flip a band, while
  any real step over an edge still counts.
- **Ceilings rounded down.** A ceiling is shown rounded down to the shown precision
  (1.1 x 12.5 km = 13.75 km shows as 13.7 km, not 13.8), so running exactly the number
  shown is inside it (the words are :func:`loadwatch.words.ceiling_words`).
- **Sessions.** Runs on the same day with a stop of at most :data:`SESSION_GAP_MIN`
  minutes between the end of one and the start of the next (a long run saved as two
  files, a watch restarted at a drinks stop) are one session for the spike rules, their
  references and the ceilings. A morning and an evening run are two runs.
"""

from __future__ import annotations

import numpy as np

BAND_TOLERANCE_PCT = 0.5
"""Slack at every band edge, over the distance at the edge: loadwatch's rule, well inside
a GPS watch's distance error (1-5%). [%]"""
SESSION_GAP_MIN = 30.0
"""Same-day runs with at most this stop between them are one session: loadwatch's rule
(a drinks or toilet stop, a watch restarted mid-run), not the study's. [min]"""
OVERLAP_SLACK_S = 60.0
"""A run starting up to this long before the previous one ended still joins it (clocks and
rounded durations of two files); one starting earlier overlaps it, two recordings of partly
the same time, and is left apart so its distance is not counted twice. [s]"""
FLOAT_SLACK = 1e-9
"""Float noise at an edge: 2.99/2.3 is 1.3000000000000003. [-]"""


def over(values, edge: float, tolerance_pct: float = BAND_TOLERANCE_PCT):
    """Whether each ratio is over ``edge`` by more than ``tolerance_pct`` percent (NaN: no).

    >>> over(np.array([1.1, 1.105, 1.106, np.nan]), 1.1).tolist()
    [False, False, True, False]
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(values, float) > edge * (1 + tolerance_pct / 100) + FLOAT_SLACK


def over_pct(change_pct, pct: float, tolerance_pct: float = BAND_TOLERANCE_PCT):
    """Whether each change [%] is over ``pct`` [%] by more than ``tolerance_pct`` percent
    of the distance at the edge: ``100 + change > (100 + pct) (1 + tolerance)``.

    >>> over_pct(np.array([10.0, 10.5, 10.6]), 10).tolist()
    [False, False, True]
    """
    return over((100.0 + np.asarray(change_pct, float)) / 100.0, (100.0 + pct) / 100.0,
                tolerance_pct)


def sessions(day: np.ndarray, start_s: np.ndarray, length_s: np.ndarray, same_measure: np.ndarray,
             gap_min: float = SESSION_GAP_MIN) -> np.ndarray:
    """The session number of each run, for runs in start order.

    Parameters
    ----------
    day : numpy.ndarray
        Local day of each run (any comparable value).
    start_s : numpy.ndarray
        Start [s] (any epoch).
    length_s : numpy.ndarray
        Elapsed (else moving) time [s]; NaN: unknown, the run ends no session.
    same_measure : numpy.ndarray of bool
        Whether each run is measured like the run before it (both by distance, or both by
        time): only those join.
    gap_min : float
        The longest stop between the end of one run and the start of the next. [min]

    Returns
    -------
    numpy.ndarray of int
        0, 0, 1, ...: consecutive runs with a stop of at most ``gap_min`` on the same
        day share a number (a next run starting more than :data:`OVERLAP_SLACK_S` before
        the previous one ended overlaps it and starts a session of its own).

    >>> sessions(np.array([1, 1, 1, 2]), np.array([0.0, 4000, 40000, 90000]),
    ...          np.array([3600.0, 2000, 3600, 3600]), np.array([True, True, True, True]))
    array([0, 0, 1, 2])
    """
    n = len(day)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    gap = start_s[1:] - (start_s[:-1] + length_s[:-1])
    with np.errstate(invalid="ignore"):
        joins = ((day[1:] == day[:-1]) & same_measure[1:] & (gap <= gap_min * 60.0)
                 & (gap >= -OVERLAP_SLACK_S))
    return np.concatenate([[0], np.cumsum(~joins)]).astype(np.int64)
