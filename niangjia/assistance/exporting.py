"""The work queue as xlsx: the page's filter, its households in the page's order, one row each; audited.

The header line names the filter and the count (read in one snapshot, as the registry's exports);
rows are read in chunks and written in constant-memory mode, so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

import xlsxwriter
from django.db import connection, transaction
from django.utils import timezone

from niangjia.assistance.choices import ItemStatus
from niangjia.assistance.selectors.queue import QueueFilter, cards_for, queue_queryset
from niangjia.core.audit import audit_export
from niangjia.core.filtering import Choices
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import StaffUser
from niangjia.screening.pack import current_policies, policy_names

CHUNK = 1000
EXPORT_MAX = 100_000
COLUMNS = [("户主", 10), ("所在区划", 16), ("办理状态", 10), ("负责干部", 12), ("符合金额合计", 12),
           ("政策、结果、金额、状态", 60), ("缺少材料", 30), ("最早提出", 12)]  # fmt: skip


def export_queue(
    *, user: StaffUser, filters: QueueFilter, out: IO[bytes], choices: Mapping[str, Choices] | None = None
) -> int:
    """Write the filtered queue to `out`; return the number of households written."""
    require_action(user, Action.EXPORT)
    names = policy_names(current_policies())
    labels = dict(ItemStatus.choices)
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("帮扶待办")
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
    money = workbook.add_format({"num_format": "¥#,##0.00"})
    for position, (_, width) in enumerate(COLUMNS):
        sheet.set_column(position, position, width)
    qs = queue_queryset(user=user, filters=filters).select_related("household__area", "assignee")
    qs = qs.order_by("rank", "since", "household_id")
    written = 0
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # The count in the header and the rows read from one snapshot (as the registry's exports).
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        count = min(qs.count(), EXPORT_MAX)
        who = f"{user.display_name or user.username}（{user.org.name if user.org else ''}）"
        sheet.write_string(
            0, 0, f"帮扶待办 · 导出人：{who} · 导出时间：{timezone.localtime():%Y-%m-%d %H:%M} · "
            f"筛选：{filters.describe(choices)} · 共 {count} 户 · 内含个人信息，请妥善保管，勿外传。",
        )  # fmt: skip
        sheet.write_row(1, 0, [title for title, _ in COLUMNS], bold)
        chunk = []
        for entry in qs[:EXPORT_MAX].iterator(chunk_size=CHUNK):
            chunk.append(entry)
            if len(chunk) == CHUNK:
                written = _rows(sheet, cards_for(chunk), written, names, labels, money)
                chunk = []
        written = _rows(sheet, cards_for(chunk), written, names, labels, money)
        sheet.write_string(written + 3, 0, f"共 {written} 户。")
        workbook.close()
        audit_export(actor=user, what="帮扶待办", rows=written, filters=filters.chosen())
    return written


def _rows(sheet: Any, cards: list[Any], written: int, names: dict[str, str], labels: dict[str, str], money: Any) -> int:
    for card in cards:
        row = written + 2
        entry = card.entry
        items = "；".join(
            f"{names.get(i.policy_id, i.policy_id)}{('（' + i.member.name + '）') if i.member else ''} "
            f"{'符合' if i.outcome == 'eligible' else '可能符合'}"
            f"{f' ¥{i.amount:,.2f}' if i.amount is not None else ''} {labels.get(i.status, i.status)}"
            for i in card.items
        )
        assignee = entry.assignee.display_name or entry.assignee.username if entry.assignee else ""
        sheet.write_string(row, 0, card.head.name if card.head else "")
        sheet.write_string(row, 1, entry.household.area.name)
        sheet.write_string(row, 2, labels.get(entry.status, entry.status))
        sheet.write_string(row, 3, assignee)
        sheet.write_number(row, 4, float(entry.amount), money)
        sheet.write_string(row, 5, items)
        sheet.write_string(row, 6, "、".join(card.papers))
        sheet.write_string(row, 7, entry.since.isoformat())
        written += 1
    return written
