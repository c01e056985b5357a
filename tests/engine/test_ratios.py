"""Worked examples for loadwatch.engine.ratios: the seeded EWMA, the phase-free EWMA ratio and
the rolling ratios. Every expected number is derived by hand in the comment beside it."""

import math

import numpy as np
import pandas as pd
import pytest

from loadwatch.engine.ratios import EWMA_MIN_DAYS, ewma, ewma_acwr, rolling_acwr

Q = 27 / 29  # 1 - lambda for the chronic EWMA, lambda = 2 / (28 + 1)


# -- ewma ------------------------------------------------------------------------------------

def test_ewma_starts_from_the_mean_of_the_seed_days():
    # seed_days=2: EWMA_{-1} = (4 + 0) / 2 = 2; N = 3 so lambda = 2 / 4 = 0.5.
    out = ewma(pd.Series([4.0, 0.0, 8.0, 0.0]), 3, seed_days=2)
    assert out.tolist() == [
        3.0,    # 0.5 * 4 + 0.5 * 2
        1.5,    # 0.5 * 0 + 0.5 * 3
        4.75,   # 0.5 * 8 + 0.5 * 1.5
        2.375,  # 0.5 * 0 + 0.5 * 4.75
    ]


def test_ewma_seed_is_the_first_28_days_only():
    # 28 days of 1 then a day of 100: seed = 28 * 1 / 28 = 1 (the 100 is day 29, outside).
    load = pd.Series([1.0] * 28 + [100.0, 0.0])
    out = ewma(load, 28)
    assert out.iloc[27] == pytest.approx(1.0)  # steady at the seed: 1 + 0 * ...
    # Day 29: 1 + (2/29) * (100 - 1) = 1 + 198/29 = 7.8276
    assert out.iloc[28] == pytest.approx(1 + 198 / 29)
    # Day 30: (27/29) * 7.8276 = 7.2878
    assert out.iloc[29] == pytest.approx(Q * (1 + 198 / 29))


def test_ewma_with_fewer_days_than_the_seed_uses_all_of_them():
    # seed = mean(6, 0) = 3 over both days; N = 1 gives lambda = 1: EWMA = the load itself.
    assert ewma(pd.Series([6.0, 0.0]), 1).tolist() == [6.0, 0.0]
    # N = 3, lambda = 0.5: 0.5 * 6 + 0.5 * 3 = 4.5, then 0.5 * 0 + 0.5 * 4.5 = 2.25
    assert ewma(pd.Series([6.0, 0.0]), 3).tolist() == [4.5, 2.25]


def test_ewma_keeps_the_index_and_an_empty_series_stays_empty():
    days = pd.date_range("2026-11-02", periods=3, freq="D")
    assert ewma(pd.Series([1.0, 2.0, 3.0], index=days), 3).index.equals(days)
    assert ewma(pd.Series([], dtype=float), 7).empty


# -- ewma_acwr -------------------------------------------------------------------------------

def test_ewma_ratio_is_hidden_before_day_42():
    # A constant load: the seed is 2, every EWMA value is 2, the ratio is 2 / 2 = 1 ...
    r = ewma_acwr(pd.Series([2.0] * 50))
    assert EWMA_MIN_DAYS == 42
    assert r.iloc[:41].isna().all()          # ... but days 1-41 show nothing
    assert r.iloc[41] == pytest.approx(1.0)  # day 42 is the first
    assert r.iloc[41:].tolist() == pytest.approx([1.0] * 9)


