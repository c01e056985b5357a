"""Apple Health and Garmin exports made at test time, shaped like real ones.

Apple: the DOCTYPE subset below is the export DTD of "HealthKit Export Version: 14"
(iOS HealthToolbox, as quoted in blacktop/ipsw-diffs), cut to the elements these
tests write; workouts and route files follow tdda/applehealthdata's sample export
and the "Apple Health Export" GPX files public parsers use as fixtures.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

APPLE_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth                   CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex                 CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type                 CDATA #REQUIRED
  startDate            CDATA #REQUIRED
  endDate              CDATA #REQUIRED
  average              CDATA #IMPLIED
  minimum              CDATA #IMPLIED
  maximum              CDATA #IMPLIED
  sum                  CDATA #IMPLIED
  unit                 CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="de_DE">
 <ExportDate value="2023-05-08 20:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1985-03-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""

APPLE_TAIL = "</HealthData>\n"

STEP_RECORD = (' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" '
               'sourceVersion="16.4" unit="count" creationDate="2023-05-01 08:00:00 +0200" '
               'startDate="2023-05-01 07:50:00 +0200" endDate="2023-05-01 07:59:00 +0200" '
               'value="{n}"/>\n')

CEST = timezone(timedelta(hours=2))


def apple_date(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S %z")


@dataclass
class Workout:
    """One <Workout> as the Health app writes it."""

    kind: str = "Running"
    start: datetime = datetime(2023, 5, 1, 7, 12, 3, tzinfo=CEST)
    minutes: float = 30.5
    distance_km: float | None = 5.1
    distance_stat_km: float | None = None
    stat_type: str = "HKQuantityTypeIdentifierDistanceWalkingRunning"
    hr: tuple[float, float] | None = (151.0, 178.0)
    indoor: bool | None = False
    climb_cm: float | None = 4500.0
    source: str = "Apple Watch von Anna"
    routes: list[str] = field(default_factory=list)
    duration_unit: str = "min"
    zone: str | None = "Europe/Berlin"

    def xml(self) -> str:
        end = self.start + timedelta(minutes=self.minutes + 0.5)
        dist = ""
        if self.distance_km is not None:
            dist = f' totalDistance="{self.distance_km}" totalDistanceUnit="km"'
        duration = self.minutes if self.duration_unit == "min" else self.minutes * 60
        out = [f' <Workout workoutActivityType="HKWorkoutActivityType{self.kind}" '
               f'duration="{duration}" durationUnit="{self.duration_unit}"{dist} '
               f'totalEnergyBurned="310" totalEnergyBurnedUnit="kcal" '
               f'sourceName="{self.source}" sourceVersion="9.4" '
               f'creationDate="{apple_date(end)}" startDate="{apple_date(self.start)}" '
               f'endDate="{apple_date(end)}">\n']
        if self.indoor is not None:
            out.append(f'  <MetadataEntry key="HKIndoorWorkout" value="{int(self.indoor)}"/>\n')
        if self.climb_cm is not None:
            out.append(f'  <MetadataEntry key="HKElevationAscended" value="{self.climb_cm:g} cm"/>\n')
        if self.zone is not None:
            out.append(f'  <MetadataEntry key="HKTimeZone" value="{self.zone}"/>\n')
        span = f'startDate="{apple_date(self.start)}" endDate="{apple_date(end)}"'
        if self.distance_stat_km is not None:
            out.append(f'  <WorkoutStatistics type="{self.stat_type}" {span} '
                       f'sum="{self.distance_stat_km}" unit="km"/>\n')
        if self.hr is not None:
            out.append(f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" {span} '
                       f'average="{self.hr[0]}" minimum="92" maximum="{self.hr[1]}" '
                       'unit="count/min"/>\n')
        for route in self.routes:
            out.append(f'  <WorkoutRoute sourceName="{self.source}" sourceVersion="9.4" {span}>\n'
                       '   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>\n'
                       f'   <FileReference path="{route}"/>\n'
                       '  </WorkoutRoute>\n')
        out.append(" </Workout>\n")
        return "".join(out)


def export_xml(*workouts: Workout, records: int = 3, head: str = APPLE_HEAD) -> bytes:
    body = "".join(STEP_RECORD.format(n=i % 500) for i in range(records))
    return (head + body + "".join(w.xml() for w in workouts) + APPLE_TAIL).encode()


def route_gpx(start: datetime, points: int = 120, step_s: int = 10, dlat: float = 0.0003,
              climb_every: int = 4) -> bytes:
    """An Apple route file: no <type>, speed/course/accuracy extensions, times in UTC."""
    t0 = start.astimezone(UTC)
    pts = []
    for i in range(points):
        t = t0 + timedelta(seconds=i * step_s)
        ele = 30.0 + (i // climb_every)
        pts.append(f'<trkpt lon="13.400000" lat="{52.5 + i * dlat:.6f}"><ele>{ele:.1f}</ele>'
                   f'<time>{t:%Y-%m-%dT%H:%M:%SZ}</time><extensions><speed>3.1</speed>'
                   '<course>0.5</course><hAcc>4.2</hAcc><vAcc>1.8</vAcc></extensions></trkpt>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" '
            'creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
            'http://www.topografix.com/GPX/1/1/gpx.xsd">\n  <metadata>\n    '
            f'<time>{t0:%Y-%m-%dT%H:%M:%SZ}</time>\n  </metadata>\n  <trk>\n    '
            f'<name>Route {start:%Y-%m-%d %-I:%M%p}</name>\n    <trkseg>\n'
            + "\n".join(pts) + "\n    </trkseg>\n  </trk>\n</gpx>\n").encode()


def write_apple_folder(root: Path, xml: bytes, routes: dict[str, bytes]) -> Path:
    """``root/apple_health_export/`` with export.xml and workout-routes/."""
    folder = root / "apple_health_export"
    (folder / "workout-routes").mkdir(parents=True)
    (folder / "export.xml").write_bytes(xml)
    (folder / "export_cda.xml").write_bytes(b'<?xml version="1.0"?><ClinicalDocument/>')
    for name, data in routes.items():
        (folder / "workout-routes" / name).write_bytes(data)
    return folder


def write_apple_zip(path: Path, xml: bytes, routes: dict[str, bytes]) -> Path:
    """export.zip as the Health app shares it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", xml)
        z.writestr("apple_health_export/export_cda.xml", '<?xml version="1.0"?><ClinicalDocument/>')
        for name, data in routes.items():
            z.writestr(f"apple_health_export/workout-routes/{name}", data)
    return path


