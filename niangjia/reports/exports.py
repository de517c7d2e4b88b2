"""Indicator tables to xlsx: one sheet per section, exactly as the page shows them (small counts withheld
the same way), headed by the campaign, the organization, what the counts are as of, and the definitions."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_export
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.reports.choices import Grouping, Measure
from niangjia.reports.formatting import HIDDEN_NOTE
from niangjia.reports.models import Refresh
from niangjia.reports.selectors.tables import Cell, Table


def as_of_text(table: Table, refresh: Refresh | None) -> str:
    """What the counts are as of: the as-of day asked for, or the last refresh."""
    if table.as_of is not None:
        return f"统计截至 {table.as_of:%Y-%m-%d} 24:00"
    if refresh is not None and refresh.finished_at is not None:
        return f"数据更新于 {timezone.localtime(refresh.finished_at):%Y-%m-%d %H:%M}"
    return "统计数据尚未生成"


def _value(cell: Cell) -> Any:
    """A cell for the sheet: a number when shown (money in yuan, rates in per cent), else its mark."""
    if cell.hidden or cell.raw is None:
        return cell.text
    if cell.measure == Measure.MONEY:
        return float(cell.raw)
    if cell.measure in (Measure.RATIO, Measure.MEAN):
        return round(float(cell.raw), 2)
    return int(cell.raw)


def write_table(book: Any, sheet: Any, table: Table, top: int, formats: dict[str, Any]) -> int:
    """Write one table from row `top`; return the next free row."""
    sheet.write(top, 0, "组织" if table.by == Grouping.ORG else "工会干部", formats["head"])
    for col, item in enumerate(table.indicators, start=1):
        sheet.write(top, col, f"{item.label}（{item.unit}）", formats["head"])
        sheet.write(top + 1, col, item.definition, formats["wrap"])
    sheet.write(top + 1, 0, "指标定义", formats["wrap"])
    row = top + 2
    for line in [*table.rows, table.total]:
        sheet.write(row, 0, line.label, formats["bold"] if line is table.total else None)
        for col, item in enumerate(table.indicators, start=1):
            cell = line.cells[item.code]
            fmt = formats["money"] if cell.measure == Measure.MONEY and not cell.hidden else None
            sheet.write(row, col, _value(cell), fmt)
        row += 1
    return row + 1


def tables_xlsx(
    *, user: Any, campaign: Campaign, base: UnionOrg, tables: list[tuple[str, Table]], refresh: Refresh | None
) -> bytes:
    """The workbook of `tables` (already built for the user); the export is audited."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "head": book.add_format({"bold": True, "bg_color": "#F2DEDE", "text_wrap": True}),
        "wrap": book.add_format({"text_wrap": True, "font_size": 9, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "¥#,##0.00"}),
    }
    rows = 0
    for section, table in tables:
        sheet = book.add_worksheet(section[:31])
        sheet.write(0, 0, f"{campaign.name} · {base.name} · {section}", formats["title"])
        sheet.write(1, 0, f"{as_of_text(table, refresh)}；导出时间 {timezone.localtime():%Y-%m-%d %H:%M}")
        if table.protected:
            sheet.write(2, 0, HIDDEN_NOTE)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, len(table.indicators), 16)
        write_table(book, sheet, table, 4, formats)
        rows += len(table.rows) + 1
    book.close()
    with transaction.atomic():
        audit_export(
            actor=user,
            what=f"指标统计表 {campaign.name} · {base.name}",
            rows=rows,
            filters={"campaign": campaign.pk, "org": base.pk, "as_of": str(tables[0][1].as_of or "") if tables else ""},
        )
    return out.getvalue()
