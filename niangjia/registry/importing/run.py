"""The state of one import while it runs: options, counts, errors, duplicates seen."""

from __future__ import annotations

from dataclasses import dataclass, field

from niangjia.registry.importing.context import ImportContext
from niangjia.registry.importing.result import ImportResult
from niangjia.registry.importing.rows import Header, Row

CHUNK_ROWS = 2000


@dataclass
class ImportRun:
    """One pass over a file. `commit=False` is a dry run: nothing is written."""

    ctx: ImportContext
    result: ImportResult
    header: Header
    commit: bool
    good_rows_only: bool
    canonical: dict[str, str] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)

    @property
    def writing(self) -> bool:
        """Whether to write now: committing, and (all-or-nothing) no bad row met so far."""
        return self.commit and (self.good_rows_only or self.result.error_rows == 0)

    def title(self, key: str) -> str:
        """The column's header as the file spells it (the template's, for a column the file lacks)."""
        return self.header.titles.get(key) or self.canonical.get(key, key)

    def reject(self, row: Row, key: str, reason: str) -> None:
        """Record an error for column `key` of `row`."""
        row.error(key, reason, self.title(key))

    def first_seen(self, row: Row, key: str, identity: str, what: str) -> bool:
        """Return True the first time `identity` appears in the file; else reject the row naming the first."""
        first = self.seen.setdefault(identity, row.number)
        if first == row.number:
            return True
        self.reject(row, key, f"与第 {first} 行的{what}重复，同一{what}只能出现一次，请删除或合并重复行。")
        return False

    def settle(self, row: Row) -> bool:
        """Count the row and record its errors; return whether it is good."""
        if not row.errors:
            return True
        self.result.error_rows += 1
        for error in row.errors:
            self.result.add_error(error)
        return False
