"""The weekly report for the terminal: the first-screen box, then the order of :mod:`.sections`."""

from __future__ import annotations

import io
import textwrap

from loadwatch.report import first_screen, fmt
from loadwatch.report.sections import Section, before_words, sections
from loadwatch.safetext import one_line

WIDTH = 96


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    # Text from files cannot break a line or reprogram the terminal.
    return textwrap.wrap(one_line(text), width=WIDTH, initial_indent=indent if first is None
                         else first, subsequent_indent=indent) or [indent]


def _flag(f) -> list[str]:
    driver = " - drives the level" if f.driver else ""
    out = _wrap(f"[{f.severity.upper()}] {f.title} ({f.since}){driver}", "    ", "  ")
    out += _wrap(f.message, "    ")
    out += _wrap(f"Evidence: {f.evidence}; {f.source}", "    ")
    if f.advice:
        out += _wrap(f"What to do: {f.advice}", "    ")
    return out + [""]


def _table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    cells = [[one_line(c) for c in r] for r in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(r):
        return "  " + "  ".join(c.ljust(w) if i < left else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return [line(r).rstrip() for r in cells]


def _section(s: Section) -> list[str]:
    out = [s.heading, "-" * len(s.heading), ""]
    for b in s.banners:
        out += _wrap(f"{b.label}: {b.text}", "    ", "  ") + [""]
    for f in s.red_flags:
        out += _wrap(f"!! Red flag: {f.title} ({f.since})", "    ", "  ")
        out += _wrap(f.message, "    ") + _wrap(f"What to do: {f.advice}", "    ") + [""]
    for line in s.lines:
        out += _wrap(line, "  ") + [""]
    for f in s.flags:
        out += _flag(f)
    for ep in s.episodes:
        out += _wrap(ep.summary, "    ", "  - ")
        if ep.before:
            out.append("    Conditions before it:")
            out += [x for b in ep.before for x in _wrap(before_words(b), "        ", "      ")]
        out.append("")
    if s.items_title:
        out += _wrap(s.items_title, "  ")
    for item in s.items:
        out += _wrap(item, "    ", "  - ")
    if s.items:
        out.append("")
    if s.table:
        out += _table(s.table.header, s.table.rows) + [""]
    for note in s.notes:
        out += _wrap(note, "  ")
    if s.notes:
        out.append("")
    return out


BOX_LINES = 15
"""The first-screen box is at most this many lines, borders included: it must fit a terminal's
first screen above the details (loadwatch's product rule, issue 23). [lines]"""


TITLE = "At a glance"


def _said(label: str, reason: str) -> str:
    """``HIGH - A run more than twice as long ...``; the label alone without a reason."""
    return f"{label} - {reason}" if reason else label


def box(report: dict) -> list[str]:
    """The first screen (:mod:`.first_screen`) as an ASCII box of at most :data:`BOX_LINES` lines.

    Drawn by rich (a table in a panel) with no colour and ASCII borders, so the box reads the
    same in a terminal, a file, a pipe and a mail. When the reasons are long, the "what to do"
    sentences beyond what fits are left to the sections below, never cut mid-sentence.
    """
    from rich import box as boxes
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    screen = first_screen.of(report)
    if screen is None:
        return []
    todo = list(screen.todo)
    while True:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, min_width=11)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("Clinical", "", Text(one_line(_said(screen.clinical_label,
                                                         screen.clinical_reason))))
        grid.add_row("Load level", "", Text(one_line(_said(screen.level_label,
                                                           screen.level_reason))))
        grid.add_row("Next week", "", Text(screen.plan_words))
        for i, item in enumerate(todo):
            grid.add_row("What to do" if i == 0 else "", "-", Text(one_line(item)))
        console = Console(file=io.StringIO(), width=WIDTH, color_system=None, no_color=True,
                          force_terminal=False, highlight=False, emoji=False, markup=False,
                          legacy_windows=False)
        console.print(Panel(grid, box=boxes.ASCII, title=Text(TITLE),
                            title_align="left", padding=(0, 1)))
        lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
        if len(lines) <= BOX_LINES or not todo:
            return lines
        todo.pop()


def render(report: dict) -> str:
    """Plain text: the first-screen box, then the status, next week, what drove it, habits,
    pain, this week against last, the weeks, data to check, the files read."""
    as_of = fmt.day(report["as_of"], year=True)
    out = _wrap(f"loadwatch weekly report: {report['athlete']}, as of {as_of}") + [""]
    glance = box(report)
    out += glance + [""] if glance else []
    for s in sections(report):
        out += _section(s)
    out += _wrap(fmt.DISCLAIMER)
    return "\n".join(out) + "\n"
