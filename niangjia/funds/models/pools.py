"""Fund pools (资金池) and the money put into them (拨入)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from niangjia.core.ranges import date_range, year_range
from niangjia.core.scoping import ScopeSpec
from niangjia.funds.choices import AllocationSource, PoolLevel, Programme
from niangjia.funds.models.fields import amount_field, balance_field


class FundPool(models.Model):
    """One programme's budget for one year at one level (市、区两级统筹), owned by a union organization.

    The four balance columns are a cache of the pool's ledger accounts, changed only by the services
    under the pool row's lock with `F()` updates; CHECK constraints keep them from going below zero
    and keep `allocated = committed + paid + available`. The ledger is the truth:
    `selectors.pool_balance_check` compares the two.
    """

    programme = models.CharField("项目", max_length=16, choices=Programme.choices)
    year = models.PositiveSmallIntegerField("年度", validators=year_range())
    level = models.CharField("级别", max_length=16, choices=PoolLevel.choices)
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="所属工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    note = models.CharField("说明", max_length=200, blank=True)
    allocated = balance_field("拨入合计")
    committed = balance_field("已审批待发放")
    paid = balance_field("已发放")
    available = balance_field("可用余额")
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="建立人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(org="org")

    class Meta:
        verbose_name = "资金池"
        verbose_name_plural = "资金池"
        ordering = ["-year", "org__path", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "org"], name="funds_pool_one_per_programme_year_org"),
            models.CheckConstraint(condition=Q(available__gte=0), name="funds_pool_available_not_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="funds_pool_committed_not_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="funds_pool_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(allocated=F("committed") + F("paid") + F("available")), name="funds_pool_balances_add_up"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Allocation(models.Model):
    """Money put into a pool, from a source; reversed (冲销) by a reversing transaction, never edited."""

    pool = models.ForeignKey(FundPool, verbose_name="资金池", on_delete=models.PROTECT, related_name="allocations")
    amount = amount_field("金额")
    source = models.CharField("资金来源", max_length=16, choices=AllocationSource.choices)
    received_on = models.DateField("到账日期", validators=date_range())
    note = models.CharField("说明", max_length=200, blank=True)
    transaction = models.OneToOneField(
        "funds.LedgerTransaction", verbose_name="台账记录", on_delete=models.PROTECT, related_name="+"
    )
    reversal = models.OneToOneField(
        "funds.LedgerTransaction",
        verbose_name="冲销记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversal_reason = models.CharField("冲销原因", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(org="pool__org")

    class Meta:
        verbose_name = "资金拨入"
        verbose_name_plural = "资金拨入"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.pool} 拨入 {self.amount} 元"
