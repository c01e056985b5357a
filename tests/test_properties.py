"""Invariants of the load engine and the flags, checked on random training histories."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from loadwatch import engine, flags, timeline
from loadwatch.importers.base import Activity

OSLO = timeline.resolve_tz("Europe/Oslo")
START = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday
AS_OF = date(2026, 8, 23)

days = st.lists(
    st.tuples(st.integers(0, 83), st.floats(1.0, 40.0), st.sampled_from(["running", "cycling"])),
    min_size=1, max_size=60)
# The explain phase traces every line pandas runs after a failure: far too slow here.
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])


def build(plan, scale=1.0):
    acts = [Activity("gpx", f"{i}.gpx", START + timedelta(days=d, hours=i % 5), sport,
                     distance_m=km * 1000 * scale, duration_s=km * 330)
            for i, (d, km, sport) in enumerate(plan)]
    return timeline.build(acts, "x", OSLO)


def close(a, b):
    return np.allclose(np.asarray(a, float), np.asarray(b, float), equal_nan=True, rtol=1e-9)


@SETTINGS
@given(days, st.floats(0.2, 5.0))
def test_scaling_every_distance_leaves_ratios_unchanged(plan, k):
    a = engine.analyse(build(plan), AS_OF)
    b = engine.analyse(build(plan, k), AS_OF)
    for col in ("acwr", "acwr_coupled", "acwr_uncoupled", "monotony", "change_pct"):
        assert close(a.weekly[col], b.weekly[col]), col
    assert close(a.spikes["spike_ratio"], b.spikes["spike_ratio"])


@SETTINGS
@given(days)
def test_miles_or_km_raise_the_same_flags_on_the_same_days(plan):
    a = engine.analyse(build(plan), AS_OF)
    km = [(f.code, f.date, f.severity) for f in flags.evaluate(a, units="km")]
    mi = [(f.code, f.date, f.severity) for f in flags.evaluate(a, units="mi")]
    assert km == mi


@SETTINGS
@given(days)
def test_streaks_never_exceed_run_days(plan):
    a = engine.analyse(build(plan), AS_OF)
    assert (a.weekly["max_run_streak"] >= 0).all()
    assert a.streak_longest <= int(a.daily["run_day"].sum())
    assert (a.weekly["run_days"] <= 7).all() and (a.weekly["rest_days"] <= 7).all()


@SETTINGS
@given(days, st.integers(0, 83), st.floats(1.0, 40.0))
def test_a_later_activity_never_changes_earlier_days(plan, extra_day, km):
    base = build(plan)
    later = build([*plan, (extra_day, km, "running")])
    cut = (START + timedelta(days=extra_day)).date() - timedelta(days=1)
    if cut < base["local_date"].min().date():
        return
    a, b = engine.analyse(base, cut), engine.analyse(later, cut)
    assert close(a.daily["load"], b.daily["load"]) and close(a.daily["acwr"], b.daily["acwr"])
    assert [(f.code, f.date) for f in flags.evaluate(a)] == [(f.code, f.date) for f in flags.evaluate(b)]


@SETTINGS
@given(days, st.randoms(use_true_random=False))
def test_row_order_never_matters(plan, rnd):
    shuffled = plan[:]
    rnd.shuffle(shuffled)
    a, b = engine.analyse(build(plan), AS_OF), engine.analyse(build(shuffled), AS_OF)
    assert close(a.daily["load"], b.daily["load"])
    assert close(a.weekly["acwr"], b.weekly["acwr"])
