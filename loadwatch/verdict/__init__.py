"""The verdict: one object with everything a runner, a coach or a mail is told.

:func:`judge` takes an athlete's timeline, settings and pain diary and decides,
in this order: which activities are impossible and wait under "data to check"
(:mod:`loadwatch.plausibility`), the load analysis without them
(:mod:`loadwatch.engine`), every condition as an episode (:mod:`loadwatch.flags`,
pain red flags from :mod:`loadwatch.pain`), the clinical status from the pain
diary (:mod:`.clinical`), the risk level that only evidence can raise
(:mod:`.risk`) and next week's numbers (:mod:`.next_week`). Every output (text,
Markdown, HTML, JSON, the squad table, the alert mails) reads a
:class:`Verdict`; none decides anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd

from loadwatch import engine, pain, plausibility
from loadwatch import flags as flags_mod
from loadwatch import timeline as timeline_mod
from loadwatch import wellness as wellness_mod
from loadwatch.engine import calendar
from loadwatch.engine.edges import over as over_edge
from loadwatch.flags import Flag
from loadwatch.flags import shoes as shoes_mod
from loadwatch.verdict import clinical as clinical_mod
from loadwatch.verdict import next_week as next_week_mod
from loadwatch.verdict import previous_injury
from loadwatch.verdict.clinical import Clinical
from loadwatch.verdict.next_week import NextWeek
from loadwatch.verdict.risk import Risk, assess, evidence_level
from loadwatch.words import day_words

__all__ = ["Clinical", "NextWeek", "PainView", "Risk", "Verdict", "VerdictOptions", "judge"]

EVIDENCE_CODES = frozenset({"long_run_spike", "return_spike", "duration_spike",
                            "weekly_distance_jump", "cumulative_ramp"})
"""The flags that may raise the risk level (:func:`loadwatch.verdict.risk.evidence_level`)."""

RECENT_SPIKE_DAYS = 30
"""The report lists every run above 1.1x its reference in this many days. [days]"""


@dataclass
class VerdictOptions:
    """What the verdict counts and how.

    Attributes
    ----------
    as_of : datetime.date
        The report date.
    units : str
        ``km`` or ``mi``, for the messages.
    load : str
        The daily load of the ratios and monotony (``distance``, ``duration``, ``trimp``).
    thresholds : loadwatch.flags.Thresholds
    athlete : loadwatch.engine.AthleteParams
    ignore : dict of str to str
        Activity ids the athlete ignores, with the reason (``[activities] ignore``).
    confirm : frozenset of str
        Activity ids the athlete confirmed as real (``[activities] confirm``).
    folder : str or None
        The athlete's folder as the user named it, for the commands the messages print
        (``loadwatch pain add --athlete FOLDER ...``); None: ``DIR`` stands for it.
    injuries : tuple of dict
        ``[athlete] injuries`` (:mod:`.previous_injury`).
    """

    as_of: date
    units: str = "km"
    load: str = "distance"
    thresholds: flags_mod.Thresholds = field(default_factory=flags_mod.Thresholds)
    athlete: engine.AthleteParams = field(default_factory=engine.AthleteParams)
    ignore: dict[str, str] = field(default_factory=dict)
    confirm: frozenset[str] = frozenset()
    folder: str | None = None
    injuries: tuple[dict, ...] = ()


@dataclass
class PainView:
    """The diary as the verdict sees it up to the report date."""

    diary: pain.Diary
    episodes: list[pain.Episode]
    links: list[pain.Link]
    patterns: pain.Patterns | None
    now: int | None
    ongoing: list[pain.Episode] = field(default_factory=list)


@dataclass
class Verdict:
    """Everything decided about one athlete on one day.

    Attributes
    ----------
    athlete : str
    options : VerdictOptions
    analysis : loadwatch.engine.LoadAnalysis
        Without the activities under "data to check" or ignored.
    flags : list of Flag
        Every episode of every condition over the history, pain red flags included.
    risk : Risk
    data_to_check : pandas.DataFrame
        :func:`loadwatch.plausibility.check`: quarantined activities and why.
    ignored : pandas.DataFrame
        ``activity_id``, ``date``, ``reason`` of the activities the athlete ignores.
    spike_notes : list of str
        Where single-run spikes could not be measured, in plain words.
    clinical : Clinical
        What the pain diary says about seeing a clinician; comes first everywhere.
    next_week : NextWeek
        The numbers for the week after the report date.
    pain : PainView or None
        None without a diary.
    shoes_note : str or None
        Why the one-pair habit could not be judged (most runs of the 4 weeks name no
        shoe), :func:`loadwatch.flags.shoes.note`.
    wellness : list of loadwatch.wellness.Trend
        Soreness, fatigue, sleep and resting heart rate: the last value and the 4-week
        trend (:func:`loadwatch.wellness.trends`); context, never the level (Saw 2016).
    timeline : pandas.DataFrame or None
        The timeline judged (all of it, as given to :func:`judge`), for :meth:`history`.
    diary : loadwatch.pain.Diary or None
        The diary as given to :func:`judge`, for :meth:`history`.
    """

    athlete: str
    options: VerdictOptions
    analysis: engine.LoadAnalysis
    flags: list[Flag]
    risk: Risk
    data_to_check: pd.DataFrame
    ignored: pd.DataFrame
    spike_notes: list[str]
    clinical: Clinical
    next_week: NextWeek
    pain: PainView | None = None
    shoes_note: str | None = None
    wellness: list[wellness_mod.Trend] = field(default_factory=list)
    timeline: pd.DataFrame | None = field(default=None, repr=False)
    diary: pain.Diary | None = field(default=None, repr=False)

    @property
    def as_of(self) -> date:
        return self.options.as_of

    def history(self, start: date | None = None) -> pd.DataFrame:
        """The level, drivers and clinical status of every day from ``start`` (default: the
        first day of the data) to the report date, each as this verdict would be on that day
        (:func:`loadwatch.verdict.history.history`; its table)."""
        from loadwatch.verdict import history as history_mod  # it imports this module

        timeline = self.timeline if self.timeline is not None else timeline_mod.empty()
        return history_mod.history(timeline, self.athlete, self.options, self.diary,
                                   start=start, end=self.as_of, analysis=self.analysis)

    def levels(self, start: date | None = None) -> pd.DataFrame:
        """:meth:`history` without the clinical status (:func:`loadwatch.verdict.history.levels`)."""
        from loadwatch.verdict import history as history_mod  # it imports this module

        timeline = self.timeline if self.timeline is not None else timeline_mod.empty()
        return history_mod.levels(timeline, self.athlete, self.options, self.diary,
                                  start=start, end=self.as_of, analysis=self.analysis)

    def shown(self) -> list[Flag]:
        """The flags the report shows today, drivers first, then by kind and severity."""
        drivers = {f.identity for f in self.risk.drivers}
        # A red flag not yet assessed never expires by silence (the clinical status holds it).
        red = [f for f in self.flags if f.code == "pain_red_flag" and f.start <= self.as_of]
        shown = red + _latest_habits([f for f in flags_mod.visible(self.flags, self.as_of)
                                      if f.code != "pain_red_flag"])
        return sorted(shown,
                      key=lambda f: (f.code != "pain_red_flag", f.identity not in drivers,
                                     f.kind != "evidence",
                                     -flags_mod.severity_rank(f.severity),
                                     flags_mod.EVIDENCE.index(f.evidence), -f.last_date.toordinal()))

    def recent_spikes(self, days: int = RECENT_SPIKE_DAYS) -> pd.DataFrame:
        """Runs above 1.1x their reference in the last ``days`` days (rows of the spike table)."""
        s = self.analysis.spikes
        if s.empty:
            return s
        since = pd.Timestamp(self.as_of - timedelta(days=days - 1))
        t = self.options.thresholds
        over = over_edge(s["spike_ratio"].to_numpy(float), t.spike_caution_ratio,
                         t.band_tolerance_pct)
        return s[over & (s["date"] >= since)]


def _latest_habits(flags: list[Flag]) -> list[Flag]:
    """The flags with only the latest episode of each habit: a habit is a state ("no
    cross-training for 69 days"), and two episodes of it side by side (one ended on Thu,
    one going on) would say it twice with two numbers. Evidence flags are events (each
    spike its own run) and all stay."""
    latest: dict[str, Flag] = {}
    for f in flags:
        if f.kind == "habit" and (f.code not in latest or f.last_date > latest[f.code].last_date):
            latest[f.code] = f
    return [f for f in flags if f.kind != "habit" or latest[f.code] is f]


def judge(timeline: pd.DataFrame, athlete: str, options: VerdictOptions,
          diary: pain.Diary | None = None,
          wellness: wellness_mod.Wellness | None = None) -> Verdict:
    """The verdict on one athlete's deduplicated timeline as of ``options.as_of``.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``, deduplicated.
    athlete : str
    options : VerdictOptions
    diary : loadwatch.pain.Diary, optional
    wellness : loadwatch.wellness.Wellness, optional
        Shown as context; nothing here judges by it.
    """
    as_of = options.as_of
    ignored, kept, quarantine, clean, columns = _split(timeline, options)

    analysis = _analyse(clean, options, columns["clean"])
    # Built once: the flag rules and the next week's plan read the same dips and breaks.
    tables = flags_mod.FlagTables.of(analysis, options.thresholds)
    load_flags = flags_mod.evaluate(analysis, options.thresholds, units=options.units,
                                    tables=tables)
    pain_view, red = None, []
    if diary is not None:
        pain_view, red = _pain(diary, load_flags, analysis, as_of)
    now = pain_view.now if pain_view else None

    unconfirmed = None
    if len(quarantine):
        # Only the evidence-led rules can move the level: the others are not evaluated.
        everything = _analyse(kept, options, columns["kept"])
        unconfirmed, _ = evidence_level(
            flags_mod.evaluate(everything, options.thresholds, units=options.units,
                               codes=EVIDENCE_CODES), as_of, pain_now=now)
    risk = assess(load_flags, as_of, days_of_data=analysis.days_of_data,
                  last_activity=analysis.last_activity, pain_now=now,
                  unconfirmed_level=unconfirmed)
    all_flags = sorted(red + load_flags,
                       key=lambda f: (f.start, -flags_mod.severity_rank(f.severity), f.code))
    status = clinical_mod.assess(pain_view.diary if pain_view else None, clean, as_of,
                                 options.units, options.thresholds, folder=options.folder)
    # Context beside the status, never a reason for it (nor for the level or the ceilings).
    status.previous_injury = previous_injury.find(pain_view.diary if pain_view else None, clean,
                                                  as_of, options.injuries, options.thresholds,
                                                  pain_view.episodes if pain_view else None)
    latest = pain.latest_pain(pain_view.diary, as_of) if pain_view else None
    plan = next_week_mod.plan(analysis, as_of, options.units, pain_now=now,
                              pain_day=None if latest is None or now is None else latest[1],
                              stop=status.red_flag_day is not None, thresholds=options.thresholds,
                              folder=options.folder,
                              comebacks=tables.comebacks["run_distance_m"])
    return Verdict(athlete, options, analysis, all_flags, risk, quarantine, ignored,
                   _spike_notes(analysis, columns["clean"], as_of), status, plan, pain_view,
                   shoes_mod.note(analysis.shoes, options.thresholds),
                   wellness_mod.trends(wellness, as_of), timeline=timeline, diary=diary)


def split(timeline: pd.DataFrame, options: VerdictOptions
          ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The activities up to ``options.as_of`` as the verdict divides them.

    Returns
    -------
    (ignored, kept, quarantine, clean)
        ``ignored``: ``activity_id``, ``date``, ``reason`` of the activities the athlete
        ignores; ``kept``: the timeline rows without them; ``quarantine``:
        :func:`loadwatch.plausibility.check` of ``kept`` ("data to check"); ``clean``:
        ``kept`` without the quarantined activities (what the load is judged on).
    """
    return _split(timeline, options)[:4]


