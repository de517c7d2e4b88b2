"""Pools and allocations: create a pool, put money in, reverse an allocation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.ranges import DATE_MAX, DATE_MIN, YEAR_MAX, YEAR_MIN
from niangjia.core.scoping import Action, require
from niangjia.funds.choices import Account, AllocationSource, PoolLevel, Programme, TxKind
from niangjia.funds.models import Allocation, FundPool
from niangjia.funds.services.ledger import clean_amount, clean_text, lock_pool, post, yuan
from niangjia.orgs.models import UnionOrg


def pool_create(*, programme: str, year: int, org: UnionOrg, actor: Any, name: str = "", note: str = "") -> FundPool:
    """Open a pool for a programme and year at a city or district federation (one per programme, year and org)."""
    require(actor, Action.CHANGE, org)
    if programme not in Programme.values:
        raise ValidationError({"programme": "请选择资金项目。"})
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError({"year": f"年度应在 {YEAR_MIN} 到 {YEAR_MAX} 之间。"})
    if org.level not in PoolLevel.values:
        raise ValidationError({"org": "资金池只能建在市总工会或区县总工会（市、区两级统筹）。"})
    label = Programme(programme).label
    pool = FundPool(
        programme=programme,
        year=year,
        org=org,
        level=org.level,
        name=clean_text(name, field="name", label="名称", max_length=100, required=False)
        or f"{year}年{org.name}{label}资金",
        note=clean_text(note, field="note", label="说明", max_length=200, required=False),
        created_by=actor,
    )
    with transaction.atomic():
        if FundPool.objects.filter(programme=programme, year=year, org=org).exists():
            raise ValidationError({"programme": f"{org.name}已有 {year} 年的{label}资金池，请在原资金池中拨入资金。"})
        pool.full_clean()
        pool.save()
        audit_record(
            actor=actor,
            action="funds.pool.create",
            target=pool,
            new={"programme": programme, "year": year, "org": org.pk},
            org_path=org.path,
        )
    return pool


def allocation_add(
    *,
    pool: FundPool,
    amount: Decimal | str | int,
    source: str,
    actor: Any,
    received_on: date | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Allocation:
    """Put money into a pool: the pool's available balance rises by `amount`."""
    require(actor, Action.CHANGE, pool)
    amount = clean_amount(amount)
    if source not in AllocationSource.values:
        raise ValidationError({"source": "请选择资金来源。"})
    at = at or timezone.now()
    received_on = received_on or timezone.localdate(at)
    if not DATE_MIN <= received_on <= DATE_MAX:
        raise ValidationError({"received_on": f"到账日期应在 {DATE_MIN} 到 {DATE_MAX} 之间。"})
    note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    with transaction.atomic():
        pool = lock_pool(pool.pk)
        tx = post(
            pool=pool,
            kind=TxKind.ALLOCATION,
            lines=[(Account.AVAILABLE, amount), (Account.SOURCE, -amount)],
            actor=actor,
            at=at,
            note=note,
        )
        allocation = Allocation(
            pool=pool, amount=amount, source=source, received_on=received_on, note=note, transaction=tx,
            created_by=actor,
        )  # fmt: skip
        allocation.full_clean()
        allocation.save()
        audit_record(
            actor=actor,
            action="funds.allocation.add",
            target=allocation,
            new={"pool": pool.pk, "amount": amount, "source": source},
            org_path=pool.org.path,
        )
    return allocation


def allocation_reverse(*, allocation: Allocation, reason: str, actor: Any, at: datetime | None = None) -> Allocation:
    """Take an allocation back out of its pool by a reversing transaction; only what is still available."""
    require(actor, Action.CHANGE, allocation)
    reason = clean_text(reason, field="reason", label="冲销原因", max_length=200)
    at = at or timezone.now()
    with transaction.atomic():
        pool = lock_pool(allocation.pool_id)
        allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.reversal_id is not None:
            raise ValidationError({"allocation": "这笔拨入已冲销过。"})
        if pool.available < allocation.amount:
            raise ValidationError(
                {
                    "allocation": f"资金池可用余额 {yuan(pool.available)}，不足以冲销 {yuan(allocation.amount)}："
                    "部分资金已审批占用或发放。请先释放占用，或冲销较小的金额。"
                }
            )
        tx = post(
            pool=pool,
            kind=TxKind.ALLOCATION_REVERSAL,
            lines=[(Account.AVAILABLE, -allocation.amount), (Account.SOURCE, allocation.amount)],
            actor=actor,
            at=at,
            reference=f"allocation:{allocation.pk}",
            note=reason,
            reverses=allocation.transaction,
        )
        allocation.reversal, allocation.reversal_reason = tx, reason
        allocation.save(update_fields=["reversal", "reversal_reason"])
        audit_record(
            actor=actor,
            action="funds.allocation.reverse",
            target=allocation,
            new={"amount": allocation.amount, "reason": reason},
            org_path=pool.org.path,
        )
    return allocation
