"""Safety hazard writes: triage, the rectification order, the referral to 应急管理部门, the 四不放过 checklist.

Verification is a plain workflow move (`ticket_transition(move="verify")`, with its note). Each service is
one transaction with its timeline event and audit entry, like those of `services.py`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import ACCIDENT_CHECKLIST, OPEN_STATUSES, EventKind, HazardGrade, Kind
from niangjia.tickets.events import event_write
from niangjia.tickets.models import Ticket
from niangjia.tickets.workflow import Move, check_move


def _locked_hazard(actor: StaffUser, ticket: Ticket) -> Ticket:
    require(actor, Action.CHANGE, ticket)
    locked = Ticket.objects.select_for_update().select_related("org").get(pk=ticket.pk)
    if locked.kind != Kind.HAZARD:
        raise ValidationError({"kind": "只有安全隐患才有此项办理。"})
    return locked


def hazard_triage(
    *, actor: StaffUser, ticket: Ticket, grade: str, note: str = "", now: datetime | None = None
) -> Ticket:
    """Grade a received hazard 一般 or 重大 and accept it (the workflow's triage move)."""
    if grade not in HazardGrade.values:
        raise ValidationError({"hazard_grade": "请选择隐患等级：一般或重大。"})
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_hazard(actor, ticket)
        transition = check_move(status=ticket.status, move=Move.TRIAGE, user=actor, note=note, kind=ticket.kind)
        old = ticket.status
        ticket.status, ticket.hazard_grade = transition.target, grade
        ticket.full_clean()
        ticket.save(update_fields=["status", "hazard_grade"])
        label = HazardGrade(grade).label
        event_write(ticket, actor=actor, kind=EventKind.TRIAGED, at=now, from_status=old,
                    to_status=ticket.status, note=f"定为{label}。{note.strip()}".strip())  # fmt: skip
        audit_record(actor=actor, action="tickets.hazard.triage", target=ticket, old={"status": old},
                     new={"status": ticket.status, "hazard_grade": grade}, org_path=ticket.org.path)  # fmt: skip
    return ticket


def hazard_rectification_order(
    *,
    actor: StaffUser,
    ticket: Ticket,
    rectify_by: date,
    enterprise: Enterprise | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Record that the enterprise concerned was told to rectify the hazard by a date."""
    if enterprise is not None:
        require(actor, Action.VIEW, enterprise)
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_hazard(actor, ticket)
        if not ticket.hazard_grade or ticket.status not in OPEN_STATUSES:
            raise ValidationError({"rectify_by": "隐患分级受理后、办结前才能下达限期整改。"})
        if rectify_by < timezone.localdate(ticket.received_at):
            raise ValidationError({"rectify_by": "整改期限不能早于收到反映的日期。"})
        old = {"rectify_by": str(ticket.rectify_by or ""), "hazard_enterprise": ticket.hazard_enterprise_id}
        ticket.rectify_by = rectify_by
        ticket.hazard_enterprise = enterprise or ticket.hazard_enterprise
        ticket.save(update_fields=["rectify_by", "hazard_enterprise"])
        whom = ticket.hazard_enterprise.name if ticket.hazard_enterprise else "责任单位"
        event_write(ticket, actor=actor, kind=EventKind.RECTIFY, at=now,
                    note=f"已通知{whom}于 {rectify_by:%Y-%m-%d} 前整改。")  # fmt: skip
        audit_record(actor=actor, action="tickets.hazard.rectify", target=ticket, old=old,
                     new={"rectify_by": str(rectify_by), "hazard_enterprise": ticket.hazard_enterprise_id},
                     org_path=ticket.org.path)  # fmt: skip
    return ticket


def referral_due(ticket: Ticket, *, today: date) -> bool:
    """Whether a hazard should go to 应急管理部门: graded 重大, or its rectification deadline passed unverified."""
    if ticket.kind != Kind.HAZARD or ticket.referred_at is not None:
        return False
    overdue = ticket.rectify_by is not None and ticket.rectify_by < today and ticket.verified_at is None
    return ticket.hazard_grade == HazardGrade.MAJOR or overdue


def hazard_refer(*, actor: StaffUser, ticket: Ticket, note: str, now: datetime | None = None) -> Ticket:
    """Record the referral of a major or overdue hazard to 应急管理部门 (once)."""
    if not note.strip():
        raise ValidationError({"note": "请写明移交的部门、方式和文号。"})
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_hazard(actor, ticket)
        if not referral_due(ticket, today=timezone.localdate(now)):
            raise ValidationError({"note": "只有重大事故隐患或整改逾期的隐患才移交应急管理部门，且只移交一次。"})
        ticket.referred_at = now
        ticket.save(update_fields=["referred_at"])
        event_write(ticket, actor=actor, kind=EventKind.REFERRED, at=now, note=note.strip())
        audit_record(actor=actor, action="tickets.hazard.refer", target=ticket, new={"referred_at": f"{timezone.localtime(now):%Y-%m-%d %H:%M}"},
                     org_path=ticket.org.path)  # fmt: skip
    return ticket


def hazard_checklist_update(
    *, actor: StaffUser, ticket: Ticket, checked: dict[str, bool], now: datetime | None = None
) -> Ticket:
    """Record which items of the accident checklist 四不放过 are done; an event names what changed."""
    now = now or timezone.now()
    names = dict(ACCIDENT_CHECKLIST)
    with transaction.atomic():
        ticket = _locked_hazard(actor, ticket)
        old = {f: getattr(ticket, f) for f in names}
        new = {f: bool(checked.get(f, False)) for f in names}
        changed = [f for f in names if old[f] != new[f]]
        if not changed:
            return ticket
        for field in changed:
            setattr(ticket, field, new[field])
        ticket.save(update_fields=changed)
        note = "；".join(f"{names[f]}：{'已落实' if new[f] else '取消'}" for f in changed)
        event_write(ticket, actor=actor, kind=EventKind.CHECKLIST, at=now, note=note)
        audit_record(actor=actor, action="tickets.hazard.checklist", target=ticket,
                     old={f: old[f] for f in changed}, new={f: new[f] for f in changed},
                     org_path=ticket.org.path)  # fmt: skip
    return ticket
