"""The daily series: one row per local calendar day, rest days as zero load.

Conventions
-----------
- Days run from the first activity's day to ``as_of`` (the report date), in the
  athlete's local time (``local_date`` of the timeline); activities after
  ``as_of`` are ignored. Days before the first activity are unknown, not rest:
  counting them as zero load would seed the ratios with a fictitious break.
- Several sessions a day are summed; a day without activity is 0 (not missing):
  rest days count as zero load, as Foster's monotony and the ACWR models assume.
- A rest day has no activity of any sport. A cross-training session is a
  low-impact one (ride, swim, row, cross-country ski, elliptical:
  :data:`loadwatch.importers.sports.CATEGORIES`), which keeps fitness while the
  knee rests from impact. Walks and hikes are weight-bearing: every step lands on
  the knee, so they are neither rest nor cross-training, and their time counts
  with the runs' as time on feet. Strength is its own count. An activity of a
  sport loadwatch cannot place (``other``, or ``unknown``: a file that states no
  sport and allows no inference) is no rest day and no cross-training either.
- A run day has a run with distance > 0, or a run of unknown distance but known
  duration (a treadmill run without footpod still loads the legs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loadwatch.engine import calendar, edges
from loadwatch.importers import sports

LOADS = ("distance", "duration", "trimp", "srpe")
"""The daily loads: running distance [m], running time [min], Banister TRIMP of runs [AU],
Foster's session RPE of every rated session (:func:`session_loads`) [AU]."""

DAILY_COLUMNS = ("activities", "runs", "run_day", "run_distance_m", "run_duration_s",
                 "longest_run_m", "longest_run_s", "elevation_gain_m", "hard_runs",
                 "classified_runs", "cross_sessions", "strength_sessions", "cross_duration_s",
                 "walk_sessions", "walk_duration_s", "time_on_feet_s", "longest_walk_s",
                 "longest_walk_m", "longest_walk_hike", "rest", "trimp", "session_load",
                 "sessions_rated", "sessions_unrated", "load_gaps", "load")


class LoadError(ValueError):
    """A load that cannot be computed with what is known (TRIMP without heart-rate settings)."""


@dataclass(frozen=True)
class AthleteParams:
    """What the load models need to know about the athlete.

    Attributes
    ----------
    max_hr, rest_hr : float or None
        Maximum and resting heart rate, for TRIMP. [bpm]
    sex : str or None
        ``female`` or ``male``: picks the Banister TRIMP constants (male if unknown).
    """

    max_hr: float | None = None
    rest_hr: float | None = None
    sex: str | None = None


def trimp(duration_s, avg_hr, params: AthleteParams):
    """Banister training impulse of sessions from their average heart rate.

    Parameters
    ----------
    duration_s : array-like
        Session duration. [s]
    avg_hr : array-like
        Session average heart rate. [bpm]
    params : AthleteParams
        Needs ``max_hr`` and ``rest_hr``.

    Returns
    -------
    numpy.ndarray
        TRIMP per session [AU]; NaN where duration or heart rate is unknown.

    Notes
    -----
    TRIMP = D * x * a * exp(b * x), D in minutes, x = (HR_avg - HR_rest) /
    (HR_max - HR_rest) clipped to [0, 1]; a = 0.64, b = 1.92 for men and
    a = 0.86, b = 1.67 for women [1]_ (implementations disagree on the female
    constants; these are Morton et al.'s).

    References
    ----------
    .. [1] R. H. Morton, J. R. Fitz-Clarke, E. W. Banister, "Modeling human
       performance in running," J. Appl. Physiol., vol. 69, no. 3,
       pp. 1171-1177, 1990.

    >>> round(float(trimp([3600], [150], AthleteParams(190, 50, "male"))[0]), 1)
    108.1
    """
    if params.max_hr is None or params.rest_hr is None:
        missing = [n for n in ("max_hr", "rest_hr") if getattr(params, n) is None]
        raise LoadError(f"TRIMP needs the athlete's {' and '.join(missing)} "
                         "([athlete] in loadwatch.toml)")
    a, b = (0.86, 1.67) if params.sex == "female" else (0.64, 1.92)
    x = (np.asarray(avg_hr, float) - params.rest_hr) / (params.max_hr - params.rest_hr)
    x = np.clip(x, 0.0, 1.0)
    return np.asarray(duration_s, float) / 60.0 * x * a * np.exp(b * x)


