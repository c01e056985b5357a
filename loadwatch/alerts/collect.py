"""What an alert run has to say: each athlete's news, status, chart and recipients.

:func:`collect` reads a runner's folder, or a squad folder of athlete folders,
and returns one :class:`loadwatch.alerts.compose.AlertItem` per athlete. One
athlete's broken diary, config, files or name never stops a squad: that athlete
becomes a one-line problem and the others' alerts go out. Which news is new to
whom, and the sending, are :mod:`loadwatch.alerts.run`'s job.

What can be news (:func:`news`): a clinical status other than ``none`` (a red
flag to check now, pain to get assessed soon), each step of an evidence-led
condition (a new spike or weekly jump, an escalation), and, for a weekly digest
only, the habits worth a look. Habits never make a mail of their own.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from pathlib import Path

from loadwatch import assessment
from loadwatch import flags as flags_mod
from loadwatch.alerts import push
from loadwatch.alerts.compose import AlertItem, News, clean_text
from loadwatch.config import ConfigError
from loadwatch.engine import LoadError
from loadwatch.folders import athlete_folders, is_squad
from loadwatch.importers.cache import Store
from loadwatch.pain import DiaryError
from loadwatch.report import build as report_pkg
from loadwatch.report import fmt
from loadwatch.timeline import TimezoneError
from loadwatch.verdict import risk as risk_mod

USER_ERRORS = (ConfigError, TimezoneError, DiaryError, LoadError)


def collect(path: Path, *, as_of: date | None, tz: str | None, store: Store | None,
            follow_links: bool = False, to: list[str], require_recipients: bool = True,
            progress=None, notify: list[str] | None = None) -> tuple[list[AlertItem], list[str]]:
    """Alert items for the runner in ``path`` or every athlete of a squad folder.

    Parameters
    ----------
    to : list of str
        Recipients from the command line or the coach's config; when empty, each
        athlete's own ``[alert] to``.
    require_recipients : bool, default True
        An athlete with no recipient at all is a problem (not on a dry run).
    notify : list of str, optional
        Push notification URLs from the coach's config (checked already); when empty,
        each athlete's own ``[alert] notify``, checked here (a URL apprise cannot send
        to makes that athlete a problem).
    progress : loadwatch.progress.Bars, optional
        Progress bars: the athletes of a squad, or one runner's files.

    Returns
    -------
    items : list of AlertItem
        One per athlete that could be read.
    problems : list of str
        One line each: an athlete that could not be read (and why), files that
        failed, an athlete with no recipient.
    """
    squad = is_squad(path)
    folders = athlete_folders(path)[0] if squad else [path]
    items, problems = [], []
    with contextlib.ExitStack() as stack:
        bar = (stack.enter_context(progress.athletes(len(folders)))
               if progress is not None and squad else None)
        for folder in folders:
            item, folder_problems = _one(folder, as_of=as_of, tz=tz, store=store, to=to,
                                         notify=notify or [],
                                         progress=None if squad else progress,
                                         follow_links=follow_links)
            if bar is not None:
                bar.update(1)
            problems += folder_problems
            if item is None:
                continue
            if require_recipients and not item.recipients and not item.notify:
                problems.append(f"no recipient for {clean_text(item.athlete)} "
                                f"({clean_text(str(folder))}): give --to ADDR, or [alert] to = "
                                "[...] or notify = [...] in loadwatch.toml")
                continue
            items.append(item)
    return items, problems


def _one(folder: Path, *, as_of, tz, store, to, progress, follow_links=False, notify=()
         ) -> tuple[AlertItem | None, list[str]]:
    """One athlete's item and problems, or None and the one line that stopped it."""
    try:
        return _athlete(folder, as_of=as_of, tz=tz, store=store, to=to, progress=progress,
                        follow_links=follow_links, notify=notify)
    except USER_ERRORS as exc:
        return None, [clean_text(str(exc))]
    except (ValueError, OSError) as exc:
        return None, [f"{clean_text(str(folder))}: {clean_text(str(exc))}"]
    except Exception as exc:  # noqa: BLE001 - one athlete's bug must not stop a squad's alerts
        return None, [f"{clean_text(str(folder))}: unexpected {type(exc).__name__}: "
                      f"{clean_text(str(exc))}"]


