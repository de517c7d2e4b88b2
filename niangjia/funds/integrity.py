"""The ledger is the truth: checks that it balances and that the pools' cached balances agree with it.

Both are aggregates in SQL (one GROUP BY each), bounded in what they return, so they run on a
ledger of any size; `niangjia funds_check` runs them from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from niangjia.funds.choices import Account
from niangjia.funds.models import FundPool, LedgerEntry

SHOWN = 100


@dataclass(frozen=True)
class Balances:
    """A pool's four balances."""

    allocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal


@dataclass
class LedgerCheck:
    """What disagrees: transactions whose lines do not sum to zero, pools whose cache differs from the ledger."""

    unbalanced: list[int] = field(default_factory=list)
    mismatched: dict[int, tuple[Balances, Balances]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.unbalanced and not self.mismatched


def ledger_balances(pool_ids: list[int] | None = None) -> dict[int, Balances]:
    """Each pool's balances summed from its ledger lines (pools without lines are left out)."""
    qs = LedgerEntry.objects.all()
    if pool_ids is not None:
        qs = qs.filter(pool_id__in=pool_ids)
    sums = {
        str(account): Sum("amount", filter=Q(account=account), default=Decimal(0))
        for account in (Account.SOURCE, Account.AVAILABLE, Account.COMMITTED, Account.PAID)
    }
    rows = qs.values("pool_id").annotate(**sums).order_by()
    return {
        row["pool_id"]: Balances(
            allocated=-row[Account.SOURCE],
            committed=row[Account.COMMITTED],
            paid=row[Account.PAID],
            available=row[Account.AVAILABLE],
        )
        for row in rows
    }


def cached_balances(pool: FundPool) -> Balances:
    return Balances(allocated=pool.allocated, committed=pool.committed, paid=pool.paid, available=pool.available)


def ledger_check(*, pool_ids: list[int] | None = None) -> LedgerCheck:
    """Compare the ledger with itself (every transaction sums to zero) and with the pools' cached balances."""
    check = LedgerCheck()
    entries = LedgerEntry.objects.all() if pool_ids is None else LedgerEntry.objects.filter(pool_id__in=pool_ids)
    unbalanced = (
        entries.values("transaction_id")
        .annotate(total=Sum("amount"), lines=Count("id"))
        .filter(~Q(total=0) | Q(lines__lt=2))
        .order_by("transaction_id")
        .values_list("transaction_id", flat=True)
    )
    check.unbalanced = list(unbalanced[:SHOWN])
    from_ledger = ledger_balances(pool_ids)
    pools = FundPool.objects.all() if pool_ids is None else FundPool.objects.filter(pk__in=pool_ids)
    zero = Balances(Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    for pool in pools.only("allocated", "committed", "paid", "available").iterator(chunk_size=2000):
        cached, truth = cached_balances(pool), from_ledger.get(pool.pk, zero)
        if cached != truth and len(check.mismatched) < SHOWN:
            check.mismatched[pool.pk] = (cached, truth)
    return check
