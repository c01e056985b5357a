"""Import at scale: cold and warm, 15,000 one-hour FIT files against one, beside the raw read.

Writes N one-hour 1 Hz FIT files (one recording from the test suite's FIT writer,
its timestamps moved so that every file is a different run: two a day, going
back N/2 days), then measures, as medians:

- raw read: reading every file's bytes (the floor any import pays);
- cold import in-process: ``import_records`` with an empty cache (every file
  parsed, cache misses in a process pool) [files/s];
- cold import as a command: ``loadwatch import DIR`` on an empty cache, at N files
  and at one file; the rate is N over the difference (start-up and the process
  pool's start included in the one-file time) [files/s], the figure a user sees;
- warm import and warm report: ``loadwatch import DIR`` and ``loadwatch report
  DIR`` as commands, at N files and at one file, and the difference;
- peak memory of the cold import and of the warm report [MB].

    python bench/bench_import.py [--files 15000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import figure, median_run  # noqa: E402
from loadwatch.athlete import import_records  # noqa: E402
from loadwatch.importers.cache import Store  # noqa: E402
from loadwatch.importers.fitcrc import fit_crc  # noqa: E402
from tests.importers.fitgen import Leg, activity  # noqa: E402

AS_OF = "2026-11-22"
TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}
"""(message, field) of the date_time fields besides every message's timestamp (253):
file_id.time_created, session/lap start_time, activity.local_timestamp."""


def time_offsets(data: bytes) -> np.ndarray:
    """Byte offsets of every 4-byte date_time field of a FIT file written by fitgen
    (normal headers, one file)."""
    header = data[0]
    end = header + int.from_bytes(data[4:8], "little")
    defs, out, p = {}, [], header
    while p < end:
        h = data[p]
        p += 1
        if h & 0x40:
            big = data[p + 1] == 1
            gnum = int.from_bytes(data[p + 2:p + 4], "big" if big else "little")
            nfields, p = data[p + 4], p + 5
            fields, size = [], 0
            for _ in range(nfields):
                fields.append((data[p], size, data[p + 1]))
                size, p = size + data[p + 1], p + 3
            if h & 0x20:
                ndev, p = data[p], p + 1
                size += sum(data[p + 3 * i + 1] for i in range(ndev))
                p += 3 * ndev
            defs[h & 0x0F] = (gnum, size, fields)
            continue
        gnum, size, fields = defs[h & 0x0F]
        out += [p + off for num, off, fsize in fields
                if fsize == 4 and (num == 253 or (gnum, num) in TIME_FIELDS)]
        p += size
    return np.array(out, dtype=np.int64)


def make_files(folder: Path, n: int) -> None:
    """``n`` different one-hour runs, two a day (06:30 and 17:30 UTC) back from the report date."""
    last = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)
    template = activity(last, [Leg(seconds=3600, speed_mps=3.0, hr=(130, 165))])
    body = np.frombuffer(template[:-2], dtype=np.uint8)
    at = time_offsets(template)[:, None] + np.arange(4)
    stamps = body[at].astype(np.uint32) @ (np.uint32(1) << np.arange(0, 32, 8, dtype=np.uint32))
    for i in range(n):
        shift = -(i // 2) * 86400 + (i % 2) * 11 * 3600
        moved = body.copy()
        moved[at] = ((stamps + np.int64(shift)).astype(np.uint32)[:, None]
                     >> np.arange(0, 32, 8, dtype=np.uint32)) & 0xFF
        data = moved.tobytes()
        (folder / f"run-{i:05d}.fit").write_bytes(data + fit_crc(data).to_bytes(2, "little"))


def raw_read(folder: Path) -> None:
    for p in sorted(folder.iterdir()):
        p.read_bytes()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=15000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n, repeat = args.files, args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big, one = tmp / "runs", tmp / "one"
        big.mkdir()
        one.mkdir()
        t0 = time.perf_counter()
        make_files(big, n)
        make_files(one, 1)
        size = sum(p.stat().st_size for p in big.iterdir())
        print(f"Import: {n} one-hour 1 Hz FIT files, {size / 1e6:.0f} MB, two runs a day "
              f"(written in {time.perf_counter() - t0:.1f} s); medians of {repeat}")
        raw, cold = [], []
        for r in range(repeat):
            t0 = time.perf_counter()
            raw_read(big)
            raw.append(time.perf_counter() - t0)
            with Store(tmp / f"cold-{r}") as store:
                t0 = time.perf_counter()
                import_records([big], store)
                cold.append(time.perf_counter() - t0)
        cold_rate = n / statistics.median(cold)
        figure("raw read", n / statistics.median(raw), "files/s")
        figure("cold import in-process (process pool, empty cache)", cold_rate, "files/s",
               note=f"{statistics.median(cold) / statistics.median(raw):.0f}x the raw read")
        # The command as a user runs it: each repeat on an empty cache, the one-file
        # folder's time (start-up, the pool's start) taken off, as the target counts it.
        cli_big, cli_one, cold_peak = [], [], 0.0
        for r in range(repeat):
            t, peak = median_run(1, "import", big, "--cache-dir", tmp / f"cli-{r}")
            cli_big.append(t)
            cold_peak = max(cold_peak, peak)
            cli_one.append(median_run(1, "import", one, "--cache-dir", tmp / f"cli1-{r}")[0])
        cli_rate = n / (statistics.median(cli_big) - statistics.median(cli_one))
        figure(f"cold `loadwatch import`, {n} files (command)", statistics.median(cli_big), "s")
        figure("cold `loadwatch import`, 1 file (command)", statistics.median(cli_one), "s")
        figure(f"  files/s over the difference, N / (T({n}) - T(1))", cli_rate, "files/s", 3000,
               "higher", f"in-process: {cold_rate:,.0f} files/s")
        cache = tmp / "cache"
        median_run(1, "import", big, "--cache-dir", cache)
        median_run(1, "import", one, "--cache-dir", cache)
        warm_big, _ = median_run(repeat, "import", big, "--cache-dir", cache)
        warm_one, _ = median_run(repeat, "import", one, "--cache-dir", cache)
        figure(f"warm `loadwatch import`, {n} files", warm_big, "s")
        figure("warm `loadwatch import`, 1 file", warm_one, "s")
        figure(f"  difference ({n} files - 1 file)", warm_big - warm_one, "s", 0.3)
        report = ["report", "--as-of", AS_OF, "--cache-dir", cache, "--tz", "UTC"]
        median_run(1, *report[:1], big, *report[1:])
        report_big, report_peak = median_run(repeat, *report[:1], big, *report[1:])
        report_one, _ = median_run(repeat, *report[:1], one, *report[1:])
        figure(f"warm `loadwatch report`, {n} files", report_big, "s")
        figure("warm `loadwatch report`, 1 file", report_one, "s")
        figure(f"  difference ({n} files - 1 file)", report_big - report_one, "s", 0.3)
        figure(f"peak memory, cold `loadwatch import` of {n} files", cold_peak, "MB", 500)
        figure(f"peak memory, warm `loadwatch report` of {n} files", report_peak, "MB", 500)


if __name__ == "__main__":
    main()
