"""Small phrases the diary's sentences share (the generic ones are :mod:`loadwatch.words`')."""

from __future__ import annotations

from loadwatch.words import clip as _clip  # noqa: F401  (the pain package's names)
from loadwatch.words import join_words  # noqa: F401
from loadwatch.words import name_words as _words  # noqa: F401


def pain_words(label: str | None, side: str | None) -> str:
    """``left inner-knee pain``; just ``pain`` when the place is not known."""
    side = side if side in ("left", "right") else ""
    return " ".join(x for x in (side, label or "", "pain") if x)