def test_ewma_ratio_of_a_doubled_week():
    # 42 days of 2 (EWMA steady at 2), then 7 days of 4. On day k of the new week the EWMA
    # is 4 - 2 q^k (q = 27/29): it relaxes towards 4 from 2.
    load = pd.Series([2.0] * 42 + [4.0] * 7)
    r = ewma_acwr(load)
    # Day 43 (first 4): A = (6 * 2 + 4) / 7 = 2.2857; C = (6 * 2 + (4 - 2q)) / 7
    #   = (12 + 2.1379) / 7 = 2.0197; ratio = 2.2857 / 2.0197 = 1.1317
    assert r.iloc[42] == pytest.approx((16 / 7) / ((12 + 4 - 2 * Q) / 7))
    assert r.iloc[42] == pytest.approx(1.1317, abs=1e-4)
    # Day 49 (7th of 4): A = 4; C = 4 - (2/7) sum_{k=1..7} q^k, and
    # sum q^k = q (1 - q^7) / (1 - q) = 13.5 (1 - q^7) = 13.5 * (1 - 0.6064) = 5.314,
    # so C = 4 - 1.5182 = 2.4818 and the ratio is 4 / 2.4818 = 1.6117.
    assert r.iloc[48] == pytest.approx(4 / (4 - 2 / 7 * 13.5 * (1 - Q ** 7)))
    assert r.iloc[48] == pytest.approx(1.6117, abs=1e-4)


@pytest.mark.parametrize("week", [
    [0.0, 5.0, 0.0, 5.0, 0.0, 0.0, 15.0],   # Tue, Thu and a Sunday long run
    [8.0, 0.0, 8.0, 0.0, 8.0, 0.0, 0.0],    # Mon, Wed, Fri
    [0.0, 0.0, 0.0, 0.0, 0.0, 20.0, 0.0],   # one long run on Saturday
    [5.0, 10.0, 0.0, 5.0, 8.0, 0.0, 16.0],  # five days
])
@pytest.mark.parametrize("phase", [0, 3, 6])
def test_any_repeating_weekly_pattern_gives_a_ratio_of_one(week, phase):
    # Both sides are 7-day means. The acute side of a 7-periodic load is its weekly mean m
    # every day. The chronic side C_t (7-day mean of the EWMA) obeys
    # C_t = lambda * m + q * C_{t-1}, i.e. C_t - m = q (C_{t-1} - m): with r_t = m / C_t,
    # 1/r_t - 1 shrinks by exactly q = 27/29 a day, whatever the weekdays.
    load = pd.Series((week[phase:] + week[:phase]) * 30)
    r = ewma_acwr(load).iloc[41:]
    assert r.notna().all()
    gap = 1 / r - 1
    assert (gap.iloc[1:80] / gap.iloc[:79].to_numpy()).tolist() == pytest.approx([Q] * 79, rel=1e-6)
    # The seed (the 4-week mean, = m) starts the gap small: within 2% on day 42, and after
    # 30 weeks q^168 = 6e-6 of that.
    assert float(gap.abs().max()) < 0.02
    assert r.iloc[-7:].tolist() == pytest.approx([1.0] * 7, abs=1e-6)


def test_the_docstring_pattern_is_within_one_percent_on_day_42():
    # 5, 5 and 15 km on Tue, Thu, Sun: the module's own example, (41 NaN, min 1.0, max 1.01).
    r = ewma_acwr(pd.Series([0.0, 5.0, 0.0, 5.0, 0.0, 0.0, 15.0] * 10))
    assert int(r.isna().sum()) == 41
    assert float(r.min()) >= 1.0 - 1e-9 and float(r.max()) <= 1.01


def test_ewma_ratio_ignores_the_load_unit():
    # A ratio of two means of the same load: multiplying every day by 1000 (km -> m) cancels.
    km = pd.Series([0.0, 5.0, 0.0, 5.0, 0.0, 0.0, 15.0] * 6 + [0.0, 10.0, 0.0, 10.0, 0.0, 0.0, 30.0])
    assert ewma_acwr(km * 1000.0).tolist() == pytest.approx(ewma_acwr(km).tolist(), nan_ok=True)


def test_ewma_ratio_is_nan_without_chronic_load():
    # No load at all: seed 0, EWMA 0, chronic 0 -> NaN (not 0/0 = inf or a number).
    assert ewma_acwr(pd.Series([0.0] * 60)).isna().all()


