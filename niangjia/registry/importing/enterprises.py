"""Importing enterprises: one per 统一社会信用代码, created or updated by `enterprise_bulk_register`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.identifiers import normalize_phone, validate_uscc
from niangjia.core.tabular.cells import CellError, fold
from niangjia.core.tabular.rows import Row, chunked, missing_columns_error
from niangjia.orgs.models import UnionOrg
from niangjia.registry.choices import Industry
from niangjia.registry.importing.columns import ENTERPRISE_COLUMNS
from niangjia.registry.importing.result import validation_messages
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Enterprise
from niangjia.registry.services import EnterpriseData, enterprise_bulk_register

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
    """Map every row to EnterpriseData and hand each chunk to `enterprise_bulk_register`; report row by row."""
    for chunk in chunked(rows, CHUNK_ROWS):
        good = [(row, values) for row in chunk if (values := _clean(row, run)) is not None]
        # Which rows are new decides what they must give and where they go (the service looks again).
        on_file = set(Enterprise.objects.filter(uscc__in=[v["uscc"] for _, v in good]).values_list("uscc", flat=True))
        mapped: list[tuple[Row, EnterpriseData]] = []
        for row, values in good:
            org = None if values["uscc"] in on_file else _owner(row, values, run)
            if run.settle(row):
                fields: dict[str, Any] = {f: values[f] for f in FIELDS if values.get(f) is not None}
                if org is not None:
                    fields["org"] = org  # an enterprise on file keeps its owning union
                mapped.append((row, EnterpriseData(uscc=values["uscc"], **fields)))
        outcome = enterprise_bulk_register(actor=run.ctx.user, rows=[data for _, data in mapped], write=run.writing)
        for (row, _), result in zip(mapped, outcome, strict=True):
            if isinstance(result.error, PermissionDenied):
                run.reject(row, "uscc", str(result.error))
            elif result.error is not None:
                for name, message in validation_messages(result.error).items():
                    run.reject(row, name if name in FIELDS or name == "uscc" else "name", message)
            if run.settle(row):
                setattr(run.result, result.status, getattr(run.result, result.status) + 1)


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
        run.first_seen(
            row, "uscc", f"uscc:{values['uscc']}", "统一社会信用代码", values["name"], named="企业名称", card="营业执照"
        )
    if row.errors:
        run.settle(row)
        return None
    return values


def _owner(row: Row, values: dict[str, Any], run: ImportRun) -> UnionOrg | None:
    """The owning union of a new enterprise (see docs/import.md); reject the row when there is none.

    A new enterprise in a file without a column it must give refuses the file: every new row would
    lack it, whatever its cells say (the column is most likely there under a name not recognised).
    """
    absent = [c for c in ENTERPRISE_COLUMNS if c.key in REQUIRED_FOR_NEW and c.key not in run.header.positions]
    if absent:
        raise missing_columns_error(
            absent, run.header.ignored, what=f"新登记企业必填的列（第 {row.number} 行是新企业）"
        )
    for key in REQUIRED_FOR_NEW:
        if values.get(key) is None:
            run.reject(row, key, f"新登记的企业必须填写“{run.title(key)}”。")
    if row.errors:
        return None
    org = run.ctx.org_for_area(values["area"])
    if org is None:
        run.reject(row, "area", f"“{values['area'].name}”不在您所在工会的管辖范围内，无法确定负责工会。")
    elif not run.ctx.may_change_org(org):
        run.reject(row, "area", f"您无权在“{org.name}”名下登记企业。")
        return None
    return org
