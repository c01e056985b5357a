"""The coach's view: every athlete of a squad folder, ranked by risk.

A squad folder holds one sub-folder per athlete (its own ``loadwatch.toml``,
``pain.csv`` and activity files in any layout the importers read). Each athlete
is imported and reported in a separate process (all cores); one athlete's broken
files or config never stop the squad: that athlete's row says what is wrong.
Folders without activity files are listed as skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loadwatch import flags as flags_mod

SCHEMA = "loadwatch/squad-v1"
RISK_ORDER = {"high": 3, "raised": 2, "unknown": 1, "usual": 0}
EVIDENCE_ORDER = {"strong": 3, "moderate": 2, "limited": 1, "advice": 0}


@dataclass
class AthleteResult:
    """One athlete's outcome: a report dict, or the error that stopped it."""

    folder: str
    name: str
    report: dict | None = None
    error: str | None = None
    exit_code: int = 0


@dataclass
class SquadResult:
    as_of: date
    athletes: list[AthleteResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def athlete_folders(squad_dir: Path, follow_links: bool = False
                    ) -> tuple[list[Path], list[tuple[str, str]]]:
    """Sub-folders that hold activity files, and the skipped ones with a reason.

    A sub-folder that is a symbolic link leading outside ``squad_dir`` is skipped
    unless ``follow_links``.
    """
    folders, skipped = [], []
    top = squad_dir.resolve()
    for sub in sorted(p for p in squad_dir.iterdir() if not p.name.startswith(".")):
        if not sub.is_dir():
            continue
        if not follow_links and sub.is_symlink() and not sub.resolve().is_relative_to(top):
            skipped.append((sub.name, "a link to outside the squad folder, not followed "
                                      "(--follow-links reads it)"))
            continue
        if not _has_activity_files(sub):
            skipped.append((sub.name, "no activity files (not an athlete folder)"))
            continue
        folders.append(sub)
    return folders, skipped


def is_athlete_folder(folder: Path) -> bool:
    """A folder with a ``loadwatch.toml``, a ``pain.csv`` or activity files in it or in its
    direct sub-folders (an export's ``activities/``, a watch folder)."""
    return ((folder / "loadwatch.toml").is_file() or (folder / "pain.csv").is_file()
            or _has_activity_files(folder, depth=1))


def _has_activity_files(folder: Path, depth: int | None = None) -> bool:
    base = len(folder.parts)
    for root, dirs, files in os.walk(folder):
        if depth is not None and len(Path(root).parts) - base >= depth:
            dirs[:] = []
        for name in files:
            lower = name.lower()
            if lower.endswith((".zip", ".csv")) and lower != "pain.csv":
                return True
            if lower.removesuffix(".gz").endswith((".fit", ".gpx", ".tcx", ".bin")):
                return True
    return False


def report_athlete(folder: str, as_of: date | None, cache_dir: str | None, tz: str | None = None,
                   weeks: int = 8, follow_links: bool = False,
                   check_cache: bool = True) -> AthleteResult:
    """Import and report one athlete; any user-level problem becomes the row's error.

    Runs in a worker process, so it takes and returns plain, picklable values.
    """
    from loadwatch.athlete import load_athlete
    from loadwatch.config import ConfigError
    from loadwatch.report import build as report_pkg
    from loadwatch.store import Store
    from loadwatch.timeline import TimezoneError

    path = Path(folder)
    try:
        store = Store(cache_dir, check=check_cache) if cache_dir else None
        try:
            # One process per athlete already: the import parses in this one.
            data = load_athlete([path], tz=tz, store=store, follow_links=follow_links, workers=1)
        finally:
            if store:
                store.close()
        if data.timeline.empty:
            problems = "; ".join(f"{p}: {e}" for p, e in data.report.errors[:3])
            return AthleteResult(folder, data.name, error="no activities could be read"
                                 + (f" ({problems})" if problems else ""), exit_code=2)
        day = as_of or _today(data.tz)
        built = report_pkg.for_athlete(data, as_of=day, weeks=weeks)
        return AthleteResult(folder, data.name, report=built.report,
                             exit_code=1 if data.report.errors else 0)
    except (ConfigError, TimezoneError, ValueError, OSError) as exc:
        return AthleteResult(folder, path.name, error=str(exc), exit_code=1)


def _today(zone) -> date:
    from datetime import datetime

    return datetime.now(zone).date()


def run(squad_dir: Path, *, as_of: date | None, cache_dir: str | None, tz: str | None = None,
        workers: int | None = None, progress: Callable | None = None,
        follow_links: bool = False, scheduler: str | None = None,
        echo: Callable[[str], None] | None = None) -> SquadResult:
    """Report every athlete of ``squad_dir`` (in parallel), ranked by risk.

    Parameters
    ----------
    progress : callable, optional
        Called with the number of athletes, returns a context manager with ``update(n)``
        (``click.progressbar`` fits); None shows nothing.
    follow_links : bool, default False
        Read what symbolic links lead to outside the squad and athlete folders.
    scheduler : str, optional
        ``local`` (default): this machine's process pool; ``dask-local`` or a Dask
        scheduler address: one task per athlete on a Dask cluster (:mod:`loadwatch.cluster`).
    echo : callable, optional
        Receives one-line messages about the cluster (its dashboard).
    """
    folders, skipped = athlete_folders(squad_dir, follow_links)
    result = SquadResult(as_of=as_of or date.today(), skipped=skipped)
    if not folders:
        return result
    workers = max(1, min(workers or os.cpu_count() or 1, len(folders)))
    if cache_dir:
        from loadwatch.store import Store

        # Checked (and rebuilt if damaged) once here, not once per athlete.
        Store(cache_dir).close()
    args = [(str(f), as_of, cache_dir, tz, 8, follow_links, not cache_dir) for f in folders]
    from loadwatch import cluster

    if not cluster.is_local(scheduler):
        results = cluster.run_athletes(report_athlete, args, scheduler, progress=progress,
                                       echo=echo, workers=workers)
    elif workers == 1:
        results = _with_progress(progress, len(args), (report_athlete(*a) for a in args))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(report_athlete, *a) for a in args]
            results = _with_progress(progress, len(args), (f.result() for f in futures))
    result.athletes = rank(results)
    if as_of is None and result.athletes and result.athletes[0].report:
        result.as_of = date.fromisoformat(result.athletes[0].report["as_of"])
    return result


