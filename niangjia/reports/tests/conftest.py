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


def visit(
    campaign,
    kind,
    day: date,
    *,
    cadres=(),
    enterprise=None,
    household=None,
    org=None,
    follow_up=False,
    satisfaction=None,
    people_met=0,
    clear=False,
):  # type: ignore[no-untyped-def]
    """A visit written straight to the table (the reports only read them)."""
    import uuid

    from niangjia.outreach.models import Visit

    subject_org = org or (enterprise.org if enterprise is not None else household.org)
    v = Visit.objects.create(
        client_id=uuid.uuid4(),
        campaign=campaign,
        kind=kind,
        date=day,
        enterprise=enterprise,
        household=household,
        org=subject_org,
        recorded_by=cadres[0] if cadres else campaign.created_by,
        recorded_at=at(day),
        follow_up=follow_up,
        satisfaction=satisfaction,
        people_met=people_met,
        basic_clear=clear,
        hardship_clear=clear,
        aid_clear=clear,
    )
    v.cadres.set(cadres)
    return v


def household(org, *, archived_on: date | None = None, level: str = "deep"):  # type: ignore[no-untyped-def]
    from niangjia.registry.models import Household

    return Household.objects.create(
        area=org.area,
        org=org,
        archive_level=level if archived_on else "",
        archived_on=archived_on,
        facts_changed_at=timezone.now(),
    )


def signal(v, kind="illness"):  # type: ignore[no-untyped-def]
    from niangjia.outreach.models import VisitSignal

    return VisitSignal.objects.create(visit=v, kind=kind)


def need(v, kind="need", *, resolved: date | None = None):  # type: ignore[no-untyped-def]
    from niangjia.outreach.models import VisitNeed

    t = ticket(v.org, kind, received=v.date, resolved=resolved)
    return VisitNeed.objects.create(visit=v, kind=kind, ticket=t)


@dataclass
class Visits:
    """The scene of the table tests: visits in both districts, hardship, needs, satisfaction."""

    yl_homes: list
    yt_homes: list


@pytest.fixture
def visits(tree, registry, campaign) -> Visits:  # type: ignore[no-untyped-def]
    yl, yt = tree.yanliang_street, tree.yanta_street
    cadre, cadre2 = tree.yanliang_cadre, tree.yanliang_cadre2
    d = date(2026, 3, 5)
    e1 = visit(
        campaign, "enterprise", d, cadres=[cadre], enterprise=registry.yl_enterprise, satisfaction=4, people_met=12
    )
    visit(
        campaign,
        "enterprise",
        date(2026, 3, 20),
        cadres=[cadre],
        enterprise=registry.yl_enterprise,
        follow_up=True,
        satisfaction=5,
        people_met=6,
    )
    e2 = visit(
        campaign,
        "enterprise",
        date(2026, 3, 10),
        cadres=[cadre2, cadre],
        enterprise=registry.yl_enterprise2,
        satisfaction=5,
        people_met=30,
    )
    e3 = visit(
        campaign,
        "enterprise",
        date(2026, 4, 2),
        cadres=[],
        enterprise=registry.yt_enterprise,
        satisfaction=3,
        people_met=8,
    )
    # 阎良: 7 homes; 2 archived before the campaign, 1 found by a signal, 1 archived during it.
    yl_homes = [household(yl, archived_on=date(2025, 1, 1)), household(yl, archived_on=date(2025, 6, 1))]
    yl_homes += [household(yl), household(yl, archived_on=date(2026, 4, 1))] + [household(yl) for _ in range(3)]
    for i, h in enumerate(yl_homes):
        v = visit(campaign, "home", date(2026, 3, 6 + i), cadres=[cadre], household=h, satisfaction=5, clear=i < 5)
        if i == 2:
            signal(v)
    visit(campaign, "home", date(2026, 3, 30), cadres=[cadre2], household=yl_homes[0], follow_up=True, satisfaction=4)
    # 雁塔: 6 homes; 1 archived before, signals on three.
    yt_homes = [household(yt, archived_on=date(2024, 3, 1))] + [household(yt) for _ in range(5)]
    for i, h in enumerate(yt_homes):
        v = visit(campaign, "home", date(2026, 4, 3 + i), household=h, satisfaction=4 if i else 2)
        if 1 <= i <= 3:
            signal(v, "job_loss")
            signal(v, "illness")
    for i in range(6):
        need(e1, resolved=date(2026, 3, 8 + i) if i < 4 else None)
    need(e2, "enterprise_problem", resolved=date(2026, 3, 15))
    need(e3, "enterprise_problem")
    need(e3, resolved=date(2026, 4, 9))
    return Visits(yl_homes, yt_homes)


