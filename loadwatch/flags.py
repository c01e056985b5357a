"""Risk flags: a fixed vocabulary of overload patterns, each with its evidence.

Each rule reads the engine's series (:class:`loadwatch.engine.LoadAnalysis`) and
raises one :class:`Flag` per episode of its condition, dated the first day the
condition was met and carrying the last day it still held. Thresholds are the
fields of :class:`Thresholds` (configurable in ``[thresholds]`` of
``loadwatch.toml``). The evidence grade says how much the science supports the
rule: ``strong`` (a large running cohort), ``moderate`` (a running cohort with a
wide confidence interval), ``limited`` (team sports, contested in runners) or
``advice`` (consensus or coaching practice, no cohort link to injury).

loadwatch never diagnoses: the advice is about training, and pain that persists
or began suddenly needs a sports physical therapist or doctor.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from datetime import date

import pandas as pd

SEVERITIES = ("info", "caution", "high")
EVIDENCE = ("strong", "moderate", "limited", "advice")
KM, MILE = 1000.0, 1609.344
TOLERANCE = 1e-9
"""Slack for threshold comparisons: (11 - 10) / 10 * 100 is 10.000000000000009."""


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


@dataclass(frozen=True)
class Rule:
    """What a flag code means: a title, its evidence grade and source, and what to do."""

    title: str
    evidence: str
    source: str
    advice: str


_GRADUAL = ("Raise your running gradually: hold this week's volume for a week or two before adding "
            "more, and plan at least one rest day a week.")
RULES: dict[str, Rule] = {
    "weekly_distance_jump": Rule(
        "Weekly distance up fast", "moderate",
        "Nielsen et al. 2014, JOSPT 44:739 (> 30%/week); the 10% rule showed no effect in "
        "Buist et al. 2008, AJSM 36:33",
        _GRADUAL),
    "long_run_spike": Rule(
        "Run much longer than your recent longest", "strong",
        "Frandsen et al. 2025, BJSM 59:1203 (5,205 runners): runs > 10% longer than the longest "
        "of the previous 30 days raised injury risk",
        "Keep single runs within about 10% of your longest run of the last month; build the long "
        "run step by step, with easy days after it."),
    "acwr_high": Rule(
        "Recent load high against your usual", "limited",
        "Gabbett 2016, BJSM 50:273 (team sports); contested (Impellizzeri 2021) and not linked to "
        "injury in runners (Frandsen 2025)",
        "Take an easier few days so your recent load comes back towards what you are used to."),
    "run_streak": Rule(
        "Many running days in a row", "advice",
        "Coaching practice; no cohort study links consecutive running days to injury",
        "Break the streak with a rest day or a cross-training day (cycling, swimming) to let "
        "tendons and bursae recover."),
    "no_rest_day": Rule(
        "No rest day this week", "advice",
        "ECSS/ACSM overtraining consensus, Meeusen et al. 2013, MSSE 45:186: at least one "
        "passive rest day a week",
        "Plan at least one full rest day every week."),
    "no_cross_training": Rule(
        "No cross-training", "advice",
        "Overuse knee pain in runners often goes with running only; cross-training and strength "
        "work spread the load",
        "Swap one run a week for cycling or swimming, and add hip and thigh strength work "
        "(abductors, adductors, quadriceps) twice a week."),
    "duration_jump": Rule(
        "Weekly running time up fast", "advice",
        "Time and duration advanced too fast is a usual cause of overuse knee pain (the seed; "
        "Nielsen 2014 for distance)",
        _GRADUAL),
    "elevation_jump": Rule(
        "Much more climbing", "advice",
        "Hills and trails added too fast load the knee's inner side more; coaching practice",
        "Add hills and trails gradually; keep most climbing at an easy effort for now."),
    "intensity_jump": Rule(
        "Training intensity up fast", "advice",
        "Banister TRIMP week-over-week; intensity advanced too fast is a usual cause of overuse "
        "pain",
        "Keep most runs easy and add hard sessions one at a time."),
    "monotony_high": Rule(
        "Every day the same load", "limited",
        "Foster 1998, MSSE 30:1164 (monotony); '> 2.0 is high' is a secondary-source rule",
        "Vary your days: mix easy, long and rest days instead of similar runs every day."),
    "pain_red_flag": Rule(
        "Pain that needs checking", "advice",
        "Clinical red flags for acute knee injury (Bunt et al. 2018, Am Fam Physician 98:576)",
        "Stop running on it and get it checked by a sports physical therapist or doctor."),
}


@dataclass(frozen=True)
class Thresholds:
    """Every number the rules use; override any in ``[thresholds]`` of ``loadwatch.toml``."""

    weekly_jump_caution_pct: float = 10.0
    weekly_jump_high_pct: float = 30.0
    weekly_jump_min_base_km: float = 10.0
    spike_caution_ratio: float = 1.10
    spike_high_ratio: float = 2.00
    acwr_caution: float = 1.3
    acwr_high: float = 1.5
    streak_caution_days: int = 7
    streak_high_days: int = 14
    no_rest_days: int = 7
    no_cross_training_days: int = 14
    no_cross_training_min_run_days: int = 3
    duration_jump_pct: float = 30.0
    duration_jump_min_base_min: float = 60.0
    elevation_jump_pct: float = 30.0
    elevation_jump_min_base_m: float = 200.0
    intensity_jump_pct: float = 30.0
    intensity_jump_min_base: float = 100.0
    monotony_high: float = 2.0

    @classmethod
    def from_mapping(cls, table: dict) -> Thresholds:
        """Thresholds with the keys of ``table`` overridden.

        Raises
        ------
        ValueError
            An unknown key, a value that is not a positive finite number (NaN and
            infinity are refused), or a count of days that is not a whole number,
            naming the key.
        """
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ValueError(f"unknown key thresholds.{key} (known: {', '.join(known)})")
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not math.isfinite(value) or not value > 0):
                raise ValueError(f"thresholds.{key} must be a positive number, not {value!r}")
            if known[key].type in ("int", int):
                # Day counts index days: 7.5 days has no meaning (and crashed the rules).
                if not float(value).is_integer():
                    raise ValueError(f"thresholds.{key} is a number of days and must be a "
                                     f"whole number, not {value!r}")
                value = int(value)
            values[key] = value
        t = cls(**values)
        for low, high in (("weekly_jump_caution_pct", "weekly_jump_high_pct"),
                          ("spike_caution_ratio", "spike_high_ratio"), ("acwr_caution", "acwr_high"),
                          ("streak_caution_days", "streak_high_days")):
            if getattr(t, low) > getattr(t, high):
                raise ValueError(f"thresholds.{low} must not exceed thresholds.{high}")
        return t


# -- helpers ---------------------------------------------------------------------------------

def _d(ts) -> date:
    return pd.Timestamp(ts).date()


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _dist(metres: float, units: str) -> str:
    return f"{metres / (MILE if units == 'mi' else KM):.1f} {units}"


def _flag(code: str, severity: str, day, value, threshold, message: str, last=None) -> Flag:
    rule = RULES[code]
    return Flag(code, severity, _d(day), None if value is None else float(value),
                None if threshold is None else float(threshold), rule.evidence, rule.source,
                message, None if last is None else _d(last))


def _episodes(mask: pd.Series) -> list[tuple[int, int]]:
    """(first, last) positions of each run of True values."""
    m = mask.fillna(False).to_numpy(bool)
    if not m.any():
        return []
    edges = pd.Series(m).astype(int).diff().fillna(int(m[0])).to_numpy()
    starts = list((edges == 1).nonzero()[0])
    ends = [i - 1 for i in (edges == -1).nonzero()[0]]
    if len(ends) < len(starts):
        ends.append(len(m) - 1)
    return list(zip(starts, ends, strict=True))


def _over(values: pd.Series, threshold: float) -> pd.Series:
    return values > threshold + TOLERANCE


# -- the rules -------------------------------------------------------------------------------

def evaluate(analysis, thresholds: Thresholds = Thresholds(), units: str = "km") -> list[Flag]:
    """Every flag over the athlete's whole history, sorted by date.

    Parameters
    ----------
    analysis : loadwatch.engine.LoadAnalysis
    thresholds : Thresholds
    units : {"km", "mi"}
        Units of the distances in the messages.
    """
    t = thresholds
    out: list[Flag] = []
    out += _weekly_distance_jumps(analysis, t, units)
    out += _weekly_jumps(analysis, t)
    out += _spikes(analysis, t, units)
    out += _acwr(analysis, t)
    out += _streaks(analysis, t)
    out += _no_rest(analysis, t)
    out += _no_cross(analysis, t)
    out += _monotony(analysis, t)
    return sorted(out, key=lambda f: (f.date, -severity_rank(f.severity), f.code))


def _week_days(analysis, start) -> pd.DataFrame:
    daily = analysis.daily
    return daily[(daily.index >= start) & (daily.index <= start + pd.Timedelta(days=6))]


def _crossing_day(days: pd.DataFrame, column: str, level: float):
    """First day the week's running total of ``column`` passes ``level``."""
    cum = days[column].cumsum()
    over = cum[cum > level * (1 + TOLERANCE)]
    return over.index[0] if len(over) else days.index[-1]


