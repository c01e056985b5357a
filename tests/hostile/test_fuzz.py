"""Seeded fuzzing over the corpus: damaged real files finish fast, small and without a crash.

Every case is a real corpus file damaged one way (:mod:`tests.hostile.fuzz`):
truncated, bit-flipped, its header zeroed, garbage appended, or deeply nested XML
put inside. Each is read in a child process with an address-space limit, as the
importer reads any file (:func:`loadwatch.importers.detect.read_activity_file`,
or the Strava CSV reader). A case passes when it returns activities, a skip or
one-line ImportFailure within :data:`CASE_SECONDS`, and the child's peak memory
stays under :data:`PEAK_BYTES`. Any other exception, a crash (segfault,
MemoryError) or a hang fails the test and names the file and the damage.

The default run takes a seeded sample of the smaller files (a few seconds); the
``slow`` variant (``pytest -m slow``) takes every file, three variants of each
damage, under two more seeds.
"""

from __future__ import annotations

import random

import pytest

from tests.corpus import CORPUS
from tests.hostile import fuzz

CASE_SECONDS = 5.0
"""Longest a damaged file may take to read (the largest corpus FIT takes about 5 s whole). [s]"""

PEAK_BYTES = 400 << 20
"""Largest peak resident memory of the reading process, imports included (~180 MB). [bytes]"""

ADDRESS_SPACE = 2 << 30
"""Address-space limit of the child: a runaway allocation fails there, not on the machine. [bytes]"""

SEED = 20261122

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus absent (/work/shared/corpus)")


def _judge(results, peak, case_seconds):
    bad = [f"{r.case.source}: {r.outcome} {r.detail}".strip() for r in results
           if r.outcome not in ("ok", "skip", "failure")]
    slow = [f"{r.case.source}: {r.seconds:.1f} s" for r in results if r.seconds > case_seconds]
    assert not bad, "\n".join(bad)
    assert not slow, "\n".join(slow)
    assert peak < PEAK_BYTES, f"peak memory {peak >> 20} MB"
    # Damage is meant to break files: most must be refused or read in part, not all read.
    assert any(r.outcome == "failure" for r in results)


def test_damaged_corpus_files_sample(tmp_path):
    root = CORPUS.resolve()
    files = fuzz.corpus_files(root, max_bytes=200_000)
    sample = sorted(random.Random(SEED).sample(files, min(30, len(files))))
    cases = fuzz.cases(sample, root, tmp_path, seed=SEED)
    assert {c.kind for c in cases} == set(fuzz.KINDS)
    results, peak = fuzz.run_cases(cases, case_seconds=CASE_SECONDS, memory_bytes=ADDRESS_SPACE,
                                   total_seconds=120)
    assert len(results) == len(cases)
    _judge(results, peak, CASE_SECONDS)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [SEED + 1, SEED + 2])
def test_damaged_corpus_files_all(tmp_path, seed):
    root = CORPUS.resolve()
    cases = fuzz.cases(fuzz.corpus_files(root), root, tmp_path, seed=seed, per_kind=3)
    # Twice the time per case: the largest files take most of it whole, on a busy machine.
    results, peak = fuzz.run_cases(cases, case_seconds=2 * CASE_SECONDS,
                                   memory_bytes=ADDRESS_SPACE, total_seconds=1800)
    assert len(results) == len(cases)
    _judge(results, peak, 2 * CASE_SECONDS)


def test_the_damage_is_seeded():
    data = bytes(range(256)) * 8
    for kind in fuzz.KINDS:
        a = fuzz.damage(data, kind, random.Random(7), "x.gpx")
        b = fuzz.damage(data, kind, random.Random(7), "x.gpx")
        assert a == b and a != data


def test_a_crash_or_hang_is_reported_and_the_rest_still_run(tmp_path):
    """The harness itself: a case that kills or blocks the reader is named, the others run."""
    good = tmp_path / "good.gpx"
    good.write_bytes(b"<gpx></gpx>")
    (tmp_path / "crash.gpx").write_bytes(fuzz.SELFTEST_CRASH)
    (tmp_path / "hang.gpx").write_bytes(fuzz.SELFTEST_HANG)
    cases = [fuzz.Case(name, "none", f"{name}.gpx", tmp_path / f"{name}.gpx")
             for name in ("good", "crash", "good", "hang", "good")]
    results, peak = fuzz.run_cases(cases, case_seconds=1, memory_bytes=ADDRESS_SPACE,
                                   total_seconds=60)
    assert [r.outcome for r in results] == ["skip", "crashed", "skip", "timeout", "skip"]
    assert peak > 0
