"""A 大走访 campaign: its period, scope, target groups and per-district targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from niangjia.core.ranges import date_range, number_range
from niangjia.core.scoping import ScopeSpec
from niangjia.outreach.choices import CampaignStatus

TARGET_MAX = 1_000_000


class Campaign(models.Model):
    """An outreach campaign run by a city or district federation (`org`) over a period.

    The scope is `orgs` (union organizations whose subtrees are visited) and `areas` (administrative
    divisions, with everything below them); both empty = the whole of `org`'s subtree. Target groups are
    lists of `EnterpriseGroup` / `WorkerGroup` values (empty = every enterprise).
    """

    name = models.CharField("活动名称", max_length=100)
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="主办组织", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("开始日期", validators=date_range())
    ends_on = models.DateField("结束日期", validators=date_range())
    status = models.CharField("状态", max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    orgs = models.ManyToManyField(
        "orgs.UnionOrg", verbose_name="走访范围", blank=True, related_name="campaigns_in_scope"
    )
    areas = models.ManyToManyField("orgs.Area", verbose_name="走访区划", blank=True, related_name="+")
    enterprise_groups = models.JSONField("重点企业", default=list, blank=True)
    worker_groups = models.JSONField("重点职工", default=list, blank=True)
    enterprises_per_cadre = models.PositiveSmallIntegerField(
        "每名干部结对企业数", default=1, validators=number_range(1, 50, "每名干部结对企业数")
    )
    cross_district = models.BooleanField("允许跨区县结对", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The pairing is published when cadres' enterprise assignments follow it; released when they no longer do.
    pairing_published_at = models.DateTimeField("结对发布时间", null=True, blank=True)
    pairing_released_at = models.DateTimeField("结对解除时间", null=True, blank=True)

    scope = ScopeSpec(org="org", cadre="pairings__cadre")

    class Meta:
        verbose_name = "走访活动"
        verbose_name_plural = "走访活动"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pairing_current(self) -> bool:
        """Whether cadres' enterprise assignments follow this campaign's pairing now."""
        return self.pairing_published_at is not None and self.pairing_released_at is None


class CampaignTarget(models.Model):
    """How many enterprises and homes one district (or zone) is to visit in a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name="走访活动", on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    enterprises = models.PositiveIntegerField(
        "走访企业目标", default=0, validators=number_range(0, TARGET_MAX, "走访企业目标")
    )
    homes = models.PositiveIntegerField(
        "入户走访目标", default=0, validators=number_range(0, TARGET_MAX, "入户走访目标")
    )

    scope = ScopeSpec(org="campaign__org", cadre="campaign__pairings__cadre")

    class Meta:
        verbose_name = "走访目标"
        verbose_name_plural = "走访目标"
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="campaign_target_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.org}"
