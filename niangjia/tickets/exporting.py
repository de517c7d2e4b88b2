"""The ticket report as xlsx: the same figures and rows as the page, with the as-of time and the filter."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

import xlsxwriter
from django.utils import timezone

from niangjia.core.audit import audit_export
from niangjia.core.filtering import Choices
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import StaffUser
from niangjia.tickets.reporting import (
    TicketReportFilter,
    report_summary,
    report_tables,
    ticket_report,
    women_reply_report,
)

WHAT = "诉求统计"


def report_export(
    *,
    user: StaffUser,
    filters: TicketReportFilter,
    stream: IO[bytes] | str,
    choices: dict[str, Choices] | None = None,
    now: datetime | None = None,
) -> int:
    """Write the report for `user` and `filters` as of `now` to `stream`; audit the export; return the table rows."""
    require_action(user, Action.EXPORT)
    now = now or timezone.now()
    report = ticket_report(user=user, now=now, filters=filters)
    women = women_reply_report(user=user, now=now, filters=filters)
    workbook = xlsxwriter.Workbook(stream, {"strings_to_numbers": False, "in_memory": True})
    sheet = workbook.add_worksheet(WHAT)
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 5, 14)
    shown = timezone.localtime(now)
    who = f"{user.display_name or user.username}（{user.org.name if user.org else ''}）"
    sheet.write_string(0, 0, f"{WHAT} · 统计时间：{shown:%Y-%m-%d %H:%M}（北京时间）· 筛选：{filters.describe(choices)}"
                             f" · 导出人：{who}")  # fmt: skip
    at = 2
    for label, value in report_summary(report, women):
        sheet.write_string(at, 0, label, bold)
        _write(sheet, at, 1, value)
        at += 1
    rows = 0
    for table in report_tables(report):
        at += 1
        sheet.write_string(at, 0, table.title)
        sheet.write_row(at + 1, 0, table.header, bold)
        at += 2
        for cells in table.rows:
            for col, value in enumerate(cells):
                _write(sheet, at, col, value)
            at += 1
            rows += 1
    workbook.close()
    # The filter in Chinese ("查询"): the audit page has no labels for the filter's field names.
    audit_export(actor=user, what=WHAT, rows=rows, filters={"query": filters.describe(choices)})
    return rows


def _write(sheet: Any, row: int, col: int, value: str | int) -> None:
    if isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, value)