def _with_progress(progress, total: int, items) -> list:
    if progress is None:
        return list(items)
    out = []
    with progress(total) as bar:
        for item in items:
            out.append(item)
            bar.update(1)
    return out


def _top_flag(report: dict) -> dict | None:
    flags = report["flags"]
    return flags[0] if flags else None


def sort_key(a: AthleteResult) -> tuple:
    """Red flags first, then high, raised, unknown, usual; ties by the strongest shown flag.

    A broken athlete ranks just after those at high risk: the coach cannot tell.
    """
    if a.report is None:
        return (0, -2.5, 0, 0, 0, a.name.lower())
    r = a.report
    top = _top_flag(r)
    red = any(f["code"] == "pain_red_flag" for f in r["flags"])
    return (
        -int(red),
        -RISK_ORDER[r["risk"]["level"]],
        -(flags_mod.severity_rank(top["severity"]) if top else -1),
        -(EVIDENCE_ORDER.get(top["evidence"], 0) if top else -1),
        -len(r["flags"]),
        a.name.lower(),
    )


def rank(results: list[AthleteResult]) -> list[AthleteResult]:
    """Athletes in the coach's order (:func:`sort_key`)."""
    return sorted(results, key=sort_key)


def row(a: AthleteResult) -> dict:
    """The squad table row for one athlete (JSON-ready)."""
    if a.report is None:
        return {"athlete": a.name, "folder": a.folder, "risk": "unknown", "error": a.error}
    r = a.report
    weeks = r["weeks"]
    this = weeks[-1] if weeks else None
    spikes = [x for x in r["recent_spikes"]
              if (date.fromisoformat(r["as_of"]) - date.fromisoformat(x["date"])).days < 14]
    top = _top_flag(r)
    pain = r.get("pain") or {}
    episodes = pain.get("episodes") or []
    last_ep = episodes[-1] if episodes else None
    return {
        "athlete": a.name,
        "folder": a.folder,
        "risk": r["risk"]["level"],
        "drivers": r["risk"]["drivers"],
        "risk_summary": r["risk"]["summary"],
        "red_flag": any(f["code"] == "pain_red_flag" for f in r["flags"]),
        "this_week": {
            "week": this["week"] if this else None,
            "run_distance": this["run_distance"] if this else None,
            "change_pct": this["change_pct"] if this else None,
            "units": r["units"],
        },
        "streak": r["streak"]["current"],
        "days_since_rest": r["days_since_rest"],
        "spikes_last_14_days": len(spikes),
        "pain": _pain_status(last_ep, date.fromisoformat(r["as_of"])),
        "top_flag": top["message"] if top else None,
        "data_to_check": len(r["data_to_check"]),
        "import": r["import"],
        "error": a.error,
    }


def _pain_status(episode: dict | None, as_of: date) -> str:
    if not episode:
        return "none"
    end = date.fromisoformat(episode["end"])
    where = episode.get("location") or "pain"
    if (as_of - end).days <= 7:
        return f"{where}, {episode['peak']}/10" + (" (red flag)" if episode.get("red_flags") else "")
    return f"none recently (last: {where}, ended {episode['end']})"


def to_json(result: SquadResult) -> dict:
    return {
        "schema": SCHEMA,
        "as_of": result.as_of.isoformat(),
        "athletes": [row(a) for a in result.athletes if a.report is not None],
        "errors": [{"athlete": a.name, "folder": a.folder, "error": a.error}
                   for a in result.athletes if a.report is None],
        "skipped": [{"folder": f, "reason": r} for f, r in result.skipped],
    }


