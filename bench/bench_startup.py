"""Start-up: how long ``loadwatch --help``, ``pain add`` and ``pain list`` take over ``import click``.

Each command runs in a fresh interpreter, as the ``loadwatch`` executable does
(``python -m loadwatch``); the figure is the median wall time of several runs minus
the median of ``python -c "import click"`` (the floor: the interpreter and click).
The target, 0.15 s, is issue 18's: a command that reads no activity file must answer
at once, which it can only if it imports no pandas, numpy or matplotlib.

    python bench/bench_startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import figure  # noqa: E402

TARGET_S = 0.15
"""Most a quick command may take over ``python -c "import click"``: issue 18. [s]"""


def wall(args: list[str], env: dict, repeat: int) -> float:
    """Median wall seconds of ``python ARGS`` in a fresh interpreter, ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LOADWATCH_CACHE": f"{tmp}/cache",
               "LOADWATCH_STATE": f"{tmp}/state", "LOADWATCH_USER_CONFIG": f"{tmp}/none.toml"}
        diary = Path(tmp) / "pain.csv"
        floor = wall(["-c", "import click"], env, args.repeat)
        print(f"Start-up, median of {args.repeat} runs, over python -c 'import click' "
              f"({floor:.3f} s):")
        ok = True
        for label, cmd in (
                ("loadwatch --help", ["--help"]),
                ("loadwatch pain add", ["pain", "add", "--pain", str(diary), "--severity", "2",
                                        "--date", "2026-11-22"]),
                ("loadwatch pain list", ["pain", "list", "--pain", str(diary)])):
            t = wall(["-m", "loadwatch", *cmd], env, args.repeat)
            ok &= figure(f"{label}, over import click", t - floor, "s", TARGET_S)
    if not ok:
        print("  (a figure above its target: see which module pulls pandas in with "
              "python -X importtime -m loadwatch ...)")


if __name__ == "__main__":
    main()
