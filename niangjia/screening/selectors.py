"""Reads of screening results: the cadre's work list, and one household's outcomes.

Outcomes are derived from income, health and disability, so a household's outcomes and
reasons are for roles with `Action.SENSITIVE`; the others get counts and amounts, with
counts under `SMALL_COUNT` withheld (a count of 1 in a small enterprise names a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.selectors import area_prefix
from niangjia.screening.choices import Outcome
from niangjia.screening.models import ScreeningResult, ScreeningRun

PAGE_SIZE = 50
SMALL_COUNT = 5


@dataclass(frozen=True)
class WorklistFilter:
    policy_id: str = ""
    status: str = ""
    area: str = ""


def worklist_queryset(*, user: StaffUser, filters: WorklistFilter) -> QuerySet[ScreeningResult]:
    """Current eligible and possibly outcomes in the user's scope."""
    qs = restrict(ScreeningResult.objects.filter(is_current=True), user, Action.VIEW)
    if filters.policy_id:
        qs = qs.filter(policy_id=filters.policy_id)
    if filters.status in (Outcome.ELIGIBLE, Outcome.POSSIBLY):
        qs = qs.filter(status=filters.status)
    if filters.area:
        qs = qs.filter(household__area__code__startswith=area_prefix(filters.area))
    return qs


def worklist(
    *, user: StaffUser, filters: WorklistFilter, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[ScreeningResult]:
    """One keyset page of the work list, with each household's head (roles that may see sensitive facts)."""
    require_action(user, Action.SENSITIVE)
    qs = worklist_queryset(user=user, filters=filters)
    if after_id:
        qs = qs.filter(id__lt=after_id)
    rows = list(qs.select_related("household__area", "member").order_by("-id")[:limit])
    _attach_heads(rows)
    return rows


def _attach_heads(rows: list[ScreeningResult]) -> None:
    from niangjia.registry.models import HouseholdMember

    heads = {
        m.household_id: m
        for m in HouseholdMember.objects.filter(
            household_id__in={r.household_id for r in rows}, relation="head"
        ).select_related("worker")
    }
    for row in rows:
        row.head = heads.get(row.household_id)  # type: ignore[attr-defined]


def worklist_summary(*, user: StaffUser, filters: WorklistFilter) -> list[dict[str, Any]]:
    """Per policy and outcome: how many and how much, within the user's scope.

    For roles without `Action.SENSITIVE`, a count under SMALL_COUNT and its amount are
    withheld (`n` and `total` None, `few` True).
    """
    qs = worklist_queryset(user=user, filters=filters)
    rows = list(
        qs.values("policy_id", "status").annotate(n=Count("id"), total=Sum("amount")).order_by("policy_id", "status")
    )
    if allows(user, Action.SENSITIVE):
        return rows
    for row in rows:
        if row["n"] < SMALL_COUNT:
            row.update(n=None, total=None, few=True)
    return rows


def latest_runs(*, limit: int = 10) -> list[ScreeningRun]:
    """The latest screening runs (they hold no personal data)."""
    return list(ScreeningRun.objects.exclude(kind="household").order_by("-id")[:limit])
