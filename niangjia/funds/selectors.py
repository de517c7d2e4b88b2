"""Funds reads, each starting from the scoping chokepoint: a federation sees its pools and those below it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from niangjia.core.scoping import Action, restrict
from niangjia.funds.choices import CommitmentStatus
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

PAGE_SIZE = 50
NOT_FOUND = "记录不存在或不在您的管辖范围内。"


def _one(qs: QuerySet[Any], pk: int) -> Any:
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def pool_list(
    *,
    user: Any,
    year: int | None = None,
    programme: str = "",
    level: str = "",
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[FundPool]:
    """Pools in the user's scope, newest first (after_id pages on)."""
    qs = restrict(FundPool.objects.select_related("org"), user, Action.VIEW)
    if year is not None:
        qs = qs.filter(year=year)
    if programme:
        qs = qs.filter(programme=programme)
    if level:
        qs = qs.filter(level=level)
    if after_id is not None:
        qs = qs.filter(pk__lt=after_id)
    return list(qs.order_by("-id")[:limit])


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
    from niangjia.core.scoping import allows

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
