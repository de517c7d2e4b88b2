"""Pre-aggregated indicator counts and the record of each refresh (the freshness shown on the dashboard)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.core.scoping import ScopeSpec
from niangjia.reports.choices import RefreshStatus


class IndicatorCount(models.Model):
    """One indicator's count in one campaign, for one organization: per day, to date, or per cadre to date.

    Written only by `campaign_refresh` from the records. `org` is where the records count (an enterprise
    union's records count under the organization above it); `org_path` is its path, copied so a subtree is
    one prefix match. Rows with `day` set are daily; with `day` empty, the campaign to date (per
    organization when `cadre` is empty, per cadre and organization otherwise). `value` is the records or
    subjects counted (for money: the payments; for a mean: the ratings), `total` the money or the ratings summed.
    """

    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField("指标", max_length=48)
    day = models.DateField("日期", null=True, blank=True)
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="组织", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField("组织路径", max_length=255)
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工会干部",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.BigIntegerField("数量", default=0)
    total = models.DecimalField("合计", max_digits=18, decimal_places=2, null=True, blank=True)

    scope = ScopeSpec(org="org", cadre="cadre", path="org_path")

    class Meta:
        verbose_name = "指标统计"
        verbose_name_plural = "指标统计"
        indexes = [
            models.Index(fields=["campaign", "day", "org_path"], name="reports_count_day_idx"),
            models.Index(fields=["campaign", "cadre", "org_path"], name="reports_count_cadre_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.day or '累计'} {self.org_path} {self.value}"


class Refresh(models.Model):
    """One refresh of a campaign's pre-aggregated counts: asked for, run, finished (or failed)."""

    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField("状态", max_length=8, choices=RefreshStatus.choices, default=RefreshStatus.QUEUED)
    requested_at = models.DateTimeField("申请时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    seconds = models.FloatField("耗时(秒)", default=0)
    rows = models.PositiveIntegerField("统计行数", default=0)
    error = models.TextField("错误", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "统计刷新"
        verbose_name_plural = "统计刷新"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status", "finished_at"], name="reports_refresh_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.get_status_display()} {self.requested_at:%Y-%m-%d %H:%M}"
