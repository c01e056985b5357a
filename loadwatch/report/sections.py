"""The report's sections in the order that matters, shared by the text, Markdown and HTML views.

:func:`sections` lays a ``loadwatch/report-v3`` dict out as a list of
:class:`Section` in this order, with the same headings in every format:

1. ``status``: the clinical status first, then the load risk level;
2. ``next_week``: next week's ceilings with where each comes from, then rest and
   variety notes;
3. ``drivers`` ("What drove it"): the evidence-led conditions, the level's drivers
   first; every run above 1.1x its 30-day reference; where spikes could not be
   measured;
4. ``habits`` ("Habits worth a look"): conditions that never raise the level on
   their own, each with its evidence grade in plain words;
5. ``pain`` ("Pain and the load before it"): pain red flags, the episodes with the
   conditions before them, the pattern summary, and what the diary holds (or how
   to start one);
6. ``this_week`` ("This week against last"): a week in progress against the same
   days of last week;
7. ``shoes``: runs and distance per pair of shoes (left out when no run names one);
   ``wellness``: soreness, fatigue, sleep and resting heart rate, last value and
   4-week trend (left out without a wellness log);
8. ``charts`` (HTML only);
9. ``weeks`` ("Week by week"): the weekly table, its columns explained;
10. ``data_to_check``: quarantined and ignored activities (left out when none);
11. ``import`` ("Files read"): the import summary with its warnings.

Every sentence comes from the report dict (which the verdict decided); this
module only orders, groups and words the layout. Text from files (names, notes,
messages) is left as it is: each renderer escapes it for its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loadwatch.report import fmt

HEADINGS = {
    "status": "Status",
    "next_week": "Next week",
    "drivers": "What drove it",
    "habits": "Habits worth a look",
    "pain": "Pain and the load before it",
    "this_week": "This week against last",
    "shoes": "Shoes",
    "wellness": "Wellness",
    "charts": "Charts",
    "weeks": "Week by week",
    "data_to_check": "Data to check",
    "import": "Files read",
}
"""Section headings, the same in text, Markdown and HTML, in the report's order."""

SEVERITIES = ("info", "caution", "high")
LEVELS = ("usual", "raised", "high", "unknown")
STATUSES = ("check_now", "assess_soon", "none")
NO_EVIDENCE = "No run much longer than your recent longest and no big weekly jump."
NO_HABITS = "No habit worth a look in the last days."
HABITS_NOTE = "They do not raise the risk level on their own."
CHECK_IT = "Get it checked by a sports physical therapist or doctor before running on it."


@dataclass
class Banner:
    """One status line: ``label: text``; ``tone`` is a CSS-safe class word."""

    label: str
    text: str
    tone: str


@dataclass
class FlagView:
    """A condition as shown: severity, title, days, message, evidence and advice."""

    severity: str
    tone: str
    title: str
    since: str
    message: str
    evidence: str
    source: str
    advice: str
    driver: bool = False


@dataclass
class Before:
    """A condition that held before a pain episode, once per code."""

    severity: str
    tone: str
    title: str
    date: str
    held_on_start: bool


@dataclass
class EpisodeView:
    summary: str
    before: list[Before] = field(default_factory=list)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    css: str = ""


@dataclass
class Section:
    """One section of the report.

    Attributes
    ----------
    key : str
        One of :data:`HEADINGS`.
    heading : str
    banners : list of Banner
        Status lines (``status`` only).
    lines : list of str
        Paragraphs, before any list.
    red_flags : list of FlagView
        Pain red flags (``pain`` only).
    flags : list of FlagView
    items : list of str
        A bulleted list (``items_title`` above it).
    episodes : list of EpisodeView
    table : Table or None
    notes : list of str
        Smaller print after everything else.
    """

    key: str
    heading: str
    banners: list[Banner] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    red_flags: list[FlagView] = field(default_factory=list)
    flags: list[FlagView] = field(default_factory=list)
    items_title: str = ""
    items: list[str] = field(default_factory=list)
    episodes: list[EpisodeView] = field(default_factory=list)
    table: Table | None = None
    notes: list[str] = field(default_factory=list)


