"""The review as data: counts, rates, rate ratios with intervals, the words, the JSON.

:func:`build` turns the athletes' :class:`~loadwatch.review.cohort.Exposure` into a
:class:`Review`: per lag, the athlete-days, episodes and rate per 1,000 athlete-days of each
level (with its exact Poisson interval), and the rate ratio of ``raised`` and of ``high``
against ``usual`` with its 95% interval: one athlete's exact conditional interval, or over
two athletes or more the Mantel-Haenszel ratio stratified by athlete with the Greenland-Robins
interval. Every judgement the renderers show is made here: "too few to tell"
(:func:`loadwatch.review.stats.too_wide` with ``Thresholds.review_max_ci_ratio``), the
sentences, and what the review cannot show. The renderers only lay them out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from loadwatch.review import stats
from loadwatch.review.cohort import LAGS, LEVELS, PRIMARY, REASONS, Exposure

SCHEMA = "loadwatch/review-v1"

COMPARED = ("raised", "high")
"""The levels compared with ``usual``."""

LAG_WORDS = {"day_before": "the level of the day before the episode's first entry (primary)",
             "highest_7_days": "the highest level of the 7 days before (secondary)",
             "highest_14_days": "the highest level of the 14 days before (secondary)"}

LIMITS = (
    "Few episodes give wide intervals: the interval is the range of ratios these counts are "
    "compatible with, and with fewer than about six episodes at a level it is too wide to "
    "tell anything.",
    "A diary kept only when it hurts misses pain-free stretches and the quiet starts of "
    "episodes: rates are only comparable if the diary was kept the same way whatever the load.",
    "Pain changes load: a runner who feels something coming on often trains less, so an "
    "episode can follow a usual day because the load was already cut (reverse causation).",
    "An association in one's own data is not proof that the load caused the pain: shoes, "
    "sleep, illness, surfaces and races move with load too.",
)
"""What the review cannot show, said with every review."""

POOLED_NOTE = ("Pooled over athletes by Mantel-Haenszel: each athlete is compared with "
               "themself, so that an athlete who runs more and reports more does not sway it.")


@dataclass(frozen=True)
class LevelRow:
    """One level's counts: athlete-days, counted episodes and the rate per 1,000 athlete-days."""

    level: str
    athlete_days: int
    episodes: int
    rate: stats.Estimate


@dataclass(frozen=True)
class Ratio:
    """The rate ratio of ``level`` against ``usual`` and what it tells.

    ``too_few`` is the "too few to tell" rule; ``sentence`` says it in words with the interval.
    """

    level: str
    estimate: stats.Estimate
    too_few: bool
    sentence: str


@dataclass(frozen=True)
class LagTable:
    """One lag's levels and ratios."""

    name: str
    window_days: int
    levels: tuple[LevelRow, ...]
    ratios: tuple[Ratio, ...]

    @property
    def primary(self) -> bool:
        return self.name == PRIMARY


@dataclass(frozen=True)
class AthleteExposure:
    """One athlete's exposure with its name and folder (a stratum of the pooled ratio)."""

    athlete: str
    folder: str
    exposure: Exposure


@dataclass(frozen=True)
class Review:
    """Everything ``loadwatch review`` shows (:func:`build`)."""

    as_of: date
    athletes: tuple[AthleteExposure, ...]
    lags: tuple[LagTable, ...]
    method: str
    excluded: dict[str, int]
    limits: tuple[str, ...] = LIMITS
    notes: tuple[str, ...] = ()
    errors: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    partial: bool = False
    """Some athlete's files could not all be read (each reviewed with the rest)."""
    own: tuple[tuple[Ratio, ...], ...] = ()
    """Per athlete (in the order of ``athletes``), the primary lag's exact conditional ratios
    of ``raised`` and ``high``: each athlete's own review inside a squad's."""

    @property
    def exit_code(self) -> int:
        """0 reviewed; 1 some athlete or file could not be read (the rest was); 2 no athlete
        with a diary to review."""
        if not self.athletes:
            return 2
        return 1 if self.errors or self.partial else 0

    @property
    def primary(self) -> LagTable:
        return self.lags[0]

    @property
    def episodes(self) -> list[tuple[str, object]]:
        """Every episode with its athlete, by athlete then start."""
        return [(a.athlete, e) for a in self.athletes for e in a.exposure.episodes]

    def to_json(self) -> dict:
        """The ``loadwatch/review-v1`` document."""
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "levels": _levels_json(self.primary),
            "rate_ratio": _ratios_json(self.primary),
            "lags": {t.name: {"primary": t.primary, "window_days": t.window_days,
                              "words": LAG_WORDS[t.name], "levels": _levels_json(t),
                              "rate_ratio": _ratios_json(t)} for t in self.lags},
            "episodes": [{"athlete": name, "start": e.start.isoformat(), "end": e.end.isoformat(),
                          "level_before": e.levels.get(PRIMARY),
                          "highest_7_days": e.levels.get("highest_7_days"),
                          "highest_14_days": e.levels.get("highest_14_days"),
                          "counted": e.counted, "reason": e.reason}
                         for name, e in self.episodes],
            "excluded": dict(self.excluded),
            "athletes": [{"athlete": a.athlete, "folder": a.folder,
                          "diary_start": a.exposure.diary_start.isoformat(),
                          "athlete_days": a.exposure.athlete_days,
                          "episodes": sum(a.exposure.events[PRIMARY].values()),
                          "rate_ratio": _ratio_json(own)}
                         for a, own in zip(self.athletes, self.own, strict=True)],
            "limits": list(self.limits),
            "notes": list(self.notes),
            "errors": [{"folder": f, "error": e} for f, e in self.errors],
        }


