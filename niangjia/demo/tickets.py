"""Demo tickets: walk-ins, the window, the 12351 line, visits and hazard reports over every district.

Every ticket goes through the tickets services (create, moves, transfer, escalation, photos, cooperation,
follow-up calls), so the timelines and audit entries are what real use would leave. A few hundred: the
services' path is fine. Hazards carry small photos drawn here with Pillow (checked and re-encoded by the same
upload check as a real one); some enterprise problems are matched with a partner, among them the seed's
case of a telecom operations centre helping an engineering consultancy with its communications.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from niangjia.core.scoping import Action, restrict
from niangjia.demo.orgs import TreeSeed
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import Channel, HazardGrade, Kind, NeedCategory, Status, TicketClass
from niangjia.tickets.cooperation import cooperation_finish, cooperation_start
from niangjia.tickets.followups import followup_record
from niangjia.tickets.hazards import hazard_rectification_order, hazard_triage
from niangjia.tickets.models import Ticket
from niangjia.tickets.services import (
    ticket_create,
    ticket_transfer,
    ticket_transition,
    tickets_escalate_overdue,
)
from niangjia.tickets.uploads import CheckedFile, check_file

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
# Service providers an enterprise problem may be matched with, besides the enterprises of the registry.
PROVIDERS = ["西安电信南高新运营中心", "陕西省中小企业公共服务平台", "区人社局就业服务中心", "西安市知识产权服务中心"]
WORK = {
    "企业通信网络不稳定": ("提供专线接入和通信保障方案", "专线已开通，网络稳定"),
    "用工招聘困难": ("联合举办专场招聘、推送岗位", "招到 12 名技术工人"),
    "技术改造缺少合作方": ("对接设备改造和技术服务", "签订技术服务合同"),
    "融资渠道咨询": ("介绍中小企业融资产品和担保政策", "企业已提交贷款申请"),
}


def tickets_seed(*, tree: TreeSeed, seed: int, stdout: Any, **_: Any) -> None:
    """A few hundred tickets over the districts, in every state; some overdue, escalated, transferred."""
    rng = random.Random(seed + 31)
    # Photos, partners and calls draw from their own stream, so the tickets stay those of earlier demos.
    extra = random.Random(seed + 57)
    admin = StaffUser.objects.get(username="xa_admin")
    now = timezone.now()
    made = 0
    for code, district in sorted(tree.districts.items()):
        streets = tree.streets.get(code) or [district]
        cadres = tree.cadres.get(code) or []
        enterprises = list(Enterprise.objects.filter(org__path__startswith=district.path).order_by("pk")[:40])
        for _n in range(PER_DISTRICT):
            _one(rng, extra, admin=admin, district=district, streets=streets, cadres=cadres, enterprises=enterprises,
                 now=now)  # fmt: skip
            made += 1
    if "610113" in tree.districts:
        _seed_story(admin=admin, district=tree.districts["610113"], now=now)
        made += 1
    escalated = tickets_escalate_overdue(now=now)
    stdout.write(f"诉求工单：{made} 件（各区县，各种状态，附照片、对接合作和回访），其中 {escalated} 件超期已上提\n")


def _one(
    rng: random.Random,
    extra: random.Random,
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
        photos=[_photo(extra) for _ in range(extra.choice((0, 1, 1, 2)))] if kind == Kind.HAZARD else [],
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
            break
        at = min(at + timedelta(hours=rng.randint(2, 72)), now)
        if kind == Kind.HAZARD and move in ("accept", "resolve"):
            ticket = _hazard_step(rng, extra, ticket, actor=actor, move=move, enterprises=enterprises, at=at)
        if kind == Kind.ENTERPRISE_PROBLEM and move in ("start", "resolve"):
            _partner_step(extra, ticket, actor=actor, move=move, enterprises=enterprises, at=at)
        if move == "accept" and kind == Kind.HAZARD:
            continue
        if move == "close":
            score = rng.choices([5, 4, 3, 2], weights=[70, 20, 7, 3])[0] if stage == "rated" else None
            ticket = _close(ticket, admin=admin, score=score, at=at)
            continue
        ticket = ticket_transition(actor=actor, ticket=ticket, move=move, note=note, now=at)
    if stage == "resolved" and not ticket.anonymous and extra.random() < 0.3:
        followup_record(actor=admin, ticket=ticket, called_at=min(at + timedelta(hours=4), now), reached=False,
                        note="电话无人接听，明天再联系。", now=now)  # fmt: skip
    elif stage == "reopened":
        ticket_transition(actor=admin, ticket=ticket, move="reopen", note="回访发现问题未彻底解决。", now=now)


def _close(ticket: Ticket, *, admin: StaffUser, score: int | None, at: datetime) -> Ticket:
    """Close a resolved ticket after the follow-up call (an anonymous requester cannot be called)."""
    if ticket.anonymous:
        return ticket_transition(actor=admin, ticket=ticket, move="close", note="回访结案。", now=at)
    followup_record(actor=admin, ticket=ticket, called_at=at, reached=True, satisfaction=score,
                    note="反映人认可办理结果。", close=True, now=at)  # fmt: skip
    ticket.refresh_from_db()
    return ticket


def _partner_step(
    extra: random.Random, ticket: Ticket, *, actor: StaffUser, move: str, enterprises: list[Enterprise], at: datetime
) -> None:
    """Half the enterprise problems are matched with a partner once in progress; the match ends before resolving."""
    if move == "start":
        if extra.random() < 0.5:
            return
        others = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises if e.pk != ticket.enterprise_id])
        partners = list(restrict(others, actor, Action.VIEW).order_by("pk"))
        partner = extra.choice(partners) if partners and extra.random() < 0.4 else None
        work = WORK.get(ticket.title, ("对接相关服务", ""))[0]
        cooperation_start(actor=actor, ticket=ticket, partner=partner, partner_name=extra.choice(PROVIDERS),
                          work=work, started_on=timezone.localdate(at), now=at)  # fmt: skip
        return
    for cooperation in ticket.cooperations.filter(finished_on__isnull=True):
        result = WORK.get(ticket.title, ("", "问题已解决"))[1] or "问题已解决"
        cooperation_finish(
            actor=actor, cooperation=cooperation, finished_on=timezone.localdate(at), result=result, now=at
        )


def _seed_story(*, admin: StaffUser, district: UnionOrg, now: datetime) -> None:
    """The seed's case: on a 大走访 visit an engineering consultancy's problems were matched with a telecom
    operations centre, and the two signed a cooperation agreement."""
    start = now - timedelta(days=20)
    consultancy = (
        Enterprise.objects.filter(org__path__startswith=district.path, name__contains="咨询").order_by("pk").first()
    )
    ticket, _code = ticket_create(actor=None, channel=Channel.VISIT, kind=Kind.ENTERPRISE_PROBLEM,
                                  title="企业经营难题：通信保障和信息化", org=district, enterprise=consultancy,
                                  description="大走访中了解到企业在通信和信息化方面遇到经营难题，负责人表达了强烈的合作意愿。",
                                  now=start)  # fmt: skip
    for move, days in (("accept", 1), ("start", 2)):
        ticket = ticket_transition(actor=admin, ticket=ticket, move=move, now=start + timedelta(days=days))
    cooperation = cooperation_start(actor=admin, ticket=ticket, partner_name="西安电信南高新运营中心",
                                    work="通过工会业务联学联建，为企业提供通信保障和信息化服务",
                                    started_on=timezone.localdate(start + timedelta(days=3)),
                                    now=start + timedelta(days=3))  # fmt: skip
    done = start + timedelta(days=12)
    cooperation_finish(actor=admin, cooperation=cooperation, finished_on=timezone.localdate(done),
                       result="双方签署战略合作协议", now=done)  # fmt: skip
    ticket = ticket_transition(actor=admin, ticket=ticket, move="resolve", note="经对接电信运营中心，问题已解决。",
                               now=done)  # fmt: skip
    if ticket.status == Status.RESOLVED:
        _close(ticket, admin=admin, score=5, at=done + timedelta(days=2))


def _photo(rng: random.Random, *, fixed: bool = False) -> CheckedFile:
    """A small drawn photo of a workplace: boxes piled on the floor, or (fixed) a clear floor with a marked lane."""
    image = Image.new("RGB", (480, 360), (196, 200, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 230, 480, 360), fill=(120, 118, 110))
    if fixed:
        draw.rectangle((150, 230, 330, 360), fill=(132, 168, 120))
        for y in (240, 300):
            draw.line((150, y, 330, y), fill=(250, 210, 40), width=6)
    else:
        for _ in range(rng.randint(3, 7)):
            x, y = rng.randint(20, 400), rng.randint(150, 300)
            w, h = rng.randint(40, 90), rng.randint(30, 70)
            draw.rectangle((x, y, x + w, y + h), fill=(150 + rng.randint(0, 40), 110, 60), outline=(90, 60, 30))
    draw.rectangle((400, 20, 460, 80), fill=(220, 40, 40) if not fixed else (40, 160, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return check_file(out.getvalue(), name="现场照片.jpg")


def _hazard_step(
    rng: random.Random,
    extra: random.Random,
    ticket: Ticket,
    *,
    actor: StaffUser,
    move: str,
    enterprises: list[Enterprise],
    at: datetime,
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
    photos = [_photo(extra, fixed=True)] if extra.random() < 0.7 else []
    return ticket_transition(
        actor=actor, ticket=ticket, move="verify", note="复查：已整改到位。", photos=photos, now=at
    )
