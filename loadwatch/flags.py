"""Risk flags: a fixed vocabulary of overload patterns, each with its evidence.

(Rules are added by the load-engine work; this module holds the :class:`Flag` record
every layer above the engine reads.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

SEVERITIES = ("info", "caution", "high")
EVIDENCE = ("strong", "moderate", "limited", "advice")


@dataclass(frozen=True)
class Flag:
    """One risk flag raised for an athlete.

    Attributes
    ----------
    code : str
        From the fixed vocabulary (``weekly_distance_jump``, ``long_run_spike``, ...,
        ``pain_red_flag``).
    severity : str
        ``info``, ``caution`` or ``high``.
    date : datetime.date
        Local day its condition was first met.
    value, threshold : float or None
        The measured number and the threshold it crossed, in the flag's own unit.
    evidence : str
        ``strong``, ``moderate``, ``limited`` or ``advice``.
    source : str
        The source in one line.
    message : str
        Plain words for a runner, with the numbers.
    """

    code: str
    severity: str
    date: date
    value: float | None
    threshold: float | None
    evidence: str
    source: str
    message: str

    def to_json(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


def severity_rank(severity: str) -> int:
    """0 for info, 1 caution, 2 high: for sorting and comparisons."""
    return SEVERITIES.index(severity)
