"""HTML pages from Jinja2 templates: the weekly report, the squad page and the alert mail.

The templates are package data in ``loadwatch/report/templates/``: one shell
(``base.html.j2``) and one stylesheet (``style.css``, then ``glance.css``) shared
by the report (``report.html.j2``, with the athlete macros of ``_report.html.j2``
and the first-screen cards of ``_summary.html.j2``), the squad page
(``squad.html.j2``) and the mail (``mail.html.j2``). Python builds the data
(:mod:`.sections`, :mod:`.first_screen`, :mod:`loadwatch.squad`), a template lays
it out. The report page opens with the cards; every section follows in a
collapsible ``<details>``; its charts are SVG panels (:mod:`.panels`).

Safety:

- autoescape is on for every template: athlete names, flag messages, diary
  locations, summaries, file paths and errors came from the athlete's files and
  arrive in the page as text. Only the stylesheet and the squad page's script,
  both package files, are marked safe;
- the pages are self-contained: the CSS inlined, the chart embedded as a
  ``data:`` URI, and a Content-Security-Policy (:func:`csp`) that lets nothing
  load from anywhere. The inline style and script are allowed by their SHA-256
  hashes, never by ``'unsafe-inline'``, so markup that slipped into the page could
  run no script and add no style.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from loadwatch.report import first_screen, fmt
from loadwatch.report.sections import sections

CHART_ALT = ("Training load charts for {name}: weekly distance coloured by flag, load ratio, runs "
             "with long-run spikes and the next long run's ceiling, rest and run days, pain")


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on, undefined names fail."""
    return jinja2.Environment(loader=jinja2.PackageLoader("loadwatch.report", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


@cache
def asset(name: str) -> str:
    """A package file of ``templates/`` as text (``style.css``, ``squad.js``)."""
    return resources.files("loadwatch.report").joinpath("templates", name).read_text("utf-8")


def sha256_source(text: str) -> str:
    """The CSP source allowing exactly this inline ``<style>`` or ``<script>`` body.

    >>> sha256_source("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def csp(css: str, script: str | None = None, images: str = "data:") -> str:
    """The page's Content-Security-Policy.

    Nothing loads by default; images only from ``images`` (``data:`` URIs); the
    inline stylesheet and script only by their hashes; no base URL, no form
    target.
    """
    scripts = sha256_source(script) if script else "'none'"
    parts = ["default-src 'none'", f"img-src {images}", f"style-src {sha256_source(css)}",
             f"script-src {scripts}",
             "base-uri 'none'", "form-action 'none'"]
    return "; ".join(parts)


def render_page(template: str, title: str, *, script: str | None = None,
                images: str = "data:", with_csp: bool = True, **context) -> str:
    """A complete page from ``template`` (which extends ``base.html.j2``).

    Parameters
    ----------
    template : str
        Template name under ``templates/``.
    title : str
        Plain text for ``<title>``; escaped.
    script : str, optional
        The page's inline script, allowed by its hash.
    images : str, default "data:"
        The CSP's image sources (``cid:`` for a mail).
    with_csp : bool, default True
        A mail leaves the policy out: clients ignore or strip it.
    **context
        The template's own values (escaped as they are rendered).
    """
    css = asset("style.css") + asset("glance.css")
    policy = csp(css, script, images) if with_csp else None
    return environment().get_template(template).render(
        title=title, css=Markup(css), script=Markup(script) if script else None, csp=policy,
        **context)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def athlete_context(report: dict, chart_png: bytes | None, anchor: str,
                    panels: list | None = None) -> dict:
    """What the ``athlete`` macro of ``_report.html.j2`` shows for one report.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.
    chart_png : bytes or None
        Embedded as a ``data:`` URI under "Charts"; None leaves the section out.
    anchor : str
        The section's ``id``, for links from a squad table.
    panels : list of loadwatch.report.charts.Panel, optional
        The charts as SVG panels drawn for a phone's width (the report page); they take the
        place of ``chart_png``.
    """
    shown = [{"name": p.name, "alt": p.alt, "uri": svg_uri(p.svg), "width": p.width_px,
              "height": p.height_px} for p in panels or []]
    return {
        "name": report["athlete"],
        "as_of": fmt.day(report["as_of"], year=True),
        "units": report["units"],
        "climb_unit": "feet" if report["units"] == "mi" else "metres",
        "load": report["load"],
        "sections": sections(report, charts=bool(chart_png or shown)),
        "chart_uri": data_uri(chart_png) if chart_png else None,
        "panels": shown,
        # The per-day level strip goes under the load chart once the report carries it (the
        # history issue's ``level_strip``); this page draws nothing it would have to judge.
        "level_strip": None if not panels else _strip(report),
        "glance": first_screen.of(report),
        "chart_alt": CHART_ALT.format(name=report["athlete"]),
        "anchor": anchor,
        "disclaimer": fmt.DISCLAIMER,
    }


def _strip(report: dict) -> dict | None:
    from loadwatch.report import panels  # matplotlib: only when charts are drawn

    strip = panels.level_strip(report)
    return None if strip is None else {"name": strip.name, "alt": strip.alt,
                                       "uri": svg_uri(strip.svg), "width": strip.width_px,
                                       "height": strip.height_px}


def svg_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render(report: dict, chart_png: bytes | None = None, *, panels: list | None = None) -> str:
    """The whole report as one self-contained HTML document.

    Parameters
    ----------
    report : dict
        A ``loadwatch/report-v3`` report.
    chart_png : bytes, optional
        The chart (:func:`loadwatch.report.charts.render_png`), embedded in the page.
    panels : list of loadwatch.report.charts.Panel, optional
        The charts as SVG panels (:func:`loadwatch.report.charts.svg_panels`), in place of
        ``chart_png``: text a phone can read, stacked on a phone.
    """
    title = f"loadwatch report: {report['athlete']}, {report['as_of']}"
    return render_page("report.html.j2", title,
                       a=athlete_context(report, chart_png, "report", panels))


def render_mail(context: dict) -> str:
    """The HTML part of an alert mail (``mail.html.j2``); see that template for ``context``.

    Images come as ``cid:`` parts of the same message; the page carries no
    Content-Security-Policy (mail clients strip it) and no script.
    """
    return render_page("mail.html.j2", context.get("title", "loadwatch"), images="cid:",
                       with_csp=False, mail=context)
