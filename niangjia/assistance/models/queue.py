"""The work queue: one entry per household the screening proposes, one item per (household, policy, member)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.assistance.choices import ItemStatus, Rank
from niangjia.core.scoping import ScopeSpec
from niangjia.registry.models import Household, HouseholdMember
from niangjia.registry.models.household import HOUSEHOLD_CADRE
from niangjia.screening.models import ScreeningResult

_HOUSEHOLD_CADRE = f"household__{HOUSEHOLD_CADRE}"


class QueueEntry(models.Model):
    """A household's card in the work queue, kept in step with its current screening results.

    The sort key (`rank`, `since`, household) and what the filters read (`policies`, `papers`,
    `statuses`, `area_code`, `org_path`) are copied here by `queue_refresh`, so one index serves
    every role's page: no grouping of results and no count in a request. `policies`, `papers` and
    `statuses` are "|a|b|" strings, matched with LIKE on both databases.
    """

    household = models.OneToOneField(Household, on_delete=models.CASCADE, primary_key=True, related_name="+")
    org_path = models.CharField("负责工会路径", max_length=255)
    area_code = models.CharField("区划代码", max_length=12)
    is_open = models.BooleanField("待办", default=True)
    rank = models.PositiveSmallIntegerField("优先级", choices=Rank.choices, default=Rank.POSSIBLY)
    since = models.DateField("最早提出日期")
    amount = models.DecimalField("符合金额合计", max_digits=12, decimal_places=2, default=0)
    status = models.CharField("办理状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    policies = models.CharField("待办政策", max_length=600, blank=True)
    papers = models.CharField("缺少的材料", max_length=1000, blank=True)
    statuses = models.CharField("各政策状态", max_length=120, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责干部",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    synced_at = models.DateTimeField("同步时间")

    scope = ScopeSpec(org="household__org", path="org_path", cadre=_HOUSEHOLD_CADRE)

    class Meta:
        verbose_name = "帮扶待办"
        verbose_name_plural = "帮扶待办"
        indexes = [
            models.Index(fields=["rank", "since", "household"], condition=Q(is_open=True), name="queue_order_idx"),
            models.Index(
                fields=["assignee", "rank", "since", "household"],
                condition=Q(is_open=True),
                name="queue_assignee_idx",
            ),
            models.Index(
                fields=["org_path", "rank", "since", "household"],
                condition=Q(is_open=True),
                name="queue_org_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"待办 家庭{self.household_id}"


class QueueItem(models.Model):
    """One policy the screening proposes for a household (or one member), and where the household stands with it.

    `proposed` follows the current screening result; a proposal that disappears and comes back (a new
    season) starts again at 待核实. The engine's current outcome is copied for the card.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    policy_id = models.CharField("政策", max_length=64)
    status = models.CharField("办理状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    reason = models.CharField("不申请原因", max_length=200, blank=True)
    proposed = models.BooleanField("筛查提出", default=True)
    outcome = models.CharField("筛查结果", max_length=16, blank=True)
    level_label = models.CharField("级别", max_length=32, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    missing_documents = models.JSONField("缺少的材料", default=list, blank=True)
    missing_facts = models.JSONField("缺少的信息", default=list, blank=True)
    result = models.ForeignKey(ScreeningResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_seen = models.DateField("提出日期")
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="household__org", cadre=_HOUSEHOLD_CADRE)

    class Meta:
        verbose_name = "帮扶待办政策"
        verbose_name_plural = "帮扶待办政策"
        constraints = [
            models.UniqueConstraint(
                fields=["household", "policy_id"], condition=Q(member__isnull=True), name="queueitem_household_once"
            ),
            models.UniqueConstraint(
                fields=["household", "policy_id", "member"],
                condition=Q(member__isnull=False),
                name="queueitem_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} 家庭{self.household_id} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        """On the card: proposed and not settled, or applied (an application in progress)."""
        if self.status == ItemStatus.APPLIED:
            return True
        return self.proposed and self.status not in (ItemStatus.DONE, ItemStatus.DECLINED)


class QueueWatermark(models.Model):
    """How far the queue has followed the screening (the last `screened_at` and household taken in); one row."""

    screened_until = models.DateTimeField("已同步到", null=True, blank=True)
    household_after = models.BigIntegerField("同一时刻已同步到的家庭", default=0)

    class Meta:
        verbose_name = "待办同步位置"
        verbose_name_plural = "待办同步位置"

    def __str__(self) -> str:
        return f"同步到 {self.screened_until}"
