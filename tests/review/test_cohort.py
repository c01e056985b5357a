"""Athlete-days and episodes per level and lag, worked by hand on small calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from loadwatch import pain
from loadwatch.review import cohort

HEADER = "date,severity,location,side,onset,symptoms,notes\n"


def history(first: date, last: date, special: dict[date, str]) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D")
    levels = [special.get(d.date(), "usual") for d in days]
    return pd.DataFrame({"date": days, "level": levels, "drivers": [()] * len(days),
                         "clinical": ["none"] * len(days)})


def diary(tmp_path, rows: list[str]) -> pain.Diary:
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return pain.read_diary(path)


def test_one_episode_after_a_high_day_by_hand(tmp_path):
    # Diary from 1 Feb; as of 1 Mar the counted days are 1-28 Feb. High on 9 Feb, unknown on
    # 3 Feb, raised on 20 Feb. Pain 10-12 Feb: episode days 10-12, washout 13-26 Feb.
    h = history(date(2026, 1, 1), date(2026, 3, 1),
                {date(2026, 2, 9): "high", date(2026, 2, 3): "unknown",
                 date(2026, 2, 20): "raised"})
    d = diary(tmp_path, ["2026-02-01,0,,,,,", "2026-02-10,3,inner knee,left,gradual,,",
                         "2026-02-12,2,inner knee,left,,,"])
    e = cohort.exposure(h, d, date(2026, 3, 1), washout_days=14)
    # Primary: usual 1,2,4-8 and 27,28 Feb (9 days), high 9 Feb; 3 Feb unknown.
    assert e.days["day_before"] == {"usual": 9, "raised": 0, "high": 1}
    assert e.events["day_before"] == {"usual": 0, "raised": 0, "high": 1}
    # Highest of 7 days: 3 Feb's window holds usual days, so it counts as usual.
    assert e.days["highest_7_days"] == {"usual": 10, "raised": 0, "high": 1}
    # Highest of 14 days: 27 and 28 Feb see the raised 20 Feb.
    assert e.days["highest_14_days"] == {"usual": 8, "raised": 2, "high": 1}
    assert e.events["highest_14_days"]["high"] == 1
    assert e.excluded == {"trauma": 0, "at_diary_start": 0, "in_washout": 0, "level_unknown": 0,
                          "unknown_days": 1, "episode_days": 3, "washout_days": 14}
    [ep] = e.episodes
    assert ep.counted and ep.levels == {"day_before": "high", "highest_7_days": "high",
                                        "highest_14_days": "high"}
    assert e.athlete_days == 10


def test_trauma_diary_start_and_washout_are_left_out_and_counted_apart(tmp_path):
    h = history(date(2026, 1, 1), date(2026, 3, 10), {})
    d = diary(tmp_path, [
        "2026-02-01,4,inner knee,left,gradual,,",            # the diary began with it
        "2026-02-20,5,inner knee,left,sudden,twist,root",     # a trauma: its own kind
        "2026-03-05,3,inner knee,left,gradual,,",            # within the trauma's washout
    ])
    e = cohort.exposure(h, d, date(2026, 3, 10), washout_days=14)
    assert [x.reason for x in e.episodes] == ["at_diary_start", "trauma", "in_washout"]
    assert sum(e.events["day_before"].values()) == 0
    assert e.excluded["trauma"] == 1 and e.excluded["at_diary_start"] == 1
    # Counted: 16-19 Feb only (1 Feb episode, 2-15 washout; 20 Feb on: trauma, washout, episode).
    assert e.days["day_before"] == {"usual": 4, "raised": 0, "high": 0}


def test_a_sudden_onset_without_a_trauma_counts(tmp_path):
    h = history(date(2026, 1, 1), date(2026, 3, 10), {date(2026, 2, 19): "raised"})
    d = diary(tmp_path, ["2026-02-01,0,,,,,", "2026-02-20,5,inner knee,left,sudden,swelling,"])
    e = cohort.exposure(h, d, date(2026, 3, 10), washout_days=14)
    assert e.events["day_before"]["raised"] == 1 and e.episodes[0].counted


def test_diary_since_before_the_first_entry_counts_the_first_episode(tmp_path):
    h = history(date(2026, 1, 1), date(2026, 3, 10), {})
    d = diary(tmp_path, ["2026-02-01,4,inner knee,left,gradual,,"])
    e = cohort.exposure(h, d, date(2026, 3, 10), washout_days=14, since=date(2026, 1, 25))
    assert e.events["day_before"]["usual"] == 1 and e.episodes[0].counted
    assert e.diary_start == date(2026, 1, 25)


def test_an_episode_after_an_unknown_day_is_left_out(tmp_path):
    h = history(date(2026, 1, 1), date(2026, 3, 10), {date(2026, 2, 19): "unknown"})
    d = diary(tmp_path, ["2026-02-01,0,,,,,", "2026-02-20,3,inner knee,left,gradual,,"])
    e = cohort.exposure(h, d, date(2026, 3, 10), washout_days=14)
    assert e.episodes[0].reason == "level_unknown" and e.excluded["level_unknown"] == 1


def test_days_missing_from_the_history_are_unknown_and_no_diary_is_none(tmp_path):
    h = history(date(2026, 2, 10), date(2026, 3, 1), {})
    d = diary(tmp_path, ["2026-02-01,0,,,,,"])
    e = cohort.exposure(h, d, date(2026, 3, 1), washout_days=14)
    assert e.days["day_before"]["usual"] == 19 and e.excluded["unknown_days"] == 9
    assert cohort.exposure(h, pain.Diary(), date(2026, 3, 1), washout_days=14) is None
    assert cohort.exposure(h, d, date(2026, 1, 1), washout_days=14) is None


@pytest.mark.parametrize("washout", [0, 7, 14, 30])
def test_the_counts_add_up_whatever_the_washout(tmp_path, washout):
    start, as_of = date(2026, 1, 1), date(2026, 6, 30)
    special = {start + timedelta(days=i): ("high" if i % 11 == 0 else "raised")
               for i in range(0, 180, 4)}
    h = history(start - timedelta(days=20), as_of, special)
    rows = ["2026-01-01,0,,,,,"] + [f"{start + timedelta(days=i)},3,knee,,gradual,,"
                                    for i in (20, 22, 60, 90, 91, 150)]
    e = cohort.exposure(h, diary(tmp_path, rows), as_of, washout_days=washout)
    x = e.excluded
    total = (as_of - start).days
    assert e.athlete_days + x["unknown_days"] + x["episode_days"] + x["washout_days"] == total
    counted = sum(ep.counted for ep in e.episodes)
    assert sum(e.events["day_before"].values()) == counted
