"""Issue 11, item 10: no quadratic paths; 80,000 badly quoted diary lines read in about a second."""

from __future__ import annotations

import time

import pytest

from loadwatch import diaryfile, pain
from tests.hostile.helpers import deadline

HEADER = "date,severity,location,side,onset,symptoms,notes\n"
N = 80_000

BAD = {
    # Each line opens a quote it never closes: each used to re-read the rest of the file.
    "unclosed quotes": '2026-01-01,2,knee,left,gradual,,"unclosed note {i}\n',
    # A quote, then more after it: invalid in every row.
    "text after a quote": '2026-01-01,2,"knee"x,left,gradual,,n\n',
}


@pytest.mark.parametrize("kind", BAD)
def test_eighty_thousand_bad_lines_read_in_about_a_second(tmp_path, kind):
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + "".join(BAD[kind].format(i=i) for i in range(N))
                    + "2026-02-01,3,knee,,,,fine\n")
    with deadline(20):  # it took 26-46 s
        t0 = time.perf_counter()
        diary = pain.read_diary(path)
        took = time.perf_counter() - t0
    assert len(diary.errors) >= N // 2
    assert list(diary.entries["notes"]) == ["fine"]  # the row after them still counts
    assert took < 4.0


def test_one_unclosed_quote_costs_its_row_only(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + '2026-01-01,2,knee,,,,"never closed\n'
                    + "".join(f"2026-03-{d % 28 + 1:02d},1,knee,,,,plain\n" for d in range(60)))
    diary = pain.read_diary(path)
    assert len(diary.entries) == 60
    assert diary.errors == [f"{path}, line 2: not valid CSV (a double quote left open for more "
                            f"than {diaryfile.MAX_ROW_LINES} lines); check the double quotes"]


def test_a_quoted_note_over_several_lines_still_reads(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + '2026-01-01,2,knee,,,,"first\nsecond\r\nthird"\n2026-01-02,1,,,,,\n')
    diary = pain.read_diary(path)
    assert list(diary.entries["notes"]) == ["first\nsecond\r\nthird", ""]
    assert list(diary.entries["line"]) == [2, 5] and not diary.errors
