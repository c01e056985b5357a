"""The vectorised engine against the slow reference (tests/engine/reference.py) on random
timelines: daily and weekly series, ratios, monotony, spikes and streaks agree."""

from datetime import timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loadwatch import engine
from tests.activities import MONDAY, act, build
from tests.engine import reference as ref

activity = st.tuples(
    st.integers(0, 160),                                        # day
    st.sampled_from(["running"] * 4 + ["cycling", "swimming", "walking", "hiking",
                                       "strength_training"]),  # sport
    st.one_of(st.none(), st.floats(0.5, 45.0)),                 # km
    st.one_of(st.none(), st.floats(10.0, 240.0)),               # minutes
    st.integers(5, 20),                                         # hour (UTC)
)
histories = st.lists(activity, min_size=1, max_size=90)
as_of_offsets = st.integers(-20, 30)


def timeline(plan):
    return build(act(d, sport, km, minutes, hour=hour) for d, sport, km, minutes, hour in plan)


def close(a, b) -> bool:
    return np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-9, atol=1e-6,
                       equal_nan=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, as_of_offsets)
def test_the_vectorised_engine_agrees_with_the_reference(plan, offset):
    tl = timeline(plan)
    last = max(d for d, *_ in plan)
    as_of = MONDAY + timedelta(days=max(0, last + offset))
    a = engine.analyse(tl, as_of)
    acts = ref.rows(tl, as_of)
    days = ref.daily(acts, as_of)

    # The daily series.
    assert [d["date"] for d in days] == [t.date() for t in a.daily.index]
    for col in ("activities", "runs", "run_day", "run_distance_m", "longest_run_m",
                "cross_sessions", "time_on_feet_s", "rest", "load"):
        assert close(a.daily[col], [d[col] for d in days]), col
    # Streaks and rest.
    assert a.daily["streak"].tolist() == ref.streaks(days)
    assert close(a.daily["days_since_rest"], ref.days_since_rest(days))
    # Ratios.
    load = [d["load"] for d in days]
    assert close(a.daily["acwr"], ref.ewma_acwr(load))
    w = ref.weeks(days)
    for col, values in (("acwr", ref.ewma_acwr(load)), ("acwr_coupled", ref.rolling_acwr(load)),
                        ("acwr_uncoupled", ref.rolling_acwr(load, coupled=False))):
        # The week's figure is its last known value (a ratio can be unknown on the last day).
        assert close(a.weekly[col], [ref.last_known(days, values, wk["start"]) for wk in w]), col
    # The weekly table.
    assert [t.date() for t in a.weekly["start"]] == [wk["start"] for wk in w]
    for col in ("days", "complete", "run_distance_m", "base_distance_m", "change_pct",
                "monotony", "time_on_feet_s"):
        assert close(a.weekly[col], [wk[col] for wk in w]), col
    # Spikes (runs with a distance).
    s = a.spikes
    s = s[s["measure"].eq("distance")] if len(s) else s
    expected = ref.spikes(acts)
    assert s["activity_id"].tolist() == [x["id"] for x in expected] if len(s) else not expected
    if len(s):
        assert s["kind"].tolist() == [x["kind"] for x in expected]
        assert close(s["reference"], [np.nan if x["reference"] is None else x["reference"]
                                      for x in expected])
        assert close(s["spike_ratio"], [np.nan if x["ratio"] is None else x["ratio"]
                                        for x in expected])
