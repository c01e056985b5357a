"""The history of the level is the report's level, day by day: one definition.

:func:`loadwatch.verdict.history.history` (one pass) against
:func:`loadwatch.verdict.judge` on random days of generated athletes: steady runners,
spikes, jumps, ramps, dips of 1 to 4 weeks, breaks, runs without a distance, rides,
watches left running in a car (quarantined, confirmed or ignored) and pain diaries
with red flags, assessments and silences.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pandas as pd
import pytest

import loadwatch
from loadwatch import assessment as assess_mod
from loadwatch.review.cohort import LOOK_BACK
from loadwatch.verdict import history as history_mod
from loadwatch.verdict import judge
from tests.verdict import patterns
from tests.verdict.patterns import Story

SEEDS = range(16)


def random_story(seed: int) -> tuple[Story, date]:
    """A runner of 14 to 30 weeks with a few of every event, ending on a random weekday."""
    rng = random.Random(seed)
    weeks = rng.randint(14, 30)
    last = date(2026, 11, 22) - timedelta(days=rng.randint(0, 6))
    first = last - timedelta(days=7 * weeks - 1 + rng.randint(0, 6))
    s = Story(f"random-{seed}")
    pattern = {wd: rng.uniform(4, 12) for wd in rng.sample(range(7), rng.randint(2, 5))}
    factor, off_until, special = 1.0, first, {}
    w = 0
    d = first
    while d <= last:
        if d.weekday() == 0 or d == first:
            w += 1
            event = rng.random()
            if event < 0.12:
                factor = rng.uniform(1.3, 1.9)  # a jump
            elif event < 0.22:
                factor = rng.uniform(0.2, 0.75)  # a dip (held for a few weeks below)
                special["dip"] = rng.randint(1, 4)
            elif event < 0.3:
                factor *= 1.25  # a step of a ramp
            elif event < 0.36:
                off_until = d + timedelta(days=rng.randint(12, 45))  # a break
                special["back"] = rng.random() < 0.6  # and a long first run back
            elif special.get("dip", 0) > 1:
                special["dip"] -= 1
            else:
                factor = 1.0
        if d >= off_until and d.weekday() in pattern:
            km = pattern[d.weekday()] * factor
            roll = rng.random()
            if roll < 0.04 or special.pop("back", False):
                km *= rng.uniform(1.6, 3.0)  # a long-run spike, or a long first run back
            if roll > 0.97:
                s.run(d, None, int(km * 330 * rng.uniform(1.0, 2.2)))  # treadmill, no distance
            else:
                s.run(d, round(km, 2))
        if rng.random() < 0.05:
            s.run(d, 30.0, 5400, kind="Ride")
        d += timedelta(days=1)
    if rng.random() < 0.5:
        s.run(last - timedelta(days=rng.randint(0, 7 * weeks - 1)), 120.0, 4 * 3600)  # a car
    s.pain = _diary(rng, first, last)
    return s, last


def _diary(rng: random.Random, first: date, last: date) -> list[str]:
    if rng.random() < 0.3:
        return []
    lines, d = [], first + timedelta(days=rng.randint(0, 60))
    while d <= last:
        roll = rng.random()
        if roll < 0.08:
            lines.append(f"{d},{rng.randint(4, 7)},inner knee,left,sudden,pop,")  # a red flag
        elif roll < 0.16:
            lines.append(f"{d},{rng.randint(1, 4)},inner knee,left,,,assessed")
        elif roll < 0.6:
            lines.append(f"{d},{rng.randint(1, 7)},inner knee,left,gradual,,")
        else:
            lines.append(f"{d},0,,,,,")
        d += timedelta(days=rng.choice([1, 1, 2, 3, 5, 9, 16]))
    return lines


def _load(tmp_path, story: Story):
    athlete = loadwatch.load_athlete(story.write(tmp_path / story.name))
    return athlete


def _options(athlete, last: date, rng: random.Random | None = None):
    options = assess_mod.options_for(athlete.settings, as_of=last, folder=athlete.folder)
    if rng is not None:
        # Confirm or ignore the car (or a random run), as the athlete may.
        ids = athlete.timeline["activity_id"].tolist()
        dist = athlete.timeline["distance_m"].fillna(0).to_numpy()
        car = [i for i, m in zip(ids, dist, strict=True) if m >= 100_000]
        pick = car or [rng.choice(ids)]
        choice = rng.random()
        if choice < 0.25:
            options = dataclasses.replace(options, confirm=frozenset(pick))
        elif choice < 0.5:
            options = dataclasses.replace(options, ignore={pick[0]: "not mine"})
    return options


def _compare(athlete, options, days: list[date]) -> None:
    table = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary)
    by_day = table.set_index("date")
    for d in days:
        v = judge(athlete.timeline, athlete.name, dataclasses.replace(options, as_of=d),
                  athlete.diary)
        row = by_day.loc[pd.Timestamp(d)]
        expected = (v.risk.level, tuple(f.code for f in v.risk.drivers), v.clinical.status)
        assert (row["level"], row["drivers"], row["clinical"]) == expected, (
            f"{athlete.name} on {d}: history {tuple(row)} != judge {expected}")


@pytest.mark.parametrize("seed", SEEDS)
def test_history_is_the_report_of_each_day_on_random_athletes(tmp_path, seed):
    story, last = random_story(seed)
    athlete = _load(tmp_path, story)
    rng = random.Random(1000 + seed)
    options = _options(athlete, last, rng)
    first = history_mod.first_day(athlete.timeline)
    span = (last - first).days
    # Random days, and the days around the week boundaries where off-by-ones hide.
    days = {first + timedelta(days=rng.randint(0, span)) for _ in range(12)}
    days |= {d + timedelta(days=k) for d in sorted(days)[::4] for k in (-1, 1)}
    _compare(athlete, options, sorted(d for d in days if first <= d <= last))


def test_history_is_the_report_of_the_pattern_squad(tmp_path):
    rng = random.Random(7)
    for story in patterns.stories():
        athlete = _load(tmp_path, story)
        options = _options(athlete, patterns.AS_OF)
        first = history_mod.first_day(athlete.timeline)
        span = (patterns.AS_OF - first).days
        days = {first, patterns.AS_OF} | {first + timedelta(days=rng.randint(0, span))
                                          for _ in range(6)}
        _compare(athlete, options, sorted(days))


def test_the_reference_is_judge_once_a_day(tmp_path):
    story = next(s for s in patterns.stories() if s.name == "spike-with-pain")
    athlete = _load(tmp_path, story)
    options = _options(athlete, patterns.AS_OF)
    start = patterns.AS_OF - timedelta(days=20)
    reference = history_mod.reference(athlete.timeline, athlete.name, options, athlete.diary,
                                      start=start)
    table = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary,
                                start=start)
    pd.testing.assert_frame_equal(table, reference)
    assert set(table["level"]) >= {"high", "usual"}


def test_the_last_row_is_the_report_and_the_table_has_its_schema(tmp_path):
    story = patterns.stories()[0]
    athlete = _load(tmp_path, story)
    table = loadwatch.history(athlete, end=patterns.AS_OF)
    assert tuple(table.columns) == loadwatch.api.HISTORY_COLUMNS == history_mod.COLUMNS
    assert str(table["date"].dtype) == "datetime64[ns]"
    assert table["date"].iloc[0] == pd.Timestamp(athlete.timeline["local_date"].min())
    assert table["date"].iloc[-1] == pd.Timestamp(patterns.AS_OF)
    assert table["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    verdict = loadwatch.assess(athlete, as_of=patterns.AS_OF).verdict
    last = table.iloc[-1]
    assert (last["level"], last["drivers"], last["clinical"]) == (
        verdict.risk.level, tuple(f.code for f in verdict.risk.drivers), verdict.clinical.status)
    part = loadwatch.history(athlete, start="2026-11-01", end="2026-11-07")
    assert part["date"].dt.strftime("%d").tolist() == ["01", "02", "03", "04", "05", "06", "07"]
    assert loadwatch.history(athlete, start="2026-11-08", end="2026-11-07").empty


def test_a_quiet_diary_keeps_its_clock_to_the_day(tmp_path):
    # Mild pain (2/10: never persistent) every day for 7 days, then silence: the episode's
    # clock runs on for MAX_GAP_DAYS (7) silent days and reaches 14 days, "get it assessed",
    # on the 7th day after the last entry; the days around it must say what judge says.
    story = patterns.steady("quiet-diary", patterns.BASE)
    start = patterns.AS_OF - timedelta(days=30)
    story.pain = [f"{start + timedelta(days=k)},2,inner knee,left,gradual,," for k in range(7)]
    athlete = _load(tmp_path, story)
    options = _options(athlete, patterns.AS_OF)
    days = [start + timedelta(days=k) for k in range(4, 20)]
    _compare(athlete, options, days)
    table = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary,
                                start=days[0], end=days[-1]).set_index("date")["clinical"]
    assert table[pd.Timestamp(start + timedelta(days=12))] == "none"
    assert table[pd.Timestamp(start + timedelta(days=13))] == "assess_soon"


def test_the_report_carries_the_level_of_each_day_of_its_weeks(tmp_path):
    story = next(s for s in patterns.stories() if s.name == "jump-and-spike")
    athlete = _load(tmp_path, story)
    report = loadwatch.assess(athlete, as_of="2026-11-22", weeks=3).to_json()
    strip = report["level_strip"]
    # From the Monday of the first week shown (2 Nov) to the report date, one entry a day.
    assert [s["date"] for s in (strip[0], strip[-1])] == ["2026-11-02", "2026-11-22"]
    assert len(strip) == 21 and report["weeks"][0]["start"] == "2026-11-02"
    table = loadwatch.history(athlete, start="2026-11-02", end="2026-11-22")
    assert [s["level"] for s in strip] == table["level"].tolist()
    assert strip[-1]["level"] == report["risk"]["level"]
    assert {s["level"] for s in strip} >= {"usual", "high"}


def test_only_activities_to_check_is_the_reports_unknown_every_day(tmp_path):
    # Every activity quarantined (a car, a run at walking pace for hours): nothing to judge on.
    story = Story("all-held")
    for k in range(3):
        story.run(patterns.AS_OF - timedelta(days=10 - k), 120.0, 4 * 3600)
    athlete = _load(tmp_path, story)
    options = _options(athlete, patterns.AS_OF)
    table = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary)
    pd.testing.assert_frame_equal(table, history_mod.reference(
        athlete.timeline, athlete.name, options, athlete.diary))
    assert set(table["level"]) == {"unknown"}


def test_a_long_diary_is_the_report_of_each_day_and_costs_well_under_a_second(tmp_path):
    import time

    last = patterns.AS_OF
    story = patterns.steady("long-diary", patterns.BASE, first=last - timedelta(days=2 * 365))
    story.pain = patterns.long_diary(last - timedelta(days=2 * 365 - 14), last)
    athlete = _load(tmp_path, story)
    options = _options(athlete, last)
    rng = random.Random(11)
    days = {last - timedelta(days=rng.randint(0, 2 * 365 - 1)) for _ in range(14)}
    _compare(athlete, options, sorted(days))
    # A dense stretch judged once a day: the statuses change there, day by day.
    start = last - timedelta(days=120)
    reference = history_mod.reference(athlete.timeline, athlete.name, options, athlete.diary,
                                      start=start, end=start + timedelta(days=40))
    table = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary,
                                start=start, end=start + timedelta(days=40))
    pd.testing.assert_frame_equal(table, reference)
    whole = history_mod.history(athlete.timeline, athlete.name, options, athlete.diary)
    assert set(whole["clinical"]) == {"check_now", "assess_soon", "none"}
    # The status of each of 730 days, each reading every entry up to it, took about 10 s of
    # CPU time when the diary was read again every day; read once, a fifth of a second.
    t0 = time.process_time()
    history_mod.history(athlete.timeline, athlete.name, options, athlete.diary)
    assert time.process_time() - t0 < 2.0


@pytest.mark.parametrize("seed", [1, 4, 7, 10])
def test_a_diary_keepers_strip_is_read_from_the_reviews_level_history(tmp_path, monkeypatch,
                                                                       seed):
    # The review counts on the level of every day since its diary began; the strip under
    # the chart is those days' rows when the table holds them, the same as made alone.
    story, last = random_story(seed)
    athlete = _load(tmp_path, story)
    made = []
    real = loadwatch.verdict.Verdict.levels

    def counting(self, start=None):
        made.append(start)
        return real(self, start)

    monkeypatch.setattr(loadwatch.verdict.Verdict, "levels", counting)
    report = loadwatch.assess(athlete, as_of=last).to_json()
    first = date.fromisoformat(report["weeks"][0]["start"])
    covered = report["review"] is not None and date.fromisoformat(
        report["review"]["diary_start"]) - timedelta(days=LOOK_BACK) <= first
    assert made == ([] if covered else [first])
    table = loadwatch.history(athlete, start=first, end=last)
    assert [s["level"] for s in report["level_strip"]] == table["level"].tolist()
    assert [s["date"] for s in report["level_strip"]] == table["date"].dt.strftime(
        "%Y-%m-%d").tolist()
