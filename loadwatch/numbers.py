"""Numbers written by people and programs, read strictly.

Python's ``float`` accepts more than a number column should: ``"8_0"`` is 80 (digit
grouping in source code), ``"nan"``, ``"inf"`` and ``"1e999"`` (infinite) are floats,
and so are digits of other scripts. A diary or export cell like that is a typo or
garbage, never a distance, and silently reading 80 km or a NaN load is worse than
naming the row. :func:`parse_number` accepts plain decimal notation only.
"""

from __future__ import annotations

import math
import re

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number: ASCII digits, an optional sign, point and exponent."""

INTEGER = re.compile(r"\+?[0-9]+")
"""A whole number of ASCII digits, optionally with ``+``."""


def parse_number(text: str) -> float:
    """``text`` (surrounding spaces allowed) as a finite float.

    Raises
    ------
    ValueError
        Not plain decimal notation (``8_0``, ``1,5``, ``nan``, ``inf``, ``0x10``) or
        too large to be finite (``1e999``); the message says which.

    >>> parse_number(" 12.5 "), parse_number("-3e2")
    (12.5, -300.0)
    >>> parse_number("8_0")
    Traceback (most recent call last):
    ...
    ValueError: '8_0' is not a number
    """
    raw = text.strip()
    if not NUMBER.fullmatch(raw):
        raise ValueError(f"{raw!r} is not a number")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is too large")
    return value


def is_finite_number(value: object) -> bool:
    """Whether ``value`` is an int or float (not a bool) that is neither NaN nor infinite.

    >>> is_finite_number(3), is_finite_number(float("inf")), is_finite_number(True)
    (True, False, False)
    """
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))
