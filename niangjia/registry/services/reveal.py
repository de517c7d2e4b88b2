"""Revealing a protected identifier: permission, decryption and the audit entry together."""

from __future__ import annotations

from django.db import models, transaction

from niangjia.core.audit import audit_reveal
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.identity import FIELDS, read_protected


def reveal(*, actor: StaffUser, obj: models.Model, field: str) -> str:
    """Return the full value of a protected field, if `actor` may see it; audit the reveal."""
    spec = FIELDS.get(field)
    if spec is None or not hasattr(obj, f"{field}_enc"):
        raise ValueError(f"{type(obj).__name__} has no protected field {field!r}")
    require(actor, Action.REVEAL, obj)
    with transaction.atomic():
        audit_reveal(actor=actor, target=obj, field=field)
    return read_protected(obj, spec)
