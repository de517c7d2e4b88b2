"""The error report of an import, as an xlsx file the user fixes their sheet from."""

from __future__ import annotations

from typing import IO

import xlsxwriter

from niangjia.registry.importing.columns import KIND_LABELS
from niangjia.registry.importing.result import MAX_KEPT_ERRORS, ImportResult


def summary_line(result: ImportResult) -> str:
    """One Chinese sentence of counts, for the report, the command and the result page."""
    state = "已导入" if result.committed else "未写入"
    return (
        f"{KIND_LABELS[result.kind]}导入（{state}）：共 {result.rows} 行，新增 {result.new}，更新 {result.updated}，"
        f"无变化 {result.unchanged}，有错误 {result.error_rows} 行（{result.error_count} 处）。"
    )


def report_write(result: ImportResult, stream: IO[bytes] | str) -> None:
    """Write the counts and every kept row error (row, column, value, reason) to an xlsx file."""
    workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("错误清单")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    text = workbook.add_format({"num_format": "@", "valign": "top"})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 26, text)
    sheet.set_column(3, 3, 70, wrap)
    sheet.write(0, 0, summary_line(result), bold)
    if result.error_count > len(result.errors):
        sheet.write(1, 0, f"错误过多，只列出前 {MAX_KEPT_ERRORS} 处。")
    sheet.write_row(2, 0, ["行号", "列", "内容", "错误原因及修改方法"], bold)
    for number, error in enumerate(result.errors, start=3):
        sheet.write_number(number, 0, error.row)
        sheet.write_string(number, 1, error.column)
        sheet.write_string(number, 2, error.value)
        sheet.write_string(number, 3, error.reason)
    sheet.freeze_panes(3, 0)
    workbook.close()
