"""The pain diary: reading and appending ``pain.csv``, red flags, episodes, the load before them.

``pain.csv`` sits in the athlete's folder, one entry a line::

    date,severity,location,side,onset,symptoms,notes
    2024-10-11,4,inner knee,left,gradual,tightness;stiffness,after the hill session
    2024-10-14,0,,,,,easy 5 km pain-free
    2024-11-02,7,inner knee,left,sudden,twist;weight_bearing_pain;swelling,slipped on a root

=========  =====================================================================
column     meaning
=========  =====================================================================
date       local calendar day, ``YYYY-MM-DD``
severity   whole number 0-10; 0 records a pain-free day
location   free text; known names are recognised (:func:`locate`), e.g. "medial
           knee" and "inside of the knee" both become ``medial_knee``,
           "inner-knee"
side       ``left``, ``right``, ``both`` or empty
onset      ``gradual``, ``sudden`` or empty (how this pain began)
symptoms   ``;``-separated from :data:`SYMPTOMS`, plus the injury moment when
           there was one: ``twist``, ``blow`` or ``fall`` (:data:`INJURY_MOMENTS`)
notes      free text (quote it if it has commas)
=========  =====================================================================

"Pain after a blow, twist or fall" is recorded as the moment among the symptoms:
``twist;weight_bearing_pain``. Reading forgives case, spaces, a UTF-8 byte-order
mark, blank lines, CRLF line ends, a diary saved by Excel (Windows-1252 or UTF-16,
``;`` or tabs between fields, extra columns: read with a note), ``giving way`` for ``giving_way`` and a few
plain variants (``swollen``, ``gave way``, ``twisted``: :data:`ALIASES`). A row
that still breaks a rule costs one line in :attr:`Diary.errors` naming the file,
the line and the problem; the other rows count.

Red flags (:func:`red_flags`) are the signs DOMAIN.md lists for an acute injury
rather than overload; they become ``pain_red_flag`` flags that tell the runner,
first, to get it checked. Episodes (:func:`episodes`) group pain days;
:func:`link` lines each episode up with the load flags raised in the 21 days
before it began and on the day itself (pain that starts on the day of a spike
run belongs to that run), and :func:`patterns` compares that with pain-free
stretches of the same length. loadwatch never diagnoses: every sentence here
says what was recorded and what came before it.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from loadwatch import fileio
from loadwatch.flags import EVIDENCE, Flag, severity_rank
from loadwatch.numbers import INTEGER
from loadwatch.safetext import guard_formula, one_line, unguard_formula
from loadwatch.textcodec import Decoded, decode_text

HEADER = ("date", "severity", "location", "side", "onset", "symptoms", "notes")
SIDES = ("left", "right", "both")
ONSETS = ("gradual", "sudden")
SYMPTOMS = (
    "swelling", "bruising", "locking", "catching", "clicking", "grinding", "instability",
    "giving_way", "pop", "weight_bearing_pain", "night_pain", "stiffness", "tightness",
    "reduced_range", "pinpoint_pain", "hop_pain", "stopped_running",
)
INJURY_MOMENTS = ("twist", "blow", "fall")
"""Words for the moment of an injury, recorded among the symptoms."""
STRESS_FRACTURE_SIGNS = ("pinpoint_pain", "hop_pain", "night_pain", "stopped_running")
"""Sharp pin-point bone pain, pain on hopping, night pain, pain that stopped the run: signs of
a stress fracture (medial femoral condyle, tibial plateau), red flags like the acute ones."""
STATUS_WORDS = ("assessed", "cleared")
"""Recorded among the symptoms (``loadwatch pain add --assessed``), or as a word in the notes:
a clinician has seen the knee, so earlier red flags are dealt with."""
MILD_SYMPTOMS = ("clicking", "grinding", "stiffness", "tightness", "reduced_range")
"""Symptoms that go with overuse and are data, not alarms."""

ALIASES = {
    "lock": "locking", "locked": "locking", "catch": "catching", "click": "clicking",
    "grind": "grinding", "unstable": "instability", "gave_way": "giving_way",
    "gives_way": "giving_way", "popped": "pop", "popping": "pop", "swollen": "swelling",
    "bruise": "bruising", "bruised": "bruising", "weight_bearing": "weight_bearing_pain",
    "stiff": "stiffness", "tight": "tightness", "twisted": "twist", "fell": "fall",
    "pin_point": "pinpoint_pain", "pinpoint": "pinpoint_pain", "pin_point_pain": "pinpoint_pain",
    "point_tenderness": "pinpoint_pain", "hopping": "hop_pain", "pain_hopping": "hop_pain",
    "pain_on_hopping": "hop_pain", "night": "night_pain", "pain_at_night": "night_pain",
    "stopped": "stopped_running", "had_to_stop": "stopped_running",
    "stopped_the_run": "stopped_running", "cant_run": "stopped_running",
    "checked": "assessed", "seen": "assessed", "physio": "assessed", "clear": "cleared",
}
SIDE_ALIASES = {"l": "left", "r": "right", "bilateral": "both"}

MAX_GAP_DAYS = 7
"""Pain entries at most this many days apart belong to one episode. [days]"""

WINDOW_DAYS = 21
"""Default look-back before an episode's start for its load flags. [days]"""

MIN_EPISODES = 3
"""Fewer episodes than this are too few to call a pattern."""

RED_FLAG_SOURCE = (
    "Acute knee injury signs: Bunt et al. 2018 Am Fam Physician 98:576 (trauma, swelling, "
    "mechanical symptoms, instability); Stiell et al. 1996 JAMA 275:611 (weight bearing)"
)
SEE_SOMEONE = "get it checked by a sports physical therapist or doctor before running on it"
CLICKING_NOTE = (
    "Clicking or grinding alone is common and not a sign of injury; it matters when it comes "
    "with pain, swelling, locking or the knee giving way."
)

ENTRY_COLUMNS = ["line", "date", "severity", "location", "location_key", "location_label",
                 "side", "onset", "symptoms", "notes"]
_NEWLINE = re.compile(r"\r\n|\n|\r")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KNEE = r"knees?"


def _beside_knee(words: str) -> str:
    """A pattern for ``words`` a few characters before or after "knee" ("knee, inner side")."""
    return rf"\b({words})\b.{{0,15}}\b{_KNEE}\b|\b{_KNEE}\b.{{0,15}}\b({words})\b"