def exit_code(result: SquadResult) -> int:
    """0 all athletes fine; 1 some athletes or files failed; 2 nothing to report."""
    if not any(a.report for a in result.athletes):
        return 2
    return 1 if any(a.exit_code for a in result.athletes) else 0


# -- rendering ---------------------------------------------------------------------------

def _cells(r: dict) -> list[str]:
    week = r["this_week"]
    dist = "-" if week["run_distance"] is None else f"{week['run_distance']:.1f} {week['units']}"
    change = "-" if week["change_pct"] is None else f"{week['change_pct']:+.0f}%"
    risk = r["risk"].upper() + (" + RED FLAG" if r["red_flag"] else "")
    since_rest = "-" if r["days_since_rest"] is None else str(r["days_since_rest"])
    return [r["athlete"], risk, dist, change, str(r["streak"]), since_rest,
            str(r["spikes_last_14_days"]), r["pain"], r["top_flag"] or "nothing to flag"]


HEADER = ["athlete", "risk", "this week", "change", "streak", "days since rest", "spikes 14d",
          "pain", "top flag"]


def render_text(doc: dict) -> str:
    """The squad table for the terminal, one athlete a block, most at risk first."""
    from loadwatch.safetext import one_line

    out = [f"loadwatch squad report, as of {doc['as_of']}", ""]
    for r in doc["athletes"]:
        c = _cells(r)
        out.append(f"{c[1]:<17} {one_line(c[0])}")
        out.append(f"    this week {c[2]} ({c[3]}), streak {c[4]} days, last rest {c[5]} days ago, "
                   f"spikes in 14 days: {c[6]}, pain: {c[7]}")
        out.append(f"    {c[8]}")
    for e in doc["errors"]:
        out.append(f"{'ERROR':<17} {one_line(e['athlete'])}")
        out.append(f"    {one_line(e['error'])}")
    for s in doc["skipped"]:
        out.append(f"{'skipped':<17} {one_line(s['folder'])}: {one_line(s['reason'])}")
    out += ["", "loadwatch does not diagnose: athletes with a red flag need a sports physical "
            "therapist or doctor before running on it."]
    return "\n".join(out) + "\n"


def render_markdown(doc: dict) -> str:
    from loadwatch.safetext import markdown_text as cell

    out = [f"# loadwatch squad report, as of {doc['as_of']}", "",
           "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(cell(c) for c in _cells(r)) + " |" for r in doc["athletes"]]
    if doc["errors"]:
        out += ["", "## Athletes that could not be reported", ""]
        out += [f"- **{cell(e['athlete'])}**: {cell(e['error'])}" for e in doc["errors"]]
    if doc["skipped"]:
        out += ["", "## Skipped folders", ""]
        out += [f"- {cell(s['folder'])}: {cell(s['reason'])}" for s in doc["skipped"]]
    return "\n".join(out) + "\n"


def render_html(doc: dict, result: SquadResult) -> str:
    """One page: the ranked table linking to each athlete's full report section with its chart."""
    from html import escape

    from loadwatch.report import charts, html

    rows = []
    for r in doc["athletes"]:
        c = [escape(x) for x in _cells(r)]
        anchor = _anchor(r["athlete"])
        rows.append(f'<tr class="row-{escape(r["risk"])}"><td><a href="#{anchor}">{c[0]}</a></td>'
                    + "".join(f"<td>{x}</td>" for x in c[1:-1]) + "</tr>"
                    f'<tr class="why"><td colspan="{len(HEADER) - 1}">{c[-1]}</td></tr>')
    for e in doc["errors"]:
        rows.append(f'<tr class="row-unknown"><td>{escape(e["athlete"])}</td><td>ERROR</td>'
                    f'<td colspan="{len(HEADER) - 3}"></td></tr>'
                    f'<tr class="why"><td colspan="{len(HEADER) - 1}">{escape(e["error"])}</td></tr>')
    table = ("<div class=\"table-wrap\"><table><thead><tr>"
             + "".join(f"<th>{escape(h)}</th>" for h in HEADER[:-1])
             + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
    sections = []
    for a in result.athletes:
        if a.report is not None:
            sections.append(html.athlete_section(a.report, charts.render_small_png(a.report),
                                                 _anchor(a.name)))
    skipped = "".join(f"<li>{escape(s['folder'])}: {escape(s['reason'])}</li>" for s in doc["skipped"])
    body = (f"<h1>loadwatch squad report</h1><p>As of {escape(doc['as_of'])}. Most at risk first.</p>"
            + table + (f"<h2>Skipped folders</h2><ul>{skipped}</ul>" if skipped else "")
            + "".join(sections))
    return html.page(f"loadwatch squad report {doc['as_of']}", body)


def _anchor(name: str) -> str:
    import re

    return "athlete-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")
