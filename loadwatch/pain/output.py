"""The pain section of the JSON report and the diary as a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from loadwatch import diarytable
from loadwatch.pain.diary import Diary
from loadwatch.pain.episodes import Episode, Link, _began, _summary, _value, value_on
from loadwatch.pain.patterns import Patterns

# -- output -------------------------------------------------------------------------------

def pain_json(diary: Diary, episodes: Sequence[Episode], links: Iterable[Link],
              patterns: Patterns | None) -> dict:
    """The pain section of the JSON report.

    Returns
    -------
    dict
        ``entries`` (count of valid entries), ``errors``, ``episodes`` (each with
        ``start``, ``end``, ``peak``, ``location``, ``side``, ``onset``,
        ``red_flags``, ``preceding_flags`` [{``code``, ``date``, ``severity``,
        ``value``}] and ``summary``) and ``patterns`` (:meth:`Patterns.to_json`, or
        None). An episode without a link has no preceding flags and a summary that
        does not speak of load.
    """
    by_episode = {lk.episode: lk for lk in links}

    def one(ep: Episode) -> dict:
        lk = by_episode.get(ep)
        return {
            "start": ep.start.isoformat(),
            "end": ep.end.isoformat(),
            "peak": ep.peak,
            "location": ep.location or None,
            "side": ep.side,
            "onset": ep.onset,
            "red_flags": list(ep.red_flags),
            "preceding_flags": [{"code": f.code, "start": f.start.isoformat(),
                                 "severity": f.severity, "kind": f.kind,
                                 "value": None if _value(f) is None else round(_value(f), 3),
                                 "held_on_start": f.held_on(ep.start),
                                 "value_on_start": _rounded(value_on(f, ep.start))
                                 if f.held_on(ep.start) else None}
                                for f in (lk.flags if lk else ())],
            "sentence": lk.sentence if lk else _began(ep) + ".",
            "summary": lk.summary if lk else _summary(ep, _began(ep) + "."),
        }

    return {
        "entries": len(diary.entries),
        "errors": list(diary.errors),
        "episodes": [one(ep) for ep in episodes],
        "patterns": patterns.to_json() if patterns is not None else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)



def format_diary(diary: Diary) -> str:
    """The diary as a table for ``loadwatch pain list``, red flags and remarks below it
    (:func:`loadwatch.diarytable.render`). Read errors are not included: the caller
    reports :attr:`Diary.errors`."""
    return diarytable.render(diary.entries.itertuples(index=False))