def _split(timeline: pd.DataFrame, options: VerdictOptions) -> tuple:
    """:func:`split`, and the columns of ``kept`` and of ``clean`` as arrays (by those
    names, :func:`loadwatch.engine.timeline_columns`), read once for the plausibility
    tests, the engine and the spike notes."""
    in_range = timeline["local_date"].to_numpy("datetime64[ns]") <= np.datetime64(options.as_of,
                                                                                 "ns")
    past = timeline if in_range.all() else timeline[in_range]
    ids = past["activity_id"].to_numpy(object)
    ignored_mask = np.isin(ids, list(options.ignore)) if options.ignore else np.zeros(len(ids), bool)
    ignored = past.iloc[np.flatnonzero(ignored_mask)][["activity_id", "local_date"]].rename(
        columns={"local_date": "date"}).assign(
        reason=lambda d: d["activity_id"].map(options.ignore)).reset_index(drop=True) \
        if ignored_mask.any() else _nothing_ignored()
    kept = past[~ignored_mask] if ignored_mask.any() else past
    kept_columns = engine.timeline_columns(kept)
    quarantine = plausibility.check(kept, frozenset(options.confirm), kept_columns)
    held = (np.isin(kept["activity_id"].to_numpy(object), quarantine["activity_id"].to_numpy(object))
            if len(quarantine) else np.zeros(len(kept), bool))
    clean = kept[~held] if held.any() else kept
    clean_columns = ({k: v[~held] for k, v in kept_columns.items()} if held.any()
                     else kept_columns)
    return ignored, kept, quarantine, clean, {"kept": kept_columns, "clean": clean_columns}


