"""Squad reports at scale: the per-athlete engine, 30 and 1,000 athletes, the pool and Dask.

Each athlete folder holds a plain Strava ``activities.csv`` (about 5 runs and 1-2
cross-training sessions a week for two years) and a ``loadwatch.toml``. Prints,
as medians, each beside its target:

- the engine, flags, verdict and report model (no charts) per athlete-2-years,
  on timelines already loaded [ms];
- ``loadwatch squad`` (warm cache, JSON and text) on 30 athletes against one
  athlete, and on 1,000 athletes [s], every report made afresh (the kept reports
  dropped before each run, as on a new day: loadwatch/reuse.py); and the same
  command run again the same day, the reports taken back from the cache;
- the 30-athlete squad on the local process pool with 1 and 2 workers and on a
  Dask LocalCluster of 1 and 2 workers (started once, outside the timing): the
  scaling curve up to this machine's cores;
- peak memory of the 1,000-athlete run [MB].


    python bench/bench_squad.py [--athletes 30] [--big 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import figure, median, median_run  # noqa: E402

HEADER = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Elapsed Time",
          "Distance", "Moving Time", "Elevation Gain", "Filename"]
END = date(2026, 11, 22)


def make_squad(root: Path, athletes: int, years: int, end: date = END, seed: int = 7) -> None:
    rng = random.Random(seed)
    for a in range(athletes):
        folder = root / f"athlete-{a:04d}"
        folder.mkdir(parents=True)
        (folder / "loadwatch.toml").write_text(f'[athlete]\nname = "Athlete {a:04d}"\n'
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


def engine_ms(root: Path, cache: Path, repeat: int) -> float:
    """Median ms of judge + report model per athlete (timelines loaded beforehand)."""
    from loadwatch.assessment import options_for
    from loadwatch.athlete import load_athlete
    from loadwatch.importers.cache import Store
    from loadwatch.report import model
    from loadwatch.verdict import judge

    with Store(cache) as store:
        loaded = [load_athlete([f], store=store) for f in sorted(root.iterdir())]
    cases = [(d, options_for(d.config, as_of=END)) for d in loaded]
    for d, o in cases:  # warm up
        model.build(judge(d.timeline, d.name, o))
    per = []
    for d, o in cases:
        per.append(median(lambda d=d, o=o: model.build(judge(d.timeline, d.name, o)), repeat))
    per.sort()
    return per[len(per) // 2] * 1000


def forget_reports(cache: Path) -> None:
    """Drop the kept reports (loadwatch/reuse.py): the next run makes every report, as the
    first run of a new day does, with the import still warm."""
    with sqlite3.connect(cache / "loadwatch.sqlite") as conn:
        conn.execute("DELETE FROM results")
    conn.close()


def made(repeat: int, *args) -> tuple[float, float]:
    """Median time and peak of a warm squad run whose reports are all made afresh."""
    times, peaks = [], []
    for _ in range(repeat):
        forget_reports(args[args.index("--cache-dir") + 1])
        t, peak = median_run(1, *args)
        times.append(t)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def squad_args(root: Path, cache: Path, fmt: str = "json", *extra) -> list:
    return ["squad", root, "--as-of", END.isoformat(), "--format", fmt, "--cache-dir", cache,
            *extra]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=30)
    ap.add_argument("--big", type=int, default=1000, help="the large squad (0: skip it)")
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n, repeat = args.athletes, args.repeat
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        team, alone, cache = tmp / "team", tmp / "alone", tmp / "cache"
        make_squad(team, n, args.years)
        make_squad(alone, 1, args.years)
        print(f"Squad: {n} athletes x {args.years} years of Strava summaries, {cores} cores; "
              f"medians of {repeat}")
        cold, _ = median_run(1, *squad_args(team, cache))
        median_run(1, *squad_args(alone, cache))
        figure("engine + flags + verdict + report model, per athlete", engine_ms(team, cache, 5),
               "ms", 10)
        figure(f"cold `loadwatch squad` ({n} athletes, empty cache)", cold, "s")
        for fmt in ("json", "text"):
            many, _ = made(repeat, *squad_args(team, cache, fmt))
            one, _ = made(repeat, *squad_args(alone, cache, fmt))
            figure(f"warm `loadwatch squad --format {fmt}`, {n} athletes", many, "s")
            figure(f"warm `loadwatch squad --format {fmt}`, 1 athlete", one, "s")
            figure(f"  difference ({n} athletes - 1)", many - one, "s", 0.4)
        median_run(1, *squad_args(team, cache))
        again, _ = median_run(repeat, *squad_args(team, cache))
        figure(f"the same day again: reports taken back, {n} athletes", again, "s")

        print(f"Scaling: warm `loadwatch squad --format json`, {n} athletes")
        curve = {}
        for workers in range(1, cores + 1):
            curve[("local", workers)], _ = made(
                repeat, *squad_args(team, cache, "json", "--workers", str(workers)))
            figure(f"local process pool, {workers} worker(s)", curve[("local", workers)], "s")
        try:
            from distributed import LocalCluster
        except ImportError:
            print("  (Dask not installed: pip install 'loadwatch[dask]' for the cluster figures)")
        else:
            for workers in range(1, cores + 1):
                with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as c:
                    median_run(1, *squad_args(team, cache, "json", "--scheduler",
                                              c.scheduler_address))
                    curve[("dask", workers)], _ = made(
                        repeat, *squad_args(team, cache, "json", "--scheduler",
                                            c.scheduler_address))
                figure(f"Dask LocalCluster, {workers} worker(s) (started before)",
                       curve[("dask", workers)], "s")
        one, _ = made(repeat, *squad_args(alone, cache, "json", "--workers", "1"))
        serial = curve[("local", 1)] - one
        if serial > 0:
            per_athlete = serial / (n - 1)
            figure("per athlete, one worker ((T(n) - T(1)) / (n - 1))", per_athlete * 1000, "ms")
            print(f"  expected for 1,000 athletes on N workers: about {one:.1f} s + "
                  f"1000 x {per_athlete * 1000:.0f} ms / N (e.g. N=8: "
                  f"{one + 1000 * per_athlete / 8:.1f} s, N=32: {one + 1000 * per_athlete / 32:.1f} s)")

        if args.big:
            big = tmp / "big"
            t0 = time.perf_counter()
            make_squad(big, args.big, args.years, seed=11)
            print(f"Large squad: {args.big} athletes x {args.years} years "
                  f"(written in {time.perf_counter() - t0:.0f} s)")
            cold, cold_peak = median_run(1, *squad_args(big, cache))
            figure(f"cold `loadwatch squad`, {args.big} athletes", cold, "s")
            for fmt in ("json", "text"):
                warm, peak = made(max(1, repeat - 1), *squad_args(big, cache, fmt))
                figure(f"warm `loadwatch squad --format {fmt}`, {args.big} athletes", warm, "s",
                       15)
                figure("  peak memory (command or largest worker)", peak, "MB", 500)
            median_run(1, *squad_args(big, cache))
            again, _ = median_run(max(1, repeat - 1), *squad_args(big, cache))
            figure(f"the same day again: reports taken back, {args.big} athletes", again, "s",
                   5)
            figure("  peak memory of the cold run", cold_peak, "MB", 500)


if __name__ == "__main__":
    main()
