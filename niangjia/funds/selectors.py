"""Funds reads, each starting from the scoping chokepoint: a federation sees its pools and those below it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from pydantic import Field

from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.ranges import YEAR_MAX, YEAR_MIN
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, restrict
from niangjia.funds.choices import CommitmentStatus, PoolLevel, Programme
from niangjia.funds.models import (
    Allocation,
    Commitment,
    Disbursement,
    FundPool,
    HouseholdTally,
    LedgerEntry,
    LedgerTransaction,
    PaymentBatch,
    PaymentLine,
)
from niangjia.orgs.models import UnionOrg

PAGE_SIZE = 50
FUNDS_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_STAFF, Role.LEADER)
NOT_FOUND = "记录不存在或不在您的管辖范围内。"


def _one(qs: QuerySet[Any], pk: int) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


class PoolFilter(ListFilter):
    """The pool list's filter (page and API)."""

    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, title="年度")
    programme: Programme | None = Field(None, title="项目")
    level: PoolLevel | None = Field(None, title="级别")

    def apply(self, qs: QuerySet[FundPool]) -> QuerySet[FundPool]:
        if self.year is not None:
            qs = qs.filter(year=self.year)
        if self.programme is not None:
            qs = qs.filter(programme=self.programme)
        if self.level is not None:
            qs = qs.filter(level=self.level)
        return qs


def sees_funds(user: Any) -> bool:
    """Whether the funds pages are for this user: federation staff and leaders (cadres and chairs hold no pools)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.role in FUNDS_ROLES)


def pool_list(
    *, user: Any, filters: PoolFilter | None = None, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[FundPool]:
    """Pools in the user's scope, newest first (after_id pages on)."""
    qs = (filters or PoolFilter()).apply(restrict(FundPool.objects.select_related("org"), user, Action.VIEW))
    if after_id is not None:
        qs = qs.filter(pk__lt=after_id)
    return list(qs.order_by("-id")[:limit])


def pool_totals(*, user: Any, filters: PoolFilter | None = None) -> dict[str, Any]:
    """The four balances summed over the filtered pools in scope, and how many pools."""
    qs = (filters or PoolFilter()).apply(restrict(FundPool.objects.all(), user, Action.VIEW))
    zero = Decimal("0.00")
    return qs.aggregate(
        allocated=Sum("allocated", default=zero),
        committed=Sum("committed", default=zero),
        paid=Sum("paid", default=zero),
        available=Sum("available", default=zero),
        pools=Count("id"),
    )


def pool_filter_choices(*, user: Any) -> dict[str, Choices]:
    """The years that have pools in scope (the other options come from the filter's types)."""
    years = restrict(FundPool.objects.all(), user, Action.VIEW).values_list("year", flat=True)
    return {"year": [(str(y), f"{y} 年") for y in years.distinct().order_by("-year")[:30]]}


def pool_org_choices(*, user: Any) -> QuerySet[UnionOrg]:
    """The federations (city, district) the user may open a pool at."""
    qs = restrict(UnionOrg.objects.filter(level__in=PoolLevel.values), user, Action.CHANGE)
    return qs.order_by("path")


def pool_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> FundPool:
    """One pool the user may `action`; Http404 otherwise."""
    return _one(restrict(FundPool.objects.select_related("org", "created_by"), user, action), pk)  # type: ignore[no-any-return]


def pool_choices(*, user: Any, programme: str, year: int) -> list[FundPool]:
    """Pools of a programme and year the user may commit from, the nearest federation first."""
    qs = restrict(FundPool.objects.select_related("org"), user, Action.CHANGE)
    return list(qs.filter(programme=programme, year=year).order_by("-org__depth", "id")[:50])


def pool_ledger(
    *, user: Any, pool: FundPool, before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[LedgerTransaction]:
    """A pool's ledger transactions with their lines, newest first (before_id pages back)."""
    qs = restrict(LedgerTransaction.objects.select_related("actor"), user, Action.VIEW).filter(pool=pool)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    lines = Prefetch("entries", queryset=LedgerEntry.objects.order_by("id"))
    return list(qs.prefetch_related(lines).order_by("-id")[:limit])


def pool_allocations(*, user: Any, pool: FundPool, limit: int = PAGE_SIZE) -> list[Allocation]:
    """A pool's latest allocations."""
    qs = restrict(Allocation.objects.select_related("created_by"), user, Action.VIEW).filter(pool=pool)
    return list(qs.order_by("-id")[:limit])


def allocation_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> Allocation:
    return _one(restrict(Allocation.objects.select_related("pool"), user, action), pk)  # type: ignore[no-any-return]


def commitment_list(
    *,
    user: Any,
    pool: FundPool | None = None,
    status: str = "",
    household_id: int | None = None,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Commitment]:
    """Commitments in scope, newest first (before_id pages back)."""
    qs = restrict(Commitment.objects.select_related("pool", "created_by"), user, Action.VIEW)
    if pool is not None:
        qs = qs.filter(pool=pool)
    if status:
        qs = qs.filter(status=status)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def commitment_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> Commitment:
    """One commitment the user may `action`; Http404 otherwise."""
    return _one(restrict(Commitment.objects.select_related("pool", "pool__org"), user, action), pk)  # type: ignore[no-any-return]


def disbursement_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> Disbursement:
    """One disbursement the user may `action`; Http404 otherwise."""
    qs = restrict(Disbursement.objects.select_related("pool", "commitment"), user, action)
    return _one(qs, pk)  # type: ignore[no-any-return]


def open_commitments(*, user: Any, pool: FundPool, limit: int = PAGE_SIZE) -> list[Commitment]:
    """A pool's commitments waiting for payment, oldest first."""
    qs = restrict(Commitment.objects.all(), user, Action.VIEW).filter(pool=pool, status=CommitmentStatus.OPEN)
    return list(qs.order_by("id")[:limit])


def household_year_total(*, user: Any, household_id: int, year: int) -> tuple[Decimal, Decimal]:
    """(committed, paid) for a household in a year across every pool.

    The caller has already read the household through its own scoped selector; a user without any
    view right gets zeros.
    """
    if not allows(user, Action.VIEW):
        return Decimal(0), Decimal(0)
    tally = HouseholdTally.objects.filter(household_id=household_id, year=year).first()
    return (tally.committed, tally.paid) if tally else (Decimal(0), Decimal(0))


def batch_list(
    *, user: Any, status: str = "", before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[PaymentBatch]:
    """Payment batches in scope, newest first."""
    qs = restrict(PaymentBatch.objects.select_related("org", "created_by"), user, Action.VIEW)
    if status:
        qs = qs.filter(status=status)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.order_by("-id")[:limit])


def batch_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> PaymentBatch:
    """One batch the user may `action`; Http404 otherwise."""
    return _one(restrict(PaymentBatch.objects.select_related("org", "created_by"), user, action), pk)  # type: ignore[no-any-return]


def batch_lines(*, user: Any, batch: PaymentBatch, after_seq: int = 0, limit: int = PAGE_SIZE) -> list[PaymentLine]:
    """A batch's lines in order (after_seq pages on); accounts masked."""
    qs = restrict(PaymentLine.objects.all(), user, Action.VIEW).filter(batch=batch, seq__gt=after_seq)
    return list(qs.defer("account_enc").order_by("seq")[:limit])


def pool_org_get(*, user: Any, pk: int) -> UnionOrg:
    """A federation the user may open a pool at; Http404 otherwise (the service then checks its level)."""
    return _one(restrict(UnionOrg.objects.all(), user, Action.VIEW), pk)  # type: ignore[no-any-return]
