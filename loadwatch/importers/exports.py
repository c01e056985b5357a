"""Strava exports: ``activities.csv`` in a folder or a ``.zip``, and the files its rows name.

A row that names a file is read from that file (richer data); when the file is
missing or unreadable the row's own summary is used and the problem is reported.
Rows with no file (manual entries) count too. The athlete's name and sport from
Strava win over the file's, and a damaged file that holds less than its row gives
way to the row's distance and times.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loadwatch.importers import archives
from loadwatch.importers.base import Activity, ImportFailure
from loadwatch.importers.detect import read_activity_file
from loadwatch.importers.reader import Reader, activities_of, read_file, ticking
from loadwatch.importers.sports import is_guess_note, normalise
from loadwatch.importers.strava import read_activities_csv
from loadwatch.importers.strava_files import open_export_zip, resolve_in_folder


def read_export_csv(reader: Reader, csv_path: Path, claimed: set[Path]) -> list[Activity]:
    """A Strava ``activities.csv`` in a folder; the files it names are read next to it."""
    done: dict[Path, tuple[str, str, object]] = {}

    def member(filename: str) -> tuple[str, str, object]:
        found = resolve_in_folder(csv_path, filename)
        if found is None:
            return str(csv_path.parent / filename), "missing", "file not found"
        claimed.add(found)
        # Cells that spell one file differently (case, .gz) read it once.
        if found not in done:
            done[found] = (str(found), *reader.activity_file(found))
        return done[found]

    try:
        st = csv_path.stat()
    except OSError as exc:
        reader.record(str(csv_path), "error", f"cannot read: {exc.strerror or exc}")
        return []
    status, payload = reader.outcome(f"csv:{csv_path.resolve()}", st.st_size, st.st_mtime_ns,
                                     lambda: read_file(csv_path),
                                     lambda d: _parse_csv(d, str(csv_path)))
    return _export_rows(reader, str(csv_path), status, payload, member)


def read_export_zip(reader: Reader, zip_path: Path) -> list[Activity]:
    """A ``.zip``: a Strava export read in place; any other zip goes to :mod:`.archives`."""
    if not archives.is_strava_zip(zip_path):
        return archives.read_zip(reader, zip_path)
    try:
        export = open_export_zip(zip_path)
    except ImportFailure as exc:
        reader.record(str(zip_path), "error", str(exc))
        return []
    with export:
        return _read_open_zip(reader, zip_path, export)


def _read_open_zip(reader: Reader, zip_path: Path, export) -> list[Activity]:
    st = zip_path.stat()
    label = f"{zip_path}!{export.csv_name}"

    done: dict[str, tuple[str, str, object]] = {}

    def member(filename: str) -> tuple[str, str, object]:
        where = f"{zip_path}!{filename}"
        try:
            info = export.member_info(filename)
        except ImportFailure as exc:
            return where, "error", str(exc)
        if info is None:
            return where, "missing", "file not found in the zip"
        # Cells that spell one member differently (case, .gz) read it once.
        if info.filename not in done:
            status, payload = reader.outcome(
                f"zip:{zip_path.resolve()}!{info.filename}", info.file_size, st.st_mtime_ns,
                lambda: export.read(info),
                lambda d: read_activity_file(d, where),
            )
            done[info.filename] = where, status, activities_of(status, payload)
        return done[info.filename]

    status, payload = reader.outcome(f"zipcsv:{zip_path.resolve()}", st.st_size, st.st_mtime_ns,
                                     lambda: export.csv_bytes, lambda d: _parse_csv(d, label))
    return _export_rows(reader, label, status, payload, member)


def _parse_csv(data: bytes, path: str) -> dict:
    result = read_activities_csv(data, path)
    return {
        "rows": [{"activity": r.activity.to_json(), "filename": r.filename, "line": r.line}
                 for r in result.rows],
        "errors": list(result.errors),
    }


def _export_rows(reader: Reader, csv_label: str, status: str, payload,
                 member: Callable[[str], tuple[str, str, object]]) -> list[Activity]:
    """Activities of an export: each row from its file where it can, else from the row."""
    if status != "ok":
        reader.record(csv_label, status, payload)
        return []
    reader.report.files_seen += 1
    reader.report.errors += [(csv_label, e) for e in payload["errors"]]
    rows = payload["rows"]
    named = [r["filename"] for r in rows if r["filename"]]
    looked_up = {f: member(f) for f in ticking(reader, f"Reading {csv_label}", named, "activities")}
    if looked_up and all(status == "missing" for _, status, _ in looked_up.values()):
        # activities.csv on its own (the activity files were not kept): its rows are the data.
        reader.report.notes.append(
            f"{csv_label}: none of the {len(looked_up)} activity files it names is here; "
            "used the summaries in the CSV")
        return [Activity.from_json(r["activity"]) for r in rows]
    out: list[Activity] = []
    for row in rows:
        summary = Activity.from_json(row["activity"])
        filename = row["filename"]
        if not filename:
            out.append(summary)
            continue
        where, fstatus, fpayload = looked_up[filename]
        if fstatus != "missing":
            reader.report.files_seen += 1
        if fstatus == "ok" and fpayload:
            acts = _with_row_details(fpayload, summary, row["line"])
            reader.warn(where, acts)
            out += acts
            continue
        if fstatus == "skip":
            reader.report.skipped.append((where, fpayload))
        problem = fpayload if fstatus != "ok" else "no activity in the file"
        reader.report.errors.append(
            (where, f"{problem}; used the summary on line {row['line']} of activities.csv instead"))
        out.append(summary)
    return out


def _with_row_details(file_acts: list[Activity], row: Activity, line: int) -> list[Activity]:
    """The file's records, named as the athlete named them on Strava.

    Where a damaged file (one read with warnings) yields less than its row of
    ``activities.csv`` holds (more than 5% less distance or time), the row's
    distance and times win, and a warning says so.
    """
    first = file_acts[0]
    if row.name:
        first.name = row.name
    # The athlete's own word on Strava beats a vague or inferred sport in the file.
    vague = normalise(first.sport, first.sub_sport) in ("other", "unknown") or first.sport_from
    if vague and row.sport:
        first.sport, first.sport_from = row.sport, None
        first.warnings = [w for w in first.warnings if not is_guess_note(w)]
    first.external_id = row.external_id
    # The shoe is the athlete's word on Strava; the file never carries it.
    first.gear = row.gear or first.gear
    # So is the rating (Perceived Exertion): without this, every rated run with a file behind
    # its row lost its rating. The row wins over a FIT's workout_rpe: Strava's is the one the
    # athlete can still edit after the watch synced.
    first.rpe = row.rpe if row.rpe is not None else first.rpe
    damaged = any(not is_guess_note(w) for w in first.warnings)
    if len(file_acts) == 1 and damaged and _holds_more(row, first):
        first.warnings.append(
            f"line {line} of activities.csv holds more than the damaged file "
            f"({_figures(row)} against {_figures(first)}): used the row's distance and times")
        first.distance_m = row.distance_m or first.distance_m
        first.elapsed_s = row.elapsed_s or first.elapsed_s
        first.duration_s = row.duration_s or first.duration_s
    return file_acts


ROW_WINS_MARGIN = 0.05
"""A Strava row beats a damaged file when its distance or elapsed time is this much
larger (a share of the row's). [unitless]"""


def _holds_more(row: Activity, got: Activity) -> bool:
    for name in ("distance_m", "elapsed_s"):
        want, have = getattr(row, name), getattr(got, name)
        if want and (not have or have < (1 - ROW_WINS_MARGIN) * want):
            return True
    return False


def _figures(a: Activity) -> str:
    km = "no distance" if not a.distance_m else f"{a.distance_m / 1000:.2f} km"
    minutes = "" if not a.elapsed_s else f" in {a.elapsed_s / 60:.0f} min"
    return km + minutes
