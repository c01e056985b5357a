"""The alert state and the run's grouping: per recipient, claimed before sending, counted at the dot."""

from __future__ import annotations

from datetime import date

import pytest

from loadwatch.alerts import compose, run, send
from loadwatch.alerts import state as state_mod
from loadwatch.alerts.settings import SmtpSettings
from loadwatch.flags import Flag
from tests.smtp_server import SmtpServer


def flag(code="long_run_spike", day=date(2026, 11, 15)):
    return Flag(code, "evidence", "high", day, day, 2.1, 2.0, "strong", "Frandsen 2025",
                f"{code} message")


@pytest.fixture
def state(tmp_path):
    with state_mod.AlertState(tmp_path / "state") as s:
        yield s


class Recorder:
    """A ``deliver`` that accepts everything and records who got which flags."""

    def __init__(self):
        self.calls = []

    def __call__(self, message, settings, recipients, *, password=None, before_final_dot=None):
        body = message.get_body(("plain",)).get_content()
        self.calls.append((sorted(recipients), body))
        if before_final_dot:
            before_final_dot(list(recipients))
        return send.Delivery(accepted=list(recipients), confirmed=True)


def test_statuses_claimed_does_not_count_unconfirmed_and_sent_do(state):
    state.claim([("ann", "a:1", "X@Example.org"), ("ann", "b:1", "x@example.org"),
                 ("ann", "c:1", "x@example.org")])
    assert state.told("ann", "x@example.org") == set()
    state.mark([("ann", "b:1", "x@example.org")], state_mod.UNCONFIRMED)
    state.mark([("ann", "c:1", "x@example.org")], state_mod.SENT)
    assert state.told("ann", "Someone <X@EXAMPLE.ORG>") == {"b:1", "c:1"}
    assert state.told("bo", "x@example.org") == set()
    state.release([("ann", "b:1", "x@example.org")])
    assert state.told("ann", "x@example.org") == {"c:1"}


def test_recipients_with_different_news_get_different_messages(state):
    ann = compose.AlertItem("Ann", "id-ann", "high", [flag(), flag("weekly_distance_jump")],
                            ["coach@example.org", "Physio <physio@example.org>"])
    bo = compose.AlertItem("Bo", "id-bo", "high", [flag("no_rest_days")], ["coach@example.org"])
    state.claim([("id-ann", flag().identity, "physio@example.org")])
    state.mark([("id-ann", flag().identity, "physio@example.org")], state_mod.SENT)
    deliver = Recorder()
    outcome = run.run_alerts([ann, bo], SmtpSettings(), state, deliver=deliver, digest="daily")
    assert outcome.sent == 2 and outcome.new_flags == 3
    bodies = {tuple(to): body for to, body in deliver.calls}
    assert set(bodies) == {("coach@example.org",), ("Physio <physio@example.org>",)}
    coach_body, physio_body = bodies[("coach@example.org",)], bodies[("Physio <physio@example.org>",)]
    assert "long_run_spike" in coach_body and "no_rest_days" in coach_body
    assert "long_run_spike" not in physio_body and "weekly_distance_jump" in physio_body
    assert "Bo" not in physio_body
    assert run.run_alerts([ann, bo], SmtpSettings(), state, deliver=deliver,
                          digest="daily").sent == 0


def test_one_message_per_athlete_without_a_digest(state):
    items = [compose.AlertItem(n, f"id-{n}", "high", [flag()], ["x@example.org"])
             for n in ("Ann", "Bo")]
    deliver = Recorder()
    assert run.run_alerts(items, SmtpSettings(), state, digest=False, deliver=deliver).sent == 2
    assert ["Ann" in body for _, body in deliver.calls] == [True, False]


def test_a_state_that_cannot_be_written_before_the_final_dot_sends_nothing(tmp_path):
    item = compose.AlertItem("Ann", "id-ann", "high", [flag()], ["x@example.org"])
    message = compose.compose([item], "loadwatch@example.org", ["x@example.org"])

    def fail(accepted):
        raise state_mod.StateError("alert state: the disk is full")

    with SmtpServer(tmp_path) as server:
        settings = SmtpSettings.from_mapping(server.settings())
        with pytest.raises(state_mod.StateError):
            send.deliver(message, settings, ["x@example.org"], before_final_dot=fail)
    assert not server.messages  # the connection was closed without the final "."


def test_dots_at_line_starts_are_doubled_and_lines_end_in_crlf():
    item = compose.AlertItem("Ann", "id", "high",
                             [Flag("x", "evidence", "high", date(2026, 1, 1), date(2026, 1, 1), None, None, "advice", "s",
                                   "first\n.\n.hidden")], ["x@example.org"])
    data = send.message_bytes(compose.compose([item], "a@b.org", ["x@example.org"]), False)
    assert b"\r\n..\r\n" in data or b"=2E" in data  # quoted-printable may encode it instead
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(b"\r\n") and not data.endswith(b"\r\n.\r\n")


def test_the_state_folder_option_env_and_default(tmp_path, monkeypatch):
    assert state_mod.state_dir(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.setenv(state_mod.STATE_ENV, str(tmp_path / "env"))
    assert state_mod.state_dir() == tmp_path / "env"
    monkeypatch.delenv(state_mod.STATE_ENV)
    assert "loadwatch" in str(state_mod.state_dir())


def test_a_second_run_waits_for_the_lock_and_gives_up_with_one_line(tmp_path):
    with (state_mod.AlertState(tmp_path / "s"),
          pytest.raises(state_mod.StateError, match="another loadwatch alert run"),
          state_mod.AlertState(tmp_path / "s", lock_timeout=0.2)):
        pass


def test_a_damage_met_by_every_run_keeps_one_quarantined_copy(tmp_path):
    import time

    folder = tmp_path / "state"
    folder.mkdir()
    (folder / state_mod.DB_NAME).write_bytes(b"not a database at all " * 200)
    for _ in range(3):
        with (pytest.raises(state_mod.StateError, match="nothing was sent"),
              state_mod.AlertState(folder)):
            pass
        time.sleep(1.1)  # the copies are named by the second
    copies = list(folder.glob(f"{state_mod.DB_NAME}.damaged-*"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == (folder / state_mod.DB_NAME).read_bytes()
