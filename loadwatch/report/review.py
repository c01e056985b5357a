"""``loadwatch review`` as text or one self-contained HTML page.

Both read the ``loadwatch/review-v1`` document (:meth:`loadwatch.review.model.Review.to_json`)
and lay it out: the primary lag's table (athlete-days, episodes, rate per 1,000 athlete-days
with its interval), the rate-ratio sentences, the secondary lags, what was left out, the
episodes, and what the review cannot show. Every number and every word ("too few to tell")
comes from the document: nothing is judged here.
"""

from __future__ import annotations

from loadwatch.review.model import LAG_WORDS, number

MAX_EPISODES_SHOWN = 40
"""Episodes (and a squad's athletes alone) listed one by one in text and HTML; the JSON lists
them all. [lines]"""


def _capped(lines: list[str]) -> list[str]:
    more = len(lines) - MAX_EPISODES_SHOWN
    if more <= 0:
        return lines
    return lines[:MAX_EPISODES_SHOWN] + [f"... and {more:,} more (--format json lists every one)"]

LEVELS = ("usual", "raised", "high")
HEAD = ("level", "athlete-days", "episodes", "per 1,000 athlete-days (95% interval)")


def _rate(cell: dict) -> str:
    lo, hi = cell["rate_ci95"]
    if cell["rate_per_1000"] is None:
        return "no days"
    return (f"{number(cell['rate_per_1000'])} ({number(lo if lo is not None else 0)} to "
            f"{number(hi) if hi is not None else 'infinity'})")


def table_rows(levels: dict) -> list[tuple[str, str, str, str]]:
    """The level table's cells: level, athlete-days, episodes, rate with interval."""
    return [(lvl, f"{levels[lvl]['athlete_days']:,}", f"{levels[lvl]['episodes']:,}",
             _rate(levels[lvl])) for lvl in LEVELS]


def _episode_line(e: dict, many: bool) -> str:
    who = f"{e['athlete']}: " if many else ""
    span = e["start"] if e["start"] == e["end"] else f"{e['start']} to {e['end']}"
    if e["counted"]:
        after = (f"after {e['level_before']} (highest of 7 days: {e['highest_7_days']}; "
                 f"of 14 days: {e['highest_14_days']})")
    else:
        after = f"not counted: {REASONS_SHORT[e['reason']]}"
    return f"{who}{span}, {after}"


REASONS_SHORT = {"trauma": "a twist, blow or fall", "at_diary_start": "at the diary's start",
                 "in_washout": "in an earlier episode's washout",
                 "level_unknown": "level unknown the day before"}


def parts(doc: dict) -> dict:
    """What both renderers show, in order, as plain strings."""
    athletes = doc["athletes"]
    many = len(athletes) > 1
    counted = sum(doc["levels"][lvl]["episodes"] for lvl in LEVELS)
    if many:
        who = f"{len(athletes)} athletes with a pain diary"
    elif athletes:
        a = athletes[0]
        who = f"{a['athlete']}, pain diary from {a['diary_start']}"
    else:
        who = "no athlete with a pain diary"
    ratios = [doc["rate_ratio"][lvl]["words"] for lvl in ("raised", "high")] if athletes else []
    secondary = []
    for name, lag in doc["lags"].items():
        if lag["primary"]:
            continue
        secondary.append(f"By {LAG_WORDS[name]}: " + " ".join(
            lag["rate_ratio"][lvl]["words"] for lvl in ("raised", "high")))
    own = [f"{a['athlete']} ({a['athlete_days']:,} athlete-days, {a['episodes']:,} episodes "
           f"counted): " + " ".join(a["rate_ratio"][lvl]["words"] for lvl in ("raised", "high"))
           for a in athletes] if many else []
    episodes = _capped([_episode_line(e, many) for e in doc["episodes"]])
    own = _capped(own)
    return {
        "title": f"loadwatch review as of {doc['as_of']}: how pain followed the load level",
        "who": f"{who}; {counted:,} episode{'s' if counted != 1 else ''} counted.",
        "method": f"Rate ratios against usual days: {_method(doc)}.",
        "lag": f"Episodes are attributed to {LAG_WORDS['day_before']}.",
        "head": HEAD, "rows": table_rows(doc["levels"]) if athletes else [],
        "ratios": ratios, "secondary": secondary if athletes else [],
        "left_out": left_out(doc["excluded"]), "episodes": episodes, "own": own,
        "limits": doc["limits"], "notes": doc["notes"],
        "errors": [f"{e['folder']}: {e['error']}" for e in doc["errors"]],
    }


