"""A generated squad of runners, one training pattern each, with the risk level it should get.

Every athlete is a folder with a Strava-style ``activities.csv`` (rows only: the
summaries are the data), a ``loadwatch.toml`` and, where the story needs one, a
``pain.csv``. All stories end on the report date :data:`AS_OF` (a Sunday) and
run for 16 weeks unless they say otherwise. :data:`EXPECTED` gives the level
each must get and, for ``high`` and ``raised``, the driver codes: ``high`` only
where strong evidence is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 22)
"""The report date: a Sunday."""
WEEKS = 16
FIRST = AS_OF - timedelta(days=7 * WEEKS - 1)  # a Monday
HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
          "Moving Time,Elevation Gain,Filename\n")
PACE_S_PER_KM = 330


@dataclass
class Story:
    """One athlete: activities as (day, Strava type, km or None, seconds), and a diary."""

    name: str
    rows: list[tuple[date, str, float | None, int]] = field(default_factory=list)
    pain: list[str] = field(default_factory=list)

    def run(self, day: date, km: float | None, seconds: int | None = None, kind: str = "Run"):
        self.rows.append((day, kind, km, seconds if seconds is not None
                          else int((km or 0) * PACE_S_PER_KM)))

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        lines = [HEADER]
        for i, (day, kind, km, secs) in enumerate(sorted(self.rows), start=1):
            t = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
            when = f"{t:%b} {t.day}, {t:%Y}, {t:%I:%M:%S %p}"
            dist = "" if km is None else f"{km:.2f}"
            lines.append(f'{i},"{when}",{kind} {i},{kind},{secs},{dist},{secs},20,\n')
        (folder / "activities.csv").write_text("".join(lines))
        (folder / "loadwatch.toml").write_text(
            f'[athlete]\nname = "{self.name}"\ntimezone = "UTC"\n')
        if self.pain:
            (folder / "pain.csv").write_text(
                "date,severity,location,side,onset,symptoms,notes\n" + "\n".join(self.pain) + "\n")
        return folder


def days(first: date = FIRST, last: date = AS_OF):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def steady(name: str, pattern: dict[int, float], first: date = FIRST, last: date = AS_OF,
           kind: str = "Run") -> Story:
    """The same runs on the same weekdays (0 Monday) every week."""
    s = Story(name)
    for d in days(first, last):
        if d.weekday() in pattern:
            s.run(d, pattern[d.weekday()], kind=kind)
    return s


def weeks_of(story: Story, plan: list[dict[int, float]], first: date) -> Story:
    """One dict of weekday -> km per week, from the Monday ``first``."""
    for w, week in enumerate(plan):
        for wd, km in week.items():
            story.run(first + timedelta(days=7 * w + wd), km)
    return story


BASE = {1: 6.0, 3: 6.0, 6: 12.0}
"""Tuesday, Thursday and a Sunday long run: 24 km a week."""


def stories() -> list[Story]:
    out = []
    # Steady runners on every kind of weekday arrangement: usual.
    out.append(steady("steady-tue-thu-sun", BASE))
    out.append(steady("steady-mon-wed-fri", {0: 8.0, 2: 8.0, 4: 8.0}))
    out.append(steady("steady-long-only", {5: 20.0}))
    out.append(steady("steady-five-days", {0: 5.0, 1: 10.0, 3: 5.0, 4: 8.0, 6: 16.0}))
    out.append(steady("steady-weekend", {5: 10.0, 6: 10.0}))
    # Every day the same distance: monotony capped, a streak, no rest: habits only.
    out.append(steady("daily-same", {d: 8.0 for d in range(7)}))
    # A cyclist who runs once a week.
    cyclist = steady("cyclist-who-runs", {6: 5.0})
    for d in days():
        if d.weekday() in (0, 1, 3, 4, 5):
            cyclist.run(d, 30.0, 3600, kind="Ride")
    out.append(cyclist)
    # Treadmill-only, no distance: checked by running time, steady.
    tread = Story("treadmill-only")
    for d in days():
        if d.weekday() in (1, 3, 6):
            tread.run(d, None, 2700 if d.weekday() != 6 else 3600)
    out.append(tread)
    # A novice building 10% a week from 6 km: usual.
    novice = Story("novice-steady-build")
    km = 6.0
    for w in range(WEEKS):
        weeks_of(novice, [{1: km / 3, 3: km / 3, 6: km / 3}], FIRST + timedelta(days=7 * w))
        km *= 1.08
    out.append(novice)
    # A novice more than doubling a small week (6 km to 14 km, runs no longer than before).
    doubler = steady("novice-doubling", {1: 2.0, 3: 2.0, 6: 2.0}, last=AS_OF - timedelta(days=7))
    weeks_of(doubler, [{0: 2.0, 1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0, 5: 2.0, 6: 2.0}],
             AS_OF - timedelta(days=6))
    out.append(doubler)
    # A long-run spike: 2.5x the longest of the month, last Sunday.
    spike = steady("long-run-spike", BASE, last=AS_OF - timedelta(days=14))
    weeks_of(spike, [{1: 6.0, 3: 6.0, 6: 30.0}, {1: 6.0, 3: 6.0}], AS_OF - timedelta(days=13))
    out.append(spike)
    # A moderate spike (1.5x) four days ago.
    moderate = steady("moderate-spike", BASE, last=AS_OF - timedelta(days=7))
    weeks_of(moderate, [{1: 6.0, 3: 18.0}], AS_OF - timedelta(days=6))
    out.append(moderate)
    # A 1.5x spike 20 days ago: outside the 14 days, usual now.
    old = steady("old-spike", BASE)
    old.rows = [r for r in old.rows if r[0] != AS_OF - timedelta(days=21)]
    old.run(AS_OF - timedelta(days=20), 18.0)
    out.append(old)
    # A small spike while knee pain of 4/10 goes on: high.
    sore = steady("spike-with-pain", BASE, last=AS_OF - timedelta(days=7))
    weeks_of(sore, [{1: 6.0, 3: 6.0, 5: 14.0}], AS_OF - timedelta(days=6))
    sore.pain = [f"{AS_OF - timedelta(days=3)},4,inner knee,left,gradual,tightness,",
                 f"{AS_OF - timedelta(days=1)},4,inner knee,left,gradual,tightness,"]
    out.append(sore)
    # Rising pain with flat load: the load level stays usual (the pain is a clinical matter).
    rising = steady("rising-pain-flat-load", BASE)
    rising.pain = [f"{AS_OF - timedelta(days=20 - 3 * i)},{2 + i},inner knee,right,gradual,,"
                   for i in range(5)]
    out.append(rising)
    # A week 40% up with runs no longer than usual: raised.
    jump = steady("weekly-jump", {0: 6.0, 2: 6.0, 4: 6.0, 6: 12.0}, last=AS_OF - timedelta(days=7))
    weeks_of(jump, [{0: 6.0, 1: 6.0, 2: 6.0, 4: 6.0, 5: 6.0, 6: 12.0}], AS_OF - timedelta(days=6))
    out.append(jump)
    # A week 33% up with a 1.67x run in it: high.
    both = steady("jump-and-spike", BASE, last=AS_OF - timedelta(days=7))
    weeks_of(both, [{1: 6.0, 3: 6.0, 5: 20.0}], AS_OF - timedelta(days=6))
    out.append(both)
    # Two weeks up 25% and 26%, runs kept short: a ramp (and no single week over 30%).
    ramp = steady("two-week-ramp", {0: 5.0, 1: 5.0, 3: 5.0, 5: 5.0}, last=AS_OF - timedelta(days=14))
    weeks_of(ramp, [{0: 5.0, 1: 5.0, 2: 5.0, 3: 5.0, 5: 5.0},
                    {d: 5.25 for d in (0, 1, 2, 3, 4, 5)}], AS_OF - timedelta(days=13))
    out.append(ramp)
    # Back after 45 days off with a run longer than before the break.
    back = steady("return-from-break", BASE, last=AS_OF - timedelta(days=50))
    back.run(AS_OF - timedelta(days=3), 14.0)
    out.append(back)
    # Back after a break, starting short and staying there two weeks: usual.
    careful = steady("careful-return", BASE, last=AS_OF - timedelta(days=50))
    for k in (12, 10, 8, 5, 3, 1):
        careful.run(AS_OF - timedelta(days=k), 4.0)
    out.append(careful)
    # A watch left running in a car: 120 km in 4 hours as a "run". Quarantined, and it
    # would make the level high if it were real: unknown until confirmed or ignored.
    car = steady("watch-in-car", BASE)
    car.run(AS_OF - timedelta(days=4), 120.0, 4 * 3600)
    out.append(car)
    # The same, then a genuine 2.2x long run: the car does not hide it.
    car2 = steady("car-then-long-run", BASE, last=AS_OF - timedelta(days=7))
    car2.run(AS_OF - timedelta(days=11), 130.0, 4 * 3600)
    weeks_of(car2, [{1: 6.0, 3: 6.0, 5: 26.0}], AS_OF - timedelta(days=6))
    out.append(car2)
    # Marathon taper: a build to 32 km long runs, then three lighter weeks.
    taper = Story("marathon-taper")
    plan = ([{1: 8.0, 3: 10.0, 6: 16.0 + 2 * w} for w in range(8)]
            + [{1: 8.0, 3: 10.0, 6: 32.0} for _ in range(5)]
            + [{1: 8.0, 3: 8.0, 6: 24.0}, {1: 6.0, 3: 8.0, 6: 18.0}, {1: 6.0, 3: 5.0, 6: 12.0}])
    out.append(weeks_of(taper, plan, FIRST))
    # Stopped uploading three weeks ago.
    out.append(steady("stopped-uploading", BASE, last=AS_OF - timedelta(days=21)))
    # A new user: 20 days of data.
    out.append(steady("new-user", BASE, first=AS_OF - timedelta(days=19)))
    # A Wednesday report while the long run moved from Sunday to Tuesday: no false jump.
    shifted = steady("shifted-long-run", BASE, last=AS_OF - timedelta(days=7))
    weeks_of(shifted, [{0: 6.0, 1: 12.0, 3: 6.0}], AS_OF - timedelta(days=6))
    out.append(shifted)
    # A treadmill runner who doubles the long run's time: high, by the time proxy.
    tspike = Story("treadmill-spike")
    for d in days():
        if d.weekday() in (1, 3, 6):
            tspike.run(d, None, 3600)
    tspike.run(AS_OF - timedelta(days=2), None, 8000)
    out.append(tspike)
    return out


EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "steady-tue-thu-sun": ("usual", ()),
    "steady-mon-wed-fri": ("usual", ()),
    "steady-long-only": ("usual", ()),
    "steady-five-days": ("usual", ()),
    "steady-weekend": ("usual", ()),
    "daily-same": ("usual", ()),
    "cyclist-who-runs": ("usual", ()),
    "treadmill-only": ("usual", ()),
    "novice-steady-build": ("usual", ()),
    "novice-doubling": ("raised", ("weekly_distance_jump",)),
    "long-run-spike": ("high", ("long_run_spike",)),
    "moderate-spike": ("raised", ("long_run_spike",)),
    "old-spike": ("usual", ()),
    "spike-with-pain": ("high", ("long_run_spike",)),
    "rising-pain-flat-load": ("usual", ()),
    "weekly-jump": ("raised", ("weekly_distance_jump",)),
    "jump-and-spike": ("high", ("long_run_spike", "weekly_distance_jump")),
    "two-week-ramp": ("raised", ("cumulative_ramp",)),
    "return-from-break": ("raised", ("return_spike",)),
    "careful-return": ("usual", ()),
    "watch-in-car": ("unknown", ()),
    "car-then-long-run": ("high", ("long_run_spike", "weekly_distance_jump")),
    "marathon-taper": ("usual", ()),
    "stopped-uploading": ("unknown", ()),
    "new-user": ("unknown", ()),
    "shifted-long-run": ("usual", ()),
    "treadmill-spike": ("high", ("duration_spike",)),
}
"""Level and driver codes per athlete folder."""

SHIFTED_AS_OF = AS_OF - timedelta(days=4)
"""The shifted-long-run story is also checked on a Wednesday (its week in progress)."""


def write_squad(root: Path) -> Path:
    """Every story as an athlete folder under ``root``."""
    for s in stories():
        s.write(root / s.name)
    return root


def long_diary(first: date, last: date, seed: int = 5) -> list[str]:
    """Diary lines (no header) from ``first`` to ``last``: an entry every 1 to 3 days (pain-free
    between episodes), an episode every ~3 months (gradual, or sudden at a twist with
    swelling), night pain (a red flag) on its 6th entry, an assessment on its 9th, and now
    and then a silence of 9 to 25 days. The history tests and bench/bench_history.py read it."""
    rng = random.Random(seed)
    lines, d, left = [], first, 0
    while d <= last:
        k = (d - first).days
        if left == 0 and k % 97 < 3 and k > 20:
            left, kind, t = rng.randint(10, 30), rng.choice(["gradual", "sudden"]), 0
        if left > 0:
            severity = max(1, min(8, t // 3 + rng.randint(1, 3)))
            onset = kind if t == 0 else ""
            symptoms = ("twist;weight_bearing_pain;swelling" if kind == "sudden" and t == 0
                        else "night_pain" if t == 5 else "")
            notes = "assessed by the physio" if t == 8 else ""
            lines.append(f"{d},{severity},inner knee,left,{onset},{symptoms},{notes}")
            left, t = max(left - rng.randint(1, 3), 0), t + 1
        else:
            lines.append(f"{d},0,,,,,")
        d += timedelta(days=rng.randint(1, 3) if rng.random() < 0.97 else rng.randint(9, 25))
    return lines
