"""The demo's tickets: every state, over every district, some escalated; photos, partners and calls; all
through the services."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from niangjia.core.models import AuditEntry
from niangjia.demo.orgs import tree_seed
from niangjia.demo.registry import registry_seed
from niangjia.demo.tickets import tickets_seed
from niangjia.tickets.choices import AttachmentPurpose, EventKind, Kind, Status
from niangjia.tickets.models import Cooperation, FollowUpCall, Ticket, TicketAttachment, TicketEvent


@pytest.mark.django_db
def test_the_demo_tickets_cover_every_state_and_some_escalations(media) -> None:  # type: ignore[no-untyped-def]
    tree = tree_seed(seed=11)
    out = io.StringIO()
    registry_seed(tree=tree, seed=11, workers=300, stdout=out, today=date(2026, 11, 29))
    tickets_seed(tree=tree, seed=11, stdout=out)
    total = Ticket.objects.count()
    assert total >= 200 and "诉求工单" in out.getvalue()
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    assert Ticket.objects.filter(satisfaction__isnull=False).exists()
    assert Ticket.objects.values("org__path").distinct().count() > len(tree.districts)
    assert AuditEntry.objects.filter(action="tickets.ticket.create").count() == total

    purposes = set(TicketAttachment.objects.values_list("purpose", flat=True))
    assert purposes == {AttachmentPurpose.REPORT_PHOTO, AttachmentPurpose.VERIFICATION_PHOTO}
    assert not TicketAttachment.objects.exclude(ticket__kind=Kind.HAZARD).exists()
    for photo in TicketAttachment.objects.order_by("pk")[:5]:
        stored = Image.open(media / photo.file.name)
        assert (stored.format, stored.size, dict(stored.getexif())) == ("JPEG", (480, 360), {})

    assert not Cooperation.objects.exclude(ticket__kind=Kind.ENTERPRISE_PROBLEM).exists()
    assert Cooperation.objects.filter(finished_on__isnull=False).exists()
    assert Cooperation.objects.filter(finished_on__isnull=True).exists()
    story = Cooperation.objects.get(partner_name="西安电信南高新运营中心", result="双方签署战略合作协议")
    assert (story.ticket.status, story.ticket.satisfaction, story.ticket.org.name) == (Status.CLOSED, 5, "雁塔区总工会")

    assert FollowUpCall.objects.filter(reached=False).exists()
    assert FollowUpCall.objects.filter(reached=True, satisfaction__isnull=False).exists()
    assert not FollowUpCall.objects.filter(ticket__anonymous=True).exists()
    closed_by_call = Ticket.objects.filter(status=Status.CLOSED, anonymous=False).exclude(followups=None).count()
    assert closed_by_call == Ticket.objects.filter(status=Status.CLOSED, anonymous=False).count()
