"""API of the audit log (search for admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Day, Filter
from niangjia.core.scoping import Action, require_action
from niangjia.core.selectors import audit_search

router = Router()


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    request_id: str
    ip: str | None


@router.get("/", response={200: list[AuditOut], **errors(403)}, summary="查询审计记录")
def audit_list(
    request: HttpRequest,
    q: Filter = "",
    action: Filter = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
    before_id: Cursor | None = None,
) -> list[AuditOut]:
    require_action(request.user, Action.AUDIT)
    entries = audit_search(
        user=request.user, text=q, action=action, date_from=date_from, date_to=date_to, before_id=before_id
    )
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            target_label=e.target_label,
            old_values=e.old_values,
            new_values=e.new_values,
            request_id=e.request_id,
            ip=e.ip,
        )
        for e in entries
    ]
