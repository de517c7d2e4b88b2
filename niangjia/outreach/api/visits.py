"""Visits API: the phone's sync (idempotent on client_id), photos, the offline list, conflicts (the workspace
and progress: api/progress.py).

The same services as the pages; a mobile app or a mini-program uses these operations. Every input
has a range; everything is scoped (out of scope answers 404 or 403 and writes nothing).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Path, Router, Schema, Status, UploadedFile
from pydantic import Field, StringConstraints

from niangjia.api_errors import errors
from niangjia.api_fields import NO_NUL, Cursor, Day, Id, PageSize, Text200
from niangjia.orgs.auth import staff_of
from niangjia.outreach.models import FactConflict, Visit
from niangjia.outreach.selectors import visits as selectors
from niangjia.outreach.services.photos import photo_add
from niangjia.outreach.services.signals import SignalData, conflict_resolve
from niangjia.outreach.services.visits import MAX_COMPANIONS, MAX_NEEDS, MAX_SIGNALS, NeedData, VisitData, visit_record
from niangjia.outreach.visit_choices import ConflictChoice, ConflictStatus, NeedKind, SignalKind, VisitKind
from niangjia.tickets.choices import NeedCategory

router = Router(tags=["大走访"])

Text2000 = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
FactName = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[a-z_0-9]+$")]
FactValue = (
    Annotated[str, StringConstraints(max_length=64, pattern=NO_NUL)]
    | bool
    | Annotated[int, Field(ge=-(10**9), le=10**9)]
    | None
)
Lat = Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)]
Lng = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]
RECORDED_SKEW_SECONDS = 300


class NeedIn(Schema):
    kind: NeedKind
    title: Title
    description: Text2000 = ""
    category: NeedCategory | Literal[""] = ""


class SignalIn(Schema):
    kind: SignalKind
    member_id: Id | None = None
    values: dict[FactName, FactValue] = Field(default_factory=dict, max_length=12)
    base: dict[FactName, FactValue] = Field(
        default_factory=dict, max_length=12, description="表单载入时手机上显示的原值（用于发现冲突）"
    )
    note: Text200 = ""


class VisitIn(Schema):
    client_id: uuid.UUID = Field(description="手机生成的编号（UUID）；同一编号重复提交只记录一次")
    campaign_id: Id
    kind: VisitKind
    date: Day
    enterprise_id: Id | None = None
    household_id: Id | None = None
    cadre_ids: list[Id] = Field(default_factory=list, max_length=MAX_COMPANIONS, description="同行干部")
    people_met: Annotated[int, Field(ge=0, le=9999)] = 0
    people_notes: Text200 = ""
    lat: Lat | None = None
    lng: Lng | None = None
    basic_clear: bool = False
    hardship_clear: bool = False
    aid_clear: bool = False
    satisfaction: Annotated[int, Field(ge=1, le=5)] | None = None
    notes: Text2000 = ""
    recorded_at: datetime | None = Field(None, description="手机上填写的时间（离线时早于同步）")
    needs: list[NeedIn] = Field(default_factory=list, max_length=MAX_NEEDS)
    signals: list[SignalIn] = Field(default_factory=list, max_length=MAX_SIGNALS)


class SignalOut(Schema):
    kind: str
    member_id: int | None
    applied: list[str]


class VisitOut(Schema):
    id: int
    client_id: uuid.UUID
    campaign_id: int
    kind: str
    date: date
    enterprise_id: int | None
    household_id: int | None
    cadre_ids: list[int]
    people_met: int
    people_notes: str
    basic_clear: bool
    hardship_clear: bool
    aid_clear: bool
    follow_up: bool
    satisfaction: int | None
    notes: str
    recorded_at: datetime
    synced_at: datetime
    ticket_ids: list[int]
    signals: list[SignalOut]
    conflicts: int
    photos: int


class PhotoOut(Schema):
    id: int
    client_id: uuid.UUID
    width: int
    height: int
    bytes: int


class ConflictOut(Schema):
    id: int
    household_id: int
    member_id: int | None
    fact: str
    base: Any
    proposed: Any
    current: Any
    status: ConflictStatus
    choice: str
    visit_id: int


class ResolveIn(Schema):
    choice: ConflictChoice


def _visit_out(visit: Visit) -> VisitOut:
    signals = list(visit.signals.all())
    return VisitOut(
        id=visit.pk,
        client_id=visit.client_id,
        campaign_id=visit.campaign_id,
        kind=visit.kind,
        date=visit.date,
        enterprise_id=visit.enterprise_id,
        household_id=visit.household_id,
        cadre_ids=sorted(c.pk for c in visit.cadres.all()),
        people_met=visit.people_met,
        people_notes=visit.people_notes,
        basic_clear=visit.basic_clear,
        hardship_clear=visit.hardship_clear,
        aid_clear=visit.aid_clear,
        follow_up=visit.follow_up,
        satisfaction=visit.satisfaction,
        notes=visit.notes,
        recorded_at=visit.recorded_at,
        synced_at=visit.synced_at,
        ticket_ids=sorted(n.ticket_id for n in visit.needs.all()),
        signals=[SignalOut(kind=s.kind, member_id=s.member_id, applied=list(s.applied)) for s in signals],
        conflicts=sum(len(s.conflicts.all()) for s in signals),
        photos=len(visit.photos.all()),
    )


def _conflict_out(c: FactConflict) -> ConflictOut:
    return ConflictOut(
        id=c.pk, household_id=c.household_id, member_id=c.member_id, fact=c.fact, base=c.base, proposed=c.proposed,
        current=c.current, status=ConflictStatus(c.status), choice=c.choice, visit_id=c.signal.visit_id,
    )  # fmt: skip


def _recorded_at(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    now = timezone.now()
    if not (datetime(2000, 1, 1, tzinfo=value.tzinfo) <= value <= now + timedelta(seconds=RECORDED_SKEW_SECONDS)):
        raise ValidationError({"recorded_at": "填写时间应在 2000 年之后、不晚于现在。"})
    return value


def _visit_data(request: HttpRequest, data: VisitIn) -> VisitData:
    """The service's input from the request: every id looked up within the caller's scope."""
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=data.campaign_id)
    companions = selectors.campaign_cadres(user=user, campaign=campaign, ids=data.cadre_ids)
    if len(companions) != len(set(data.cadre_ids)):
        raise ValidationError({"cadre_ids": "同行干部须是本次活动中结对的干部。"})
    return VisitData(
        campaign=campaign,
        kind=data.kind,
        date=data.date,
        enterprise=selectors.enterprise_find(user=user, pk=data.enterprise_id) if data.enterprise_id else None,
        household=selectors.household_find(user=user, pk=data.household_id) if data.household_id else None,
        companions=companions,
        people_met=data.people_met,
        people_notes=data.people_notes,
        lat=data.lat,
        lng=data.lng,
        basic_clear=data.basic_clear,
        hardship_clear=data.hardship_clear,
        aid_clear=data.aid_clear,
        satisfaction=data.satisfaction,
        notes=data.notes,
        recorded_at=_recorded_at(data.recorded_at),
        needs=[
            NeedData(kind=n.kind, title=n.title, description=n.description, category=n.category) for n in data.needs
        ],
        signals=[
            SignalData(
                kind=s.kind,
                member=selectors.member_find(user=user, pk=s.member_id) if s.member_id else None,
                values=dict(s.values),
                base=dict(s.base),
                note=s.note,
            )
            for s in data.signals
        ],
    )


@router.post(
    "/visits/sync",
    response={200: VisitOut, 201: VisitOut, **errors(403, 404, 409)},
    summary="同步一次走访（手机离线填写的也一样）：201 新记录；200 该 client_id 已同步过，返回原记录",
)
def visit_sync(request: HttpRequest, data: VisitIn) -> Status[VisitOut]:
    user = staff_of(request)
    existing = selectors.visit_by_client(user=user, client_id=data.client_id, own=True)
    if existing is not None:  # answered before the ids are looked up again (a retry costs two queries)
        return Status(200, _visit_out(selectors.visit_get(user=user, pk=existing.pk)))
    visit, created = visit_record(actor=user, client_id=data.client_id, data=_visit_data(request, data))
    return Status(201 if created else 200, _visit_out(selectors.visit_get(user=user, pk=visit.pk)))


@router.get(
    "/visits/targets",
    response={200: dict[str, Any], **errors(403, 404)},
    summary="离线清单：本人在活动中的结对企业和家庭，及表单预填的信息",
)
def visit_targets(request: HttpRequest, campaign_id: Id) -> dict[str, Any]:
    user = staff_of(request)
    return selectors.visit_targets(user=user, campaign=selectors.campaign_get(user=user, pk=campaign_id))


@router.get("/visits", response={200: list[VisitOut], **errors(403, 404)}, summary="走访记录：管辖范围内，新的在前")
def visit_list(
    request: HttpRequest, campaign_id: Id | None = None, after_id: Cursor | None = None, limit: PageSize = 50
) -> list[VisitOut]:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id) if campaign_id else None
    rows = selectors.visit_list(user=user, campaign=campaign, after_id=after_id, limit=limit)
    return [_visit_out(v) for v in rows]


@router.get("/visits/{pk}", response={200: VisitOut, **errors(403, 404)}, summary="一次走访")
def visit_detail(request: HttpRequest, pk: Path[Id]) -> VisitOut:
    return _visit_out(selectors.visit_get(user=staff_of(request), pk=pk))


@router.post(
    "/visits/{client_id}/photos",
    response={200: PhotoOut, 201: PhotoOut, **errors(403, 404, 409)},
    summary="上传走访照片（JPEG/PNG/WebP，≤10 MB；服务器缩放到 1600 像素并去除 EXIF）；同一 photo_id 只保存一次",
)
def visit_photo(
    request: HttpRequest,
    client_id: Path[uuid.UUID],
    photo_id: Form[uuid.UUID],
    photo: File[UploadedFile],
) -> Status[PhotoOut]:
    user = staff_of(request)
    visit = selectors.visit_by_client(user=user, client_id=client_id)
    if visit is None:
        raise selectors.not_found()
    added, created = photo_add(actor=user, visit=visit, client_id=photo_id, upload=photo, size=photo.size or 0)
    out = PhotoOut(id=added.pk, client_id=added.client_id, width=added.width, height=added.height, bytes=added.bytes)
    return Status(201 if created else 200, out)


@router.get(
    "/conflicts",
    response={200: list[ConflictOut], **errors(403)},
    summary="情况冲突：两次离线填报改了同一项家庭情况，待人确认",
)
def conflict_list(
    request: HttpRequest, open_only: bool = True, after_id: Cursor | None = None, limit: PageSize = 50
) -> list[ConflictOut]:
    rows = selectors.conflict_list(user=staff_of(request), open_only=open_only, after_id=after_id, limit=limit)
    return [_conflict_out(c) for c in rows]


@router.post(
    "/conflicts/{pk}/resolve",
    response={200: ConflictOut, **errors(403, 404)},
    summary="确认冲突：采用走访填报的值（proposed）或保留现有的值（current）",
)
def conflict_settle(request: HttpRequest, pk: Path[Id], data: ResolveIn) -> ConflictOut:
    user = staff_of(request)
    conflict = conflict_resolve(actor=user, conflict=selectors.conflict_get(user=user, pk=pk), choice=data.choice)
    return _conflict_out(selectors.conflict_get(user=user, pk=conflict.pk))
