"""Ticket reads, each starting from the scoping chokepoint (or, for the public page, from a tracking code)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import OPEN_STATUSES, EventKind, Status
from niangjia.tickets.models import Ticket, TicketEvent
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


def ticket_public_status(*, code: str) -> dict[str, Any] | None:
    """What a requester may see by tracking code: kind, status and dates; nothing personal, no names."""
    ticket = ticket_by_code(code=code)
    if ticket is None:
        return None
    steps = (
        TicketEvent.objects.filter(ticket=ticket)
        .exclude(kind=EventKind.RATED)
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
    }


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