def _weekly_distance_jumps(analysis, t: Thresholds, units: str) -> list[Flag]:
    w = analysis.weekly
    prev = w["run_distance_m"].shift(1)
    base_ok = prev >= t.weekly_jump_min_base_km * KM - TOLERANCE
    out = []
    for i in w.index[base_ok & _over(w["change_pct"], t.weekly_jump_caution_pct)]:
        row, before = w.loc[i], prev.loc[i]
        high = row["change_pct"] > t.weekly_jump_high_pct + TOLERANCE
        threshold = t.weekly_jump_high_pct if high else t.weekly_jump_caution_pct
        start = pd.Timestamp(row["start"])
        day = _crossing_day(_week_days(analysis, start), "run_distance_m",
                            before * (1 + threshold / 100))
        if _d(row["end"]) != analysis.as_of:
            when = f"in the week of {_day(_d(start))}"
        else:
            when = "this week" if _d(row["end"]).weekday() == 6 else "this week so far"
        msg = (f"You ran {_dist(row['run_distance_m'], units)} {when}, {row['change_pct']:.1f}% more "
               f"than the week before ({_dist(before, units)}). ")
        msg += ("Weekly jumps over 30% were linked to more running injuries in new runners "
                "(Nielsen 2014)." if high else
                "That is more than the usual 10% guide; the rule itself is coaching advice, not a "
                "proven limit.")
        out.append(_flag("weekly_distance_jump", "high" if high else "caution", day,
                         row["change_pct"], threshold, msg, last=row["end"]))
    return out


