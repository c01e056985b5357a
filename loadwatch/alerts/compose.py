"""Composing an alert e-mail: text and HTML parts, red flags first, each athlete's chart.

Names and messages come from files an athlete or a coach wrote (a folder name,
``loadwatch.toml``), so they are made safe for a mail header and for HTML
here: a newline or a terminal escape in a name never reaches the headers, and
a folder name that is not UTF-8 prints with replacement characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

from loadwatch.flags import Flag, severity_rank
from loadwatch.verdict.risk import rank as risk_rank

DISCLAIMER = ("loadwatch measures training load; it does not diagnose. Sudden pain, a pop, swelling, "
              "locking, giving way or pain on weight bearing need a sports physical therapist or "
              "doctor.")


@dataclass
class AlertItem:
    """One athlete's alert: who it is, their risk level, the flags to tell, who to tell.

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
    flags : list of Flag
        The active flags; each is identified by :attr:`loadwatch.flags.Flag.identity`.
    recipients : list of str
        Addresses to tell.
    chart_png : bytes or None
        The athlete's chart, attached as a PNG.
    """

    athlete: str
    athlete_id: str
    risk: str
    flags: list[Flag]
    recipients: list[str] = field(default_factory=list)
    chart_png: bytes | None = None


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


def _order(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (f.code != "pain_red_flag", -severity_rank(f.severity),
                                        -f.start.toordinal()))


def _subject(items: list[AlertItem], prefix: str) -> str:
    if len(items) == 1:
        item = items[0]
        red = any(f.code == "pain_red_flag" for f in item.flags)
        return (f"{prefix}: {clean_text(item.athlete)}: {item.risk} risk"
                + (" - pain red flag, get it checked" if red else ""))
    worst = max((i.risk for i in items), key=risk_rank)
    return f"{prefix}: {len(items)} athletes with new flags (highest risk: {worst})"


def compose(items: list[AlertItem], sender: str, recipients: list[str],
            subject_prefix: str = "loadwatch") -> EmailMessage:
    """One e-mail about ``items`` (one athlete, or a coach's digest): text, HTML and charts.

    Parameters
    ----------
    items : list of AlertItem
        The athletes and the flags to tell (only the new ones).
    sender : str
        The From address.
    recipients : list of str
        The To addresses.
    """
    msg = EmailMessage()
    msg["Subject"] = _subject(items, subject_prefix)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> "))
    text, html = [], []
    for item in items:
        name = clean_text(item.athlete)
        text.append(f"{name}: risk {item.risk.upper()}")
        html.append(f"<h2>{escape(name)}: risk {escape(item.risk.upper())}</h2><ul>")
        for f in _order(item.flags):
            line = f"[{f.severity.upper()}] {f.start:%a %d %b}: {f.message}"
            text.append(f"  - {line}")
            text.append(f"    Evidence: {f.evidence}; {f.source}")
            strong = " style=\"color:#b3261e\"" if f.code == "pain_red_flag" else ""
            html.append(f"<li{strong}><strong>{escape(f.severity.upper())}</strong> "
                        f"{escape(f'{f.start:%a %d %b}')}: {escape(f.message)}<br>"
                        f"<small>Evidence: {escape(f.evidence)}; {escape(f.source)}</small></li>")
        text.append("")
        html.append("</ul>")
    text.append(DISCLAIMER)
    html.append(f"<p><small>{escape(DISCLAIMER)}</small></p>")
    msg.set_content("\n".join(text))
    msg.add_alternative("<!DOCTYPE html><html><body>" + "".join(html) + "</body></html>",
                        subtype="html")
    for item in items:
        if item.chart_png:
            name = "".join(c if c.isascii() and c.isalnum() else "-" for c in item.athlete)
            msg.add_attachment(item.chart_png, maintype="image", subtype="png",
                               filename=f"loadwatch-{name.strip('-') or 'athlete'}.png")
    return msg


def print_message(message: EmailMessage, out) -> None:
    """Write ``message`` as a dry run shows it: headers, the text part, attachments' names."""
    for key in ("From", "To", "Subject", "Date"):
        out.write(f"{key}: {message[key]}\n")
    body = message.get_body(preferencelist=("plain",))
    out.write("\n" + (body.get_content() if body else "") + "\n")
    attachments = [a.get_filename() for a in message.iter_attachments()]
    if attachments:
        out.write(f"[attached: {', '.join(attachments)}]\n")
    out.write("-" * 72 + "\n")
