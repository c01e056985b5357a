"""Checked against a known truth: simulated cohorts whose pain follows a hazard we set.

Each runner trains two years (three easy runs and a long run a week, now and then a long run
1.3-2.4 times the usual one, now and then a break); loadwatch computes the level of every day
(:func:`loadwatch.verdict.history.history`), once. Then, many times over on those same levels,
pain episodes are drawn: on every at-risk day (not in an episode or its washout) an episode
begins the next day with probability ``BASE_HAZARD`` times the true ratio of the day's level
(``usual`` 1, ``raised`` 1.5, ``high`` 2.3), lasts 1 to 7 days, and is followed by the
washout. The review's own counting (:func:`loadwatch.review.cohort.count`) and pooled ratio
(:func:`loadwatch.review.stats.mantel_haenszel`) then estimate the ratios. A 95% interval
must hold the true ratio in about 95% of the cohorts; with a hazard that ignores the load,
it must hold 1 in about 95%.

The tolerance is the binomial standard deviation of a coverage estimated from R cohorts,
sd = sqrt(0.95 x 0.05 / R), three times over: 0.046 for R = 200 cohorts of 120 runners (the
quick test, on 40 distinct training histories), 0.021 for R = 1,000 cohorts of 300 runners
with 300 distinct histories (the ``slow`` one). A failure outside that band happens by chance about 3 times in
1,000 runs; the draws are seeded, so a run repeats exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from loadwatch.review import cohort, stats
from loadwatch.verdict import VerdictOptions
from loadwatch.verdict import history as history_mod
from tests import activities as A

DAYS = 730
"""Two years of training per runner. [days]"""

DIARY_FROM = 60
"""The diary starts on this day of the two years (the level needs 28 days of data). [day]"""

BASE_HAZARD = 1 / 250
"""Chance of an episode beginning the day after a usual at-risk day. [1/day]"""

TRUE = {"usual": 1.0, "raised": 1.5, "high": 2.3}
"""The true rate ratios against ``usual`` in the load-driven cohorts. [-]"""

WASHOUT = 14


def runner_timeline(seed: int):
    """Two years of a runner's training, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(5, 10)
    acts, pause = [], 0
    for n in range(DAYS):  # a test's generator: the package never loops over days
        if pause:
            pause -= 1
            continue
        if rng.random() < 0.004:
            pause = int(rng.integers(12, 30))
            continue
        weekday = n % 7
        if weekday in (0, 2, 4) or (weekday == 3 and rng.random() < 0.3):
            km = base * rng.uniform(0.8, 1.2)
        elif weekday == 6:
            km = base * 1.8 * rng.uniform(0.9, 1.1)
            if rng.random() < 0.08:
                km *= rng.uniform(1.3, 2.4)
        else:
            continue
        acts.append(A.run(n, km=round(km, 2), minutes=km * 6))
    return A.build(acts)


def cohort_levels(n_distinct: int) -> list[dict[str, np.ndarray]]:
    """loadwatch's lag codes of ``n_distinct`` runners' two years (computed once)."""
    out = []
    for seed in range(n_distinct):
        tl = runner_timeline(seed)
        levels = history_mod.history(tl, "x", VerdictOptions(as_of=A.day(DAYS - 1)), None,
                                     start=A.day(0), end=A.day(DAYS - 1))
        out.append(cohort.lag_codes(cohort.level_codes(levels, A.day(0), A.day(DAYS - 1))))
    return out


def draw(rng, lags: dict[str, np.ndarray], hazard: np.ndarray) -> list[cohort.Onset]:
    """Episodes drawn on one runner's levels: ``hazard[code + 1]`` per at-risk day."""
    codes = lags[cohort.PRIMARY][DIARY_FROM:DAYS - 1]  # the counted days
    candidates = np.flatnonzero(rng.random(len(codes)) < hazard[codes + 1])
    onsets, free_from = [], 0
    for d in candidates:  # a handful per runner: the washout makes them sequential
        if d < free_from:
            continue
        start = DIARY_FROM + int(d) + 1
        end = start + int(rng.integers(0, 7))
        onsets.append(cohort.Onset(A.day(start), A.day(end)))
        free_from = int(d) + 1 + (end - start) + WASHOUT + 1
    return onsets


