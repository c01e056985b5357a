"""The diary file without pandas: its vocabulary, its entries, reading and appending ``pain.csv``.

See :mod:`loadwatch.pain` for the format. Appends are atomic (the whole file is
replaced, never half-written) and locked (two ``pain add`` at once both land).
Nothing here imports pandas, so ``loadwatch pain add`` and ``pain list`` start at
once; :mod:`loadwatch.pain.diary` turns the entries into the table the verdict reads."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loadwatch import fileio
from loadwatch.numbers import INTEGER
from loadwatch.safetext import guard_formula, unguard_formula
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
ASSESSED_NOTE = re.compile(r"\b(assessed|cleared)\b", re.IGNORECASE)
"""The word in the notes that records an assessment ("physio: cleared to jog")..."""
_NOT_ASSESSED = re.compile(
    r"(\b(not|never|no|to be)|n't)\s+(yet\s+)?(been\s+)?(assessed|cleared)\b", re.IGNORECASE)
"""...unless it is negated ("not assessed yet", "haven't been cleared", "yet to be assessed")."""
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

ENTRY_COLUMNS = ["line", "date", "severity", "location", "location_key", "location_label",
                 "side", "onset", "symptoms", "notes"]
_NEWLINE = re.compile(r"\r\n|\n|\r")
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


class DiaryTooLarge(DiaryError):
    """A diary file larger than :data:`MAX_DIARY_BYTES`: refused unread."""


MAX_DIARY_BYTES = 16 << 20
"""Largest ``pain.csv`` read or added to. A daily entry is about 100 bytes, so a diary
of 50 years is under 2 MB; anything near this is not a diary, and reading it whole
would cost several times its size in memory. [bytes]"""


@dataclass(frozen=True)
class PainEntry:
    """One diary entry, validated (:func:`parse_entry`).

    Attributes
    ----------
    date : datetime.date
        Local calendar day.
    severity : int or None
        Pain 0-10; 0 is a pain-free day. [0-10] None only for an entry that records an
        assessment and nothing about the pain (``pain add --assessed`` without
        ``--severity``): it is neither a pain day nor a pain-free day.
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
    severity: int | None
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
        return [self.date.isoformat(), "" if self.severity is None else str(self.severity),
                self.location, self.side or "",
                self.onset or "", ";".join(self.symptoms), self.notes]

    def record(self) -> dict:
        """The entry as a row of :attr:`loadwatch.pain.Diary.entries`."""
        key, label = locate(self.location)
        return {"line": self.line, "date": self.date, "severity": self.severity,
                "location": self.location, "location_key": key, "location_label": label,
                "side": self.side, "onset": self.onset, "symptoms": self.symptoms,
                "notes": self.notes}


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
    symptoms = _parse_symptoms(_text(fields.get("symptoms")), problems)
    notes = _text(fields.get("notes"))
    severity = _parse_severity(_text(fields.get("severity")), problems,
                               may_be_empty=records_assessment(symptoms, notes))
    side = _parse_choice("side", _text(fields.get("side")), SIDES, SIDE_ALIASES, problems)
    onset = _parse_choice("onset", _text(fields.get("onset")), ONSETS, {}, problems)
    if problems:
        raise DiaryError("; ".join(problems))
    return PainEntry(date=day, severity=severity, location=_text(fields.get("location")),
                     side=side, onset=onset, symptoms=symptoms,
                     notes=notes, line=fields.get("line"))


def records_assessment(symptoms, notes) -> bool:
    """Whether an entry records that a clinician assessed (or cleared) the knee: a status word
    among the symptoms, or "assessed"/"cleared" in the notes, not negated."""
    if set(symptoms) & set(STATUS_WORDS):
        return True
    text = str(notes or "")
    return bool(ASSESSED_NOTE.search(text)) and not _NOT_ASSESSED.search(text)


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


def _parse_severity(text: str, problems: list[str], may_be_empty: bool = False) -> int | None:
    if not text:
        if not may_be_empty:
            problems.append("severity is missing (it may be left empty only in an entry that "
                            "records an assessment)")
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

def read_entries(path: str | os.PathLike) -> tuple[list[PainEntry], list[str], list[str]]:
    """The valid entries of a ``pain.csv`` in file order, one error line per bad row and one
    note per thing read in another way than it was written (:func:`loadwatch.pain.read_diary`
    says how; this is its reading, without the table).

    Raises
    ------
    DiaryTooLarge, DiaryError
        As :func:`loadwatch.pain.read_diary`.
    """
    path = Path(path)
    try:
        data = _read(path)
    except FileNotFoundError:
        return [], [], []
    layout, rows = _layout(path, data)
    entries, errors = [], []
    for line, row, problem in rows:
        try:
            if row is None:
                raise DiaryError(problem)
            entries.append(parse_entry(_fields(row, line, layout.columns)))
        except DiaryError as exc:
            errors.append(f"{path}, line {line}: {exc}")
    return entries, errors, list(layout.notes)


def _read(path: Path) -> bytes:
    """The diary's bytes, within :data:`MAX_DIARY_BYTES`, never blocking on a FIFO.

    Raises
    ------
    FileNotFoundError
        There is no diary.
    DiaryTooLarge, DiaryError
        Too large (refused before a byte is read), not a regular file, unreadable.
    """
    try:
        return fileio.read_regular(path, MAX_DIARY_BYTES)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise DiaryTooLarge(f"{path}: the pain diary is too large ({exc.strerror}; a diary "
                                "of daily entries stays under 2 MB): move it aside and keep "
                                "the real entries") from None
        raise DiaryError(f"{path}: cannot read the pain diary ({exc.strerror or exc})") from None


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
        the entry's characters in its encoding, is not a regular file, is larger
        than :data:`MAX_DIARY_BYTES`, or cannot be written (one line naming the file).

    Notes
    -----
    Under an exclusive lock (``filelock``, the same on Linux, macOS and Windows) on
    the hidden sidecar ``.pain.csv.lock``
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
        fileio.rewrite_locked(path, lambda old: old + _addition(path, old, row), _read)
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

