"""A slow, obviously correct engine: plain Python loops over days, weeks and runs.

It restates the definitions in the engine's docstrings one day or one run at a
time, with no arrays, no grids and no rolling windows, so that the vectorised
engine (:mod:`loadwatch.engine`) can be checked against it on random timelines
(tests/engine/test_reference.py). It covers the distance load only.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd


def _f(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def rows(timeline: pd.DataFrame, as_of: date) -> list[dict]:
    """The timeline's activities up to ``as_of`` as plain dicts, in start order."""
    out = []
    for r in timeline.sort_values(["start_utc", "activity_id"], kind="stable").to_dict("records"):
        day = pd.Timestamp(r["local_date"]).date()
        if day > as_of:
            continue
        duration = _f(r["duration_s"]) if _f(r["duration_s"]) is not None else _f(r["elapsed_s"])
        elapsed = _f(r["elapsed_s"]) if _f(r["elapsed_s"]) is not None else duration
        out.append({"id": r["activity_id"], "day": day, "run": bool(r["is_run"]),
                    "sport": r["sport"], "km": _f(r["distance_m"]), "duration": duration,
                    "start": pd.Timestamp(r["start_utc"]).timestamp(), "length": elapsed})
    return out


LOW_IMPACT = ("ride", "swim", "row", "ski")
"""Sports that count as cross-training (loadwatch.importers.sports.CATEGORIES)."""


def daily(acts: list[dict], as_of: date) -> list[dict]:
    """One dict per day from the first activity to ``as_of``: the daily series' sums."""
    first = min((a["day"] for a in acts), default=as_of)
    days = []
    d = min(first, as_of)
    while d <= as_of:
        today = [a for a in acts if a["day"] == d]
        runs = [a for a in today if a["run"]]
        dist = sum(a["km"] or 0.0 for a in runs)
        days.append({
            "date": d,
            "activities": len(today),
            "runs": len(runs),
            "run_day": any((a["km"] or 0) > 0 or (a["duration"] or 0) > 0 for a in runs),
            "run_distance_m": dist,
            # The day's longest session: runs a short stop apart are one (as the spikes).
            "longest_run_m": max([s["km"] or 0.0 for s in sessions(
                sorted(runs, key=lambda a: a["start"]))], default=0.0),
            # Only low-impact sports are cross-training; walks and hikes are time on feet.
            "cross_sessions": sum(a["sport"] in LOW_IMPACT for a in today),
            "time_on_feet_s": sum(a["duration"] or 0.0 for a in today
                                  if a["run"] or a["sport"] in ("walk", "hike")),
            "rest": not today,
            "load": dist,
        })
        d += timedelta(days=1)
    return days


def streaks(days: list[dict]) -> list[int]:
    """Consecutive run days ending on each day."""
    out, n = [], 0
    for d in days:
        n = n + 1 if d["run_day"] else 0
        out.append(n)
    return out


def days_since_rest(days: list[dict]) -> list[float]:
    """Days since the last rest day (NaN before the first)."""
    out, last = [], None
    for i, d in enumerate(days):
        if d["rest"]:
            last = i
        out.append(math.nan if last is None else float(i - last))
    return out


def rolling_acwr(load: list[float], coupled: bool = True) -> list[float]:
    """Acute (7-day sum) over chronic (28-day sum / 4, or days 8-28 / 3), from day 28."""
    out = []
    for i in range(len(load)):
        if i < 27:
            out.append(math.nan)
            continue
        acute = sum(load[i - 6:i + 1])
        total = sum(load[i - 27:i + 1])
        chronic = total / 4 if coupled else (total - acute) / 3
        out.append(acute / chronic if chronic > 1e-9 * max(max(load), 1.0) else math.nan)
    return out


def ewma_acwr(load: list[float]) -> list[float]:
    """Mean load of the last 7 days over the mean of the last 7 days' EWMA_28, from day 42."""
    if not load:
        return []
    alpha = 2 / 29
    level = sum(load[:28]) / len(load[:28])
    ewma = []
    for x in load:
        level = alpha * x + (1 - alpha) * level
        ewma.append(level)
    out = []
    for i in range(len(load)):
        if i < 41:
            out.append(math.nan)
            continue
        acute = sum(load[i - 6:i + 1]) / 7
        steady = sum(ewma[i - 6:i + 1]) / 7
        out.append(acute / steady if steady > 1e-9 * max(max(load), 1.0) else math.nan)
    return out