def coverage(levels, n_athletes: int, replicates: int, ratios: dict[str, float], seed: int
             ) -> dict[str, float]:
    """Share of simulated cohorts whose 95% MH interval holds the true ratio, per level."""
    rng = np.random.default_rng(seed)
    # Index by code + 1: unknown (its episodes are not counted), usual, raised, high.
    hazard = BASE_HAZARD * np.array([1.0, ratios["usual"], ratios["raised"], ratios["high"]])
    first, diary_start, as_of = A.day(0), A.day(DIARY_FROM), A.day(DAYS - 1)
    held = {"raised": 0, "high": 0}
    for _ in range(replicates):
        counts = [cohort.count(lags, first, diary_start, as_of, draw(rng, lags, hazard), WASHOUT)
                  for lags in (levels[i % len(levels)] for i in range(n_athletes))]
        for level in held:
            est = stats.mantel_haenszel(
                [c.events[cohort.PRIMARY][level] for c in counts],
                [c.days[cohort.PRIMARY][level] for c in counts],
                [c.events[cohort.PRIMARY]["usual"] for c in counts],
                [c.days[cohort.PRIMARY]["usual"] for c in counts])
            truth = ratios[level] / ratios["usual"]
            held[level] += est.lo <= truth <= est.hi
    return {level: n / replicates for level, n in held.items()}


def tolerance(replicates: int) -> float:
    return 3 * (0.95 * 0.05 / replicates) ** 0.5


@pytest.fixture(scope="module")
def levels():
    # 120 runners on 40 distinct training histories: each history's levels are computed once.
    return cohort_levels(40)


def test_the_levels_have_enough_high_days(levels):
    high = sum(int(np.sum(lags[cohort.PRIMARY][DIARY_FROM:] == 2)) for lags in levels)
    assert high > 0.02 * len(levels) * (DAYS - DIARY_FROM)


def test_the_interval_holds_the_true_ratio_about_95_percent_of_the_time(levels):
    got = coverage(levels, 120, 200, TRUE, seed=20)
    for level, share in got.items():
        assert abs(share - 0.95) <= tolerance(200), (level, share)


def test_with_a_hazard_that_ignores_load_the_interval_holds_1(levels):
    flat = dict.fromkeys(TRUE, 1.0)
    got = coverage(levels, 120, 200, flat, seed=21)
    for level, share in got.items():
        assert abs(share - 0.95) <= tolerance(200), (level, share)


@pytest.mark.slow
@pytest.mark.parametrize("ratios", [TRUE, dict.fromkeys(TRUE, 1.0)], ids=["load", "flat"])
def test_the_coverage_on_300_distinct_runners_and_1000_cohorts(ratios):
    got = coverage(cohort_levels(300), 300, 1000, ratios, seed=22)
    for level, share in got.items():
        assert abs(share - 0.95) <= tolerance(1000), (level, share)


def test_the_simulated_episodes_are_counted_as_drawn(levels):
    # The draw and the counting agree: every drawn episode's day before is an at-risk day.
    rng = np.random.default_rng(3)
    hazard = BASE_HAZARD * 5 * np.ones(4)
    onsets = draw(rng, levels[0], hazard)
    c = cohort.count(levels[0], A.day(0), A.day(DIARY_FROM), A.day(DAYS - 1), onsets, WASHOUT)
    unknown_before = sum(
        levels[0][cohort.PRIMARY][(o.start - A.day(0)).days - 1] < 0 for o in onsets)
    assert sum(c.events[cohort.PRIMARY].values()) == len(onsets) - unknown_before
    assert c.excluded["in_washout"] == 0 and onsets[0].start > A.day(DIARY_FROM)
    assert onsets[-1].start <= A.day(DAYS - 1)
