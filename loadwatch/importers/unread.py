"""Files of activity formats loadwatch does not read, named so that they are listed.

A folder walk reads FIT, GPX, TCX (and exports); a file of another activity format
would otherwise pass without a word, and a folder of only such files would say "no
activities found". Each is listed as skipped with its format named, so the athlete
knows to export it as FIT, GPX or TCX. The formats are told by their extension
(their contents are XML or text that says little more), except OpenTracks' CSV,
told by its header row (``time,trackpoint_type,latitude,longitude,...``), which is
not a Strava ``activities.csv`` in another language.
"""

from __future__ import annotations

from pathlib import Path

from loadwatch.importers.base import Skip

FORMATS = {
    ".kml": "a KML file (Google Earth; OpenTracks and Google export tracks so)",
    ".kmz": "a KMZ file (zipped KML; Google Earth, OpenTracks)",
    ".sml": "a Suunto SML file (Suunto app / Movescount)",
    ".hrm": "a Polar HRM file (Polar ProTrainer / Precision Performance)",
    ".pwx": "a TrainingPeaks PWX file",
    ".slf": "a Sigma SLF file (Sigma Data Center)",
    ".smf": "a Sigma SMF file (Sigma Data Center)",
}
"""Extensions of activity formats loadwatch does not read, and how each is named."""

OPENTRACKS_CSV = "an OpenTracks CSV track"

_HOW = "a format loadwatch does not read; export the activity as FIT, GPX or TCX to count it"


def unread_format(name: str) -> str | None:
    """The format of a file named ``name`` that loadwatch does not read, or None.

    >>> unread_format("Morning.SML"), unread_format("ride.kml.gz"), unread_format("run.fit")
    ('a Suunto SML file (Suunto app / Movescount)', 'a KML file (Google Earth; OpenTracks \
and Google export tracks so)', None)
    """
    lower = name.lower().removesuffix(".gz")
    dot = lower.rfind(".")
    return FORMATS.get(lower[dot:]) if dot >= 0 else None


def skip_reason(fmt: str) -> str:
    """The skip reason for a file of format ``fmt`` (a :data:`FORMATS` value)."""
    return f"{fmt}, {_HOW}"


def is_opentracks_csv(head: bytes) -> bool:
    """Whether the first bytes of a CSV are an OpenTracks track export: its header row
    names ``trackpoint_type`` beside ``latitude`` and ``longitude``.

    >>> is_opentracks_csv(b'"time","trackpoint_type","latitude","longitude","altitude"\\n')
    True
    >>> is_opentracks_csv(b"Activity ID,Activity Date,Activity Name\\n")
    False
    """
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"trackpoint_type" in first and b"latitude" in first and b"longitude" in first


def format_of(path: Path) -> str | None:
    """The unread format of the file at ``path`` (by name, and a CSV by its first line),
    or None: a file loadwatch reads, or one that is no activity format it knows."""
    fmt = unread_format(path.name)
    if fmt or not path.name.lower().endswith(".csv"):
        return fmt
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    return OPENTRACKS_CSV if is_opentracks_csv(head) else None


def refuse_opentracks_csv(head: bytes) -> None:
    """Raise :class:`Skip` naming the format when ``head`` is an OpenTracks CSV."""
    if is_opentracks_csv(head):
        raise Skip(skip_reason(OPENTRACKS_CSV))
