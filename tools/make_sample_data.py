"""Write loadwatch's sample data: one runner's Strava export and watch files, and a squad.

Usage: ``python tools/make_sample_data.py sample_data`` (``make sample-data``). The output
is deterministic (fixed seed, gzip mtime 0, no dependence on today's date or the
machine's zone): running it twice gives identical files.

The runner, Ingrid (Europe/Oslo), 16 ISO weeks from Mon 2026-08-03 to Sun 2026-11-22:
weeks 1-11 a steady base (4 runs and about 32 km a week, two rest days, a ride or a
swim and a strength session); then too much too fast: weekly distance up 25-35% a
week, a hilly trail long run, a 30 km long run on Sun 2026-11-15 (more than twice her
longest run of the month before), running every day from Tue 2026-11-03 (20 days by
Sun 2026-11-22), no cross-training from week 13; gradual inner-knee (pes anserine)
pain from Mon 2026-11-16, the day after the 30 km run.
"""

from __future__ import annotations

import gzip
import io
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fit_tool.profile.profile_type import Sport, SubSport  # noqa: E402

from tests.importers import fitgen  # noqa: E402

SEED = 20261122
STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,"
    "Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,"
    "Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,Average Grade,"
    "Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,"
    "Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,"
    "Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,"
    "Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,"
    "Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,"
    "Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,"
    "Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,"
    "Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,"
    "Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,"
    "Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,"
    "Pool Length,Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Media")
N_COLUMNS = STRAVA_HEADER.count(",") + 1
PAIN_HEADER = "date,severity,location,side,onset,symptoms,notes\n"
STRAVA_TYPES = {"run": "Run", "trail": "Trail Run", "treadmill": "Run", "ride": "Ride",
                "swim": "Swim", "strength": "Weight Training"}
FIT_SPORTS = {"run": (Sport.RUNNING, SubSport.GENERIC), "trail": (Sport.RUNNING, SubSport.TRAIL),
              "treadmill": (Sport.RUNNING, SubSport.TREADMILL),
              "ride": (Sport.CYCLING, SubSport.ROAD), "swim": (Sport.SWIMMING, SubSport.LAP_SWIMMING)}


@dataclass
class Act:
    """One planned activity, in the athlete's local time."""

    local: datetime  # aware, in the athlete's zone
    kind: str        # run, trail, treadmill, ride, swim, strength
    km: float
    minutes: float
    climb: float = 0.0
    hr: tuple[int, int] = (130, 155)
    name: str = ""
    fmt: str = "csv"  # file format in the export: fit, gpx, tcx or csv (no file)
    watch_copy: bool = False
    watch_only: bool = False

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)

    @property
    def seconds(self) -> int:
        return int(round(self.minutes * 60))


@dataclass
class Athlete:
    folder: str
    name: str
    tz: str
    acts: list[Act] = field(default_factory=list)
    pain: list[str] = field(default_factory=list)
    extra_toml: str = ""


# -- file writers ---------------------------------------------------------------------------

def fit_bytes(a: Act, step_s: int = 10) -> bytes:
    sport, sub = FIT_SPORTS[a.kind]
    indoor = a.kind in ("treadmill", "swim")
    leg = fitgen.Leg(sport=sport, sub_sport=sub, seconds=a.seconds,
                     speed_mps=a.km * 1000 / a.seconds, hr=a.hr, gps=not indoor,
                     climb_m=a.climb, step_s=step_s)
    return fitgen.activity(a.utc, [leg], utc_offset_s=int(a.local.utcoffset().total_seconds()))


