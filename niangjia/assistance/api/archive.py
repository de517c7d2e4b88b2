"""Hardship archive API: list (with the work queries), open, one archive, its steps."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Day, Id, PageSize
from niangjia.assistance.api.fields import MoveIn, Reason, Text200, Text2000
from niangjia.assistance.choices import ArchiveStatus, Cause, ExitRoute, HardshipLevel, ObjectionOutcome
from niangjia.assistance.models import HardshipArchive
from niangjia.assistance.selectors import archive as selectors
from niangjia.assistance.services import (
    archive_exit,
    archive_move,
    archive_open,
    archive_review_confirm,
    notice_close,
    notice_open,
    objection_add,
    objection_decide,
)
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors

router = Router()


class ObjectionOut(Schema):
    id: int
    received_on: date
    content: str
    outcome: str
    finding: str


class NoticeOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    place: str
    status: str
    objections: list[ObjectionOut]


class ArchiveOut(Schema):
    id: int
    household_id: int
    head: str | None
    status: ArchiveStatus
    level: HardshipLevel
    main_cause: Cause
    secondary_causes: list[str]
    source: str
    archived_on: date | None
    last_review_date: date | None
    closed_on: date | None
    closed_reason: str


class ArchiveDetailOut(ArchiveOut):
    evidence: str
    screening: dict[str, str]
    notices: list[NoticeOut]


class OpenIn(Schema):
    household_id: Id
    level: HardshipLevel
    main_cause: Cause
    secondary_causes: list[Cause] = Field(default_factory=list, max_length=3)
    evidence: Text2000 = ""
    cause_note: Text200 = ""
    from_screening: bool = Field(False, description="以该家庭当前的建档筛查结果为依据")


class NoticeIn(Schema):
    starts_on: Day
    ends_on: Day
    place: Reason


class ObjectionIn(Schema):
    received_on: Day
    content: Reason


class DecideIn(Schema):
    outcome: ObjectionOutcome
    finding: Reason


class ReviewIn(Schema):
    level: HardshipLevel
    note: Reason


class ExitIn(Schema):
    route: ExitRoute
    reason: Reason


def out(a: HardshipArchive) -> ArchiveOut:
    head = getattr(a, "head", None)
    return ArchiveOut(
        id=a.pk, household_id=a.household_id, head=head.name if head else None, status=ArchiveStatus(a.status),
        level=HardshipLevel(a.level), main_cause=Cause(a.main_cause), secondary_causes=list(a.secondary_causes),
        source=a.source, archived_on=a.archived_on, last_review_date=a.last_review_date, closed_on=a.closed_on,
        closed_reason=a.closed_reason,
    )  # fmt: skip


def detail(request: HttpRequest, pk: int) -> ArchiveDetailOut:
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk)
    data = selectors.archive_detail(user=user, archive=archive)
    notices = [
        NoticeOut(id=n.pk, starts_on=n.starts_on, ends_on=n.ends_on, place=n.place, status=n.status,
                  objections=[ObjectionOut(id=o.pk, received_on=o.received_on, content=o.content, outcome=o.outcome,
                                           finding=o.finding) for o in n.objections.all()])
        for n in data["notices"]
    ]  # fmt: skip
    return ArchiveDetailOut(
        **out(archive).model_dump(), evidence=archive.evidence,
        screening={k: str(v) for k, v in archive.screening.items()}, notices=notices,
    )  # fmt: skip


@router.get(
    "/archive",
    response={200: list[ArchiveOut], **errors(403)},
    summary="困难职工档案（含一年未更新、建档后未获帮扶、到期待复核）",
)
def archive_list(
    request: HttpRequest, filters: Query[selectors.ArchiveFilter], before_id: Cursor | None = None, limit: PageSize = 50
) -> list[ArchiveOut]:
    rows = selectors.archive_list(user=staff_of(request), filters=filters, today=timezone.localdate(),
                                  before_id=before_id, limit=min(limit, 200))  # fmt: skip
    return [out(a) for a in rows]


@router.post(
    "/archive",
    response={201: ArchiveDetailOut, **errors(403, 404)},
    summary="登记疑似困难职工家庭（一个主要、至多三个次要致困原因）",
)
def archive_new(request: HttpRequest, data: OpenIn) -> Status[ArchiveDetailOut]:
    from niangjia.screening.models import ScreeningResult

    user = staff_of(request)
    household = registry_selectors.household_get(user=user, pk=data.household_id)["household"]
    result = None
    if data.from_screening:
        result = ScreeningResult.objects.filter(
            household=household, policy_id="hardship_archive", is_current=True
        ).first()
        if result is None:
            raise ValidationError({"from_screening": "该家庭没有当前的建档筛查结果。"})
    archive = archive_open(
        actor=user, household=household, level=data.level, main_cause=data.main_cause,
        secondary_causes=[c.value for c in data.secondary_causes], evidence=data.evidence, cause_note=data.cause_note,
        result=result,
    )  # fmt: skip
    return Status(201, detail(request, archive.pk))


@router.get("/archive/{pk}", response={200: ArchiveDetailOut, **errors(403, 404)}, summary="一份困难档案及其公示")
def archive_detail(request: HttpRequest, pk: Path[Id]) -> ArchiveDetailOut:
    return detail(request, pk)


@router.post(
    "/archive/{pk}/move",
    response={200: ArchiveDetailOut, **errors(403, 404)},
    summary="办理：verify 入户核实（须说明）、archive 审核建档（公示无异议后）、review 开始年度复核、dismiss 不予建档、cancel 注销档案（须说明）",
)
def archive_moved(request: HttpRequest, pk: Path[Id], data: MoveIn) -> ArchiveDetailOut:
    user = staff_of(request)
    archive_move(actor=user, archive=selectors.archive_get(user=user, pk=pk, action=Action.CHANGE), move=data.move[:24],
                 note=data.note)  # fmt: skip
    return detail(request, pk)


@router.post(
    "/archive/{pk}/notice", response={200: ArchiveDetailOut, **errors(403, 404)}, summary="开始建档公示（不超过 31 天）"
)
def notice_new(request: HttpRequest, pk: Path[Id], data: NoticeIn) -> ArchiveDetailOut:
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    notice_open(actor=user, archive=archive, starts_on=data.starts_on, ends_on=data.ends_on, place=data.place)
    return detail(request, pk)


def _open_notice(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    notice = archive.notices.filter(status="open").first()
    if notice is None:
        raise ValidationError({"notice": "该档案没有正在进行的公示。"})
    return user, notice


@router.post(
    "/archive/{pk}/objections", response={200: ArchiveDetailOut, **errors(403, 404)}, summary="登记公示期间收到的异议"
)
def objection_new(request: HttpRequest, pk: Path[Id], data: ObjectionIn) -> ArchiveDetailOut:
    user, notice = _open_notice(request, pk)
    objection_add(actor=user, notice=notice, received_on=data.received_on, content=data.content)
    return detail(request, pk)


@router.post(
    "/archive/{pk}/objections/{oid}/decide",
    response={200: ArchiveDetailOut, **errors(403, 404)},
    summary="登记异议核查结果：upheld 成立、dismissed 不成立",
)
def objection_decided(request: HttpRequest, pk: Path[Id], oid: Path[Id], data: DecideIn) -> ArchiveDetailOut:
    user, notice = _open_notice(request, pk)
    objection = notice.objections.filter(pk=oid).first()
    if objection is None:
        from django.http import Http404

        raise Http404
    objection_decide(actor=user, objection=objection, outcome=data.outcome, finding=data.finding)
    return detail(request, pk)


@router.post(
    "/archive/{pk}/notice/close", response={200: ArchiveDetailOut, **errors(403, 404)}, summary="公示期满后结束公示"
)
def notice_closed(request: HttpRequest, pk: Path[Id]) -> ArchiveDetailOut:
    user, notice = _open_notice(request, pk)
    notice_close(actor=user, notice=notice)
    return detail(request, pk)


@router.post(
    "/archive/{pk}/review",
    response={200: ArchiveDetailOut, **errors(403, 404)},
    summary="年度复核通过（可调整困难类别）",
)
def review(request: HttpRequest, pk: Path[Id], data: ReviewIn) -> ArchiveDetailOut:
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    archive_review_confirm(actor=user, archive=archive, note=data.note, level=data.level)
    return detail(request, pk)


@router.post("/archive/{pk}/exit", response={200: ArchiveDetailOut, **errors(403, 404)}, summary="脱困出档：途径和原因")
def exit_archive(request: HttpRequest, pk: Path[Id], data: ExitIn) -> ArchiveDetailOut:
    user = staff_of(request)
    archive = selectors.archive_get(user=user, pk=pk, action=Action.CHANGE)
    archive_exit(actor=user, archive=archive, route=data.route, reason=data.reason)
    return detail(request, pk)
