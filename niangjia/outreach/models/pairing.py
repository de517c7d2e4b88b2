"""一人一企: a cadre paired with an enterprise for a campaign."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from niangjia.core.ranges import number_range
from niangjia.core.scoping import ScopeSpec


class Pairing(models.Model):
    """One cadre responsible for one enterprise during a campaign (written by the solver or by hand)."""

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
