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
from loadwatch.flags.model import Flag, as_date, make_flag
from loadwatch.flags.tables import FlagTables
from loadwatch.flags.thresholds import Thresholds
from loadwatch.words import day_words, distance_words, duration_words

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
    if r.measure == "distance":
        what, ref = distance_words(r.value, units), distance_words(r.reference, units)
    else:
        what, ref = duration_words(r.value), duration_words(r.reference)
    session = ""
    if r.parts > 1:
        what += f" in {r.parts} parts"
        # Why two files are one run here, and whose rule that is.
        session = (f" (runs of one day up to {t.session_gap_min:g} min apart count as one "
                   "session: loadwatch's rule, not the study's)")
    ref_day = "" if pd.isna(r.reference_date) else f" on {day_words(as_date(r.reference_date))}"
    if r.kind == "return":
        msg = (f"Your first run after a break, {what} on {day_words(day)}{session}, was "
               f"{r.spike_ratio:.2f}x your longest run of the 90 days before the break "
               f"({ref}{ref_day}). After weeks off the body has lost part of what it was "
               "used to, so the first long run back is a classic spike.")
    else:
        unit_note = " (measured by time: this run has no distance)" if r.kind == "duration" else ""
        run = f"Your {what}" if r.parts > 1 else f"Your {what} run"
        msg = (f"{run} on {day_words(day)}{session} was {r.spike_ratio:.2f}x your longest run "
               f"of the 30 days before it ({ref}{ref_day}){unit_note}. In a study of 5,205 "
               "runners, runs more than 10% longer than the recent longest raised the injury "
               "rate (by 64% for more than 10% up to 30% longer, 52% for more than 30% up "
               "to 100%"
               + (", and 2.3 times for more than double, as here)." if high else ")."))
    threshold = (t.spike_high_ratio if high else
                 t.return_ratio if r.kind == "return" else t.spike_caution_ratio)
    return make_flag(SPIKE_CODE[r.kind], "evidence", "high" if high else "caution", day, day,
                     r.spike_ratio, threshold, msg, activity_id=r.activity_id)