def _athlete(folder: Path, *, as_of, tz, store, to, progress=None, follow_links=False,
             notify=()) -> tuple[AlertItem | None, list[str]]:
    athlete = assessment.load([folder], tz=tz, store=store, progress=progress,
                              follow_links=follow_links)
    data = athlete.data
    problems = [f"{clean_text(str(p))}: {clean_text(str(e))}" for p, e in data.report.errors]
    if data.timeline.empty:
        return None, [*problems, f"{clean_text(str(folder))}: no activities found"]
    day = as_of or assessment.today(data.tz)
    options = assessment.options_for(data.config, as_of=day, folder=data.folder)
    problems += [clean_text(e) for e in athlete.errors]  # a diary left out is said, as in report
    verdict = assessment.judge_athlete(athlete, options)
    built = report_pkg.of_verdict(verdict, import_report=athlete.import_report)
    report = built.report
    items = news(verdict)
    clinical = verdict.clinical
    status = ([clean_text(clinical.summary)] if clinical.status != "none" else [])
    status.append(f"Load risk: {clean_text(verdict.risk.summary)}")
    pain_lines = [clean_text(e["summary"]) for e in (report.get("pain") or {}).get("episodes", [])
                  if e.get("ongoing") or e["end"] >= (day - timedelta(days=14)).isoformat()]
    urls = list(notify) or push.check_urls(data.config.alert_notify,
                                           data.config.where("alert.notify"))
    return AlertItem(athlete=data.name, athlete_id=data.athlete_id, risk=verdict.risk.level,
                     news=items, recipients=list(to or data.config.alert_to),
                     chart_png=built.chart_png if items else None, clinical=clinical.status,
                     status=status, headline=headline(verdict),
                     next_week=verdict.next_week.lines + verdict.next_week.notes,
                     pain=pain_lines,
                     data_to_check=[clean_text(x) for x in fmt.check_rows(report)],
                     strength=_strength(verdict), notify=urls, plan=report["next_week"],
                     units=report["units"]), problems


def _strength(verdict) -> tuple:
    """The strength of the evidence behind the load level's first driver, else behind the
    strongest evidence-led condition shown, for the digest's order within a level."""
    if verdict.risk.drivers:
        return risk_mod.flag_strength(verdict.risk.drivers[0])
    shown = [f for f in flags_mod.visible(verdict.flags, verdict.as_of)
             if f.kind == "evidence" and f.code != "pain_red_flag"]
    return min((risk_mod.flag_strength(f) for f in shown), default=())


def news(verdict) -> list[News]:
    """Everything current that may be news to someone, each with its identity.

    Parameters
    ----------
    verdict : loadwatch.verdict.Verdict

    Returns
    -------
    list of News
        The clinical status (unless ``none``) as ``clinical:<status>:<day>``, the
        day being the red flag's or the start of the latest pain episode, so it
        stays one identity while the status lasts; every step of each visible
        evidence-led flag; and one ``habits:<ISO week>`` item listing the visible
        habits, for a weekly digest.
    """
    day = verdict.as_of
    out = []
    c = verdict.clinical
    if c.status != "none":
        view = verdict.pain
        anchor = c.red_flag_day or (view.episodes[-1].start if view and view.episodes else day)
        out.append(News(f"clinical:{c.status}:{anchor.isoformat()}", "clinical", c.status, anchor,
                        " ".join(c.reasons)))
    shown = flags_mod.visible(verdict.flags, day)
    for f in shown:
        if f.kind == "evidence" and f.code != "pain_red_flag":
            out += [News.of(f, identity, severity, when)
                    for identity, severity, when in f.identities()]
    habits = [f for f in shown if f.kind == "habit"]
    if habits:
        year, week, _ = day.isocalendar()
        monday = day - timedelta(days=day.weekday())
        out.append(News(f"habits:{year}-W{week:02d}", "habit", "info", monday,
                        f"Habits worth a look this week ({len(habits)}): "
                        + " ".join(f.message for f in habits),
                        "Habits do not raise the risk level; each is advice or contested "
                        "evidence (see the weekly report)."))
    return out


def headline(verdict) -> str:
    """The most important news in a few words, for a subject line."""
    c = verdict.clinical.status
    if c == "check_now":
        return "a red flag in the pain diary: get it checked"
    if c == "assess_soon":
        return "pain to get assessed soon"
    summary = verdict.risk.summary
    words = summary.split(": ", 1)[-1].split(";")[0].rstrip(".")
    return words if verdict.risk.level in ("high", "raised") else ""
