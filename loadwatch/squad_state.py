"""What changed since the last squad report: the squad's last rows, kept per squad folder.

The state lives in ``squads.sqlite`` in the user's state folder
(``platformdirs.user_state_dir("loadwatch")``, e.g. ``~/.local/state/loadwatch``;
``LOADWATCH_STATE`` puts it elsewhere), the folder the alert state uses, in a file
of its own. One row per (squad folder, athlete folder) holds the athlete's
clinical status, load level and the conditions shown, each by its episode key
(``code:start``, the flag identity without the severity step, so an escalation is
the same condition). :func:`record` reads the previous rows and replaces them with
this report's in one transaction.

Compared with the previous report of the same squad folder (:func:`changes`):

- new conditions (a key not shown before) and resolved ones (shown before, not
  now), and escalations (the same key at a higher severity);
- a changed clinical status or load level;
- athletes new to the squad, and those gone from it.

This is the coach's memory, not a record that must not be lost: a damaged file is
moved aside (``squads.sqlite.damaged-<time>``) and a new one started, and a state
that cannot be read or written (a full disk, a read-only folder) costs only the
"changed since" part, said in one line; the squad report goes on.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from loadwatch.safetext import display_name
from loadwatch.sqlite_errors import describe, is_corruption
from loadwatch.sqlite_store import Transaction

STATE_ENV = "LOADWATCH_STATE"
DB_NAME = "squads.sqlite"
SCHEMA_VERSION = 1
SEVERITY_RANK = {"info": 0, "caution": 1, "high": 2}


def state_dir() -> Path:
    """``$LOADWATCH_STATE``, else the user's state folder (as the alert state's)."""
    env = os.environ.get(STATE_ENV)
    return Path(env) if env else Path(platformdirs.user_state_dir("loadwatch"))


@dataclass
class AthleteState:
    """What the coach was shown about one athlete."""

    name: str
    clinical: str | None
    level: str | None
    conditions: dict[str, dict]
    """Episode key -> ``{"severity", "words"}``."""


def snapshot(doc: dict) -> dict[str, AthleteState]:
    """The state of a ``loadwatch/squad-v3`` document, by athlete folder name."""
    out = {}
    for r in doc["athletes"]:
        out[display_name(Path(r["folder"]).name)] = AthleteState(
            r["athlete"], r["clinical"]["status"], r["risk"],
            {c["key"]: {"severity": c["severity"], "words": c["words"]} for c in r["conditions"]})
    for r in doc["errors"]:
        out[display_name(Path(r["folder"]).name)] = AthleteState(display_name(r["athlete"]),
                                                                  None, None, {})
    return out


def changes(before: dict[str, AthleteState] | None, now: dict[str, AthleteState]) -> list[dict]:
    """Per athlete (in ``now``'s order, then those gone), what changed; unchanged ones left out.

    Returns
    -------
    list of dict
        ``athlete``, ``folder``, and any of: ``joined`` (new to the squad), ``left``,
        ``clinical`` and ``level`` as ``[before, now]``, ``new``, ``resolved`` and
        ``escalated``: lists of ``{"key", "severity", "words"}`` (an escalation with
        ``from``).
    """
    if before is None:
        return []
    out = []
    for folder, cur in now.items():
        old = before.get(folder)
        entry: dict = {"athlete": cur.name, "folder": folder}
        if old is None:
            entry["joined"] = True
            out.append(entry)
            continue
        if old.clinical != cur.clinical and cur.clinical is not None and old.clinical is not None:
            entry["clinical"] = [old.clinical, cur.clinical]
        if old.level != cur.level:
            entry["level"] = [old.level, cur.level]
        new = [dict(v, key=k) for k, v in cur.conditions.items() if k not in old.conditions]
        gone = [dict(v, key=k) for k, v in old.conditions.items() if k not in cur.conditions]
        up = [dict(v, key=k, **{"from": old.conditions[k]["severity"]})
              for k, v in cur.conditions.items() if k in old.conditions
              and SEVERITY_RANK.get(v["severity"], 0)
              > SEVERITY_RANK.get(old.conditions[k]["severity"], 0)]
        for name, items in (("new", new), ("resolved", gone), ("escalated", up)):
            if items:
                entry[name] = items
        if len(entry) > 2:
            out.append(entry)
    out += [{"athlete": old.name, "folder": folder, "left": True}
            for folder, old in before.items() if folder not in now]
    return out


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        with Transaction(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS reports (squad TEXT PRIMARY KEY, "
                         "as_of TEXT NOT NULL, written TEXT NOT NULL)")
            conn.execute("CREATE TABLE IF NOT EXISTS athletes (squad TEXT NOT NULL, folder TEXT "
                         "NOT NULL, name TEXT NOT NULL, clinical TEXT, level TEXT, conditions "
                         "TEXT NOT NULL, PRIMARY KEY (squad, folder))")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version != SCHEMA_VERSION:
        conn.close()
        # A newer loadwatch's file: left alone, not taken for damage.
        raise sqlite3.DatabaseError(f"schema version {version}, this loadwatch reads "
                                    f"{SCHEMA_VERSION}")
    return conn


def record(squad_dir: Path, doc: dict, folder: Path | None = None) -> dict:
    """Compare ``doc`` with the squad's previous report and keep ``doc`` as the new one.

    Parameters
    ----------
    squad_dir : pathlib.Path
        The squad folder (its resolved path is the key).
    doc : dict
        A ``loadwatch/squad-v3`` document.
    folder : pathlib.Path, optional
        The state folder (default :func:`state_dir`).

    Returns
    -------
    dict
        ``since`` (the previous report's as_of, or None the first time), ``athletes``
        (:func:`changes`), and ``error`` (None, or why the state could not be used: one
        line).
    """
    key = display_name(squad_dir.resolve())
    base = folder or state_dir()
    path = base / DB_NAME
    now = snapshot(doc)
    try:
        base.mkdir(parents=True, exist_ok=True)
        try:
            return _exchange(path, key, doc["as_of"], now)
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            aside = path.with_name(f"{DB_NAME}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            os.replace(path, aside)
            result = _exchange(path, key, doc["as_of"], now)
            result["error"] = (f"{path} could not be read ({describe(exc)}); moved to "
                               f"{aside.name} and started again")
            return result
    except (sqlite3.Error, OSError) as exc:
        return {"since": None, "athletes": [],
                "error": f"changes since the last squad report unavailable: {path}: {describe(exc)}"}


def _exchange(path: Path, key: str, as_of: str, now: dict[str, AthleteState]) -> dict:
    conn = _connect(path)
    try:
        with Transaction(conn):
            last = conn.execute("SELECT as_of FROM reports WHERE squad = ?", (key,)).fetchone()
            before = None
            if last is not None:
                before = {folder: AthleteState(name, clinical, level, json.loads(conditions))
                          for folder, name, clinical, level, conditions in conn.execute(
                              "SELECT folder, name, clinical, level, conditions FROM athletes "
                              "WHERE squad = ? ORDER BY rowid", (key,))}
            conn.execute("DELETE FROM athletes WHERE squad = ?", (key,))
            conn.executemany(
                "INSERT INTO athletes (squad, folder, name, clinical, level, conditions) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(key, folder, s.name, s.clinical, s.level, json.dumps(s.conditions))
                 for folder, s in now.items()])
            conn.execute("INSERT OR REPLACE INTO reports (squad, as_of, written) VALUES (?, ?, ?)",
                         (key, as_of, datetime.now(UTC).isoformat(timespec="seconds")))
    finally:
        conn.close()
    return {"since": last[0] if last else None, "athletes": changes(before, now), "error": None}
