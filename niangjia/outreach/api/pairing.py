"""Pairing API (一人一企): run the solver (or try it), publish, release, list pairings, swap, fix; scoped.

A run solves at most WEB_MAX_ENTERPRISES enterprises per request; a larger campaign is paired with
`niangjia pair` on the server.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.outreach.choices import SolverMethod
from niangjia.outreach.models import Pairing, PairingRun
from niangjia.outreach.selectors import campaigns as campaign_selectors
from niangjia.outreach.selectors import pairing as selectors
from niangjia.outreach.services.pairing import (
    K_MAX,
    WEB_MAX_ENTERPRISES,
    PairingOutcome,
    pairing_fix,
    pairing_publish,
    pairing_run,
    pairing_swap,
)

router = Router()


class PairingOut(Schema):
    id: int
    campaign_id: int
    cadre_id: int
    cadre: str
    enterprise_id: int
    enterprise: str
    distance_km: Decimal | None
    manual: bool
    fixed: bool


class RunOut(Schema):
    """A run's figures (distances in km; the baseline is the round-robin pairing)."""

    run_id: int | None
    dry_run: bool
    enterprises_per_cadre: int
    cross_district: bool
    cadres: int
    enterprises: int
    paired: int
    total_km: float
    mean_km: float | None
    baseline_total_km: float
    baseline_mean_km: float | None
    lower_bound_km: float
    gap: float | None
    optimal: bool
    method: SolverMethod


class RunIn(Schema):
    enterprises_per_cadre: Annotated[int, Field(ge=1, le=K_MAX)] | None = None
    cross_district: bool | None = None
    dry_run: bool = False


class SwapIn(Schema):
    first_id: Id
    second_id: Id


class FixIn(Schema):
    enterprise_id: Id
    cadre_id: Id


class PublishedOut(Schema):
    campaign_id: int
    pairing_published_at: datetime | None


def _pairing(p: Pairing) -> PairingOut:
    return PairingOut(
        id=p.pk, campaign_id=p.campaign_id, cadre_id=p.cadre_id, cadre=str(p.cadre), enterprise_id=p.enterprise_id,
        enterprise=p.enterprise.name, distance_km=p.distance_km, manual=p.manual, fixed=p.fixed,
    )  # fmt: skip


def _run(outcome: PairingOutcome, dry_run: bool) -> RunOut:
    found, run = outcome.solution, outcome.run
    return RunOut(
        run_id=run.pk if isinstance(run, PairingRun) else None, dry_run=dry_run,
        enterprises_per_cadre=outcome.enterprises_per_cadre, cross_district=outcome.cross_district,
        cadres=len(outcome.inputs.cadres_in_scope), enterprises=len(outcome.inputs.enterprise_ids),
        paired=found.paired, total_km=round(found.total_km, 2),
        mean_km=round(found.mean_km, 2) if found.mean_km is not None else None,
        baseline_total_km=round(found.baseline_total_km, 2),
        baseline_mean_km=round(found.baseline_mean_km, 2) if found.baseline_mean_km is not None else None,
        lower_bound_km=round(found.lower_bound_km, 2), gap=found.gap, optimal=found.optimal,
        method=SolverMethod(found.method),
    )  # fmt: skip


@router.get(
    "/campaigns/{pk}/pairings",
    response={200: list[PairingOut], **errors(403, 404)},
    summary="一个活动的结对：管辖范围内（干部只见自己的），按编号（after_id 翻页）",
)
def pairing_list(
    request: HttpRequest, pk: Path[Id], after_id: Cursor | None = None, limit: PageSize = 50
) -> list[PairingOut]:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    return [_pairing(p) for p in selectors.pairing_list(user=user, campaign=campaign, after_id=after_id, limit=limit)]


@router.post(
    "/campaigns/{pk}/pair",
    response={200: RunOut, **errors(403, 404)},
    summary="计算一人一企结对（总距离最短；dry_run 只试算不保存）；报告与轮流分配的对比和与下界的差距",
)
def pairing_solve(request: HttpRequest, pk: Path[Id], body: RunIn) -> RunOut:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    size = selectors.campaign_size(campaign=campaign)
    if size > WEB_MAX_ENTERPRISES:
        raise ValidationError(
            {
                "campaign": f"该活动有 {size} 家企业，超过接口一次计算的上限 {WEB_MAX_ENTERPRISES} 家；请在服务器上运行 niangjia pair。"
            }
        )
    outcome = pairing_run(
        actor=user, campaign=campaign, enterprises_per_cadre=body.enterprises_per_cadre,
        cross_district=body.cross_district, dry_run=body.dry_run,
    )  # fmt: skip
    return _run(outcome, body.dry_run)


@router.post(
    "/campaigns/{pk}/publish",
    response={200: PublishedOut, **errors(403, 404)},
    summary="发布结对：干部的联系企业随之更新（干部只见结对的企业及其职工、家庭）",
)
def pairing_go_live(request: HttpRequest, pk: Path[Id]) -> PublishedOut:
    user = staff_of(request)
    campaign = pairing_publish(actor=user, campaign=campaign_selectors.campaign_get(user=user, pk=pk))
    return PublishedOut(campaign_id=campaign.pk, pairing_published_at=campaign.pairing_published_at)


@router.post(
    "/campaigns/{pk}/pairings/swap",
    response={200: list[PairingOut], **errors(403, 404)},
    summary="交换两个结对的干部（须在同一活动、同一区县，除非允许跨区县）；两者成为固定结对",
)
def pairing_exchange(request: HttpRequest, pk: Path[Id], body: SwapIn) -> list[PairingOut]:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    first = selectors.pairing_get(user=user, campaign=campaign, pk=body.first_id)
    second = selectors.pairing_get(user=user, campaign=campaign, pk=body.second_id)
    pairing_swap(actor=user, first=first, second=second)
    return [_pairing(selectors.pairing_get(user=user, campaign=campaign, pk=i)) for i in (first.pk, second.pk)]


@router.post(
    "/campaigns/{pk}/pairings/fix",
    response={200: PairingOut, **errors(403, 404)},
    summary="指定结对：该企业由该干部负责，固定（重新计算时保留）",
)
def pairing_pin(request: HttpRequest, pk: Path[Id], body: FixIn) -> PairingOut:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    enterprise = selectors.enterprise_get(user=user, pk=body.enterprise_id)
    cadre = selectors.cadre_find(user=user, pk=body.cadre_id)
    pairing = pairing_fix(actor=user, campaign=campaign, cadre=cadre, enterprise=enterprise)
    return _pairing(selectors.pairing_get(user=user, campaign=campaign, pk=pairing.pk))
