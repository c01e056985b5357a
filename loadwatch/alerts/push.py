"""Push notifications beside e-mail: ntfy, Matrix, Telegram, Slack, Discord... through apprise.

``[alert] notify = ["ntfys://ntfy.sh/my-topic", "tgram://BOT_TOKEN/CHAT_ID", ...]`` lists
`apprise <https://github.com/caronc/apprise>`_ URLs; each is a recipient of its own,
with the same once-per-recipient state as an e-mail address
(:mod:`loadwatch.alerts.state`), keyed by a digest of the URL (:func:`recipient`) so
that no token or password is stored in the state.

A URL holds its secrets (a bot token, a password, a webhook's key): no message
ever shows a URL as written. :func:`mask` gives apprise's own privacy form (``tgram://
1...T/987654/``) without its query (where headers and keys may travel); a URL apprise
cannot read is named by its place in the list and its scheme alone.

The text (:func:`short_text`) is fit for a phone: a title (the mail's subject) and a
body of :data:`MAX_CHARS` at most together: the status, what is new, and next week's
numbers, taken from the same :class:`loadwatch.alerts.compose.AlertItem` as the mail
(:func:`loadwatch.report.plan_words.one_line` of the report's ``next_week``), so the
numbers agree.
"""

from __future__ import annotations

import hashlib
import re
import sys

from loadwatch.alerts.compose import (
    AlertItem,
    _order,
    _subject,
    clean_text,
    status_words,
    urgency,
)
from loadwatch.alerts.settings import AlertConfigError
from loadwatch.alerts.state import PUSH_PREFIX
from loadwatch.report import plan_words
from loadwatch.words import clip

MAX_CHARS = 300
"""Title and body of a push notification together, at most: what a phone's lock screen shows
of a notification before it is opened (loadwatch's choice). [characters]"""
MAX_TITLE = 100
"""Longest title; the rest of the subject is cut with ``...``. [characters]"""
TIMEOUT = 30.0
"""Bound on one notification, every request apprise makes for it (a Matrix login and the
message, say), passed as apprise's ``notify(timeout=)``; apprise's own bounds per request
(4 s to connect, 4 s to read by default) also hold. [s]"""


class PushError(RuntimeError):
    """A notification was not delivered: one line naming the masked URL and what happened."""


def recipient(url: str) -> str:
    """The key a URL's state is kept under: a digest, never the URL with its secrets.

    >>> recipient("ntfy://127.0.0.1:8080/topic")
    'push:162d89330126dbecd2f36fd7'
    """
    return PUSH_PREFIX + hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def _scheme(url: str) -> str:
    head = url.split("://", 1)[0] if "://" in url else ""
    return head if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,31}", head) else "?"


def _asset():
    """apprise's settings: its persistent store (what some services cache between runs) in
    memory only, so that apprise writes no file of its own anywhere."""
    import apprise  # only for a run that pushes (0.4 s to import)

    return apprise.AppriseAsset(storage_mode="memory")


def _instance(url: str):
    """apprise's plugin for ``url``, or None; its log kept from the terminal."""
    import apprise

    with apprise.LogCapture(level=50):  # what apprise logs may hold the URL: never shown
        return apprise.Apprise.instantiate(url, asset=_asset())


MAX_SHOWN_PART = 8
"""Longest part of a URL's path (or user name without a password) shown whole in a message;
a longer one is shown as its first and last characters (``S...3``), as apprise shows tokens.
[characters] apprise's privacy form hides only what each service declares secret, and the
path of a ``json://`` webhook, or an ntfy topic (on a public server, the topic is the
password), is not declared: a short word (``knee``, ``hook``) still says which URL it is,
a token never has fewer than eight characters."""


def _short(part: str) -> str:
    if len(part) <= MAX_SHOWN_PART or "..." in part:
        return part
    return f"{part[0]}...{part[-1]}"


def mask(url: str) -> str:
    """``url`` with its secrets hidden: apprise's privacy form without the query, and with
    every long path part (or a user name that is a token) cut to its ends.

    >>> mask("ntfys://me:s3cret@ntfy.sh/alerts?priority=high")
    'ntfys://me:****@ntfy.sh/alerts'
    >>> mask("json://127.0.0.1:8080/hooks/3f9a1c0d7e2b"), mask("ntfy://tk_abcdef1234@ntfy.sh/knee")
    ('json://127.0.0.1:8080/hooks/3...b', 'ntfy://t...4@ntfy.sh/knee')
    """
    plugin = _instance(url)
    if plugin is None:
        return f"{_scheme(url)}://..."
    scheme, _, rest = plugin.url(privacy=True).split("?", 1)[0].partition("://")
    netloc, slash, path = rest.partition("/")
    user, at, host = netloc.rpartition("@")
    if user and ":" not in user:      # a token given as the user (ntfy://tk_...@host)
        user = _short(user)
    path = "/".join(_short(part) for part in path.split("/"))
    return f"{scheme}://{user}{at}{host}{slash}{path}"


