"""The fund report as xlsx: the page's tables, with the as-of time, the filter and who exported it."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from niangjia.core.audit import audit_export
from niangjia.core.filtering import Choices
from niangjia.core.scoping import Action, require_action
from niangjia.funds.reporting import FundReportFilter, fund_report

WHAT = "帮扶资金统计"


def report_export(
    *, user: Any, filters: FundReportFilter, stream: IO[bytes], choices: dict[str, Choices] | None = None
) -> int:
    """Write the report to `stream` (amounts as numbers to the fen); audit the export; return the rows written."""
    require_action(user, Action.EXPORT)
    report = fund_report(user=user, filters=filters)
    book = xlsxwriter.Workbook(stream, {"strings_to_numbers": False, "in_memory": True})
    sheet = book.add_worksheet(WHAT)
    bold = book.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.set_column(0, 1, 26)
    sheet.set_column(2, 5, 16)
    now = timezone.localtime()
    who = f"{user.display_name or user.username}（{user.org.name if user.org else ''}）"
    sheet.write_string(
        0, 0, f"{WHAT} · 统计时间：{now:%Y-%m-%d %H:%M}（北京时间）· 筛选：{filters.describe(choices)} · 导出人：{who}"
    )
    at, rows = 2, 0
    for table in report["tables"]:
        sheet.write_string(at, 0, table.title)
        sheet.write_row(at + 1, 0, table.header, bold)
        at += 2
        for cells in table.rows:
            for col, value in enumerate(cells):
                if isinstance(value, Decimal):
                    # Excel keeps numbers as doubles; yuan to the fen (< 10^14) survive exactly.
                    sheet.write_number(at, col, float(value), money)
                elif isinstance(value, int):
                    sheet.write_number(at, col, value)
                else:
                    sheet.write_string(at, col, value)
            at, rows = at + 1, rows + 1
        at += 1
    book.close()
    audit_export(actor=user, what=WHAT, rows=rows, filters={k: str(v) for k, v in filters.chosen().items()})
    return rows
