"""Tickets API: list, detail, the report, create, workflow moves, transfer and the hazard steps, scoped like the pages.

Files, cooperation and follow-up calls are in `api_aftercare.py`, mounted on this router.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.tickets import selectors
from niangjia.tickets.api_aftercare import router as aftercare_router
from niangjia.tickets.api_out import detail, ticket_out
from niangjia.tickets.hazards import hazard_checklist_update, hazard_rectification_order, hazard_refer, hazard_triage
from niangjia.tickets.reporting import TicketReportFilter, report_choices, ticket_report, women_reply_report
from niangjia.tickets.schemas import (
    HazardChecklistIn,
    HazardRectifyIn,
    HazardReferIn,
    HazardTriageIn,
    TicketCreatedOut,
    TicketDetailOut,
    TicketIn,
    TicketMoveIn,
    TicketOut,
    TicketReportOut,
    TicketReportRowOut,
    TicketTransferIn,
)
from niangjia.tickets.services import ticket_create, ticket_transfer, ticket_transition

router = Router()
router.add_router("", aftercare_router)


@router.get(
    "", response={200: list[TicketOut], **errors(403)}, summary="诉求工单：管辖范围内，期限近的在前（after_id 翻页）"
)
def ticket_list(
    request: HttpRequest, open_only: bool = True, after_id: Cursor | None = None, limit: PageSize = 50
) -> list[TicketOut]:
    rows = selectors.ticket_list(user=staff_of(request), open_only=open_only, after_id=after_id, limit=min(limit, 500))
    return [ticket_out(t) for t in rows]


@router.get(
    "/report",
    response={200: TicketReportOut, **errors(403)},
    summary="诉求统计：收到、结案、超期，按渠道、类型、承办组织；与统计页面和导出同一筛选、同样的数字",
)
def ticket_report_api(request: HttpRequest, filters: Query[TicketReportFilter]) -> TicketReportOut:
    user = staff_of(request)
    now = timezone.now()
    report = ticket_report(user=user, now=now, filters=filters)
    women = women_reply_report(user=user, now=now, filters=filters)
    groups = {field: [TicketReportRowOut(**row) for row in rows] for field, rows in report["groups"].items()}
    return TicketReportOut(
        as_of=now,
        filtered_by=filters.describe(report_choices(user=user)),
        total=TicketReportRowOut(**report["total"], label="合计"),
        median_days=report["median_days"],
        by_channel=groups["channel"],
        by_kind=groups["kind"],
        by_org=groups["org"],
        enterprise_problems=report["partner"],
        women_same_day=women["counts"],
    )


@router.get(
    "/{pk}",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="一件诉求及其办理记录、照片和材料、对接合作、回访",
)
def ticket_detail(request: HttpRequest, pk: Path[Id]) -> TicketDetailOut:
    return detail(request, selectors.ticket_get(user=staff_of(request), pk=pk))


@router.post("", response={201: TicketCreatedOut, **errors(403, 404)}, summary="登记诉求；返回查询码（只返回这一次）")
def ticket_new(request: HttpRequest, data: TicketIn) -> Status[TicketCreatedOut]:
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
    return Status(201, TicketCreatedOut(**ticket_out(ticket).model_dump(), tracking_code=code))


@router.post(
    "/{pk}/transition",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="办理：受理、开始办理、整改验收、办结、回访结案、重新办理；不允许的操作返回 422 且不改变任何记录",
)
def ticket_move(request: HttpRequest, pk: Path[Id], data: TicketMoveIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = ticket_transition(
        actor=user, ticket=selectors.ticket_get(user=user, pk=pk), move=data.move, note=data.note
    )
    return detail(request, selectors.ticket_get(user=user, pk=ticket.pk))


@router.post(
    "/{pk}/transfer",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="转办到另一组织（可指定承办人），须说明原因；已办结或已结案的不能转办",
)
def ticket_transfer_to(request: HttpRequest, pk: Path[Id], data: TicketTransferIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    org = selectors.org_get(user=user, pk=data.org_id)
    handler = selectors.handler_get(user=user, pk=data.handler_id) if data.handler_id else None
    ticket = ticket_transfer(actor=user, ticket=ticket, org=org, note=data.note, handler=handler)
    return detail(request, ticket)


@router.post(
    "/{pk}/hazard/triage",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="安全隐患分级受理：一般或重大事故隐患",
)
def hazard_triage_api(request: HttpRequest, pk: Path[Id], data: HazardTriageIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_triage(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), grade=data.grade, note=data.note)
    return detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/rectify",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="安全隐患限期整改：整改期限和涉及企业（可不填）",
)
def hazard_rectify_api(request: HttpRequest, pk: Path[Id], data: HazardRectifyIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    enterprise = registry_selectors.enterprise_get(user=user, pk=data.enterprise_id) if data.enterprise_id else None
    hazard_rectification_order(actor=user, ticket=ticket, rectify_by=data.rectify_by, enterprise=enterprise)
    return detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/refer",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="记录移交应急管理部门（重大事故隐患或整改逾期，一次）",
)
def hazard_refer_api(request: HttpRequest, pk: Path[Id], data: HazardReferIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_refer(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), note=data.note)
    return detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/hazard/checklist",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="事故“四不放过”核查：每项是否已落实",
)
def hazard_checklist_api(request: HttpRequest, pk: Path[Id], data: HazardChecklistIn) -> TicketDetailOut:
    user = staff_of(request)
    hazard_checklist_update(actor=user, ticket=selectors.ticket_get(user=user, pk=pk), checked=data.model_dump())
    return detail(request, selectors.ticket_get(user=user, pk=pk))
