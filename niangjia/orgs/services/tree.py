"""Writes to the union tree."""

from __future__ import annotations

import secrets

from django.db import transaction

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import Area, StaffUser, UnionOrg


def org_create(
    *,
    name: str,
    level: str,
    area: Area,
    parent: UnionOrg | None,
    key: str | None = None,
    actor: StaffUser | None = None,
) -> UnionOrg:
    """Create a union organization under `parent` and give it its tree path."""
    if actor is not None and parent is not None:
        require(actor, Action.CHANGE, parent)
    with transaction.atomic():
        org = UnionOrg(name=name, level=level, area=area, parent=parent, key=key, path=f"tmp-{secrets.token_hex(8)}")
        org.full_clean(exclude=["path"])
        org.save()
        org.path = f"{parent.path if parent else '/'}{org.pk}/"
        org.depth = parent.depth + 1 if parent else 0
        UnionOrg.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
        audit_record(actor=actor, action="orgs.org.create", target=org, new={"name": name, "level": level})
    return org
