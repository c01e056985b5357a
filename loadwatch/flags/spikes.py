"""Single-run spikes: the spike rule's flags (Frandsen 2025), with loadwatch's edges and sessions.

A run (or a session of same-day runs a short stop apart, :mod:`loadwatch.engine.edges`)
is flagged when its ratio to its reference is over the band edge by more than the band
tolerance; above 2.0x (with the same tolerance) it is ``high``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pandas as pd

from loadwatch.engine import edges
from loadwatch.flags import messages
from loadwatch.flags.model import Flag, as_date, make_flag
from loadwatch.flags.tables import FlagTables
from loadwatch.flags.thresholds import Thresholds

SPIKE_CODE = {"long_run": "long_run_spike", "return": "return_spike", "duration": "duration_spike"}
"""The flag code of each kind of row of the spike table."""

_SpikeRow = namedtuple("_SpikeRow", ("date", "measure", "value", "reference", "reference_date",
                                     "kind", "spike_ratio", "activity_id", "parts"))


def spike_flags(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    """One flag per run (or session) over the caution ratio, or the return ratio after a
    break, of the spike table (:func:`loadwatch.engine.spikes.spike_table`)."""
    s = analysis.spikes
    if s.empty:
        return []
    ratio = s["spike_ratio"].to_numpy(float)
    back = s["kind"].to_numpy(object) == "return"
    tol = t.band_tolerance_pct
    over = np.flatnonzero((~back & edges.over(ratio, t.spike_caution_ratio, tol))
                          | (back & edges.over(ratio, t.return_ratio, tol)))
    if not len(over):
        return []
    columns = [s[c].iloc[over].tolist() for c in _SpikeRow._fields]
    return [_one(r, t, units) for r in map(_SpikeRow._make, zip(*columns, strict=True))]


def _one(r, t: Thresholds, units: str) -> Flag:
    high = bool(edges.over(r.spike_ratio, t.spike_high_ratio, t.band_tolerance_pct))
    day = as_date(r.date)
    ref_day = None if pd.isna(r.reference_date) else as_date(r.reference_date)
    msg = messages.spike(r.kind, r.measure, r.value, r.reference, day, ref_day, r.parts,
                         r.spike_ratio, high, t.session_gap_min, units)
    threshold = (t.spike_high_ratio if high else
                 t.return_ratio if r.kind == "return" else t.spike_caution_ratio)
    return make_flag(SPIKE_CODE[r.kind], "evidence", "high" if high else "caution", day, day,
                     r.spike_ratio, threshold, msg, activity_id=r.activity_id)
