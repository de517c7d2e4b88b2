"""Screening runs and their results (the cadres' work lists come from the current results)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from niangjia.core.scoping import ScopeSpec
from niangjia.registry.models import Household, HouseholdMember
from niangjia.registry.models.household import HOUSEHOLD_CADRE
from niangjia.screening.choices import Outcome, RunKind, RunStatus


class ScreeningRun(models.Model):
    """One run of the engine: when, as of which date, over which area, with which policy versions."""

    kind = models.CharField("类型", max_length=16, choices=RunKind.choices)
    as_of = models.DateField("筛查基准日")
    area_prefix = models.CharField("区划代码前缀", max_length=12, blank=True)
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    policies = models.JSONField("政策版本", default=list)
    files = models.JSONField("政策文件", default=list, help_text="所用政策文件的名称和 SHA-256，见 PolicyFile")
    counts = models.JSONField("结果统计", default=dict)
    households = models.PositiveIntegerField("筛查家庭数", default=0)
    seconds = models.FloatField("耗时(秒)", default=0)
    error = models.TextField("错误", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "筛查批次"
        verbose_name_plural = "筛查批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.as_of} ({self.area_prefix or '全部'})"


class ScreeningResult(models.Model):
    """A household's (or one member's) eligible or possibly-eligible outcome for one policy.

    Only eligible and possibly outcomes are stored; "not eligible" is shown on demand on
    the household page. `is_current` marks the latest outcome per household and policy.
    """

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    policy_id = models.CharField("政策", max_length=64)
    policy_version = models.CharField("政策版本", max_length=32)
    content_hash = models.CharField("政策文件哈希", max_length=64)
    parameters_hash = models.CharField("参数哈希", max_length=64, blank=True)
    as_of = models.DateField("筛查基准日")
    status = models.CharField("结果", max_length=16, choices=Outcome.choices)
    level = models.CharField("级别", max_length=32, blank=True)
    level_label = models.CharField("级别名称", max_length=32, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    reasons = models.TextField("理由", blank=True)
    hint = models.TextField("如何符合", blank=True)
    missing_facts = models.JSONField("缺少的信息", default=list)
    missing_documents = models.JSONField("缺少的材料", default=list)
    is_current = models.BooleanField("当前结果", default=True)

    scope = ScopeSpec(org="household__org", cadre=f"household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "筛查结果"
        verbose_name_plural = "筛查结果"
        indexes = [
            models.Index(fields=["household", "is_current"], name="result_household_idx"),
            models.Index(fields=["is_current", "policy_id", "status", "id"], name="result_worklist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.status} 家庭{self.household_id}"

    @property
    def reason_list(self) -> list[str]:
        return [part for part in self.reasons.split("；") if part]


class HouseholdScreenState(models.Model):
    """When a household was last screened; compared with `Household.facts_changed_at`."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, primary_key=True, related_name="+")
    screened_at = models.DateTimeField("上次筛查时间", db_index=True)

    class Meta:
        verbose_name = "家庭筛查状态"
        verbose_name_plural = "家庭筛查状态"

    def __str__(self) -> str:
        return f"家庭{self.household_id} {self.screened_at}"


class PolicyFile(models.Model):
    """The exact bytes of a policy or parameters file a run used, kept by content hash.

    With the run's as-of date and these files, any past list can be computed again
    (`niangjia screen --reproduce RUN`), whatever the policy directory holds today.
    """

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    name = models.CharField("文件名", max_length=128)
    content = models.TextField("内容")
    first_used_at = models.DateTimeField("首次使用", auto_now_add=True)

    class Meta:
        verbose_name = "政策文件快照"
        verbose_name_plural = "政策文件快照"

    def __str__(self) -> str:
        return f"{self.name} {self.sha256[:12]}"