def check_urls(urls: list[str], source: str, key: str = "alert.notify") -> list[str]:
    """``urls`` if apprise can send to each; else :class:`AlertConfigError` naming ``source``.

    The message names the URL by its place in the list and its scheme, never more of it.
    """
    for n, url in enumerate(urls, start=1):
        if _instance(url) is None:
            raise AlertConfigError(
                f"{source}: {key} URL {n} ({_scheme(url)}://...) is not a notification URL "
                "apprise can send to: check its form at https://github.com/caronc/apprise/wiki "
                "(ntfys://ntfy.sh/TOPIC, tgram://BOT_TOKEN/CHAT_ID, matrixs://USER:PASS@HOST/"
                "#ROOM, slack://TOKEN_A/TOKEN_B/TOKEN_C)")
    return list(urls)


def short_text(items: list[AlertItem], *, coach: bool | None = None,
               prefix: str = "loadwatch") -> tuple[str, str]:
    """(title, body) of one notification about ``items``: status, what is new, the week's plan.

    One athlete: the title is the status (``loadwatch: Ingrid: RAISED load``); the body
    what is new in a few words (the mail subject's headline, else the newest news) with
    how many items are new, then the plan's numbers
    (:func:`loadwatch.report.plan_words.one_line`). A coach's digest: the mail's subject,
    then one line per athlete, the most urgent first, each with the status and the week's
    numbers. Title and body together are cut to :data:`MAX_CHARS`.

    >>> from datetime import date
    >>> from loadwatch.alerts.compose import News
    >>> plan = {"status": "build", "weekly_distance_max": 82.5, "longest_run": 33.0,
    ...         "rest_days_min": 1, "this_week": None, "lines": [], "notes": []}
    >>> item = AlertItem("Ann", "ann", "raised", [News("x", "evidence", "high",
    ...     date(2026, 11, 8), "Your 30.0 km run")], plan=plan, headline="a run 50% longer")
    >>> print(*short_text([item]), sep=chr(10))
    loadwatch: Ann: RAISED load
    New: a run 50% longer.
    Next week: weekly distance up to 82.5 km, longest run up to 33.0 km, at least 1 rest day.
    """
    items = sorted(items, key=urgency)
    if coach is None:
        coach = len(items) > 1
    if not coach:
        item = items[0]
        title = clip(f"{prefix}: {clean_text(item.athlete)}: {status_words(item)}", MAX_TITLE)
        room = MAX_CHARS - len(title) - 1
        week = plan_words.one_line(item.plan, item.units)
        news = _order(item.news)
        what = clean_text(item.headline or (news[0].text if news else ""))
        count = f" ({len(news)} new items)" if len(news) > 1 else ""
        tail = f"\n{week}" if week else ""
        head = f"New{count}: " if what else ""
        body = head + clip(what, max(20, room - len(head) - len(tail) - 1)) + "." + tail
        return title, clip(body, room)
    title = clip(_subject(items, prefix), MAX_TITLE)
    room = MAX_CHARS - len(title) - 1
    lines = []
    for item in items:
        week = plan_words.one_line(item.plan, item.units)
        lines.append(f"{clean_text(item.athlete)}: {status_words(item)}" + (
            f"; {week[0].lower()}{week[1:]}" if week else ""))
    body = ""
    for n, line in enumerate(lines):
        # Those that do not fit are named, at least, the most urgent first.
        rest = ", ".join(clean_text(i.athlete) for i in items[n + 1:])
        more = f"\n+{len(lines) - n - 1} more: {rest}" if rest else ""
        if len(body) + 1 + len(line) + min(len(more), 30) > room:
            rest = ", ".join(clean_text(i.athlete) for i in items[n:])
            body += f"\n+{len(lines) - n} more: {rest}"
            break
        body += ("\n" if body else "") + line
    return title, clip(body.strip(), room)


def send(url: str, title: str, body: str, timeout: float = TIMEOUT) -> None:
    """Send one notification to ``url`` through apprise.

    Raises
    ------
    PushError
        apprise reported a failure: the line names the masked URL and the reason it
        can tell (an HTTP status, no connection or no answer in time), never its log text,
        which may hold the URL.
    """
    import apprise  # only for a run that pushes

    entries = []
    with apprise.LogCapture(level=50):
        client = apprise.Apprise(asset=_asset())
        if not client.add(url):
            raise PushError(f"{mask(url)}: apprise cannot send to this URL")
        result = client.notify(body=body, title=title, timeout=timeout,
                               log_callback=lambda entry, service: entries.append(entry))
    if result:
        return
    said = " ".join(str(getattr(e, "message", "")) for e in entries)
    status = re.search(r"error=(\d{3})", said)
    if getattr(result, "status", None) == apprise.AppriseResultStatus.TIMEOUT:
        why = f"no answer within {timeout:g} s"
    elif status:
        why = f"the server answered HTTP {status.group(1)}"
    elif "onnection" in said:
        why = "no connection, or no answer in time"
    else:
        why = "apprise reported a failure"
    raise PushError(f"push to {mask(url)} failed ({why}); it is tried again next run")


def print_push(url: str, title: str, body: str, out=None) -> None:
    """Write a notification as a dry run shows it, the URL masked."""
    out = out or sys.stdout
    out.write(f"Push: {mask(url)}\nTitle: {title}\n\n{body}\n" + "-" * 72 + "\n")