def _track(a: Act, step_s: int):
    """(seconds, lat, lon, elevation, hr) every ``step_s`` along a straight line."""
    n = max(2, a.seconds // step_s)
    lat0, lon0 = 59.94, 10.72
    metres_per_deg = 111_195.0
    for i in range(n + 1):
        t = min(i * step_s, a.seconds)
        frac = t / a.seconds
        d = a.km * 1000 * frac
        ele = 120 + a.climb * (1 - abs(frac - 0.5) * 2) if a.climb else 120.0
        hr = round(a.hr[0] + (a.hr[1] - a.hr[0]) * frac)
        yield t, lat0 + d / metres_per_deg, lon0, ele, hr


def gpx_bytes(a: Act, step_s: int = 30) -> bytes:
    pts = []
    for t, lat, lon, ele, hr in _track(a, step_s):
        when = (a.utc + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        pts.append(f'   <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{ele:.1f}</ele><time>{when}</time>'
                   f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
                   "</gpxtpx:TrackPointExtension></extensions></trkpt>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
            f" <metadata><time>{a.utc:%Y-%m-%dT%H:%M:%SZ}</time></metadata>\n"
            f" <trk>\n  <name>{a.name}</name>\n  <type>9</type>\n  <trkseg>\n"
            + "".join(pts) + "  </trkseg>\n </trk>\n</gpx>\n").encode()


def tcx_bytes(a: Act, step_s: int = 30) -> bytes:
    pts = []
    for t, lat, lon, ele, hr in _track(a, step_s):
        when = (a.utc + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        d = a.km * 1000 * t / a.seconds
        pts.append(f"     <Trackpoint><Time>{when}</Time><Position><LatitudeDegrees>{lat:.6f}"
                   f"</LatitudeDegrees><LongitudeDegrees>{lon:.6f}</LongitudeDegrees></Position>"
                   f"<AltitudeMeters>{ele:.1f}</AltitudeMeters><DistanceMeters>{d:.1f}"
                   f"</DistanceMeters><HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>\n")
    avg = round(sum(a.hr) / 2)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
            'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n <Activities>\n'
            f'  <Activity Sport="Running">\n   <Id>{a.utc:%Y-%m-%dT%H:%M:%SZ}</Id>\n'
            f'   <Lap StartTime="{a.utc:%Y-%m-%dT%H:%M:%SZ}">\n'
            f"    <TotalTimeSeconds>{a.seconds}</TotalTimeSeconds>\n"
            f"    <DistanceMeters>{a.km * 1000:.1f}</DistanceMeters>\n"
            f"    <AverageHeartRateBpm><Value>{avg}</Value></AverageHeartRateBpm>\n"
            f"    <MaximumHeartRateBpm><Value>{a.hr[1]}</Value></MaximumHeartRateBpm>\n"
            "    <Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>\n"
            "    <Track>\n" + "".join(pts) + "    </Track>\n   </Lap>\n  </Activity>\n"
            " </Activities>\n</TrainingCenterDatabase>\n").encode()


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(data)
    return buf.getvalue()


def strava_date(t: datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{t:%b} {t.day}, {t.year}, {hour}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'}"


def strava_row(activity_id: int, a: Act, filename: str) -> str:
    cells = [""] * N_COLUMNS
    cells[0], cells[1], cells[2] = str(activity_id), f'"{strava_date(a.utc)}"', a.name
    cells[3], cells[5] = STRAVA_TYPES[a.kind], str(a.seconds)
    cells[6] = f"{a.km:.2f}" if a.km else ""
    cells[7] = str(a.hr[1]) if a.kind != "strength" else ""
    cells[9], cells[12] = "false", filename
    cells[15], cells[16] = f"{a.seconds:.1f}", f"{a.seconds:.1f}"
    cells[17] = f"{a.km * 1000:.1f}" if a.km else ""
    cells[20] = f"{a.climb:.1f}" if a.km else ""
    cells[30] = f"{a.hr[1]:.1f}" if a.kind != "strength" else ""
    cells[31] = f"{sum(a.hr) / 2:.1f}" if a.kind != "strength" else ""
    return ",".join(cells) + "\n"


def write_strava_export(folder: Path, acts: list[Act], rng: random.Random) -> None:
    """``activities.csv`` and ``activities/`` as Strava's bulk export lays them out."""
    (folder / "activities").mkdir(parents=True, exist_ok=True)
    rows = [STRAVA_HEADER + "\n"]
    for i, a in enumerate(a for a in acts if not a.watch_only):
        activity_id = 9_800_000_000 + i * 7919
        filename = ""
        if a.fmt != "csv":
            number = 10_400_000_000 + i * 104_729 + rng.randrange(1000)  # not the activity id
            if a.fmt == "fit":
                data, ext = gz(fit_bytes(a)), "fit.gz"
            elif a.fmt == "gpx":
                data, ext = gpx_bytes(a), "gpx"
            else:
                data, ext = gz(tcx_bytes(a)), "tcx.gz"
            filename = f"activities/{number}.{ext}"
            (folder / filename).write_bytes(data)
        rows.append(strava_row(activity_id, a, filename))
    (folder / "activities.csv").write_text("".join(rows), encoding="utf-8")


def write_watch(folder: Path, acts: list[Act], rng: random.Random) -> None:
    """Raw watch FIT files: a few seconds earlier than Strava's copy, their own distance."""
    (folder / "watch").mkdir(parents=True, exist_ok=True)
    for a in acts:
        if not (a.watch_copy or a.watch_only):
            continue
        own = Act(a.local - timedelta(seconds=rng.randint(2, 20)), a.kind,
                  a.km * rng.uniform(0.99, 1.01), a.minutes, a.climb, a.hr, a.name)
        name = f"{own.local:%Y-%m-%d-%H-%M-%S}.fit"
        (folder / "watch" / name).write_bytes(fit_bytes(own))


def write_toml(folder: Path, athlete: Athlete, extra: str = "") -> None:
    (folder / "loadwatch.toml").write_text(
        f'[athlete]\nname = "{athlete.name}"\ntimezone = "{athlete.tz}"\nunits = "km"\n'
        + extra, encoding="utf-8")


def write_pain(folder: Path, lines: list[str]) -> None:
    (folder / "pain.csv").write_text(PAIN_HEADER + "".join(line + "\n" for line in lines),
                                     encoding="utf-8")


# -- the runner's story ---------------------------------------------------------------------

FIRST_MONDAY = datetime(2026, 8, 3)


def at(tz: ZoneInfo, day: int, hour: int, minute: int = 0) -> datetime:
    d = FIRST_MONDAY + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)


def ingrid(rng: random.Random) -> Athlete:
    tz = ZoneInfo("Europe/Oslo")
    acts: list[Act] = []
    fmts = ["gpx", "fit", "tcx"]

    def run(day, km, *, hour=7, minute=0, kind="run", climb=None, pace=5.6, name=None, **kw):
        climb = climb if climb is not None else round(km * rng.uniform(4, 9))
        hr = (128 + rng.randint(0, 6), 150 + min(30, int(km)) + rng.randint(0, 5))
        fmt = kw.pop("fmt", fmts[len(acts) % 3])
        acts.append(Act(at(tz, day, hour, minute), kind, km, km * pace * rng.uniform(0.97, 1.03),
                        climb, hr, name or ("Long run" if km >= 12 else "Easy run"), fmt=fmt, **kw))

    def cross(day, kind, minutes, km=0.0, hour=18):
        acts.append(Act(at(tz, day, hour), kind, km, minutes, 0.0, (110, 135),
                        {"ride": "Evening ride", "swim": "Pool swim",
                         "strength": "Strength: hips and legs"}[kind],
                        fmt="fit" if kind in ("ride", "swim") else "csv"))

    # Weeks 1-11: Mon rest, Tue run, Wed ride or swim, Thu run, Fri rest, Sat run + strength, Sun long.
    for week in range(11):
        d = week * 7
        long_km = 10 + (week % 4)
        run(d + 1, round(rng.uniform(6.5, 7.5), 1), hour=18)
        cross(d + 2, "ride" if week % 2 == 0 else "swim", 60 if week % 2 == 0 else 40,
              km=rng.uniform(22, 26) if week % 2 == 0 else 1.6)
        run(d + 3, round(rng.uniform(7.5, 8.5), 1), hour=18, watch_copy=week in (2, 5, 8))
        run(d + 5, round(rng.uniform(5.5, 6.5), 1), hour=9)
        cross(d + 5, "strength", 45, hour=17)
        if week == 5:   # Sun 2026-09-13 at 22:30 in Oslo (20:30 UTC): still Sunday
            run(d + 6, long_km, hour=22, minute=30, name="Late long run")
        elif week == 7:  # Sun 2026-09-27 at 23:40 (21:40 UTC)
            run(d + 6, long_km, hour=23, minute=40, name="Midnight long run")
        else:
            run(d + 6, long_km, hour=9, watch_copy=week in (3, 9))
    # Week 12 (Oct 19-25, DST ends Sun 25): more runs, last cross-training.
    d = 77
    for off, km in ((1, 8.0), (3, 8.0), (4, 5.0), (5, 6.0)):
        run(d + off, km, hour=18)
    cross(d + 2, "ride", 60, km=24.0)
    run(d + 6, 13.0, hour=10, watch_copy=True)   # the morning the clocks go back
    # Week 13 (Oct 26 - Nov 1): six runs, no cross-training from here on.
    d = 84
    for off, km in ((1, 8.0), (2, 7.0), (3, 9.0), (4, 6.0), (5, 7.0)):
        run(d + off, km, hour=7)
    run(d + 6, 14.0, hour=9, watch_copy=True)
    # Week 14 (Nov 2-8): a treadmill run (watch only) and a hilly trail long run.
    d = 91
    for off, km in ((1, 9.0), (2, 8.0), (3, 10.0), (5, 7.0)):
        run(d + off, km, hour=7)
    run(d + 4, 8.0, hour=19, kind="treadmill", climb=0.0, watch_only=True, name="Treadmill")
    run(d + 6, 14.0, hour=9, kind="trail", climb=680.0, pace=7.4, name="Hilly trail long run",
        fmt="gpx", watch_copy=True)
    # Week 15 (Nov 9-15): running every day, the 30 km long run on Sunday.
    d = 98
    for off, km in ((0, 6.0), (1, 8.0), (2, 7.0), (3, 9.0), (4, 7.0), (5, 7.0)):
        run(d + off, km, hour=7)
    run(d + 6, 30.0, hour=8, pace=6.1, name="Longest run ever", fmt="fit", watch_copy=True)
    # Week 16 (Nov 16-22): still every day, knee complaining.
    d = 105
    for off, km in ((0, 8.0), (1, 10.0), (2, 9.0), (3, 10.0), (4, 8.0), (5, 9.0)):
        run(d + off, km, hour=7)
    run(d + 6, 16.0, hour=22, minute=30, name="Late Sunday long run")
    pain = [
        "2026-08-30,0,,,,,felt great",
        "2026-10-04,0,,,,,",
        "2026-11-16,2,pes anserine,left,gradual,tightness,inside of the left knee tight after the run",
        "2026-11-17,3,inner knee,left,gradual,tightness;stiffness,stiff on the stairs",
        "2026-11-18,4,inner knee,left,gradual,stiffness;reduced_range,sore when bending",
        "2026-11-20,4,pes anserine,left,gradual,tightness;stiffness,",
        "2026-11-21,5,inner knee,left,gradual,stiffness;tightness,aches after every run",
    ]
    return Athlete("runner", "Ingrid", "Europe/Oslo", acts, pain,
                   "max_hr = 190\nrest_hr = 48\nsex = \"female\"\n")


# -- the squad ------------------------------------------------------------------------------

def weeks_of(first_week: int, n_weeks: int):
    """(week number, its Monday as a day offset) of ``n_weeks`` weeks from ``first_week``."""
    for week in range(first_week, first_week + n_weeks):
        yield week, week * 7


def anna(rng) -> Athlete:
    """Steady, sensible: 4 runs, a rest day or two, cross-training every week."""
    tz = ZoneInfo("Europe/London")
    acts = []
    for week, d in weeks_of(6, 10):
        for off, km in ((1, 8.0), (3, 8.0), (5, 6.0), (6, 12.0 + (week % 2))):
            acts.append(Act(at(tz, d + off, 7), "run", km, km * 5.5, 40.0, name="Run"))
        acts.append(Act(at(tz, d + 2, 18), "ride", 25.0, 60, name="Ride"))
        acts.append(Act(at(tz, d + 4, 18), "strength", 0.0, 40, name="Gym"))
    return Athlete("anna", "Anna", "Europe/London", acts,
                   ["2026-11-10,0,,,,,all good"])


def ben(rng) -> Athlete:
    """Doubled his weekly distance in the last week (GPX files in one folder)."""
    tz = ZoneInfo("Europe/Berlin")
    acts = []
    for week, d in weeks_of(6, 10):
        plan = ((1, 5.0), (3, 6.0), (6, 9.0)) if week < 15 else \
            ((0, 6.0), (1, 7.0), (2, 6.0), (3, 7.0), (5, 6.0), (6, 10.0))
        for off, km in plan:
            acts.append(Act(at(tz, d + off, 18), "run", km, km * 6.0, 20.0, name="Run", fmt="gpx"))
    return Athlete("ben", "Ben", "Europe/Berlin", acts)


def chloe(rng) -> Athlete:
    """Ran every day of the last week: weekly distance up 64%, a 7-day streak (FIT files, New York)."""
    tz = ZoneInfo("America/New_York")
    acts = []
    for day in range(42, 112):
        streak = day >= 105  # every day from Mon 2026-11-16
        if streak or day % 7 in (1, 3, 5, 6):
            km = 12.0 if day % 7 == 6 else 7.0
            acts.append(Act(at(tz, day, 6, 30), "run", km, km * 5.2, 30.0, name="Run", fmt="fit"))
    return Athlete("chloe", "Chloe", "America/New_York", acts)


def dev(rng) -> Athlete:
    """Moderate load, then a sudden knee injury (TCX files, gzipped)."""
    tz = ZoneInfo("Europe/Madrid")
    acts = []
    for _week, d in weeks_of(6, 10):
        for off, km in ((1, 7.0), (3, 8.0), (6, 11.0)):
            acts.append(Act(at(tz, d + off, 19), "run", km, km * 5.4, 60.0, name="Run", fmt="tcx"))
    pain = ["2026-11-19,7,inner knee,right,sudden,pop;swelling;giving_way;twist,"
            "twisted it stepping off a kerb during the run"]
    return Athlete("dev", "Dev", "Europe/Madrid", acts, pain)


def emma(rng) -> Athlete:
    """A small Strava export with a long-run spike in the last week."""
    tz = ZoneInfo("Europe/Oslo")
    acts = []
    for week, d in weeks_of(6, 10):
        for off, km in ((1, 6.0), (3, 7.0), (5, 6.0), (6, 10.0)):
            if week == 15 and off == 6:
                km = 24.0
            acts.append(Act(at(tz, d + off, 8), "run", km, km * 5.8, 50.0,
                            name="Long run" if off == 6 else "Run",
                            fmt="gpx" if off == 6 else "csv"))
        acts.append(Act(at(tz, d + 2, 19), "swim", 1.5, 35, name="Swim"))
    return Athlete("emma", "Emma", "Europe/Oslo", acts, ["2026-11-01,0,,,,,"])


def write_plain_csv(folder: Path, acts: list[Act]) -> None:
    """The pre-2019 export form, rows only."""
    rows = ["id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"]
    for i, a in enumerate(acts):
        rows.append(f"{700_000 + i},{a.utc:%Y-%m-%d %H:%M:%S},{a.name},{STRAVA_TYPES[a.kind]},,"
                    f"{a.seconds},{a.km * 1000:.1f},false,,\n")
    (folder / "activities.csv").write_text("".join(rows), encoding="utf-8")


def write_files(folder: Path, acts: list[Act], fmt: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for a in acts:
        stem = f"{a.local:%Y-%m-%d_%H%M}_{a.kind}"
        if fmt == "gpx":
            (folder / f"{stem}.gpx").write_bytes(gpx_bytes(a, step_s=60))
        elif fmt == "fit":
            (folder / f"{stem}.fit").write_bytes(fit_bytes(a, step_s=30))
        else:
            (folder / f"{stem}.tcx.gz").write_bytes(gz(tcx_bytes(a, step_s=60)))


def main(out: Path) -> None:
    rng = random.Random(SEED)
    if out.exists():
        shutil.rmtree(out)
    runner = ingrid(rng)
    folder = out / "runner"
    write_strava_export(folder, runner.acts, rng)
    write_watch(folder, runner.acts, rng)
    write_toml(folder, runner, runner.extra_toml)
    write_pain(folder, runner.pain)

    squad = out / "squad"
    for make in (anna, ben, chloe, dev, emma):
        athlete = make(rng)
        folder = squad / athlete.folder
        folder.mkdir(parents=True)
        if athlete.folder == "anna":
            write_plain_csv(folder, athlete.acts)
        elif athlete.folder == "emma":
            write_strava_export(folder, athlete.acts, rng)
        else:
            write_files(folder, athlete.acts, {"ben": "gpx", "chloe": "fit", "dev": "tcx"}[athlete.folder])
        write_toml(folder, athlete)
        if athlete.pain:
            write_pain(folder, athlete.pain)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_sample_data.py OUTPUT_FOLDER")
    main(Path(sys.argv[1]))
