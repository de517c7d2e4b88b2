"""The demo's visits: two months over the campaign's pairings, homes of hardship households, needs as tickets,
signals changing households — all through the services, on the small demo registry."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.demo.orgs import tree_seed
from niangjia.demo.outreach_campaign import campaign_seed
from niangjia.demo.outreach_visits import visits_seed
from niangjia.demo.registry import registry_seed
from niangjia.outreach.models import Pairing, Visit, VisitNeed, VisitSignal
from niangjia.screening.services import changed_households
from niangjia.tickets.models import Ticket

WORKERS = 2000


@pytest.mark.django_db
def test_the_demo_visits_fill_the_campaign() -> None:
    today = timezone.localdate()
    tree = tree_seed(seed=11)
    out = io.StringIO()
    registry_seed(tree=tree, seed=11, workers=WORKERS, stdout=out, today=today)
    campaign = campaign_seed(tree=tree, seed=11, stdout=out, today=today)
    before = set(changed_households(limit=10**6))
    counts = visits_seed(campaign=campaign, seed=11, stdout=out, today=today)
    assert "走访记录：" in out.getvalue()

    visits = Visit.objects.filter(campaign=campaign)
    pairings = Pairing.objects.filter(campaign=campaign).count()
    assert counts["visits"] == visits.count() == counts["enterprise"] + counts["home"]
    visited = visits.filter(kind="enterprise").values("enterprise").distinct().count()
    assert 0.8 * pairings <= visited <= 0.95 * pairings
    assert visits.filter(follow_up=True, kind="enterprise").count() > 0.2 * visited
    assert counts["home"] > 50 and visits.filter(kind="home", household__archive_level__gt="").exists()
    dates = list(visits.values_list("date", flat=True))
    assert min(dates) >= campaign.starts_on and max(dates) <= today
    assert max(dates) - min(dates) > timedelta(days=40)  # spread over the two months

    needs = VisitNeed.objects.filter(visit__campaign=campaign)
    assert needs.count() == counts["needs"] > 0
    assert Ticket.objects.filter(channel="visit", pk__in=needs.values("ticket_id")).count() == counts["needs"]
    assert VisitSignal.objects.count() == counts["signals"] > 0
    changed = {s.visit.household_id for s in VisitSignal.objects.select_related("visit") if s.applied}
    assert changed and changed <= set(changed_households(limit=10**6)) - before | changed
    assert AuditEntry.objects.filter(action="outreach.visit.record").count() == counts["visits"]