def analyse(timeline: pd.DataFrame, options: VerdictOptions) -> engine.LoadAnalysis:
    """The load analysis of ``timeline`` as the verdict runs it (its thresholds' session gap
    and band tolerance), as of ``options.as_of``."""
    return _analyse(timeline, options)


@cache
def _empty_ignored() -> pd.DataFrame:
    return timeline_mod.empty()[["activity_id", "local_date"]].rename(
        columns={"local_date": "date"}).assign(reason=pd.Series(dtype=object))


def _nothing_ignored() -> pd.DataFrame:
    """The ignored table when the athlete ignores nothing (built once, copied)."""
    return _empty_ignored().copy()


def _analyse(timeline: pd.DataFrame, options: VerdictOptions,
             columns: dict[str, np.ndarray] | None = None) -> engine.LoadAnalysis:
    t = options.thresholds
    return engine.analyse(timeline, options.as_of, load=options.load, athlete=options.athlete,
                          session_gap_min=t.session_gap_min,
                          band_tolerance_pct=t.band_tolerance_pct, columns=columns)


def _pain(diary: pain.Diary, load_flags: list[Flag], analysis, as_of: date
          ) -> tuple[PainView, list[Flag]]:
    in_range = diary.entries[diary.entries["date"].dt.date <= as_of]
    diary = pain.Diary(entries=in_range, errors=diary.errors)
    episodes = pain.episodes(diary)
    start = analysis.first_day or as_of
    going = pain.ongoing(episodes, diary, as_of)
    view = PainView(diary, episodes, pain.link(episodes, load_flags, ongoing=going),
                    pain.patterns(episodes, load_flags, start, as_of), pain.pain_now(diary, as_of),
                    going)
    return view, pain.red_flag_flags(diary)


