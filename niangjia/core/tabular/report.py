"""The error list of an import, as an xlsx file the user fixes their sheet from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

import xlsxwriter

from niangjia.core.tabular.errors import MAX_KEPT_ERRORS, RowError


def errors_write(errors: Sequence[RowError], stream: IO[bytes] | str, *, summary: str, error_count: int) -> None:
    """Write `summary` and every kept row error (row, column, value, reason with the fix), in file order."""
    workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("错误清单")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    text = workbook.add_format({"num_format": "@", "valign": "top"})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 26, text)
    sheet.set_column(3, 3, 70, wrap)
    sheet.write(0, 0, summary, bold)
    if error_count > len(errors):
        sheet.write(1, 0, f"错误过多，只列出前 {MAX_KEPT_ERRORS} 处。")
    sheet.write_row(2, 0, ["行号", "列", "内容", "错误原因及修改方法"], bold)
    for number, error in enumerate(errors, start=3):
        sheet.write_number(number, 0, error.row)
        sheet.write_string(number, 1, error.column)
        sheet.write_string(number, 2, error.value)
        sheet.write_string(number, 3, error.reason)
    sheet.freeze_panes(3, 0)
    workbook.close()
