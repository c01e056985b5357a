"""Seeded damage to real files, and a worker that reads each damaged file under limits.

:func:`cases` turns corpus files into damaged variants (truncated, bit-flipped,
header zeroed, trailing garbage, deeply nested XML), the same ones for the same
seed. :func:`run_cases` reads them in a child process (``python -m
tests.hostile.fuzz``) with an address-space limit, one case after another, and
reports per case the outcome, the seconds it took and the process's peak memory;
a case that kills the child (a segfault, an uncaught MemoryError) or hangs past
its deadline is reported as such and the rest go on in a fresh child.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SELFTEST_CRASH = b"fuzz self-test: abort"
SELFTEST_HANG = b"fuzz self-test: hang"
"""Contents that make the worker abort or hang, to test that the harness names such cases."""

STARTUP_SECONDS = 60.0
"""Time a worker may take to import loadwatch before its first case. [s]"""

ACTIVITY_NAMES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".csv")
KINDS = ("truncate", "bitflip", "zero_header", "trailing_garbage", "nested_xml")


@dataclass(frozen=True)
class Case:
    source: str
    kind: str
    name: str
    path: Path


def corpus_files(root: Path, max_bytes: int | None = None) -> list[Path]:
    """Activity files and Strava CSVs under ``root``, smallest-first order fixed by name."""
    out = []
    for p in sorted(root.rglob("*")):
        if (p.is_file() and p.name.lower().endswith(ACTIVITY_NAMES)
                and (max_bytes is None or p.stat().st_size <= max_bytes)):
            out.append(p)
    return out


def damage(data: bytes, kind: str, rng: random.Random, name: str) -> bytes:
    """One damaged variant of ``data`` (gzip files are damaged inside and re-gzipped
    for the header and nesting kinds, raw for the rest)."""
    gz = name.lower().endswith(".gz")
    inner = gzip.decompress(data) if gz and kind in ("zero_header", "nested_xml") else data
    if kind == "truncate":
        out = inner[:rng.randrange(0, max(len(inner), 1))]
    elif kind == "bitflip":
        out = bytearray(inner)
        for _ in range(rng.randint(1, 16)):
            if out:
                i = rng.randrange(len(out))
                out[i] ^= 1 << rng.randrange(8)
        out = bytes(out)
    elif kind == "zero_header":
        n = rng.choice((4, 12, 14, 64, 512))
        out = b"\0" * min(n, len(inner)) + inner[n:]
    elif kind == "trailing_garbage":
        out = inner + rng.randbytes(rng.randint(1, 4096))
    elif kind == "nested_xml":
        # A million deep inside <extensions> is what killed gpxpy with SIGSEGV.
        depth = rng.choice((200, 5_000, 1_000_000))
        bomb = b"<metadata><extensions>" + b"<x>" * depth + b"</x>" * depth \
            + b"</extensions></metadata>"
        at = inner.find(b">", inner.find(b"<gpx") if b"<gpx" in inner else
                        inner.find(b"<TrainingCenterDatabase"))
        out = inner[:at + 1] + bomb + inner[at + 1:] if at > 0 else inner + bomb
    else:
        raise ValueError(kind)
    return gzip.compress(out) if gz and kind in ("zero_header", "nested_xml") else out


def cases(files: list[Path], root: Path, folder: Path, seed: int,
          kinds: tuple[str, ...] = KINDS, per_kind: int = 1) -> list[Case]:
    """Damaged copies of ``files`` written to ``folder``; the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for f in files:
        rel = f.relative_to(root).as_posix()
        data = f.read_bytes()
        for kind in kinds:
            for k in range(per_kind):
                target = folder / f"{len(out):05d}-{f.name}"
                target.write_bytes(damage(data, kind, rng, f.name))
                out.append(Case(f"{rel} ({kind} #{k})", kind, f.name, target))
    return out


@dataclass
class Result:
    case: Case
    outcome: str  # ok, skip, failure, error:<Type>, crashed, timeout
    seconds: float = 0.0
    detail: str = ""


