"""Cell parsers: dates, money, yes/no, numbers Excel stored as floats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from niangjia.conftest import Tree
from niangjia.core.tabular.cells import CellError, as_text, boolean, disability_grade, money, parse_date
from niangjia.registry.importing import import_file
from niangjia.registry.models import Worker
from niangjia.registry.tests.fixtures.sheets import enterprise, person_id


@pytest.mark.parametrize(
    "value",
    ["2025.3.1", "2025年3月1日", "2025/03/01", "2025-3-1", "20250301", "２０２５－３－１", " 2025-03-01 ", 45717,
     45717.0, "45717", datetime(2025, 3, 1, 0, 0), date(2025, 3, 1), "2025-03-01 00:00:00"],
)  # fmt: skip
def test_dates(value: object) -> None:
    assert parse_date(value) == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [("2025-02-30", "日期“2025-02-30”不存在，请检查年、月、日。"),
     ("3月1日", "无法识别的日期“3月1日”，请写成 2025-03-01 这样的格式。"),
     (45717.5, "无法识别的日期“45717.5”，请写成 2025-03-01 这样的格式。")],
)  # fmt: skip
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_date(value)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,234.50", "1234.50"), ("1234.5元", "1234.50"), ("￥88", "88.00"), (1234.5, "1234.50"), (0.1, "0.10"),
     ("１２３", "123.00"), (3000, "3000.00")],
)  # fmt: skip
def test_money_is_decimal(value: object, expected: str) -> None:
    assert money(value) == Decimal(expected)


def test_money_refuses_extra_decimals_and_negatives() -> None:
    with pytest.raises(CellError, match="最多保留 2 位小数"):
        money("1.234")
    with pytest.raises(CellError, match="超出范围"):
        money("-5")


@pytest.mark.parametrize(("value", "expected"), [("是", True), ("否", False), ("Y", True), ("n", False), (True, True),
                                                 (1.0, True), ("√", True), ("无", False)])  # fmt: skip
def test_yes_no(value: object, expected: bool) -> None:
    assert boolean(value) is expected


def test_numbers_stored_as_float() -> None:
    assert as_text(13800138000.0) == "13800138000"
    assert as_text(610103199001011234.0) == "6.10103199001011E+17"
    assert [disability_grade(v) for v in ("二级", "2级", 3.0, "一级(极重度)")] == [2, 2, 3, 1]


def test_two_row_header_under_merged_group_cells(tmp_path: Path, tree: Tree) -> None:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    path = tmp_path / "w.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range("A1:E1", "阎良区职工花名册（2025年）")
    sheet.merge_range("A2:A3", "姓名")
    sheet.merge_range("B2:B3", "身份证号码")
    sheet.merge_range("C2:C3", "工作单位")
    sheet.merge_range("D2:E2", "入会情况")
    sheet.write_row(2, 3, ["是否会员", "入会日期"])
    sheet.write_row(3, 0, ["甲", person_id(1), "阎良航空配件厂", "是", "2024-05-04"])
    sheet.write_row(4, 0, ["乙", person_id(2), "阎良航空配件厂", "否", "不详"])
    book.close()

    result = import_file(kind="workers", path=path, user=tree.yanliang_staff, good_rows_only=True)

    assert [(e.row, e.column) for e in result.errors] == [(5, "入会日期")]
    assert Worker.objects.get().member_since == date(2024, 5, 4)
