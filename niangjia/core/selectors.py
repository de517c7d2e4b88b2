"""Reads of the audit log, scoped like everything else."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from niangjia.core.models import AuditEntry
from niangjia.core.scoping import Action, restrict

_TZ = ZoneInfo("Asia/Shanghai")


def audit_search(
    *,
    user: Any,
    text: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Audit entries the user may read, newest first, one keyset page at a time."""
    qs: QuerySet[AuditEntry] = restrict(AuditEntry.objects.all(), user, Action.AUDIT)
    if text:
        qs = qs.filter(Q(actor_label__icontains=text) | Q(target_label__icontains=text) | Q(target_id=text))
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=_TZ))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=_TZ))
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def audit_for_target(*, user: Any, target_type: str, target_id: str, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about one record, for its detail page."""
    qs = restrict(AuditEntry.objects.all(), user, Action.AUDIT)
    return list(qs.filter(target_type=target_type, target_id=target_id).order_by("-id")[:limit])
