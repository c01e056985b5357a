"""Squad report time: a generated squad (30 athletes x 2 years), cold and warm cache, peak memory.

Each athlete folder holds a plain Strava ``activities.csv`` (about 5 runs and 1-2
cross-training sessions a week for two years) and a ``loadwatch.toml``. Prints the
median wall time of ``squad.run`` with an empty cache (cold) and again (warm),
and the peak resident memory of this process and of its worker processes.

    python bench/bench_squad.py [--athletes 30] [--years 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loadwatch import squad  # noqa: E402

HEADER = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Elapsed Time",
          "Distance", "Moving Time", "Elevation Gain", "Filename"]


def make_squad(root: Path, athletes: int, years: int, end: date) -> None:
    rng = random.Random(7)
    for a in range(athletes):
        folder = root / f"athlete-{a:02d}"
        folder.mkdir(parents=True)
        (folder / "loadwatch.toml").write_text(f'[athlete]\nname = "Athlete {a:02d}"\n'
                                               'timezone = "Europe/Oslo"\n')
        rows, day, n = [], end - timedelta(days=365 * years), 0
        while day <= end:
            if rng.random() < 0.72:
                km = rng.uniform(5, 14) * (2.0 if day.weekday() == 6 else 1.0)
                kind = "Run"
            elif rng.random() < 0.5:
                km, kind = rng.uniform(15, 40), "Ride"
            else:
                day += timedelta(days=1)
                continue
            n += 1
            start = datetime(day.year, day.month, day.day, 6) + timedelta(minutes=rng.randint(0, 600))
            secs = int(km * rng.uniform(300, 390) if kind == "Run" else km * 150)
            rows.append([a * 100000 + n, start.strftime("%b %-d, %Y, %-I:%M:%S %p"), f"{kind} {n}",
                         kind, secs, f"{km:.2f}", secs, f"{rng.uniform(0, 200):.0f}", ""])
            day += timedelta(days=1)
        with open(folder / "activities.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            w.writerows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=30)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    end = date(2026, 11, 22)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "squad"
        make_squad(root, args.athletes, args.years, end)
        cold, warm = [], []
        for r in range(args.repeat):
            cache = str(Path(tmp) / f"cache-{r}")
            for times in (cold, warm):
                t0 = time.perf_counter()
                result = squad.run(root, as_of=end, cache_dir=cache)
                times.append(time.perf_counter() - t0)
        reported = sum(a.report is not None for a in result.athletes)
        print(f"{args.athletes} athletes x {args.years} years "
              f"({reported} reported), median of {args.repeat}:")
        print(f"cold squad report  {statistics.median(cold):7.2f} s")
        print(f"warm squad report  {statistics.median(warm):7.2f} s")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory        {own:7.0f} MB (this process), {workers:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
