"""Importing enterprises: one per 统一社会信用代码, created or updated in bulk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.identifiers import normalize_phone, validate_uscc
from niangjia.registry.choices import Industry
from niangjia.registry.importing.cells import CellError, fold
from niangjia.registry.importing.rows import Row, chunked
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Enterprise

FIELDS = ["name", "ownership", "size_class", "is_platform", "industry", "area", "address", "lng", "lat",
          "contact_name", "contact_phone", "employee_count"]  # fmt: skip
REQUIRED_FOR_NEW = ["ownership", "size_class", "industry", "area"]
_INDUSTRY_BY_LABEL = {fold(str(label)): str(value) for value, label in Industry.choices}


def parse_industry(text: str) -> str:
    """A GB/T 4754 section: its letter ("C"), its name ("制造业") or both ("C 制造业")."""
    value = fold(text).replace(" ", "")
    letter = value[:1].upper()
    rest = re.sub(r"^[-_.、:：]", "", value[1:])
    if letter in Industry.values and (not rest or _INDUSTRY_BY_LABEL.get(rest) == letter):
        return letter
    found = _INDUSTRY_BY_LABEL.get(value)
    if found is None:
        raise CellError(f"“{text}”不是国民经济行业门类，请填写门类字母（A 到 T）或名称，如 C 或 制造业。")
    return found


def import_enterprises(rows: Iterator[Row], run: ImportRun) -> None:
    """Validate, then (when writing) create or update every good row, chunk by chunk."""
    for chunk in chunked(rows, CHUNK_ROWS):
        good = [(row, values) for row in chunk if (values := _clean(row, run)) is not None]
        existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[v["uscc"] for _, v in good])}
        allowed = set(run.ctx.changeable(Enterprise.objects.filter(pk__in=[e.pk for e in existing.values()]))
                      .values_list("pk", flat=True))  # fmt: skip
        created: list[Enterprise] = []
        changed: list[tuple[Enterprise, dict[str, Any], dict[str, Any]]] = []
        for row, values in good:
            enterprise = existing.get(values["uscc"])
            if enterprise is None:
                new = _new(row, values, run)
                if run.settle(row) and new is not None:
                    created.append(new)
                    run.result.new += 1
                continue
            if enterprise.pk not in allowed:
                run.reject(row, "uscc", "该企业已由其他工会登记，超出您的管辖范围，不能修改。请联系上级工会。")
                run.settle(row)
                continue
            old = {f: getattr(enterprise, f) for f in FIELDS if values.get(f) is not None}
            diff = {f: values[f] for f in old if old[f] != values[f]}
            run.settle(row)
            if diff:
                changed.append((enterprise, {f: old[f] for f in diff}, diff))
                run.result.updated += 1
            else:
                run.result.unchanged += 1
        if run.writing:
            _write(created, changed, run)


def _clean(row: Row, run: ImportRun) -> dict[str, Any] | None:
    values = dict(row.values)
    try:
        values["uscc"] = validate_uscc(values.get("uscc") or "")
    except ValidationError as exc:
        run.reject(row, "uscc", exc.messages[0])
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = normalize_phone(values["contact_phone"])
        except ValidationError as exc:
            run.reject(row, "contact_phone", exc.messages[0])
    for key, parse in (("industry", parse_industry), ("area", run.ctx.area)):
        if values.get(key):
            try:
                values[key] = parse(values[key])
            except CellError as exc:
                run.reject(row, key, str(exc))
    if not row.errors and not values.get("name"):
        run.reject(row, "name", "企业名称不能为空。")
    if not row.errors:
        run.first_seen(row, "uscc", f"uscc:{values['uscc']}", "统一社会信用代码")
    if row.errors:
        run.settle(row)
        return None
    return values


def _new(row: Row, values: dict[str, Any], run: ImportRun) -> Enterprise | None:
    for key in REQUIRED_FOR_NEW:
        if values.get(key) is None:
            run.reject(row, key, f"新登记的企业必须填写“{run.title(key)}”。")
    if row.errors:
        return None
    org = run.ctx.org_for_area(values["area"])
    if org is None:
        run.reject(row, "area", f"“{values['area'].name}”不在您所在工会的管辖范围内，无法确定负责工会。")
        return None
    if not run.ctx.may_change_org(org):
        run.reject(row, "area", f"您无权在“{org.name}”名下登记企业。")
        return None
    fields = {f: values[f] for f in FIELDS if values.get(f) is not None}
    return Enterprise(org=org, uscc=values["uscc"], **fields)


def _write(
    created: list[Enterprise], changed: list[tuple[Enterprise, dict[str, Any], dict[str, Any]]], run: ImportRun
) -> None:
    Enterprise.objects.bulk_create(created, batch_size=500)
    now = timezone.now()
    for enterprise, old, new in changed:
        for name, value in new.items():
            setattr(enterprise, name, value)
        enterprise.updated_at = now
        enterprise.save(update_fields=[*new, "updated_at"])
        audit_record(actor=run.ctx.user, action="registry.enterprise.change", target=enterprise, old=old, new=new)