def _weekly_jumps(analysis, t: Thresholds) -> list[Flag]:
    w = analysis.weekly
    specs = [
        ("duration_jump", "run_duration_s", "duration_change_pct", t.duration_jump_pct,
         t.duration_jump_min_base_min * 60, lambda v: f"{v / 3600:.1f} h of running"),
        ("elevation_jump", "elevation_gain_m", "elevation_change_pct", t.elevation_jump_pct,
         t.elevation_jump_min_base_m, lambda v: f"{v:.0f} m of climbing"),
        ("intensity_jump", "trimp", "trimp_change_pct", t.intensity_jump_pct,
         t.intensity_jump_min_base, lambda v: f"a training load (TRIMP) of {v:.0f}"),
    ]
    daily_col = {"run_duration_s": "run_duration_s", "elevation_gain_m": "elevation_gain_m",
                 "trimp": "trimp"}
    out = []
    for code, col, pct_col, pct, base, words in specs:
        prev = w[col].shift(1)
        for i in w.index[(prev >= base - TOLERANCE) & _over(w[pct_col], pct)]:
            row = w.loc[i]
            start = pd.Timestamp(row["start"])
            day = _crossing_day(_week_days(analysis, start), daily_col[col],
                                prev.loc[i] * (1 + pct / 100))
            msg = (f"In the week of {_day(_d(start))} you did {words(row[col])}, "
                   f"{row[pct_col]:.0f}% more than the week before ({words(prev.loc[i])}). "
                   "Time, terrain and intensity added too fast are usual causes of overuse knee "
                   "pain.")
            out.append(_flag(code, "caution", day, row[pct_col], pct, msg, last=row["end"]))
    return out


def _spikes(analysis, t: Thresholds, units: str) -> list[Flag]:
    s = analysis.spikes
    if s.empty:
        return []
    out = []
    for r in s[_over(s["spike_ratio"], t.spike_caution_ratio)].itertuples(index=False):
        high = r.spike_ratio > t.spike_high_ratio + TOLERANCE
        msg = (f"Your {_dist(r.distance_m, units)} run on {_day(_d(r.date))} was "
               f"{r.spike_ratio:.2f}x your longest run in the 30 days before it "
               f"({_dist(r.reference_m, units)}). Runs more than 10% longer than your recent "
               f"longest raised injury risk in a study of 5,200 runners"
               + (" (more than double: the highest risk)." if high else "."))
        out.append(_flag("long_run_spike", "high" if high else "caution", r.date, r.spike_ratio,
                         t.spike_high_ratio if high else t.spike_caution_ratio, msg))
    return out


