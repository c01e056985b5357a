"""Damaged XML activity files (GPX, TCX) read as far as their data goes.

A download cut short leaves a GPX or TCX without its closing tags; a copy
tool may append bytes after the root element; a bad sector breaks a tag in the
middle. :func:`salvage_xml` keeps the document up to the end of the last
element that closed properly, closes the elements still open, and says in one
line what was lost. The safety checks (no entity declarations, no external
references) already ran on the same bytes up to the damage: the parser that
found the damage raises on those before reaching it, and this one refuses them
too.
"""

from __future__ import annotations

from xml.parsers import expat

MAX_OPEN_ELEMENTS = 64
"""Open elements a salvage will close; GPX and TCX nest fewer than 10 deep. [count]"""


class _Refused(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Refused


def salvage_xml(data: bytes) -> tuple[bytes, str] | None:
    """A well-formed prefix of damaged XML, closed, and a warning; None if nothing is left.

    Parameters
    ----------
    data : bytes
        XML that does not parse.

    Returns
    -------
    (bytes, str) or None
        The document up to the end of the last element that closed, followed by
        end tags for the elements still open; and a one-line warning naming the
        damage and how many bytes were left out. None when the root element
        never opened, nothing closed inside it, entities are declared, or the
        nesting is deeper than :data:`MAX_OPEN_ELEMENTS`.

    Examples
    --------
    >>> fixed, why = salvage_xml(b"<gpx><trk><trkpt/><trkpt/><trkp")
    >>> fixed
    b'<gpx><trk><trkpt/><trkpt/></trk></gpx>'
    >>> why
    'the file ends inside the XML (truncated, 5 bytes unfinished); read what came before, closed 2 open elements'
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    stack: list[str] = []
    good: list = [None]  # (byte offset just after the last element that closed, names open)

    def start(name, _attrs):
        stack.append(name)
        if len(stack) > MAX_OPEN_ELEMENTS:
            raise _Refused

    def end(_name):
        stack.pop()
        # At an end tag expat points to its "</"; after an empty element "<a/>", past it.
        at = parser.CurrentByteIndex
        if data.startswith(b"</", at):
            at = data.find(b">", at) + 1
        if at > 0:
            good[0] = (at, tuple(stack))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Refused:
        return None
    except expat.ExpatError as exc:
        error = exc
    else:
        return None  # it parses: nothing to salvage
    if good[0] is None:
        return None
    cut, still_open = good[0]
    if not still_open:
        rest = len(data[cut:].lstrip())
        return data[:cut], (f"{rest:,} bytes after the end of the XML document are not part of "
                            "it (trailing garbage); ignored them")
    fixed = data[:cut] + b"".join(b"</" + n.encode() + b">" for n in reversed(still_open))
    lost = len(data) - cut
    reason = expat.ErrorString(error.code)
    if error.code in (expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
                      expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
                      expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR]):
        what = f"the file ends inside the XML (truncated, {lost:,} bytes unfinished)"
    else:
        what = (f"the XML breaks at line {error.lineno}, column {error.offset} ({reason}); "
                f"the {lost:,} bytes from there on are lost")
    return fixed, (f"{what}; read what came before, closed {len(still_open)} open element"
                   f"{'s' if len(still_open) != 1 else ''}")
