"""JSON Schemas (draft 2020-12) of every JSON document loadwatch prints.

===================  ====================================================
file                 document
===================  ====================================================
history-v1           ``loadwatch history --format json``
report-v3            ``loadwatch report --format json``
squad-v3             ``loadwatch squad --format json``
review-v1            ``loadwatch review --format json``
timeline-v1          ``loadwatch timeline --format json``
===================  ====================================================

Each file is ``<name>.schema.json`` in this package; ``name`` is the document's
``"schema"`` value without the ``loadwatch/`` prefix. The schemas list every key
loadwatch writes today, with its type, and allow new keys on objects, so a
document from a later minor version still validates. loadwatch does not need
``jsonschema`` itself; validate with any draft 2020-12 validator::

    # jsonschema is a test dependency: only validating needs it, not loading a schema.
    import jsonschema
    from loadwatch import schemas
    jsonschema.Draft202012Validator(schemas.load("report-v3")).validate(doc)
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable

PREFIX = "loadwatch/"
SUFFIX = ".schema.json"


def _stem(name: str) -> str:
    """``report-v3`` from ``report-v3``, ``loadwatch/report-v3`` or ``report-v3.schema.json``."""
    stem = name.removeprefix(PREFIX).removesuffix(SUFFIX)
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise ValueError(f"not a loadwatch schema name: {name!r}")
    return stem


def names() -> list[str]:
    """The schemas shipped, sorted.

    >>> [n for n in names() if n in ("report-v3", "squad-v3", "timeline-v1")]
    ['report-v3', 'squad-v3', 'timeline-v1']
    """
    return sorted(p.name.removesuffix(SUFFIX) for p in resources.files(__name__).iterdir()
                  if p.name.endswith(SUFFIX))


def path(name: str) -> Traversable:
    """The schema file of ``name`` (``report-v3`` or the document's ``loadwatch/report-v3``).

    A :class:`~importlib.resources.abc.Traversable` (a :class:`pathlib.Path` when the
    package is installed as files); use :func:`importlib.resources.as_file` for a real
    path from a zip.

    Raises
    ------
    KeyError
        No schema of that name; the message lists those there are.
    """
    stem = _stem(name)
    found = resources.files(__name__) / f"{stem}{SUFFIX}"
    if not found.is_file():
        raise KeyError(f"no loadwatch schema {name!r}; there are {', '.join(names())}")
    return found


def load(name: str) -> dict:
    """The schema of ``name`` as a dict.

    >>> load("loadwatch/report-v3")["properties"]["schema"]
    {'const': 'loadwatch/report-v3'}
    """
    return json.loads(path(name).read_text(encoding="utf-8"))