def _acwr(analysis, t: Thresholds) -> list[Flag]:
    acwr = analysis.daily["acwr"]
    out = []
    for a, b in _episodes(_over(acwr, t.acwr_caution - 2 * TOLERANCE)):
        part = acwr.iloc[a:b + 1]
        peak = part.max()
        high = peak >= t.acwr_high - TOLERANCE
        msg = (f"Your load over the last 7 days reached {peak:.2f}x your 4-week average "
               f"(from {_day(_d(part.index[0]))}). This ratio comes from team sports, is contested, "
               "and showed no link to injury in runners; read it as a hint only.")
        # Dated the day the condition of its severity was first met, so an escalation
        # from caution to high is a new flag (and a new alert).
        first = part[part >= t.acwr_high - TOLERANCE].index[0] if high else part.index[0]
        out.append(_flag("acwr_high", "high" if high else "caution", first, peak,
                         t.acwr_high if high else t.acwr_caution, msg, last=part.index[-1]))
    return out


def _streaks(analysis, t: Thresholds) -> list[Flag]:
    streak = analysis.daily["streak"]
    out = []
    for a, b in _episodes(streak >= t.streak_caution_days):
        longest = int(streak.iloc[b])
        high = longest >= t.streak_high_days
        first_day = streak.index[a] - pd.Timedelta(days=t.streak_caution_days - 1)
        going = streak.index[b] == streak.index[-1]
        msg = (f"You {'have run' if going else 'ran'} {longest} days in a row "
               f"(from {_day(_d(first_day))}). Running every day gives tendons and bursae on the "
               "inside of the knee no time to recover.")
        first = streak.index[a + (t.streak_high_days - t.streak_caution_days if high else 0)]
        out.append(_flag("run_streak", "high" if high else "caution", first, longest,
                         t.streak_high_days if high else t.streak_caution_days, msg,
                         last=streak.index[b]))
    return out


def _no_rest(analysis, t: Thresholds) -> list[Flag]:
    daily = analysis.daily
    since = daily["days_since_rest"]
    # Before the first rest day of the series, count days from its start.
    since = since.fillna(pd.Series(range(1, len(daily) + 1), index=daily.index, dtype=float))
    out = []
    for a, b in _episodes(since >= t.no_rest_days):
        longest = int(since.iloc[b])
        msg = (f"You have not had a rest day for {longest} days (up to {_day(_d(since.index[b]))}). "
               "Plan at least one full rest day a week.")
        out.append(_flag("no_rest_day", "caution", since.index[a], longest, t.no_rest_days, msg,
                         last=since.index[b]))
    return out


def _no_cross(analysis, t: Thresholds) -> list[Flag]:
    daily = analysis.daily
    n = t.no_cross_training_days
    cross = (daily["cross_sessions"] > 0).astype(int).rolling(n, min_periods=n).sum()
    run_days = daily["run_day"].astype(int).rolling(7, min_periods=7).sum()
    cond = (cross == 0) & (run_days >= t.no_cross_training_min_run_days)
    since = daily["days_since_cross"]
    out = []
    for a, b in _episodes(cond):
        days = since.iloc[b]
        value = int(days) if not math.isnan(days) else int(b + 1)
        msg = (f"No cross-training in the last {n} days or more while running "
               f"{int(run_days.iloc[b])} days a week. Cycling, swimming and strength work keep "
               "fitness up while giving the knee a break.")
        out.append(_flag("no_cross_training", "info", daily.index[a], value, n, msg,
                         last=daily.index[b]))
    return out


def _monotony(analysis, t: Thresholds) -> list[Flag]:
    w = analysis.weekly
    out = []
    for i in w.index[_over(w["monotony"], t.monotony_high)]:
        row = w.loc[i]
        msg = (f"In the week of {_day(_d(row['start']))} your daily loads were very similar "
               f"(monotony {row['monotony']:.2f}, above {t.monotony_high:.1f}). Mixing hard, easy "
               "and rest days helps recovery.")
        out.append(_flag("monotony_high", "caution", row["end"], row["monotony"],
                         t.monotony_high, msg, last=row["end"]))
    return out


def risk_level(flags: list[Flag], as_of: date) -> str:
    """``high`` if a high flag (a pain red flag included) is active in the last 7 days up to
    ``as_of``, ``moderate`` if a caution flag is, else ``low``."""
    active = [f for f in flags if f.active_on(as_of)]
    if any(f.severity == "high" for f in active):
        return "high"
    if any(f.severity == "caution" for f in active):
        return "moderate"
    return "low"
