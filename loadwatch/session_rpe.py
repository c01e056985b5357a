"""The athlete's own ratings (``rpe.csv``, :mod:`loadwatch.rpelog`) put on the timeline.

A line with an activity id rates that activity. A line with a date alone rates the one
activity of that local day; on a day with several, or none, it rates nothing and a
note says which ids to choose from: a rating is never spread over sessions or guessed
onto one. The athlete's rating wins over a file's (it was given on purpose, later);
among the log's lines the last one for a session wins. ``session_load`` is computed
again for the rated rows (:func:`loadwatch.timeline.session_load`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loadwatch.rpelog import Rating
from loadwatch.timeline import session_load

MAX_IDS_NAMED = 4
"""Activity ids listed in a note about a day with several sessions; more are counted. [ids]"""


def apply_log(timeline: pd.DataFrame, ratings: list[Rating]) -> tuple[pd.DataFrame, list[str]]:
    """``timeline`` with the log's ratings set, and one note per line that rated nothing.

    Parameters
    ----------
    timeline : pandas.DataFrame
        A deduplicated timeline (``loadwatch.timeline.COLUMNS``).
    ratings : list of Rating
        The log's lines in file order (:func:`loadwatch.rpelog.read_log`).

    Returns
    -------
    (pandas.DataFrame, list of str)
        The timeline (a copy when a rating was set) and the notes (``line N: ...``), each
        naming the line and what to do.
    """
    if not ratings or timeline.empty:
        return timeline, [f"line {r.line}: no activity to rate (the timeline is empty)"
                          for r in ratings]
    ids = timeline["activity_id"].astype(object).to_numpy()
    row_of = {a: i for i, a in enumerate(ids.tolist())}
    days = timeline["local_date"].dt.date.to_numpy()
    # The day's rows, grouped once: the log is short, the timeline may be long.
    by_day = pd.Series(np.arange(len(ids))).groupby(days).agg(list).to_dict()
    rpe = timeline["rpe"].to_numpy(float).copy()
    notes: list[str] = []
    for r in ratings:
        where = f"line {r.line}"
        if r.activity is not None:
            row = row_of.get(r.activity)
            if row is None:
                notes.append(f"{where}: no activity {r.activity!r} (ids as 'loadwatch timeline "
                              "--format json' shows them); the rating is not used")
            elif days[row] != r.day:
                notes.append(f"{where}: activity {r.activity} is on {days[row]}, not {r.day}; "
                             "the rating is not used: fix the date or the id")
            else:
                rpe[row] = r.rpe
            continue
        rows = by_day.get(r.day, [])
        if len(rows) == 1:
            rpe[rows[0]] = r.rpe
        elif not rows:
            notes.append(f"{where}: no activity on {r.day}; the rating {r.rpe:g} is not used")
        else:
            named = ", ".join(str(ids[i]) for i in rows[:MAX_IDS_NAMED])
            more = f" and {len(rows) - MAX_IDS_NAMED} more" if len(rows) > MAX_IDS_NAMED else ""
            notes.append(f"{where}: {len(rows)} activities on {r.day} ({named}{more}); the "
                         f"rating {r.rpe:g} is not used: give the activity "
                         "('loadwatch rpe add DATE VALUE --activity ID')")
    changed = ~((rpe == timeline["rpe"].to_numpy(float))
                | (np.isnan(rpe) & timeline["rpe"].isna().to_numpy()))
    if not changed.any():
        return timeline, notes
    out = timeline.copy()
    out["rpe"] = rpe
    out["session_load"] = session_load(rpe, out["duration_s"].to_numpy(float))
    return out, notes
