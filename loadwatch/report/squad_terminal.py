"""The text squad coloured for a terminal: the same words as :func:`loadwatch.report.squad.render_text`,
the clinical status, the load level and the count line's groups in their colours.

Only when the output is a terminal (rich's own test, which also honours ``NO_COLOR``
and ``TERM=dumb``); a pipe or a file gets the plain text. The colour is never the only
sign: every coloured piece is a word ("CHECK NOW", "HIGH", "2 high").
"""

from __future__ import annotations

from typing import IO

from rich.console import Console

from loadwatch.report import squad
from loadwatch.safetext import terminal

STYLES = {"check_now": "bold white on red", "assess_soon": "bold black on yellow",
          "high": "bold red", "not_read": "bold magenta", "raised": "bold yellow",
          "unknown": "dim", "usual": "green", "info": "bold cyan", "none": ""}
"""Tone -> rich style. The two clinical statuses as filled labels (they come before the load),
the levels as coloured words, in the terminal's own palette (its theme picks the shades)."""


def console(file: IO[str] | None = None, *, force: bool | None = None) -> Console:
    """A rich console on ``file`` (stdout by default); ``force`` overrides rich's terminal test."""
    return Console(file=file, force_terminal=force, highlight=False, soft_wrap=True,
                   emoji=False, markup=False)


def print_squad(doc: dict, out) -> None:
    """Print the text squad on the rich console ``out``, each toned piece in its style.

    Text from files is escaped as in the plain output (:func:`loadwatch.safetext.terminal`);
    rich's markup and emoji codes are off, so a name such as ``[red]`` stays as written.
    """
    from rich.text import Text

    for line in squad.text_lines(doc):
        text = Text()
        for piece, tone in line:
            text.append(terminal(piece), style=STYLES.get(tone or "", "") or None)
        out.print(text)
