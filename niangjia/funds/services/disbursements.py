"""Disbursements: pay a commitment once (idempotency key), or record that a payment came back."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.funds.choices import Account, CommitmentStatus, DisbursementStatus, TxKind
from niangjia.funds.listeners import payment_notify
from niangjia.funds.models import Commitment, Disbursement, FundPool
from niangjia.funds.services.commitments import lock_commitment, pending_line
from niangjia.funds.services.ledger import clean_text, household_cap, lock_pool, lock_tally, post, tally_move, yuan

KEY = re.compile(r"[A-Za-z0-9._:\-]{1,64}")


def clean_key(key: str) -> str:
    """An idempotency key: 1–64 letters, digits and . _ : -."""
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise ValidationError({"idempotency_key": "幂等键应为 1–64 位字母、数字或 . _ : -。"})
    return key


def _replay(existing: Disbursement, commitment: Commitment) -> Disbursement:
    if existing.commitment_id != commitment.pk:
        raise ValidationError({"idempotency_key": "该幂等键已用于另一笔发放；每笔发放须使用自己的幂等键。"})
    return existing


def disbursement_pay(
    *, commitment: Commitment, idempotency_key: str, actor: Any, at: datetime | None = None
) -> Disbursement:
    """Pay a commitment. The same key again returns the first disbursement; a second key is refused.

    The yearly household cap and the once-per-period rule are checked again here, on the facts of
    the day of payment. A commitment waiting in a payment batch is paid by the bank's result file.
    """
    key = clean_key(idempotency_key)
    require(actor, Action.CHANGE, commitment)
    existing = Disbursement.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, commitment)
    with transaction.atomic():
        pool = lock_pool(commitment.pool_id)
        commitment = lock_commitment(commitment.pk)
        # A retry that waited for the lock finds the first payment now.
        existing = Disbursement.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, commitment)
        line = pending_line(commitment)
        if line is not None:
            raise ValidationError(
                {
                    "commitment": f"该笔在支付批次 {line.batch.code} 中等待银行回执，请导入回执登记支付结果，不要另行发放。"
                }
            )
        return pay(pool=pool, commitment=commitment, key=key, actor=actor, at=at or timezone.now())


def payment_refusal(*, pool: FundPool, commitment: Commitment, paid_this_year: Decimal) -> str | None:
    """Why a commitment may not be paid today (the yearly cap, once per period), or None."""
    cap = household_cap()
    if paid_this_year + commitment.amount > cap:
        return (
            f"该家庭 {pool.year} 年已发放 {yuan(paid_this_year)}，再发放 {yuan(commitment.amount)} "
            f"将超过每户每年上限 {yuan(cap)}。"
        )
    if (
        commitment.once_per_period
        and Commitment.objects.filter(
            household_id=commitment.household_id,
            pool__programme=pool.programme,
            period=commitment.period,
            status=CommitmentStatus.PAID,
        )
        .exclude(pk=commitment.pk)
        .exists()
    ):
        return f"该家庭 {commitment.period} 期已领取过{pool.get_programme_display()}，本项目每期只能享受一次。"
    return None


def pay(
    *, pool: FundPool, commitment: Commitment, key: str, actor: Any, at: datetime, check: bool = True
) -> Disbursement:
    """Pay a locked open commitment (the public service and a paid bank line both end here).

    `check=False` records a payment the bank has already made (its rules were checked when the
    batch was made): a fact to book, not a decision to take.
    """
    if commitment.status == CommitmentStatus.PAID:
        raise ValidationError({"commitment": "该笔已发放，不能重复发放。"})
    if commitment.status != CommitmentStatus.OPEN:
        raise ValidationError(
            {"commitment": f"该笔审批占用{commitment.get_status_display()}，不能发放；如需发放请重新审批。"}
        )
    tally = lock_tally(commitment.household_id, pool.year)
    refusal = payment_refusal(pool=pool, commitment=commitment, paid_this_year=tally.paid) if check else None
    if refusal:
        raise ValidationError({"commitment": refusal})
    tx = post(
        pool=pool,
        kind=TxKind.DISBURSEMENT,
        lines=[(Account.COMMITTED, -commitment.amount), (Account.PAID, commitment.amount)],
        actor=actor,
        at=at,
        reference=commitment.reference,
    )
    disbursement = Disbursement(
        commitment=commitment, pool=pool, household_id=commitment.household_id, amount=commitment.amount,
        idempotency_key=key, paid_at=at, paid_by=actor, transaction=tx,
    )  # fmt: skip
    disbursement.save(force_insert=True)
    commitment.status = CommitmentStatus.PAID
    commitment.save(update_fields=["status"])
    tally_move(tally, committed=-commitment.amount, paid=commitment.amount)
    audit_record(
        actor=actor,
        action="funds.disbursement.pay",
        target=disbursement,
        new={"commitment": commitment.pk, "amount": commitment.amount, "reference": commitment.reference},
        org_path=pool.org.path,
    )
    payment_notify(disbursement, "paid")
    return disbursement


def disbursement_fail(
    *, disbursement: Disbursement, reason: str, actor: Any, at: datetime | None = None
) -> Disbursement:
    """Record that a paid disbursement came back (退回): its money returns to the pool's available balance."""
    require(actor, Action.CHANGE, disbursement)
    reason = clean_text(reason, field="reason", label="退回原因", max_length=200)
    at = at or timezone.now()
    with transaction.atomic():
        pool = lock_pool(disbursement.pool_id)
        commitment = lock_commitment(disbursement.commitment_id)
        disbursement = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        if disbursement.status != DisbursementStatus.PAID:
            raise ValidationError({"disbursement": "这笔发放已登记退回。"})
        tally = lock_tally(disbursement.household_id, pool.year)
        tx = post(
            pool=pool,
            kind=TxKind.RETURN,
            lines=[(Account.PAID, -disbursement.amount), (Account.AVAILABLE, disbursement.amount)],
            actor=actor,
            at=at,
            reference=commitment.reference,
            note=reason,
        )
        disbursement.status, disbursement.returned_at, disbursement.return_reason = (
            DisbursementStatus.RETURNED,
            at,
            reason,
        )
        disbursement.return_transaction = tx
        disbursement.save(update_fields=["status", "returned_at", "return_reason", "return_transaction"])
        commitment.status, commitment.closed_at, commitment.close_reason = CommitmentStatus.RETURNED, at, reason
        commitment.save(update_fields=["status", "closed_at", "close_reason"])
        tally_move(tally, paid=-disbursement.amount)
        audit_record(
            actor=actor,
            action="funds.disbursement.fail",
            target=disbursement,
            old={"status": DisbursementStatus.PAID},
            new={"status": DisbursementStatus.RETURNED, "amount": disbursement.amount, "reason": reason},
            org_path=pool.org.path,
        )
        payment_notify(disbursement, "returned")
    return disbursement
