"""What the tickets API answers: a ticket, and its detail with the timeline, files, cooperation and calls."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from niangjia.orgs.auth import staff_of
from niangjia.tickets import selectors
from niangjia.tickets.choices import AttachmentPurpose
from niangjia.tickets.models import Cooperation, FollowUpCall, Ticket, TicketAttachment
from niangjia.tickets.schemas import (
    TicketAttachmentOut,
    TicketCooperationOut,
    TicketDetailOut,
    TicketEventOut,
    TicketFollowUpOut,
    TicketOut,
)


def ticket_out(ticket: Ticket) -> TicketOut:
    return TicketOut.model_validate(ticket, from_attributes=True)


def attachment_out(a: TicketAttachment) -> TicketAttachmentOut:
    download = reverse("api:ticket_file", kwargs={"pk": a.ticket_id, "aid": a.pk})
    return TicketAttachmentOut(id=a.pk, purpose=AttachmentPurpose(a.purpose), content_type=a.content_type, size=a.size, sha256=a.sha256,
                         width=a.width, height=a.height, name=a.name,
                         uploaded_by=a.uploaded_by.username if a.uploaded_by else None, created_at=a.created_at,
                         download=download)  # fmt: skip


def cooperation_out(c: Cooperation) -> TicketCooperationOut:
    return TicketCooperationOut(id=c.pk, partner_id=c.partner_id, partner_name=c.partner_label, work=c.work,
                          started_on=c.started_on, finished_on=c.finished_on, result=c.result,
                          recorded_by=c.recorded_by.username, created_at=c.created_at)  # fmt: skip


def followup_out(f: FollowUpCall) -> TicketFollowUpOut:
    return TicketFollowUpOut(id=f.pk, caller=f.caller.username, called_at=f.called_at, reached=f.reached,
                       satisfaction=f.satisfaction, note=f.note)  # fmt: skip


def detail(request: HttpRequest, ticket: Ticket) -> TicketDetailOut:
    """A ticket with its timeline, files, cooperation and calls, as the caller may see them."""
    user = staff_of(request)
    events = [
        TicketEventOut(
            at=e.at,
            kind=e.kind,
            actor=e.actor.username if e.actor else None,
            from_status=e.from_status,
            to_status=e.to_status,
            from_org_id=e.from_org_id,
            to_org_id=e.to_org_id,
            note=e.note,
        )
        for e in selectors.ticket_events(user=user, ticket=ticket)
    ]
    return TicketDetailOut(
        **ticket_out(ticket).model_dump(),
        description=ticket.description,
        resolution=ticket.resolution,
        events=events,
        attachments=[attachment_out(a) for a in selectors.ticket_attachments(user=user, ticket=ticket)],
        cooperations=[cooperation_out(c) for c in selectors.ticket_cooperations(user=user, ticket=ticket)],
        followups=[followup_out(f) for f in selectors.ticket_followups(user=user, ticket=ticket)],
    )
