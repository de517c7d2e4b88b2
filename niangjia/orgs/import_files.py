"""The files of a staff roster import: the blank template, the error list, the one-time passwords."""

from __future__ import annotations

from typing import IO

import xlsxwriter

from niangjia.core.roles import Role
from niangjia.core.tabular.report import errors_write as errors_write_xlsx
from niangjia.orgs.importing import COLUMNS, StaffImportResult

TEMPLATE_FILENAME = "工作人员导入模板.xlsx"
_TEXT_KEYS = {"username", "phone"}


def template_write(stream: IO[bytes]) -> None:
    """Write the blank template: Chinese headers with notes, a role drop-down, text-formatted columns."""
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = workbook.add_worksheet("工作人员名册")
    header = workbook.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "font_color": "#C00000"})
    text = workbook.add_format({"num_format": "@"})
    for position, column in enumerate(COLUMNS):
        sheet.write(0, position, column.header, required if column.required else header)
        sheet.set_column(
            position, position, 24 if column.key == "org" else 16, text if column.key in _TEXT_KEYS else None
        )
        note = "；".join(part for part in ("必填" if column.required else "", column.note) if part)
        if column.aliases:
            note += "；也可写作：" + "、".join(column.aliases[:6])
        sheet.write_comment(0, position, note, {"x_scale": 1.5})
        if column.options:
            sheet.data_validation(1, position, 10_000, position, {"validate": "list", "source": list(column.options)})
    sheet.write_row(1, 0, ["张三", "", "阎良区总工会", "13800000000", str(Role.CADRE.label)])
    sheet.write(2, 0, "（第 2 行是示例，导入前请删除）")
    sheet.freeze_panes(1, 0)
    workbook.close()


def errors_write(result: StaffImportResult, stream: IO[bytes]) -> None:
    """Write the counts and every kept row error (row, column, value, reason with the fix)."""
    errors_write_xlsx(result.errors, stream, summary=result.summary(), error_count=result.error_count)


def passwords_write(result: StaffImportResult, stream: IO[bytes]) -> None:
    """Write each new account with its one-time password, for handing out (then destroy the file)."""
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("初始密码")
    bold = workbook.add_format({"bold": True})
    mono = workbook.add_format({"font_name": "Consolas"})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, 3, 28)
    sheet.set_column(4, 4, 18)
    sheet.set_column(5, 5, 24, mono)
    sheet.write(
        0, 0, "初始密码只在首次登录时使用一次，登录后系统会要求本人设置新密码。请逐人发放，发放后删除本文件。", bold
    )
    sheet.write_row(2, 0, ["行号", "用户名", "姓名", "所属组织", "角色", "初始密码"], bold)
    for number, (row, username, name, org, role, password) in enumerate(result.accounts, start=3):
        sheet.write_number(number, 0, row)
        sheet.write_row(number, 1, [username, name, org, role, password])
    sheet.freeze_panes(3, 0)
    workbook.close()