def tone(word: str, allowed: tuple[str, ...]) -> str:
    """``word`` as a CSS class when it is one of ``allowed``, else ``unknown``."""
    return word if word in allowed else "unknown"


def flag_view(f: dict) -> FlagView:
    return FlagView(
        severity=f["severity"], tone=tone(f["severity"], SEVERITIES), title=f["title"],
        since=fmt.since(f), message=f["message"],
        evidence=fmt.GRADE_WORDS.get(f["evidence"], f["evidence"]), source=f["source"],
        advice=f.get("advice") or "", driver=bool(f.get("driver")))


def sections(report: dict, *, charts: bool = False) -> list[Section]:
    """The report laid out in order (see the module docstring).

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.
    charts : bool, default False
        Include the ``charts`` section (the HTML page, when a chart is drawn).
    """
    red, evidence, habits = fmt.flag_groups(report)
    out = [_status(report), _next_week(report), _drivers(report, evidence),
           _habits(habits), _pain(report, red), _this_week(report), _shoes(report),
           _wellness(report)]
    if charts:
        out.append(Section("charts", HEADINGS["charts"]))
    out += [_weeks(report), _data_to_check(report), _import(report)]
    return [s for s in out if s is not None]


def _section(key: str, **kw) -> Section:
    return Section(key, HEADINGS[key], **kw)


def _status(report: dict) -> Section:
    banners = []
    clinical = report.get("clinical")
    if clinical:
        banners.append(Banner("Clinical", clinical["summary"],
                              tone(clinical["status"], STATUSES)))
    risk = report["risk"]
    banners.append(Banner("Load risk", risk["summary"], tone(risk["level"], LEVELS)))
    # The pain going on, and what came before it: the report's most important sentence.
    going = [ep["sentence"] for ep in (report.get("pain") or {}).get("episodes", [])
             if ep.get("ongoing")]
    before = (clinical or {}).get("previous_injury")
    return _section("status", banners=banners, lines=going + ([before["sentence"]] if before
                                                                else []))


def _next_week(report: dict) -> Section | None:
    plan = report.get("next_week")
    if not plan:
        return None
    lines = list(plan.get("lines") or [])
    notes = list(plan.get("notes") or [])
    if not lines and not notes:
        return _section("next_week", lines=["No numbers for next week: too little data."])
    return _section("next_week", items=lines, notes=notes)


def _drivers(report: dict, evidence: list[dict]) -> Section:
    spikes = fmt.spike_rows(report)
    return _section(
        "drivers", flags=[flag_view(f) for f in evidence],
        lines=[] if evidence else [NO_EVIDENCE],
        items_title="Runs above 1.1x the longest of their 30 days before, in the last 30 days:"
        if spikes else "", items=spikes,
        notes=[f"Note: {n}" for n in report.get("spike_notes") or []])


def _habits(habits: list[dict]) -> Section:
    if not habits:
        return _section("habits", lines=[NO_HABITS])
    return _section("habits", lines=[HABITS_NOTE], flags=[flag_view(f) for f in habits])


def _titles(report: dict) -> dict[str, str]:
    """Flag titles by code, from the flags the report carries."""
    return {f["code"]: f["title"] for f in report["flags"] + report.get("history", [])}


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def _before(episode: dict, titles: dict[str, str]) -> list[Before]:
    """The conditions before a pain episode, once per code: its worst severity, latest start;
    worst first, then the most recent (what most plausibly mattered leads)."""
    per_code: dict[str, dict] = {}
    for f in episode.get("preceding_flags") or []:
        seen = per_code.setdefault(f["code"], {"severity": f["severity"], "date": f["start"],
                                               "held": False})
        if _rank(f["severity"]) > _rank(seen["severity"]):
            seen["severity"] = f["severity"]
        seen["date"] = max(seen["date"], f["start"])
        seen["held"] = seen["held"] or bool(f.get("held_on_start"))
    ordered = sorted(per_code.items(), key=lambda kv: kv[1]["date"], reverse=True)
    ordered.sort(key=lambda kv: _rank(kv[1]["severity"]), reverse=True)
    return [Before(v["severity"], tone(v["severity"], SEVERITIES),
                   titles.get(code, code.replace("_", " ")), fmt.day(v["date"]), v["held"])
            for code, v in ordered]