# (key, readable label, pattern): the first match wins, so specific structures come
# before the regions that contain them ("medial meniscus" is the meniscus, not the inner knee).
LOCATIONS: tuple[tuple[str, str, str], ...] = (
    ("pes_anserine", "pes anserine", r"\bpes\b|anserin"),
    ("mcl", "MCL", r"\bmcl\b|medial collateral"),
    ("lcl", "LCL", r"\blcl\b|lateral collateral"),
    ("meniscus", "meniscus", r"menisc"),
    ("it_band", "IT band", r"\bit ?band\b|\bitb\b|iliotibial"),
    ("patellofemoral", "kneecap",
     rf"\bknee ?caps?\b|patell|\bpfps?\b|\b(front|anterior)\b.{{0,12}}\b{_KNEE}\b"),
    ("back_of_knee", "back of knee",
     rf"\b(back|behind|posterior)\b.{{0,12}}\b{_KNEE}\b|poplite"),
    ("medial_knee", "inner-knee", _beside_knee("inner|medial|inside")),
    ("lateral_knee", "outer-knee", _beside_knee("outer|lateral|outside")),
    ("knee", "knee", rf"\b{_KNEE}\b"),
    ("adductor", "adductor", r"adductor|\bgroin\b|inner thigh"),
    ("hamstring", "hamstring", r"hamstring"),
    ("quadriceps", "quadriceps", r"\bquads?\b|quadricep"),
    ("glute", "glute", r"\bglute|buttock|piriformis"),
    ("hip", "hip", r"\bhips?\b"),
    ("achilles", "Achilles", r"achilles"),
    ("calf", "calf", r"\bcal(f|ves)\b|gastrocnemius|soleus"),
    ("shin", "shin", r"\bshins?\b|tibia|\bmtss\b"),
    ("ankle", "ankle", r"\bankles?\b"),
    ("foot", "foot", r"\bfoot\b|\bfeet\b|plantar|\bheels?\b|\barch\b|metatars|\btoes?\b"),
    ("lower_back", "lower back", r"\bback\b|lumbar"),
)
_LOCATION_RES = tuple((key, label, re.compile(rx)) for key, label, rx in LOCATIONS)


class DiaryError(ValueError):
    """A pain diary that cannot be read or written, or an entry that breaks its rules.

    The message is one line naming the file (where there is one) and the problem.
    """


@dataclass(frozen=True)
class PainEntry:
    """One diary entry, validated (:func:`parse_entry`).

    Attributes
    ----------
    date : datetime.date
        Local calendar day.
    severity : int
        Pain 0-10; 0 is a pain-free day. [0-10]
    location : str
        The runner's own words ("" when not given).
    side, onset : str or None
        ``left``/``right``/``both`` and ``gradual``/``sudden``.
    symptoms : tuple of str
        Canonical names from :data:`SYMPTOMS` and :data:`INJURY_MOMENTS`.
    notes : str
    line : int or None
        Line in the file where the entry starts, for messages.
    """

    date: date
    severity: int
    location: str = ""
    side: str | None = None
    onset: str | None = None
    symptoms: tuple[str, ...] = ()
    notes: str = ""
    line: int | None = None

    @property
    def location_key(self) -> str:
        return locate(self.location)[0]

    @property
    def location_label(self) -> str:
        return locate(self.location)[1]

    def to_row(self) -> list[str]:
        """The entry as the seven CSV fields."""
        return [self.date.isoformat(), str(self.severity), self.location, self.side or "",
                self.onset or "", ";".join(self.symptoms), self.notes]

    def record(self) -> dict:
        """The entry as a row of :attr:`Diary.entries`."""
        key, label = locate(self.location)
        return {"line": self.line, "date": self.date, "severity": self.severity,
                "location": self.location, "location_key": key, "location_label": label,
                "side": self.side, "onset": self.onset, "symptoms": self.symptoms,
                "notes": self.notes}


@dataclass
class Diary:
    """A read pain diary.

    Attributes
    ----------
    entries : pandas.DataFrame
        Valid entries sorted by date then line, columns :data:`ENTRY_COLUMNS`: ``date``
        (datetime64, local midnight), ``severity`` (int64), ``symptoms`` (tuples),
        ``location_key``/``location_label`` from :func:`locate`, the rest strings or None.
    errors : list of str
        One line per bad row: file, line and problem.
    notes : list of str
        One line per thing read in another way than the diary was written (a
        Windows-1252 or UTF-16 file, ``;`` between fields, extra columns).
    """

    entries: pd.DataFrame = field(default_factory=lambda: _frame([]))
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Episode:
    """A run of pain entries (severity >= 1) at most :data:`MAX_GAP_DAYS` apart.

    Attributes
    ----------
    start, end : datetime.date
        First and last pain day.
    peak : int
        Highest severity. [0-10]
    location, location_key : str
        Readable label and key of the place recorded most often (ties: the first);
        "" when no entry names one.
    side : str or None
        ``left``, ``right``, or ``both`` (also when both sides were recorded).
    onset : str or None
        The first onset recorded.
    red_flags : tuple of str
        Every red-flag reason of its entries (:func:`red_flags`), first seen first.
    symptoms : tuple of str
        Every symptom recorded, first seen first.
    entries : int
        Number of pain entries.
    began_acute : bool
        Its first day had a sudden onset, a red flag or an injury moment (a twist,
        blow or fall): an injury, not a load pattern.
    """

    start: date
    end: date
    peak: int
    location: str
    location_key: str
    side: str | None
    onset: str | None
    red_flags: tuple[str, ...]
    symptoms: tuple[str, ...]
    entries: int
    began_acute: bool = False


@dataclass(frozen=True)
class Link:
    """An episode and the load flags raised in its look-back window (:func:`link`)."""

    episode: Episode
    flags: tuple[Flag, ...]
    window_days: int
    sentence: str
    summary: str


@dataclass(frozen=True)
class PatternCount:
    """How often one flag code came before pain and before pain-free stretches."""

    code: str
    before_pain: int
    before_pain_free: int


@dataclass(frozen=True)
class Patterns:
    """Flag codes before pain against the base rate (:func:`patterns`).

    Attributes
    ----------
    window_days : int
        Look-back before each start. [days]
    episodes : int
        Episodes counted: those with a full look-back inside the timeline.
    left_out : int
        Episodes before the timeline had ``window_days`` of data to look back on.
    pain_free_windows : int
        Pain-free stretches of ``window_days + 1`` days, the base-rate windows.
    counts : tuple of PatternCount
        Per flag code, most often before pain first.
    """

    window_days: int
    episodes: int
    left_out: int
    pain_free_windows: int
    counts: tuple[PatternCount, ...]

    @property
    def enough(self) -> bool:
        """Whether there are enough episodes to call a pattern."""
        return self.episodes >= MIN_EPISODES

    @property
    def summary(self) -> str:
        """The result in plain words, with the counts."""
        return _patterns_summary(self)

    def to_json(self) -> dict:
        return {
            "window_days": self.window_days,
            "episodes": self.episodes,
            "left_out": self.left_out,
            "pain_free_windows": self.pain_free_windows,
            "enough": self.enough,
            "codes": [{"code": c.code, "before_pain": c.before_pain,
                       "before_pain_share": _share(c.before_pain, self.episodes),
                       "before_pain_free": c.before_pain_free,
                       "before_pain_free_share": _share(c.before_pain_free,
                                                        self.pain_free_windows)}
                      for c in self.counts],
            "summary": self.summary,
        }


# -- entries ------------------------------------------------------------------------------

