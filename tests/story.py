"""A runner's story as a Strava activities.csv: a steady base, then too much too fast.

Weeks 1-11 (from Mon 2026-08-03): 4 runs a week (7, 7, 7 km and a 12 km Sunday long run),
one ride a week, two rest days. Weeks 12-15: 6 runs a week, daily runs rising to 6, 8,
10, 12 km and Sunday long runs of 15, 20, 30, 30 km, no cross-training. Week 16: running
every day. Used by the CLI and report tests; the hand-checked figures are in the tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
          "Moving Time,Elevation Gain,Filename\n")
FIRST_DAY = datetime(2026, 8, 3, 6, 0, tzinfo=UTC)


def rows() -> list[tuple[datetime, str, float, int, float]]:
    """(start UTC, Strava type, km, seconds, climb m) of every activity."""
    out = []
    for day in range(112):
        t = FIRST_DAY + timedelta(days=day)
        week, wd = divmod(day, 7)
        if week < 11:
            if wd in (1, 3, 5, 6):
                km = 12.0 if wd == 6 else 7.0
                out.append((t, "Run", km, int(km * 330), 50.0))
            if wd == 2:
                out.append((t, "Ride", 20.0, 3600, 0.0))
        else:
            i = min(week - 11, 3)
            km = (15.0, 20.0, 30.0, 30.0)[i] if wd == 6 else (6.0, 8.0, 10.0, 12.0)[i]
            if wd != 0 or day >= 99:
                out.append((t, "Run", km, int(km * 330), 80.0))
    return out


def write(folder: Path, *, pain: bool = True, toml: str | None = None) -> Path:
    """The story as an athlete folder (activities.csv, pain.csv, loadwatch.toml)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [HEADER]
    for i, (t, kind, km, secs, climb) in enumerate(rows(), start=1):
        when = f"{t:%b} {t.day}, {t:%Y}, {t:%I:%M:%S %p}"
        lines.append(f'{i},"{when}",{kind} {i},{kind},{secs},{km:.2f},{secs},{climb:.0f},\n')
    (folder / "activities.csv").write_text("".join(lines))
    if pain:
        (folder / "pain.csv").write_text(
            "date,severity,location,side,onset,symptoms,notes\n"
            "2026-09-01,0,,,,,\n"
            "2026-11-14,2,pes anserine,left,gradual,tightness,after the long run\n"
            "2026-11-17,4,inner knee,left,gradual,tightness;stiffness,\n"
            "2026-11-21,5,inner knee,left,gradual,stiffness,sore on stairs\n")
    (folder / "loadwatch.toml").write_text(
        toml or '[athlete]\nname = "Story"\ntimezone = "Europe/Oslo"\n')
    return folder