def before_words(b: Before) -> str:
    """``high: Run much longer than your recent longest, from Sun 15 Nov (still held ...)``."""
    held = " (still held when the pain began)" if b.held_on_start else ""
    return f"{b.severity}: {b.title}, from {b.date}{held}"


def _pain(report: dict, red: list[dict]) -> Section:
    pain = report.get("pain") or {}
    clinical = report.get("clinical") or {}
    titles = _titles(report)
    episodes = [EpisodeView(ep["summary"], _before(ep, titles)) for ep in pain.get("episodes") or []]
    # With episodes, the pattern and the diary's state follow them; without, the diary's
    # state (no diary and how to start one, or the pain-free days) is the section.
    said = []
    pattern = (pain.get("patterns") or {}).get("summary")
    if pattern and episodes:
        said.append(pattern)
    # The athlete's own review: one sentence with its interval, or "too few episodes to tell".
    own = (report.get("review") or {}).get("sentence")
    if own:
        said.append(own)
    note = clinical.get("diary_note")
    if note:
        said.append(note)
    elif not pain:
        said.append("No pain diary.")
    elif not episodes:
        said.append("No pain recorded.")
    reds = []
    for f in red:
        view = flag_view(f)
        view.advice = view.advice or CHECK_IT
        reds.append(view)
    if episodes:
        return _section("pain", red_flags=reds, episodes=episodes, notes=said)
    return _section("pain", red_flags=reds, lines=said)


def _this_week(report: dict) -> Section | None:
    rows = fmt.comparison_rows(report)
    if not rows:
        return None
    return _section("this_week", lines=[fmt.comparison_note(report)],
                    table=Table(["", "this week", "last week"], [list(r) for r in rows],
                                "compare"),
                    notes=[fmt.streak_line(report)])


SHOES_NOTE = ("Use, not wear: no study sets a distance at which to retire a shoe. Runs in "
              "more than one pair in parallel went with fewer injuries in one cohort "
              "(Malisoux 2015).")


def _shoes(report: dict) -> Section | None:
    shoes = report.get("shoes") or []
    if not any(s["name"] is not None for s in shoes):
        return None
    units = report["units"]
    rows = [[s["name"] if s["name"] is not None else "no shoe named", str(s["runs_4w"]),
             fmt.dist(s["km_4w"], units), fmt.dist(s["km_total"], units)] for s in shoes]
    notes = [SHOES_NOTE] + ([report["shoes_note"]] if report.get("shoes_note") else [])
    return _section("shoes", table=Table(["pair", "runs, 4 weeks", "4 weeks", "in total"], rows,
                                         "shoes"), notes=notes)


def _wellness(report: dict) -> Section | None:
    rows = report.get("wellness") or []
    if not rows:
        return None
    return _section("wellness", items=[fmt.wellness_words(w) for w in rows],
                    notes=[fmt.WELLNESS_NOTE])


def _weeks(report: dict) -> Section | None:
    header, rows = fmt.week_rows(report)
    if not rows:
        return None
    shown = "The last week." if len(rows) == 1 else f"The last {len(rows)} weeks."
    return _section("weeks", lines=[shown],
                    table=Table(header, rows, "weeks"), notes=fmt.week_notes(report))


def _data_to_check(report: dict) -> Section | None:
    checks = fmt.check_rows(report)
    ignored = fmt.ignored_rows(report)
    if not checks and not ignored:
        return None
    section = _section("data_to_check", items=checks)
    if checks:
        section.notes.append(fmt.CHECK_HOW)
    if ignored:
        section.notes.append(f"Ignored by you ({fmt.plural(len(ignored), 'activity', 'activities')}, "
                             "left out of everything): " + "; ".join(ignored) + ".")
    return section


def _import(report: dict) -> Section | None:
    line = fmt.import_line(report)
    if not line:
        return None
    return _section("import", lines=[line], items=fmt.import_problems(report))
