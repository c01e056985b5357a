"""Start-up: the commands that read no activity file import no pandas, numpy or matplotlib.

Each runs in a fresh interpreter, as the ``loadwatch`` executable does, and reports what
was imported when it ended (bench/bench_startup.py measures the time).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "matplotlib")

CODE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)),
                              file=sys.stderr))
sys.argv = ["loadwatch", *{args!r}]
from loadwatch.entry import main
main()
"""


def heavy_modules(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", CODE.format(heavy=HEAVY, args=list(args))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_imports_no_pandas_numpy_or_matplotlib():
    assert heavy_modules("--help") == []
    assert heavy_modules("pain", "--help") == []
    assert heavy_modules("report", "--help") == []


def test_pain_add_imports_no_pandas_and_still_warns_of_a_red_flag(tmp_path):
    diary = tmp_path / "pain.csv"
    assert heavy_modules("pain", "add", "--pain", str(diary), "--date", "2026-11-20",
                         "--severity", "6", "--onset", "sudden", "--symptom", "pop") == []
    assert diary.read_text(encoding="utf-8").splitlines()[-1].startswith("2026-11-20,6,")
    done = subprocess.run([sys.executable, "-m", "loadwatch", "pain", "add", "--pain", str(diary),
                           "--severity", "3", "--symptom", "giving_way"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "acute injury" in done.stderr


def test_pain_list_imports_no_pandas_and_lists_the_same_table(tmp_path):
    diary = tmp_path / "pain.csv"
    diary.write_text("date,severity,location,side,onset,symptoms,notes\n"
                     "2026-11-12,,,,,assessed,physio\n"
                     "2026-11-09,6,inner knee,left,sudden,pop;swelling,twisted\n"
                     "2026-11-14,2,inner knee,left,gradual,clicking,\n")
    assert heavy_modules("pain", "list", "--pain", str(diary)) == []
    # The table is the verdict's reading of the same diary (one renderer for both).
    from loadwatch import pain

    listed = subprocess.run([sys.executable, "-m", "loadwatch", "pain", "list", "--pain",
                             str(diary)], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == pain.format_diary(pain.read_diary(diary)) + "\n"  # echo's own
    assert "Red flag 2026-11-09: sudden onset and a pop; assessed on 12 Nov." in listed.stdout
