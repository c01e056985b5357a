"""A cheap look at a settings file's text before a TOML parser sees it.

Python's TOML parsers (``tomllib``, ``tomlkit``) recurse once per level of nested
arrays and inline tables, so a 200 KB file of ``[[[[...`` ends in a RecursionError,
and ``tomllib`` keeps the path of every dotted key it has seen, so one key of
100,000 parts (``a.a.a....``) costs gigabytes and half a minute. A settings file
that could do either is refused before parsing, in time linear in its size, with
one line saying which bound it broke. A real ``loadwatch.toml`` nests two levels
(``ignore = [{id = ..., reason = ...}]``) and its longest key has two parts.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_NESTING = 32
"""Deepest nesting of ``[``/``{`` (arrays, inline tables, table headers) accepted.
A real settings file nests 2 levels; Python's parsers recurse per level. [levels]"""

MAX_KEY_PARTS = 16
"""Most parts of one dotted key (``a.b.c`` has 3); a real one has at most 2.
``tomllib`` spends time and memory quadratic in this number. [parts]"""

MAX_KEY_CHARS = 1024
"""Longest key or key part, bare or quoted (an activity id or file-name pattern is far
shorter); a quoted key is echoed whole in an unknown-key error. [characters]"""

# Strings (all four TOML kinds) and comments: their brackets, dots and equals signs are text.
_TEXT = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_PART = r"(?:[A-Za-z0-9_-]++|S)"
_DOTTED = re.compile(rf"(?<![A-Za-z0-9_-]){_PART}(?:[ \t]*\.[ \t]*{_PART})+")
_BRACKETS = re.compile(r"[\[\]{}]")
_BARE = re.compile(rf"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{{{MAX_KEY_CHARS + 1},}}")
# A quoted key ("a key" = 1, [x."a key"], a."b"): a one-line string followed by =, . or ].
_LONG = MAX_KEY_CHARS + 1
_QUOTED_KEY = re.compile(rf'(?:"(?:[^"\\\n]|\\.){{{_LONG},}}"|\'[^\'\n]{{{_LONG},}}\')[ \t]*[=.\]]')


def check(text: str) -> str | None:
    """The first bound of this module ``text`` breaks, in words; None when within them.

    >>> check('a = [[1, 2], [3]]') is None
    True
    >>> check('a = ' + '[' * 40 + ']' * 40)
    'arrays or tables nested 40 deep (at most 32)'
    >>> check('x = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["') is None
    True
    >>> check('"' + 'k' * 2000 + '" = 1')
    'a quoted key of 2,000 characters (at most 1,024)'
    >>> check('reason = "' + 'k' * 2000 + '"') is None
    True
    """
    bare = _TEXT.sub(lambda m: " S " if m.group()[0] in "\"'" else "", text)
    # Plain Python over the brackets alone (no numpy): the settings are read at start-up.
    steps = (1 if c in "[{" else -1 for c in _BRACKETS.findall(bare))
    depth = max(accumulate(steps, initial=0))
    if depth > MAX_NESTING:
        return f"arrays or tables nested {depth} deep (at most {MAX_NESTING})"
    parts = max((m.group().count(".") + 1 for m in _DOTTED.finditer(bare)), default=1)
    if parts > MAX_KEY_PARTS:
        return f"a dotted key of {parts:,} parts (at most {MAX_KEY_PARTS})"
    long = _BARE.search(bare)
    if long:
        return f"a key or value of {len(long.group()):,} characters (at most {MAX_KEY_CHARS:,})"
    quoted = _QUOTED_KEY.search(text)
    if quoted:
        size = len(quoted.group().rstrip("=.] \t")) - 2
        return f"a quoted key of {size:,} characters (at most {MAX_KEY_CHARS:,})"
    return None
