"""A previous injury: the most consistently reported risk factor for a new running injury.

A previous injury came out as a risk factor for a new one in most of the prospective
studies a systematic review gathered (Saragiotto et al. 2014, Sports Med 44:1153: "the
most consistently reported"), and in a cohort of 264 recreational runners (Malisoux et
al. 2015, Scand J Med Sci Sports 25:110: HR 1.72, 1.11-2.66, for an injury in the
previous 12 months). loadwatch shows it as context beside the status and in the squad
row. It never changes the evidence-led level, nor next week's ceilings: those come from
the runner's own load, which a previous injury does not change; the studies give a
higher risk for the same load, not a number by which to lower it (loadwatch's product
rule: context, not a number).

What counts, in the :attr:`Thresholds.injury_lookback_days` (365) days up to the report
date, the latest first:

1. ``[athlete] injuries = [{date = "2026-03", what = "..."}]`` in ``loadwatch.toml``
   (``source`` ``settings``);
2. a pain-diary episode that an entry records as assessed by a clinician (``loadwatch
   pain add --assessed``, or "assessed"/"cleared" in the notes) during it or within
   :data:`loadwatch.pain.MAX_GAP_DAYS` days after its last pain day (``diary_assessed``);
3. a pain-diary episode during which running stopped or fell clearly below the usual for
   :attr:`Thresholds.injury_restricted_days` (7) days or more, seen in the activities:
   some 7 days in a row starting on a day of the episode with less than
   :attr:`Thresholds.injury_restricted_ratio` (0.5) x the usual week's running distance,
   the usual week being the mean week of the 28 days before the episode began
   (``diary_restricted``). This is the consensus definition of a running injury (Yamato
   et al. 2015, JOSPT 45:375: running stopped or restricted for 7 days or more, or a
   clinician consulted); "restricted" in numbers (under half the usual) is loadwatch's
   product rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from loadwatch import pain
from loadwatch.engine import calendar
from loadwatch.flags.thresholds import Thresholds
from loadwatch.pain.words import pain_words
from loadwatch.words import day_words

USUAL_DAYS = 28
"""The days before an episode whose running makes its usual week: usual week = their
running distance x 7 / 28 [m]. loadwatch's product rule: the 4 weeks the chronic load and
the dip rule's usual weeks also use; Yamato 2015 defines "restricted" without a baseline.
[days]"""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

SOURCES = ("settings", "diary_assessed", "diary_restricted")


@dataclass(frozen=True)
class PreviousInjury:
    """The latest previous injury.

    Attributes
    ----------
    date : str
        ``YYYY-MM-DD``, or ``YYYY-MM`` when the settings give a month.
    what : str
        What it was, in the athlete's or the diary's words.
    source : str
        ``settings``, ``diary_assessed`` or ``diary_restricted``.
    """

    date: str
    what: str
    source: str

    @property
    def when(self) -> str:
        """``in March`` (a month) or ``on Sun 8 Mar`` (a day); the year when not this one."""
        year, month = int(self.date[:4]), int(self.date[5:7])
        if len(self.date) == 7:
            return f"in {MONTHS[month - 1]} {year}"
        return f"on {day_words(date.fromisoformat(self.date), year=True)}"

    @property
    def words(self) -> str:
        """The squad's few words: ``injured in March 2026 (shin splints): the most
        consistently reported risk factor``."""
        what = f" ({self.what})" if self.what else ""
        return f"injured {self.when}{what}: the most consistently reported risk factor"

    @property
    def sentence(self) -> str:
        """The status line, with its numbers and what it changes (nothing but the reading)."""
        where = {"settings": "from your settings",
                 "diary_assessed": "in your pain diary, assessed by a clinician",
                 "diary_restricted": "in your pain diary, with running stopped or cut for "
                                     "7 days or more"}[self.source]
        what = self.what or "an injury"
        return (f"Previous injury {self.when}: {what} ({where}). A previous injury is the most "
                "consistently reported risk factor for a new one (Saragiotto 2014; Malisoux "
                "2015: 1.72 times the injury rate). It does not change the level or next "
                "week's numbers: build up as they say, and stop at the first signs that "
                "came with it.")

    def to_json(self) -> dict:
        return {"date": self.date, "what": self.what, "source": self.source,
                "words": self.words, "sentence": self.sentence}


def find(diary: pain.Diary | None, timeline: pd.DataFrame, as_of: date,
         injuries: tuple[dict, ...] | list[dict] = (), thresholds: Thresholds | None = None,
         episodes: list[pain.Episode] | None = None) -> PreviousInjury | None:
    """The latest previous injury up to ``as_of`` (see the module docstring), or None.

    Parameters
    ----------
    diary : loadwatch.pain.Diary or None
    timeline : pandas.DataFrame
        ``loadwatch.timeline.COLUMNS``: the activities the verdict counts.
    as_of : datetime.date
    injuries : sequence of dict
        ``[athlete] injuries``, checked (:func:`loadwatch.config._injuries`).
    thresholds : Thresholds, optional
        ``injury_lookback_days``, ``injury_restricted_days``, ``injury_restricted_ratio``.
    episodes : list of loadwatch.pain.Episode, optional
        The episodes of the diary's entries up to ``as_of`` when the caller has them
        (:func:`loadwatch.pain.episodes`; the verdict's): not grouped again.
    """
    t = thresholds or Thresholds()
    since = as_of - timedelta(days=t.injury_lookback_days - 1)
    found: list[tuple[date, PreviousInjury]] = []
    for item in injuries:
        text = item["date"]
        day = date.fromisoformat(text if len(text) == 10 else text + "-01")
        # A month counts while any of its days is in the window.
        end = (day if len(text) == 10 else
               (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
        if end >= since and day <= as_of:
            found.append((day, PreviousInjury(text, item.get("what", ""), "settings")))
    if diary is not None and len(diary.entries):
        entries = diary.entries[diary.entries["date"] <= pd.Timestamp(as_of)]
        view = pain.Diary(entries=entries, errors=[])
        assessed_days = _assessed_days(entries)
        runs = _run_days(timeline, as_of)
        for ep in pain.episodes(view) if episodes is None else episodes:
            if ep.end < since:
                continue
            what = f"{pain_words(ep.location, ep.side)}, up to {ep.peak}/10"
            seen = ep.start <= assessed_days
            seen &= assessed_days <= ep.end + timedelta(days=pain.MAX_GAP_DAYS)
            if seen.any():
                found.append((ep.start, PreviousInjury(ep.start.isoformat(), what,
                                                       "diary_assessed")))
            elif _restricted(ep.start, ep.end, runs, as_of, t):
                found.append((ep.start, PreviousInjury(ep.start.isoformat(), what,
                                                       "diary_restricted")))
    if not found:
        return None
    # The latest; on one day the athlete's own words first.
    return max(found, key=lambda x: (x[0], x[1].source == "settings"))[1]


def _assessed_days(entries: pd.DataFrame) -> np.ndarray:
    """The days of the entries that record an assessment (:func:`loadwatch.pain.assessed`)."""
    if entries.empty:
        return np.array([], dtype=object)
    mask = np.array([pain.assessed(e) for e in entries.itertuples(index=False)], dtype=bool)
    return np.array([d.date() for d in entries["date"][mask]], dtype=object)


def _run_days(timeline: pd.DataFrame, as_of: date) -> tuple[int, np.ndarray]:
    """Running distance per day [m], from the first run to ``as_of``, and the first day."""
    if timeline.empty:
        return 0, np.zeros(0)
    day = calendar.day_numbers(timeline["local_date"])
    end = calendar.to_number(as_of)
    keep = timeline["is_run"].to_numpy(bool) & (day <= end)
    if not keep.any():
        return 0, np.zeros(0)
    first = int(day[keep].min())
    per_day = np.zeros(end - first + 1)
    np.add.at(per_day, day[keep] - first, np.nan_to_num(timeline["distance_m"].to_numpy(float)[keep]))
    return first, per_day


def _restricted(start: date, end: date, runs: tuple[int, np.ndarray], as_of: date,
                t: Thresholds) -> bool:
    """Whether running stayed under ``injury_restricted_ratio`` x the usual week for
    ``injury_restricted_days`` days in a row, starting on a day of the episode.

    usual week = distance of the :data:`USUAL_DAYS` days before ``start`` x 7 / 28 [m];
    a window of ``n`` days holds under ratio x usual x n / 7 [m]. No usual running (none in
    the 28 days before): nothing to fall below, no restriction seen.
    """
    first, per_day = runs
    if not len(per_day):
        return False
    s = calendar.to_number(start) - first
    if s - USUAL_DAYS < 0:
        return False   # the data does not reach back to the usual weeks
    usual_week = per_day[s - USUAL_DAYS:s].sum() * 7 / USUAL_DAYS
    if usual_week <= 0:
        return False
    n = t.injury_restricted_days
    e = calendar.to_number(end) - first
    last_start = min(e, len(per_day) - n)    # only whole windows up to the report date
    if last_start < s:
        return False
    csum = np.r_[0.0, np.cumsum(per_day)]
    starts = np.arange(s, last_start + 1)
    windows = csum[starts + n] - csum[starts]
    return bool((windows < t.injury_restricted_ratio * usual_week * n / 7).any())
