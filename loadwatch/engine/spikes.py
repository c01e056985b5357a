"""Single-run spikes: each run against the longest run of the days before it.

Frandsen et al. (2025) followed 5,205 runners over 588,071 sessions: a run more
than 10% longer than the longest run of the previous 30 days raised the injury
hazard (> 10-30%: HRR 1.64, 1.31-2.05; > 30-100%: 1.52, 1.16-2.00; > 100%: 2.28,
1.50-3.48), while week-to-week ratios did not. It is the strongest
running-specific load evidence available, and :func:`spike_table` keeps its
definition for every run with a distance (``kind`` ``long_run``).

Two cases the study's definition cannot measure get loadwatch's own rules,
labelled as such:

- ``return``: the first run after 30 days or more without running has no run in
  the 30 days before it. It is measured against the longest run of the 90 days
  before the break: the first long run back is a classic spike, and the body has
  lost part of what it was used to.
- ``duration``: a run without a distance (a treadmill without a footpod) is
  measured on its duration against the longest run by time in the previous 30
  days: a proxy, since the study measured distance.

Two more of loadwatch's rules (:mod:`loadwatch.engine.edges`): same-day runs with a
short stop between them are one session (a long run saved as two files is one run
here, its parts summed), and a ratio counts as over a band edge only when it is more
than 0.5% over it (GPS noise of a few metres never flips a band).

References
----------
.. [1] J. S. B. Frandsen et al., "How much running is too much? Identifying
   high-risk running sessions in a 5200-person cohort study," Br. J. Sports Med.,
   vol. 59, pp. 1203-1210, 2025, doi:10.1136/bjsports-2024-109380.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loadwatch.engine import calendar
from loadwatch.engine.edges import BAND_TOLERANCE_PCT, SESSION_GAP_MIN, sessions

WINDOW_DAYS = 30
"""Look-back of the reference run (Frandsen 2025). [days]"""
RETURN_GAP_DAYS = 30
"""Days without running that make the next run a return. [days]"""
RETURN_WINDOW_DAYS = 90
"""Look-back, before a break, of a return run's reference. [days]"""
BANDS = ((1.10, "none"), (1.30, "small"), (2.00, "moderate"))
"""Upper edges of Frandsen's bands; above the last: ``large``."""
TOLERANCE = 1e-9
"""Band edges are compared with this slack: 2.99/2.3 is 1.3000000000000003."""

SPIKE_COLUMNS = ("activity_id", "date", "start_local", "distance_m", "duration_s", "kind",
                 "measure", "value", "reference", "reference_date", "spike_ratio", "spike",
                 "parts", "race", "name")


def category(ratio: float, tolerance_pct: float = 0.0) -> str | None:
    """Spike band of a ratio: none (<= 1.10), small (<= 1.30), moderate (<= 2.00), large;
    each edge widened by ``tolerance_pct`` percent of it.

    >>> category(11 / 10), category(13 / 6.5), category(2.99 / 2.3), category(2.01)
    ('none', 'moderate', 'small', 'large')
    >>> category(2.01, 0.5), category(1.104, 0.5)
    ('moderate', 'none')
    """
    if ratio is None or not np.isfinite(ratio):
        return None
    for edge, name in BANDS:
        if ratio <= edge * (1 + tolerance_pct / 100) + TOLERANCE:
            return name
    return "large"


