"""One alert run: what is new for whom, one e-mail per group of recipients, the state kept.

Push notifications (:mod:`loadwatch.alerts.push`) follow the mails: each URL is a
recipient of its own, keyed in the state by a digest of it. A notification is
claimed, then counted as sent (``unconfirmed``) just before the request, as a mail is
just before its final ``.``; a failure apprise reports releases it, so the next run
tries it again, and is one of the run's problems.

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
from dataclasses import dataclass, field, replace
from email.message import EmailMessage

from loadwatch.alerts import push as push_mod
from loadwatch.alerts import send as send_mod
from loadwatch.alerts.compose import AlertItem, News, clean_text, compose, print_message
from loadwatch.alerts.settings import SmtpSettings
from loadwatch.alerts.state import SENT, UNCONFIRMED, AlertState, Row, StateError, address
from loadwatch.verdict.risk import rank as risk_rank


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
    pushed : int
        Push notifications delivered.
    pushes : list of tuple
        Every push notification composed: (masked URL, title, body).
    """

    new_flags: int = 0
    sent: int = 0
    pushed: int = 0
    pushes: list[tuple[str, str, str]] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Batch:
    items: list[AlertItem]
    recipients: list[str]

    def rows(self) -> list[Row]:
        return [(i.athlete_id, n.identity, r)
                for i in self.items for n in i.news for r in self.recipients]


DIGESTS = ("none", "daily", "weekly")
"""``none``: one mail per athlete with news; ``daily``: one mail per group of recipients
about every athlete's news (a coach's squad); ``weekly``: as ``daily``, and the habits worth
a look once a week."""
LEVELS = ("raised", "high")


def wanted_news(item: AlertItem, *, min_level: str = "raised", digest: str = "none") -> list[News]:
    """The news worth a mail: clinical news always; evidence-led news when the athlete's load
    level is at least ``min_level``; the habits only in a weekly digest."""
    loud = risk_rank(item.risk) >= risk_rank(min_level)
    keep = {"clinical": True, "evidence": loud, "habit": digest == "weekly"}
    return [n for n in item.news if keep.get(n.kind, False)]


def run_alerts(items: list[AlertItem], settings: SmtpSettings, state: AlertState, *,
               password: str | None = None, min_level: str = "raised", dry_run: bool = False,
               out=None, digest: str | bool = "none",
               deliver: Callable[..., send_mod.Delivery] = send_mod.deliver,
               push: Callable[[str, str, str], None] = push_mod.send) -> AlertOutcome:
    """E-mail each recipient, and push to each notification URL, the news not told to them
    before (:func:`wanted_news`).

    ``password`` defaults to ``settings.password()``. ``digest`` (:data:`DIGESTS`)
    chooses one message per athlete or one about all athletes (to each group of
    recipients with the same news). ``dry_run`` prints the messages and changes
    nothing.

    An athlete whose state still holds only what loadwatch 0.1 recorded (item ids
    ``code:day``) is upgraded first: what is current is recorded as known, not
    mailed (:func:`adopt_current`), and a note says so.

    Raises
    ------
    loadwatch.alerts.state.StateError
        The state could not be read: nothing was sent. (A state that cannot be
        written stops the sending; that is one of ``problems``.)
    """
    if digest is True or digest is False:  # the old boolean
        digest = "daily" if digest else "none"
    out = out or sys.stdout
    if password is None and settings.user and not dry_run:
        password = settings.password()
    wanted = [i.with_news(wanted_news(i, min_level=min_level, digest=digest)) for i in items]
    outcome = AlertOutcome()
    if not dry_run:
        adopted = adopt_current(wanted, state)
        if adopted:
            outcome.notes.append(
                f"upgraded the alert state: {adopted} condition(s) current today were recorded as "
                "already known (loadwatch 0.1 had told of them, or it cannot be told); they are "
                "not mailed again, only what changes from now on")
    batches = _batches(wanted, state, digest != "none")
    urls = {push_mod.recipient(u): u for i in wanted for u in i.notify}
    pushes = _batches([replace(i, recipients=[push_mod.recipient(u) for u in i.notify])
                       for i in wanted], state, digest != "none") if urls else []
    # A digest about a squad is the coach's: about each athlete by name, not to them.
    coach = digest != "none" and len(items) > 1
    outcome.new_flags = len({(i.athlete_id, n.identity) for b in batches + pushes
                             for i in b.items for n in i.news})
    for batch in batches:
        try:
            message = compose(batch.items, settings.sender, batch.recipients,
                              coach=coach)
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
            return outcome
    _push_all(pushes, urls, state, coach, dry_run, push, outcome, out)
    return outcome


def _push_all(batches: list[_Batch], urls: dict[str, str], state: AlertState, coach: bool,
              dry_run: bool, push, outcome: AlertOutcome, out) -> None:
    """One notification per URL and group of news, the state written around each."""
    for batch in batches:
        title, body = push_mod.short_text(batch.items, coach=coach)
        for key in batch.recipients:
            url = urls[key]
            outcome.pushes.append((push_mod.mask(url), title, body))
            if dry_run:
                push_mod.print_push(url, title, body, out)
                continue
            rows = [row for row in batch.rows() if row[2] == key]
            try:
                state.claim(rows)
                # From here it counts as sent: a run killed during the request never
                # pushes it twice; a failure apprise reports releases it below.
                state.mark(rows, UNCONFIRMED, "pushing")
            except StateError as exc:
                outcome.problems.append(f"{exc}; this notification was not sent, nor any "
                                        "after it")
                return
            try:
                push(url, title, body)
            except push_mod.PushError as exc:
                _release(state, rows, outcome)
                outcome.problems.append(str(exc))
                continue
            outcome.pushed += 1
            try:
                state.mark(rows, SENT, "delivered")
            except StateError as exc:
                outcome.notes.append(f"{exc}; the notification stays recorded as sent but "
                                     "unconfirmed")


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
                fresh = [n for n in item.news if n.identity not in told]
                if fresh:
                    new.append(item.with_news(fresh))
            if not new:
                continue
            key = (id(scope), tuple((i.athlete_id, tuple(n.identity for n in i.news))
                                    for i in new))
            groups.setdefault(key, _Batch(new, [])).recipients.append(recipient)
    return list(groups.values())


def adopt_current(items: list[AlertItem], state: AlertState) -> int:
    """Record today's news as known for recipients whose state is still loadwatch 0.1's.

    loadwatch 0.1 keyed what it sent by code and day (``code:day``); today's items
    are keyed by condition episode and step. For each athlete and recipient whose
    told items are all of the old form, every current item is recorded as told:
    those 0.1 had mailed (same code, its day within the episode) are mapped, and
    the ones it cannot tell are taken as known rather than mailed on the day of the
    upgrade. Returns how many were recorded.
    """
    rows = []
    for item in items:
        for recipient in item.recipients:
            told = state.told(item.athlete_id, recipient)
            if not told or not all(_legacy(t) for t in told):
                continue
            rows += [(item.athlete_id, n.identity, recipient) for n in item.news]
    if rows:
        state.claim(rows)
        state.mark(rows, SENT, "known at the upgrade from loadwatch 0.1")
    return len(rows)


def _legacy(item_id: str) -> bool:
    """``code:YYYY-MM-DD``: an item id as loadwatch 0.1 wrote it."""
    parts = item_id.split(":")
    return len(parts) == 2 and len(parts[1]) == 10 and parts[1][4] == "-"


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