def locate(text: str) -> tuple[str, str]:
    """The canonical key and readable label of a location in the runner's words.

    Parameters
    ----------
    text : str
        Free text ("Medial knee", "inside of the left knee", "ITB").

    Returns
    -------
    tuple of str
        ``(key, label)`` from :data:`LOCATIONS`; ``("other", text)`` for a place not
        recognised; ``("", "")`` for none.

    Examples
    --------
    >>> locate("inside of the knee")
    ('medial_knee', 'inner-knee')
    >>> locate("Pes anserine bursa")
    ('pes_anserine', 'pes anserine')
    >>> locate("under the big toe")[0]
    'foot'
    >>> locate("Left wrist")
    ('other', 'Left wrist')
    """
    text = " ".join(str(text).split())
    if not text:
        return "", ""
    words = re.sub(r"[-_/,;:()]+", " ", text.lower())
    for key, label, rx in _LOCATION_RES:
        if rx.search(words):
            return key, label
    return "other", text


def parse_entry(fields: Mapping[str, object]) -> PainEntry:
    """Validate one entry given as fields named like the CSV columns.

    Parameters
    ----------
    fields : mapping
        ``date`` (``YYYY-MM-DD`` or a date), ``severity`` (0-10), and optionally
        ``location``, ``side``, ``onset``, ``symptoms`` (``;``-separated text or a
        list), ``notes``, ``line``.

    Returns
    -------
    PainEntry

    Raises
    ------
    DiaryError
        Every problem found, in one line separated by ``; ``.
    """
    problems: list[str] = []
    day = _parse_date(_text(fields.get("date")), problems)
    severity = _parse_severity(_text(fields.get("severity")), problems)
    side = _parse_choice("side", _text(fields.get("side")), SIDES, SIDE_ALIASES, problems)
    onset = _parse_choice("onset", _text(fields.get("onset")), ONSETS, {}, problems)
    symptoms = _parse_symptoms(_text(fields.get("symptoms")), problems)
    if problems:
        raise DiaryError("; ".join(problems))
    return PainEntry(date=day, severity=severity, location=_text(fields.get("location")),
                     side=side, onset=onset, symptoms=symptoms,
                     notes=_text(fields.get("notes")), line=fields.get("line"))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def _parse_date(text: str, problems: list[str]) -> date | None:
    if not text:
        problems.append("date is missing")
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    problems.append(f"date '{text}' is not a day as YYYY-MM-DD")
    return None


def _parse_severity(text: str, problems: list[str]) -> int | None:
    if not text:
        problems.append("severity is missing")
    elif not INTEGER.fullmatch(text) or int(text) > 10:
        problems.append(f"severity '{text}' is not a whole number from 0 to 10")
    else:
        return int(text)
    return None


def _parse_choice(name: str, text: str, allowed: tuple[str, ...], aliases: dict[str, str],
                  problems: list[str]) -> str | None:
    word = text.lower()
    word = aliases.get(word, word)
    if not word:
        return None
    if word not in allowed:
        problems.append(f"{name} '{text}' is not one of {', '.join(allowed)} (or empty)")
        return None
    return word


def _parse_symptoms(text: str, problems: list[str]) -> tuple[str, ...]:
    known = set(SYMPTOMS) | set(INJURY_MOMENTS) | set(STATUS_WORDS)
    names, unknown = [], []
    for raw in re.split(r"[;,]", text):
        word = re.sub(r"[\s-]+", "_", raw.strip().lower())
        word = ALIASES.get(word, word)
        if not word:
            continue
        (names if word in known else unknown).append(word if word in known else raw.strip())
    if unknown:
        problems.append(f"unknown symptom {', '.join(repr(u) for u in unknown)} (known: "
                        f"{', '.join(SYMPTOMS + INJURY_MOMENTS + STATUS_WORDS)})")
    return tuple(dict.fromkeys(names))


# -- reading ------------------------------------------------------------------------------

def read_diary(path: str | os.PathLike) -> Diary:
    """Read a ``pain.csv``.

    Parameters
    ----------
    path : path
        The diary; a missing file is an empty diary.

    Returns
    -------
    Diary
        The valid entries, one error line per bad row (``"<file>, line <n>: <problem>"``,
        lines counted from 1 at the header) and one note per thing read in another way
        than the diary was written (encoding, separator, extra columns).

    Raises
    ------
    DiaryError
        The file cannot be read, is not a regular file (a FIFO, a device), or its
        header lacks a column of ``date,severity,location,side,onset,symptoms,notes``.

    Notes
    -----
    Blank lines and rows of empty fields are skipped; missing trailing fields are
    empty; extra trailing empty fields (spreadsheet residue) are ignored. A diary
    saved by Excel is read as it is, with a note: Windows-1252 or UTF-16 text
    (:func:`loadwatch.textcodec.decode_text`), ``;`` or tab between fields, columns
    in another order or extra columns (ignored). A cell Excel would have taken for
    a formula is stored with a leading ``'`` (:func:`append_entry`); the ``'`` is
    dropped on reading. Reading takes time linear in the file's size: a row may
    span at most :data:`MAX_ROW_LINES` lines, so a stray quote costs its own row
    only, never a re-read of the rest of the file.
    """
    path = Path(path)
    try:
        data = fileio.read_regular(path)
    except FileNotFoundError:
        return Diary()
    except OSError as exc:
        raise DiaryError(f"{path}: cannot read the pain diary ({exc.strerror or exc})") from None
    layout, rows = _layout(path, data)
    entries, errors = [], []
    for line, row, problem in rows:
        try:
            if row is None:
                raise DiaryError(problem)
            entries.append(parse_entry(_fields(row, line, layout.columns)))
        except DiaryError as exc:
            errors.append(f"{path}, line {line}: {exc}")
    return Diary(_frame(entries), errors, list(layout.notes))


MAX_ROW_LINES = 50
"""Most physical lines one diary row may span (a note with line breaks). [lines]"""



@dataclass(frozen=True)
class _Layout:
    """How one diary file is written: encoding, separator, columns."""

    text: Decoded
    delimiter: str = ","
    columns: tuple[str | None, ...] = HEADER
    newline: str = "\n"
    notes: tuple[str, ...] = ()


_SEPARATORS = {",": "','", ";": "';'", "\t": "tabs"}


def _layout(path: Path, data: bytes) -> tuple[_Layout, Iterator[tuple[int, list[str] | None, str]]]:
    """The diary's layout and its data rows ``(first line, fields, problem)``.

    Raises
    ------
    DiaryError
        The header is not the diary's.
    """
    text = decode_text(data)
    lines = _lines(text.text)
    notes = []
    if not text.is_utf8:
        notes.append(f"{path}: saved as {text.label}, not UTF-8; read as {text.label} "
                     "(Excel's 'CSV UTF-8' avoids this)")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return _Layout(text, notes=tuple(notes)), iter(())
    delimiter, names = _header(lines[first])
    newline = "\r\n" if "\r\n" in lines[first] else "\n"
    known = [n for n in names if n in HEADER]
    if set(HEADER) - set(known) or len(known) != len(set(known)):
        found = lines[first].rstrip("\r\n")[:80]
        raise DiaryError(f"{path}: the header must be '{','.join(HEADER)}', found '{found}'")
    if delimiter != ",":
        notes.append(f"{path}: fields separated by {_SEPARATORS[delimiter]}, not commas; "
                     "read as such")
    extra = [n or "(no name)" for n in names if n not in HEADER]
    if extra:
        notes.append(f"{path}: column{'s' if len(extra) > 1 else ''} "
                     f"{', '.join(repr(n) for n in extra)} "
                     f"{'are' if len(extra) > 1 else 'is'} not part of the diary; ignored")
    columns = tuple(n if n in HEADER else None for n in names)
    layout = _Layout(text, delimiter, columns, newline, tuple(notes))
    return layout, _rows(lines, first + 1, delimiter)


