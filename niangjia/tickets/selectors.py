"""Ticket reads, each starting from the scoping chokepoint (or, for the public page, from a tracking code)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import OPEN_STATUSES, AttachmentPurpose, EventKind, Status
from niangjia.tickets.models import Cooperation, FollowUpCall, Ticket, TicketAttachment, TicketEvent
from niangjia.tickets.services import code_hash

PAGE_SIZE = 50


def ticket_list(
    *, user: Any, open_only: bool = True, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Ticket]:
    """Tickets in the user's scope, due soonest first (my queue)."""
    qs = restrict(Ticket.objects.select_related("org", "handler"), user, Action.VIEW)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if after_id is not None:
        qs = qs.filter(pk__gt=after_id)
    return list(qs.order_by("due_at", "id")[:limit])


def ticket_get(*, user: Any, pk: int) -> Ticket:
    """One ticket in scope, with its people; Http404 when out of scope or missing."""
    related = ("org", "handler", "worker", "enterprise", "hazard_enterprise")
    qs = restrict(Ticket.objects.select_related(*related), user, Action.VIEW)
    ticket = qs.filter(pk=pk).first()
    if ticket is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return ticket


def ticket_events(*, user: Any, ticket: Ticket) -> QuerySet[TicketEvent]:
    """A ticket's timeline, oldest first (the ticket already read through `ticket_get`)."""
    qs = restrict(TicketEvent.objects.select_related("actor", "from_org", "to_org"), user, Action.VIEW)
    return qs.filter(ticket=ticket).order_by("at", "id")


def handler_choices(*, user: Any) -> list[StaffUser]:
    """Staff the user may assign a ticket to: active staff in their subtree (a cadre: themselves)."""
    return list(restrict(StaffUser.objects.filter(is_active=True), user, Action.VIEW).order_by("username")[:500])


def ticket_by_code(*, code: str) -> Ticket | None:
    """The ticket a tracking code names (for the requester's own rating), or None."""
    if not code or len(code) > 64:
        return None
    return Ticket.objects.filter(code_hash=code_hash(code)).first()


# The public steps name what happened, never to whom: the rating (its comment), uploads, who cooperated.
PUBLIC_HIDDEN_EVENTS = (EventKind.RATED, EventKind.ATTACHED)


def ticket_public_status(*, code: str) -> dict[str, Any] | None:
    """What a requester may see by tracking code: kind, status and dates; nothing personal, no names."""
    ticket = ticket_by_code(code=code)
    if ticket is None:
        return None
    steps = (
        TicketEvent.objects.filter(ticket=ticket)
        .exclude(kind__in=PUBLIC_HIDDEN_EVENTS)
        .order_by("at", "id")
        .values_list("at", "kind", "to_status")
    )
    return {
        "kind": ticket.get_kind_display(),
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "received_at": ticket.received_at,
        "due_at": ticket.due_at,
        "closed": ticket.closed_at,
        "rated": ticket.satisfaction is not None,
        "can_rate": ticket.status == Status.RESOLVED and ticket.satisfaction is None,
        "steps": [(at, EventKind(kind).label, to_status) for at, kind, to_status in steps],
        "photos": list(_public_photos(ticket)),
    }


def _public_photos(ticket: Ticket) -> QuerySet[TicketAttachment]:
    # Only what the public sent with the report: never verification photos or staff uploads (names, faces, sites).
    return TicketAttachment.objects.filter(
        ticket=ticket, purpose=AttachmentPurpose.REPORT_PHOTO, uploaded_by__isnull=True
    ).order_by("id")


def public_photo_get(*, code: str, pk: int) -> TicketAttachment:
    """A report photo the public sent with the request the tracking code names; Http404 otherwise."""
    ticket = ticket_by_code(code=code)
    found = _public_photos(ticket).filter(pk=pk).first() if ticket is not None else None
    if found is None:
        raise Http404("没有找到这张照片。")
    return found


def ticket_attachments(*, user: Any, ticket: Ticket) -> list[TicketAttachment]:
    """A ticket's photos and papers, oldest first (the ticket already read through `ticket_get`)."""
    qs = restrict(TicketAttachment.objects.select_related("uploaded_by"), user, Action.VIEW)
    return list(qs.filter(ticket=ticket).order_by("created_at", "id")[:ATTACHMENTS_MAX])


# A ticket's page lists this many files at most (each upload adds 3 at most).
ATTACHMENTS_MAX = 200


def attachment_get(*, user: Any, ticket_id: int, pk: int) -> TicketAttachment:
    """One attachment of a ticket in the user's scope; Http404 when out of scope or missing."""
    qs = restrict(TicketAttachment.objects.all(), user, Action.VIEW)
    found = qs.filter(ticket_id=ticket_id, pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


def ticket_cooperations(*, user: Any, ticket: Ticket) -> list[Cooperation]:
    """The partners matched with an enterprise problem, in the order they started."""
    qs = restrict(Cooperation.objects.select_related("partner", "recorded_by"), user, Action.VIEW)
    return list(qs.filter(ticket=ticket).order_by("started_on", "id")[:ATTACHMENTS_MAX])


def cooperation_get(*, user: Any, ticket_id: int, pk: int, action: Action = Action.VIEW) -> Cooperation:
    """One cooperation of a ticket in the user's scope; Http404 otherwise."""
    found = restrict(Cooperation.objects.all(), user, action).filter(ticket_id=ticket_id, pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


def ticket_followups(*, user: Any, ticket: Ticket) -> list[FollowUpCall]:
    """A ticket's follow-up calls, oldest first."""
    qs = restrict(FollowUpCall.objects.select_related("caller"), user, Action.VIEW)
    return list(qs.filter(ticket=ticket).order_by("called_at", "id")[:ATTACHMENTS_MAX])


def enterprise_find(*, user: Any, text: str) -> Enterprise | None:
    """The enterprise in the user's scope with this credit code or exact name, or None."""
    text = text.strip()
    if not text:
        return None
    qs = restrict(Enterprise.objects.all(), user, Action.VIEW)
    return qs.filter(Q(uscc=text.upper()) | Q(name=text)).order_by("pk").first()


def org_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> UnionOrg:
    """A union organization the user may `action` (a ticket's handling org); Http404 otherwise."""
    org = restrict(UnionOrg.objects.all(), user, action).filter(pk=pk).first()
    if org is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return org


def handler_get(*, user: Any, pk: int) -> StaffUser:
    """An active staff user in the user's scope, to handle a ticket; Http404 otherwise."""
    found = restrict(StaffUser.objects.filter(is_active=True), user, Action.VIEW).filter(pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found
