"""The weekly report as Markdown, in the order of :mod:`.sections`."""

from __future__ import annotations

from loadwatch.report import first_screen, fmt
from loadwatch.report.sections import Section, before_words, sections
from loadwatch.safetext import markdown_text


def _cell(text) -> str:
    # Names, notes and pain summaries carry the user's words: raw HTML is escaped.
    return markdown_text(text)


def _flag(f) -> list[str]:
    driver = " (drives the level)" if f.driver else ""
    out = [f"### {_cell(f.severity.upper())}: {_cell(f.title)} ({f.since}){driver}", "",
           _cell(f.message), "", f"*Evidence: {_cell(f.evidence)}; {_cell(f.source)}*", ""]
    if f.advice:
        out += [f"**What to do:** {_cell(f.advice)}", ""]
    return out


def _section(s: Section) -> list[str]:
    out = [f"## {s.heading}", ""]
    for b in s.banners:
        out += [f"**{b.label}: {_cell(b.text)}**", ""]
    for f in s.red_flags:
        out += [f"> **Red flag: {_cell(f.title)} ({f.since})**", ">", f"> {_cell(f.message)}", ">",
                f"> **What to do:** {_cell(f.advice)}", ""]
    for line in s.lines:
        out += [_cell(line), ""]
    for f in s.flags:
        out += _flag(f)
    for ep in s.episodes:
        out.append(f"- {_cell(ep.summary)}")
        if ep.before:
            out.append("  Conditions before it:")
            out += [f"  - {_cell(before_words(b))}" for b in ep.before]
    if s.episodes:
        out.append("")
    if s.items_title:
        out += [_cell(s.items_title), ""]
    out += [f"- {_cell(i)}" for i in s.items]
    if s.items:
        out.append("")
    if s.table:
        header = s.table.header
        out += ["| " + " | ".join(_cell(h) for h in header) + " |",
                "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(header))) + "|"]
        out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in s.table.rows]
        out.append("")
    out += [f"*{_cell(n)}*\n" for n in s.notes]
    return out


def glance(report: dict) -> list[str]:
    """The first screen (:mod:`.first_screen`) as a quoted block, the numbers in bold."""
    screen = first_screen.of(report)
    if screen is None:
        return []

    def said(label, reason):
        return f"**{_cell(label)}**" + (f" - {_cell(reason)}" if reason else "")

    if screen.numbers:
        weekly, run, rest = screen.numbers
        plan = (f"weekly maximum **{weekly.value}**, longest run **{run.value}**, "
                f"**{rest.value}** rest day{'' if rest.value.endswith(' 1') else 's'}")
    else:
        plan = _cell(screen.plan_words)
    out = ["> **At a glance**", ">", f"> - Clinical: {said(screen.clinical_label, screen.clinical_reason)}",
           f"> - Load level: {said(screen.level_label, screen.level_reason)}",
           f"> - Next week: {plan}"]
    if screen.todo:
        out.append("> - What to do:")
        out += [f">   - {_cell(item)}" for item in screen.todo]
    return out + [""]


def render(report: dict) -> str:
    """Markdown: the first screen, then the same sections, headings and order as the text
    report."""
    out = [f"# loadwatch weekly report: {_cell(report['athlete'])}", "",
           f"As of {fmt.day(report['as_of'], year=True)}.", ""]
    out += glance(report)
    for s in sections(report):
        out += _section(s)
    out += [f"*{fmt.DISCLAIMER}*", ""]
    return "\n".join(out)