def test_ewma_ratio_after_a_long_break_fades_to_nan_not_to_noise():
    # 42 days of 10, then nothing. Chronic after k empty days ~ 10 q^k.
    load = pd.Series([10.0] * 42 + [0.0] * 320)
    r = ewma_acwr(load)
    # k = 200: 10 q^200 = 10 * e^(200 ln q) = 10 * e^-14.29 = 6.2e-6, above the
    # residue floor of 1e-9 * 10 = 1e-8: a real chronic load, acute 0, ratio 0.
    assert r.iloc[41 + 200] == 0.0
    # k = 300: 10 * e^-21.44 = 4.9e-9 (its 7-day mean a little more, 5.9e-9), below 1e-8:
    # counted as zero, the ratio is NaN.
    assert math.isnan(r.iloc[41 + 300])


# -- rolling ratios --------------------------------------------------------------------------

def test_rolling_ratios_of_a_doubled_fourth_week():
    # Weeks of 2, 2, 2 a day then a week of 4 a day.
    load = pd.Series([2.0] * 21 + [4.0] * 7)
    # Acute A = 7 * 4 = 28; S28 = 3 * 14 + 28 = 70.
    # Coupled: A / (S28 / 4) = 28 / 17.5 = 1.6
    assert rolling_acwr(load).iloc[27] == pytest.approx(1.6)
    # Uncoupled: A / ((S28 - A) / 3) = 28 / (42 / 3) = 28 / 14 = 2.0
    assert rolling_acwr(load, coupled=False).iloc[27] == pytest.approx(2.0)
    # Identity 4U / (3 + U) = 8 / 5 = 1.6, from the function's own U
    u = rolling_acwr(load, coupled=False).iloc[27]
    assert rolling_acwr(load).iloc[27] == pytest.approx(4 * u / (3 + u))


def test_rolling_ratios_start_on_day_28():
    load = pd.Series([3.0] * 30)
    for coupled in (True, False):
        r = rolling_acwr(load, coupled=coupled)
        assert r.iloc[:27].isna().all()  # 27 days: no full chronic window
        assert r.iloc[27:].tolist() == [1.0, 1.0, 1.0]  # 21 / (84 / 4) = 1; 21 / (63 / 3) = 1


def test_rolling_ratios_of_a_first_week_after_three_empty_ones():
    # 21 empty days then 3 a day: A = 21, S28 = 21.
    load = pd.Series([0.0] * 21 + [3.0] * 7)
    assert rolling_acwr(load).iloc[27] == pytest.approx(4.0)  # 21 / (21 / 4) = 4: the cap of 4U/(3+U)
    assert math.isnan(rolling_acwr(load, coupled=False).iloc[27])  # chronic (21 - 21) / 3 = 0


def test_coupled_equals_4u_over_3_plus_u():
    rng = np.random.default_rng(8)
    load = pd.Series(np.where(rng.random(90) < 0.5, rng.uniform(2.0, 30.0, 90), 0.0))
    c = rolling_acwr(load)
    u = rolling_acwr(load, coupled=False)
    both = c.notna() & u.notna()
    assert both.sum() > 30
    # coupled = A / ((A + 3 Ch) / 4) with U = A / Ch: 4 A / (A + 3 A / U) = 4U / (U + 3)
    assert c[both].tolist() == pytest.approx((4 * u[both] / (3 + u[both])).tolist())


def test_rolling_ratio_treats_a_floating_point_residue_as_zero():
    # The largest load is 10, so sums within 1e-9 * 10 = 1e-8 of 0 are 0. Here days 8-28
    # hold 3e-9 in all (a residue-sized sum): the uncoupled chronic side is
    # (10 + 3e-9 - 10) / 3 = 1e-9, which without the guard would make 10 / 1e-9 = 1e10.
    load = pd.Series([3e-9] + [0.0] * 26 + [10.0])
    assert math.isnan(rolling_acwr(load, coupled=False).iloc[27])
    # The coupled side is (10 + 3e-9) / 4 = 2.5: a real chronic load, ratio 10 / 2.5 = 4.
    assert rolling_acwr(load).iloc[27] == pytest.approx(4.0)
    # A real chronic load far above the floor is kept: 1e-3 over days 8-28 gives
    # 10 / (1e-3 / 3) = 30000.
    real = pd.Series([1e-3] + [0.0] * 26 + [10.0])
    assert rolling_acwr(real, coupled=False).iloc[27] == pytest.approx(30000.0)
