"""The audit page shows labelled changes, never a dict of keys and codes."""

from __future__ import annotations

import pytest

from niangjia.core.audit import audit_record
from niangjia.core.audit_display import Change, audit_changes


@pytest.mark.django_db
def test_fields_of_the_target_use_its_labels_and_choices(tree):  # type: ignore[no-untyped-def]
    entry = audit_record(
        actor=tree.yanliang_staff, action="orgs.org.create", target=tree.yanliang_street,
        old={"level": "district"}, new={"level": "street", "name": "阎良街道工会"},
    )  # fmt: skip
    assert audit_changes(entry) == [Change("层级", "区县总工会", "街道/乡镇工会"), Change("名称", "", "阎良街道工会")]


@pytest.mark.django_db
def test_values_that_are_not_fields_and_without_target(tree):  # type: ignore[no-untyped-def]
    entry = audit_record(
        actor=tree.yanliang_staff, action="core.identifier_search", target_label="查找",
        new={"kind": "phone", "query": "138****5678", "found": 0, "forced": True, "field": "phone", "odd": None},
    )  # fmt: skip
    assert [(c.label, c.new) for c in audit_changes(entry)] == [
        ("类别", "手机号"), ("查询", "138****5678"), ("找到", "0"), ("强制改密", "是"), ("字段", "手机号"), ("odd", "（空）"),
    ]  # fmt: skip