def last_known(days: list[dict], values: list[float], monday: date) -> float:
    """The last value that is not NaN on the days of the week of ``monday`` (NaN if none)."""
    found = math.nan
    for d, v in zip(days, values, strict=True):
        if monday <= d["date"] <= monday + timedelta(days=6) and not math.isnan(v):
            found = v
    return found


def weeks(days: list[dict]) -> list[dict]:
    """One dict per ISO week of the daily series: distance, days, change, monotony."""
    by_week: dict[date, list[dict]] = {}
    for d in days:
        monday = d["date"] - timedelta(days=d["date"].weekday())
        by_week.setdefault(monday, []).append(d)
    out = []
    for monday, ds in by_week.items():
        loads = [d["load"] for d in ds]
        mean = sum(loads) / len(loads)
        sd = math.sqrt(sum((x - mean) ** 2 for x in loads) / len(loads))
        if len(ds) < 7 or mean <= 0:
            mono = math.nan
        elif sd <= 1e-12 * max(mean, 1.0):
            mono = 10.0
        else:
            mono = min(mean / sd, 10.0)
        out.append({"start": monday, "days": len(ds), "complete": len(ds) == 7,
                    "run_distance_m": sum(d["run_distance_m"] for d in ds), "monotony": mono,
                    "time_on_feet_s": sum(d["time_on_feet_s"] for d in ds),
                    "weekday_sums": [sum(d["run_distance_m"] for d in ds
                                         if d["date"].weekday() <= k) for k in range(7)]})
    last_weekday = days[-1]["date"].weekday() if days else 6
    for i, w in enumerate(out):
        base = math.nan
        if i > 0 and out[i - 1]["complete"]:
            if w["complete"]:
                base = out[i - 1]["run_distance_m"]
            elif i == len(out) - 1:
                base = out[i - 1]["weekday_sums"][last_weekday]
        w["base_distance_m"] = base
        w["change_pct"] = ((w["run_distance_m"] - base) / base * 100
                           if not math.isnan(base) and base > 0 else math.nan)
    return out


def spikes(acts: list[dict]) -> list[dict]:
    """Each run with a distance against the longest run of the 30 days before its day, or,
    after 30 days or more without running, of the 90 days up to the last run day before."""
    runs = sessions([a for a in acts
                     if a["run"] and (a["km"] is not None or a["duration"] is not None)])
    run_days = sorted({a["day"] for a in runs})
    out = []
    for a in runs:
        if a["km"] is None:
            continue
        earlier = [d for d in run_days if d < a["day"]]
        prev = earlier[-1] if earlier else None
        back = prev is not None and (a["day"] - prev).days - 1 >= 30
        if back:
            lo, hi = prev - timedelta(days=89), prev
        else:
            lo, hi = a["day"] - timedelta(days=30), a["day"] - timedelta(days=1)
        pool = [b["km"] for b in runs if b["km"] is not None and lo <= b["day"] <= hi]
        ref = max(pool) if pool else None
        out.append({"id": a["id"], "kind": "return" if back else "long_run", "reference": ref,
                    "ratio": None if ref is None else a["km"] / ref})
    return out


def sessions(runs: list[dict], gap_min: float = 30.0) -> list[dict]:
    """Runs in start order joined into sessions: the same day, measured alike (both with a
    distance or both without), at most ``gap_min`` from the end of one to the next's start
    and not starting more than a minute before it ended."""
    out: list[dict] = []
    end = None
    for a in runs:
        last = out[-1] if out else None
        if (last is not None and last["day"] == a["day"] and end is not None
                and (last["km"] is None) == (a["km"] is None)
                and -60 <= a["start"] - end <= gap_min * 60):
            last["km"] = None if a["km"] is None else last["km"] + a["km"]
            durations = [d for d in (last["duration"], a["duration"]) if d is not None]
            last["duration"] = sum(durations) if durations else None
            last["parts"] += 1
        else:
            out.append(dict(a, parts=1))
        end = None if a["length"] is None else a["start"] + a["length"]
    return out
