"""Screening API: the work list and one household's outcomes, scoped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Day, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.screening import selectors
from niangjia.screening.selectors import WorklistFilter

router = Router()


class OutcomeOut(Schema):
    id: int | None = None
    household_id: int
    person_id: str | None
    policy_id: str
    policy_version: str
    content_hash: str
    as_of: date
    status: str
    level: str | None
    amount: Decimal | None
    reasons: list[str]
    hint: str | None
    missing_facts: list[str]
    missing_documents: list[str]


class SummaryOut(Schema):
    policy_id: str
    status: str
    count: int | None
    amount: Decimal | None
    few: bool


@router.get(
    "/summary",
    response={200: list[SummaryOut], **errors(403)},
    summary="政策找人汇总：各政策符合、可能符合的户（人）数和金额；无权查看敏感情况的角色，不足 5 的数字不给出",
)
def summary(request: HttpRequest, filters: Query[WorklistFilter]) -> list[SummaryOut]:
    rows = selectors.worklist_summary(user=staff_of(request), filters=filters)
    return [
        SummaryOut(
            policy_id=str(r["policy_id"]),
            status=str(r["status"]),
            count=r["n"],
            amount=r["total"],
            few=bool(r.get("few")),
        )
        for r in rows
    ]


@router.get("/worklist", response={200: list[OutcomeOut], **errors(403)}, summary="政策找人待办名单（after_id 翻页）")
def worklist(
    request: HttpRequest, filters: Query[WorklistFilter], after_id: Cursor | None = None, limit: PageSize = 50
) -> list[OutcomeOut]:
    rows = selectors.worklist(
        user=staff_of(request),
        filters=filters,
        after_id=after_id,
        limit=min(max(limit, 1), 500),
    )
    return [
        OutcomeOut(
            id=r.pk,
            household_id=r.household_id,
            person_id=str(r.member_id) if r.member_id else None,
            policy_id=r.policy_id,
            policy_version=r.policy_version,
            content_hash=r.content_hash,
            as_of=r.as_of,
            status=r.status,
            level=r.level or None,
            amount=r.amount,
            reasons=r.reason_list,
            hint=r.hint or None,
            missing_facts=r.missing_facts,
            missing_documents=r.missing_documents,
        )
        for r in rows
    ]


@router.get(
    "/households/{pk}",
    response={200: list[OutcomeOut], **errors(403, 404)},
    summary="单户在各项政策下的结果（即时计算）",
)
def household_outcomes(request: HttpRequest, pk: Path[Id], as_of: Day | None = None) -> list[OutcomeOut]:
    _, outcomes = selectors.household_outcomes(user=staff_of(request), pk=pk, as_of=as_of or timezone.localdate())
    return [
        OutcomeOut(
            household_id=pk,
            person_id=o["person_id"],
            policy_id=o["policy_id"],
            policy_version=o["policy_version"],
            content_hash=o["content_hash"],
            as_of=o["as_of"],
            status=str(o["status"]),
            level=o["level"],
            amount=o["amount"],
            reasons=[r for r in (o["reasons"] or "").split("；") if r],
            hint=o["hint"],
            missing_facts=list(o["missing_facts"] or []),
            missing_documents=list(o["missing_documents"] or []),
        )
        for o in outcomes
    ]
