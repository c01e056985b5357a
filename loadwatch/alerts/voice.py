"""The coach's words: an athlete's sentences turned to speak of the athlete, not to them.

The report, the pain diary and the flags speak to the runner ("your diary records
a pop", "you ran 42 km"). A coach's digest quotes the same sentences with the same
numbers, about the athlete: the first mention in each sentence is the athlete's
name ("Dev's diary records a pop", "Ben ran 42 km"), the others "they", "their",
"them". Advice in the imperative ("get it checked") stays as it is: it is what the
coach passes on.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\b(you|your|yours|yourself)\b(?:('re|'ve|'d|'ll)\b)?(\s+([A-Za-z']+))?",
                   re.IGNORECASE)
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.!?:;,(\-]\s*|\b(?:that|when|if|as|since|until|before|after|and|or|but|because|"
    r"where|while|so|unless|once|than|which|who|what|how|why|until|whether)\s+)$", re.IGNORECASE)
_AFTER_NAME = {"have": "has", "are": "is", "were": "was", "do": "does", "don't": "doesn't",
               "haven't": "hasn't", "aren't": "isn't", "weren't": "wasn't"}
"""A verb after "you" as it reads after a name."""
_KEEP = {"ran", "did", "had", "can", "could", "will", "would", "should", "may", "might",
         "must", "cannot", "can't", "won't", "recorded", "rested", "went", "made", "took",
         "also", "still", "only", "never", "already", "just", "often", "usually"}
_PRESENT = {"run", "need", "trust", "settle", "feel", "want", "go", "get", "take", "keep", "plan",
            "add", "use", "know", "think", "see", "record", "train", "race", "rest", "log"}
"""Verbs that, after "you", make it the subject (also when no conjunction comes before)."""
_CAUSATIVE = re.compile(r"\b(?:let|lets|help|helps|make|makes|have|has|see|sees|watch)\s+$",
                        re.IGNORECASE)
"""Before "you" and a bare verb, "you" is the object: "lets you run" is "lets them run"."""
_CONTRACTION = {"'re": "'s", "'ve": "'s", "'d": "'d", "'ll": "'ll"}


def about(text: str, name: str) -> str:
    """``text`` about the athlete ``name`` instead of to them.

    >>> about("CHECK NOW: your diary records a pop. You have run 1 time since.", "Dev")
    "CHECK NOW: Dev's diary records a pop. Dev has run 1 time since."
    >>> about("Your 10 km run was 1.1x your longest; you ran it fast.", "Ben")
    "Ben's 10 km run was 1.1x their longest; Ben ran it fast."
    >>> about("Replace one run with cycling (none in your data): it keeps you fit.", "Ana")
    "Replace one run with cycling (none in Ana's data): it keeps Ana fit."
    """
    if not name or not text:
        return text
    out, pos, named_at = [], 0, -1
    for m in _WORD.finditer(text):
        before = text[:m.start()]
        # The name again at the start of each sentence, else they/their/them.
        sentence = max(before.rfind(sep) for sep in (". ", "? ", "! ", ": ", "; "))
        use_name = named_at <= sentence
        word, contraction, verb = m.group(1), m.group(2), m.group(4)
        gap = (m.group(3) or "")[:len(m.group(3) or "") - len(verb or "")]
        lower = word.lower()
        if lower in ("your", "yours"):
            new = f"{name}'s" if use_name else ("their" if lower == "your" else "theirs")
            new += gap + (verb or "")
        elif lower == "yourself":
            new = "themselves" + gap + (verb or "")
        elif contraction is not None or (verb and _is_subject(before, verb)):
            new = _subject(name if use_name else "they", use_name, contraction, gap, verb)
        else:
            new = (name if use_name else "them") + gap + (verb or "")
        if use_name:
            named_at = m.start()
        elif word[0].isupper():
            new = new[0].upper() + new[1:]
        out.append(text[pos:m.start()] + new)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _is_subject(before: str, verb: str) -> bool:
    """Whether "you", between ``before`` and ``verb``, is the sentence's subject."""
    if _CAUSATIVE.search(before):
        return False
    lower = verb.lower()
    return bool(_SUBJECT_BEFORE.search(before) or lower in _AFTER_NAME or lower in _KEEP
                or lower in _PRESENT or lower.endswith("ed"))


def _subject(who: str, named: bool, contraction: str | None, gap: str, verb: str | None) -> str:
    """``who`` and the verb that followed "you", agreeing with it."""
    verb = verb or ""
    if contraction is not None:
        return who + (_CONTRACTION[contraction] if named else contraction) + gap + verb
    lower = verb.lower()
    if not named or lower in _KEEP or lower.endswith(("ed", "s")):
        return who + gap + verb
    if lower in _AFTER_NAME:
        return who + gap + _AFTER_NAME[lower]
    if lower.endswith(("sh", "ch", "x", "o")):
        return who + gap + verb + "es"
    return who + gap + verb + "s"


def lines_about(lines: list[str], name: str) -> list[str]:
    """:func:`about` of each line."""
    return [about(line, name) for line in lines]