def _levels_json(table: LagTable) -> dict:
    return {r.level: {"athlete_days": r.athlete_days, "episodes": r.episodes,
                      "rate_per_1000": r.rate.json_value(), "rate_ci95": r.rate.json_ci()}
            for r in table.levels}


def _ratios_json(table: LagTable) -> dict:
    return _ratio_json(table.ratios)


def _ratio_json(ratios: tuple[Ratio, ...]) -> dict:
    return {r.level: {"rr": r.estimate.json_value(), "ci95": r.estimate.json_ci(),
                      "method": r.estimate.method, "too_few_to_tell": r.too_few,
                      "words": r.sentence} for r in ratios}


def number(x: float) -> str:
    """A ratio or rate in words: 3 significant figures, "infinity" for an open end."""
    if x == float("inf"):
        return "infinity"
    return f"{x:.3g}" if x < 1000 else f"{x:,.0f}"


def ratio_sentence(level: str, est: stats.Estimate, too_few: bool, episodes: int) -> str:
    """One sentence for a rate ratio, with its interval (none is shown without one)."""
    hi = "no upper limit" if math.isinf(est.hi) else number(est.hi)
    ci = f"95% interval {number(est.lo)} to {hi}"
    if est.value is None:
        return (f"After {level} days: too few to tell (no episode after a {level} or a usual "
                "day, or no days at one of them).")
    if too_few:
        if math.isinf(est.value):
            what = f"{_episodes(episodes)} after {level} days and none after usual days"
        else:
            what = f"{_episodes(episodes)} after {level} days; rate ratio {number(est.value)}"
        return f"After {level} days: too few episodes to tell ({what}; {ci})."
    return (f"Pain episodes began {number(est.value)} times as often after a {level} day as "
            f"after a usual day ({ci}).")


def _episodes(n: int) -> str:
    return f"{n} episode{'s' if n != 1 else ''}"


def _table(name: str, window: int, strata: list[Exposure], max_ratio: float) -> LagTable:
    days = {lvl: [e.days[name][lvl] for e in strata] for lvl in LEVELS}
    events = {lvl: [e.events[name][lvl] for e in strata] for lvl in LEVELS}
    rows = tuple(LevelRow(lvl, sum(days[lvl]), sum(events[lvl]),
                          stats.rate(sum(events[lvl]), sum(days[lvl]))) for lvl in LEVELS)
    ratios = []
    for lvl in COMPARED:
        if len(strata) == 1:
            est = stats.exact_rate_ratio(events[lvl][0], days[lvl][0], events["usual"][0],
                                         days["usual"][0])
        else:
            est = stats.mantel_haenszel(events[lvl], days[lvl], events["usual"], days["usual"])
        too_few = stats.too_wide(est, max_ratio)
        ratios.append(Ratio(lvl, est, too_few,
                            ratio_sentence(lvl, est, too_few, sum(events[lvl]))))
    return LagTable(name, window, rows, tuple(ratios))


def build(athletes: list[AthleteExposure], as_of: date, max_ratio: float,
          errors: list[tuple[str, str]] | None = None, partial: bool = False) -> Review:
    """The review of one athlete or of a squad.

    Parameters
    ----------
    athletes : list of AthleteExposure
        Every athlete whose diary has an entry (or ``diary_since``), by name.
    as_of : datetime.date
    max_ratio : float
        ``Thresholds.review_max_ci_ratio``: the "too few to tell" rule. [-]
    errors : list of (folder, message), optional
        Athletes that could not be reviewed.

    Returns
    -------
    Review
        One athlete: exact conditional intervals; two or more: Mantel-Haenszel pooled.
    """
    strata = [a.exposure for a in athletes]
    lags = tuple(_table(name, window, strata, max_ratio) for name, window in LAGS)
    excluded = {k: sum(e.excluded.get(k, 0) for e in strata)
                for k in (*REASONS, "unknown_days", "episode_days", "washout_days")}
    method = stats.EXACT if len(strata) == 1 else stats.MANTEL_HAENSZEL
    notes = [POOLED_NOTE] if len(strata) > 1 else []
    if not strata:
        notes.append("No athlete has a pain diary with an entry: nothing to review.")
    own = tuple(_table(PRIMARY, 1, [e], max_ratio).ratios for e in strata)
    return Review(as_of, tuple(athletes), lags, method, excluded, LIMITS, tuple(notes),
                  tuple(errors or ()), partial, own)


def athlete_sentence(review: Review, min_days: int) -> str | None:
    """The report's one sentence from an athlete's own review, or None without enough history.

    The primary lag's ``high`` ratio when it can tell, else ``raised``'s, else
    "too few episodes to tell" with the counts. None when the diary covers fewer than
    ``min_days`` counted athlete-days (``Thresholds.review_min_athlete_days``).
    """
    if len(review.athletes) != 1 or review.athletes[0].exposure.athlete_days < min_days:
        return None
    ratios = {r.level: r for r in review.primary.ratios}
    for lvl in ("high", "raised"):
        if not ratios[lvl].too_few:
            return "Your own diary: " + ratios[lvl].sentence
    n = sum(r.episodes for r in review.primary.levels)
    days = review.athletes[0].exposure.athlete_days
    return (f"Your own diary: too few episodes to tell whether pain followed the load level "
            f"({n} episode{'s' if n != 1 else ''} over {days:,} athlete-days; see "
            "loadwatch review).")
