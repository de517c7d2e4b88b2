"""Applications API: list, file, one application, moves, papers (received, files)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router, Schema, Status, UploadedFile

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Day, Id, PageSize
from niangjia.assistance.api.fields import MoveIn, PolicyId, Text200, Text1000
from niangjia.assistance.choices import ApplicationStatus, Authorisation, PaperHolder
from niangjia.assistance.models import Application
from niangjia.assistance.selectors import applications as selectors
from niangjia.assistance.services import (
    application_file,
    paper_file_add,
    paper_receive,
)
from niangjia.assistance.views.applications import MOVES
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors

router = Router()


class ApplicationOut(Schema):
    id: int
    household_id: int
    member_id: int | None
    applicant: str
    policy_id: str
    policy_name: str
    status: ApplicationStatus
    level_label: str
    amount: Decimal
    approved_amount: Decimal | None
    period: int
    filed_by_proxy: bool
    authorisation: Authorisation | None
    authorised_on: date | None
    filed_by_id: int
    filed_at: datetime
    approval_level: str
    decided_by_id: int | None
    reject_reason: str
    paid_on: date | None


class PaperOut(Schema):
    id: int
    kind: str
    status: str
    holder: str
    received_on: date | None
    files: list[int]


class DecisionOut(Schema):
    stage: str
    as_of: date
    policy_version: str
    content_hash: str
    parameters_hash: str
    status: str
    level: str
    amount: Decimal | None
    reasons: list[str]
    missing_facts: list[str]
    missing_documents: list[str]
    checked_at: datetime


class EventOut(Schema):
    at: datetime
    move: str
    from_status: str
    to_status: str
    actor_id: int | None
    note: str


class ApplicationDetailOut(ApplicationOut):
    papers: list[PaperOut]
    decisions: list[DecisionOut]
    events: list[EventOut]
    moves: list[str]


class FileIn(Schema):
    household_id: Id
    policy_id: PolicyId
    member_id: Id | None = None
    filed_by_proxy: bool = False
    authorisation: Authorisation | None = None
    authorised_on: Day | None = None
    authorisation_note: Text200 = ""
    note: Text1000 = ""


class ReceiveIn(Schema):
    received_on: Day | None = None
    holder: PaperHolder = PaperHolder.CADRE
    note: Text200 = ""


def out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        id=a.pk, household_id=a.household_id, member_id=a.member_id, applicant=a.applicant.name, policy_id=a.policy_id,
        policy_name=a.policy_name, status=ApplicationStatus(a.status), level_label=a.level_label, amount=a.amount,
        approved_amount=a.approved_amount, period=a.period, filed_by_proxy=a.filed_by_proxy,
        authorisation=Authorisation(a.authorisation) if a.authorisation else None, authorised_on=a.authorised_on,
        filed_by_id=a.filed_by_id, filed_at=a.filed_at, approval_level=a.approval_level, decided_by_id=a.decided_by_id,
        reject_reason=a.reject_reason, paid_on=a.paid_on,
    )  # fmt: skip


def detail(request: HttpRequest, pk: int) -> ApplicationDetailOut:
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk)
    data = selectors.application_detail(user=user, application=application)
    return ApplicationDetailOut(
        **out(application).model_dump(),
        papers=[PaperOut(id=p.pk, kind=p.kind, status=p.status, holder=p.holder, received_on=p.received_on,
                         files=[f.pk for f in p.files.all()]) for p in data["papers"]],
        decisions=[DecisionOut(stage=d.stage, as_of=d.as_of, policy_version=d.policy_version, content_hash=d.content_hash,
                               parameters_hash=d.parameters_hash, status=d.status, level=d.level, amount=d.amount,
                               reasons=d.reason_list, missing_facts=list(d.missing_facts),
                               missing_documents=list(d.missing_documents), checked_at=d.checked_at)
                   for d in data["decisions"]],
        events=[EventOut(at=e.at, move=e.move, from_status=e.from_status, to_status=e.to_status, actor_id=e.actor_id,
                         note=e.note) for e in data["events"]],
        moves=[m.move for m in data["moves"]],
    )  # fmt: skip


@router.get(
    "/applications", response={200: list[ApplicationOut], **errors(403)}, summary="帮扶申请（新的在前，before_id 翻页）"
)
def application_list(
    request: HttpRequest,
    filters: Query[selectors.ApplicationFilter],
    before_id: Cursor | None = None,
    limit: PageSize = 50,
) -> list[ApplicationOut]:
    rows = selectors.application_list(
        user=staff_of(request), filters=filters, before_id=before_id, limit=min(limit, 200)
    )
    return [out(a) for a in rows]


@router.post(
    "/applications",
    response={201: ApplicationDetailOut, **errors(403, 404)},
    summary="登记申请：按今天的情况核验并保存政策结果，生成材料清单；干部代办须登记委托方式和日期",
)
def application_new(request: HttpRequest, data: FileIn) -> Status[ApplicationDetailOut]:
    user = staff_of(request)
    household = registry_selectors.household_get(user=user, pk=data.household_id)
    member = None
    if data.member_id is not None:
        member = next((m for m in household["members"] if m.pk == data.member_id), None)
        if member is None:
            raise ValidationError({"member_id": "该成员不属于这个家庭。"})
    application = application_file(
        actor=user, household=household["household"], policy_id=data.policy_id, member=member,
        filed_by_proxy=data.filed_by_proxy, authorisation=data.authorisation or "", authorised_on=data.authorised_on,
        authorisation_note=data.authorisation_note, note=data.note,
    )  # fmt: skip
    return Status(201, detail(request, application.pk))


@router.get(
    "/applications/{pk}",
    response={200: ApplicationDetailOut, **errors(403, 404)},
    summary="一份申请：材料、政策核验、办理记录",
)
def application_detail(request: HttpRequest, pk: Path[Id]) -> ApplicationDetailOut:
    return detail(request, pk)


@router.post(
    "/applications/{pk}/move",
    response={200: ApplicationDetailOut, **errors(403, 404)},
    summary="办理：submit 提交、resubmit 重新提交、approve 批准（按今日情况复核，占用资金）、reject 退回（须说明）、"
    "pay 发放（幂等）、withdraw 撤回（须说明）、release 撤销审批（须说明）",
)
def application_move(request: HttpRequest, pk: Path[Id], data: MoveIn) -> ApplicationDetailOut:
    user = staff_of(request)
    application = selectors.application_get(user=user, pk=pk, action=Action.CHANGE)
    if data.move not in MOVES:
        raise ValidationError({"move": f"没有“{data.move[:24]}”这一办理操作。"})
    if data.move == "release" and not data.note.strip():
        raise ValidationError({"note": "撤销审批须填写原因。"})
    MOVES[data.move](user, application, data.note)
    return detail(request, pk)


@router.post(
    "/papers/{pk}/receive",
    response={200: ApplicationDetailOut, **errors(403, 404)},
    summary="登记收到纸质材料及原件保管人",
)
def paper_received(request: HttpRequest, pk: Path[Id], data: ReceiveIn) -> ApplicationDetailOut:
    user = staff_of(request)
    paper = selectors.paper_get(user=user, pk=pk)
    paper_receive(actor=user, paper=paper, received_on=data.received_on, holder=data.holder, note=data.note)
    return detail(request, paper.application_id)


@router.post(
    "/papers/{pk}/files",
    response={201: ApplicationDetailOut, **errors(403, 404)},
    summary="上传材料扫描件或照片（multipart，字段 file）：按内容检查，只收 PDF、JPG、PNG，大小有上限；图片去除元数据",
)
def paper_upload(
    request: HttpRequest, pk: Path[Id], file: File[UploadedFile], holder: Form[PaperHolder] = PaperHolder.CADRE
) -> Status[ApplicationDetailOut]:
    user = staff_of(request)
    paper = selectors.paper_get(user=user, pk=pk)
    paper_file_add(actor=user, paper=paper, upload=file, holder=holder)
    return Status(201, detail(request, paper.application_id))