def daily_series(timeline: pd.DataFrame, as_of: date, load: str = "distance",
                 params: AthleteParams = AthleteParams(), hard: pd.Series | None = None
                 ) -> pd.DataFrame:
    """One row per local day with the day's running, cross-training and load.

    Parameters
    ----------
    timeline : pandas.DataFrame
        Columns of ``loadwatch.timeline.COLUMNS``.
    as_of : datetime.date
        Last day of the series (the report date).
    load : {"distance", "duration", "trimp", "srpe"}
        What ``load`` holds: running distance [m], running time [min],
        Banister TRIMP of runs [AU], or Foster's session RPE of the rated sessions
        of every sport [AU] (:func:`session_loads`).
    params : AthleteParams
        For ``load="trimp"``.
    hard : pandas.Series, optional
        Per timeline row, whether a run was hard (``boolean``, NA unknown;
        :func:`loadwatch.engine.intensity.classify`).

    Returns
    -------
    pandas.DataFrame
        Index: every day (``DatetimeIndex``, naive local midnight) from the first
        activity's day to ``as_of`` (only ``as_of`` when there is none); columns
        ``DAILY_COLUMNS``: activities, runs (count), run_day (bool),
        run_distance_m [m], run_duration_s [s], longest_run_m and longest_run_s
        (the day's longest run by distance and by time; 0 without) [m, s],
        elevation_gain_m (runs) [m], hard_runs and classified_runs (runs judged
        hard, runs judged at all), cross_sessions and cross_duration_s (low-impact
        cross-training: count, [s]), strength_sessions (count), walk_sessions and
        walk_duration_s (walks and hikes: count, [s]), time_on_feet_s (runs, walks
        and hikes [s]), longest_walk_s, longest_walk_m and longest_walk_hike (the
        day's longest walk or hike by time, its distance, and whether it was a
        hike; 0 / False without) [s, m], rest (bool), trimp (runs;
        NaN without heart-rate settings) [AU], session_load, sessions_rated and
        sessions_unrated (:func:`session_loads`) [AU, sessions], load_gaps (sessions
        whose share of ``load`` is unknown: the unrated ones under ``srpe``, else 0),
        load (as chosen; 0 on days without running, or without a rated session).

    Examples
    --------
    >>> from loadwatch.importers.base import Activity
    >>> from loadwatch import timeline
    >>> from datetime import datetime, UTC
    >>> acts = [Activity("gpx", "a.gpx", datetime(2026, 11, 4, 7, tzinfo=UTC), "running",
    ...                  distance_m=8000.0, duration_s=2400.0),
    ...         Activity("gpx", "b.gpx", datetime(2026, 11, 6, 7, tzinfo=UTC), "cycling",
    ...                  duration_s=3600.0)]
    >>> d = daily_series(timeline.build(acts, "x", timeline.resolve_tz("UTC")), date(2026, 11, 7))
    >>> d.index[0].date(), d["run_distance_m"].tolist(), d["rest"].tolist()
    (datetime.date(2026, 11, 4), [8000.0, 0.0, 0.0, 0.0], [False, True, False, True])
    """
    end = calendar.to_number(as_of)
    keep = timeline["local_date"].to_numpy("datetime64[ns]") <= np.datetime64(as_of, "ns")
    tl = timeline[keep] if not keep.all() else timeline
    judged = None
    if hard is not None:
        judged = hard.reindex(tl.index).astype("boolean")
        judged = np.where(judged.isna().to_numpy(), -1, judged.fillna(False).to_numpy(bool))
    cols = daily_arrays(_columns(tl), end, load, params, judged)
    return daily_frame(cols, end)


def _columns(tl: pd.DataFrame) -> dict[str, np.ndarray]:
    """The timeline columns the daily series reads, as numpy arrays (and ``sport`` as
    objects, which the plausibility tests read: :func:`loadwatch.engine.timeline_columns`)."""
    sport = tl["sport"].to_numpy(object)  # read once: a str column costs ~20 us to read
    return {
        "day": calendar.day_numbers(tl["local_date"]),
        "is_run": tl["is_run"].to_numpy(bool),
        "distance_m": tl["distance_m"].to_numpy(float),
        "duration_s": tl["duration_s"].to_numpy(float),
        "elapsed_s": tl["elapsed_s"].to_numpy(float),
        "elevation_gain_m": tl["elevation_gain_m"].to_numpy(float),
        "avg_hr": tl["avg_hr"].to_numpy(float),
        "max_hr": tl["max_hr"].to_numpy(float),
        "start_utc": tl["start_utc"].to_numpy("datetime64[ns]"),
        "sport": sport,
        "strength": sport == "strength",
        "category": _categories(tl, sport),
        "hike": sport == "hike",
        # A timeline made before ratings were read has none: every session unrated.
        "session_load": (tl["session_load"].to_numpy(float) if "session_load" in tl
                         else np.full(len(tl), np.nan)),
    }


