"""The downloadable template of each kind: Chinese headers, drop-down lists, text-formatted ID columns."""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from niangjia.core.tabular.columns import Column
from niangjia.registry.importing.columns import KIND_LABELS, KINDS

TEMPLATE_ROWS = 10_000
# Columns Excel must keep as text, or long numbers lose their last digits.
TEXT_KEYS = {"id_number", "head_id", "uscc", "enterprise_uscc", "phone", "contact_phone", "bank_account", "area"}


def template_filename(kind: str) -> str:
    """The download name of a kind's template."""
    return f"{KIND_LABELS[kind]}导入模板.xlsx"


def template_write(kind: str, stream: IO[bytes] | str) -> None:
    """Write the template of `kind` ("enterprises", "workers", "households") to a file or stream."""
    columns = KINDS[kind]
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = workbook.add_worksheet(f"{KIND_LABELS[kind]}名册")
    options = workbook.add_worksheet("选项")
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1, "text_wrap": True})
    required_fmt = workbook.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "font_color": "#C00000"})
    text_fmt = workbook.add_format({"num_format": "@"})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    list_column = 0
    for position, column in enumerate(columns):
        sheet.write(0, position, column.header, required_fmt if column.required else header_fmt)
        cell_fmt = text_fmt if column.key in TEXT_KEYS else date_fmt if "如 2025-03-01" in column.note else None
        sheet.set_column(position, position, max(10, len(column.header) * 2 + 2), cell_fmt)
        comment = _comment(column)
        if comment:
            sheet.write_comment(0, position, comment, {"x_scale": 1.5})
        if column.options:
            options.write_column(0, list_column, column.options)
            letter = xl_col_to_name(list_column)
            source = f"=选项!${letter}$1:${letter}${len(column.options)}"
            sheet.data_validation(1, position, TEMPLATE_ROWS, position, _validation(column, source))
            list_column += 1
    sheet.freeze_panes(1, 0)
    options.hide()
    _instructions(workbook, kind, columns)
    workbook.close()


def _comment(column: Column) -> str:
    parts = ["必填" if column.required else "", column.note]
    if column.aliases:
        parts.append("也可写作：" + "、".join(column.aliases[:6]))
    return "；".join(part for part in parts if part)


def _validation(column: Column, source: str) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": source,
        "error_title": f"{column.header}不在可选范围内",
        "error_message": "请从下拉列表中选择。",
        "error_type": "warning",
    }


def _instructions(workbook: Any, kind: str, columns: tuple[Column, ...]) -> None:
    sheet = workbook.add_worksheet("填写说明")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 3, 40)
    sheet.write(0, 0, f"{KIND_LABELS[kind]}导入模板填写说明", bold)
    sheet.write(1, 0, "红色列为必填。身份证号、统一社会信用代码、手机号等列已设为文本格式，请勿改成数字格式。")
    sheet.write(2, 0, "日期可写 2025-03-01、2025/3/1、2025.3.1、2025年3月1日 或 20250301。是/否 列填“是”或“否”。")
    sheet.write_row(4, 0, ["列名", "也可写作", "说明", "可选值"], bold)
    for number, column in enumerate(columns, start=5):
        sheet.write_row(
            number, 0,
            [column.header + ("（必填）" if column.required else ""), "、".join(column.aliases), column.note,
             "、".join(column.options)],
        )  # fmt: skip
