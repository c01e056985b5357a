"""The athlete's past in ``loadwatch.toml``: ``[races]`` and ``[athlete] injuries``, checked.

Kept apart from :mod:`loadwatch.config` (which reads the file and names it in errors) and
from :mod:`loadwatch.races` (which applies the races to a timeline), so that neither
imports the other: each check raises ``ValueError`` with the key and the problem, and the
config prefixes the file's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

MAX_WHAT = 200
"""Longest ``what`` of an injury, in characters: a line, not a medical record. [characters]"""


@dataclass(frozen=True)
class RaceSettings:
    """``[races]``: the runs the athlete marks as races, and those that are not.

    Attributes
    ----------
    days : tuple of str
        Local days (``YYYY-MM-DD``): every run of the day is a race.
    activities : tuple of str
        Activity ids that are races.
    not_races : tuple of str
        Activity ids that are not races whatever their name (``not`` in the file).
    """

    days: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    not_races: tuple[str, ...] = ()


def check_races(table: dict) -> RaceSettings:
    """``[races]``: ``days`` (``YYYY-MM-DD``), ``activities`` and ``not`` (activity ids).

    >>> check_races({"days": ["2026-11-08"]}).days
    ('2026-11-08',)
    """
    known = ("days", "activities", "not")
    for key in table:
        if key not in known:
            raise ValueError(f"unknown key races.{key} (known: {', '.join(known)})")
    lists = {}
    for key in known:
        value = table.get(key, [])
        if (not isinstance(value, list)
                or not all(isinstance(v, str) and v.strip() for v in value)):
            what = 'days like "2026-11-08"' if key == "days" else "activity ids"
            raise ValueError(f"races.{key} must be a list of {what}")
        lists[key] = tuple(v.strip() for v in value)
    for day in lists["days"]:
        if not (_DAY.fullmatch(day) and _is_day(day)):
            raise ValueError(f'races.days: {_shown(day)} is not a day like "2026-11-08"')
    return RaceSettings(lists["days"], lists["activities"], lists["not"])


def check_injuries(items) -> list[dict]:
    """``athlete.injuries``: a list of ``{date = "YYYY-MM" or "YYYY-MM-DD", what = "..."}``.

    A TOML date (``date = 2026-03-14``) is taken too. Each item comes back as
    ``{"date": "2026-03", "what": "shin splints"}``. A message starts with what follows
    ``athlete.injuries`` (``": date 'March' is not..."``).

    >>> check_injuries([{"date": "2026-03", "what": " shin "}])
    [{'date': '2026-03', 'what': 'shin'}]
    """
    if not isinstance(items, list):
        raise ValueError(' must be a list like [{date = "2026-03", what = "shin splints"}]')
    out = []
    for item in items:
        if not isinstance(item, dict) or set(item) - {"date", "what"} or "date" not in item:
            raise ValueError(f": {_shown(item)} is not a table like "
                             '{date = "2026-03", what = "shin splints"} (keys: date, what)')
        when, what = item["date"], item.get("what", "")
        if isinstance(when, date):
            when = when.isoformat()
        ok = isinstance(when, str) and bool(
            (_MONTH.fullmatch(when) and _is_day(when + "-01"))
            or (_DAY.fullmatch(when) and _is_day(when)))
        if not ok:
            raise ValueError(f": date {_shown(when)} is not a month (\"2026-03\") or a day "
                             "(\"2026-03-14\")")
        if not isinstance(what, str) or len(what) > MAX_WHAT or not what.isprintable():
            raise ValueError(f": what must be text of up to {MAX_WHAT} printable characters, "
                             f"not {_shown(what)}")
        out.append({"date": when, "what": what.strip()})
    return out


SHOWN_CHARS = 60
"""Characters of a bad value quoted in a settings message; the rest is cut to "...". [chars]"""


def _shown(value) -> str:
    """``value``'s repr, cut to :data:`SHOWN_CHARS`: a message quoting a 5,000-character
    ``what`` would bury the one line that says what is wrong."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
