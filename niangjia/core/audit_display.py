"""An audit entry's old and new values as a person reads them: field labels and value labels, not keys.

A key names a field of the entry's target model (its verbose name and choices give the labels) or
one of the few values services record that are not fields (`EXTRA_LABELS`). Nothing here changes
what is stored; the log keeps the keys, so a search by them still works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from niangjia.core.models import AuditEntry

# Values services record that are not a field of the target (or have no target).
EXTRA_LABELS = {
    "area": "区划",
    "as_of": "基准日",
    "households": "户数",
    "partitions": "区县数",
    "ip": "地址",
    "cleared": "清除记录数",
    "seconds": "需等待（秒）",
    "tokens_revoked": "停用的接口令牌数",
    "forced": "强制改密",
    "org": "组织",
    "created": "新建数",
    "accounts": "账号数",
    "head": "户主",
    "enterprise": "单位",
    "employment": "就业",
    "employments_moved": "转移的就业记录",
    "kind": "类别",
    "query": "查询",
    "found": "找到",
    "rows": "行数",
    "record": "记录",
    "field": "字段",
    "count": "次数",
    "until": "截至",
    "cadre": "工会干部",
    "duplicate": "重复记录",
    "new": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "error_rows": "出错行",
    "move": "办理",
    "level": "上提次数",
}
VALUE_LABELS = {"id_number": "身份证号", "phone": "手机号", "address": "住址", "bank_account": "银行卡号"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _model(entry: AuditEntry) -> type[models.Model] | None:
    if not entry.target_type:
        return None
    try:
        return apps.get_model(entry.target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key.split(".")[-1])
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        return str(field.verbose_name)
    head, _, tail = key.partition(".")
    if tail:
        return f"{EXTRA_LABELS.get(head, head)}·{_label(None, tail)}"
    return EXTRA_LABELS.get(key, key)


def _value(model: type[models.Model] | None, key: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    field = _field(model, key)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if key in ("field", "kind"):  # which identifier was revealed or searched by
        return VALUE_LABELS.get(str(value), str(value))
    return str(value)


def audit_changes(entry: AuditEntry) -> list[Change]:
    """The entry's values, key by key, labelled: old → new, or only new."""
    model = _model(entry)
    old, new = entry.old_values or {}, entry.new_values or {}
    return [
        Change(_label(model, key), _value(model, key, old[key]) if key in old else "", _value(model, key, new.get(key)))
        for key in [*old, *(k for k in new if k not in old)]
    ]