def _method(doc: dict) -> str:
    return doc["rate_ratio"]["raised"]["method"]


LEFT_OUT = {
    "trauma": ("episode began", "episodes began", "with a twist, blow or fall (an injury of "
               "another kind)"),
    "at_diary_start": ("episode began", "episodes began", "on the diary's first day or before"),
    "in_washout": ("episode began", "episodes began", "within an earlier episode's washout"),
    "level_unknown": ("episode followed", "episodes followed", "a day of unknown load level"),
    "unknown_days": ("day", "days", "of unknown load level"),
    "episode_days": ("day", "days", "of pain episodes"),
    "washout_days": ("washout day", "washout days", "after episodes"),
}


def left_out(excluded: dict) -> list[str]:
    """What was left out, one line each (nothing for a zero)."""
    return [f"{excluded[k]:,} {one if excluded[k] == 1 else many} {rest}"
            for k, (one, many, rest) in LEFT_OUT.items() if excluded.get(k)]


SQUAD_TITLE = "How pain followed the load level (the squad, pooled)"


def squad_part(review: dict | None) -> dict | None:
    """The squad page's pooled table (the squad document's ``review``) as plain strings."""
    if not review:
        return None
    n = review["athletes"]
    return {"title": SQUAD_TITLE,
            "who": (f"{n} athlete{'s' if n != 1 else ''} with a pain diary; "
                    f"rate ratios against usual days: {review['rate_ratio']['high']['method']}. "
                    f"Episodes are attributed to {LAG_WORDS['day_before']}."),
            "head": HEAD, "rows": table_rows(review["levels"]),
            "ratios": [review["rate_ratio"][lvl]["words"] for lvl in ("raised", "high")],
            "limits": list(review["limits"]) + list(review["notes"]),
            "more": "loadwatch review DIR shows the secondary lags and every episode."}


def squad_text(review: dict | None) -> list[str]:
    """The pooled table as text lines for ``loadwatch squad`` (none without diaries)."""
    p = squad_part(review)
    if p is None:
        return []
    out = ["", p["title"], p["who"]] + _table_lines(p["head"], p["rows"])
    return out + p["ratios"] + [f"- {x}" for x in p["limits"]] + [p["more"]]


def squad_markdown(review: dict | None, escape) -> list[str]:
    """The pooled table as Markdown lines (``escape``: the Markdown text escaper)."""
    p = squad_part(review)
    if p is None:
        return []
    out = ["", f"## {p['title']}", "", escape(p["who"]), "",
           "| " + " | ".join(p["head"]) + " |", "|" + "---|" * len(p["head"])]
    out += ["| " + " | ".join(escape(c) for c in r) + " |" for r in p["rows"]]
    out += [""] + [escape(x) for x in p["ratios"]] + [""]
    return out + [f"- {escape(x)}" for x in p["limits"]] + ["", escape(p["more"])]


def _table_lines(head: tuple, rows: list) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    return ["  ".join([r[0].ljust(widths[0])]
                      + [c.rjust(w) for c, w in zip(r[1:3], widths[1:3], strict=True)]
                      + [r[3]]).rstrip() for r in [head, *rows]]


def render_text(doc: dict) -> str:
    """The review as plain text."""
    p = parts(doc)
    out = [p["title"], "", p["who"]]
    if p["rows"]:
        out += [p["method"], p["lag"], ""] + _table_lines(p["head"], p["rows"])
        out += [""] + p["ratios"]
        out += ["", "Secondary lags, declared in advance:"] + [f"  {s}" for s in p["secondary"]]
    for title, key in (("Each athlete alone (exact intervals)", "own"), ("Left out", "left_out"),
                       ("Episodes", "episodes"),
                       ("What this can and cannot show", "limits")):
        if p[key]:
            out += ["", f"{title}:"] + [f"- {line}" for line in p[key]]
    out += [""] + list(p["notes"]) if p["notes"] else []
    if p["errors"]:
        out += ["", "Could not be reviewed:"] + [f"- {e}" for e in p["errors"]]
    return "\n".join(out).rstrip() + "\n"


def render_html(doc: dict) -> str:
    """The review as one self-contained HTML page (:func:`loadwatch.report.html.render_page`)."""
    from loadwatch.report import html  # Jinja2: only for the page

    context = parts(doc)
    title = context.pop("title")
    return html.render_page("review.html.j2", title, heading=title, **context)
