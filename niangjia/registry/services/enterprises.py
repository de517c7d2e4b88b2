"""Enterprise services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.identifiers import normalize_phone, validate_uscc
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise, EnterpriseAssignment

EDITABLE = [
    "name",
    "uscc",
    "ownership",
    "size_class",
    "is_platform",
    "industry",
    "area",
    "address",
    "lng",
    "lat",
    "contact_name",
    "contact_phone",
    "employee_count",
    "status",
    "org",
    "union",
]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    # full_clean() lets None through on blank fields; the database would refuse it with a 500.
    nulls = {name: "不能为空值（null）。" for name, v in cleaned.items() if v is None and _not_null(name)}
    if nulls:
        raise ValidationError(nulls)
    if cleaned.get("uscc"):
        cleaned["uscc"] = validate_uscc(cleaned["uscc"])
    else:
        cleaned["uscc"] = None
    if cleaned.get("contact_phone"):
        cleaned["contact_phone"] = normalize_phone(cleaned["contact_phone"])
    return cleaned


def _not_null(name: str) -> bool:
    field = Enterprise._meta.get_field(name)
    return isinstance(field, models.Field) and not field.null and not field.is_relation


def enterprise_create(*, actor: StaffUser | None, org: UnionOrg, **values: Any) -> Enterprise:
    """Register an enterprise under the union organization `org`."""
    if actor is not None:
        require(actor, Action.CHANGE, org)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    enterprise = Enterprise(org=org, **_clean(values))
    enterprise.full_clean()
    with transaction.atomic():
        enterprise.save()
        audit_record(actor=actor, action="registry.enterprise.create", target=enterprise, new={"name": enterprise.name})
    return enterprise


def enterprise_update(*, actor: StaffUser, enterprise: Enterprise, **values: Any) -> Enterprise:
    """Change an enterprise's fields, recording old and new values."""
    require(actor, Action.CHANGE, enterprise)
    if "org" in values:
        require(actor, Action.CHANGE, values["org"])
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    cleaned = _clean({"uscc": enterprise.uscc, **values})
    old = {name: getattr(enterprise, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(enterprise, name, value)
    enterprise.full_clean()
    changed = {name: value for name, value in cleaned.items() if old[name] != value}
    if not changed:
        return enterprise
    with transaction.atomic():
        enterprise.save()
        audit_record(
            actor=actor,
            action="registry.enterprise.change",
            target=enterprise,
            old={name: old[name] for name in changed},
            new=changed,
        )
    return enterprise


def enterprise_assign(
    *, actor: StaffUser | None, enterprise: Enterprise, cadre: StaffUser, since: date | None = None
) -> None:
    """Make `cadre` responsible for `enterprise` (一人一企); idempotent."""
    if actor is not None:
        require(actor, Action.CHANGE, enterprise)
    if cadre.role != Role.CADRE:
        raise ValidationError({"cadre": "只能指定工会干部为联系干部。"})
    if (
        actor is not None
        and cadre.org is not None
        and not (actor.is_superuser or (actor.org is not None and actor.org.contains(cadre.org)))
    ):
        raise PermissionDenied("只能指定本组织及下属组织的工会干部。")
    with transaction.atomic():
        _, created = EnterpriseAssignment.objects.get_or_create(
            enterprise=enterprise, cadre=cadre, defaults={"since": since or timezone.localdate()}
        )
        if created:
            audit_record(
                actor=actor, action="registry.enterprise.assign", target=enterprise, new={"cadre": cadre.username}
            )