def _longest_sessions(c: dict[str, np.ndarray], pos: np.ndarray, n: int, dist: np.ndarray,
                      dur: np.ndarray, gap_min: float) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the longest run session by distance [m] and by time [s] (``dist``, ``dur``
    per row; 0 without): same-day runs a short stop apart summed, as the spike table sums
    them. The sessions are found once for both."""
    longest_m, longest_s = np.zeros(n), np.zeros(n)
    rows = np.flatnonzero(c["is_run"])
    if not len(rows):
        return longest_m, longest_s
    rows = rows[np.argsort(c["start_utc"][rows], kind="stable")]
    has_distance = ~np.isnan(c["distance_m"][rows])
    elapsed = c["elapsed_s"][rows]
    length = np.where(np.isnan(elapsed), c["duration_s"][rows], elapsed)
    start_s = c["start_utc"][rows].astype("datetime64[ns]").astype(np.int64) / 1e9
    session = edges.sessions(c["day"][rows], start_s, length,
                             np.r_[True, has_distance[1:] == has_distance[:-1]], gap_min)
    first = np.flatnonzero(np.r_[True, session[1:] != session[:-1]])
    day = pos[rows][first]
    np.maximum.at(longest_m, day, np.bincount(session, weights=dist[rows]))
    np.maximum.at(longest_s, day, np.bincount(session, weights=dur[rows]))
    return longest_m, longest_s


def _categories(tl: pd.DataFrame, sport: np.ndarray | None = None) -> np.ndarray:
    """Each row's :func:`loadwatch.importers.sports.category` (one look-up per distinct pair);
    ``sport``: the column as objects when the caller has read it."""
    if not len(tl):
        return np.array([], dtype=object)
    # Each column factorised on its own and the codes paired: a MultiIndex costs ten times more.
    sport, sports_seen = pd.factorize(tl["sport"].to_numpy(object) if sport is None else sport,
                                      use_na_sentinel=False)
    sub, subs_seen = pd.factorize(tl["sub_sport"].to_numpy(object), use_na_sentinel=False)
    combined = sport * len(subs_seen) + sub
    # The pairs seen and each row's, by a table over the few possible pairs: np.unique
    # would sort every row for the same answer.
    present = np.zeros(len(sports_seen) * len(subs_seen), dtype=bool)
    present[combined] = True
    pairs = np.flatnonzero(present)
    position = np.zeros(len(present), dtype=np.intp)
    position[pairs] = np.arange(len(pairs))
    found = np.array([sports.category(sports_seen[k // len(subs_seen)],
                                      subs_seen[k % len(subs_seen)]) for k in pairs.tolist()],
                     dtype=object)
    return found[position[combined]]


def daily_arrays(c: dict[str, np.ndarray], end: int, load: str = "distance",
                 params: AthleteParams = AthleteParams(), judged: np.ndarray | None = None,
                 session_gap_min: float = edges.SESSION_GAP_MIN) -> dict[str, np.ndarray]:
    """:func:`daily_series` on arrays: ``c`` holds the timeline columns of days <= ``end``
    (:func:`_columns`: ``category`` per row is :func:`loadwatch.importers.sports.category`),
    ``judged`` 1 hard, 0 easy, -1 unknown per row. Returns the
    ``DAILY_COLUMNS`` as arrays and ``first``, the first day number. The day's longest run
    is its longest session (:func:`loadwatch.engine.edges.sessions`, runs at most
    ``session_gap_min`` [min] apart), as the spike rules and the ceilings count it."""
    if load not in LOADS:
        raise LoadError(f"load must be one of {', '.join(LOADS)}, not {load!r}")
    if load == "trimp" and (params.max_hr is None or params.rest_hr is None):
        trimp([], [], params)  # raises the clear error
    day = c["day"]
    first = int(min(day.min(), end)) if len(day) else end
    n = end - first + 1
    pos = day - first
    run = c["is_run"]
    dist = np.nan_to_num(c["distance_m"], nan=0.0)
    dur = np.where(np.isnan(c["duration_s"]), c["elapsed_s"], c["duration_s"])
    dur = np.nan_to_num(dur, nan=0.0)
    has_hr = params.max_hr is not None and params.rest_hr is not None
    session_trimp = trimp(dur, c["avg_hr"], params) if has_hr else np.full(len(day), np.nan)
    if judged is None:
        judged = np.full(len(day), -1)

    def total(weights) -> np.ndarray:
        return np.bincount(pos, weights=weights, minlength=n)[:n].astype(float)

    def count(mask) -> np.ndarray:
        return np.bincount(pos, weights=None, minlength=n)[:n] if mask is None else \
            np.bincount(pos[mask], minlength=n)[:n]

    def longest(values) -> np.ndarray:
        out = np.zeros(n)
        np.maximum.at(out, pos, values)
        return out

    run_dist, run_dur = np.where(run, dist, 0.0), np.where(run, dur, 0.0)
    # Only low-impact sessions rest the knee; walks and hikes land on it at every step.
    category = c["category"]
    cross = category == sports.LOW_IMPACT
    walk = category == sports.WEIGHT_BEARING
    walk_dur = np.where(walk, dur, 0.0)
    longest_walk_s = longest(walk_dur)
    # The day's longest walk or hike: its distance and sport, by the last row of each day
    # in (day, duration) order.
    order = np.lexsort((walk_dur, pos))
    last = order[np.r_[pos[order][1:] != pos[order][:-1], True]] if len(pos) else order
    longest_walk_m, longest_walk_hike = np.zeros(n), np.zeros(n, dtype=bool)
    top = last[walk[last]]
    longest_walk_m[pos[top]] = dist[top]
    longest_walk_hike[pos[top]] = c["hike"][top]
    run_trimp = np.where(run, session_trimp, np.nan)
    known = ~np.isnan(run_trimp)
    day_trimp = total(np.where(known, run_trimp, 0.0))
    day_trimp[count(known) == 0] = np.nan
    if has_hr:
        day_trimp = np.nan_to_num(day_trimp, nan=0.0)
    activities = count(None)
    longest_run_m, longest_run_s = _longest_sessions(c, pos, n, dist, dur, session_gap_min)
    out = {
        "activities": activities,
        "runs": count(run),
        "run_day": count(run & ((dist > 0) | (dur > 0))) > 0,
        "run_distance_m": total(run_dist),
        "run_duration_s": total(run_dur),
        "longest_run_m": longest_run_m,
        "longest_run_s": longest_run_s,
        "elevation_gain_m": total(np.where(run, np.nan_to_num(c["elevation_gain_m"], nan=0.0),
                                           0.0)),
        "hard_runs": count((judged == 1) & run),
        "classified_runs": count((judged >= 0) & run),
        "cross_sessions": count(cross),
        "strength_sessions": count(c["strength"]),
        "cross_duration_s": total(np.where(cross, dur, 0.0)),
        "walk_sessions": count(walk),
        "walk_duration_s": total(walk_dur),
        "time_on_feet_s": total(run_dur + walk_dur),
        "longest_walk_s": longest_walk_s,
        "longest_walk_m": longest_walk_m,
        "longest_walk_hike": longest_walk_hike,
        "rest": activities == 0,
        "trimp": day_trimp,
    }
    out.update(session_loads(c["session_load"], count, total))
    # Sessions whose load is unknown under the chosen load: only a rating can be missing.
    out["load_gaps"] = out["sessions_unrated"] if load == "srpe" else np.zeros(n, dtype=np.int64)
    out["load"] = {"distance": out["run_distance_m"], "duration": out["run_duration_s"] / 60.0,
                   "trimp": np.nan_to_num(day_trimp, nan=0.0), "srpe": out["session_load"]}[load]
    out["first"] = first
    return out


def session_loads(per_session: np.ndarray, count, total) -> dict[str, np.ndarray]:
    """Per day, Foster's session load summed over the sessions that have one, and how many
    sessions have one and how many do not.

    Parameters
    ----------
    per_session : numpy.ndarray
        ``session_load`` of each timeline row (RPE x moving minutes, NaN when not rated:
        :func:`loadwatch.timeline.session_load`). [AU]
    count, total : callable
        Per-day count of a row mask and per-day sum of row weights (:func:`daily_arrays`).

    Returns
    -------
    dict
        ``session_load``: sum over the day's rated sessions of RPE x minutes [AU], 0 on a
        day without one; ``sessions_rated`` and ``sessions_unrated`` [sessions].

    Notes
    -----
    Every session counts, whatever its sport, as in Foster et al. 2001 (session RPE is
    the internal load of the whole session: a hard ride tires too). A session without a
    rating (or without a moving time) is left out of the sum and counted in
    ``sessions_unrated``: it is unknown, never an easy session, so the sum is a lower
    bound and the readers say how many sessions it covers.

    References
    ----------
    .. [1] C. Foster, J. A. Florhaug, J. Franklin, L. Gottschall, L. A. Hrovatin,
       S. Parker, P. Doleshal, C. Dodge, "A new approach to monitoring exercise
       training," J. Strength Cond. Res., vol. 15, no. 1, pp. 109-115, 2001.
    """
    rated = ~np.isnan(per_session)
    n_rated = count(rated)
    return {"session_load": total(np.where(rated, per_session, 0.0)),
            "sessions_rated": n_rated,
            "sessions_unrated": count(None) - n_rated}


def daily_frame(cols: dict[str, np.ndarray], end: int, extra: dict | None = None) -> pd.DataFrame:
    """The daily frame of :func:`daily_arrays` (``extra`` columns appended)."""
    first = cols["first"]
    data = {c: cols[c] for c in DAILY_COLUMNS}
    if extra:
        data.update(extra)
    return pd.DataFrame(data, index=calendar.to_index(first, end - first + 1))
