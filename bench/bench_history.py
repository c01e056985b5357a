"""The level's history: ``loadwatch.history`` of one athlete over 5 years, warm, in-process.

One generated athlete (bench_squad's Strava summaries: about 5 runs and 1-2 rides a
week) over five years, loaded once; the figure is the median of repeated
:func:`loadwatch.history` calls over every day of the data (about 1,830 days): with
no diary, with a pain diary of the last 6 months (an entry every third day), and with
a realistic diary of the last 2 years (an entry every 1 to 3 days, a few episodes,
red flags, assessments, silences: :func:`_realistic`). The clinical status is
evaluated on each entry's day and the 7 after it
(:mod:`loadwatch.verdict.history_clinical`), from the diary read once as arrays
(:class:`loadwatch.pain.DiaryTable`), so a long, dense diary costs a fraction of
the load's history. The report's cost of that diary: one :func:`loadwatch.assess`
with it against without it (the issue: no more than about 50 ms more).
For scale, one verdict (:func:`loadwatch.verdict.judge`), the cost of each day if
the history ran the report once a day.

    python bench/bench_history.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_squad import END, make_squad  # noqa: E402
from bench.common import figure, median  # noqa: E402
from tests.verdict.patterns import long_diary  # noqa: E402

YEARS = 5
TARGET_S = 0.5
"""The issue asks "well under a second" for 5 years, warm. [s]"""


DIARY_DAYS = 182
"""The diary of the bench covers the last this many days. [days]"""


def _diary(folder: Path, seed: int = 3, days: int = DIARY_DAYS) -> None:
    rng = random.Random(seed)
    lines, day = [], END - timedelta(days=days)
    while day <= END:
        severity = rng.choice([0, 0, 0, 1, 2, 3, 4])
        lines.append(f"{day},{severity},inner knee,left,{'gradual' if severity else ''},,")
        day += timedelta(days=3)
    (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                     + "\n".join(lines) + "\n")


REPORT_EXTRA_MS = 50
"""The issue asks a report with a long diary to cost no more than about this much more than
without it. [ms]"""


def _realistic(folder: Path, seed: int = 5, years: int = 2) -> int:
    """A diary of the last ``years`` years (:func:`tests.verdict.patterns.long_diary`) in
    ``folder``. Returns the number of entries."""
    lines = long_diary(END - timedelta(days=365 * years), END, seed)
    (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                     + "\n".join(lines) + "\n")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import loadwatch
    from loadwatch import assessment
    from loadwatch.verdict import judge

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "squad"
        make_squad(root, 1, YEARS)
        folder = next(root.iterdir())
        athlete = loadwatch.load_athlete(folder)
        days = (END - athlete.timeline["local_date"].min().date()).days + 1
        print(f"History: one athlete, {YEARS} years ({days:,} days, "
              f"{len(athlete.timeline):,} activities), warm, median of {args.repeat}")
        loadwatch.history(athlete, end=END)  # warm up
        ok = figure("loadwatch.history, no diary", median(
            lambda: loadwatch.history(athlete, end=END), args.repeat), "s", TARGET_S)
        _diary(folder)
        with_diary = loadwatch.load_athlete(folder)
        loadwatch.history(with_diary, end=END)
        ok &= figure("loadwatch.history, 6-month diary, every 3rd day", median(
            lambda: loadwatch.history(with_diary, end=END), args.repeat), "s", TARGET_S)
        entries = _realistic(folder)
        real = loadwatch.load_athlete(folder)
        loadwatch.history(real, end=END)
        ok &= figure(f"loadwatch.history, 2-year diary ({entries} entries)", median(
            lambda: loadwatch.history(real, end=END), args.repeat), "s", TARGET_S)
        plain = median(lambda: loadwatch.assess(athlete, as_of=END), args.repeat)
        diary = median(lambda: loadwatch.assess(real, as_of=END), args.repeat)
        ok &= figure("report (loadwatch.assess): 2-year diary - none", (diary - plain) * 1000,
                     "ms", REPORT_EXTRA_MS, note=f"{plain * 1000:.0f} ms without")
        options = assessment.options_for(athlete.settings, as_of=END)
        one = median(lambda: judge(athlete.timeline, athlete.name, options), args.repeat)
        figure("one verdict (judge), for scale", one * 1000, "ms",
               note=f"x {days:,} days = {one * days:.0f} s once a day")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
