"""Where the shared corpus of real files is, and what its reference parsers read in them."""

from __future__ import annotations

import csv
import os
from pathlib import Path

# LOADWATCH_CORPUS points a git worktree (kept elsewhere than beside /work/shared) at it.
CORPUS = Path(os.environ.get("LOADWATCH_CORPUS")
              or Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus")


def expected() -> dict[str, dict[str, str]]:
    """EXPECTED.tsv by corpus path; empty when the corpus is absent."""
    path = CORPUS / "EXPECTED.tsv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["path"]: row for row in csv.DictReader(fh, delimiter="\t")}
