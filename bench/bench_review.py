"""``loadwatch review`` of a squad against a warm ``loadwatch squad`` of the same folder.

The squad is bench_squad's (:func:`bench.bench_squad.make_squad`: Strava summaries, about 5
runs and 1-2 cross-training sessions a week) with a pain diary in every athlete folder: a
pain-free first entry two years back and a few episodes of one to four entries a year (a
trauma now and then). Both commands run warm (the cache filled by one run beforehand) with
``--format json``. Prints, as medians, the review's time, the squad's, and their ratio beside
its target (issue 20: at most 3x).

    python bench/bench_review.py [--athletes 300] [--years 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_squad import END, made, make_squad  # noqa: E402
from bench.common import figure, median_run  # noqa: E402

MAX_RATIO = 3.0
"""Issue 20's budget: a review costs at most this many times a warm squad run. [-]"""


def add_diaries(root: Path, years: int, seed: int = 11) -> int:
    """A ``pain.csv`` in every athlete folder of ``root``; returns the episodes written."""
    rng = random.Random(seed)
    total = 0
    for folder in sorted(root.iterdir()):
        first = END - timedelta(days=365 * years)
        rows = [f"{first},0,,,,,diary started"]
        day = first + timedelta(days=rng.randint(20, 120))
        while day < END:
            onset = "sudden" if rng.random() < 0.3 else "gradual"
            moment = "twist" if rng.random() < 0.1 else ""
            for k in range(rng.randint(1, 4)):
                when = day + timedelta(days=2 * k)
                rows.append(f"{when},{rng.randint(2, 6)},inner knee,left,"
                            f"{onset if k == 0 else ''},{moment if k == 0 else ''},")
            total += 1
            day += timedelta(days=rng.randint(60, 200))
        (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                         + "\n".join(rows) + "\n", encoding="utf-8")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=300)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        team, cache = Path(tmp) / "team", Path(tmp) / "cache"
        make_squad(team, args.athletes, args.years)
        episodes = add_diaries(team, args.years)
        common = ["--as-of", END.isoformat(), "--format", "json", "--cache-dir", cache]
        print(f"Review: {args.athletes} athletes x {args.years} years with pain diaries "
              f"({episodes:,} episodes), {os.cpu_count() or 1} cores; medians of {args.repeat}")
        median_run(1, "squad", team, *common)  # fills the cache: both runs below are warm
        # Every report made afresh, as on a new day: a re-run the same day takes the squad's
        # reports back from the cache (loadwatch/reuse.py), which no review does.
        squad, _ = made(args.repeat, "squad", team, *common)
        review, peak = median_run(args.repeat, "review", team, *common)
        figure(f"warm `loadwatch squad`, {args.athletes} athletes, reports made", squad, "s")
        figure(f"warm `loadwatch review`, {args.athletes} athletes", review, "s")
        figure("review / squad", review / squad, "x", MAX_RATIO)
        figure("peak memory of the review", peak, "MB")


if __name__ == "__main__":
    main()
