"""Worked examples for loadwatch.engine.monotony: Foster's monotony and strain per complete ISO
week. Every expected number is derived by hand in the comment beside it."""

import math

import pandas as pd
import pytest

from loadwatch.engine.monotony import CAP, monotony, strain

MON = pd.Timestamp("2026-11-02")  # a Monday


def week_of(loads, start=MON):
    return pd.Series([float(v) for v in loads], index=pd.date_range(start, periods=len(loads)))


# 6, 0, 6, 6, 0, 6, 18: sum 42, mean 6; deviations 0, -6, 0, 0, -6, 0, 12, squares
# 0 + 36 + 0 + 0 + 36 + 0 + 144 = 216.
VARIED = [6, 0, 6, 6, 0, 6, 18]


def test_population_sd_is_the_default():
    # Population SD: sqrt(216 / 7) = sqrt(30.857) = 5.5549; monotony 6 / 5.5549 = 1.0801
    m = monotony(week_of(VARIED))
    assert m.index.tolist() == [MON]
    assert m.iloc[0] == pytest.approx(6 / math.sqrt(216 / 7))
    assert m.iloc[0] == pytest.approx(1.0801, abs=1e-4)


def test_sample_sd_with_ddof_1():
    # Sample SD: sqrt(216 / 6) = sqrt(36) = 6; monotony 6 / 6 = 1.0
    assert monotony(week_of(VARIED), ddof=1).iloc[0] == pytest.approx(1.0)


def test_strain_is_the_week_load_times_monotony():
    # 42 * 1.0801 = 45.37 (population); 42 * 1.0 = 42 (sample)
    assert strain(week_of(VARIED)).iloc[0] == pytest.approx(42 * 6 / math.sqrt(216 / 7))
    assert strain(week_of(VARIED)).iloc[0] == pytest.approx(45.37, abs=0.01)
    assert strain(week_of(VARIED), ddof=1).iloc[0] == pytest.approx(42.0)


def test_the_same_load_every_day_is_capped_not_blank():
    # SD 0 and mean 8: mean / SD is infinite; shown as the cap, 10.
    assert CAP == 10.0
    assert monotony(week_of([8] * 7)).tolist() == [10.0]
    assert monotony(week_of([8] * 7), cap=5.0).tolist() == [5.0]
    # In metres too (8000 every day): the SD of equal values is 0, not a residue.
    assert monotony(week_of([8000] * 7)).tolist() == [10.0]
    # Strain of a flat week: 56 * 10 = 560
    assert strain(week_of([8] * 7)).tolist() == [560.0]


def test_nearly_flat_weeks_are_clipped_to_the_cap():
    # 8 every day but 8.07 on Sunday: mean 8.01, SD = 0.07 * sqrt(6) / 7 = 0.0245:
    # 8.01 / 0.0245 = 327, clipped to 10.
    assert monotony(week_of([8, 8, 8, 8, 8, 8, 8.07])).tolist() == [10.0]
    # Run every day but vary it: 5, 10, 5, 10, 5, 10, 5: mean 50/7 = 7.1429; squares of
    # deviations: 4 * (2.1429)^2 + 3 * (2.8571)^2 = 18.367 + 24.490 = 42.857; SD
    # sqrt(42.857 / 7) = 2.4744; monotony 7.1429 / 2.4744 = 2.8868: high, but not capped.
    assert monotony(week_of([5, 10, 5, 10, 5, 10, 5])).iloc[0] == pytest.approx(2.8868, abs=1e-4)


def test_a_week_without_load_has_no_monotony():
    # Mean 0, SD 0: not "flat", simply nothing to say.
    assert monotony(week_of([0] * 7)).isna().all()


def test_only_complete_iso_weeks():
    # From Wed 4 Nov to Tue 17 Nov: the week of 2 Nov has 5 days (Wed-Sun), the week of
    # 16 Nov 2 days (Mon-Tue); only the week of 9 Nov is complete.
    load = week_of([10, 0, 10, 10, 0] + [10, 0, 10, 0, 10, 0, 10] + [10, 10],
                   start=pd.Timestamp("2026-11-04"))
    m = monotony(load)
    assert m.index.tolist() == [MON, MON + pd.Timedelta(days=7), MON + pd.Timedelta(days=14)]
    assert math.isnan(m.iloc[0]) and math.isnan(m.iloc[2])
    # Week of 9 Nov: 10, 0, 10, 0, 10, 0, 10: mean 40/7; variance 400/7 - (40/7)^2 = 1200/49;
    # SD sqrt(1200)/7 = 4.9487; monotony 40 / sqrt(1200) = 1.1547
    assert m.iloc[1] == pytest.approx(40 / math.sqrt(1200))
    # Two flat days at the start of a week are not a monotonous week: the partial week of
    # 16 Nov stays blank although both days are 10 (it would be capped if complete).
    assert strain(load).isna().tolist() == [True, False, True]
