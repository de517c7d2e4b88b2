"""Finding the header row and turning the rows below it into parsed values.

The header is the first row with at least two recognised column names, so title
rows above it ("2025年职工名册", merged across the sheet) are skipped. A second
header row directly below (under merged group cells such as "入会情况") is read
too. Blank rows are skipped, wherever they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import reset_queries

from niangjia.core.tabular.cells import CellError, as_text, is_blank
from niangjia.core.tabular.columns import Column, header_index, match_header
from niangjia.core.tabular.errors import NO_POSITION, ImportFileError, RowError

HEADER_SEARCH_ROWS = 30


@dataclass
class Header:
    """Where each known column is in the file, and how the file spells its header."""

    positions: dict[str, int]
    titles: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    pending: list[tuple[int, list[Any]]] = field(default_factory=list)


@dataclass
class Row:
    """One data row: its Excel row number, parsed values (None = blank) and errors.

    One wrong cell gives one error: a second reason for a column already in error is dropped
    (a bad employer code is not also "fill in the employer").
    """

    number: int
    values: dict[str, Any]
    raw: dict[str, str]
    errors: list[RowError]
    positions: dict[str, int] = field(default_factory=dict)

    def error(self, key: str, reason: str, title: str | None = None) -> None:
        """Add an error for column `key` (its title is filled in by `parse_rows`), unless it has one."""
        column = title or key
        if any(error.column == column for error in self.errors):
            return
        position = self.positions.get(key, NO_POSITION)
        self.errors.append(RowError(self.number, column, self.raw.get(key, ""), reason, position))

    def has_error(self, *keys: str) -> bool:
        """Whether any of the columns `keys` (as placed in the file) already has an error."""
        places = {self.positions[key] for key in keys if key in self.positions}
        return any(error.position in places for error in self.errors)


def _recognised(index: dict[str, Column], cells: list[Any]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    for position, cell in enumerate(cells):
        if isinstance(cell, str) and (column := match_header(index, cell)) is not None:
            found[position] = column
    return found


def find_header(
    rows: Iterator[tuple[int, list[Any]]], columns: tuple[Column, ...], *, advice: str = "请下载模板对照列名。"
) -> Header:
    """Consume rows up to and including the header; return the header found.

    `advice` ends the refusal of a file without one ("请确认导入类型是“职工”，或下载模板对照列名。").
    """
    index = header_index(columns)
    for number, cells in rows:
        found = _recognised(index, cells)
        if len(found) >= 2:
            return _build_header(rows, index, columns, cells, found)
        if number >= HEADER_SEARCH_ROWS:
            break
    examples = "、".join(column.header for column in columns[:3])
    raise ImportFileError(
        f"没有找到表头：前 {HEADER_SEARCH_ROWS} 行中没有一行包含至少两个可识别的列名（如 {examples}）。{advice}"
    )


def ignored_text(ignored: list[str]) -> str:
    """The sentence listing the columns not recognised, as the command line and the web preview show it."""
    return f"以下列未识别，已忽略：{'、'.join(ignored)}" if ignored else ""


def missing_columns_error(missing: list[Column], ignored: list[str], what: str = "必填列") -> ImportFileError:
    """The refusal of a file without a column it needs, naming the columns it has that were not recognised."""
    names = "；".join(f"“{c.header}”（也可写作：{'、'.join(c.aliases[:4]) or '无'}）" for c in missing)
    unknown = f"文件中这些列未能识别：{'、'.join(ignored)}。如其中有该列，请把列名改为上面的写法。" if ignored else ""
    return ImportFileError(f"缺少{what}：{names}。{unknown}请下载模板对照列名。")


def _build_header(
    rows: Iterator[tuple[int, list[Any]]],
    index: dict[str, Column],
    columns: tuple[Column, ...],
    cells: list[Any],
    found: dict[int, Column],
) -> Header:
    header = Header(positions={}, titles={})
    _place(header, cells, found)
    # A second header row (under merged group cells) is only taken when it names
    # a column the first row did not; otherwise it is the first data row.
    peeked = next(rows, None)
    pending = [peeked] if peeked is not None else []
    if peeked is not None:
        below = {p: c for p, c in _recognised(index, peeked[1]).items() if c.key not in header.positions}
        if below and all(p not in found for p in below):
            _place(header, peeked[1], below)
            pending = []
    header.ignored = [
        as_text(cell)
        for position, cell in enumerate(cells)
        if not is_blank(cell) and position not in header.positions.values()
    ]
    missing = [column for column in columns if column.required and column.key not in header.positions]
    if missing:
        raise missing_columns_error(missing, header.ignored)
    header.pending = pending
    return header


def _place(header: Header, cells: list[Any], found: dict[int, Column]) -> None:
    for position, column in found.items():
        title = as_text(cells[position])
        if column.key in header.positions:
            raise ImportFileError(
                f"列“{title}”和列“{header.titles[column.key]}”是同一项内容（{column.header}），请删除其中一列。"
            )
        header.positions[column.key] = position
        header.titles[column.key] = title


def parse_rows(rows: Iterator[tuple[int, list[Any]]], header: Header, columns: tuple[Column, ...]) -> Iterator[Row]:
    """Yield every non-blank data row below the header, parsed column by column."""
    by_key = {column.key: column for column in columns}
    for number, cells in _chain(header.pending, rows):
        picked = {key: cells[pos] if pos < len(cells) else None for key, pos in header.positions.items()}
        if all(is_blank(value) for value in picked.values()):
            continue
        row = Row(number=number, values={}, raw={}, errors=[], positions=header.positions)
        for key, value in picked.items():
            if is_blank(value):
                row.values[key] = None
                continue
            row.raw[key] = as_text(value)
            try:
                row.values[key] = by_key[key].parse(value)
            except CellError as exc:
                row.values[key] = None
                row.error(key, str(exc), header.titles[key])
        yield row


def _chain(
    first: list[tuple[int, list[Any]]], rest: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    yield from first
    yield from rest


def chunked(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Group rows into lists of at most `size`, so memory stays bounded.

    With DEBUG on, Django keeps the text of recent queries; bulk inserts make that log
    grow by megabytes a chunk, so it is dropped between chunks.
    """
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
        reset_queries()
