"""Small phrases the diary's sentences share."""

from __future__ import annotations

# -- words --------------------------------------------------------------------------------

def _words(name: str) -> str:
    return name.replace("_", " ")


def pain_words(label: str | None, side: str | None) -> str:
    """``left inner-knee pain``; just ``pain`` when the place is not known."""
    side = side if side in ("left", "right") else ""
    return " ".join(x for x in (side, label or "", "pain") if x)


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
