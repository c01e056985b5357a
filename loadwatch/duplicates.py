"""Each activity once: two recordings of one session (a watch's FIT and its Strava copy, a
treadmill run by the watch and by an app, a trainer ride and Zwift) are one activity.

:func:`dedupe` takes a timeline (:func:`loadwatch.timeline.build`) and keeps the
richest record of each group of duplicates (:func:`richness`), its missing fields
filled from the others. What may be one session is set by :data:`DUPLICATE_WINDOW_S`,
:data:`DUPLICATE_DISTANCE_TOL` and :data:`DUPLICATE_OVERLAP`; a record no person could
have made (:mod:`loadwatch.plausibility`) never absorbs real ones.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from loadwatch import plausibility
from loadwatch.importers.sports import compatible
from loadwatch.timeline import COLUMNS, NUMERIC, session_load

# Richer sources win a duplicate tie: a device FIT carries the most channels.
SOURCE_RANK = {"fit": 3, "tcx": 2, "gpx": 1, "strava_csv": 0}

DUPLICATE_WINDOW_S = 120
"""Two records starting within this many seconds may be the same activity. [s]"""

DUPLICATE_DISTANCE_TOL = 0.05
"""...and their distances differ by at most this fraction of the larger (or one is unknown)."""

DUPLICATE_OVERLAP = 0.5
"""Records overlapping in time by at least this share of the shorter one ("most of it")
are candidates too, whenever each started. [unitless]"""


def richness(df: pd.DataFrame) -> pd.Series:
    """How much a record knows: filled numeric fields, then source rank, then a name."""
    return df[NUMERIC].notna().sum(axis=1) * 10 + df["source"].map(SOURCE_RANK).fillna(0) + df["name"].notna()


class Deduped(NamedTuple):
    """What :func:`dedupe` returns."""

    timeline: pd.DataFrame
    dropped: int
    pairs: list[tuple[str, str]]
    """``(kept path, dropped path)`` for each record dropped as a second recording."""


CONTAINER_GAP_S = 3 * 3600
"""Two activities starting more than this apart are two sessions, not the parts of one (a
phone app restarted mid-run gives parts minutes apart): a record matched with both is a
container (:func:`dedupe`). [s]"""


def _containers(first_of: np.ndarray, second_of: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Per candidate pair, whether one of its records is a *container*: a record matched with
    two records that are not matched with each other and start more than
    :data:`CONTAINER_GAP_S` apart (a watch left running for a day spans the runs of two
    days; each run is its own activity, so the long record is the duplicate of none of
    them). Pairs are few (one per duplicate), so a set is fine."""
    pairs = set(zip(first_of.tolist(), second_of.tolist(), strict=True))
    partners: dict[int, list[int]] = {}
    for a, b in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    bad = {x for x, ps in partners.items() if len(ps) > 1 and any(
        (min(p, q), max(p, q)) not in pairs and abs(start[p] - start[q]) > CONTAINER_GAP_S
        for i, p in enumerate(ps) for q in ps[i + 1:])}
    if not bad:
        return np.zeros(len(first_of), dtype=bool)
    return np.isin(first_of, list(bad)) | np.isin(second_of, list(bad))


