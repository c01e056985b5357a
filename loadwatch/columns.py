"""A frame as one typed columnar block: a blob per column, for the import cache.

Each column is one blob: a kind byte, then the values. Numbers are the raw
little-endian bytes of a float64 or int64 array, so reading them back is a copy
(NaN stays NaN); UTC times are int64 nanoseconds (NaT as the smallest int64);
anything else (text, None, lists of text) is one JSON array for the whole
column. Reading 15,000 records back is a handful of ``numpy.frombuffer`` and
``json.loads`` calls, with no Python object per record except for text.

Parquet or Arrow would do the same with a 100 MB dependency; these few lines keep
the block in the one SQLite cache file, inside its transactions, so that a
damaged or interrupted cache stays the store's one concern.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

FLOAT, INT, TIME, JSON = b"f", b"i", b"t", b"j"


def encode(frame: pd.DataFrame) -> dict[str, bytes]:
    """One blob per column of ``frame`` (see the module docstring).

    >>> df = pd.DataFrame({"x": [1.5, np.nan], "n": [1, 2], "s": ["a", None]})
    >>> decode(encode(df), 2).equals(df)
    True
    """
    out = {}
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            values = col.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
            out[name] = TIME + values.to_numpy("datetime64[ns]").astype("<i8").tobytes()
        elif col.dtype == np.float64:
            out[name] = FLOAT + col.to_numpy().astype("<f8").tobytes()
        elif col.dtype == np.int64:
            out[name] = INT + col.to_numpy().astype("<i8").tobytes()
        else:
            # ASCII escapes keep any text, even the surrogates of undecodable file names.
            out[name] = JSON + json.dumps(col.tolist()).encode()
    return out


def decode(blobs: dict[str, bytes], rows: int) -> pd.DataFrame:
    """The frame of :func:`encode` (columns in the order of ``blobs``).

    Raises
    ------
    ValueError
        A blob of an unknown kind, or whose length does not match ``rows``.
    """
    out = {}
    for name, blob in blobs.items():
        kind, data = bytes(blob[:1]), bytes(blob[1:])
        if kind in (FLOAT, INT, TIME):
            values = np.frombuffer(data, dtype="<f8" if kind == FLOAT else "<i8").copy()
            if kind == TIME:
                values = pd.DatetimeIndex(values.view("datetime64[ns]")).tz_localize("UTC")
        elif kind == JSON:
            items = json.loads(data)
            values = np.fromiter(items, dtype=object, count=len(items))
        else:
            raise ValueError(f"column {name!r}: unknown kind {kind!r}")
        if len(values) != rows:
            raise ValueError(f"column {name!r}: {len(values)} values for {rows} rows")
        out[name] = values
    # The arrays are this frame's own (copied from the blobs above): not copied again.
    return pd.DataFrame(out, copy=False) if out else pd.DataFrame(index=range(rows))
