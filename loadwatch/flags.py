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
    last_date : datetime.date or None
        Last local day the condition still held (a streak that goes on); None
        means the same as ``date``. A flag is active as of day D when
        ``last_date`` (or ``date``) falls in D-6..D.
    """

    code: str
    severity: str
    date: date
    value: float | None
    threshold: float | None
    evidence: str
    source: str
    message: str
    last_date: date | None = None

    @property
    def until(self) -> date:
        """The last day the condition held."""
        return self.last_date or self.date

    def active_on(self, day: date, window_days: int = 7) -> bool:
        """Whether the flag's condition held within ``window_days`` up to ``day``."""
        return self.date <= day and (day - self.until).days < window_days

    def to_json(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["last_date"] = self.until.isoformat()
        return d


def severity_rank(severity: str) -> int:
    """0 for info, 1 caution, 2 high: for sorting and comparisons."""
    return SEVERITIES.index(severity)
