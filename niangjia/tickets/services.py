"""Ticket writes: create, move through the workflow, transfer, escalate, the requester's rating.

Each one transaction, audited. Photos come already checked (`uploads.check_uploads`) and are stored
inside the same transaction; the follow-up call is `followups.followup_record`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise, Worker
from niangjia.tickets.attachments import attachments_save
from niangjia.tickets.choices import OPEN_STATUSES, AttachmentPurpose, EventKind, Kind, Status, TicketClass
from niangjia.tickets.events import event_write
from niangjia.tickets.models import Ticket
from niangjia.tickets.uploads import CheckedFile
from niangjia.tickets.workflow import Move, check_move


def code_hash(code: str) -> str:
    """Return the stored digest of a tracking code."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def deadline_days(ticket_class: str) -> int:
    """Return the days a class of ticket has (setting TICKET_DEADLINE_DAYS)."""
    return int(settings.TICKET_DEADLINE_DAYS[ticket_class])


def ticket_create(
    *,
    actor: StaffUser | None,
    channel: str,
    kind: str,
    title: str,
    org: UnionOrg,
    description: str = "",
    category: str = "",
    ticket_class: str = TicketClass.ORDINARY,
    worker: Worker | None = None,
    enterprise: Enterprise | None = None,
    anonymous: bool = False,
    handler: StaffUser | None = None,
    photos: Sequence[CheckedFile] = (),
    now: datetime | None = None,
) -> tuple[Ticket, str]:
    """Register a request with its report photos; return the ticket and its tracking code (shown once, stored
    hashed). `actor` is None for a worker's own report on the public page.
    """
    if actor is not None:
        require(actor, Action.CHANGE, org)
        for record in (worker, enterprise):
            if record is not None:
                require(actor, Action.VIEW, record)
    if handler is not None and (handler.org is None or not org.contains(handler.org)):
        raise ValidationError({"handler": "承办人须是承办组织或其下级组织的工作人员。"})
    if anonymous and (worker is not None or enterprise is not None):
        raise ValidationError({"anonymous": "匿名诉求不能关联职工或企业。"})
    if category and kind != Kind.NEED:
        raise ValidationError({"category": "只有职工需求才分需求类别。"})
    now = now or timezone.now()
    code = secrets.token_urlsafe(12)
    due = now + timedelta(days=deadline_days(ticket_class))
    ticket = Ticket(
        code_hash=code_hash(code),
        channel=channel,
        kind=kind,
        category=category,
        title=title.strip(),
        description=description.strip(),
        worker=worker,
        enterprise=enterprise,
        anonymous=anonymous,
        org=org,
        handler=handler,
        ticket_class=ticket_class,
        received_at=now,
        due_at=due,
        escalate_after=due,
    )
    ticket.full_clean()
    with transaction.atomic():
        ticket.save()
        event_write(ticket, actor=actor, kind=EventKind.CREATED, at=now, to_status=Status.RECEIVED, to_org=org)
        audit_record(
            actor=actor,
            action="tickets.ticket.create",
            target=ticket,
            new={"channel": channel, "kind": kind, "org": org.pk, "ticket_class": ticket_class},
            org_path=org.path,
        )
        attachments_save(ticket=ticket, files=photos, purpose=AttachmentPurpose.REPORT_PHOTO, actor=actor, now=now)
    return ticket, code


def ticket_transition(
    *,
    actor: StaffUser,
    ticket: Ticket,
    move: str,
    note: str = "",
    photos: Sequence[CheckedFile] = (),
    now: datetime | None = None,
) -> Ticket:
    """Make one workflow move (accept, start, verify, resolve, close, reopen); an illegal one changes nothing.

    Verification may bring photos of the site. Triage has its own service (`hazards.hazard_triage`): it needs
    the grade.
    """
    require(actor, Action.CHANGE, ticket)
    if photos and move != Move.VERIFY:
        raise ValidationError({"photos": "只有“整改验收”可以附照片；其他照片请在“照片和材料”中上传。"})
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        transition = check_move(status=ticket.status, move=move, user=actor, note=note, kind=ticket.kind)
        if transition.own_form:
            raise ValidationError({"move": f"“{transition.label}”须填写分级表单。"})
        _check_hazard_step(ticket, transition.move)
        old = ticket.status
        ticket.status = transition.target
        if transition.move == Move.VERIFY:
            ticket.verified_at = now
        elif transition.target == Status.RESOLVED:
            ticket.resolved_at, ticket.resolution = now, note.strip()
        elif transition.target == Status.CLOSED:
            ticket.closed_at = now
        elif old in (Status.RESOLVED, Status.CLOSED):
            ticket.resolved_at = ticket.closed_at = ticket.verified_at = None
        ticket.full_clean()
        ticket.save()
        event_write(
            ticket, actor=actor, kind=EventKind.TRANSITION, at=now, from_status=old, to_status=ticket.status, note=note
        )
        audit_record(
            actor=actor,
            action="tickets.ticket.transition",
            target=ticket,
            old={"status": old},
            new={"status": ticket.status, "move": transition.label},
            org_path=ticket.org.path,
        )
        purpose = AttachmentPurpose.VERIFICATION_PHOTO
        attachments_save(ticket=ticket, files=photos, purpose=purpose, actor=actor, now=now)
    return ticket


