"""loadwatch.pain.table: the diary read once as arrays. Its episode grouping is
:func:`loadwatch.pain.episodes` on every prefix of the diary and after every cut (an
assessment restarts the clock): an entry's grouping depends on the entries before it only."""

import random
from datetime import date, timedelta

import numpy as np

from loadwatch import pain
from tests.pain import diary_of

PLACES = ["inner knee", "outer knee", "kneecap", ""]


def _lines(rng: random.Random) -> list[str]:
    lines, d = [], date(2024, 1, 1)
    for _ in range(rng.randint(10, 30)):
        severity = rng.choice(["0", "1", "3", "5", "7", ""])
        onset = rng.choice(["", "gradual", "sudden", "sudden"]) if severity not in ("", "0") else ""
        notes = "assessed" if severity == "" or rng.random() < 0.05 else ""
        lines.append(f"{d},{severity},{rng.choice(PLACES)},left,{onset},,{notes}")
        d += timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 12]))
    return lines


def test_the_tables_episodes_are_those_of_every_prefix_and_cut(tmp_path):
    for seed in range(8):
        rng = random.Random(seed)
        diary = diary_of(tmp_path, *_lines(rng))
        table = pain.DiaryTable.of(diary)
        e = table.entries
        n_all = len(e)
        for n in range(1, n_all + 1):
            for cut in {-1, rng.randint(-1, n - 1)}:
                part = pain.Diary(entries=e.iloc[cut + 1:n], errors=[])
                # Each episode by its first day and its number of entries (two entries of a
                # day are told apart by the count).
                expected = [(ep.start, ep.entries) for ep in pain.episodes(part)]
                k = table.pain_between(cut, n)
                first = np.flatnonzero(table.starts(k, cut))
                sizes = np.diff(np.append(first, len(k))).tolist()
                got = [(pain.table.to_date(int(table.day[table.pain[k[i]]])), size)
                       for i, size in zip(first.tolist(), sizes, strict=True)]
                assert got == expected, (seed, n, cut)


def test_the_table_reads_each_entry_once(tmp_path):
    diary = diary_of(tmp_path, "2024-10-01,3,inner knee,left,gradual,,",
                     "2024-10-02,6,inner knee,left,sudden,pop,",
                     "2024-10-03,,,,,,assessed by the physio",
                     "2024-10-04,0,,,,,")
    table = pain.DiaryTable.of(diary)
    assert table.day.tolist() == [pain.table.day_number(date(2024, 10, d)) for d in (1, 2, 3, 4)]
    assert np.isnan(table.severity[2]) and table.severity[[0, 1, 3]].tolist() == [3, 6, 0]
    assert table.assessed.tolist() == [False, False, True, False]
    assert table.red[1] == ("sudden onset", "a pop") and table.has_red.tolist() == [
        False, True, False, False]
    assert table.pain.tolist() == [0, 1]
    assert table.upto(date(2024, 10, 2)) == 2 and table.upto(date(2024, 9, 30)) == 0
