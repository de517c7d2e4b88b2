"""Rounds: a batch of filings, approvals or payments chosen from the work queue, one sheet for all."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.assistance.choices import RoundKind, RoundOutcome, RoundStatus
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import UnionOrg
from niangjia.registry.models import Household, HouseholdMember


class Round(models.Model):
    """One batch: what was chosen (policy and the queue's filter), by whom, and how it went.

    Every household still gets its own checks, ledger entries and audit entry; a failure is
    kept by name in `RoundItem` and does not stop the others.
    """

    kind = models.CharField("类型", max_length=16, choices=RoundKind.choices)
    policy_id = models.CharField("政策", max_length=64)
    title = models.CharField("名称", max_length=100)
    org = models.ForeignKey(UnionOrg, verbose_name="发起组织", on_delete=models.PROTECT, related_name="+")
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.QUEUED)
    total = models.PositiveIntegerField("户数", default=0)
    succeeded = models.PositiveIntegerField("成功", default=0)
    failed = models.PositiveIntegerField("未成功", default=0)
    amount = models.DecimalField("金额合计", max_digits=14, decimal_places=2, default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发起时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope = ScopeSpec(org="org", cadre="actor")

    class Meta:
        verbose_name = "批量办理"
        verbose_name_plural = "批量办理"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.title}"


class RoundItem(models.Model):
    """One household of a round, its application and what happened to it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "assistance.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=64)
    outcome = models.CharField("结果", max_length=16, choices=RoundOutcome.choices)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)

    scope = ScopeSpec(org="round__org", cadre="round__actor")

    class Meta:
        verbose_name = "批量办理明细"
        verbose_name_plural = "批量办理明细"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_outcome_display()}"
