"""What a bulk service answers, row by row, and the "not given" marker of typed service data.

A bulk service (`worker_bulk_register`, `enterprise_bulk_register`, `household_bulk_register`)
checks every row as its single-record form would, writes the good ones in a few queries and
says, for each row in order, whether it created, changed or left a record, or why it refused
it — so an import can report row by row and a form can show the one row's error.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Final, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)
Changes = dict[str, tuple[Any, Any]]

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
BATCH_SIZE = 1000


class Unset(enum.Enum):
    """The type of UNSET: a field of typed data that was not given (None is a value: "unknown")."""

    UNSET = 0

    def __bool__(self) -> bool:
        return False


UNSET: Final = Unset.UNSET


def given(data: Any) -> dict[str, Any]:
    """The fields of a dataclass that were given (not UNSET), as {name: value}."""
    return {f.name: value for f in fields(data) if (value := getattr(data, f.name)) is not UNSET}


@dataclass
class RowOutcome(Generic[M]):
    """What became of one row: its status, the record, what changed (old, new) or why it was refused.

    `elsewhere` names a record another union holds ("worker:12"): the caller decides how much
    to tell (an import counts it against the disclosure budget, see `ImportRun.found_elsewhere`).
    """

    status: str = NEW
    record: M | None = None
    changes: Changes = field(default_factory=dict)
    error: ValidationError | PermissionDenied | None = None
    elsewhere: str = ""

    def refuse(self, error: ValidationError | PermissionDenied, elsewhere: str = "") -> None:
        """Mark the row refused (the first reason is kept)."""
        if self.error is None:
            self.status, self.error, self.elsewhere = ERROR, error, elsewhere

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BulkOutcome(Generic[M]):
    """One `RowOutcome` per row given, in order."""

    rows: list[RowOutcome[M]]

    def __iter__(self) -> Iterator[RowOutcome[M]]:
        return iter(self.rows)

    def counts(self) -> dict[str, int]:
        """How many rows were new, updated, unchanged and refused."""
        counts = dict.fromkeys((NEW, UPDATED, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def one(self) -> RowOutcome[M]:
        """The outcome of a one-row call; raise its error (what the single-record services do)."""
        (row,) = self.rows
        if row.error is not None:
            raise row.error
        return row
