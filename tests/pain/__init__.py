"""Shared helpers for the tests of loadwatch.pain: a diary written from rows, hand-made flags
and episodes."""

from datetime import date
from pathlib import Path

from loadwatch import pain
from loadwatch.flags import Flag

HEADER = "date,severity,location,side,onset,symptoms,notes\n"
GOOD_BEFORE = "2024-10-01,2,inner knee,left,gradual,tightness,first\n"
GOOD_AFTER = "2024-10-05,3,inner knee,left,gradual,,last\n"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def diary_of(tmp_path: Path, *rows: str) -> pain.Diary:
    return pain.read_diary(write(tmp_path / "pain.csv", HEADER + "".join(r + "\n" for r in rows)))


def flag(code: str, day: date, value: float | None = None, *, until: date | None = None,
         severity: str = "caution", evidence: str = "moderate") -> Flag:
    return Flag(code=code, kind="habit", severity=severity, start=day, last_date=until or day,
                value=value, threshold=None, evidence=evidence, source="test", message=code)


def episode(start: date, end: date | None = None, **kw) -> pain.Episode:
    fields = dict(start=start, end=end or start, peak=4, location="inner-knee",
                  location_key="medial_knee", side=None, onset="gradual", red_flags=(),
                  symptoms=(), entries=1)
    return pain.Episode(**(fields | kw))
