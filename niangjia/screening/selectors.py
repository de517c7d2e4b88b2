"""Reads of screening results: the cadre's work list, and one household's outcomes.

Outcomes are derived from income, health and disability, so a household's outcomes and
reasons are for roles with `Action.SENSITIVE`; the others get counts and amounts, with
counts under `SMALL_COUNT` withheld (a count of 1 in a small enterprise names a person).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum
from pydantic import Field

from niangjia.api_fields import Filter
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.models import HouseholdMember
from niangjia.registry.selectors import area_prefix
from niangjia.rules import Trace, explain_household
from niangjia.screening.choices import Listed
from niangjia.screening.extract import extract_tables
from niangjia.screening.models import ScreeningResult, ScreeningRun
from niangjia.screening.pack import current_policies, policy_names

PAGE_SIZE = 50
SMALL_COUNT = 5


class WorklistFilter(ListFilter):
    """The work list's filter (page, summary and API)."""

    policy_id: Filter = Field("", title="政策")
    status: Listed | None = Field(None, title="结果")
    area: Filter = Field("", title="区县", description="区划代码，含下级区划，如 610114")

    def apply(self, qs: QuerySet[ScreeningResult]) -> QuerySet[ScreeningResult]:
        """The filter applied to an already scoped queryset."""
        if self.policy_id:
            qs = qs.filter(policy_id=self.policy_id)
        if self.status is not None:
            qs = qs.filter(status=self.status)
        if self.area:
            qs = qs.filter(household__area__code__startswith=area_prefix(self.area))
        return qs


def worklist_choices(*, user: StaffUser) -> dict[str, Choices]:
    """The work list filter's options: the published policies, the user's districts."""
    names = policy_names(current_policies())
    return {"policy_id": list(names.items()), "area": registry_selectors.area_choices(user=user)}


def worklist_queryset(*, user: StaffUser, filters: WorklistFilter) -> QuerySet[ScreeningResult]:
    """Current eligible and possibly outcomes in the user's scope."""
    return filters.apply(restrict(ScreeningResult.objects.filter(is_current=True), user, Action.VIEW))


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


def household_outcomes(*, user: StaffUser, pk: int, as_of: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A household in scope (as `registry.selectors.household_get`) and every policy's outcome for it now.

    Evaluated on demand, not stored, so the page is never stale. Only for roles with `Action.SENSITIVE`.
    Each outcome's `arithmetic` is its computation as the engine evaluated it (`_arithmetic`).
    """
    require_action(user, Action.SENSITIVE)
    data = registry_selectors.household_get(user=user, pk=pk)
    tables = extract_tables(household_ids=[data["household"].pk])
    traces = explain_household(current_policies(), tables, str(data["household"].pk), as_of)
    names = {str(m.pk): m.name for m in data["members"]}
    return data, [
        trace.result | {"arithmetic": _arithmetic(trace, names), "missing_list": _missing(trace.result, names)}
        for trace in traces
    ]


def _missing(result: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The missing facts as the page says them: a member's with their name (朱霞敏 月收入未知)."""
    whose = result.get("missing_fact_persons") or [None] * len(result["missing_facts"])
    return [
        fact if pid is None else f"{names.get(pid, f'成员 #{pid}')} {fact}未知"
        for fact, pid in zip(result["missing_facts"], whose, strict=True)
    ]


def _arithmetic(trace: Trace, names: dict[str, str]) -> list[dict[str, str]]:
    """The trace's lines as label, value, note; a member's line is labelled with their name (the engine sees ids)."""
    rows = []
    for line in trace.lines:
        label = line.label
        if line.person_id is not None:
            name = names.get(line.person_id, f"成员 #{line.person_id}")
            label = f"{name} · {label}" if label else name
        rows.append({"label": label, "value": line.value, "note": line.note})
    return rows


def latest_runs(*, user: StaffUser, limit: int = 10) -> list[ScreeningRun]:
    """The latest screening runs, for the roles that start them (runs hold no personal data)."""
    if not allows(user, Action.SCREEN):
        return []
    return list(ScreeningRun.objects.exclude(kind="household").order_by("-id")[:limit])
