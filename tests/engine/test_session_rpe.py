"""Worked examples for session RPE (Foster 2001) in the engine: the weekly session load over
rated sessions, the count of unrated ones, and Foster's monotony and strain (1998) on it.
Every expected number is derived by hand in the comment beside it."""

import math
from dataclasses import replace

import numpy as np
import pytest

from loadwatch import engine
from tests.activities import act, build, day, run


def rated(a, rpe):
    return replace(a, rpe=rpe)


# Week 1 (Mon 2 - Sun 8 Nov 2026), every session rated; a ride counts like a run:
#   Mon run 40 min x 3 = 120; Tue run 30 x 7 = 210; Wed rest 0; Thu ride 60 x 4 = 240;
#   Fri run 50 x 5 = 250; Sat rest 0; Sun run 90 x 6 = 540.   Sum 1360.
# Week 2 (Mon 9 - Sun 15 Nov): Mon run 40 x 4 = 160; Wed run 30, NOT rated; Fri run
#   45 x 6 = 270; Sun run 100 x 7 = 700.   Sum over the rated ones 1130, 3 of 4 rated.
WEEK1 = [rated(run(0, 8, 40), 3), rated(run(1, 6, 30), 7), rated(act(3, "cycling", 25, 60), 4),
         rated(run(4, 10, 50), 5), rated(run(6, 18, 90), 6)]
WEEK2 = [rated(run(7, 8, 40), 4), run(9, 6, 30), rated(run(11, 9, 45), 6),
         rated(run(13, 20, 100), 7)]
TIMELINE = build(WEEK1 + WEEK2)

# Foster 1998 on week 1, population SD (loadwatch's default):
#   mean = 1360 / 7 = 194.2857
#   sum of squares = (120^2 + 210^2 + 240^2 + 250^2 + 540^2) - 7 x mean^2
#                  = 470200 - 1360^2 / 7 = 470200 - 264228.571 = 205971.429
#   SD = sqrt(205971.429 / 7) = sqrt(29424.49) = 171.5357
#   monotony = 194.2857 / 171.5357 = 1.1326;  strain = 1360 x 1.1326 = 1540.4
MEAN1 = 1360 / 7
SD1 = math.sqrt((470200 - 1360**2 / 7) / 7)


def weeks(load):
    return engine.analyse(TIMELINE, day(13), load=load).weekly


def test_weekly_session_load_sums_the_rated_sessions_whatever_the_load():
    for load in ("distance", "srpe"):
        w = weeks(load)
        assert w["session_load"].tolist() == [1360.0, 1130.0]
        assert w["sessions_rated"].tolist() == [5, 3]
        assert w["rpe_missing"].tolist() == [0, 1]


def test_srpe_monotony_and_strain_are_fosters_on_session_load():
    w = weeks("srpe")
    assert w["monotony"].iloc[0] == pytest.approx(MEAN1 / SD1)
    assert w["monotony"].iloc[0] == pytest.approx(1.1326, abs=1e-4)
    assert w["strain"].iloc[0] == pytest.approx(1360 * MEAN1 / SD1)
    assert w["strain"].iloc[0] == pytest.approx(1540.4, abs=0.1)


def test_a_week_with_an_unrated_session_has_no_srpe_monotony_never_a_zero_day():
    # Taken as 0, Wednesday's unrated run would make week 2 look varied: no number instead.
    w = weeks("srpe")
    assert np.isnan(w["monotony"].iloc[1]) and np.isnan(w["strain"].iloc[1])
    # The distance load knows every run: its monotony stands.
    assert not np.isnan(weeks("distance")["monotony"].iloc[1])


def test_daily_srpe_load_and_the_unrated_count():
    a = engine.analyse(TIMELINE, day(13), load="srpe")
    d = a.daily
    assert d["load"].tolist()[:7] == [120.0, 210.0, 0.0, 240.0, 250.0, 0.0, 540.0]
    # Wednesday of week 2: a run, no rating: no load counted, and it is said to be missing.
    assert d["load"].iloc[9] == 0.0 and d["sessions_unrated"].iloc[9] == 1
    assert d["sessions_unrated"].sum() == 1 and d["sessions_rated"].sum() == 8


def test_no_rating_anywhere_gives_no_session_load():
    w = engine.analyse(build([run(0, 8, 40), run(2, 8, 40)]), day(6), load="distance").weekly
    assert np.isnan(w["session_load"].iloc[0]) and w["rpe_missing"].iloc[0] == 2