def dedupe(df: pd.DataFrame, window_s: float = DUPLICATE_WINDOW_S,
           distance_tol: float = DUPLICATE_DISTANCE_TOL,
           overlap: float = DUPLICATE_OVERLAP, confirmed: frozenset[str] = frozenset()) -> Deduped:
    """Keep each activity once: two recordings of one session are one activity.

    Parameters
    ----------
    df : pandas.DataFrame
        A timeline (:func:`loadwatch.timeline.build`).
    window_s : float, default DUPLICATE_WINDOW_S
        Records starting this close are candidates even without a known duration. [s]
    distance_tol : float, default DUPLICATE_DISTANCE_TOL
        Largest distance difference, as a share of the larger, outdoors. [unitless]
    overlap : float, default DUPLICATE_OVERLAP
        Share of the shorter record's time that the other must cover. [unitless]
    confirmed : frozenset of str
        Activity ids the athlete confirmed (``[activities] confirm``): plausible
        whatever :func:`loadwatch.plausibility.check` says.

    Returns
    -------
    Deduped
        The timeline, how many rows were dropped, and the ``(kept, dropped)`` paths.

    Notes
    -----
    Two rows are one activity when they belong to the same athlete, start within
    ``window_s`` or overlap in time by at least ``overlap`` of the shorter one
    (each spans start + elapsed, else moving, time), have compatible sports
    (:func:`~loadwatch.importers.sports.compatible`), and their distances are
    within ``distance_tol`` of the larger one, or one is unknown, or either was
    recorded indoors or without GPS (``indoor``: a treadmill watch and a running
    app, a trainer and Zwift measure the same session differently). Of each
    group the richest record (:func:`richness`) is kept and its missing fields
    are filled from the others (a CSV row's name, a FIT's heart rate); in a
    group with an indoor record the longest distance wins (a footpod or trainer
    measures what a wrist estimate misses).

    Plausibility is judged first (:func:`loadwatch.plausibility.implausible`): an
    activity that would be listed under "data to check" is only ever merged with
    another such activity, never with a plausible one, so a recording that cannot
    be right (a lap of 46 days, a car ride saved as a run) never absorbs real runs
    as its "duplicates"; it stays, quarantined, and the runs count. A record spans
    at most :data:`~loadwatch.plausibility.MAX_ACTIVITY_S` here: a longer one is
    matched by its start only, whether or not the athlete confirmed it. A record matched
    with two records that are not matched with each other and start more than
    :data:`CONTAINER_GAP_S` apart (a recording of 47 hours spanning real runs on two days) is
    a container, the duplicate of none of them: the runs count, and the long record stays on
    its own, in view; the parts of one session (a phone app restarted mid-run) still merge
    with the watch's whole recording.

    Candidate pairs are neighbours in start order, shift by shift, until no
    later record can still overlap: linear in the timeline's length for any
    realistic day. Same-source rows from one file (legs of a multisport FIT) are
    never merged.
    """
    if len(df) < 2:
        return Deduped(df, 0, [])
    start_ns = df["start_utc"].to_numpy("datetime64[ns]").view(np.int64)
    athletes = df["athlete"].to_numpy(object)
    # build() sorts one athlete's rows by start already: the stable sort would keep them as
    # they are, so it is skipped (it costs more than the rest of a small timeline's dedupe).
    if not ((athletes == athletes[0]).all() and (np.diff(start_ns) >= 0).all()):
        df = df.sort_values(["athlete", "start_utc"], kind="stable")
        start_ns = df["start_utc"].to_numpy("datetime64[ns]").view(np.int64)
        athletes = df["athlete"].to_numpy(object)
    n = len(df)
    # build()'s frame is numbered 0..n-1 already: renumbering it copies the frame for nothing.
    index = df.index
    if not (isinstance(index, pd.RangeIndex) and index.name is None and index.equals(pd.RangeIndex(n))):
        df = df.reset_index(drop=True)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # numpy, not Series methods: each of those costs more than this arithmetic.
    start = start_ns / 1e9
    elapsed = df["elapsed_s"].to_numpy(float)
    span = np.where(np.isnan(elapsed), df["duration_s"].to_numpy(float), elapsed)
    span = np.where(np.isnan(span), 0.0, span)
    # A span of days is a glitch, not a reference: it is matched by its start alone.
    span = np.where(span > plausibility.MAX_ACTIVITY_S, 0.0, span)
    end = start + span
    dist = df["distance_m"].to_numpy()
    path = df["path"].to_numpy()
    indoor = df["indoor"].to_numpy(dtype=bool)
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for k in range(1, n):
        i = np.arange(n - k)
        j = i + k
        same = athletes[i] == athletes[j]
        reach = same & ((start[j] - start[i] <= window_s) | (start[j] < end[i]))
        if not reach.any():
            break  # later records start later still: none can overlap
        shared = np.minimum(end[i], end[j]) - np.maximum(start[i], start[j])
        shorter = np.minimum(span[i], span[j])
        overlaps = (shorter > 0) & (shared >= overlap * shorter)
        close = reach & ((start[j] - start[i] <= window_s) | overlaps) & (path[i] != path[j])
        di, dj = dist[i], dist[j]
        big = np.fmax(di, dj)
        dist_ok = (np.isnan(di) | np.isnan(dj) | indoor[i] | indoor[j]
                   | (np.abs(di - dj) <= distance_tol * big + 1.0))
        close &= dist_ok
        firsts.append(i[close])
        seconds.append(j[close])
    first_of, second_of = np.concatenate(firsts), np.concatenate(seconds)
    if first_of.size:
        # Judged only when some pair is a candidate: most timelines have none.
        suspect = plausibility.implausible(df, confirmed)
        alike = suspect[first_of] == suspect[second_of]
        first_of, second_of = first_of[alike], second_of[alike]
        sport = df["sport"].to_numpy()
        fits = np.array([compatible(sport[a], sport[b]) for a, b in
                         zip(first_of.tolist(), second_of.tolist(), strict=True)], dtype=bool)
        first_of, second_of = first_of[fits], second_of[fits]
        keep = ~_containers(first_of, second_of, start)
        first_of, second_of = first_of[keep], second_of[keep]
    for a, b in zip(first_of.tolist(), second_of.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    # Every row's root, all rows at once (pointer jumping), not a find() per row.
    groups = parent.copy()
    while not np.array_equal(groups[groups], groups):
        groups = groups[groups]
    # Every row its own root is every row its own group (no sort of the roots needed).
    if (groups == np.arange(n)).all():
        return Deduped(df, 0, [])
    df = df.assign(_group=groups, _rich=richness(df).to_numpy())
    df = df.sort_values(["_group", "_rich"], ascending=[True, False], kind="stable")
    fill_cols = [c for c in COLUMNS if c not in ("activity_id", "athlete", "source", "path", "start_utc",
                                                 "start_local", "utc_offset_min", "local_date", "sport",
                                                 "is_run")]
    by_group = df.groupby("_group", sort=False)
    filled = by_group[fill_cols].transform("first")
    indoor_group = by_group["indoor"].transform("any")
    longest = by_group["distance_m"].transform("max")
    filled["distance_m"] = filled["distance_m"].where(~indoor_group, longest)
    filled["indoor"] = indoor_group
    # A race is a race whichever recording of it was named like one.
    filled["race"] = by_group["race"].transform("any")
    df[fill_cols] = filled
    first = ~df["_group"].duplicated(keep="first")
    kept_path = df["path"].where(first).groupby(df["_group"]).transform("first")
    pairs = list(zip(kept_path[~first].tolist(), df.loc[~first, "path"].tolist(), strict=True))
    kept = df[first].drop(columns=["_group", "_rich"])
    kept = kept.sort_values(["start_utc", "activity_id"], kind="stable").reset_index(drop=True)
    # The kept record's time with the rating another recording carried (a CSV row's).
    kept["session_load"] = session_load(kept["rpe"], kept["duration_s"])
    return Deduped(kept.astype({c: t for c, t in COLUMNS.items() if t != "object"}),
                   n - len(kept), pairs)
