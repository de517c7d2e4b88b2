"""Small counts withheld, and the totals kept from giving them back (docs/reports.md, "Small counts").

A count of 1 to 4 people is shown as "<5" to roles without `Action.SENSITIVE` and in anything published
(the bulletin, its xlsx). That alone is not enough: where a table also shows the total of a line (a column
over its rows, or an identity such as 找到 = 新识别 + 已建档), one hidden cell is the total minus the shown
ones. So, complementary suppression: for every line holding a hidden cell, work out the interval each
hidden cell could still take given what is shown and what a reader knows of hidden cells (a small count is
1–4; a complementary cell is at least 5, for it was not small and it is never a zero; an amount is > 0),
and while some hidden cell's interval is a single value, hide the smallest non-zero shown part of that
line too (or, when there is none, its total). Repeated until no line gives any hidden cell away.

Pure functions over plain numbers, so the rule is tested apart from the database.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

SMALL_COUNT = 5
INF = float("inf")

Key = Hashable
Number = int | float | Decimal


class Mark(enum.StrEnum):
    SHOWN = ""
    SMALL = "small"  # 1–4 people: "<5"
    COMPLEMENT = "complement"  # hidden so that a total does not give a small count back: "*"


@dataclass(frozen=True, slots=True)
class Cell:
    """One protected number: a count of people, or an amount of money paid to `count` people."""

    value: Number
    count: int  # the people (or payments) behind it; for a count cell, the value itself
    money: bool = False
    fixed: bool = False  # a value the reader is assumed to know, never hidden (a remainder)


@dataclass(frozen=True, slots=True)
class Line:
    """An identity a reader can use: `total` = the sum of `parts`."""

    total: Key
    parts: tuple[Key, ...]


def primary(cells: Mapping[Key, Cell]) -> dict[Key, Mark]:
    """Mark the cells of 1–4 people small."""
    found: dict[Key, Mark] = {}
    for key, cell in cells.items():
        if 0 < cell.count < SMALL_COUNT and not cell.fixed:
            found[key] = Mark.SMALL
    return found


def _bounds(cell: Cell, mark: Mark) -> tuple[float, float]:
    """What a reader knows of a hidden cell."""
    if cell.money:
        return (0.0, INF)
    return (1.0, SMALL_COUNT - 1.0) if mark == Mark.SMALL else (float(SMALL_COUNT), INF)


def _intervals(line: Line, cells: Mapping[Key, Cell], marks: Mapping[Key, Mark]) -> dict[Key, tuple[float, float]]:
    """For each hidden cell of the line, the values it could take given everything else in the line."""
    terms = [(line.total, -1)] + [(part, 1) for part in line.parts]
    hidden = [(key, sign) for key, sign in terms if key in marks]
    constant = -sum(sign * float(cells[key].value) for key, sign in terms if key not in marks)
    bounds = {key: _bounds(cells[key], marks[key]) for key, _sign in hidden}
    # What the other hidden terms add up to, at least and at most: sums of the finite bounds and counts of the
    # infinite ones, each cell's own share taken out (one pass, not one per cell).
    shares = {}
    for key, sign in hidden:
        lo, hi = bounds[key]
        shares[key] = (sign * lo, sign * hi) if sign > 0 else (sign * hi, sign * lo)
    low_sum = sum(low for low, _ in shares.values() if low != -INF)
    low_inf = sum(1 for low, _ in shares.values() if low == -INF)
    high_sum = sum(high for _, high in shares.values() if high != INF)
    high_inf = sum(1 for _, high in shares.values() if high == INF)
    found = {}
    for key, sign in hidden:
        own_low, own_high = shares[key]
        low = -INF if low_inf - (own_low == -INF) > 0 else low_sum - (own_low if own_low != -INF else 0.0)
        high = INF if high_inf - (own_high == INF) > 0 else high_sum - (own_high if own_high != INF else 0.0)
        # sign * x = constant - (sum of the others), the others within [low, high]
        span = (constant - high, constant - low) if sign > 0 else (low - constant, high - constant)
        lo, hi = bounds[key]
        found[key] = (max(lo, span[0]), min(hi, span[1]))
    return found


def _given_away(line: Line, cells: Mapping[Key, Cell], marks: Mapping[Key, Mark]) -> bool:
    """Whether some hidden cell of the line is pinned to one value by the cells shown."""
    for key, (lo, hi) in _intervals(line, cells, marks).items():
        if cells[key].money:
            if hi - lo <= 0:
                return True
        elif hi - lo < 1:
            return True
    return False


def _complement(line: Line, cells: Mapping[Key, Cell], marks: Mapping[Key, Mark]) -> Key | None:
    """The next cell to hide in a line: its smallest non-zero shown part, else its total."""
    shown = [key for key in line.parts if key not in marks and cells[key].value and not cells[key].fixed]
    if shown:
        return min(shown, key=lambda key: (cells[key].value, str(key)))
    if line.total not in marks and cells[line.total].value:
        return line.total
    return None


def suppress(
    cells: Mapping[Key, Cell], lines: Iterable[Line], forced: Mapping[Key, Mark] | None = None
) -> dict[Key, Mark]:
    """The cells to hide, small or complementary; cells not in the answer are shown.

    `forced` are cells hidden already elsewhere (a total hidden in the table above this one).
    """
    lines = [line for line in lines if line.total in cells and all(part in cells for part in line.parts)]
    marks: dict[Key, Mark] = {key: mark for key, mark in (forced or {}).items() if key in cells and mark != Mark.SHOWN}
    marks.update(primary(cells))
    # A worklist of lines, short ones first (a row's split before a column of a thousand cadres): a line is
    # looked at again only when one of its cells is newly hidden.
    touching: dict[Key, list[int]] = {}
    for index, line in enumerate(lines):
        for key in (line.total, *line.parts):
            touching.setdefault(key, []).append(index)
    waiting = [
        (len(line.parts), index)
        for index, line in enumerate(lines)
        if any(key in marks for key in (line.total, *line.parts))
    ]
    heapq.heapify(waiting)
    queued = {index for _, index in waiting}
    while waiting:
        _size, index = heapq.heappop(waiting)
        queued.discard(index)
        line = lines[index]
        if not _given_away(line, cells, marks):
            continue
        key = _complement(line, cells, marks)
        if key is None:
            continue
        marks[key] = Mark.COMPLEMENT
        for other in [index, *touching.get(key, [])]:
            if other not in queued:
                queued.add(other)
                heapq.heappush(waiting, (len(lines[other].parts), other))
    return marks


def recoverable(cells: Mapping[Key, Cell], lines: Iterable[Line], marks: Mapping[Key, Mark]) -> list[Key]:
    """The hidden cells a reader could pin from one line (what the tests and the self-check look for)."""
    pinned = []
    for line in lines:
        if line.total in cells and all(part in cells for part in line.parts):
            for key, (lo, hi) in _intervals(line, cells, marks).items():
                if (hi - lo <= 0) if cells[key].money else (hi - lo < 1):
                    pinned.append(key)
    return pinned
