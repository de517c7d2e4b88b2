"""Payment batches (代发批次): approved commitments sent to the bank in one file, and the bank's answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.core.scoping import ScopeSpec
from niangjia.funds.choices import BatchStatus, LineStatus
from niangjia.funds.models.fields import amount_field, balance_field


class PaymentBatch(models.Model):
    """A bank transfer batch of one organization's commitments; settled when every line has a result."""

    code = models.CharField("批次号", max_length=32, unique=True)
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="所属工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    line_count = models.PositiveIntegerField("笔数", default=0)
    total = balance_field("金额合计")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    exports = models.PositiveIntegerField("导出次数", default=0)
    settled_at = models.DateTimeField("对账完成时间", null=True, blank=True)

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = "支付批次"
        verbose_name_plural = "支付批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.code


class PaymentLine(models.Model):
    """One transfer of a batch. The account number is kept encrypted and shown only in the exported file."""

    batch = models.ForeignKey(PaymentBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveIntegerField("序号")
    reference = models.CharField("流水号", max_length=40, unique=True)
    commitment = models.ForeignKey(
        "funds.Commitment", verbose_name="审批占用", on_delete=models.PROTECT, related_name="payment_lines"
    )
    payee_name = models.CharField("收款人", max_length=64)
    id_masked = models.CharField("证件号（脱敏）", max_length=32)
    bank = models.CharField("开户银行", max_length=100)
    account_enc = models.TextField("账号（密文）", editable=False)
    account_masked = models.CharField("账号", max_length=40)
    amount = amount_field("金额")
    memo = models.CharField("附言", max_length=64, blank=True)
    status = models.CharField("状态", max_length=16, choices=LineStatus.choices, default=LineStatus.PENDING)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    settled_at = models.DateTimeField("回执时间", null=True, blank=True)
    disbursement = models.OneToOneField(
        "funds.Disbursement",
        verbose_name="发放记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_line",
    )

    scope = ScopeSpec(org="batch__org")

    class Meta:
        verbose_name = "代发明细"
        verbose_name_plural = "代发明细"
        ordering = ["batch", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "seq"], name="funds_line_seq_per_batch"),
            # A commitment waits in one batch at most.
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(status=LineStatus.PENDING),
                name="funds_line_one_pending_per_commitment",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
