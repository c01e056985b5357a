"""The diary as a table: :func:`read_diary` reads ``pain.csv`` into the :class:`Diary` the
verdict works on (one pandas row per entry); the file itself is :mod:`loadwatch.diaryfile`'s."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from loadwatch.diaryfile import ENTRY_COLUMNS, PainEntry, read_entries


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
    DiaryTooLarge
        The file is larger than :data:`MAX_DIARY_BYTES` (nothing is read).
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
    entries, errors, notes = read_entries(path)
    return Diary(_frame(entries), errors, notes)


def _frame(entries: Sequence[PainEntry]) -> pd.DataFrame:
    df = pd.DataFrame([e.record() for e in entries], columns=ENTRY_COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    # Nullable: an assessment-only entry has no severity, and is neither pain nor pain-free.
    df["severity"] = df["severity"].astype("Int64")
    # pandas turns None into NaN in a column of mixed strings; keep None for "not given".
    for col in ("side", "onset"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df.sort_values(["date", "line"], kind="stable").reset_index(drop=True)
