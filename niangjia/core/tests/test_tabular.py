"""`core.tabular`: header matching as people spell headers, and errors kept in file order."""

from __future__ import annotations

import pytest

from niangjia.core.tabular import cells
from niangjia.core.tabular.columns import Column, header_index, match_header
from niangjia.core.tabular.errors import MAX_KEPT_ERRORS, RowError, error_keep, errors_in_order

COLUMNS = (
    Column("id_number", "身份证号", cells.raw_identifier, ("公民身份号码",)),
    Column("start_date", "入职日期", cells.parse_date),
)


@pytest.mark.parametrize(
    ("written", "key"),
    [("身份证号", "id_number"), (" 身 份 证 号 ", "id_number"), ("*身份证号", "id_number"), ("身份证号：", "id_number"),
     ("★公民身份号码", "id_number"), ("公民身份号码（18位）", "id_number"), ("身份证号【必填】", "id_number"),
     ("身份证号[必填]", "id_number"), ("入职日期（格式：2025-03-01）", "start_date"), ("备注", None), ("", None)],
)  # fmt: skip
def test_headers_match_whatever_people_add_around_them(written: str, key: str | None) -> None:
    found = match_header(header_index(COLUMNS), written)
    assert (found.key if found else None) == key


def test_errors_are_kept_in_file_order_the_first_of_them() -> None:
    errors: list[RowError] = []
    for row in range(3 * MAX_KEPT_ERRORS + 2, 1, -1):  # reported last row first
        error_keep(errors, RowError(row, "入职日期", "", "", position=5))
        error_keep(errors, RowError(row, "身份证号", "", "", position=1))
    errors_in_order(errors)
    assert len(errors) == MAX_KEPT_ERRORS
    assert [(e.row, e.column) for e in errors[:3]] == [(2, "身份证号"), (2, "入职日期"), (3, "身份证号")]
    assert errors[-1].row == 2 + MAX_KEPT_ERRORS // 2 - 1