def _spike_notes(analysis, columns: dict[str, np.ndarray], as_of: date) -> list[str]:
    """Where the spike check could not be made, for the runs of the last 30 days
    (``columns``: :func:`loadwatch.engine.timeline_columns` of the timeline judged)."""
    since = np.datetime64(as_of - timedelta(days=RECENT_SPIKE_DAYS - 1), "ns")
    recent_runs = columns["is_run"] & (columns["day"] >= calendar.to_number(
        as_of - timedelta(days=RECENT_SPIKE_DAYS - 1)))
    notes = []
    blind = recent_runs & np.isnan(columns["distance_m"]) & np.isnan(
        columns["duration_s"]) & np.isnan(columns["elapsed_s"])
    if blind.any():
        n = int(blind.sum())
        notes.append(f"{n} run{'s' if n > 1 else ''} of the last 30 days {'have' if n > 1 else 'has'} "
                     "neither a distance nor a time: no spike check for "
                     f"{'them' if n > 1 else 'it'}.")
    s = analysis.spike_columns
    if s:
        recent = s["date"] >= since
        first = recent & np.isnan(s["reference"])
        for day in s["date"][first]:
            notes.append(f"Your run on {day_words(pd.Timestamp(day).date())} has no "
                         "earlier run in the data to compare with.")
        timed = int((recent & (s["kind"] == "duration")).sum())
        if timed:
            notes.append(f"{timed} run{'s' if timed > 1 else ''} without a distance "
                         "(treadmill without footpod?) checked by running time instead, a proxy.")
    shown = analysis.days_start + np.arange(analysis.n_days) >= calendar.to_number(
        as_of - timedelta(days=RECENT_SPIKE_DAYS - 1))
    cols = analysis.days_arrays
    if cols["runs"][shown].sum() and not cols["classified_runs"][shown].sum():
        notes.append("Intensity could not be judged for the runs of the last 30 days: they have "
                     "neither a heart rate nor a distance and time to compare with your usual "
                     "pace.")
    if analysis.first_day is not None and analysis.days_of_data < RECENT_SPIKE_DAYS:
        notes.append(f"The data starts on {day_words(analysis.first_day)}: runs before "
                     "it that are not in these files could make the recent longest run longer.")
    return notes
