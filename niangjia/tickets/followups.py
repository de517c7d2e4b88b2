"""The follow-up call (回访): its own record and timeline event; the satisfaction given on it rates the ticket.

A ticket's `satisfaction` is the first rating it gets, from the requester on the public page or on a call;
later calls keep theirs on their own record. A call may close a resolved ticket (回访结案) in the same
transaction, by a role that may close.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.tickets.choices import EventKind, Status
from niangjia.tickets.events import event_write
from niangjia.tickets.models import FollowUpCall, Ticket
from niangjia.tickets.workflow import Move, check_move

# A call's time may be a few minutes ahead of the server's clock (a phone's clock), never more.
CLOCK_SKEW = timedelta(minutes=10)


def followup_record(
    *,
    actor: StaffUser,
    ticket: Ticket,
    called_at: datetime,
    reached: bool,
    satisfaction: int | None = None,
    note: str = "",
    close: bool = False,
    now: datetime | None = None,
) -> FollowUpCall:
    """Record a follow-up call on a resolved or closed ticket; with `close`, also close a resolved one."""
    require(actor, Action.CHANGE, ticket)
    now = now or timezone.now()
    if satisfaction is not None and not reached:
        raise ValidationError({"satisfaction": "没有联系上反映人，不能记录满意度。"})
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": "满意度应为 1 至 5 分。"})
    if called_at > now + CLOCK_SKEW:
        raise ValidationError({"called_at": "回访时间不能晚于现在。"})
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("org").get(pk=ticket.pk)
        _check_callable(ticket, called_at)
        call = FollowUpCall(ticket=ticket, caller=actor, called_at=called_at, reached=reached,
                            satisfaction=satisfaction, note=note.strip(), created_at=now)  # fmt: skip
        call.full_clean()
        call.save()
        event_write(ticket, actor=actor, kind=EventKind.FOLLOW_UP, at=called_at, note=_summary(call))
        audit_record(actor=actor, action="tickets.ticket.followup", target=call,
                     new={"ticket": ticket.pk, "called_at": f"{timezone.localtime(called_at):%Y-%m-%d %H:%M}", "reached": reached,
                          "satisfaction": satisfaction}, org_path=ticket.org.path)  # fmt: skip
        if satisfaction is not None and ticket.satisfaction is None:
            ticket.satisfaction = satisfaction
            ticket.save(update_fields=["satisfaction"])
            audit_record(actor=actor, action="tickets.ticket.rate", target=ticket, new={"satisfaction": satisfaction},
                         org_path=ticket.org.path)  # fmt: skip
        if close:
            _close(actor, ticket, now)
    return call


def _check_callable(ticket: Ticket, called_at: datetime) -> None:
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"called_at": "诉求办结后才能回访。"})
    if ticket.anonymous:
        raise ValidationError({"reached": "匿名反映没有留下联系方式，无法回访；反映人可凭查询码评价。"})
    # Forms give minutes: a call in the minute the ticket was resolved is after it.
    if ticket.resolved_at is not None and called_at < ticket.resolved_at.replace(second=0, microsecond=0):
        shown = timezone.localtime(ticket.resolved_at)
        raise ValidationError({"called_at": f"回访时间不能早于办结时间（{shown:%Y-%m-%d %H:%M}）。"})


def _close(actor: StaffUser, ticket: Ticket, now: datetime) -> None:
    transition = check_move(status=ticket.status, move=Move.CLOSE, user=actor, note="", kind=ticket.kind)
    ticket.status, ticket.closed_at = transition.target, now
    ticket.save(update_fields=["status", "closed_at"])
    event_write(ticket, actor=actor, kind=EventKind.TRANSITION, at=now, from_status=Status.RESOLVED,
                to_status=transition.target, note="回访后结案。")  # fmt: skip
    audit_record(actor=actor, action="tickets.ticket.transition", target=ticket, old={"status": Status.RESOLVED},
                 new={"status": transition.target, "move": transition.label}, org_path=ticket.org.path)  # fmt: skip


def _summary(call: FollowUpCall) -> str:
    parts = ["已联系上" if call.reached else "未联系上"]
    if call.satisfaction is not None:
        parts.append(f"满意度 {call.satisfaction} 分")
    text = "，".join(parts) + "。"
    return f"{text}{call.note}" if call.note else text
