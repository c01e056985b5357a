"""Single-run spikes: each run's distance against the longest run of the previous 30 days.

Frandsen et al. (2025) followed 5,205 runners over 588,071 sessions: runs more
than 10% longer than the longest run of the previous 30 days raised the injury
hazard (>10-30%: HRR 1.64; >30-100%: 1.52; >100%: 2.28), while weekly ratios
did not. It is the strongest running-specific load evidence available.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WINDOW_DAYS = 30
BANDS = ((1.10, "none"), (1.30, "small"), (2.00, "moderate"))
TOLERANCE = 1e-9
"""Band edges are compared with this slack: 2.99/2.3 is 1.3000000000000003."""


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


def spike_table(timeline: pd.DataFrame, as_of=None, window_days: int = WINDOW_DAYS) -> pd.DataFrame:
    """The spike ratio of every run with a known distance.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``.
    as_of : date, optional
        Runs after it are left out.
    window_days : int, default 30
        Look-back before the run's day; the run's own day is excluded. [days]

    Returns
    -------
    pandas.DataFrame
        ``activity_id``, ``date`` (local day), ``start_local``, ``distance_m`` [m],
        ``reference_m`` (longest run on days D-30..D-1; NaN if none) [m],
        ``spike_ratio`` (distance / reference) [-], ``spike`` (:func:`category`).

    Notes
    -----
    r = d / max(d_prior), d_prior = runs on days D-w..D-1 (Frandsen et al.
    2025, BJSM 59:1203, doi:10.1136/bjsports-2024-109380). No run in the
    window means no reference (NaN), not a spike.
    """
    runs = timeline[timeline["is_run"] & timeline["distance_m"].notna()]
    if as_of is not None:
        runs = runs[runs["local_date"] <= pd.Timestamp(as_of)]
    runs = runs.sort_values("start_utc")
    out = pd.DataFrame({
        "activity_id": runs["activity_id"].to_numpy(),
        "date": runs["local_date"].to_numpy(),
        "start_local": runs["start_local"].to_numpy(),
        "distance_m": runs["distance_m"].to_numpy(float),
    })
    if out.empty:
        return out.assign(reference_m=[], spike_ratio=[], spike=[])
    # Longest run per day, then the max over the previous `window_days` days (day itself excluded).
    per_day = out.groupby("date")["distance_m"].max()
    full = per_day.reindex(pd.date_range(per_day.index.min(), per_day.index.max(), freq="D"))
    prior = full.shift(1).rolling(window_days, min_periods=1).max()
    out["reference_m"] = out["date"].map(prior).astype(float)
    out["spike_ratio"] = out["distance_m"] / out["reference_m"]
    out["spike"] = [category(r) for r in out["spike_ratio"]]
    return out
