"""One alert run: what is new for whom, one e-mail per group of recipients, the state kept.

Called with the items :mod:`loadwatch.alerts.collect` found and an open
:class:`loadwatch.alerts.state.AlertState` (which holds the run's lock). For
each recipient, the new flags are those whose (athlete id, flag identity) the
state does not count as told to that recipient; recipients with the same new
flags share one message. Each message is claimed in the state before
connecting, counted as sent just before its final ``.``, and released for the
recipients the server refused, so the next run tries them alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from loadwatch.alerts import send as send_mod
from loadwatch.alerts.compose import AlertItem, clean_text, compose, print_message
from loadwatch.alerts.settings import SmtpSettings
from loadwatch.alerts.state import SENT, UNCONFIRMED, AlertState, Row, StateError, address
from loadwatch.flags import severity_rank


@dataclass
class AlertOutcome:
    """What a run did.

    Attributes
    ----------
    new_flags : int
        (athlete, flag) pairs new to at least one recipient.
    sent : int
        Messages sent (or that count as sent).
    messages : list of EmailMessage
        Every message composed (printed on a dry run).
    problems : list of str
        What could not be sent, one line each: the next run tries again.
    notes : list of str
        Sent, but worth saying (a dropped line after the final ``.``, an odd QUIT).
    """

    new_flags: int = 0
    sent: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Batch:
    items: list[AlertItem]
    recipients: list[str]

    def rows(self) -> list[Row]:
        return [(i.athlete_id, f.identity, r)
                for i in self.items for f in i.flags for r in self.recipients]


def run_alerts(items: list[AlertItem], settings: SmtpSettings, state: AlertState, *,
               password: str | None = None, min_severity: str = "caution", dry_run: bool = False,
               out=None, digest: bool = True,
               deliver: Callable[..., send_mod.Delivery] = send_mod.deliver) -> AlertOutcome:
    """E-mail each recipient the flags not told to them before, at or above ``min_severity``.

    Pain red flags always count. ``password`` defaults to ``settings.password()``. ``digest`` sends one message about all athletes
    (to each group of recipients with the same new flags); otherwise one per
    athlete. ``dry_run`` prints the messages and changes nothing.

    Raises
    ------
    loadwatch.alerts.state.StateError
        The state could not be read: nothing was sent. (A state that cannot be
        written stops the sending; that is one of ``problems``.)
    """
    out = out or sys.stdout
    if password is None and settings.user and not dry_run:
        password = settings.password()
    floor = severity_rank(min_severity)
    wanted = [AlertItem(i.athlete, i.athlete_id, i.risk,
                        [f for f in i.flags if f.code == "pain_red_flag"
                         or severity_rank(f.severity) >= floor], i.recipients, i.chart_png)
              for i in items]
    batches = _batches(wanted, state, digest)
    outcome = AlertOutcome(new_flags=len({(i.athlete_id, f.identity)
                                          for b in batches for i in b.items for f in i.flags}))
    for batch in batches:
        try:
            message = compose(batch.items, settings.sender, batch.recipients)
        except (ValueError, TypeError) as exc:
            who = ", ".join(clean_text(i.athlete) for i in batch.items)
            outcome.problems.append(f"could not compose the e-mail about {who}: {exc}")
            continue
        outcome.messages.append(message)
        if dry_run:
            print_message(message, out)
            continue
        try:
            _send(batch, message, settings, state, password, deliver, outcome)
        except StateError as exc:
            outcome.problems.append(f"{exc}; this e-mail was not sent, nor any after it")
            break
    return outcome


def _batches(items: list[AlertItem], state: AlertState, digest: bool) -> list[_Batch]:
    """Group recipients that have the same new flags: one message per group."""
    groups: dict[tuple, _Batch] = {}
    scopes = [items] if digest else [[i] for i in items]
    for scope in scopes:
        seen = set()
        for recipient in dict.fromkeys(r for i in scope for r in i.recipients):
            if address(recipient) in seen:
                continue
            seen.add(address(recipient))
            new = []
            for item in scope:
                if address(recipient) not in {address(r) for r in item.recipients}:
                    continue
                told = state.told(item.athlete_id, recipient)
                flags = [f for f in item.flags if f.identity not in told]
                if flags:
                    new.append(AlertItem(item.athlete, item.athlete_id, item.risk, flags,
                                         item.recipients, item.chart_png))
            if not new:
                continue
            key = (id(scope), tuple((i.athlete_id, tuple(f.identity for f in i.flags))
                                    for i in new))
            groups.setdefault(key, _Batch(new, [])).recipients.append(recipient)
    return list(groups.values())


def _send(batch: _Batch, message: EmailMessage, settings: SmtpSettings, state: AlertState,
          password: str | None, deliver, outcome: AlertOutcome) -> None:
    rows = batch.rows()

    def rows_for(recipients) -> list[Row]:
        wanted = {address(r) for r in recipients}
        return [row for row in rows if address(row[2]) in wanted]

    state.claim(rows)
    try:
        delivery = deliver(message, settings, batch.recipients, password=password,
                           before_final_dot=lambda accepted: state.mark(rows_for(accepted),
                                                                        UNCONFIRMED))
    except send_mod.AlertSendError as exc:
        _release(state, rows, outcome)
        outcome.problems.append(str(exc))
        return
    except StateError:
        _release(state, rows, outcome)
        raise
    outcome.notes += delivery.notes
    if delivery.refused:
        _release(state, rows_for(delivery.refused), outcome)
        outcome.problems += [f"{settings.host}:{settings.port} refused the message for {r} "
                             f"({why}); it is tried again next run"
                             for r, why in delivery.refused.items()]
    if delivery.accepted:
        outcome.sent += 1
        if delivery.confirmed:
            try:
                state.mark(rows_for(delivery.accepted), SENT, "250")
            except StateError as exc:
                # Still recorded as unconfirmed, which counts as sent: nothing is lost.
                outcome.notes.append(f"{exc}; the message stays recorded as sent but unconfirmed")


def _release(state: AlertState, rows: list[Row], outcome: AlertOutcome) -> None:
    try:
        state.release(rows)
    except StateError as exc:
        # Rows left as claimed do not count as told; unconfirmed ones would: say so.
        outcome.problems.append(f"{exc}: could not record that a message was not sent; "
                                "it may not be tried again")
