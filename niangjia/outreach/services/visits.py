"""Recording a visit: idempotent on the phone's client id, needs become tickets, signals change household facts.

`visit_record` is the one write path of a visit — the phone's sync, the API and the demo reach it.
It runs in one transaction with its audit entry: the visit, its needs' tickets (tickets part),
the household facts its hardship signals change (registry services, which stamp
`facts_changed_at`, so the screening follow loop re-screens the household within seconds) and
the conflicts it found. A refused visit writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from niangjia.core.audit import audit_record, register_actions
from niangjia.core.scoping import Action, can, require, require_action
from niangjia.orgs.models import StaffUser
from niangjia.outreach.listeners import home_visits_notify
from niangjia.outreach.models import Campaign, Pairing, Visit, VisitNeed
from niangjia.outreach.services.signals import SignalData, signals_apply, signals_check
from niangjia.outreach.visit_choices import NeedKind, VisitKind
from niangjia.registry.models import Enterprise, Household, HouseholdMember
from niangjia.tickets.choices import Channel, NeedCategory
from niangjia.tickets.services import ticket_create

VISIT_ACTIONS = {
    "outreach.visit.record": "记录走访",
    "outreach.visit.photo": "上传走访照片",
    "outreach.conflict.resolve": "确认情况冲突",
}
# Registered here as well as by the app, so that a service is never called with an unknown action.
register_actions(VISIT_ACTIONS)

MAX_NEEDS = 20
MAX_SIGNALS = 20
MAX_COMPANIONS = 10


@dataclass
class NeedData:
    """A need or an enterprise problem raised on the visit; it becomes a ticket handled by the recorder."""

    kind: str
    title: str
    description: str = ""
    category: str = ""


@dataclass
class VisitData:
    """What a visit form holds (the phone sends the same as JSON)."""

    campaign: Campaign
    kind: str
    date: date
    enterprise: Enterprise | None = None
    household: Household | None = None
    companions: Sequence[StaffUser] = ()
    people_met: int = 0
    people_notes: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    basic_clear: bool = False
    hardship_clear: bool = False
    aid_clear: bool = False
    satisfaction: int | None = None
    notes: str = ""
    needs: Sequence[NeedData] = ()
    signals: Sequence[SignalData] = ()
    recorded_at: datetime | None = None


def visit_record(*, actor: StaffUser, client_id: uuid.UUID, data: VisitData) -> tuple[Visit, bool]:
    """Record a visit once; return it and whether it was created now (False: this client id synced before).

    The actor must be allowed to change what was visited and take part in the campaign; companions
    must be cadres paired in the campaign. Refused input raises ValidationError or PermissionDenied
    and nothing is written.
    """
    require_action(actor, Action.CHANGE)
    existing = visit_by_client_id(actor=actor, client_id=client_id)
    if existing is not None:
        return existing, False
    visit_check(actor, data)
    try:
        with transaction.atomic():
            visit = _write(actor, client_id, data)
    except IntegrityError:
        # The same client id synced twice at once: the other request created it.
        existing = visit_by_client_id(actor=actor, client_id=client_id)
        if existing is None:
            raise
        return existing, False
    return visit, True


def visit_by_client_id(*, actor: StaffUser, client_id: uuid.UUID) -> Visit | None:
    """The visit this client id created, if the actor recorded it; a client id of someone else's is refused."""
    visit = Visit.objects.filter(client_id=client_id).first()
    if visit is not None and visit.recorded_by_id != actor.pk:
        raise ValidationError({"client_id": "该客户端编号已被其他走访记录使用，请重新生成后提交。"})
    return visit


def campaign_open_to(*, actor: StaffUser, campaign: Campaign, paired: set[int] | None = None) -> bool:
    """Whether the actor takes part in the campaign: a cadre paired in it, staff of an organization above or below it.

    `paired` (the ids of the campaign's paired cadres, for many actors at once) saves a query.
    """
    if actor.is_superuser:
        return True
    if actor.org is None:
        return False
    if actor.pk in paired if paired is not None else Pairing.objects.filter(campaign=campaign, cadre=actor).exists():
        return True
    if actor.role == "cadre":
        return False
    org_path = campaign.org.path
    return actor.org.path.startswith(org_path) or org_path.startswith(actor.org.path)


def visit_check(actor: StaffUser, data: VisitData) -> None:
    """Refuse, in Chinese and before anything is written, what the visit may not hold."""
    if not campaign_open_to(actor=actor, campaign=data.campaign):
        raise PermissionDenied("您未参加该走访活动，不能记录它的走访。")
    visit_rules(data)
    target = data.enterprise if data.kind == VisitKind.ENTERPRISE else data.household
    assert target is not None
    require(actor, Action.CHANGE, target)
    if data.companions:
        paired = set(
            Pairing.objects.filter(campaign=data.campaign, cadre__in=[c.pk for c in data.companions]).values_list(
                "cadre_id", flat=True
            )
        )
        if any(c.pk not in paired for c in data.companions):
            raise ValidationError({"cadre_ids": "同行干部须是本次活动中结对的干部。"})


