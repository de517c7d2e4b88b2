"""Exporting enterprises and workers to xlsx: streamed, masked, audited.

Callers pass a queryset already scoped for the user (the registry selectors
return those) and the list filter it was chosen by, which the header line names
with the row count ("筛选：农民工：是；区县：阎良区 · 共 529 行"). Rows are read with
`.iterator(chunk_size=2000)` and written by xlsxwriter in constant-memory mode,
so memory stays flat whatever the count. Identifiers go out masked (`*_masked`
columns) and sensitive circumstances (income, health, disability) are never exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import IO, Any

import xlsxwriter
from django.db import connection, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from niangjia.core.audit import audit_export
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Employment, Enterprise, Worker

CHUNK_SIZE = 2000
Column = tuple[str, int, Callable[[Any], Any]]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


ENTERPRISE_COLUMNS: list[Column] = [
    ("企业名称", 30, lambda e: e.name),
    ("统一社会信用代码", 22, lambda e: e.uscc or ""),
    ("经济类型", 12, lambda e: e.get_ownership_display()),
    ("规模", 8, lambda e: e.get_size_class_display()),
    ("平台企业", 8, lambda e: _yes_no(e.is_platform)),
    ("行业门类", 24, lambda e: f"{e.industry} {e.get_industry_display()}"),
    ("所在区划", 16, lambda e: e.area.name),
    ("区划代码", 12, lambda e: e.area.code),
    ("地址", 30, lambda e: e.address),
    ("联系人", 10, lambda e: e.contact_name),
    ("联系电话", 16, lambda e: e.contact_phone),
    ("职工人数", 10, lambda e: e.employee_count),
    ("负责工会", 20, lambda e: e.org.name),
    ("状态", 8, lambda e: e.get_status_display()),
]


def _job(worker: Worker) -> Employment | None:
    jobs = worker.current_jobs  # type: ignore[attr-defined]
    return jobs[0] if jobs else None


def _job_value(name: str) -> Callable[[Worker], Any]:
    def read(worker: Worker) -> Any:
        job = _job(worker)
        if job is None:
            return ""
        if name == "enterprise":
            return job.enterprise.name
        if name == "form":
            return job.get_form_display()
        return getattr(job, name) or ""

    return read


# Masked identifiers only; no full birth date (with the masked ID it would give the number away).
WORKER_COLUMNS: list[Column] = [
    ("姓名", 10, lambda w: w.name),
    ("身份证号", 20, lambda w: w.id_number_masked),
    ("性别", 6, lambda w: w.get_sex_display()),
    ("出生年份", 8, lambda w: w.birth_date.year if w.birth_date else ""),
    ("民族", 8, lambda w: w.ethnicity),
    ("手机号", 14, lambda w: w.phone_masked),
    ("工作单位", 30, _job_value("enterprise")),
    ("岗位", 12, _job_value("post")),
    ("用工形式", 14, _job_value("form")),
    ("入职日期", 12, _job_value("start_date")),
    ("是否会员", 8, lambda w: _yes_no(w.union_member)),
    ("入会日期", 12, lambda w: w.member_since or ""),
    ("是否农民工", 10, lambda w: _yes_no(w.is_migrant)),
    ("负责工会", 20, lambda w: w.org.name),
]


def export_enterprises(
    *, user: StaffUser | None, queryset: models.QuerySet[Enterprise], stream: IO[bytes] | str,
    filters: ListFilter | Mapping[str, Any] | None = None, choices: Mapping[str, Choices] | None = None,
) -> int:  # fmt: skip
    """Write the enterprises of `queryset` to `stream` as xlsx; audit the export; return the row count."""
    rows = queryset.select_related("area", "org").order_by("pk")
    return _export(
        user=user, what="企业名册", rows=rows, columns=ENTERPRISE_COLUMNS, stream=stream, filters=filters,
        choices=choices,
    )  # fmt: skip


def export_workers(
    *, user: StaffUser | None, queryset: models.QuerySet[Worker], stream: IO[bytes] | str,
    filters: ListFilter | Mapping[str, Any] | None = None, choices: Mapping[str, Choices] | None = None,
) -> int:  # fmt: skip
    """Write the workers of `queryset` to `stream` as xlsx (identifiers masked); audit; return the row count."""
    jobs = Employment.objects.filter(end_date__isnull=True).select_related("enterprise").order_by("-start_date", "pk")
    rows = queryset.select_related("org").order_by("pk")
    lookups = getattr(queryset, "_prefetch_related_lookups", ())
    if not any(getattr(lookup, "to_attr", None) == "current_jobs" for lookup in lookups):
        rows = rows.prefetch_related(Prefetch("employments", queryset=jobs, to_attr="current_jobs"))
    return _export(
        user=user, what="职工名册", rows=rows, columns=WORKER_COLUMNS, stream=stream, filters=filters, choices=choices
    )


def _export(
    *, user: StaffUser | None, what: str, rows: models.QuerySet[Any], columns: list[Column],
    stream: IO[bytes] | str, filters: ListFilter | Mapping[str, Any] | None, choices: Mapping[str, Choices] | None,
) -> int:  # fmt: skip
    if user is not None:
        require_action(user, Action.EXPORT)
    workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(what)
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for position, (_, width, _) in enumerate(columns):
        sheet.set_column(position, position, width)
    described, chosen = _filters(filters, choices)
    # The header names the count before the rows are written: both are read from one snapshot.
    with _snapshot():
        expected = rows.count()
        sheet.write_string(0, 0, _byline(user, what, described, expected))
        sheet.write_row(1, 0, [title for title, _, _ in columns], bold)
        count = 0
        for count, record in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
            for position, (_, _, read) in enumerate(columns):
                _write(sheet, count + 1, position, read(record), date_fmt)
        sheet.write_string(count + 3, 0, f"共 {count} 条。")
        workbook.close()
        audit_export(actor=user, what=what, rows=count, filters=chosen)
    return count


def _filters(
    filters: ListFilter | Mapping[str, Any] | None, choices: Mapping[str, Choices] | None
) -> tuple[str, dict[str, Any]]:
    """The filters in Chinese for the header line, and by name for the audit entry."""
    if isinstance(filters, ListFilter):
        return filters.describe(choices), filters.chosen()
    chosen = dict(filters or {})
    return "；".join(f"{name}：{value}" for name, value in chosen.items()) or "全部", chosen


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction whose reads all see one snapshot (PostgreSQL: REPEATABLE READ; SQLite's is one already)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _byline(user: StaffUser | None, what: str, described: str, count: int) -> str:
    now = timezone.localtime(timezone.now())
    who = "系统" if user is None else f"{user.display_name or user.username}（{user.org.name if user.org else ''}）"
    return (
        f"{what} · 导出人：{who} · 导出时间：{now:%Y-%m-%d %H:%M}（北京时间）· 筛选：{described} · 共 {count} 行"
        " · 内含个人信息，请妥善保管，勿外传。"
    )


def _write(sheet: Any, row: int, col: int, value: Any, date_fmt: Any) -> None:
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, date_fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
