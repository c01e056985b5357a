"""Composing an alert e-mail: text and HTML parts, red flags first, each athlete's chart.

Names and messages come from files an athlete or a coach wrote (a folder name,
``loadwatch.toml``), so they are made safe for a mail header and for HTML
here: a newline or a terminal escape in a name never reaches the headers, and
a folder name that is not UTF-8 prints with replacement characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from loadwatch.alerts import voice
from loadwatch.flags.catalogue import RULES
from loadwatch.flags.model import Flag
from loadwatch.verdict.risk import rank as risk_rank

DISCLAIMER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
              "locking, giving way or pain on weight bearing need a sports physical therapist or "
              "doctor.")


@dataclass(frozen=True)
class News:
    """One thing an alert may tell: a condition, an escalation, a clinical status, a digest.

    Attributes
    ----------
    identity : str
        What makes it new to a recipient (the state stores it per athlete and
        recipient): a flag's step identity (``code:start:severity``, see
        :meth:`loadwatch.flags.Flag.identities`), ``clinical:<status>:<day>``, or
        ``habits:<ISO week>`` for the weekly digest of habits.
    kind : str
        ``clinical``, ``evidence`` or ``habit``.
    severity : str
        ``check_now``/``assess_soon`` for clinical news, else the flag's severity.
    day : datetime.date
        When it happened (the step's day).
    text : str
        The message in plain words, with its numbers.
    detail : str
        Its evidence and what to do.
    """

    identity: str
    kind: str
    severity: str
    day: date
    text: str
    detail: str = ""

    @classmethod
    def of(cls, flag: Flag, identity: str | None = None, severity: str | None = None,
           day: date | None = None) -> News:
        """A flag (one of its steps) as news."""
        rule = RULES.get(flag.code)
        advice = f" What to do: {rule.advice}" if rule and rule.advice else ""
        return cls(identity or flag.identity,
                   "clinical" if flag.code == "pain_red_flag" else flag.kind,
                   severity or flag.severity, day or flag.start, flag.message,
                   f"Evidence: {flag.evidence}; {flag.source}.{advice}")


@dataclass
class AlertItem:
    """One athlete's alert: who it is, their status, what may be news, who to tell.

    Attributes
    ----------
    athlete : str
        The display name (``[athlete] name``, else the folder's name).
    athlete_id : str
        The stable id the sent-alert state is keyed by (``[athlete] id``, else the
        athlete folder's absolute path): renaming an athlete changes ``athlete``
        only, so nothing is sent again.
    risk : str
        ``high``, ``raised``, ``usual`` or ``unknown`` (:mod:`loadwatch.verdict.risk`).
    news : list of News
        Everything current that may be news (flags are turned into news).
    recipients : list of str
        Addresses to tell.
    chart_png : bytes or None
        The athlete's chart, attached as a PNG; or a function that draws it, called only
        when a mail about the athlete is composed (a few seconds of matplotlib per
        athlete, spared on the runs where nothing is new to anyone).
    clinical : str
        ``check_now``, ``assess_soon`` or ``none``.
    status : list of str
        The status lines, clinical first, then the load.
    headline : str
        The most important news in a few words, for the subject.
    next_week : list of str
        The next week's numbers and advice.
    pain : list of str
        The pain summary.
    data_to_check : list of str
        Activities left out until the athlete settles them, with why.
    strength : tuple
        How strong the evidence behind the athlete's top condition is, for the order
        within a load level (:func:`loadwatch.verdict.risk.strength_key`; empty: none).
    notify : list of str
        Push notification URLs (apprise) to tell, each a recipient of its own
        (:mod:`loadwatch.alerts.push`).
    plan : dict or None
        The report's ``next_week`` (the same plan as ``next_week``'s lines), for the
        numbers of a push notification.
    units : str
        ``km`` or ``mi``, the plan's units.
    """

    athlete: str
    athlete_id: str
    risk: str
    news: list = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    chart_png: bytes | Callable[[], bytes] | None = None
    clinical: str = "none"
    status: list[str] = field(default_factory=list)
    headline: str = ""
    next_week: list[str] = field(default_factory=list)
    pain: list[str] = field(default_factory=list)
    data_to_check: list[str] = field(default_factory=list)
    strength: tuple = ()
    notify: list[str] = field(default_factory=list)
    plan: dict | None = None
    units: str = "km"

    def __post_init__(self):
        self.news = [n if isinstance(n, News) else News.of(n) for n in self.news]

    def chart(self) -> bytes | None:
        """The chart's PNG, drawn now if it was left to be drawn (then kept)."""
        if callable(self.chart_png):
            self.chart_png = self.chart_png()
        return self.chart_png

    def with_news(self, news: list[News]) -> AlertItem:
        """The same athlete with only ``news``."""
        return replace(self, news=list(news))


def clean_text(text: str) -> str:
    """``text`` safe for a mail header or a terminal: one line, no control characters.

    Surrogates (from a file name that is not UTF-8) become U+FFFD; line breaks,
    tabs and other control characters become a space.

    >>> clean_text("Ann\\nBcc: x@evil.org\\x1b[31m")
    'Ann Bcc: x@evil.org [31m'
    """
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(" " if (ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029") else c
                   for c in text).strip()


KIND_ORDER = {"clinical": 0, "evidence": 1, "habit": 2}
CLINICAL_ORDER = {"check_now": 0, "assess_soon": 1}
LEVEL_ORDER = {"high": 0, "raised": 1, "usual": 2, "unknown": 3}
"""A digest's order: a red flag to check now, pain to get assessed, then the load level."""


def urgency(item: AlertItem) -> tuple:
    """Most urgent first: the clinical status, the load level, then the strength of the
    evidence behind it (:func:`loadwatch.verdict.risk.strength_key`), then the name."""
    return (CLINICAL_ORDER.get(item.clinical, 2), LEVEL_ORDER.get(item.risk, 4),
            tuple(item.strength) or (9,), clean_text(item.athlete).lower())


def _order(news: list[News]) -> list[News]:
    return sorted(news, key=lambda n: (KIND_ORDER.get(n.kind, 3), -n.day.toordinal()))


STATUS_WORDS = {"check_now": "CHECK NOW", "assess_soon": "get it assessed soon"}


def status_words(item: AlertItem) -> str:
    """``CHECK NOW``, or the load level (``RAISED load``) and pain to get assessed soon."""
    if item.clinical == "check_now":
        return STATUS_WORDS["check_now"]
    return f"{item.risk.upper()} load" + (
        f", {STATUS_WORDS[item.clinical]}" if item.clinical == "assess_soon" else "")


def _subject(items: list[AlertItem], prefix: str) -> str:
    """The athlete, the status and the headline; for a digest, how many and the worst."""
    if len(items) == 1:
        item = items[0]
        status = status_words(item)
        headline = f" - {clean_text(item.headline)}" if item.headline else ""
        return f"{prefix}: {clean_text(item.athlete)}: {status}{headline}"
    checks = sum(i.clinical == "check_now" for i in items)
    worst = max((i.risk for i in items), key=risk_rank)
    return (f"{prefix}: {len(items)} athletes with news"
            + (f", {checks} to check now" if checks else "") + f" (highest load level: {worst})")


def compose(items: list[AlertItem], sender: str, recipients: list[str],
            subject_prefix: str = "loadwatch", coach: bool | None = None) -> EmailMessage:
    """One e-mail about ``items`` (one athlete, or a coach's digest): text, HTML and charts.

    Each athlete's part gives the status (clinical first, then the load), what is
    new, next week's numbers and what to do, and the pain summary; the chart is
    attached. A digest opens with the most urgent athlete (:func:`urgency`) and
    speaks of each athlete by name (:func:`loadwatch.alerts.voice.about`).

    Parameters
    ----------
    items : list of AlertItem
        The athletes and their news (only what is new to these recipients).
    sender : str
        The From address.
    recipients : list of str
        The To addresses.
    coach : bool, optional
        A coach's digest, in the coach's words (default: when there are several athletes).
    """
    if coach is None:
        coach = len(items) > 1
    items = sorted(items, key=urgency)
    msg = EmailMessage()
    msg["Subject"] = _subject(items, subject_prefix)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> "))
    sections = [_section(item, coach) for item in items]
    text = []
    for sec in sections:
        text.append(sec["name"])
        text += [f"  {line}" for line in sec["status"]]
        for title, lines in sec["blocks"]:
            text += ["", f"  {title}"] + [f"  - {line}" for line in lines]
        text.append("")
    text.append(DISCLAIMER)
    msg.set_content("\n".join(text))
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "loadwatch"
    pngs = [item.chart() for item in items]
    cids = [make_msgid("chart", domain=domain)[1:-1] if png else None for png in pngs]
    msg.add_alternative(_html(msg["Subject"], sections, cids), subtype="html")
    html_part = msg.get_payload()[1]
    for item, cid, png in zip(items, cids, pngs, strict=True):
        if cid:
            name = "".join(c if c.isascii() and c.isalnum() else "-" for c in item.athlete)
            html_part.add_related(png, maintype="image", subtype="png", cid=f"<{cid}>",
                                  filename=f"loadwatch-{name.strip('-') or 'athlete'}.png")
    return msg


def _html(title: str, sections: list[dict], cids: list[str | None]) -> str:
    """The HTML part from the shared mail template (:func:`loadwatch.report.html.render_mail`)."""
    # Jinja2 and the templates only for a mail that is sent as HTML.
    from loadwatch.report import html as html_mod

    athletes = []
    for sec, cid in zip(sections, cids, strict=True):
        status = [{"label": "", "text": line, "tone": tone}
                  for line, tone in zip(sec["status"], sec["tones"], strict=True)]
        athletes.append({"name": sec["name"], "status": status,
                         "blocks": [{"heading": h, "lines": lines} for h, lines in sec["blocks"]],
                         "chart_cid": cid})
    return html_mod.render_mail({"title": title, "intro": [], "athletes": athletes,
                                 "footer": [DISCLAIMER]})


def _section(item: AlertItem, coach: bool = False) -> dict:
    """One athlete's part of a mail, as plain strings (the HTML escapes them); for a coach,
    about the athlete by name."""
    name = clean_text(item.athlete)
    words = (lambda lines: voice.lines_about(lines, name)) if coach else list
    news = _order(item.news)
    blocks = [("What is new", words([f"{n.day:%a %-d %b}: {n.text} {n.detail}".strip()
                                     for n in news]))]
    if item.next_week:
        blocks.append(("Next week", words(item.next_week)))
    if item.pain:
        blocks.append(("Pain", words(item.pain)))
    if item.data_to_check:
        blocks.append(("Data to check", words(item.data_to_check)))
    status = words(item.status) or [f"Load risk: {item.risk.upper()}"]
    tones = ([item.clinical] if item.clinical != "none" and len(status) > 1 else []) + [item.risk]
    return {"name": clean_text(item.athlete), "clinical": item.clinical, "risk": item.risk,
            "status": status, "tones": (tones + [item.risk] * len(status))[:len(status)],
            "blocks": blocks}


def charts(message: EmailMessage) -> list:
    """The chart images of a message (inline parts of its HTML, shown by ``cid:``)."""
    return [part for part in message.walk() if part.get_content_maintype() == "image"]


def print_message(message: EmailMessage, out) -> None:
    """Write ``message`` as a dry run shows it: headers, the text part, attachments' names."""
    for key in ("From", "To", "Subject", "Date"):
        out.write(f"{key}: {message[key]}\n")
    body = message.get_body(preferencelist=("plain",))
    out.write("\n" + (body.get_content() if body else "") + "\n")
    attachments = [a.get_filename() for a in charts(message)]
    if attachments:
        out.write(f"[attached: {', '.join(attachments)}]\n")
    out.write("-" * 72 + "\n")
