"""Fixtures of reports: the shared tree and small registry, a campaign over the city, tickets in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from niangjia.outreach.models import Campaign, CampaignTarget, Pairing
from niangjia.registry.tests.conftest import Registry, build_registry
from niangjia.tickets.choices import Channel, Kind
from niangjia.tickets.models import Ticket

START = date(2026, 3, 2)  # a Monday
END = date(2026, 5, 31)


@pytest.fixture
def registry(tree) -> Registry:  # type: ignore[no-untyped-def]
    return build_registry(tree)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


_serial = iter(range(10**6))


def ticket(
    org,
    kind=Kind.NEED,
    *,
    received: date,
    resolved: date | None = None,
    late: bool = False,
    handler=None,
    verified: date | None = None,
):  # type: ignore[no-untyped-def]
    """A ticket written straight to the table (the reports only read them)."""
    received_at = at(received)
    due = received_at + timedelta(days=5)
    resolved_at = at(resolved, 15) if resolved else None
    if resolved_at and late:
        due = resolved_at - timedelta(hours=1)
    return Ticket.objects.create(
        code_hash=f"{next(_serial):064d}",
        channel=Channel.VISIT,
        kind=kind,
        title="测试诉求",
        org=org,
        handler=handler,
        received_at=received_at,
        due_at=due,
        escalate_after=due,
        resolved_at=resolved_at,
        verified_at=at(verified) if verified else None,
        status="resolved" if resolved else "received",
    )


@dataclass
class Scene:
    campaign: Campaign


@pytest.fixture
def campaign(tree, registry) -> Campaign:  # type: ignore[no-untyped-def]
    c = Campaign.objects.create(
        name="千名干部进千企", org=tree.city, starts_on=START, ends_on=END, status="active", created_by=tree.city_admin
    )
    CampaignTarget.objects.create(campaign=c, org=tree.yanliang, enterprises=2, homes=10)
    CampaignTarget.objects.create(campaign=c, org=tree.yanta, enterprises=1, homes=5)
    Pairing.objects.create(campaign=c, cadre=tree.yanliang_cadre, enterprise=registry.yl_enterprise)
    Pairing.objects.create(campaign=c, cadre=tree.yanliang_cadre2, enterprise=registry.yl_enterprise2)
    return c