def spike_table(timeline: pd.DataFrame, as_of=None, window_days: int = WINDOW_DAYS,
                return_gap_days: int = RETURN_GAP_DAYS,
                return_window_days: int = RETURN_WINDOW_DAYS,
                session_gap_min: float = SESSION_GAP_MIN,
                tolerance_pct: float = BAND_TOLERANCE_PCT,
                columns: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """The spike ratio of every run, by the rule that can measure it.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS`` (quarantined activities already left out).
    as_of : date, optional
        Runs after it are left out.
    window_days : int, default 30
        Look-back before the run's day; the run's own day is excluded. [days]
    return_gap_days : int, default 30
        Days without any run before a run that make it a return. [days]
    return_window_days : int, default 90
        Look-back, ending on the last run day before the break, of a return's
        reference. [days]
    session_gap_min : float, default 30
        Same-day runs with at most this stop between the end of one and the start of
        the next are one session (:func:`loadwatch.engine.edges.sessions`). [min]
    tolerance_pct : float, default 0.5
        Slack at the band edges of ``spike``. [%]
    columns : dict of str to numpy.ndarray, optional
        ``timeline``'s columns as arrays when the caller has them
        (:func:`loadwatch.engine.daily._columns`: ``day``, ``is_run``, ``distance_m``,
        ``duration_s``, ``elapsed_s``, ``start_utc`` are read).

    Returns
    -------
    pandas.DataFrame
        One row per run with a distance or a duration, in start order; columns
        ``SPIKE_COLUMNS``: ``activity_id``, ``date`` (local day), ``start_local``,
        ``distance_m`` [m], ``duration_s`` [s], ``kind`` (``long_run``,
        ``return`` or ``duration``), ``measure`` (``distance`` or ``duration``),
        ``value`` and ``reference`` (in the measure's unit: m or s; reference NaN
        when no earlier run can serve), ``reference_date`` (day of the reference
        run), ``spike_ratio`` = value / reference [-], ``spike``
        (:func:`category`), ``parts`` (runs in the session), ``race`` (bool: the
        timeline's ``race``, any part's) and ``name`` (the activity's name, or None).
        A session of several runs has the first run's id, day, start and name and the
        parts' summed distance and time.

    Notes
    -----
    r = d / max(d_prior), d_prior = runs on days D-w..D-1 (Frandsen et al. 2025).
    A return run (no run on days D-g..D-1, g = ``return_gap_days``, but one
    before) uses d_prior = runs on days P-89..P, P the last run day before the
    break. A run without distance uses durations in place of distances, over the
    runs with a duration. The first run in the data has no reference.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from loadwatch import timeline
    >>> from loadwatch.importers.base import Activity
    >>> def run(day, km=None, minutes=None):
    ...     return Activity("gpx", f"{day}.gpx", datetime(2026, 9, 1, 7, tzinfo=UTC)
    ...                     + pd.Timedelta(days=day), "running",
    ...                     distance_m=None if km is None else km * 1000.0,
    ...                     duration_s=None if minutes is None else minutes * 60.0)
    >>> tl = timeline.build([run(0, 10, 60), run(3, 21, 130), run(40, 16, 95),
    ...                      run(42, None, 150)], "x", timeline.resolve_tz("UTC"))
    >>> s = spike_table(tl)
    >>> s[["kind", "reference", "spike_ratio"]].round(3).values.tolist()
    [['long_run', nan, nan], ['long_run', 10000.0, 2.1], ['return', 21000.0, 0.762], \
['duration', 5700.0, 1.579]]
    >>> s["spike"].tolist(), s["reference_date"].dt.day.tolist()
    ([nan, 'large', 'none', 'moderate'], [nan, 1.0, 4.0, 11.0])
    """
    return spike_frame(spike_arrays(timeline, as_of, window_days, return_gap_days,
                                    return_window_days, session_gap_min, tolerance_pct, columns))


def spike_frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """:func:`spike_table` of its :func:`spike_arrays`."""
    if not arrays:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SPIKE_COLUMNS})
    # In SPIKE_COLUMNS order already: a columns= argument would cost a reindex. The
    # timeline's object column as it is: inferring a dtype costs more than the rest.
    return pd.DataFrame({c: arrays[c] if c != "start_local" else
                         pd.Series(arrays[c], dtype=object) for c in SPIKE_COLUMNS})


