"""What reading a roster can go wrong with: the whole file, or one cell of one row."""

from __future__ import annotations

from dataclasses import dataclass, field

# How many row errors are kept in memory; the count goes on past it.
MAX_KEPT_ERRORS = 10_000
# Where an error on a column the file does not have sorts among a row's errors: after the others.
NO_POSITION = 1 << 30


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too big, unreadable, no header…)."""


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: row as Excel numbers it, column header as the file spells it.

    `position` is the column's place in the file (0 for column A), so that errors read in file order.
    """

    row: int
    column: str
    value: str
    reason: str
    position: int = field(default=NO_POSITION, compare=False)


def _order(error: RowError) -> tuple[int, int]:
    return error.row, error.position


def error_keep(errors: list[RowError], error: RowError) -> None:
    """Add `error`, keeping at most the first MAX_KEPT_ERRORS in file order (rows may be reported out of order)."""
    errors.append(error)
    if len(errors) >= 2 * MAX_KEPT_ERRORS:
        errors_in_order(errors)


def errors_in_order(errors: list[RowError]) -> None:
    """Sort `errors` by row, then column, and keep the first MAX_KEPT_ERRORS."""
    errors.sort(key=_order)
    del errors[MAX_KEPT_ERRORS:]
