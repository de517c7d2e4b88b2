"""Small counts withheld, and no total gives one back: the rule on plain numbers, with adversarial tables."""

from __future__ import annotations

from decimal import Decimal

from niangjia.reports.suppression import Cell, Line, Mark, recoverable, suppress


def column(values: list[int]) -> tuple[dict[object, Cell], list[Line]]:
    """One column of counts and its total, as a table has them."""
    cells: dict[object, Cell] = {i: Cell(v, v) for i, v in enumerate(values)}
    cells["total"] = Cell(sum(values), sum(values))
    return cells, [Line("total", tuple(range(len(values))))]


def test_counts_of_one_to_four_are_small_and_zero_and_five_are_shown() -> None:
    cells, lines = column([0, 5, 9, 12])
    assert suppress(cells, lines) == {}
    cells, lines = column([4, 1, 20, 30])
    assert suppress(cells, lines) == {0: Mark.SMALL, 1: Mark.SMALL}


def test_one_small_cell_in_a_column_hides_the_next_smallest_too() -> None:
    # The adversary: total 53 − 20 − 30 = 3 if only the 3 were hidden.
    cells, lines = column([3, 20, 30])
    marks = suppress(cells, lines)
    assert marks == {0: Mark.SMALL, 1: Mark.COMPLEMENT}
    assert recoverable(cells, lines, marks) == []
    # What a reader can still work out: 3 + x = 23 with x ≥ 5, so the small cell is 1–4, no more.


def test_a_complement_that_would_pin_the_small_cell_brings_another() -> None:
    # Hiding 1 and 5 leaves 1 + 5 = 6: a small cell (≥ 1) and a complement (≥ 5) can only be 1 and 5.
    cells, lines = column([1, 5, 30])
    marks = suppress(cells, lines)
    assert marks == {0: Mark.SMALL, 1: Mark.COMPLEMENT, 2: Mark.COMPLEMENT}
    assert recoverable(cells, lines, marks) == []


def test_two_small_cells_that_are_both_ones_are_not_left_alone() -> None:
    # 1 + 1 = 2 hidden: each must be 1.
    cells, lines = column([1, 1, 40])
    marks = suppress(cells, lines)
    assert set(marks) == {0, 1, 2}
    assert recoverable(cells, lines, marks) == []


def test_a_small_total_is_hidden_and_its_only_part_with_it() -> None:
    cells, lines = column([3, 0, 0])
    marks = suppress(cells, lines)
    assert marks == {0: Mark.SMALL, "total": Mark.SMALL}
    assert recoverable(cells, lines, marks) == []


def test_an_identity_within_a_row_is_protected_like_a_column() -> None:
    # found = new + archived in every row; new is 3 in row a, so found − archived would give it.
    cells = {
        ("a", "found"): Cell(12, 12),
        ("a", "new"): Cell(3, 3),
        ("a", "archived"): Cell(9, 9),
        ("b", "found"): Cell(20, 20),
        ("b", "new"): Cell(8, 8),
        ("b", "archived"): Cell(12, 12),
        ("t", "found"): Cell(32, 32),
        ("t", "new"): Cell(11, 11),
        ("t", "archived"): Cell(21, 21),
    }
    lines = [Line(("t", code), (("a", code), ("b", code))) for code in ("found", "new", "archived")]
    lines += [Line((row, "found"), ((row, "new"), (row, "archived"))) for row in ("a", "b", "t")]
    marks = suppress(cells, lines)
    assert marks[("a", "new")] == Mark.SMALL
    assert recoverable(cells, lines, marks) == []
    # Every line that holds a hidden cell holds two at least.
    for line in lines:
        hidden = [key for key in (line.total, *line.parts) if key in marks]
        assert len(hidden) != 1


def test_money_paid_to_few_people_is_hidden_with_a_complement() -> None:
    cells: dict[object, Cell] = {
        "a": Cell(Decimal("3000.00"), 2, money=True),
        "b": Cell(Decimal("15000.00"), 9, money=True),
        "c": Cell(Decimal("40000.00"), 25, money=True),
        "total": Cell(Decimal("58000.00"), 36, money=True),
    }
    lines = [Line("total", ("a", "b", "c"))]
    marks = suppress(cells, lines)
    assert marks == {"a": Mark.SMALL, "b": Mark.COMPLEMENT}
    assert recoverable(cells, lines, marks) == []


def test_a_total_hidden_above_is_protected_below() -> None:
    # The district's total was hidden in the city's table: its streets must not give it back.
    cells, lines = column([7, 9, 11])
    marks = suppress(cells, lines, forced={"total": Mark.COMPLEMENT})
    assert marks["total"] == Mark.COMPLEMENT
    assert sum(1 for key in marks if key != "total") >= 1
    assert recoverable(cells, lines, marks) == []


def test_a_fixed_remainder_is_never_hidden_but_counts_as_known() -> None:
    # Cadre rows and what no cadre holds: the remainder is assumed known to the reader.
    cells: dict[object, Cell] = {
        "x": Cell(3, 3),
        "y": Cell(10, 10),
        "rest": Cell(2, 0, fixed=True),
        "total": Cell(15, 15),
    }
    marks = suppress(cells, [Line("total", ("x", "y", "rest"))])
    assert marks == {"x": Mark.SMALL, "y": Mark.COMPLEMENT}
