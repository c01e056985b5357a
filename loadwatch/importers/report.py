"""What an import did, file by file: the report the importers return."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class ImportReport:
    """What an import did, file by file.

    ``files_seen`` counts activity files and exports considered; ``parsed`` those
    read now, ``from_cache`` those taken from the cache; ``skipped`` holds
    ``(path, reason)`` for valid files that are not activities; ``errors`` holds
    ``(path, problem)`` for files that failed; ``warnings`` holds ``(path, warning)``
    for files that were read but not whole (damaged, truncated) or read with a
    correction the user should know about; ``duplicates`` holds ``(kept, dropped)``
    paths of second recordings of one activity (filled in by the timeline).
    """

    files_seen: int = 0
    parsed: int = 0
    from_cache: int = 0
    activities: int = 0
    duplicates_dropped: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "parsed": self.parsed,
            "from_cache": self.from_cache,
            "activities": self.activities,
            "duplicates_dropped": self.duplicates_dropped,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "errors": [{"path": p, "error": e} for p, e in self.errors],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
            "notes": list(self.notes),
            "duplicates": [{"kept": k, "dropped": d} for k, d in self.duplicates],
        }

    @classmethod
    def from_json(cls, d: dict) -> ImportReport:
        """The report of :meth:`to_json`."""
        return cls(
            files_seen=d["files_seen"], parsed=d["parsed"], from_cache=d["from_cache"],
            activities=d["activities"], duplicates_dropped=d["duplicates_dropped"],
            skipped=[(x["path"], x["reason"]) for x in d["skipped"]],
            errors=[(x["path"], x["error"]) for x in d["errors"]],
            warnings=[(x["path"], x["warning"]) for x in d["warnings"]],
            notes=list(d["notes"]),
            duplicates=[(x["kept"], x["dropped"]) for x in d["duplicates"]])

    def from_whole_cache(self) -> ImportReport:
        """This report as read back from the whole-import cache: every file it parsed
        counts as taken from the cache."""
        return replace(self, from_cache=self.from_cache + self.parsed, parsed=0)

    def deduplicated(self, activities: int, dropped: int, duplicates: list[tuple[str, str]],
                     notes: list[str]) -> ImportReport:
        """This report once the timeline has merged second recordings of one activity.

        ``activities`` is the number left, ``dropped`` the number merged away,
        ``duplicates`` their ``(kept, dropped)`` paths, ``notes`` what the athlete's
        settings add (after the import's own notes).
        """
        return replace(self, activities=activities, duplicates_dropped=dropped,
                       duplicates=list(duplicates), notes=self.notes + list(notes))