def spike_arrays(timeline: pd.DataFrame, as_of=None, window_days: int = WINDOW_DAYS,
                 return_gap_days: int = RETURN_GAP_DAYS,
                 return_window_days: int = RETURN_WINDOW_DAYS,
                 session_gap_min: float = SESSION_GAP_MIN,
                 tolerance_pct: float = BAND_TOLERANCE_PCT,
                 columns: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """:func:`spike_table` as the arrays its frame is made of (empty dict: no run), each
    what ``spike_table(...)[c].to_numpy()`` gives (words as objects, NaN where missing), and
    ``day`` (day numbers of ``date``) and ``by_distance`` (``measure`` is distance): the
    engine and the rules read these, not the frame (a frame's column costs ~10 us to read,
    its words more to turn back into objects).
    """
    # The engine hands over the columns it has read already: a frame's column costs
    # ~10 us to read again, more than most steps here.
    c = columns if columns is not None else {
        "day": calendar.day_numbers(timeline["local_date"]),
        "is_run": timeline["is_run"].to_numpy(bool),
        **{k: timeline[k].to_numpy(float) for k in ("distance_m", "duration_s", "elapsed_s")},
        "start_utc": timeline["start_utc"].to_numpy("datetime64[ns]")}
    keep = c["is_run"]
    if as_of is not None:
        keep = keep & (c["day"] <= calendar.to_number(pd.Timestamp(as_of).date()))
    dist = c["distance_m"]
    dur = np.where(np.isnan(c["duration_s"]), c["elapsed_s"], c["duration_s"])
    rows = np.flatnonzero(keep & (~np.isnan(dist) | ~np.isnan(dur)))
    if not len(rows):
        return {}
    start = c["start_utc"].astype("datetime64[ns]").astype(np.int64)[rows]
    ids = timeline["activity_id"].to_numpy(object)[rows]
    order = _start_order(start, ids)
    if order is not None:
        rows, start, ids = rows[order], start[order], ids[order]
    dist, dur = dist[rows], dur[rows]
    # A race is named as one wherever its spike is shown (loadwatch.races).
    race = (timeline["race"].to_numpy(bool)[rows] if "race" in timeline.columns
            else np.zeros(len(rows), dtype=bool))
    names = timeline["name"].to_numpy(object)[rows]
    day = c["day"][rows]
    local_date = calendar.as_datetime64(day)
    by_distance = ~np.isnan(dist)
    elapsed = c["elapsed_s"][rows]
    session = sessions(day, start / 1e9, np.where(np.isnan(elapsed), dur, elapsed),
                       np.r_[True, by_distance[1:] == by_distance[:-1]], session_gap_min)
    first_part = np.flatnonzero(np.r_[True, session[1:] != session[:-1]])
    parts = np.diff(np.r_[first_part, len(rows)])
    if len(first_part) < len(rows):
        # The parts summed; a session's time is NaN only when no part has one.
        timed = np.add.reduceat((~np.isnan(dur)).astype(int), first_part)
        dur = np.where(timed > 0, np.add.reduceat(np.nan_to_num(dur), first_part), np.nan)
        dist = np.add.reduceat(dist, first_part)
        race = np.logical_or.reduceat(race, first_part)
        names = names[first_part]
        rows, ids, local_date, day, by_distance = (
            x[first_part] for x in (rows, ids, local_date, day, by_distance))
    value = np.where(by_distance, dist, dur)
    n_runs = len(day)

    first = int(day.min())
    n_days = int(day.max()) - first + 1
    pos = day - first
    # The previous run day of each run, over every run whatever it measured.
    # Runs come in start order, so their days almost always too: np.unique's sort only if not.
    ascending = (day[1:] >= day[:-1]).all()
    run_days = day[np.r_[True, day[1:] != day[:-1]]] if ascending else np.unique(day)
    at = np.searchsorted(run_days, day)
    prev_day = np.where(at > 0, run_days[np.maximum(at - 1, 0)], NO_DAY)
    gap = np.where(at > 0, day - prev_day - 1, -1)
    is_return = gap >= return_gap_days

    reference = np.full(n_runs, np.nan)
    reference_day = np.full(n_runs, NO_DAY)
    for measured, chosen in ((dist, by_distance), (dur, ~by_distance)):
        if not chosen.any():
            continue
        known = ~np.isnan(measured)
        per_day = np.full(n_days, np.nan)
        np.fmax.at(per_day, pos[known], measured[known])
        normal, back = chosen & ~is_return, chosen & is_return
        # Days D-w..D-1 for a run on day D; days P-89..P for a return after day P.
        for which, until, window in ((normal, pos[normal] - 1, window_days),
                                     (back, prev_day[back] - first, return_window_days)):
            ref, ref_pos = _window_max(per_day, until, window)
            reference[which] = ref
            reference_day[which] = np.where(ref_pos >= 0, ref_pos + first, NO_DAY)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = value / reference
    return {
        "activity_id": ids,
        "date": local_date,
        "start_local": timeline["start_local"].to_numpy(object)[rows],
        "distance_m": dist,
        "duration_s": dur,
        # Words taken from object arrays: pandas makes str columns of them at half the cost
        # of numpy's fixed-width strings.
        "kind": np.where(is_return, _KINDS[2], _KINDS[np.where(by_distance, 0, 1)]),
        "measure": _MEASURES[np.where(by_distance, 0, 1)],
        "value": value,
        "reference": reference,
        "reference_date": np.where(reference_day == NO_DAY, np.datetime64("NaT", "ns"),
                                   calendar.as_datetime64(np.maximum(reference_day, 0))),
        "spike_ratio": ratio,
        "spike": np.where(np.isfinite(ratio), categories(ratio, tolerance_pct), np.nan),
        "parts": parts,
        "race": race,
        "name": np.where(pd.isna(names), np.nan, names),
        "day": day,
        "by_distance": by_distance,
    }


NO_DAY = np.iinfo(np.int64).min
"""Day number standing for "no day"."""

_KINDS = np.array(["long_run", "duration", "return"], dtype=object)
_MEASURES = np.array(["distance", "duration"], dtype=object)


def categories(ratio: np.ndarray, tolerance_pct: float = 0.0) -> np.ndarray:
    """:func:`category` of each ratio (None where not finite), as an object array.

    >>> categories(np.array([1.1, 1.3000000000000003, 2.01, np.nan])).tolist()
    ['none', 'small', 'large', None]
    """
    ratio = np.asarray(ratio, float)
    names = np.array([name for _, name in BANDS] + ["large"], dtype=object)
    edges = np.array([edge * (1 + tolerance_pct / 100) + TOLERANCE for edge, _ in BANDS])
    band = np.searchsorted(edges, np.nan_to_num(ratio, nan=0.0, posinf=0.0), side="left")
    return np.where(np.isfinite(ratio), names[np.minimum(band, len(BANDS))], None)


def _start_order(start: np.ndarray, ids: np.ndarray) -> np.ndarray | None:
    """Positions putting runs in (start, activity id) order; None when already so."""
    step = np.diff(start)
    if (step > 0).all():
        return None
    if (step >= 0).all() and all(ids[i] <= ids[i + 1] for i in np.flatnonzero(step == 0).tolist()):
        return None
    return np.lexsort((ids.astype(str), start))


def _window_max(per_day: np.ndarray, until: np.ndarray, window: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per query, the largest value of ``per_day`` on positions ``until - window + 1 ..
    until`` (NaN days skipped; NaN if none) and the latest position holding it (-1: none).

    >>> _window_max(np.array([3.0, np.nan, 5.0, 5.0, 1.0]), np.array([4, 1, -1]), 3)
    (array([ 5.,  3., nan]), array([ 3,  0, -1]))
    """
    if not len(until):
        return np.array([]), np.array([], dtype=np.int64)
    padded = np.concatenate([np.full(window, np.nan), per_day])
    valid = until >= 0
    # Row k of the view covers positions k - window .. k - 1 of per_day.
    rows = np.lib.stride_tricks.sliding_window_view(padded, window)[np.where(valid, until, -1) + 1]
    best = np.where(valid, np.fmax.reduce(rows, axis=1), np.nan)
    hit = rows == best[:, None]
    back = np.argmax(hit[:, ::-1], axis=1)
    return best, np.where(valid & hit.any(axis=1), until - back, -1)


def adapted(table: pd.DataFrame, ratio: float = BANDS[0][0],
            window_days: int = WINDOW_DAYS, fallback_days: int = 90,
            tolerance_pct: float = BAND_TOLERANCE_PCT) -> pd.Series:
    """The day from which the body counts as adapted to each run (NaT: not yet).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`spike_table`.
    ratio : float, default 1.1
        A run longer than this times its adapted reference is a spike. [-]
    window_days : int, default 30
        Look-back of the reference. [days]
    fallback_days : int, default 90
        Look-back when no adapted run lies in the ``window_days``. [days]
    tolerance_pct : float, default 0.5
        Slack over ``ratio`` (:mod:`loadwatch.engine.edges`): a run of exactly the
        ceiling a report showed is adapted. [%]

    Returns
    -------
    pandas.Series
        ``datetime64`` per row of ``table``: the run's own day for a run no longer
        than ``ratio`` times its adapted reference (or with nothing to compare), the
        day of its first repeat for a spike (a later run within ``window_days``
        at least ``1 / ratio`` of its length), NaT for a spike not repeated.

    Notes
    -----
    Frandsen et al. (2025) measure every run against the longest of the month
    before, spikes included: after a 30 km run over a 14 km longest, the next
    16 km run is no spike by that rule. The body has not adapted to the 30 km,
    though, so loadwatch's guidance (the next long run's ceiling) measures
    against adapted runs only (its own, conservative rule: advice). A run is
    adapted when it was no spike against the adapted runs of the days before
    it; a spike becomes adapted once the distance is done again, so a weekly
    long run twice the weekday runs counts from its second week on. The
    definition depends on earlier runs only; it is solved by measuring, marking
    and measuring again until nothing changes. Runs are compared in their own
    measure (distance, or time for runs without one).

    Examples
    --------
    A 14.1 km longest, a 30 km run, then 16 km: the 16 km is 1.13x the adapted
    14.1 km, a spike by this rule (not by Frandsen's, whose reference is 30 km);
    neither is repeated.

    >>> t = pd.DataFrame({"date": pd.to_datetime(["2026-11-01", "2026-11-15", "2026-11-22"]),
    ...                   "measure": "distance", "value": [14100.0, 30000.0, 16000.0]})
    >>> adapted(t).dt.day.tolist()
    [1.0, nan, nan]

    A 12 km Sunday run after 6 km weekday runs is a spike the first week and
    adapted from the second:

    >>> t = pd.DataFrame({"date": pd.to_datetime(["2026-11-03", "2026-11-08", "2026-11-10",
    ...                                           "2026-11-15", "2026-11-22"]),
    ...                   "measure": "distance", "value": [6000.0, 12000, 6000, 12000, 12000]})
    >>> adapted(t).dt.day.tolist()
    [3, 15, 10, 22, 22]
    """
    # Plain arrays, positions not labels: the pandas indexing cost more than the rule.
    out = adapted_values(
        {"by_distance": table["measure"].to_numpy(object) == "distance",
         "day": table["date"].to_numpy("datetime64[D]").astype(np.int64),
         "value": table["value"].to_numpy(float)} if len(table) else {},
        ratio, window_days, fallback_days, tolerance_pct)
    # ``out`` is datetime64[ns] already: a dtype to check would cost as much as the rule.
    return pd.Series(out, index=table.index, copy=False)


def adapted_values(arrays: dict[str, np.ndarray], ratio: float = BANDS[0][0],
                   window_days: int = WINDOW_DAYS, fallback_days: int = 90,
                   tolerance_pct: float = BAND_TOLERANCE_PCT) -> np.ndarray:
    """:func:`adapted` as a ``datetime64[ns]`` array, of the :func:`spike_arrays` of the
    table (``by_distance``, ``day`` and ``value`` are read)."""
    if not arrays:
        return np.full(0, np.datetime64("NaT", "ns"))
    days, values = arrays["day"], arrays["value"]
    edge = ratio * (1 + tolerance_pct / 100)
    out = np.full(len(days), np.datetime64("NaT", "ns"))
    for rows in (arrays["by_distance"], ~arrays["by_distance"]):
        if rows.all():
            out = _adapted_from(days, values, edge, window_days, fallback_days)
        elif rows.any():
            out[rows] = _adapted_from(days[rows], values[rows], edge, window_days, fallback_days)
    return out


def _adapted_from(day: np.ndarray, value: np.ndarray, ratio: float, window: int,
                  fallback: int) -> np.ndarray:
    """:func:`adapted` for runs of one measure (days as day numbers).

    Each run is compared with the runs of the ``fallback`` days before it only, so the
    work is a band of the run-by-run matrix: runs x (runs in ``fallback`` days).
    """
    d0 = day.astype(np.int64)
    order = np.argsort(d0, kind="stable")
    d, v = d0[order], value[order]
    n = len(d)
    never = np.iinfo(np.int64).max
    # Later runs within the window at least 1/ratio of the length repeat a spike.
    later, later_ok = _band(d, d + 1, d + window)
    repeats = later_ok & (v[later] * ratio + TOLERANCE >= v[:, None])
    # The band's days ascend along each row: the first repeat is the first True.
    first_repeat = np.where(repeats.any(axis=1),
                            d[later[np.arange(n), repeats.argmax(axis=1)]], -1)
    # The window's runs for every run; the longer fallback only where the window is empty.
    near, near_ok = _band(d, d - window, d - 1)
    near_v = np.where(near_ok, v[near], -np.inf)
    # An earlier run of the window is usable unless it is a spike not yet repeated by the
    # day: the value each entry has when its run is a spike does not change between passes.
    repeated = first_repeat[near]
    spike_v = np.where((repeated >= 0) & (repeated < d[:, None]), near_v, -np.inf)
    spike = np.zeros(n, dtype=bool)
    # A run's status depends on runs of earlier days only (earlier positions): once the
    # first change of a pass is at position c, positions up to c are settled, and the next
    # pass measures the runs after it only.
    lo = 0
    while lo < n:
        day = d[lo:]
        ref = np.where(spike[near[lo:]], spike_v[lo:], near_v[lo:]).max(axis=1)
        empty = np.flatnonzero(np.isinf(ref))
        if len(empty):
            since = np.where(~spike, d, np.where(first_repeat >= 0, first_repeat, never))
            # The fallback's band for these runs only: they are few, the band is wide.
            rows, far_ok = _band(d, day[empty] - fallback, day[empty] - 1)
            usable = far_ok & (since[rows] < day[empty, None])
            ref[empty] = np.where(usable, v[rows], -np.inf).max(axis=1)
        # No usable earlier run: nothing to compare, no spike.
        now = np.isfinite(ref) & (v[lo:] > ratio * ref + TOLERANCE)
        changed = np.flatnonzero(now != spike[lo:])
        if not len(changed):
            break
        spike[lo:] = now
        lo += int(changed[0]) + 1
    since = np.where(~spike, d, np.where(first_repeat >= 0, first_repeat, -1))
    out = np.empty(n, dtype="datetime64[ns]")
    out[order] = np.where(since >= 0, since, np.datetime64("NaT", "D").astype(np.int64)).astype(
        "datetime64[D]").astype("datetime64[ns]")
    return out


def _band(d: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted days ``d``: per row, the positions of the runs on days ``lo..hi`` as a
    padded ``(n, k)`` index matrix, and which entries are real."""
    first = np.searchsorted(d, lo, side="left")
    stop = np.searchsorted(d, hi, side="right")
    width = int((stop - first).max()) if len(d) else 0
    idx = first[:, None] + np.arange(max(width, 1))[None, :]
    ok = idx < stop[:, None]
    return np.where(ok, idx, 0), ok
