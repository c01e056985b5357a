"""The squad page's rendering time for 1,000 athletes, two source trees compared in one run.

The sample squad (``sample_data/squad``, 5 athletes) is reported once per tree, its
results repeated to ``--athletes`` rows (each its own name and folder), then the
HTML page is rendered: the page's parts (small charts or sparklines) and the
template, nothing of the import or the verdict. Each tree runs in a process of its
own (one package can be imported once per process), alternating ``--repeat`` times
so that both see the same machine load; each prints its in-process time.

    python bench/bench_squad_page.py --before /work/main [--after .] [--athletes 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import dataclasses, inspect, json, sys, time
from datetime import date
from pathlib import Path
from loadwatch import squad
from loadwatch.report import squad as views

n = int(sys.argv[1])
five = squad.run(Path(sys.argv[2]), as_of=date(2026, 11, 22), cache_dir=None, workers=1)
athletes = []
for i in range(n):
    a = five.athletes[i % len(five.athletes)]
    report = dict(a.report, athlete=f"{a.report['athlete']} {i:04d}")
    athletes.append(dataclasses.replace(a, folder=f"{a.folder}-{i:04d}", name=report["athlete"],
                                        report=report))
result = dataclasses.replace(five, athletes=squad.rank(athletes))
doc = squad.to_json(result)
start = time.perf_counter()
parts = squad.page_parts(result)
page = views.render_html(doc, *parts) if isinstance(parts, tuple) else views.render_html(doc, parts)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(page.encode())}))
"""


def run(tree: Path, athletes: int, squad_dir: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree), LOADWATCH_STATE=tempfile.mkdtemp())
    out = subprocess.run([sys.executable, "-c", CHILD, str(athletes), str(squad_dir)], env=env,
                         capture_output=True, text=True, check=True, cwd=tree, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--athletes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    squad_dir = ROOT / "sample_data" / "squad"
    times: dict[str, list[float]] = {"before": [], "after": []}
    sizes = {}
    for _ in range(args.repeat):
        for name, tree in (("before", args.before), ("after", args.after)):
            got = run(tree.resolve(), args.athletes, squad_dir)
            times[name].append(got["seconds"])
            sizes[name] = got["bytes"]
            print(f"{name}: {got['seconds']:.2f} s, {got['bytes'] / 1e6:.1f} MB", flush=True)
    before, after = (statistics.median(times[k]) for k in ("before", "after"))
    print(f"median of {args.repeat}: before {before:.2f} s, after {after:.2f} s; "
          f"after/before = {after / before:.2f}")


if __name__ == "__main__":
    main()