def _lines(text: str) -> list[str]:
    """Physical lines, each with its line end (CRLF, LF or a lone CR)."""
    if not text:
        return []
    ends = [m.end() for m in _NEWLINE.finditer(text)]
    starts = [0, *ends]
    if starts[-1] == len(text):
        starts.pop()
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _header(line: str) -> tuple[str, list[str]]:
    """The separator and the header's names, lower case, trailing empty ones dropped."""
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = [cell.strip().lower().lstrip("\ufeff") for cell in cells]
        while names and not names[-1]:
            names.pop()
        if set(HEADER) <= set(names):
            return delimiter, names
    return ",", []


def _rows(lines: list[str], start: int,
          delimiter: str = ",") -> Iterator[tuple[int, list[str] | None, str]]:
    """``(first line, fields, problem)`` per non-blank CSV row from ``lines[start]`` on.

    A row that is not valid CSV (a stray or unclosed double quote) comes as
    ``(line, None, problem)`` and reading starts again on the next physical line, so
    one unclosed quote cannot swallow the rest of the diary into a note. Each row is
    parsed from at most :data:`MAX_ROW_LINES` lines, so the work is linear.
    """
    i = start
    while i < len(lines):
        reader = csv.reader(lines[i:i + MAX_ROW_LINES], delimiter=delimiter, strict=True)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = str(exc)
            if problem == "unexpected end of data" and i + MAX_ROW_LINES < len(lines):
                problem = f"a double quote left open for more than {MAX_ROW_LINES} lines"
            yield i + 1, None, f"not valid CSV ({problem}); check the double quotes"
            i += 1
            continue
        if any(cell.strip() for cell in row):
            yield i + 1, row, ""
        i += max(reader.line_num, 1)


def _fields(row: list[str], line: int, columns: tuple[str | None, ...] = HEADER) -> dict:
    cells = list(row)
    while len(cells) > len(columns) and not cells[-1].strip():
        cells.pop()
    if len(cells) > len(columns):
        raise DiaryError(f"{len(cells)} fields, expected {len(columns)} "
                         "(put notes that hold commas in double quotes)")
    out = {name: unguard_formula(cell) for name, cell in zip(columns, cells, strict=False) if name}
    return out | {"line": line}


