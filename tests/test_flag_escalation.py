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


def test_escalation_is_alerted_once_more(tmp_path):
    sent = []

    def deliver(message, settings, recipients, *, password=None, before_final_dot=None):
        sent.append(message)
        before_final_dot(recipients)
        return send.Delivery(accepted=list(recipients), confirmed=True)

    with AlertState(tmp_path) as state:
        for day in (date(2026, 10, 15), date(2026, 10, 16), date(2026, 10, 20),
                    date(2026, 10, 21)):
            item = compose.AlertItem("x", "x", "high", streak_flags(day), ["x@example.org"])
            outcome = run.run_alerts([item], SmtpSettings(), state, deliver=deliver)
            assert outcome.sent == (1 if day in (date(2026, 10, 15), date(2026, 10, 20)) else 0)
    assert len(sent) == 2 and "HIGH" in sent[1].get_body(("plain",)).get_content()
