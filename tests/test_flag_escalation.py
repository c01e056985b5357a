"""A flag that escalates keeps its start; the escalation is a new identity, so the alert tells it."""

from datetime import UTC, date, datetime, timedelta

from loadwatch import engine, flags, timeline
from loadwatch.alerts import compose, run, send
from loadwatch.alerts.settings import SmtpSettings
from loadwatch.alerts.state import AlertState
from loadwatch.importers.base import Activity


def every_day(n: int):
    start = datetime(2026, 10, 5, 6, tzinfo=UTC)  # a Monday
    acts = [Activity("gpx", f"{i}.gpx", start + timedelta(days=i), "running", distance_m=8000.0)
            for i in range(n)]
    return timeline.build(acts, "x", timeline.resolve_tz("UTC"))


def streak_flags(as_of: date):
    a = engine.analyse(every_day(30), as_of)
    return [f for f in flags.evaluate(a) if f.code == "run_streak"]


def test_escalation_never_moves_the_start_and_records_each_step():
    (caution,) = streak_flags(date(2026, 10, 15))  # day 11 of the streak
    assert caution.severity == "caution" and caution.start == date(2026, 10, 11)  # 7th day
    (high,) = streak_flags(date(2026, 10, 20))     # day 16
    assert high.severity == "high" and high.start == date(2026, 10, 11)
    assert high.steps == (("caution", date(2026, 10, 11)), ("high", date(2026, 10, 18)))
    assert high.value == 16 and high.until == date(2026, 10, 20)
    assert [i for i, _, _ in high.identities()] == [caution.identity, high.identity]
    assert caution.identity == "run_streak:2026-10-11:caution"


def week_of_jumps():
    """Five weeks of 5 km every day (35 km a week), then from Mon 9 Nov 2026 runs of 5.5 km
    (1.1x the longest: no spike), two of them on Wednesday and on Sunday. By Saturday:
    38.5 km against 30 km on the same days (+28%, a habit) and past last week's 35 km; by
    Sunday 49.5 km against 35 km (+41%, evidence-led)."""
    start = datetime(2026, 10, 5, 7, tzinfo=UTC)  # a Monday
    days = [(d, 5.0) for d in range(35)]
    days += [(d, 5.5) for d in range(35, 42)] + [(37, 5.5), (41, 5.5)]
    acts = [Activity("gpx", f"{i}.gpx", start + timedelta(days=d, hours=i % 2 * 8), "running",
                     distance_m=km * 1000, duration_s=km * 330)
            for i, (d, km) in enumerate(days)]
    return timeline.build(acts, "x", timeline.resolve_tz("UTC"))


def test_an_escalation_to_evidence_is_alerted_once(tmp_path):
    from loadwatch.report.model import VerdictOptions
    from loadwatch.verdict import judge

    sent = []

    def deliver(message, settings, recipients, *, password=None, before_final_dot=None):
        sent.append(message)
        before_final_dot(recipients)
        return send.Delivery(accepted=list(recipients), confirmed=True)

    tl = week_of_jumps()
    from loadwatch.alerts.collect import news

    with AlertState(tmp_path) as state:
        outcomes = {}
        for day in (date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 16)):
            v = judge(tl, "x", VerdictOptions(as_of=day))
            item = compose.AlertItem("x", "x", v.risk.level, news(v), ["x@example.org"])
            outcomes[day] = run.run_alerts([item], SmtpSettings(), state, deliver=deliver).sent
            jump = next(f for f in v.flags if f.code == "weekly_distance_jump")
            assert jump.start == date(2026, 11, 14)  # the escalation never moves the start
    # Saturday: +28%, a habit: no mail. Sunday: +41%, evidence-led: one mail. Monday: nothing new.
    assert outcomes == {date(2026, 11, 14): 0, date(2026, 11, 15): 1, date(2026, 11, 16): 0}
    body = sent[0].get_body(("plain",)).get_content()
    assert "41% more than the week before" in body
