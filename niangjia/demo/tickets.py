"""Demo tickets: walk-ins, the window, the 12351 line, visits and hazard reports over every district.

Every ticket goes through the tickets services (create, moves, transfer, rating, escalation), so the
timelines and audit entries are what real use would leave. A few hundred: the services' path is fine.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from niangjia.core.scoping import Action, restrict
from niangjia.demo.orgs import TreeSeed
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import Channel, HazardGrade, Kind, NeedCategory, TicketClass
from niangjia.tickets.followups import followup_record
from niangjia.tickets.hazards import hazard_rectification_order, hazard_triage
from niangjia.tickets.models import Ticket
from niangjia.tickets.services import (
    ticket_create,
    ticket_transfer,
    ticket_transition,
    tickets_escalate_overdue,
)

PER_DISTRICT = 24
TITLES = {
    Kind.NEED: ["希望参加技能培训", "子女入学咨询", "家属住院费用困难", "求职登记", "公租房申请", "生活困难求助"],
    Kind.ENTERPRISE_PROBLEM: ["企业通信网络不稳定", "用工招聘困难", "技术改造缺少合作方", "融资渠道咨询"],
    Kind.HAZARD: ["车间消防通道堵塞", "脚手架防护网破损", "配电箱未上锁", "仓库堆放超高"],
    Kind.CONSULTATION: ["拖欠工资如何维权", "劳动合同未签订", "工伤认定咨询"],
    Kind.WOMEN_CONSULTATION: ["产假工资咨询", "哺乳期调岗咨询"],
    Kind.SUGGESTION: ["建议增设户外劳动者驿站", "建议夜校开设电工课程"],
    Kind.COMPLAINT: ["投诉企业不缴社保", "投诉加班费计算有误"],
}
CHANNELS = [Channel.WALK_IN, Channel.WINDOW, Channel.PHONE, Channel.VISIT, Channel.ONLINE, Channel.ENTERPRISE]
# How far along a ticket gets: received, accepted, in progress, resolved, closed, closed and rated, reopened.
STAGES = ["received", "accepted", "in_progress", "resolved", "closed", "rated", "reopened"]


def tickets_seed(*, tree: TreeSeed, seed: int, stdout: Any, **_: Any) -> None:
    """A few hundred tickets over the districts, in every state; some overdue, escalated, transferred."""
    rng = random.Random(seed + 31)
    admin = StaffUser.objects.get(username="xa_admin")
    now = timezone.now()
    made = 0
    for code, district in sorted(tree.districts.items()):
        streets = tree.streets.get(code) or [district]
        cadres = tree.cadres.get(code) or []
        enterprises = list(Enterprise.objects.filter(org__path__startswith=district.path).order_by("pk")[:40])
        for _n in range(PER_DISTRICT):
            _one(rng, admin=admin, district=district, streets=streets, cadres=cadres, enterprises=enterprises, now=now)
            made += 1
    escalated = tickets_escalate_overdue(now=now)
    stdout.write(f"诉求工单：{made} 件（各区县，各种状态），其中 {escalated} 件超期已上提\n")


def _one(
    rng: random.Random,
    *,
    admin: StaffUser,
    district: UnionOrg,
    streets: list[UnionOrg],
    cadres: list[StaffUser],
    enterprises: list[Enterprise],
    now: datetime,
) -> None:
    kind = rng.choice(list(TITLES))
    org = rng.choice(streets)
    handler = next((c for c in cadres if c.org is not None and org.contains(c.org)), None)
    enterprise = rng.choice(enterprises) if enterprises and kind == Kind.ENTERPRISE_PROBLEM else None
    anonymous = kind == Kind.HAZARD and rng.random() < 0.5
    start = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
    ticket, _code = ticket_create(
        actor=None,
        channel=Channel.ONLINE if anonymous else rng.choice(CHANNELS),
        kind=kind,
        category=rng.choice(NeedCategory.values) if kind == Kind.NEED else "",
        title=rng.choice(TITLES[kind]),
        org=org,
        ticket_class=rng.choices(TicketClass.values, weights=[6, 3, 1])[0],
        enterprise=enterprise,
        anonymous=anonymous,
        handler=handler,
        now=start,
    )
    actor = handler or admin
    stage = rng.choice(STAGES)
    at = start
    if rng.random() < 0.08 and org != district:
        ticket = ticket_transfer(
            actor=admin, ticket=ticket, org=district, note="涉及多个街道，由区总工会统筹办理。", now=at
        )
        actor = admin
    for move, note, target in (
        ("accept", "", "accepted"),
        ("start", "", "in_progress"),
        ("resolve", "已联系相关部门办理并答复反映人。", "resolved"),
        ("close", "回访：反映人认可办理结果。", "closed"),
    ):
        if STAGES.index(stage) < STAGES.index(target):
            return
        at = min(at + timedelta(hours=rng.randint(2, 72)), now)
        if kind == Kind.HAZARD and move in ("accept", "resolve"):
            ticket = _hazard_step(rng, ticket, actor=actor, move=move, enterprises=enterprises, at=at)
        if move == "accept" and kind == Kind.HAZARD:
            continue
        ticket = ticket_transition(
            actor=admin if move == "close" else actor, ticket=ticket, move=move, note=note, now=at
        )
    if stage == "rated":
        if not ticket.anonymous:
            followup_record(actor=admin, ticket=ticket, called_at=now, reached=True,
                            satisfaction=rng.choices([5, 4, 3, 2], weights=[70, 20, 7, 3])[0])  # fmt: skip
    elif stage == "reopened":
        ticket_transition(actor=admin, ticket=ticket, move="reopen", note="回访发现问题未彻底解决。", now=now)


def _hazard_step(
    rng: random.Random, ticket: Ticket, *, actor: StaffUser, move: str, enterprises: list[Enterprise], at: datetime
) -> Ticket:
    """A hazard is triaged instead of accepted, and ordered rectified and verified before it is resolved."""
    if move == "accept":
        grade = rng.choices(HazardGrade.values, weights=[8, 2])[0]
        return hazard_triage(actor=actor, ticket=ticket, grade=grade, note="已到现场核实。", now=at)
    visible = list(restrict(Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]), actor, Action.VIEW))
    enterprise = rng.choice(visible) if visible else None
    rectify_by = timezone.localdate(at)
    ticket = hazard_rectification_order(
        actor=actor, ticket=ticket, rectify_by=rectify_by, enterprise=enterprise, now=at
    )
    return ticket_transition(actor=actor, ticket=ticket, move="verify", note="复查：已整改到位。", now=at)
