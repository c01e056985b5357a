"""What the benchmarks share: timing a command in a child process, medians, the figure table.

Every figure is a median of repeated runs on this machine (2 cores shared with
other work, so single runs are noisy), printed beside its target and whether it
is within it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


_CHILD = """
import atexit, resource, sys
OUT = sys.argv.pop(1)
def _peak():
    with open('/proc/self/status') as fh:
        own = next(int(l.split()[1]) for l in fh if l.startswith('VmHWM'))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(OUT, 'w') as fh:
        fh.write(f'{own} {workers}')
atexit.register(_peak)
sys.argv[0] = 'loadwatch'
from loadwatch.cli import main
main()
"""


def run_cli(*args: str | os.PathLike, env: dict | None = None) -> tuple[float, float, int]:
    """Run ``loadwatch ARGS`` in a child process: (wall seconds, peak memory in MB, exit code).

    The peak is the larger of the command's own high-water resident set (``VmHWM``,
    which, unlike ``ru_maxrss``, does not include the memory of the process that
    started it) and that of its largest worker process (an upper bound: it counts
    pages a forked worker shares with the command).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        cmd = [sys.executable, "-c", _CHILD, peak.name, *map(str, args)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, **(env or {})}, cwd=ROOT)
        elapsed = time.perf_counter() - t0
        own, workers = (int(x) for x in (peak.read().split() or ["0", "0"]))
    return elapsed, max(own, workers) / 1024, proc.returncode


def median_run(repeat: int, *args, env: dict | None = None) -> tuple[float, float]:
    """Median wall time and the largest peak RSS [MB] of ``repeat`` runs of ``loadwatch ARGS``."""
    times, peaks = [], []
    for _ in range(repeat):
        t, peak, code = run_cli(*args, env=env)
        if code not in (0, 1):
            raise SystemExit(f"loadwatch {' '.join(map(str, args))} exited {code}")
        times.append(t)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def median(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def figure(label: str, value: float, unit: str, target: float | None = None,
           better: str = "lower", note: str = "") -> bool:
    """Print one figure beside its target; True when it is within it (or has none)."""
    ok = True
    if target is None:
        limit = ""
    else:
        ok = value <= target if better == "lower" else value >= target
        sign = "<=" if better == "lower" else ">="
        limit = f"target {sign} {target:g} {unit}   {'met' if ok else 'NOT MET'}"
    print(f"  {label:<58} {value:10.3f} {unit:<8} {limit}{'   ' + note if note else ''}",
          flush=True)
    return ok


def machine() -> str:
    """The machine the figures come from: CPU model, cores, memory, Python, OS."""
    import platform

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(line.split(":", 1)[1].strip() for line in fh
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        memory = f", {mem:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = ""
    return (f"Machine: {model}, {os.cpu_count()} cores{memory}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


if __name__ == "__main__":
    print(machine())