def run_cases(all_cases: list[Case], *, case_seconds: float, memory_bytes: int,
              total_seconds: float) -> tuple[list[Result], int]:
    """Read every case in child processes; the results and the largest peak RSS [bytes].

    A case still running ``3 * case_seconds`` after it started is
    a hang: the child is killed, the case reported as ``timeout`` and the rest go on
    in a fresh child; a child that dies reports its case as ``crashed``.
    """
    results: list[Result] = []
    peak = 0
    pending = list(all_cases)
    deadline = time.monotonic() + total_seconds
    hang_after = 3 * case_seconds
    while pending:
        events, timed_out, code = _one_child(pending, hang_after, deadline, memory_bytes)
        done = {e["i"]: e for e in events if e["event"] == "done"}
        started = [e["i"] for e in events if e["event"] == "start"]
        peak = max([peak, *(e["peak_rss"] for e in done.values())])
        for i, case in enumerate(pending):
            if i in done:
                results.append(Result(case, done[i]["outcome"], done[i]["seconds"],
                                      done[i].get("detail", "")))
        unfinished = [i for i in started if i not in done]
        if not unfinished:
            if len(done) < len(pending):  # the child died between cases
                results += [Result(c, "not run") for c in pending[len(done):]]
            break
        bad = unfinished[0]
        results.append(Result(pending[bad], "timeout" if timed_out else "crashed",
                              detail=f"exit {code}"))
        pending = pending[bad + 1:]
        if time.monotonic() > deadline:
            results += [Result(c, "not run") for c in pending]
            break
    return results, peak


def _one_child(cases: list[Case], hang_after: float, deadline: float,
               memory_bytes: int) -> tuple[list[dict], bool, int | None]:
    """Run one worker over ``cases`` until it ends, dies, or hangs on a case."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        fh.write("\n".join(json.dumps([str(c.path), c.name]) for c in cases))
        manifest = fh.name
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hostile.fuzz", manifest], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[2],
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes)))
    events: list[dict] = []
    buffer = b""
    # The child's imports take a moment; the clock of the first case starts when it is ready.
    last_start = time.monotonic() + STARTUP_SECONDS
    timed_out = False
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                now = time.monotonic()
                if now - last_start > hang_after or now > deadline:
                    timed_out = True
                    proc.kill()
                    break
                if not sel.select(timeout=0.2):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    events.append(json.loads(line))
                    if events[-1]["event"] in ("ready", "start"):
                        last_start = time.monotonic()
    finally:
        proc.stdout.close()
        code = proc.wait()
        os.unlink(manifest)
    return events, timed_out, code


def _worker() -> None:
    """Read the cases listed in the file named first on the command line; one JSON line
    per event on stdout."""
    from loadwatch.importers.base import ImportFailure, Skip
    from loadwatch.importers.detect import read_activity_file
    from loadwatch.importers.strava import read_activities_csv

    def emit(**msg) -> None:
        sys.stdout.write(json.dumps(msg) + "\n")
        sys.stdout.flush()

    lines = Path(sys.argv[1]).read_text().splitlines()
    emit(event="ready")
    for i, line in enumerate(lines):
        path, name = json.loads(line)
        emit(event="start", i=i)
        data = Path(path).read_bytes()
        if data == SELFTEST_CRASH:
            os.abort()
        if data == SELFTEST_HANG:
            time.sleep(3600)
        t0 = time.perf_counter()
        detail = ""
        try:
            if name.lower().endswith(".csv"):
                read_activities_csv(data, name)
            else:
                read_activity_file(data, name)
            outcome = "ok"
        except Skip:
            outcome = "skip"
        except ImportFailure as exc:
            outcome, detail = "failure", str(exc)[:200]
        except Exception as exc:  # noqa: BLE001 - reported, then judged by the test
            outcome, detail = f"error:{type(exc).__name__}", str(exc)[:200]
        seconds = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        emit(event="done", i=i, outcome=outcome, seconds=seconds, peak_rss=rss, detail=detail)


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    _worker()