def _frame(entries: Sequence[PainEntry]) -> pd.DataFrame:
    df = pd.DataFrame([e.record() for e in entries], columns=ENTRY_COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    df["severity"] = df["severity"].astype("int64")
    # pandas turns None into NaN in a column of mixed strings; keep None for "not given".
    for col in ("side", "onset"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df.sort_values(["date", "line"], kind="stable").reset_index(drop=True)


# -- appending ----------------------------------------------------------------------------

def append_entry(path: str | os.PathLike, entry: PainEntry | Mapping[str, object]) -> None:
    """Add one entry to a ``pain.csv``, atomically.

    Parameters
    ----------
    path : path
        The diary; created with its header if missing. A symbolic link is written
        through; a FIFO, device or folder is refused.
    entry : PainEntry or mapping
        The entry, or its fields as for :func:`parse_entry`.

    Raises
    ------
    DiaryError
        The entry breaks a rule, the existing file has another header, cannot hold
        the entry's characters in its encoding, is not a regular file, or cannot be
        written (one line naming the file).

    Notes
    -----
    Under an exclusive ``fcntl.flock`` on the hidden sidecar ``.pain.csv.lock``
    (left in place: removing it would race with the next writer), the current bytes
    are read, the new row is added after them, and the whole file is written with
    :func:`loadwatch.fileio.write_atomic` (a temporary file in the same folder,
    fsynced, moved over the diary; permissions and owner kept). A reader or a crash
    therefore sees the old diary or the new one, never half of one, and two writers
    queue instead of losing an entry. The existing bytes are kept exactly, invalid
    rows included; the row takes the file's line ending (CRLF or LF), encoding,
    separator and column order (a diary saved by Excel stays readable by Excel),
    and a last line without an ending is ended first. A note holding a line break is
    quoted, so it reads back as written. Location and notes that begin with
    ``= + - @`` (or a tab or CR) get a leading ``'``, so a spreadsheet shows them
    as text instead of running them as a formula; :func:`read_diary` drops it.
    """
    path = Path(path)
    fields = _entry_fields(entry)
    try:
        row = parse_entry(fields).to_row()
    except DiaryError as exc:
        raise DiaryError(f"{path}: cannot add the entry: {exc}") from None
    try:
        target = fileio.check_target(path)
        with _locked(target):
            target = fileio.check_target(path)
            old = fileio.read_regular(target) if target.exists() else b""
            fileio.write_atomic(target, old + _addition(path, old, row))
    except fileio.UnsafeTarget as exc:
        raise DiaryError(str(exc)) from None
    except OSError as exc:
        raise DiaryError(f"{path}: cannot write the pain diary ({exc.strerror or exc})") from None


def _entry_fields(entry: PainEntry | Mapping[str, object]) -> Mapping[str, object]:
    if isinstance(entry, PainEntry):
        return dict(zip(HEADER, entry.to_row(), strict=True))
    return entry


def _addition(path: Path, old: bytes, row: list[str]) -> bytes:
    """The bytes that follow ``old``: the header if it has none, then ``row``, as ``old`` is written."""
    layout, rows = _layout(path, old)
    values = dict(zip(HEADER, row, strict=True))
    for name in ("location", "notes"):
        values[name] = guard_formula(values[name])
    cells = [values.get(name, "") if name else "" for name in layout.columns]
    header = not layout.text.text.strip()
    lines = ([_csv_line(HEADER, layout.newline, layout.delimiter)] if header else [])
    lines.append(_csv_line(cells, layout.newline, layout.delimiter))
    text = layout.text.text
    ended = not text or text.endswith(("\n", "\r"))
    addition = ("" if ended else layout.newline) + "".join(lines)
    try:
        encoded = addition.encode(layout.text.codec)
    except UnicodeEncodeError as exc:
        raise DiaryError(f"{path}: cannot add the entry: the diary is saved as "
                         f"{layout.text.label}, which cannot hold {exc.object[exc.start]!r}; "
                         "save it as CSV UTF-8") from None
    return encoded


def _csv_line(cells: Sequence[str], newline: str, delimiter: str = ",") -> str:
    # The writer quotes only the characters of its own line ending: writing with
    # CRLF quotes a lone CR or LF inside a note too, then the file's ending goes on.
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return out.getvalue().removesuffix("\r\n") + newline


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    with open(target.with_name(f".{target.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# -- red flags ----------------------------------------------------------------------------

def red_flags(entry) -> list[str]:
    """The signs in an entry that point to an acute injury rather than overload.

    Parameters
    ----------
    entry : PainEntry or a row of Diary.entries
        Anything with ``severity``, ``onset`` and ``symptoms`` attributes.

    Returns
    -------
    list of str
        The reasons in plain words, empty when there is none.

    Notes
    -----
    One reason per rule: a sudden onset (with pain, severity >= 1); a pop;
    locking or catching; instability or giving way; swelling together with
    bruising; pain on weight bearing after a twist, blow or fall; and the signs
    of a stress fracture (:data:`STRESS_FRACTURE_SIGNS`: sharp pin-point pain,
    pain on hopping, night pain, pain that stopped the run). Each alone is
    enough. Clicking or grinding alone is not a red flag (:func:`notes_on`). These
    go with a meniscus tear, a ligament sprain, a fracture or a dislocation, which
    need a clinician's examination, not load management [1]_, [2]_.

    References
    ----------
    .. [1] C. W. Bunt, C. E. Jonas and J. G. Chang, "Knee pain in adults and
       adolescents: the initial evaluation," Am. Fam. Physician, vol. 98, no. 9,
       pp. 576-585, 2018.
    .. [2] I. G. Stiell et al., "Prospective validation of a decision rule for the
       use of radiography in acute knee injuries," JAMA, vol. 275, no. 8,
       pp. 611-615, 1996, doi:10.1001/jama.1996.03530320035031.

    Examples
    --------
    >>> red_flags(PainEntry(date(2024, 10, 11), 6, "inner knee", onset="sudden",
    ...                     symptoms=("pop", "swelling")))
    ['sudden onset', 'a pop']
    >>> red_flags(PainEntry(date(2024, 10, 11), 3, "kneecap", symptoms=("clicking",)))
    []
    """
    s = set(entry.symptoms)
    reasons = []
    if entry.onset == "sudden" and entry.severity >= 1:
        reasons.append("sudden onset")
    if "pop" in s:
        reasons.append("a pop")
    for group in (("locking", "catching"), ("instability", "giving_way")):
        present = [_words(x) for x in group if x in s]
        if present:
            reasons.append(" and ".join(present))
    if {"swelling", "bruising"} <= s:
        reasons.append("swelling with bruising")
    moments = [m for m in INJURY_MOMENTS if m in s]
    if "weight_bearing_pain" in s and moments:
        reasons.append("pain on weight bearing after a " + " and a ".join(moments))
    fracture = [_FRACTURE_WORDS[x] for x in STRESS_FRACTURE_SIGNS if x in s]
    if fracture:
        reasons.append(f"{join_words(fracture)} (signs of a stress fracture)")
    return reasons


_FRACTURE_WORDS = {"pinpoint_pain": "sharp pin-point pain", "hop_pain": "pain on hopping",
                   "night_pain": "pain at night", "stopped_running": "pain that stopped the run"}


def assessed(entry) -> bool:
    """Whether an entry records that the knee was assessed or cleared by a clinician."""
    return bool(set(entry.symptoms) & set(STATUS_WORDS)) or bool(
        _STATUS_NOTE.search(str(entry.notes or "")))


_STATUS_NOTE = re.compile(r"\b(assessed|cleared)\b", re.IGNORECASE)


def notes_on(entry) -> list[str]:
    """Plain remarks on an entry that are not red flags.

    Parameters
    ----------
    entry : PainEntry or a row of Diary.entries

    Returns
    -------
    list of str
        :data:`CLICKING_NOTE` for clicking or grinding with no red flag, and a
        reminder of the signs to watch for after an injury moment with no red flag.
    """
    return _notes(entry.symptoms, bool(red_flags(entry)))


def _notes(symptoms: Iterable[str], flagged: bool) -> list[str]:
    s = set(symptoms) - set(STATUS_WORDS)
    if flagged:
        return []
    out = []
    # "Clicking alone is common" is said only where it is alone with mild symptoms: never
    # beside swelling, locking or instability.
    if s & {"clicking", "grinding"} and s <= set(MILD_SYMPTOMS):
        out.append(CLICKING_NOTE)
    moments = [m for m in INJURY_MOMENTS if m in s]
    if moments:
        out.append(f"You recorded a {' and a '.join(moments)}: if swelling, locking, giving way "
                   f"or pain on weight bearing follow, {SEE_SOMEONE}.")
    return out


def red_flag_flags(diary: Diary) -> list[Flag]:
    """A ``pain_red_flag`` for every diary entry with a red flag (:func:`red_flags`).

    Parameters
    ----------
    diary : Diary

    Returns
    -------
    list of Flag
        In date order: severity ``high``, evidence ``advice``, value the entry's
        severity [0-10], no threshold, dated the entry's day. The message starts
        with getting it checked.
    """
    out = []
    for entry in diary.entries.itertuples(index=False):
        reasons = red_flags(entry)
        if not reasons:
            continue
        day = entry.date.date()
        out.append(Flag(
            code="pain_red_flag", kind="evidence", severity="high", start=day, last_date=day,
            value=float(entry.severity), threshold=None, evidence="advice",
            source=RED_FLAG_SOURCE, steps=(("high", day),),
            message=(f"{SEE_SOMEONE[0].upper()}{SEE_SOMEONE[1:]}: the "
                     f"{pain_words(entry.location_label, entry.side)} you recorded on {_day(day)} "
                     f"({entry.severity}/10) came with {join_words(reasons)}, which usually means an "
                     "acute injury (meniscus, ligament or bone) rather than overload; loadwatch "
                     "does not diagnose."),
        ))
    return out


def pain_now(diary: Diary, as_of: date, window_days: int = MAX_GAP_DAYS) -> int | None:
    """The pain going on as of ``as_of``: the latest entry's severity, if within the window.

    Parameters
    ----------
    diary : Diary
    as_of : datetime.date
    window_days : int, default 7
        How old the latest entry may be to say something about now. [days]

    Returns
    -------
    int or None
        Severity 0-10 of the latest entry on or before ``as_of`` when it is at most
        ``window_days`` old (0: recorded pain-free), else None (nothing recent).
    """
    entries = diary.entries[diary.entries["date"] <= pd.Timestamp(as_of)]
    if entries.empty:
        return None
    latest = entries.sort_values(["date", "line"], kind="stable").iloc[-1]
    if (as_of - latest["date"].date()).days > window_days:
        return None
    return int(latest["severity"])


# -- episodes -----------------------------------------------------------------------------

def episodes(diary: Diary) -> list[Episode]:
    """Group the diary's pain entries (severity >= 1) into episodes.

    Parameters
    ----------
    diary : Diary

    Returns
    -------
    list of Episode
        In date order.

    Notes
    -----
    A new episode starts when the gap to the previous pain entry is more than
    :data:`MAX_GAP_DAYS` days (gap = later date - earlier date, so entries 7 days
    apart belong together and 8 days apart do not), and at a sudden-onset entry:
    an acute event is its own story even in the middle of overuse pain. A
    sudden-onset entry at the same place within 7 days of another sudden-onset
    entry continues its episode (the runner repeating the onset on follow-up days).
    Pain-free entries (severity 0) neither start nor end an episode.
    """
    pain = diary.entries[diary.entries["severity"] >= 1].sort_values(["date", "line"],
                                                                      kind="stable")
    if pain.empty:
        return []
    gap = pain["date"].diff().dt.days
    sudden = pain["onset"].eq("sudden")
    place = pain["location_label"].fillna("").str.lower()
    since_sudden = (pain.loc[sudden, "date"].groupby(place[sudden]).diff().dt.days
                    .reindex(pain.index))
    new = gap.isna() | (gap > MAX_GAP_DAYS) | (sudden & ~(since_sudden <= MAX_GAP_DAYS))
    return [_episode(group) for _, group in pain.groupby(new.cumsum(), sort=True)]


def _episode(group: pd.DataFrame) -> Episode:
    labelled = group[group["location_label"].fillna("") != ""]
    counts = labelled["location_label"].value_counts()
    top = labelled[labelled["location_label"].map(counts) == counts.max()] if len(counts) else None
    sides = set(group["side"].dropna())
    onsets = group["onset"].dropna()
    rows = list(group.itertuples(index=False))
    return Episode(
        start=group["date"].min().date(),
        end=group["date"].max().date(),
        peak=int(group["severity"].max()),
        location=top["location_label"].iloc[0] if top is not None else "",
        location_key=top["location_key"].iloc[0] if top is not None else "",
        side="both" if "both" in sides or len(sides) > 1 else next(iter(sides), None),
        onset=onsets.iloc[0] if len(onsets) else None,
        red_flags=tuple(dict.fromkeys(r for row in rows for r in red_flags(row))),
        symptoms=tuple(dict.fromkeys(s for row in rows for s in row.symptoms)),
        entries=len(group),
        began_acute=any(row.onset == "sudden" or red_flags(row)
                        or set(row.symptoms) & set(INJURY_MOMENTS)
                        for row in rows if row.date == rows[0].date),
    )


# -- linking ------------------------------------------------------------------------------

# Each load flag as a noun phrase, with and without its value.
_PHRASES: dict[str, tuple[str, str]] = {
    "weekly_distance_jump": ("a week with {v:.0f}% more running distance than the week before",
                             "a jump in weekly running distance"),
    "long_run_spike": ("a long run {v:.2f}x your longest in the previous month",
                       "a long run longer than any in the previous month"),
    "return_spike": ("a first run back after a break {v:.2f}x your longest before it",
                     "a first run back after a break longer than before it"),
    "duration_spike": ("a run {v:.2f}x your longest in time in the previous month",
                       "a run longer in time than any in the previous month"),
    "cumulative_ramp": ("weekly distance growing several weeks running ({v:+.0f}% in all)",
                        "weekly distance growing several weeks running"),
    "acwr_high": ("an acute:chronic load ratio of {v:.2f}", "a high acute:chronic load ratio"),
    "run_streak": ("a {v:.0f}-day running streak", "a long running streak"),
    "no_rest_day": ("{v:.0f} days without a rest day", "a long stretch without a rest day"),
    "no_cross_training": ("{v:.0f} days without cross-training",
                          "a long stretch without cross-training"),
    "duration_jump": ("a week with {v:.0f}% more running time than the week before",
                      "a jump in weekly running time"),
    "elevation_jump": ("a week with {v:.0f}% more climbing than the week before",
                       "a jump in weekly climbing"),
    "intensity_jump": ("a week with {v:.0f} hard runs, more than usual",
                       "more hard runs than usual"),
    "monotony_high": ("a week of monotonous training (monotony {v:.1f})",
                      "a week of monotonous training"),
}
_NAMES = {
    "weekly_distance_jump": "a weekly distance jump", "long_run_spike": "a long-run spike",
    "return_spike": "a long first run after a break", "duration_spike": "a long run in time",
    "cumulative_ramp": "weekly distance growing several weeks running",
    "acwr_high": "a high acute:chronic ratio", "run_streak": "a running streak",
    "no_rest_day": "no rest day", "no_cross_training": "no cross-training",
    "duration_jump": "a jump in running time", "elevation_jump": "a jump in climbing",
    "intensity_jump": "more hard runs than usual", "monotony_high": "monotonous training",
}
MAX_MENTIONED = 3
"""At most this many flags are named in an episode's sentence."""


def preceding(episode: Episode, flags: Iterable[Flag],
              window_days: int = WINDOW_DAYS) -> list[Flag]:
    """The load flags active in an episode's look-back window.

    Parameters
    ----------
    episode : Episode
    flags : iterable of Flag
        ``pain_*`` flags are left out.
    window_days : int, default 21
        Days looked back before the start. [days]

    Returns
    -------
    list of Flag
        By date, then code.

    Notes
    -----
    A flag counts when its span ``[date, last_date]`` overlaps
    ``[start - window_days, start]``. The start day itself counts: the diary has
    one date per day, and pain that began on the day of a spike run is the case
    the run most likely caused, not one it followed.
    """
    lo = episode.start - timedelta(days=window_days)
    hits = [f for f in flags
            if not f.code.startswith("pain_") and f.start <= episode.start and f.until >= lo]
    return sorted(hits, key=lambda f: (f.start, f.code))


def link(episodes: Iterable[Episode], flags: Iterable[Flag],
         window_days: int = WINDOW_DAYS, ongoing: Iterable[Episode] = ()) -> list[Link]:
    """Each episode with the load flags raised before it, and the story in words.

    Parameters
    ----------
    episodes : iterable of Episode
    flags : iterable of Flag
        Load flags (``pain_*`` flags are ignored).
    window_days : int, default 21
        Look-back before each start (:func:`preceding`). [days]
    ongoing : iterable of Episode
        Episodes still going on (:func:`ongoing`): "ongoing since", not "lasted until".

    Returns
    -------
    list of Link
        One per episode, in the order given.

    Notes
    -----
    The sentence names at most :data:`MAX_MENTIONED` flags, one per code, the most
    telling first: higher severity, then stronger evidence, then nearer the start,
    then the larger value. A flag still holding on the start day is "during"; one
    that ended before is "n days after". An episode that began suddenly, with a
    red flag or at an injury moment (a twist, blow or fall) is an injury, not a
    load pattern: it is linked to no load flag.
    """
    flags = list(flags)
    still = set(ongoing)
    out = []
    for ep in episodes:
        if acute(ep):
            sentence = (f"{_began(ep)}, {_how_acute(ep)}: that points to an injury, not to the "
                        "training load before it, so loadwatch does not link it to load.")
            out.append(Link(ep, (), window_days, sentence, _summary(ep, sentence, ep in still)))
            continue
        hits = preceding(ep, flags, window_days)
        sentence = _sentence(ep, hits, window_days)
        out.append(Link(ep, tuple(hits), window_days, sentence,
                        _summary(ep, sentence, ep in still)))
    return out


def acute(ep: Episode) -> bool:
    """An episode that began suddenly, with a red flag, or at a twist, blow or fall (on its
    first day: red flags that come later in overuse pain do not make its start an injury)."""
    return ep.began_acute


def _how_acute(ep: Episode) -> str:
    moments = [m for m in INJURY_MOMENTS if m in ep.symptoms]
    if moments:
        return f"at a {' and a '.join(moments)}"
    return "suddenly" if ep.onset == "sudden" else f"with {join_words(list(ep.red_flags))}"


def ongoing(episodes: Sequence[Episode], diary: Diary, as_of: date,
            gap_days: int = MAX_GAP_DAYS) -> list[Episode]:
    """The episode still going on as of ``as_of``: the last one, if its last pain day is at
    most ``gap_days`` back and no pain-free entry came after it."""
    if not episodes:
        return []
    last = episodes[-1]
    if (as_of - last.end).days > gap_days:
        return []
    entries = diary.entries
    later = entries[(entries["date"] > pd.Timestamp(last.end))
                    & (entries["date"] <= pd.Timestamp(as_of))]
    return [] if (later["severity"] == 0).any() else [last]


def _sentence(ep: Episode, hits: list[Flag], window_days: int) -> str:
    began = _began(ep)
    if not hits:
        return (f"{began}. No load flag was raised in the {window_days} days before it began, "
                "nor on that day.")
    ranked = sorted(hits, key=lambda f: (-severity_rank(f.severity), -_evidence_rank(f),
                                         (ep.start - f.until).days, -(_value(f) or 0.0)))
    best: dict[str, Flag] = {}
    for f in ranked:
        best.setdefault(f.code, f)
    mentioned = list(best.values())[:MAX_MENTIONED]
    return f"{began}, {join_words([_timing(f, ep.start) + _phrase(f, ep.start) for f in mentioned])}."


def _evidence_rank(f: Flag) -> int:
    # EVIDENCE runs strongest first.
    return len(EVIDENCE) - EVIDENCE.index(f.evidence) if f.evidence in EVIDENCE else 0


def _timing(f: Flag, start: date) -> str:
    if f.until >= start:
        return "on the same day as " if f.start == f.until == start else "during "
    days = (start - f.until).days
    return "the day after " if days == 1 else f"{days} days after "


# Flags whose value counts days up to their last day: as of an earlier day it was smaller.
_COUNTING_DAYS = ("run_streak", "no_rest_day", "no_cross_training")


def value_on(f: Flag, day: date) -> float | None:
    """How strongly a flag held on ``day``: a counting flag (a streak, days without rest or
    cross-training) counted fewer days then than at its end; others keep their value."""
    v = _value(f)
    if v is not None and f.code in _COUNTING_DAYS and f.until > day:
        v -= (f.until - day).days
    return v


def _phrase(f: Flag, start: date | None = None) -> str:
    with_value, without = _PHRASES.get(f.code, ("", f"a {_words(f.code)} flag"))
    v = _value(f) if start is None else value_on(f, start)
    return with_value.format(v=v) if with_value and v is not None else without


def _value(f: Flag) -> float | None:
    v = f.value
    return None if v is None or not np.isfinite(v) else float(v)


def _began(ep: Episode) -> str:
    return f"Your {pain_words(ep.location, ep.side)} began on {_day(ep.start)}"


def _summary(ep: Episode, sentence: str, still: bool = False) -> str:
    if still:
        last = f"{ep.peak}/10 so far" if ep.start != ep.end else f"{ep.peak}/10"
        parts = [sentence, f"It is ongoing since {_day(ep.start)} (at worst {last}; last "
                           f"recorded {_day(ep.end)})."]
    else:
        parts = [sentence, f"It was {ep.peak}/10 on that day only." if ep.start == ep.end
                 else f"It peaked at {ep.peak}/10 and lasted until {_day(ep.end)}."]
    if ep.red_flags:
        signs = "a sign" if len(ep.red_flags) == 1 else "signs"
        parts.append(f"It came with {join_words(list(ep.red_flags))}, {signs} of an acute injury rather "
                     f"than overload: {SEE_SOMEONE}.")
    parts += _notes(ep.symptoms, bool(ep.red_flags))
    return " ".join(parts)


# -- patterns -----------------------------------------------------------------------------

def patterns(episodes: Sequence[Episode], flags: Iterable[Flag], timeline_start: date | None,
             as_of: date, window_days: int = WINDOW_DAYS) -> Patterns:
    """Which load flags came before pain, beside how often they came before no pain.

    Parameters
    ----------
    episodes : sequence of Episode
    flags : iterable of Flag
        Load flags (``pain_*`` flags are ignored).
    timeline_start : datetime.date or None
        First day of the athlete's activity data; None when there is none.
    as_of : datetime.date
        Last day considered.
    window_days : int, default 21
        Look-back before each start, as in :func:`link`. [days]

    Returns
    -------
    Patterns

    Notes
    -----
    A case-crossover comparison within one runner [1]_. For each episode that
    starts in ``[timeline_start + window_days, as_of]`` (a full look-back inside
    the data), each flag code counts once when a flag of that code overlaps its
    window ``[start - window_days, start]`` (``L = window_days + 1`` days). The
    base rate slides non-overlapping ``L``-day windows over the days in
    ``[timeline_start, as_of]`` that are in no episode: each maximal pain-free
    stretch is cut into consecutive ``L``-day windows from its first day (a
    shorter remainder is dropped), and a code counts for a window when one of its
    flags overlaps it. With fewer than :data:`MIN_EPISODES` counted episodes the
    summary says the numbers are too few to call a pattern.

    References
    ----------
    .. [1] M. Maclure, "The case-crossover design: a method for studying transient
       effects on the risk of acute events," Am. J. Epidemiol., vol. 133, no. 2,
       pp. 144-153, 1991, doi:10.1093/oxfordjournals.aje.a115853.
    """
    load = [f for f in flags if not f.code.startswith("pain_")]
    length = window_days + 1
    counted = [ep for ep in episodes if timeline_start is not None
               and ep.start - timedelta(days=window_days) >= timeline_start
               and ep.start <= as_of]
    left_out = sum(ep.start <= as_of for ep in episodes) - len(counted)
    codes = sorted({f.code for f in load})

    starts = np.array([(ep.start - timedelta(days=window_days)).toordinal() for ep in counted],
                      dtype=np.int64)
    ends = np.array([ep.start.toordinal() for ep in counted], dtype=np.int64)
    before_pain = _code_hits(starts, ends, load, codes).sum(axis=0)

    free_starts, free_ends = _pain_free_windows(episodes, timeline_start, as_of, length)
    before_free = _code_hits(free_starts, free_ends, load, codes).sum(axis=0)

    counts = sorted(
        (PatternCount(c, int(p), int(q)) for c, p, q in zip(codes, before_pain, before_free,
                                                            strict=True)),
        key=lambda c: (-c.before_pain, _share(c.before_pain_free, len(free_starts)) or 0.0,
                       c.code))
    return Patterns(window_days, len(counted), left_out, len(free_starts), tuple(counts))


def _code_hits(starts: np.ndarray, ends: np.ndarray, load: list[Flag],
               codes: list[str]) -> np.ndarray:
    """Windows x codes: whether a flag of each code overlaps each window (ordinal days)."""
    if not len(starts) or not codes:
        return np.zeros((len(starts), len(codes)), dtype=bool)
    first = np.array([f.start.toordinal() for f in load])
    last = np.array([f.until.toordinal() for f in load])
    code = np.array([codes.index(f.code) for f in load])
    overlap = (first[None, :] <= ends[:, None]) & (last[None, :] >= starts[:, None])
    of_code = code[:, None] == np.arange(len(codes))[None, :]
    return (overlap.astype(np.int64) @ of_code.astype(np.int64)) > 0


def _pain_free_windows(episodes: Sequence[Episode], timeline_start: date | None, as_of: date,
                       length: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last ordinal day of each pain-free base-rate window."""
    if timeline_start is None or timeline_start > as_of:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    days = np.arange(timeline_start.toordinal(), as_of.toordinal() + 1)
    ep_start = np.array([ep.start.toordinal() for ep in episodes], dtype=np.int64)
    ep_end = np.array([ep.end.toordinal() for ep in episodes], dtype=np.int64)
    in_pain = ((days[:, None] >= ep_start[None, :])
               & (days[:, None] <= ep_end[None, :])).any(axis=1)
    free = pd.Series(~in_pain)
    stretch = (free != free.shift()).cumsum()
    position = free.groupby(stretch).cumcount()
    windows = (pd.DataFrame({"day": days, "stretch": stretch, "window": position // length})[free]
               .groupby(["stretch", "window"])["day"].agg(["min", "max", "size"]))
    windows = windows[windows["size"] == length]
    return windows["min"].to_numpy(np.int64), windows["max"].to_numpy(np.int64)


def _share(count: int, total: int) -> float | None:
    return round(count / total, 3) if total else None


def _patterns_summary(p: Patterns) -> str:
    w = p.window_days
    later = (f" {p.left_out} more began before there were {w} days of activity data to look "
             "back on." if p.left_out else "")
    if not p.enough:
        n = p.episodes
        which = ("No pain episode" if n == 0
                 else f"Only {n} pain episode{'s' if n > 1 else ''}")
        return (f"{which} with {w} days of activity data before {'them' if n > 1 else 'it'}: "
                f"too few to call a pattern (at least {MIN_EPISODES} are needed).{later}")
    n, m = p.episodes, p.pain_free_windows
    base = (f"{m} pain-free {w + 1}-day stretches" if m
            else f"no pain-free stretch of {w + 1} days to compare with")
    head = (f"Across {n} pain episodes (the {w} days before each began, and its first day) "
            f"and {base}")
    seen = [c for c in p.counts if c.before_pain][:MAX_MENTIONED]
    if not seen:
        return f"{head}: no load flag came before any of the episodes.{later}"
    items = []
    for c in seen:
        item = (f"{_NAMES.get(c.code, _words(c.code))} came before {c.before_pain} of {n} "
                f"episodes ({c.before_pain / n:.0%})")
        if m:
            item += (f" and {c.before_pain_free} of {m} pain-free stretches "
                     f"({c.before_pain_free / m:.0%})")
        items.append(item)
    return (f"{head}: {'; '.join(items)}. A pattern in one runner's diary is a hint to discuss, "
            f"not proof of a cause.{later}")


# -- output -------------------------------------------------------------------------------

def pain_json(diary: Diary, episodes: Sequence[Episode], links: Iterable[Link],
              patterns: Patterns | None) -> dict:
    """The pain section of the JSON report.

    Returns
    -------
    dict
        ``entries`` (count of valid entries), ``errors``, ``episodes`` (each with
        ``start``, ``end``, ``peak``, ``location``, ``side``, ``onset``,
        ``red_flags``, ``preceding_flags`` [{``code``, ``date``, ``severity``,
        ``value``}] and ``summary``) and ``patterns`` (:meth:`Patterns.to_json`, or
        None). An episode without a link has no preceding flags and a summary that
        does not speak of load.
    """
    by_episode = {lk.episode: lk for lk in links}

    def one(ep: Episode) -> dict:
        lk = by_episode.get(ep)
        return {
            "start": ep.start.isoformat(),
            "end": ep.end.isoformat(),
            "peak": ep.peak,
            "location": ep.location or None,
            "side": ep.side,
            "onset": ep.onset,
            "red_flags": list(ep.red_flags),
            "preceding_flags": [{"code": f.code, "start": f.start.isoformat(),
                                 "severity": f.severity, "kind": f.kind,
                                 "value": None if _value(f) is None else round(_value(f), 3),
                                 "held_on_start": f.held_on(ep.start),
                                 "value_on_start": _rounded(value_on(f, ep.start))
                                 if f.held_on(ep.start) else None}
                                for f in (lk.flags if lk else ())],
            "summary": lk.summary if lk else _summary(ep, _began(ep) + "."),
        }

    return {
        "entries": len(diary.entries),
        "errors": list(diary.errors),
        "episodes": [one(ep) for ep in episodes],
        "patterns": patterns.to_json() if patterns is not None else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def format_diary(diary: Diary) -> str:
    """The diary as a table for ``loadwatch pain list``, red flags and remarks below it.

    Read errors are not included: the caller reports :attr:`Diary.errors`.
    """
    df = diary.entries
    if df.empty:
        return "The pain diary has no entries.\n"
    header = ["date", "pain", "where", "side", "onset", "symptoms", "notes"]
    rows, below = [], []
    for e in df.itertuples(index=False):
        day = e.date.date()
        # The runner's own words may hold escape codes: shown escaped, never run.
        rows.append([day.isoformat(), f"{e.severity}/10", _clip(one_line(e.location or "-"), 24),
                     e.side or "-", e.onset or "-",
                     _clip(", ".join(_words(s) for s in e.symptoms) or "-", 36),
                     _clip(one_line(" ".join(e.notes.split())), 40)])
        reasons = red_flags(e)
        if reasons:
            below.append(f"RED FLAG {day.isoformat()}: {join_words(reasons)}: {SEE_SOMEONE}.")
        below += [n for n in notes_on(e) if n not in below]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, *rows]]
    return "\n".join(lines + ([""] + below if below else [])) + "\n"


# -- words --------------------------------------------------------------------------------

def _day(d: date) -> str:
    """``11 Oct``: locale-independent."""
    return f"{d.day} {_MONTHS[d.month - 1]}"


def _words(name: str) -> str:
    return name.replace("_", " ")


def pain_words(label: str | None, side: str | None) -> str:
    """``left inner-knee pain``; just ``pain`` when the place is not known."""
    side = side if side in ("left", "right") else ""
    return " ".join(x for x in (side, label or "", "pain") if x)


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
