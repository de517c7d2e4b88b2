"""一人一企: a cadre paired with an enterprise for a campaign; the solver's runs; pairs never to make."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from niangjia.core.ranges import number_range
from niangjia.core.scoping import ScopeSpec
from niangjia.outreach.choices import SolverMethod

KM_MAX = Decimal("9999999999.99")


class Pairing(models.Model):
    """One cadre responsible for one enterprise during a campaign (written by the solver or by hand).

    A `fixed` pairing is kept as it is when the solver runs again (set by hand, or by a swap).
    """

    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.CASCADE, related_name="pairings"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="工会干部", on_delete=models.PROTECT, related_name="pairings"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="pairings"
    )
    distance_km = models.DecimalField(
        "距离（公里）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=number_range(Decimal(0), Decimal("99999.99"), "距离"),
    )
    manual = models.BooleanField("人工调整", default=False)
    fixed = models.BooleanField("固定结对", default=False)
    created_at = models.DateTimeField("结对时间", auto_now_add=True)

    scope = ScopeSpec(org="enterprise__org", cadre="cadre")

    class Meta:
        verbose_name = "一人一企结对"
        verbose_name_plural = "一人一企结对"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="pairing_one_cadre_per_enterprise"),
        ]
        indexes = [models.Index(fields=["cadre", "campaign"], name="pairing_cadre_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise}"


class PairingExclusion(models.Model):
    """A pair the solver must never make in a campaign (a relative runs the enterprise, a past dispute…)."""

    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.CASCADE, related_name="exclusions"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="工会干部", on_delete=models.CASCADE, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("原因", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeSpec(org="enterprise__org")

    class Meta:
        verbose_name = "不结对"
        verbose_name_plural = "不结对"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cadre", "enterprise"], name="pairing_exclusion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} ✕ {self.enterprise}"


def _km(name: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        name, max_digits=12, decimal_places=2, null=True, blank=True, validators=number_range(Decimal(0), KM_MAX, name)
    )


class PairingRun(models.Model):
    """One run of the solver over a campaign: its settings and how good the result is.

    Distances are totals in km; the baseline is the naive round-robin pairing of the same people.
    `gap` is (total − lower bound) / lower bound; 0 when the solver proved the result optimal.
    `districts` holds the same figures per district: [{org_id, name, cadres, enterprises, paired,
    total_km, baseline_km, method}].
    """

    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.CASCADE, related_name="pairing_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="执行人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    enterprises_per_cadre = models.PositiveSmallIntegerField(
        "每名干部结对企业数", validators=number_range(1, 50, "每名干部结对企业数")
    )
    cross_district = models.BooleanField("允许跨区县结对", default=False)
    cadres = models.PositiveIntegerField("干部数")
    enterprises = models.PositiveIntegerField("企业数")
    paired = models.PositiveIntegerField("结对数")
    fixed = models.PositiveIntegerField("固定结对数", default=0)
    unlocated = models.PositiveIntegerField("无位置企业数", default=0)
    total_km = _km("总距离（公里）")
    mean_km = _km("平均距离（公里）")
    baseline_total_km = _km("轮流分配总距离（公里）")
    baseline_mean_km = _km("轮流分配平均距离（公里）")
    lower_bound_km = _km("总距离下界（公里）")
    gap = models.DecimalField(
        "与下界的差距", max_digits=10, decimal_places=4, null=True, blank=True,
        validators=number_range(Decimal(0), Decimal("999999.9999"), "与下界的差距"),
    )  # fmt: skip
    optimal = models.BooleanField("已证明最优", default=False)
    method = models.CharField("求解方法", max_length=8, choices=SolverMethod.choices)
    seconds = models.DecimalField(
        "计算用时（秒）",
        max_digits=8,
        decimal_places=2,
        validators=number_range(Decimal(0), Decimal("999999.99"), "用时"),
    )
    districts = models.JSONField("各区县", default=list, blank=True)

    scope = ScopeSpec(org="campaign__org")

    class Meta:
        verbose_name = "结对计算"
        verbose_name_plural = "结对计算"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"
