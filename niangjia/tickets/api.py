"""Tickets API: list, detail, create and workflow moves, scoped like the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field, StringConstraints

from niangjia.api_errors import errors
from niangjia.api_fields import NO_NUL, Cursor, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.tickets import selectors
from niangjia.tickets.choices import Channel, HazardGrade, Kind, NeedCategory, Status, TicketClass
from niangjia.tickets.hazards import hazard_checklist_update, hazard_rectification_order, hazard_refer, hazard_triage
from niangjia.tickets.models import Ticket
from niangjia.tickets.services import ticket_create, ticket_rate, ticket_transfer, ticket_transition
from niangjia.tickets.workflow import Move

router = Router()

Text2000 = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]


class EventOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    from_status: str
    to_status: str
    from_org_id: int | None
    to_org_id: int | None
    note: str


class TicketOut(Schema):
    id: int
    channel: Channel
    kind: Kind
    category: str
    title: str
    status: Status
    ticket_class: TicketClass
    org_id: int
    handler_id: int | None
    anonymous: bool
    received_at: datetime
    due_at: datetime
    escalations: int
    satisfaction: int | None
    hazard_grade: HazardGrade | Literal[""]
    hazard_enterprise_id: int | None
    rectify_by: date | None
    verified_at: datetime | None
    referred_at: datetime | None
    cause_found: bool
    responsible_dealt: bool
    measures_done: bool
    people_educated: bool


class TicketDetailOut(TicketOut):
    description: str
    resolution: str
    events: list[EventOut]


class TicketCreatedOut(TicketOut):
    tracking_code: str


class TicketIn(Schema):
    channel: Channel
    kind: Kind
    title: Title
    org_id: Id
    description: Text2000 = ""
    category: NeedCategory | Literal[""] = ""
    ticket_class: TicketClass = TicketClass.ORDINARY
    handler_id: Id | None = None
    worker_id: Id | None = None
    enterprise_id: Id | None = None
    anonymous: bool = False


class TransferIn(Schema):
    org_id: Id
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=NO_NUL)]
    handler_id: Id | None = None


class RateIn(Schema):
    satisfaction: Annotated[int, Field(ge=1, le=5)]
    note: Annotated[str, StringConstraints(max_length=500, pattern=NO_NUL)] = ""


class TriageIn(Schema):
    grade: HazardGrade
    note: Text2000 = ""


class RectifyIn(Schema):
    rectify_by: date
    enterprise_id: Id | None = None


class ReferIn(Schema):
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=NO_NUL)]


class ChecklistIn(Schema):
    cause_found: bool = False
    responsible_dealt: bool = False
    measures_done: bool = False
    people_educated: bool = False


class MoveIn(Schema):
    move: Move
    note: Text2000 = ""


def _out(ticket: Ticket) -> TicketOut:
    return TicketOut.model_validate(ticket, from_attributes=True)


def _detail(request: HttpRequest, ticket: Ticket) -> TicketDetailOut:
    events = [
        EventOut(
            at=e.at,
            kind=e.kind,
            actor=e.actor.username if e.actor else None,
            from_status=e.from_status,
            to_status=e.to_status,
            from_org_id=e.from_org_id,
            to_org_id=e.to_org_id,
            note=e.note,
        )
        for e in selectors.ticket_events(user=staff_of(request), ticket=ticket)
    ]
    return TicketDetailOut(
        **_out(ticket).model_dump(), description=ticket.description, resolution=ticket.resolution, events=events
    )


@router.get(
    "", response={200: list[TicketOut], **errors(403)}, summary="诉求工单：管辖范围内，期限近的在前（after_id 翻页）"
)
def ticket_list(
    request: HttpRequest, open_only: bool = True, after_id: Cursor | None = None, limit: PageSize = 50
) -> list[TicketOut]:
    rows = selectors.ticket_list(user=staff_of(request), open_only=open_only, after_id=after_id, limit=min(limit, 500))
    return [_out(t) for t in rows]


@router.get("/{pk}", response={200: TicketDetailOut, **errors(403, 404)}, summary="一件诉求及其办理记录")
def ticket_detail(request: HttpRequest, pk: Path[Id]) -> TicketDetailOut:
    return _detail(request, selectors.ticket_get(user=staff_of(request), pk=pk))


@router.post("", response={201: TicketCreatedOut, **errors(403, 404)}, summary="登记诉求；返回查询码（只返回这一次）")
def ticket_new(request: HttpRequest, data: TicketIn) -> tuple[int, TicketCreatedOut]:
    user = staff_of(request)
    org = selectors.org_get(user=user, pk=data.org_id)
    ticket, code = ticket_create(
        actor=user,
        channel=data.channel,
        kind=data.kind,
        title=data.title,
        org=org,
        description=data.description,
        category=data.category,
        ticket_class=data.ticket_class,
        handler=selectors.handler_get(user=user, pk=data.handler_id) if data.handler_id else None,
        worker=registry_selectors.worker_get(user=user, pk=data.worker_id) if data.worker_id else None,
        enterprise=registry_selectors.enterprise_get(user=user, pk=data.enterprise_id) if data.enterprise_id else None,
        anonymous=data.anonymous,
    )
    return 201, TicketCreatedOut(**_out(ticket).model_dump(), tracking_code=code)


@router.post(
    "/{pk}/transition",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="办理：受理、开始办理、办结、回访结案、重新办理；不允许的操作返回 422 且不改变任何记录",
)
def ticket_move(request: HttpRequest, pk: Path[Id], data: MoveIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = ticket_transition(
        actor=user, ticket=selectors.ticket_get(user=user, pk=pk), move=data.move, note=data.note
    )
    return _detail(request, selectors.ticket_get(user=user, pk=ticket.pk))


@router.post(
    "/{pk}/transfer",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="转办到另一组织（可指定承办人），须说明原因；已办结或已结案的不能转办",
)
def ticket_transfer_to(request: HttpRequest, pk: Path[Id], data: TransferIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    org = selectors.org_get(user=user, pk=data.org_id)
    handler = selectors.handler_get(user=user, pk=data.handler_id) if data.handler_id else None
    ticket = ticket_transfer(actor=user, ticket=ticket, org=org, note=data.note, handler=handler)
    return _detail(request, ticket)


@router.post(
    "/{pk}/rate",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="回访时记录反映人的满意度（1–5 分），结案后一次",
)
def ticket_rate_by_staff(request: HttpRequest, pk: Path[Id], data: RateIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = ticket_rate(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), satisfaction=data.satisfaction,
                         note=data.note)  # fmt: skip
    return _detail(request, selectors.ticket_get(user=user, pk=ticket.pk))


@router.post(
    "/{pk}/hazard/triage",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="安全隐患分级受理：一般或重大事故隐患",
)
def hazard_triage_api(request: HttpRequest, pk: Path[Id], data: TriageIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_triage(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), grade=data.grade, note=data.note)
    return _detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/rectify",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="安全隐患限期整改：整改期限和涉及企业（可不填）",
)
def hazard_rectify_api(request: HttpRequest, pk: Path[Id], data: RectifyIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    enterprise = registry_selectors.enterprise_get(user=user, pk=data.enterprise_id) if data.enterprise_id else None
    hazard_rectification_order(actor=user, ticket=ticket, rectify_by=data.rectify_by, enterprise=enterprise)
    return _detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/refer",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="记录移交应急管理部门（重大事故隐患或整改逾期，一次）",
)
def hazard_refer_api(request: HttpRequest, pk: Path[Id], data: ReferIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_refer(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), note=data.note)
    return _detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/checklist",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="事故“四不放过”核查：每项是否已落实",
)
def hazard_checklist_api(request: HttpRequest, pk: Path[Id], data: ChecklistIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_checklist_update(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), checked=data.model_dump())
    return _detail(request, selectors.ticket_get(user=user, pk=pk))