def _check_hazard_step(ticket: Ticket, move: str) -> None:
    """A hazard is verified only after a rectification deadline is set, and resolved only once verified."""
    if ticket.kind != Kind.HAZARD:
        return
    if move == Move.VERIFY and ticket.rectify_by is None:
        raise ValidationError({"move": "请先下达限期整改（整改期限），再验收。"})
    if move == Move.RESOLVE and ticket.verified_at is None:
        raise ValidationError({"move": "安全隐患须整改验收后才能办结。"})


def ticket_transfer(
    *,
    actor: StaffUser,
    ticket: Ticket,
    org: UnionOrg,
    note: str,
    handler: StaffUser | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Hand an open ticket to another organization (and optionally a person there), keeping its history."""
    require(actor, Action.CHANGE, ticket)
    if not note.strip():
        raise ValidationError({"note": "转办须说明原因。"})
    if handler is not None and (handler.org is None or not org.contains(handler.org)):
        raise ValidationError({"handler": "承办人须是接收组织或其下级组织的工作人员。"})
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("org").get(pk=ticket.pk)
        if ticket.status not in OPEN_STATUSES:
            raise ValidationError({"org": "已办结或已结案的诉求不能转办。"})
        if ticket.org_id == org.pk:
            raise ValidationError({"org": "诉求已由该组织承办。"})
        old_org = ticket.org
        ticket.org, ticket.handler = org, handler
        ticket.save(update_fields=["org", "handler"])
        event_write(
            ticket, actor=actor, kind=EventKind.TRANSFER, at=now, from_org=old_org, to_org=org, note=note.strip()
        )
        audit_record(
            actor=actor,
            action="tickets.ticket.transfer",
            target=ticket,
            old={"org": old_org.pk},
            new={"org": org.pk, "handler": handler.pk if handler else None},
            org_path=old_org.path,
        )
    return ticket


def ticket_requester_rate(*, ticket: Ticket, satisfaction: int, note: str = "", now: datetime | None = None) -> Ticket:
    """The requester rates a resolved ticket 1–5 with the tracking code, once; that closes it."""
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": "满意度应为 1 至 5 分。"})
    now = now or timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("org").get(pk=ticket.pk)
        if ticket.satisfaction is not None:
            raise ValidationError({"satisfaction": "该诉求已评价过满意度。"})
        transition = check_move(status=ticket.status, move=Move.CONFIRM, user=None, note="")
        ticket.status, ticket.satisfaction, ticket.closed_at = transition.target, satisfaction, now
        ticket.full_clean()
        ticket.save(update_fields=["status", "satisfaction", "closed_at"])
        event_write(ticket, actor=None, kind=EventKind.TRANSITION, at=now, from_status=Status.RESOLVED,
               to_status=transition.target, note="反映人评价后结案。")  # fmt: skip
        event_write(
            ticket, actor=None, kind=EventKind.RATED, at=now, note=f"满意度 {satisfaction} 分。{note.strip()}".strip()
        )
        audit_record(
            actor=None,
            action="tickets.ticket.rate",
            target=ticket,
            old={"status": Status.RESOLVED},
            new={"satisfaction": satisfaction, "status": transition.target, "move": transition.label},
            org_path=ticket.org.path,
        )
    return ticket


def ticket_escalate(*, ticket_id: int, now: datetime) -> bool:
    """Move one overdue open ticket's handling to the organization above, once per period; return whether it moved."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",)).select_related("org__parent").filter(pk=ticket_id).first()
        )
        if ticket is None or ticket.status not in OPEN_STATUSES or ticket.escalate_after > now:
            return False
        parent = ticket.org.parent
        if parent is None:
            return False
        old_org = ticket.org
        ticket.org, ticket.handler = parent, None
        ticket.escalations += 1
        ticket.escalate_after = now + timedelta(days=deadline_days(ticket.ticket_class))
        ticket.save(update_fields=["org", "handler", "escalations", "escalate_after"])
        event_write(
            ticket,
            actor=None,
            kind=EventKind.ESCALATED,
            at=now,
            from_org=old_org,
            to_org=parent,
            level=ticket.escalations,
            note=f"超过办理期限，上提至{parent.name}。",
        )
        audit_record(
            actor=None,
            action="tickets.ticket.escalate",
            target=ticket,
            old={"org": old_org.pk},
            new={"org": parent.pk, "level": ticket.escalations},
            org_path=old_org.path,
        )
    return True


def tickets_escalate_overdue(*, now: datetime, limit: int = 1000) -> int:
    """Escalate every overdue open ticket whose organization has a parent; return how many moved."""
    ids = list(
        Ticket.objects.filter(status__in=OPEN_STATUSES, escalate_after__lte=now, org__parent__isnull=False)
        .order_by("escalate_after", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(ticket_escalate(ticket_id=pk, now=now) for pk in ids)