def garmin_summary_json(*entries: dict) -> bytes:
    return json.dumps([{"summarizedActivitiesExport": list(entries)}]).encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# Strava: the columns of a real export's header that a rated session needs, in the
# real order (the 99-column header of tests/importers/test_strava.py, cut to these).
STRAVA_RPE_HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Elapsed Time",
    "Distance", "Max Heart Rate", "Filename", "Elapsed Time", "Moving Time", "Distance",
    "Perceived Exertion", "Prefer Perceived Exertion", "Perceived Relative Effort",
]


@dataclass(frozen=True)
class StravaRun:
    """One row of a generated Strava export: a run with no file behind it."""

    activity_id: int
    start: datetime
    minutes: float
    km: float
    rpe: str = ""
    """``Perceived Exertion`` as written ("" for a session nobody rated)."""
    prefer: str = ""
    """``Prefer Perceived Exertion`` (a setting: "true", "false" or "")."""
    sport: str = "Run"


def strava_date(dt: datetime) -> str:
    """Strava's English ``Activity Date`` (UTC): ``May 29, 2022, 3:53:35 PM``."""
    dt = dt.astimezone(UTC)
    hour = dt.hour % 12 or 12
    return f"{dt:%b} {dt.day}, {dt.year}, {hour}:{dt:%M:%S} {'AM' if dt.hour < 12 else 'PM'}"


def strava_rpe_csv(*runs: StravaRun) -> bytes:
    """An ``activities.csv`` of ``runs`` with ``Perceived Exertion`` filled where given."""
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRAVA_RPE_HEADER)
    for r in runs:
        seconds = r.minutes * 60
        writer.writerow([r.activity_id, strava_date(r.start), f"{r.sport} {r.activity_id}", r.sport,
                         round(seconds), f"{r.km:.2f}", "", "", f"{seconds:.1f}", f"{seconds:.1f}",
                         f"{r.km * 1000:.1f}", r.rpe, r.prefer, ""])
    return out.getvalue().encode()


STRAVA_HEADER = ("Activity ID", "Activity Date", "Activity Name", "Activity Type",
                 "Activity Description", "Elapsed Time", "Distance", "Max Heart Rate",
                 "Relative Effort", "Commute", "Activity Private Note", "Activity Gear", "Filename",
                 "Athlete Weight", "Bike Weight", "Elapsed Time", "Moving Time", "Distance")
"""The first 18 columns of a real 2024 export (the shared corpus's JoBoSo-2024-12-17), the
duplicated ``Elapsed Time`` and ``Distance`` included: enough for every field loadwatch reads."""


@dataclass
class StravaRow:
    """One row of a Strava export's ``activities.csv`` (a summary: no file)."""

    day: date
    km: float | None
    kind: str = "Run"
    name: str | None = None
    gear: str = ""
    minutes: float | None = None
    hour: int = 7
    filename: str = ""


def strava_csv(*rows: StravaRow, header: tuple[str, ...] = STRAVA_HEADER) -> bytes:
    """``activities.csv`` as Strava writes it (English dates, km then metres), one row each.

    A row's time is 5:30 min/km unless ``minutes`` says otherwise; its id is its position.
    """
    import csv

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for i, r in enumerate(rows, start=1):
        t = datetime(r.day.year, r.day.month, r.day.day, r.hour, 0, tzinfo=UTC)
        when = f"{t:%b} {t.day}, {t:%Y}, {t:%I:%M:%S %p}"
        secs = int(round((r.minutes if r.minutes is not None else (r.km or 0) * 5.5) * 60))
        km = "" if r.km is None else f"{r.km:.2f}"
        metres = "" if r.km is None else f"{r.km * 1000:.1f}"
        values = {"Activity ID": str(i), "Activity Date": when,
                  "Activity Name": r.name or f"{r.kind} {i}", "Activity Type": r.kind,
                  "Activity Gear": r.gear, "Filename": r.filename}
        cells, seen = [], set()
        for col in header:
            if col in seen:  # the second Elapsed Time (float s) and Distance (m)
                cells.append({"Elapsed Time": f"{secs}.0", "Distance": metres}.get(col, ""))
                continue
            seen.add(col)
            cells.append(values.get(col, {"Elapsed Time": str(secs), "Moving Time": str(secs),
                                          "Distance": km}.get(col, "")))
        w.writerow(cells)
    return out.getvalue().encode()
