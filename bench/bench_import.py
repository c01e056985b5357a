"""Import throughput: cold (empty cache) and warm (unchanged folder), beside the raw read rate.

Generates N one-hour FIT files (1 Hz records) with the test suite's FIT writer,
then, for several repetitions, measures:

- raw read: reading every file's bytes (the floor any import pays);
- cold import: ``import_paths`` with an empty cache (every file parsed);
- warm import: the same folder again (nothing parsed).

Prints medians in files/s and the cold/raw and warm/raw ratios. Usage::

    python bench/bench_import.py [--files N] [--repeat R] [--squad]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loadwatch.importers.scan import import_paths  # noqa: E402
from loadwatch.store import Store  # noqa: E402
from tests.importers.fitgen import Leg, activity  # noqa: E402


def make_files(folder: Path, n: int) -> None:
    """``n`` one-hour 1 Hz run files: a few distinct recordings, copied under new names.

    Writing FIT with fit-tool is slow; the import keys its cache on each path, so
    copies cost the importer exactly what distinct files would.
    """
    start = datetime(2025, 1, 6, 6, 30, tzinfo=UTC)
    distinct = [activity(start + timedelta(days=i), [Leg(seconds=3600, speed_mps=2.9 + i / 10)])
                for i in range(min(n, 3))]
    for i in range(n):
        (folder / f"run-{i:05d}.fit").write_bytes(distinct[i % len(distinct)])


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def raw_read(folder: Path) -> None:
    for p in sorted(folder.iterdir()):
        p.read_bytes()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "runs"
        folder.mkdir()
        t0 = time.perf_counter()
        make_files(folder, args.files)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"{args.files} one-hour 1 Hz FIT files, {size / 1e6:.1f} MB "
              f"(generated in {time.perf_counter() - t0:.1f} s)")
        raw, cold, warm = [], [], []
        for r in range(args.repeat):
            raw.append(timed(lambda: raw_read(folder)))
            cache = Path(tmp) / f"cache-{r}"
            with Store(cache) as store:
                cold.append(timed(lambda s=store: import_paths([folder], s)))
            with Store(cache) as store:
                warm.append(timed(lambda s=store: import_paths([folder], s)))
        n = args.files

        def rate(ts):
            return n / statistics.median(ts)

        print(f"raw read      {rate(raw):10.1f} files/s   (median of {args.repeat})")
        print(f"cold import   {rate(cold):10.1f} files/s   {statistics.median(cold) / statistics.median(raw):8.0f}x raw")
        print(f"warm import   {rate(warm):10.1f} files/s   {statistics.median(warm) / statistics.median(raw):8.1f}x raw")


if __name__ == "__main__":
    main()
