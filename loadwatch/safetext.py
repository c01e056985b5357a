"""Text from files and people, made safe for where it is shown: terminals, logs, spreadsheets, Markdown.

Names of files, activities and athletes come from outside: a file name may not be
UTF-8 (Python hands it over with "surrogate escapes" that no encoder accepts), an
activity title may hold a newline or a terminal escape sequence (``ESC [ 2 J``
clears the screen; others retitle the window or fake a line of output), a pain
note may begin with ``=`` and run as a formula in a spreadsheet, an athlete's
name may hold ``<script>``. Each function here makes text safe for one
destination and keeps it readable: the escapes look like Python's (``\\n``,
``\\x1b``, ``\\xf8`` for a byte that is not UTF-8).
"""

from __future__ import annotations

import html
import os
import re

_SURROGATE = re.compile("[\udc80-\udcff]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula [1]_.

References
----------
.. [1] OWASP, "CSV Injection," owasp.org/www-community/attacks/CSV_Injection.
"""


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def display_name(name: str | os.PathLike) -> str:
    """A file name or path as valid Unicode: bytes that are not UTF-8 as ``\\xNN``.

    >>> display_name(os.fsdecode(b"l\\xf8p.gpx"))
    'l\\\\xf8p.gpx'
    >>> display_name("løp.gpx")
    'løp.gpx'
    """
    text = os.fspath(name)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return _SURROGATE.sub(lambda m: _escape(m.group()), text)


def one_line(text: object) -> str:
    """``text`` for one line of a terminal or log: every control character escaped.

    Newlines, carriage returns, tabs, escape sequences (``\\x1b``), other C0 and C1
    controls, bidirectional overrides and bytes of non-UTF-8 file names are shown as
    escapes, so a name cannot break a line, fake another or reprogram the terminal.

    >>> one_line("Evil\\x1b[2J\\nrun")
    'Evil\\\\x1b[2J\\\\nrun'
    """
    return _UNSAFE.sub(lambda m: _escape(m.group()), str(text))


def terminal(text: str) -> str:
    """A multi-line text for a terminal: as :func:`one_line`, but line breaks kept.

    The safety net under the text renderers, which escape names field by field.

    >>> terminal("a\\x1b[31m\\nb")
    'a\\\\x1b[31m\\nb'
    """
    return _UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else _escape(m.group()), text)


def no_surrogates(text: str, *, json: bool = False) -> str:
    """``text`` with bytes of non-UTF-8 file names as ``\\xNN``, so it can be encoded.

    With ``json``, the escape is doubled (``\\\\xNN``): such a character can only
    stand inside a JSON string, where a lone backslash would be invalid.
    """
    prefix = "\\\\x" if json else "\\x"
    return _SURROGATE.sub(lambda m: f"{prefix}{ord(m.group()) - 0xDC00:02x}", text)


def guard_formula(cell: str) -> str:
    """A cell a spreadsheet shows as text: ``'`` before a leading = + - @ tab or CR.

    >>> guard_formula('=HYPERLINK("http://x")'), guard_formula("inner knee")
    ('\\'=HYPERLINK("http://x")', 'inner knee')
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def unguard_formula(cell: str) -> str:
    """:func:`guard_formula` undone.

    >>> unguard_formula("'=1+1"), unguard_formula("'quoted'")
    ('=1+1', "'quoted'")
    """
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def markdown_text(text: object) -> str:
    """Text for a Markdown line or table cell: raw HTML escaped, pipes escaped, one line.

    Markdown passes inline HTML through to the page, so a name like
    ``<img src=x onerror=alert(1)>`` would run in a viewer that renders it.

    >>> markdown_text("<b>Ann</b> | Bob & co")
    '&lt;b&gt;Ann&lt;/b&gt; \\\\| Bob &amp; co'
    """
    out = html.escape(one_line(str(text).replace("\r\n", " ").replace("\n", " ")), quote=False)
    return out.replace("|", "\\|")
