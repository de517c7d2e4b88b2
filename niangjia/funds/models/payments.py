"""Commitments (审批占用), disbursements (发放) and the per-household yearly tally behind the cap."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.core.ranges import ID_MAX, number_range, year_range
from niangjia.core.scoping import ScopeSpec
from niangjia.funds.choices import CommitmentStatus, DisbursementStatus
from niangjia.funds.models.fields import amount_field, balance_field


class Commitment(models.Model):
    """Money reserved from a pool on approval, for one household, programme period and caller's reference.

    Funds knows households only by id (`household_id`, the registry's) and an opaque `beneficiary_ref`
    ("household:123"); `reference` is the caller's record ("application:45"). Closed by paying it
    (a `Disbursement`), releasing it, or — after payment — a return.
    """

    pool = models.ForeignKey("funds.FundPool", verbose_name="资金池", on_delete=models.PROTECT, related_name="+")
    amount = amount_field("金额")
    household_id = models.PositiveBigIntegerField("家庭编号", validators=number_range(1, ID_MAX, "家庭编号"))
    beneficiary_ref = models.CharField("受助对象", max_length=64)
    period = models.CharField("所属期间", max_length=16, help_text="政策的期间，如 2026 或 2026-冬")
    once_per_period = models.BooleanField("每期一次", default=False)
    reference = models.CharField("业务编号", max_length=64, help_text="如 application:45")
    note = models.CharField("说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    created_at = models.DateTimeField("审批占用时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.OneToOneField(
        "funds.LedgerTransaction", verbose_name="台账记录", on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("释放时间", null=True, blank=True)
    close_reason = models.CharField("释放原因", max_length=200, blank=True)
    release = models.OneToOneField(
        "funds.LedgerTransaction",
        verbose_name="释放记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = ScopeSpec(org="pool__org")

    class Meta:
        verbose_name = "审批占用"
        verbose_name_plural = "审批占用"
        ordering = ["-id"]
        constraints = [
            # One live commitment per caller's record: a retried approval cannot reserve twice.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status__in=[CommitmentStatus.OPEN, CommitmentStatus.PAID]),
                name="funds_commitment_one_live_per_reference",
            )
        ]
        indexes = [
            models.Index(fields=["household_id", "status"], name="funds_commit_household"),
            models.Index(fields=["pool", "status", "-id"], name="funds_commit_pool_status"),
        ]

    def __str__(self) -> str:
        return f"审批占用 #{self.pk}（{self.amount} 元）"


class Disbursement(models.Model):
    """A payment of one commitment. The idempotency key makes a retried payment return the first one."""

    commitment = models.OneToOneField(
        Commitment, verbose_name="审批占用", on_delete=models.PROTECT, related_name="disbursement"
    )
    pool = models.ForeignKey("funds.FundPool", verbose_name="资金池", on_delete=models.PROTECT, related_name="+")
    household_id = models.PositiveBigIntegerField("家庭编号")
    amount = amount_field("金额")
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True)
    status = models.CharField(
        "状态", max_length=16, choices=DisbursementStatus.choices, default=DisbursementStatus.PAID
    )
    paid_at = models.DateTimeField("发放时间", db_index=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.OneToOneField(
        "funds.LedgerTransaction", verbose_name="台账记录", on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    return_transaction = models.OneToOneField(
        "funds.LedgerTransaction",
        verbose_name="退回记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = ScopeSpec(org="pool__org")

    class Meta:
        verbose_name = "资金发放"
        verbose_name_plural = "资金发放"
        ordering = ["-id"]
        indexes = [models.Index(fields=["pool", "paid_at"], name="funds_disb_pool_paid_at")]

    def __str__(self) -> str:
        return f"发放 #{self.pk}（{self.amount} 元）"


class HouseholdTally(models.Model):
    """What one household has committed (open) and been paid in one year, across every pool.

    Its row is locked while a commitment or payment for the household is written, so two approvals
    at once cannot both pass the yearly cap (setting FUNDS_HOUSEHOLD_CAP_PER_YEAR).
    """

    household_id = models.PositiveBigIntegerField("家庭编号")
    year = models.PositiveSmallIntegerField("年度", validators=year_range())
    committed = balance_field("已审批待发放")
    paid = balance_field("已发放")

    class Meta:
        verbose_name = "家庭年度帮扶合计"
        verbose_name_plural = "家庭年度帮扶合计"
        constraints = [
            models.UniqueConstraint(fields=["household_id", "year"], name="funds_tally_one_per_household_year"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="funds_tally_committed_not_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="funds_tally_paid_not_negative"),
        ]

    def __str__(self) -> str:
        return f"家庭 {self.household_id} {self.year} 年"
