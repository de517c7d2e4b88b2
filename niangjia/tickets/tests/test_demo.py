"""The demo's tickets: every state, over every district, some escalated; all through the services."""

from __future__ import annotations

import io

import pytest

from niangjia.core.models import AuditEntry
from niangjia.demo.orgs import tree_seed
from niangjia.demo.tickets import tickets_seed
from niangjia.tickets.choices import EventKind, Status
from niangjia.tickets.models import Ticket, TicketEvent


@pytest.mark.django_db
def test_the_demo_tickets_cover_every_state_and_some_escalations() -> None:
    tree = tree_seed(seed=11)
    out = io.StringIO()
    tickets_seed(tree=tree, seed=11, stdout=out)
    total = Ticket.objects.count()
    assert total >= 200 and "诉求工单" in out.getvalue()
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    assert Ticket.objects.filter(satisfaction__isnull=False).exists()
    assert Ticket.objects.values("org__path").distinct().count() > len(tree.districts)
    assert AuditEntry.objects.filter(action="tickets.ticket.create").count() == total
