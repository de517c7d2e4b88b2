"""Posting to the ledger, the locks that guard it, and the checks every amount passes.

Lock order, the same in every service so that two of them never wait on each other: pools (by id),
then commitments (by id), then household tallies (by household and year).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F

from niangjia.core.ranges import MONEY_MAX
from niangjia.funds.choices import Account
from niangjia.funds.models import FundPool, HouseholdTally, LedgerEntry, LedgerTransaction
from niangjia.funds.models.fields import CENT

DEFAULT_HOUSEHOLD_CAP = Decimal("50000.00")
# The pool column each account's balance is cached in; `source` is minus what was allocated.
_COLUMN = {Account.AVAILABLE: "available", Account.COMMITTED: "committed", Account.PAID: "paid"}


def yuan(amount: Decimal) -> str:
    """An amount as people read it in a message: ¥1,234.50."""
    return f"¥{amount:,.2f}"


def clean_amount(value: Any, *, field: str = "amount") -> Decimal:
    """Return `value` as yuan to the fen, 0.01..MONEY_MAX; a Chinese ValidationError naming `field` otherwise.

    A float is refused outright: money never passes through binary floating point.
    """
    if isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal or a string")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "金额应为数字，如 1234.50。"}) from None
    if not amount.is_finite():
        raise ValidationError({field: "金额应为数字，如 1234.50。"})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: "金额最多保留两位小数（到分）。"})
    if amount < CENT:
        raise ValidationError({field: "金额至少为 0.01 元。"})
    if amount > MONEY_MAX:
        raise ValidationError({field: f"金额不能超过 {yuan(MONEY_MAX)}。"})
    return amount.quantize(CENT)


def clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Strip `value`; refuse it empty (when required), too long, or holding NUL."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}。"})
    if len(text) > max_length:
        raise ValidationError({field: f"{label}最多 {max_length} 个字。"})
    if "\x00" in text:
        raise ValidationError({field: f"{label}不能含空字符。"})
    return text


def household_cap() -> Decimal:
    """What one household may get in one year across every pool (setting FUNDS_HOUSEHOLD_CAP_PER_YEAR)."""
    return Decimal(str(getattr(settings, "FUNDS_HOUSEHOLD_CAP_PER_YEAR", DEFAULT_HOUSEHOLD_CAP))).quantize(CENT)


def lock_pool(pool_id: int) -> FundPool:
    """The pool's row, locked until the transaction ends (with its organization, not locked)."""
    return FundPool.objects.select_related("org").select_for_update(of=("self",)).get(pk=pool_id)


def lock_tally(household_id: int, year: int) -> HouseholdTally:
    """The household's tally for the year, created if missing, locked until the transaction ends."""
    locked = HouseholdTally.objects.select_for_update().filter(household_id=household_id, year=year)
    tally = locked.first()
    if tally is None:
        # Two first approvals at once: one inserts, the other's insert waits for it and then does nothing.
        HouseholdTally.objects.bulk_create(
            [HouseholdTally(household_id=household_id, year=year)], ignore_conflicts=True
        )
        tally = locked.get()
    return tally


def tally_move(tally: HouseholdTally, *, committed: Decimal = Decimal(0), paid: Decimal = Decimal(0)) -> None:
    """Change a locked tally by the given amounts (atomic F() update, mirrored on the instance)."""
    HouseholdTally.objects.filter(pk=tally.pk).update(committed=F("committed") + committed, paid=F("paid") + paid)
    tally.committed += committed
    tally.paid += paid


def post(
    *,
    pool: FundPool,
    kind: str,
    lines: Sequence[tuple[str, Decimal]],
    actor: Any,
    at: datetime,
    reference: str = "",
    note: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Append one balanced transaction to a locked pool's ledger and move its cached balances with it."""
    if len(lines) < 2 or sum(amount for _, amount in lines) != 0:
        raise ValueError(f"unbalanced ledger transaction: {lines!r}")
    tx = LedgerTransaction(
        kind=kind, pool=pool, reference=reference, note=note[:200], actor=actor, at=at, reverses=reverses
    )
    tx.save(force_insert=True)
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(transaction=tx, pool=pool, account=account, amount=amount) for account, amount in lines]
    )
    deltas: dict[str, Decimal] = {}
    for account, amount in lines:
        column, delta = ("allocated", -amount) if account == Account.SOURCE else (_COLUMN[Account(account)], amount)
        deltas[column] = deltas.get(column, Decimal(0)) + delta
    FundPool.objects.filter(pk=pool.pk).update(**{column: F(column) + delta for column, delta in deltas.items()})
    for column, delta in deltas.items():
        setattr(pool, column, getattr(pool, column) + delta)
    return tx
