"""Campaigns API: list, detail, create, update, activate, close; scoped like the pages.

Every input has a range; a refused write answers 403, 404 or 422 and writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import Field, StringConstraints

from niangjia.api_errors import errors
from niangjia.api_fields import NO_NUL, Cursor, Day, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.outreach.choices import CampaignStatus, EnterpriseGroup, WorkerGroup
from niangjia.outreach.models import Campaign
from niangjia.outreach.models.campaign import TARGET_MAX
from niangjia.outreach.selectors import campaigns as selectors
from niangjia.outreach.services.campaigns import (
    SCOPE_MAX,
    TARGETS_MAX,
    CampaignData,
    TargetData,
    campaign_activate,
    campaign_close,
    campaign_create,
    campaign_update,
)

router = Router()

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]
AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?(\d{3})?$")]
Count = Annotated[int, Field(ge=0, le=TARGET_MAX)]
PerCadre = Annotated[int, Field(ge=1, le=50)]


class TargetIO(Schema):
    org_id: Id
    enterprises: Count = 0
    homes: Count = 0


class CampaignOut(Schema):
    id: int
    name: str
    org_id: int
    starts_on: date
    ends_on: date
    status: CampaignStatus
    enterprise_groups: list[EnterpriseGroup]
    worker_groups: list[WorkerGroup]
    enterprises_per_cadre: int
    cross_district: bool
    pairing_published_at: datetime | None
    pairing_released_at: datetime | None


class CampaignDetailOut(CampaignOut):
    scope_org_ids: list[int]
    area_codes: list[str]
    targets: list[TargetIO]


class CampaignIn(Schema):
    name: Name
    org_id: Id
    starts_on: Day
    ends_on: Day
    scope_org_ids: Annotated[list[Id], Field(max_length=SCOPE_MAX)] = []
    area_codes: Annotated[list[AreaCode], Field(max_length=SCOPE_MAX)] = []
    enterprise_groups: Annotated[list[EnterpriseGroup], Field(max_length=len(EnterpriseGroup))] = []
    worker_groups: Annotated[list[WorkerGroup], Field(max_length=len(WorkerGroup))] = []
    enterprises_per_cadre: PerCadre = 1
    cross_district: bool = False
    targets: Annotated[list[TargetIO], Field(max_length=TARGETS_MAX)] = []


class CloseIn(Schema):
    keep_pairing: bool = False


def _out(campaign: Campaign) -> CampaignOut:
    return CampaignOut.model_validate(campaign, from_attributes=True)


def _detail(campaign: Campaign) -> CampaignDetailOut:
    scope = selectors.campaign_scope(campaign=campaign)
    return CampaignDetailOut(
        **_out(campaign).model_dump(),
        scope_org_ids=[o.pk for o in scope["orgs"]],
        area_codes=[a.code for a in scope["areas"]],
        targets=[TargetIO(org_id=t.org_id, enterprises=t.enterprises, homes=t.homes)
                 for t in selectors.campaign_targets(campaign=campaign)],
    )  # fmt: skip


def _org(user: StaffUser, pk: int, choices: list[UnionOrg]) -> UnionOrg:
    found = next((org for org in choices if org.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _data(user: StaffUser, body: CampaignIn) -> CampaignData:
    """The service's input; every organization and area is looked up within the user's scope (404 otherwise)."""
    organizers = selectors.organizer_choices(user=user)
    if not organizers:
        raise PermissionDenied("只有市总工会和区县总工会的工作人员可以组织走访活动。")
    scope_orgs = selectors.scope_org_choices(user=user)
    target_orgs = selectors.target_org_choices(user=user)
    areas = {a.code: a for a in selectors.area_choices(user=user)}
    picked_areas: list[Area] = []
    for code in dict.fromkeys(body.area_codes):
        if code not in areas:
            raise Http404
        picked_areas.append(areas[code])
    return CampaignData(
        name=body.name, starts_on=body.starts_on, ends_on=body.ends_on, org=_org(user, body.org_id, organizers),
        orgs=[_org(user, pk, scope_orgs) for pk in dict.fromkeys(body.scope_org_ids)], areas=picked_areas,
        enterprise_groups=list(dict.fromkeys(g.value for g in body.enterprise_groups)),
        worker_groups=list(dict.fromkeys(g.value for g in body.worker_groups)),
        enterprises_per_cadre=body.enterprises_per_cadre, cross_district=body.cross_district,
        targets=[TargetData(org=_org(user, t.org_id, target_orgs), enterprises=t.enterprises, homes=t.homes)
                 for t in body.targets],
    )  # fmt: skip


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **errors(403)},
    summary="走访活动：可见的活动，新的在前（after_id 翻页）",
)
def campaign_list(request: HttpRequest, after_id: Cursor | None = None, limit: PageSize = 20) -> list[CampaignOut]:
    return [_out(c) for c in selectors.campaign_list(user=staff_of(request), after_id=after_id, limit=limit)]


@router.get(
    "/campaigns/{pk}",
    response={200: CampaignDetailOut, **errors(403, 404)},
    summary="一个走访活动：范围、重点群体、各区县目标",
)
def campaign_detail(request: HttpRequest, pk: Path[Id]) -> CampaignDetailOut:
    return _detail(selectors.campaign_get(user=staff_of(request), pk=pk))


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, **errors(403, 404, 409)},
    summary="新建走访活动（市总、区县总工作人员，主办组织在其管辖范围内）",
)
def campaign_new(request: HttpRequest, body: CampaignIn) -> Status[CampaignDetailOut]:
    user = staff_of(request)
    campaign = campaign_create(actor=user, data=_data(user, body))
    return Status(201, _detail(selectors.campaign_get(user=user, pk=campaign.pk)))


@router.put(
    "/campaigns/{pk}",
    response={200: CampaignDetailOut, **errors(403, 404, 409)},
    summary="修改走访活动（整体替换；主办组织不能更改；已结束的不能修改）",
)
def campaign_change(request: HttpRequest, pk: Path[Id], body: CampaignIn) -> CampaignDetailOut:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    if not selectors.may_run(user=user, campaign=campaign):
        raise PermissionDenied("只有主办组织及其上级的市总、区县总工作人员可以修改该活动。")
    campaign_update(actor=user, campaign=campaign, data=_data(user, body))
    return _detail(selectors.campaign_get(user=user, pk=pk))


@router.post(
    "/campaigns/{pk}/activate",
    response={200: CampaignOut, **errors(403, 404)},
    summary="启动走访活动（筹备中 → 进行中）",
)
def campaign_start(request: HttpRequest, pk: Path[Id]) -> CampaignOut:
    user = staff_of(request)
    return _out(campaign_activate(actor=user, campaign=selectors.campaign_get(user=user, pk=pk)))


@router.post(
    "/campaigns/{pk}/close",
    response={200: CampaignOut, **errors(403, 404)},
    summary="结束走访活动；默认同时解除结对（keep_pairing=true 则干部继续联系结对企业）",
)
def campaign_end(request: HttpRequest, pk: Path[Id], body: CloseIn) -> CampaignOut:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    return _out(campaign_close(actor=user, campaign=campaign, keep_pairing=body.keep_pairing))
