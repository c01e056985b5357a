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

References
----------
.. [1] J. S. B. Frandsen et al., "How much running is too much? Identifying
   high-risk running sessions in a 5200-person cohort study," Br. J. Sports Med.,
   vol. 59, pp. 1203-1210, 2025, doi:10.1136/bjsports-2024-109380.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
                 "measure", "value", "reference", "reference_date", "spike_ratio", "spike")


def category(ratio: float) -> str | None:
    """Spike band of a ratio: none (<= 1.10), small (<= 1.30), moderate (<= 2.00), large.

    >>> category(11 / 10), category(13 / 6.5), category(2.99 / 2.3), category(2.01)
    ('none', 'moderate', 'small', 'large')
    """
    if ratio is None or not np.isfinite(ratio):
        return None
    for edge, name in BANDS:
        if ratio <= edge + TOLERANCE:
            return name
    return "large"


def spike_table(timeline: pd.DataFrame, as_of=None, window_days: int = WINDOW_DAYS,
                return_gap_days: int = RETURN_GAP_DAYS,
                return_window_days: int = RETURN_WINDOW_DAYS) -> pd.DataFrame:
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
        (:func:`category`).

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
    runs = timeline[timeline["is_run"]]
    if as_of is not None:
        runs = runs[runs["local_date"] <= pd.Timestamp(as_of)]
    duration = runs["duration_s"].fillna(runs["elapsed_s"])
    runs = runs.assign(_duration=duration)
    runs = runs[runs["distance_m"].notna() | runs["_duration"].notna()]
    runs = runs.sort_values(["start_utc", "activity_id"], kind="stable")
    out = pd.DataFrame({
        "activity_id": runs["activity_id"].to_numpy(),
        "date": runs["local_date"].to_numpy(),
        "start_local": runs["start_local"].to_numpy(),
        "distance_m": runs["distance_m"].to_numpy(float),
        "duration_s": runs["_duration"].to_numpy(float),
    })
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SPIKE_COLUMNS})
    by_distance = out["distance_m"].notna().to_numpy()
    out["measure"] = np.where(by_distance, "distance", "duration")
    out["value"] = np.where(by_distance, out["distance_m"], out["duration_s"])

    days = pd.date_range(out["date"].min(), out["date"].max(), freq="D")
    longest = {m: out[out[m].notna()].groupby("date")[m].max().reindex(days)
               for m in ("distance_m", "duration_s")}
    # The previous run day of each run, over every run whatever it measured.
    run_days = pd.Series(days[days.isin(out["date"])])
    previous = pd.Series(run_days.shift(1).to_numpy(), index=run_days.to_numpy())
    prev_day = out["date"].map(previous)
    gap = (out["date"] - prev_day).dt.days - 1
    is_return = (gap >= return_gap_days).to_numpy()

    reference = np.full(len(out), np.nan)
    reference_date = np.full(len(out), np.datetime64("NaT"), dtype="datetime64[ns]")
    for column, rows in (("distance_m", by_distance), ("duration_s", ~by_distance)):
        per_day = longest[column]
        prior = per_day.shift(1).rolling(window_days, min_periods=1).max()
        before_break = per_day.rolling(return_window_days, min_periods=1).max()
        normal = rows & ~is_return
        reference[normal] = out.loc[normal, "date"].map(prior).to_numpy(float)
        back = rows & is_return
        reference[back] = prev_day[back].map(before_break).to_numpy(float)
        reference_date[rows] = _day_of(per_day, out.loc[rows, "date"], prev_day[rows],
                                       reference[rows], is_return[rows])
    out["kind"] = np.where(is_return, "return", np.where(by_distance, "long_run", "duration"))
    out["reference"] = reference
    out["reference_date"] = reference_date
    out["spike_ratio"] = out["value"] / out["reference"]
    out["spike"] = [category(r) for r in out["spike_ratio"]]
    return out[list(SPIKE_COLUMNS)]


def _day_of(per_day: pd.Series, dates: pd.Series, prev_day: pd.Series, reference: np.ndarray,
            is_return: np.ndarray) -> np.ndarray:
    """The latest day before each run (or on the last day before its break) whose longest
    run equals its reference: the reference run's day."""
    if not len(dates):
        return np.array([], dtype="datetime64[ns]")
    days = per_day.dropna()
    right = pd.DataFrame({"day": days.index.astype("datetime64[ns]"),
                          "value": days.to_numpy(float)}).sort_values("day")
    until = np.where(is_return, prev_day.to_numpy("datetime64[ns]"),
                     (dates - pd.Timedelta(days=1)).to_numpy("datetime64[ns]"))
    left = pd.DataFrame({"until": until, "value": reference, "_pos": np.arange(len(dates))})
    known = left.dropna(subset=["until", "value"]).sort_values("until")
    found = pd.merge_asof(known, right, left_on="until", right_on="day", by="value",
                          direction="backward")
    result = np.full(len(dates), np.datetime64("NaT"), dtype="datetime64[ns]")
    result[found["_pos"].to_numpy()] = found["day"].to_numpy("datetime64[ns]")
    return result



def adapted(table: pd.DataFrame, ratio: float = BANDS[0][0],
            window_days: int = WINDOW_DAYS, fallback_days: int = 90) -> pd.Series:
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
    out = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    for measure in ("distance", "duration"):
        rows = table.index[table["measure"].eq(measure).to_numpy()]
        if len(rows):
            out[rows] = _adapted_from(table.loc[rows, "date"].to_numpy("datetime64[D]"),
                                      table.loc[rows, "value"].to_numpy(float), ratio,
                                      window_days, fallback_days)
    return out


def _adapted_from(day: np.ndarray, value: np.ndarray, ratio: float, window: int,
                  fallback: int) -> np.ndarray:
    """:func:`adapted` for runs of one measure (days as ``datetime64[D]``)."""
    d = day.astype(np.int64)
    lag = d[None, :] - d[:, None]                     # [r, q]: days from run r back to run q
    earlier = lag < 0                                 # q before r's day
    age = -lag                                        # days r is after q
    # A later run within the window at least 1/ratio of the length repeats a spike.
    repeats = (lag > 0) & (lag <= window) & (value[None, :] * ratio + TOLERANCE >= value[:, None])
    first_repeat = np.where(repeats.any(axis=1),
                            np.where(repeats, d[None, :], np.iinfo(np.int64).max).min(axis=1), -1)
    spike = np.zeros(len(d), dtype=bool)
    for _ in range(len(d) + 1):
        since = np.where(~spike, d, np.where(first_repeat >= 0, first_repeat, np.iinfo(np.int64).max))
        usable = earlier & (since[None, :] < d[:, None])
        ref = _windowed_max(value, usable & (age <= window))
        ref = np.where(np.isnan(ref), _windowed_max(value, usable & (age <= fallback)), ref)
        now = value > ratio * ref + TOLERANCE        # NaN reference: nothing to compare, no spike
        if np.array_equal(now, spike):
            break
        spike = now
    since = np.where(~spike, d, np.where(first_repeat >= 0, first_repeat, -1))
    return np.where(since >= 0, since, np.datetime64("NaT", "D").astype(np.int64)).astype(
        "datetime64[D]").astype("datetime64[ns]")


def _windowed_max(value: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row, the max of ``value`` where ``mask`` holds (NaN where it never does)."""
    masked = np.where(mask, value[None, :], -np.inf)
    best = masked.max(axis=1) if len(value) else np.array([])
    return np.where(np.isfinite(best), best, np.nan)