def visit_rules(data: VisitData) -> None:
    """The checks of a visit that need no scope: the campaign running, dates, kind and target, counts, needs, signals."""
    campaign = data.campaign
    if campaign.status != "active":
        raise ValidationError({"campaign_id": f"走访活动“{campaign.name}”不在进行中，不能记录走访。"})
    if not campaign.starts_on <= data.date <= campaign.ends_on:
        raise ValidationError(
            {"date": f"走访日期应在活动期间 {campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d} 之内。"}
        )
    if data.date > timezone.localdate():
        raise ValidationError({"date": "走访日期不能晚于今天。"})
    if data.kind == VisitKind.ENTERPRISE:
        if data.enterprise is None or data.household is not None:
            raise ValidationError({"enterprise_id": "走企须选择一家企业（不选家庭）。"})
        if data.signals or data.basic_clear or data.hardship_clear or data.aid_clear:
            raise ValidationError({"signals": "“三清”和困难情况只在入户走访时填写。"})
    elif data.kind == VisitKind.HOME:
        if data.household is None or data.enterprise is not None:
            raise ValidationError({"household_id": "入户须选择一个家庭（不选企业）。"})
        if any(n.kind == NeedKind.ENTERPRISE_PROBLEM for n in data.needs):
            raise ValidationError({"needs": "企业问题在走企时填写；入户时请填写职工需求。"})
        signals_check(household=data.household, signals=data.signals, visit_year=data.date.year)
    else:
        raise ValidationError({"kind": "走访类型应为“走企”或“入户”。"})
    if len(data.needs) > MAX_NEEDS or len(data.signals) > MAX_SIGNALS:
        raise ValidationError({"needs": f"一次走访最多 {MAX_NEEDS} 项需求、{MAX_SIGNALS} 项困难情况。"})
    if len(data.companions) > MAX_COMPANIONS:
        raise ValidationError({"cadre_ids": f"同行干部最多 {MAX_COMPANIONS} 人。"})
    for need in data.needs:
        _check_need(need)


def _check_need(need: NeedData) -> None:
    if need.kind not in NeedKind.values:
        raise ValidationError({"needs": "需求类型应为“职工需求”或“企业问题”。"})
    if not need.title.strip() or len(need.title) > 200:
        raise ValidationError({"needs": "每项需求须写明事由（1 到 200 个字）。"})
    if len(need.description) > 2000:
        raise ValidationError({"needs": "需求的详细情况最多 2000 个字。"})
    if need.category and (need.kind != NeedKind.NEED or need.category not in NeedCategory.values):
        raise ValidationError({"needs": "需求类别只用于职工需求，且须是列出的类别之一。"})


def _write(actor: StaffUser, client_id: uuid.UUID, data: VisitData) -> Visit:
    household = data.household
    if household is not None:
        # One sync at a time per household: its facts are compared and changed under this lock.
        household = Household.objects.select_for_update(of=("self",)).select_related("org").get(pk=household.pk)
    target = data.enterprise or household
    assert target is not None
    org = target.org  # for the audit entry's place in the tree (the API's look-up selected it)
    visit = Visit(
        client_id=client_id,
        campaign=data.campaign,
        kind=data.kind,
        date=data.date,
        enterprise=data.enterprise,
        household=household,
        org=org,
        recorded_by=actor,
        people_met=data.people_met,
        people_notes=data.people_notes.strip(),
        lat=data.lat,
        lng=data.lng,
        basic_clear=data.basic_clear,
        hardship_clear=data.hardship_clear,
        aid_clear=data.aid_clear,
        follow_up=_visited_before(data),
        satisfaction=data.satisfaction,
        notes=data.notes.strip(),
        recorded_at=data.recorded_at or timezone.now(),
    )
    # The table's constraints are visit_rules' checks; Django would test each with a query.
    visit.full_clean(
        exclude=["client_id", "campaign", "enterprise", "household", "org", "recorded_by"], validate_constraints=False
    )
    visit.save(force_insert=True)
    cadres = {c.pk for c in [actor, *data.companions]}
    Visit.cadres.through.objects.bulk_create(
        [Visit.cadres.through(visit=visit, staffuser_id=pk) for pk in sorted(cadres)]
    )
    tickets = _needs(actor, visit, data)
    conflicts = signals_apply(actor=actor, visit=visit, household=household, signals=data.signals)
    audit_record(
        actor=actor,
        action="outreach.visit.record",
        target=visit,
        new={
            "kind": data.kind,
            "campaign": data.campaign.pk,
            "target": target.pk,
            "tickets": ",".join(str(t) for t in tickets),
            "signals": len(data.signals),
            "conflicts": conflicts,
        },
        org_path=visit.org.path,
    )
    home_visits_notify([visit])
    return visit


def _visited_before(data: VisitData) -> bool:
    """Whether this is a follow-up: the same enterprise or household was visited earlier in the campaign."""
    earlier = Visit.objects.filter(campaign=data.campaign, date__lte=data.date)
    if data.enterprise is not None:
        return earlier.filter(enterprise=data.enterprise).exists()
    return earlier.filter(household=data.household).exists()


def _needs(actor: StaffUser, visit: Visit, data: VisitData) -> list[int]:
    """Each need becomes a ticket of the tickets part (channel 走访), handled by the recorder's organization."""
    if not data.needs:
        return []
    assert actor.org is not None
    worker = None
    if visit.household_id is not None:
        head = HouseholdMember.objects.filter(household_id=visit.household_id, relation="head").first()
        worker = head.worker if head is not None else None
    # ticket_create checks that its actor may change the handling organization; a cadre may not (a cadre
    # changes only what is assigned to them), so the cadre's visit registers it in the system's name and
    # this visit's audit entry names the cadre and the tickets.
    ticket_actor = actor if can(actor, Action.CHANGE, actor.org) else None
    made = []
    for need in data.needs:
        ticket, _code = ticket_create(
            actor=ticket_actor,
            channel=Channel.VISIT,
            kind=need.kind,
            title=need.title,
            description=need.description,
            category=need.category,
            org=actor.org,
            worker=worker,
            enterprise=visit.enterprise,
            handler=actor,
        )
        VisitNeed.objects.create(visit=visit, kind=need.kind, ticket=ticket)
        made.append(ticket.pk)
    return made
