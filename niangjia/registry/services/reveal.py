"""Disclosing identity: revealing a protected identifier, finding a person by a whole one.

Both are audited and count against the user's hourly disclosure budget (core/disclosure.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction

from niangjia.core.audit import audit_record, audit_reveal
from niangjia.core.disclosure import disclosure_check
from niangjia.core.identifiers import mask_id_number, mask_phone
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors
from niangjia.registry.identity import FIELDS, read_protected
from niangjia.registry.models import Worker


def reveal(*, actor: StaffUser, obj: models.Model, field: str) -> str:
    """Return the full value of a protected field, if `actor` may see it; audit the reveal."""
    spec = FIELDS.get(field)
    if spec is None or not hasattr(obj, f"{field}_enc"):
        raise ValidationError({"field": f"没有可查看的“{field}”信息：只能查看身份证号、手机号、住址或银行卡号。"})
    require(actor, Action.REVEAL, obj)
    disclosure_check(actor=actor)
    with transaction.atomic():
        audit_reveal(actor=actor, target=obj, field=field)
    return read_protected(obj, spec)


def worker_search(
    *, actor: StaffUser, filters: selectors.WorkerFilter, after_id: int | None = None, limit: int = 20
) -> list[Worker]:
    """One page of the worker list in scope, searched by `filters.q` (see `selectors.worker_search`).

    A search by a whole ID or phone number confirms a guess at a masked one, so it is a
    disclosure: checked against the hourly budget and audited with the number masked.
    """
    kind = selectors.identifier_kind(filters.q)
    if kind is None:
        return selectors.worker_list(user=actor, filters=filters, after_id=after_id, limit=limit)
    disclosure_check(actor=actor)
    rows = selectors.worker_list(user=actor, filters=filters, after_id=after_id, limit=limit)
    masked = mask_id_number(filters.q.strip()) if kind == "id_number" else mask_phone(filters.q.strip())
    with transaction.atomic():
        audit_record(
            actor=actor, action="core.identifier_search", target_label=f"查找 {masked}",
            new={"kind": kind, "query": masked, "found": len(rows)},
        )  # fmt: skip
    return rows
