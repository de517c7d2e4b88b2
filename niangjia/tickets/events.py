"""The timeline's one writer: every service adds its event through `event_write`, inside its transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from niangjia.orgs.models import StaffUser
from niangjia.tickets.models import Ticket, TicketEvent


def event_write(ticket: Ticket, *, actor: StaffUser | None, kind: str, at: datetime, **fields: Any) -> TicketEvent:
    """Append one checked event to a ticket's timeline."""
    event = TicketEvent(ticket=ticket, actor=actor, kind=kind, at=at, **fields)
    event.full_clean()
    event.save()
    return event
