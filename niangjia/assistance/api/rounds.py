"""Rounds API: start a round from the work queue's filter, see a round with every failure by name."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from niangjia.api_errors import errors
from niangjia.api_fields import Id
from niangjia.assistance.api.fields import PolicyId, Text200
from niangjia.assistance.choices import RoundKind, RoundStatus
from niangjia.assistance.models import Round
from niangjia.assistance.selectors import rounds as selectors
from niangjia.assistance.selectors.queue import QueueFilter
from niangjia.assistance.services.rounds import INLINE_MAX, ROUND_MAX, round_run, round_start
from niangjia.orgs.auth import staff_of

router = Router()


class RoundItemOut(Schema):
    household_id: int
    name: str
    outcome: str
    amount: Decimal | None
    application_id: int | None
    message: str


class RoundOut(Schema):
    id: int
    kind: RoundKind
    policy_id: str
    title: str
    status: RoundStatus
    total: int
    succeeded: int
    failed: int
    amount: Decimal
    created_at: datetime


class RoundDetailOut(RoundOut):
    items: list[RoundItemOut]


class RoundIn(Schema):
    kind: RoundKind
    policy_id: PolicyId
    title: Text200 = ""
    limit: Annotated[int, Field(ge=1, le=ROUND_MAX)] = 500


def out(r: Round) -> RoundOut:
    return RoundOut(id=r.pk, kind=RoundKind(r.kind), policy_id=r.policy_id, title=r.title, status=RoundStatus(r.status),
                    total=r.total, succeeded=r.succeeded, failed=r.failed, amount=r.amount, created_at=r.created_at)  # fmt: skip


def detail(request: HttpRequest, pk: int) -> RoundDetailOut:
    user = staff_of(request)
    batch = selectors.round_get(user=user, pk=pk)
    items = [RoundItemOut(household_id=i.household_id, name=i.name, outcome=i.outcome, amount=i.amount,
                          application_id=i.application_id, message=i.message)
             for i in selectors.round_items(user=user, batch=batch)]  # fmt: skip
    return RoundDetailOut(**out(batch).model_dump(), items=items)


@router.get("/rounds", response={200: list[RoundOut], **errors(403)}, summary="批量办理的批次")
def round_list(request: HttpRequest) -> list[RoundOut]:
    return [out(r) for r in selectors.round_list(user=staff_of(request))]


@router.post(
    "/rounds",
    response={201: RoundDetailOut, **errors(403, 404)},
    summary="批量办理：file 登记申请（按帮扶待办的筛选）、approve 批准、pay 发放；每户各自核验、记账、留痕，未成功的逐户给出原因。"
    f"{INLINE_MAX} 户以内当即办理，更多的排入后台",
)
def round_new(request: HttpRequest, data: RoundIn, filters: Query[QueueFilter]) -> Status[RoundDetailOut]:
    user = staff_of(request)
    chosen = filters.model_copy(update={"policy_id": data.policy_id})
    if data.kind == RoundKind.FILE:
        ids = selectors.round_targets(user=user, filters=chosen, limit=data.limit)
        batch = round_start(actor=user, kind=data.kind, policy_id=data.policy_id, title=data.title, targets=ids,
                            filters=chosen.chosen())  # fmt: skip
    else:
        apps = selectors.round_applications(user=user, kind=data.kind, filters=chosen, limit=data.limit)
        batch = round_start(actor=user, kind=data.kind, policy_id=data.policy_id, title=data.title, applications=apps,
                            filters=chosen.chosen())  # fmt: skip
    if batch.total <= INLINE_MAX:
        round_run(round_id=batch.pk, actor=user)
    else:
        from functools import partial

        from django.db import transaction

        from niangjia.assistance.tasks import run_round

        transaction.on_commit(partial(run_round.enqueue, round_id=batch.pk))
    return Status(201, detail(request, batch.pk))


@router.get(
    "/rounds/{pk}", response={200: RoundDetailOut, **errors(403, 404)}, summary="一个批次：每户的结果和未成功的原因"
)
def round_detail(request: HttpRequest, pk: Path[Id]) -> RoundDetailOut:
    return detail(request, pk)
