"""Registry API: list, detail, create, update and search, all scoped; identifiers masked."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Day, Filter, Id, PageSize, Text12, Text16, Text32, Text64, Text200, omitted
from niangjia.core.ranges import CONTRACT_MONTHS_MAX, EMPLOYEE_COUNT_MAX, LAT_RANGE, LNG_RANGE
from niangjia.core.scoping import Action
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.orgs.selectors import org_list
from niangjia.registry import selectors, services
from niangjia.registry.choices import EmploymentForm, EnterpriseStatus, Industry, Ownership, SizeClass
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.selectors import EnterpriseFilter, WorkerFilter

router = Router()


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str | None
    ownership: str
    size_class: str
    is_platform: bool
    industry: str
    area_code: str
    address: str
    lng: Decimal | None
    lat: Decimal | None
    org_id: int
    has_union: bool
    status: str


# Ranges: the model's max_length and validators (niangjia/core/ranges.py, docs/ranges.md).
Longitude = Annotated[Decimal, Field(ge=LNG_RANGE[0], le=LNG_RANGE[1], max_digits=9, decimal_places=6)]
Latitude = Annotated[Decimal, Field(ge=LAT_RANGE[0], le=LAT_RANGE[1], max_digits=9, decimal_places=6)]


class EnterpriseIn(Schema):
    name: Text200
    uscc: Text32 | None = None
    ownership: Ownership
    size_class: SizeClass
    is_platform: bool = False
    industry: Industry
    area_code: Text12
    address: Text200 = ""
    lng: Longitude | None = None
    lat: Latitude | None = None
    org_id: Id
    contact_name: Text64 = ""
    contact_phone: Text32 = ""
    employee_count: int | None = Field(None, ge=0, le=EMPLOYEE_COUNT_MAX)


class EnterprisePatch(Schema):
    """Fields left out are kept; null is refused where the field cannot be empty (uscc null clears it)."""

    name: Text200 = omitted()
    uscc: Text32 | None = None
    ownership: Ownership = omitted()
    size_class: SizeClass = omitted()
    is_platform: bool = omitted()
    industry: Industry = omitted()
    address: Text200 = omitted()
    contact_name: Text64 = omitted()
    contact_phone: Text32 = omitted()
    employee_count: int | None = Field(None, ge=0, le=EMPLOYEE_COUNT_MAX)
    status: EnterpriseStatus = omitted()


class JobOut(Schema):
    enterprise_id: int
    enterprise: str
    form: str
    post: str


class WorkerOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    sex: str
    # The year only: a birth date beside the masked ID would narrow it to a few numbers.
    birth_year: int | None
    union_member: bool
    is_migrant: bool
    org_id: int
    jobs: list[JobOut]


class WorkerIn(Schema):
    """null (or left out) means "not given": an update keeps the value on file."""

    name: Text64
    id_number: Text32 | None = None
    phone: Text32 | None = None
    ethnicity: Text16 | None = None
    union_member: bool | None = None
    member_since: Day | None = None
    is_migrant: bool | None = None
    lives_in_city: bool | None = None
    enterprise_id: Id | None = None
    post: Text64 | None = None
    form: EmploymentForm | None = None
    start_date: Day | None = None
    contract_months: int | None = Field(None, ge=0, le=CONTRACT_MONTHS_MAX)


class RegisterOut(Schema):
    worker: WorkerOut
    created: bool
    changed: list[str]


def _user(request: HttpRequest) -> StaffUser:
    return request.user  # type: ignore[return-value]


def _enterprise_out(e: Enterprise) -> EnterpriseOut:
    return EnterpriseOut(
        id=e.pk,
        name=e.name,
        uscc=e.uscc,
        ownership=e.ownership,
        size_class=e.size_class,
        is_platform=e.is_platform,
        industry=e.industry,
        area_code=e.area.code,
        address=e.address,
        lng=e.lng,
        lat=e.lat,
        org_id=e.org_id,
        has_union=e.union_id is not None,
        status=e.status,
    )


def _worker_out(w: Worker) -> WorkerOut:
    jobs = getattr(w, "current_jobs", [])
    return WorkerOut(
        id=w.pk,
        name=w.name,
        id_number=w.id_number_masked,
        phone=w.phone_masked,
        sex=w.sex,
        birth_year=w.birth_date.year if w.birth_date else None,
        union_member=w.union_member,
        is_migrant=w.is_migrant,
        org_id=w.org_id,
        jobs=[
            JobOut(enterprise_id=j.enterprise_id, enterprise=j.enterprise.name, form=j.form, post=j.post) for j in jobs
        ],
    )


@router.get(
    "/enterprises", response={200: list[EnterpriseOut], **errors(403)}, summary="企业列表（按编号倒序，after_id 翻页）"
)
def enterprise_list(
    request: HttpRequest, filters: Query[EnterpriseFilter], after_id: Cursor | None = None, limit: PageSize = 50
) -> list[EnterpriseOut]:
    rows = selectors.enterprise_list(user=_user(request), filters=filters, after_id=after_id, limit=limit)
    return [_enterprise_out(e) for e in rows]


@router.get("/enterprises/{pk}", response={200: EnterpriseOut, **errors(403, 404)}, summary="企业详情")
def enterprise_detail(request: HttpRequest, pk: Path[Id]) -> EnterpriseOut:
    return _enterprise_out(selectors.enterprise_get(user=_user(request), pk=pk))


@router.post("/enterprises", response={201: EnterpriseOut, **errors(403, 404, 409)}, summary="登记企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn) -> Status[EnterpriseOut]:
    user = _user(request)
    org = get_object_or_404(org_list(user=user, action=Action.CHANGE), pk=payload.org_id)
    area = get_object_or_404(Area, code=payload.area_code)
    values = payload.dict(exclude={"org_id", "area_code"})
    enterprise = services.enterprise_create(actor=user, org=org, data=services.EnterpriseData(area=area, **values))
    return Status(201, _enterprise_out(enterprise))


@router.patch("/enterprises/{pk}", response={200: EnterpriseOut, **errors(403, 404, 409)}, summary="修改企业")
def enterprise_update(request: HttpRequest, pk: Path[Id], payload: EnterprisePatch) -> EnterpriseOut:
    user = _user(request)
    enterprise = selectors.enterprise_get(user=user, pk=pk, action=Action.CHANGE)
    values = payload.dict(exclude_unset=True)
    data = services.EnterpriseData(**values)
    return _enterprise_out(services.enterprise_update(actor=user, enterprise=enterprise, data=data))


@router.get(
    "/workers",
    response={200: list[WorkerOut], **errors(403, 429)},
    summary="职工列表（按编号倒序，after_id 翻页）；q 按整个证件号或手机号查找时计入每小时查询次数",
)
def worker_list(
    request: HttpRequest, filters: Query[WorkerFilter], after_id: Cursor | None = None, limit: PageSize = 50
) -> list[WorkerOut]:
    rows = services.worker_search(actor=_user(request), filters=filters, after_id=after_id, limit=limit)
    return [_worker_out(w) for w in rows]


@router.get(
    "/workers/search",
    response={200: list[WorkerOut], **errors(403, 429)},
    summary="查找职工：姓名、拼音首字母、证件号或手机号、后4位",
)
def worker_search(request: HttpRequest, q: Filter, enterprise_id: Id | None = None) -> list[WorkerOut]:
    filters = WorkerFilter(q=q, enterprise_id=enterprise_id)
    found = services.worker_search(actor=_user(request), filters=filters) if q.strip() else []
    return [_worker_out(w) for w in found]


@router.get("/workers/{pk}", response={200: WorkerOut, **errors(403, 404)}, summary="职工详情")
def worker_detail(request: HttpRequest, pk: Path[Id]) -> WorkerOut:
    return _worker_out(selectors.worker_get(user=_user(request), pk=pk))


def _worker_data(payload: WorkerIn, enterprise: Enterprise | None, name: str) -> services.WorkerData:
    return services.WorkerData(
        name=name, id_number=payload.id_number, phone=payload.phone, ethnicity=payload.ethnicity,
        union_member=payload.union_member, member_since=payload.member_since, is_migrant=payload.is_migrant,
        lives_in_city=payload.lives_in_city, enterprise=enterprise, post=payload.post, form=payload.form,
        start_date=payload.start_date, contract_months=payload.contract_months,
    )  # fmt: skip


def _register(request: HttpRequest, payload: WorkerIn, org: UnionOrg | None) -> RegisterOut:
    user = _user(request)
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = selectors.enterprise_get(user=user, pk=payload.enterprise_id, action=Action.CHANGE)
    data = _worker_data(payload, enterprise, payload.name)
    worker, created, changes = services.worker_register(actor=user, data=data, org=org)
    worker = selectors.worker_get(user=user, pk=worker.pk)
    return RegisterOut(worker=_worker_out(worker), created=created, changed=sorted(changes))


@router.post(
    "/workers",
    response={201: RegisterOut, 200: RegisterOut, **errors(403, 404, 409)},
    summary="登记职工（同一身份证号只保留一条记录）",
)
def worker_create(request: HttpRequest, payload: WorkerIn, org_id: Query[Id] | None = None) -> Status[RegisterOut]:
    org = get_object_or_404(org_list(user=_user(request), action=Action.CHANGE), pk=org_id) if org_id else None
    out = _register(request, payload, org)
    return Status(201 if out.created else 200, out)


@router.patch("/workers/{pk}", response={200: RegisterOut, **errors(403, 404, 409)}, summary="修改职工")
def worker_update(request: HttpRequest, pk: Path[Id], payload: WorkerIn) -> RegisterOut:
    user = _user(request)
    worker = selectors.worker_get(user=user, pk=pk, action=Action.CHANGE)
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = selectors.enterprise_get(user=user, pk=payload.enterprise_id, action=Action.CHANGE)
    data = _worker_data(payload, enterprise, payload.name or worker.name)
    worker, changes = services.worker_update(actor=user, worker=worker, data=data)
    return RegisterOut(
        worker=_worker_out(selectors.worker_get(user=user, pk=worker.pk)), created=False, changed=sorted(changes)
    )
