"""Commitments: reserve money from a pool on approval (审批占用), release it when it will not be paid."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.ranges import ID_MAX
from niangjia.core.scoping import Action, require
from niangjia.funds.choices import Account, CommitmentStatus, LineStatus, TxKind
from niangjia.funds.models import Commitment, FundPool, PaymentLine
from niangjia.funds.services.ledger import (
    clean_amount,
    clean_text,
    household_cap,
    lock_pool,
    lock_tally,
    post,
    tally_move,
    yuan,
)

LIVE = (CommitmentStatus.OPEN, CommitmentStatus.PAID)


def commitment_create(
    *,
    pool: FundPool,
    amount: Decimal | str | int,
    household_id: int,
    beneficiary_ref: str,
    period: str,
    reference: str,
    actor: Any,
    once_per_period: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> Commitment:
    """Reserve `amount` from the pool for a household on approval.

    Refused (a Chinese ValidationError, nothing written) when the pool's available balance would go
    below zero, when the household's commitments and payments this year across every pool would pass
    FUNDS_HOUSEHOLD_CAP_PER_YEAR, when `once_per_period` and the household already has a live
    commitment of this programme for `period`, or when `reference` already has a live commitment.
    """
    require(actor, Action.CHANGE, pool)
    amount = clean_amount(amount)
    if isinstance(household_id, bool) or not isinstance(household_id, int) or not 1 <= household_id <= ID_MAX:
        raise ValidationError({"household_id": "家庭编号应为正整数。"})
    beneficiary_ref = clean_text(beneficiary_ref, field="beneficiary_ref", label="受助对象", max_length=64)
    period = clean_text(period, field="period", label="所属期间", max_length=16)
    reference = clean_text(reference, field="reference", label="业务编号", max_length=64)
    note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    at = at or timezone.now()
    with transaction.atomic():
        pool = lock_pool(pool.pk)
        tally = lock_tally(household_id, pool.year)
        if amount > pool.available:
            raise ValidationError(
                {
                    "amount": f"资金池“{pool.name}”可用余额 {yuan(pool.available)}，不足以审批 {yuan(amount)}。"
                    "请先向资金池拨入资金，或改用其他资金池。"
                }
            )
        cap = household_cap()
        if tally.committed + tally.paid + amount > cap:
            raise ValidationError(
                {
                    "amount": f"该家庭 {pool.year} 年已审批和已发放合计 {yuan(tally.committed + tally.paid)}，"
                    f"再审批 {yuan(amount)} 将超过每户每年上限 {yuan(cap)}。"
                }
            )
        if (
            once_per_period
            and Commitment.objects.filter(
                household_id=household_id, pool__programme=pool.programme, period=period, status__in=LIVE
            ).exists()
        ):
            raise ValidationError(
                {"period": f"该家庭 {period} 期已审批过{pool.get_programme_display()}，本项目每期只能享受一次。"}
            )
        if Commitment.objects.filter(reference=reference, status__in=LIVE).exists():
            raise ValidationError({"reference": f"业务 {reference} 已审批占用资金，不能重复占用。"})
        tx = post(
            pool=pool,
            kind=TxKind.COMMITMENT,
            lines=[(Account.AVAILABLE, -amount), (Account.COMMITTED, amount)],
            actor=actor,
            at=at,
            reference=reference,
            note=note,
        )
        commitment = Commitment(
            pool=pool, amount=amount, household_id=household_id, beneficiary_ref=beneficiary_ref, period=period,
            once_per_period=once_per_period, reference=reference, note=note, created_at=at, created_by=actor,
            transaction=tx,
        )  # fmt: skip
        # The foreign keys are the locked rows above and the constraints were checked by hand under the locks:
        # only the fields' own validators are left (a full_clean would re-read four rows per approval).
        commitment.clean_fields(exclude=["pool", "created_by", "transaction", "release"])
        commitment.save(force_insert=True)
        tally_move(tally, committed=amount)
        audit_record(
            actor=actor,
            action="funds.commitment.create",
            target=commitment,
            new={"pool": pool.pk, "amount": amount, "household_id": household_id, "reference": reference},
            org_path=pool.org.path,
        )
    return commitment


def commitment_pool_lock(*, commitment_id: int) -> None:
    """Lock the pool a commitment draws on, for callers that lock their own records before paying or releasing
    (an application): funds' lock order is pool, commitment, tally, and a bank-result import takes them in it."""
    pool_id = Commitment.objects.filter(pk=commitment_id).values_list("pool_id", flat=True).first()
    if pool_id is not None:
        lock_pool(pool_id)


def lock_commitment(pk: int) -> Commitment:
    """A commitment's row, locked (take its pool's lock first)."""
    return Commitment.objects.select_for_update(of=("self",)).select_related("pool").get(pk=pk)


def pending_line(commitment: Commitment) -> PaymentLine | None:
    """The batch line a commitment waits in for the bank's answer, if any."""
    qs = PaymentLine.objects.select_related("batch").filter(commitment=commitment, status=LineStatus.PENDING)
    return qs.first()


def commitment_release(*, commitment: Commitment, reason: str, actor: Any, at: datetime | None = None) -> Commitment:
    """Give an unpaid commitment's money back to its pool's available balance (审批撤销、不再发放)."""
    require(actor, Action.CHANGE, commitment)
    reason = clean_text(reason, field="reason", label="释放原因", max_length=200)
    with transaction.atomic():
        pool = lock_pool(commitment.pool_id)
        commitment = lock_commitment(commitment.pk)
        line = pending_line(commitment)
        if line is not None:
            raise ValidationError(
                {"commitment": f"该笔在支付批次 {line.batch.code} 中等待银行回执，不能释放；请导入回执登记支付结果。"}
            )
        return release(pool=pool, commitment=commitment, reason=reason, actor=actor, at=at or timezone.now())


def release(*, pool: FundPool, commitment: Commitment, reason: str, actor: Any, at: datetime) -> Commitment:
    """Release a locked open commitment (the public service and a failed bank line both end here)."""
    if commitment.status != CommitmentStatus.OPEN:
        raise ValidationError(
            {"commitment": f"只有待发放的审批占用可以释放（这一笔：{commitment.get_status_display()}）。"}
        )
    tally = lock_tally(commitment.household_id, pool.year)
    tx = post(
        pool=pool,
        kind=TxKind.RELEASE,
        lines=[(Account.COMMITTED, -commitment.amount), (Account.AVAILABLE, commitment.amount)],
        actor=actor,
        at=at,
        reference=commitment.reference,
        note=reason,
    )
    commitment.status, commitment.closed_at, commitment.close_reason, commitment.release = (
        CommitmentStatus.RELEASED, at, reason, tx,
    )  # fmt: skip
    commitment.save(update_fields=["status", "closed_at", "close_reason", "release"])
    tally_move(tally, committed=-commitment.amount)
    audit_record(
        actor=actor,
        action="funds.commitment.release",
        target=commitment,
        old={"status": CommitmentStatus.OPEN},
        new={"status": CommitmentStatus.RELEASED, "amount": commitment.amount, "reason": reason},
        org_path=pool.org.path,
    )
    return commitment