def application(
    household,
    *,
    policy: str,
    filed: date,
    filer,
    proxy: bool = False,
    pool=None,
    paid: date | None = None,
    approver=None,
    amount: str = "1000.00",
):  # type: ignore[no-untyped-def]
    """An application written to the table; paid through funds' services (assistance's listener marks it paid)."""
    from decimal import Decimal

    from niangjia.assistance.models import Application
    from niangjia.funds.services import commitment_create, disbursement_pay
    from niangjia.registry.models import HouseholdMember

    head = HouseholdMember.objects.filter(household=household, relation="head").first()
    if head is None:
        head = HouseholdMember.objects.create(household=household, name="户主", relation="head")
    names = {"emergency_relief": "紧急救助", "warmth": "送温暖"}
    a = Application.objects.create(
        household=household, applicant=head, policy_id=policy, policy_name=names[policy], org=household.org,
        status="submitted", amount=Decimal(amount), period=2026, filed_by_proxy=proxy,
        authorisation="written" if proxy else "", filed_by=filer, filed_at=at(filed),
    )  # fmt: skip
    if pool is not None:
        decided = at(paid or filed, 9)
        commitment = commitment_create(
            pool=pool, amount=Decimal(amount), household_id=household.pk, beneficiary_ref=f"household:{household.pk}",
            period="2026", reference=f"application:{a.pk}", actor=approver, at=decided,
        )  # fmt: skip
        Application.objects.filter(pk=a.pk).update(status="approved", decided_at=decided, commitment=commitment)
        if paid is not None:
            disbursement_pay(
                commitment=commitment, idempotency_key=f"reports-test-{a.pk}", actor=approver, at=at(paid, 11)
            )
    a.refresh_from_db()
    return a


@dataclass
class Payments:
    pools: dict


@pytest.fixture
def payments(tree, campaign, visits) -> Payments:  # type: ignore[no-untyped-def]
    """Applications and payments: 阎良 six relief payments from its pool and two warmth from the city's,
    雁塔 one relief; proxies, an approval not yet paid, a draft, one filed before the campaign."""
    from decimal import Decimal

    from niangjia.funds.choices import AllocationSource, Programme
    from niangjia.funds.services import allocation_add, pool_create

    def pool(programme, org, actor, amount):  # type: ignore[no-untyped-def]
        made = pool_create(programme=programme, year=2026, org=org, actor=actor)
        allocation_add(pool=made, amount=Decimal(amount), source=AllocationSource.UNION_DUES, actor=actor)
        return made

    pools = {
        "yl_relief": pool(Programme.EMERGENCY, tree.yanliang, tree.yanliang_staff, "50000.00"),
        "yt_relief": pool(Programme.EMERGENCY, tree.yanta, tree.yanta_staff, "50000.00"),
        "city_warmth": pool(Programme.WARMTH, tree.city, tree.city_admin, "50000.00"),
    }
    yl, yt = visits.yl_homes, visits.yt_homes
    cadre, staff = tree.yanliang_cadre, tree.yanliang_staff
    for i, h in enumerate(yl[:6]):
        application(h, policy="emergency_relief", filed=date(2026, 3, 10 + i), filer=cadre, proxy=i < 4,
                    pool=pools["yl_relief"], paid=date(2026, 3, 20 + i), approver=staff, amount="2000.00")  # fmt: skip
    for h in yl[:2]:
        application(h, policy="warmth", filed=date(2026, 4, 1), filer=staff, pool=pools["city_warmth"],
                    paid=date(2026, 4, 10), approver=tree.city_admin)  # fmt: skip
    application(yl[6], policy="emergency_relief", filed=date(2026, 4, 2), filer=cadre, proxy=True,
                pool=pools["yl_relief"], approver=staff)  # approved, not paid  # fmt: skip
    application(yt[0], policy="emergency_relief", filed=date(2026, 4, 3), filer=tree.yanta_staff,
                pool=pools["yt_relief"], paid=date(2026, 4, 12), approver=tree.yanta_staff)  # fmt: skip
    application(yt[1], policy="emergency_relief", filed=date(2026, 4, 4), filer=tree.yanta_staff)  # a draft
    application(yt[2], policy="warmth", filed=date(2026, 2, 1), filer=tree.yanta_staff)  # before the campaign
    return Payments(pools)
