"""The review's statistics against published worked examples, never against their own formulas.

Two sources, both printed by other programs on data that is published:

* Stata's ``ir deaths smokes pyears, by(agecat)`` on ``dollhill3`` (Doll and Hill's British
  doctors, coronary deaths by smoking, five age bands), the worked example of StataCorp,
  *Stata Base Reference Manual*, "[R] Epitab", https://www.stata.com/manuals/repitab.pdf:
  per band the exact interval ("(exact)"), and the "M-H combined" rate ratio with its
  Greenland-Robins interval. The counts are also tabulated (McNeil 1996) at
  https://yumpu.com/en/document/view/49390631/ (page 13).
* OpenEpi's "Comparing 2 Person-Time Rates" (Dean, Sullivan, Soe; https://www.openepi.com)
  printed for two strata in https://epiinformatics.com/DownloadFiles/SessionI.zip: its
  "Fisher Exact" rate-ratio limits are the exact conditional interval.
"""

from __future__ import annotations

import math

import pytest

from loadwatch.review import stats

# dollhill3: deaths and person-years of smokers (exposed) and non-smokers, by age band.
DEATHS_SMOKERS = [32, 104, 206, 186, 102]
PY_SMOKERS = [52407, 43248, 28612, 12663, 5317]
DEATHS_NON = [2, 12, 28, 28, 31]
PY_NON = [18790, 10673, 5710, 2585, 1462]


def test_mantel_haenszel_matches_statas_m_h_combined_on_dollhill3():
    est = stats.mantel_haenszel(DEATHS_SMOKERS, PY_SMOKERS, DEATHS_NON, PY_NON)
    # Stata: "M-H combined | 1.424682  1.154703  1.757784"
    assert est.value == pytest.approx(1.424682, abs=1e-6)
    assert est.lo == pytest.approx(1.154703, abs=1e-6)
    assert est.hi == pytest.approx(1.757784, abs=1e-6)
    assert est.method == stats.MANTEL_HAENSZEL


@pytest.mark.parametrize(("band", "expected"), [
    (0, (5.736638, 1.463557, 49.40468)),   # 35-44
    (1, (2.138812, 1.173714, 4.272545)),   # 45-54
    (2, (1.46824, 0.9863624, 2.264107)),   # 55-64
])
def test_exact_interval_matches_statas_exact_limits_per_age_band(band, expected):
    est = stats.exact_rate_ratio(DEATHS_SMOKERS[band], PY_SMOKERS[band], DEATHS_NON[band],
                                 PY_NON[band])
    assert (est.value, est.lo, est.hi) == pytest.approx(expected, rel=2e-6)


def test_exact_interval_matches_statas_crude_line():
    est = stats.exact_rate_ratio(sum(DEATHS_SMOKERS), sum(PY_SMOKERS), sum(DEATHS_NON),
                                 sum(PY_NON))
    # Stata: "Crude | 1.719823  1.391992  2.14353 (exact)"
    assert (est.value, est.lo, est.hi) == pytest.approx((1.719823, 1.391992, 2.14353), rel=2e-6)


@pytest.mark.parametrize(("cells", "expected"), [
    ((17, 100025, 3, 122268), (6.927, 2.004, 36.89)),    # stratum 1
    ((8, 78531, 1, 77932), (7.939, 1.064, 352.3)),       # stratum 2: one unexposed case
    ((25, 178556, 4, 200200), (7.008, 2.42, 27.71)),     # crude
])
def test_exact_interval_matches_openepi_fisher_exact(cells, expected):
    est = stats.exact_rate_ratio(*cells)
    assert (est.value, est.lo, est.hi) == pytest.approx(expected, rel=6e-4)


def test_zero_cells_give_open_ends_not_errors():
    none_exposed = stats.exact_rate_ratio(0, 300, 4, 900)
    assert none_exposed.value == 0 and none_exposed.lo == 0 and math.isfinite(none_exposed.hi)
    none_usual = stats.exact_rate_ratio(3, 300, 0, 900)
    assert math.isinf(none_usual.value) and none_usual.lo > 0 and math.isinf(none_usual.hi)
    nothing = stats.exact_rate_ratio(0, 300, 0, 900)
    assert nothing.value is None and (nothing.lo, nothing.hi) == (0, math.inf)
    no_days = stats.exact_rate_ratio(2, 0, 1, 900)
    assert no_days.value is None
    assert none_usual.json_ci() == [pytest.approx(none_usual.lo), None]
    for est in (none_exposed, none_usual, nothing, no_days):
        assert stats.too_wide(est, 10.0)


def test_mantel_haenszel_with_zero_cells_keeps_the_open_end():
    # No athlete had an episode on a high day: the ratio is 0, bounded above only.
    est = stats.mantel_haenszel([0, 0], [50, 40], [2, 1], [300, 500])
    assert est.value == 0 and est.lo == 0 and 0 < est.hi < math.inf
    mirror = stats.mantel_haenszel([1, 2], [50, 40], [0, 0], [300, 500])
    assert math.isinf(mirror.value) and mirror.lo > 0 and math.isinf(mirror.hi)
    # An athlete without a day at one of the levels adds nothing.
    same = stats.mantel_haenszel(DEATHS_SMOKERS + [5], PY_SMOKERS + [100], DEATHS_NON + [0],
                                 PY_NON + [0])
    assert same.value == pytest.approx(1.424682, abs=1e-6)
    assert stats.mantel_haenszel([], [], [], []).value is None


def test_rate_per_1000_with_the_exact_poisson_interval():
    # Garwood limits for 2 events: 0.2422 and 7.2247, as the printed tables of exact Poisson limits give.
    est = stats.rate(2, 4000)
    assert est.value == pytest.approx(0.5)
    assert (est.lo, est.hi) == pytest.approx((0.2422 / 4, 7.2247 / 4), abs=2e-4)
    assert stats.rate(0, 1000).lo == 0
    assert stats.rate(3, 0).value is None


def test_too_few_to_tell_rule():
    assert not stats.too_wide(stats.Estimate(1.42, 1.15, 1.76), 10.0)
    assert stats.too_wide(stats.Estimate(5.7, 1.46, 49.4), 10.0)
