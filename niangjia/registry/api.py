"""Registry API: list, detail, create, update and search, all scoped; identifiers masked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from niangjia.core.scoping import Action
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.orgs.selectors import org_list
from niangjia.registry import selectors, services
from niangjia.registry.models import Enterprise, Worker

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


class EnterpriseIn(Schema):
    name: str
    uscc: str | None = None
    ownership: str
    size_class: str
    is_platform: bool = False
    industry: str
    area_code: str
    address: str = ""
    lng: Decimal | None = None
    lat: Decimal | None = None
    org_id: int
    contact_name: str = ""
    contact_phone: str = ""
    employee_count: int | None = None


class EnterprisePatch(Schema):
    name: str | None = None
    uscc: str | None = None
    ownership: str | None = None
    size_class: str | None = None
    is_platform: bool | None = None
    industry: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    employee_count: int | None = None
    status: str | None = None


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
    birth_date: date | None
    union_member: bool
    is_migrant: bool
    org_id: int
    jobs: list[JobOut]


class WorkerIn(Schema):
    name: str
    id_number: str | None = None
    phone: str | None = None
    ethnicity: str | None = None
    union_member: bool | None = None
    member_since: date | None = None
    is_migrant: bool | None = None
    lives_in_city: bool | None = None
    enterprise_id: int | None = None
    post: str | None = None
    form: str | None = None
    start_date: date | None = None
    contract_months: int | None = None


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
        birth_date=w.birth_date,
        union_member=w.union_member,
        is_migrant=w.is_migrant,
        org_id=w.org_id,
        jobs=[
            JobOut(enterprise_id=j.enterprise_id, enterprise=j.enterprise.name, form=j.form, post=j.post) for j in jobs
        ],
    )


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表（按编号倒序，after_id 翻页）")
def enterprise_list(
    request: HttpRequest,
    area: str = "",
    ownership: str = "",
    size_class: str = "",
    industry: str = "",
    is_platform: bool | None = None,
    q: str = "",
    after_id: int | None = None,
    limit: int = 50,
) -> list[EnterpriseOut]:
    filters = selectors.EnterpriseFilter(
        area=area, ownership=ownership, size_class=size_class, industry=industry, is_platform=is_platform, q=q
    )
    rows = selectors.enterprise_list(
        user=_user(request), filters=filters, after_id=after_id, limit=min(max(limit, 1), 500)
    )
    return [_enterprise_out(e) for e in rows]


@router.get("/enterprises/{pk}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, pk: int) -> EnterpriseOut:
    return _enterprise_out(selectors.enterprise_get(user=_user(request), pk=pk))


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn) -> tuple[int, EnterpriseOut]:
    user = _user(request)
    org = get_object_or_404(org_list(user=user, action=Action.CHANGE), pk=payload.org_id)
    area = get_object_or_404(Area, code=payload.area_code)
    values = payload.dict(exclude={"org_id", "area_code"})
    enterprise = services.enterprise_create(actor=user, org=org, area=area, **values)
    return 201, _enterprise_out(enterprise)


@router.patch("/enterprises/{pk}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request: HttpRequest, pk: int, payload: EnterprisePatch) -> EnterpriseOut:
    user = _user(request)
    enterprise = selectors.enterprise_get(user=user, pk=pk, action=Action.CHANGE)
    values = payload.dict(exclude_unset=True)
    return _enterprise_out(services.enterprise_update(actor=user, enterprise=enterprise, **values))


@router.get("/workers", response=list[WorkerOut], summary="职工列表（按编号倒序，after_id 翻页）")
def worker_list(
    request: HttpRequest,
    area: str = "",
    enterprise_id: int | None = None,
    form: str = "",
    gig_only: bool = False,
    union_member: bool | None = None,
    is_migrant: bool | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> list[WorkerOut]:
    filters = selectors.WorkerFilter(
        area=area,
        enterprise_id=enterprise_id,
        form=form,
        gig_only=gig_only,
        union_member=union_member,
        is_migrant=is_migrant,
    )
    rows = selectors.worker_list(user=_user(request), filters=filters, after_id=after_id, limit=min(max(limit, 1), 500))
    return [_worker_out(w) for w in rows]


@router.get("/workers/search", response=list[WorkerOut], summary="查找职工：姓名、拼音首字母、证件号或手机号、后4位")
def worker_search(request: HttpRequest, q: str, enterprise_id: int | None = None) -> list[WorkerOut]:
    return [_worker_out(w) for w in selectors.worker_search(user=_user(request), q=q, enterprise_id=enterprise_id)]


@router.get("/workers/{pk}", response=WorkerOut, summary="职工详情")
def worker_detail(request: HttpRequest, pk: int) -> WorkerOut:
    return _worker_out(selectors.worker_get(user=_user(request), pk=pk))


def _register(request: HttpRequest, payload: WorkerIn, org: UnionOrg | None) -> RegisterOut:
    user = _user(request)
    values = payload.dict(exclude={"enterprise_id"})
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = selectors.enterprise_get(user=user, pk=payload.enterprise_id, action=Action.CHANGE)
    worker, created, changes = services.worker_register(
        actor=user, data=services.WorkerData(enterprise=enterprise, **values), org=org
    )
    worker = selectors.worker_get(user=user, pk=worker.pk)
    return RegisterOut(worker=_worker_out(worker), created=created, changed=sorted(changes))


@router.post(
    "/workers", response={201: RegisterOut, 200: RegisterOut}, summary="登记职工（同一身份证号只保留一条记录）"
)
def worker_create(request: HttpRequest, payload: WorkerIn, org_id: int | None = None) -> tuple[int, RegisterOut]:
    org = get_object_or_404(org_list(user=_user(request), action=Action.CHANGE), pk=org_id) if org_id else None
    out = _register(request, payload, org)
    return (201 if out.created else 200), out


@router.patch("/workers/{pk}", response=RegisterOut, summary="修改职工")
def worker_update(request: HttpRequest, pk: int, payload: WorkerIn) -> RegisterOut:
    user = _user(request)
    worker = selectors.worker_get(user=user, pk=pk, action=Action.CHANGE)
    values = payload.dict(exclude={"enterprise_id"})
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = selectors.enterprise_get(user=user, pk=payload.enterprise_id, action=Action.CHANGE)
    values["name"] = values.get("name") or worker.name
    worker, changes = services.worker_update(
        actor=user, worker=worker, data=services.WorkerData(enterprise=enterprise, **values)
    )
    return RegisterOut(
        worker=_worker_out(selectors.worker_get(user=user, pk=worker.pk)), created=False, changed=sorted(changes)
    )
