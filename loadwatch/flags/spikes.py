"""Single-run spikes: the spike rule's flags (Frandsen 2025), with loadwatch's edges and sessions.

A run (or a session of same-day runs a short stop apart, :mod:`loadwatch.engine.edges`)
is flagged when its ratio to its reference is over the band edge by more than the band
tolerance; above 2.0x (with the same tolerance) it is ``high``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from loadwatch.engine import edges
from loadwatch.flags import messages
from loadwatch.flags.model import Flag, make_flag
from loadwatch.flags.tables import FlagTables, _to_date
from loadwatch.flags.thresholds import Thresholds

SPIKE_CODE = {"long_run": "long_run_spike", "return": "return_spike", "duration": "duration_spike"}
"""The flag code of each kind of row of the spike table."""

_SpikeRow = namedtuple("_SpikeRow", ("date", "measure", "value", "reference", "reference_date",
                                     "kind", "spike_ratio", "activity_id", "parts", "race",
                                     "name"))


def spike_flags(analysis, tables: FlagTables, t: Thresholds, units: str = "km") -> list[Flag]:
    """One flag per run (or session) over the caution ratio, or the return ratio after a
    break, of the spike table (:func:`loadwatch.engine.spikes.spike_table`)."""
    # The table's columns as the engine made them (a frame's column costs more to read).
    s = analysis.spike_columns
    if not s:
        return []
    ratio = s["spike_ratio"]
    back = s["kind"] == "return"
    tol = t.band_tolerance_pct
    over = np.flatnonzero((~back & edges.over(ratio, t.spike_caution_ratio, tol))
                          | (back & edges.over(ratio, t.return_ratio, tol)))
    if not len(over):
        return []
    # Arrays taken by position (a pandas take per column cost more than the flags), days
    # as dates (None: no reference run).
    columns = {c: s[c][over].tolist() for c in _SpikeRow._fields
               if c not in ("date", "reference_date")}
    for c in ("date", "reference_date"):
        days = s[c][over]
        numbers = days.astype("datetime64[D]").astype(np.int64).tolist()
        columns[c] = [None if nat else _to_date(d)
                      for nat, d in zip(np.isnat(days).tolist(), numbers, strict=True)]
    return [_one(r, t, units) for r in map(_SpikeRow._make, zip(
        *(columns[c] for c in _SpikeRow._fields), strict=True))]


def _one(r, t: Thresholds, units: str) -> Flag:
    high = bool(edges.over(r.spike_ratio, t.spike_high_ratio, t.band_tolerance_pct))
    day, ref_day = r.date, r.reference_date
    # A missing name is NaN in the spike table (not None): a race without one is "".
    race = (r.name if isinstance(r.name, str) else "") if r.race else None
    msg = messages.spike(r.kind, r.measure, r.value, r.reference, day, ref_day, r.parts,
                         r.spike_ratio, high, t.session_gap_min, units, race=race)
    threshold = (t.spike_high_ratio if high else
                 t.return_ratio if r.kind == "return" else t.spike_caution_ratio)
    return make_flag(SPIKE_CODE[r.kind], "evidence", "high" if high else "caution", day, day,
                     r.spike_ratio, threshold, msg, activity_id=r.activity_id, race=race)
