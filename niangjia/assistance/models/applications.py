"""Applications for a policy's benefit, their papers, the engine's decisions and their timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.assistance.choices import (
    OPEN_APPLICATION,
    ApplicationStatus,
    ApprovalLevel,
    Authorisation,
    DecisionStage,
    PaperHolder,
    PaperStatus,
)
from niangjia.core.ranges import date_range, money_range, year_range
from niangjia.core.scoping import ScopeSpec
from niangjia.orgs.models import UnionOrg
from niangjia.registry.models import Document, Household, HouseholdMember
from niangjia.registry.models.household import HOUSEHOLD_CADRE

_HOUSEHOLD_CADRE = f"household__{HOUSEHOLD_CADRE}"
_OPEN = [s.value for s in OPEN_APPLICATION]


class Application(models.Model):
    """A request for one policy's benefit, for a household or one member (申请 / 代办).

    Filed by the worker (a staff member records it) or by a cadre on their behalf
    (`filed_by_proxy`, with how the worker authorised it). The engine's decision is kept at
    filing and checked again at approval and at payment (`Decision`); who filed cannot approve.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        HouseholdMember, verbose_name="受助成员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(HouseholdMember, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    policy_id = models.CharField("政策", max_length=64)
    policy_name = models.CharField("政策名称", max_length=64)
    org = models.ForeignKey(UnionOrg, verbose_name="负责工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    level = models.CharField("级别", max_length=32, blank=True)
    level_label = models.CharField("级别名称", max_length=32, blank=True)
    amount = models.DecimalField("申请金额", max_digits=12, decimal_places=2, validators=money_range())
    approved_amount = models.DecimalField(
        "批准金额", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )
    period = models.PositiveSmallIntegerField("所属年度/季", validators=year_range())
    filed_by_proxy = models.BooleanField("干部代办", default=False)
    authorisation = models.CharField("委托方式", max_length=24, choices=Authorisation.choices, blank=True)
    authorised_on = models.DateField("委托日期", null=True, blank=True, validators=date_range())
    authorisation_note = models.CharField("委托说明", max_length=200, blank=True)
    note = models.CharField("申请说明", max_length=1000, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("登记时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_level = models.CharField("审批层级", max_length=16, choices=ApprovalLevel.choices, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reject_reason = models.CharField("退回原因", max_length=500, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True, validators=date_range())
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        "funds.Commitment", verbose_name="资金占用", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disbursement = models.ForeignKey(
        "funds.Disbursement", verbose_name="资金发放", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey("assistance.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(org="org", cadre=_HOUSEHOLD_CADRE)

    class Meta:
        verbose_name = "帮扶申请"
        verbose_name_plural = "帮扶申请"
        ordering = ["-id"]
        constraints = [
            # One application in progress per household, policy and member; once-per-period rules
            # are the engine's, checked again at approval and at payment.
            models.UniqueConstraint(
                fields=["household", "policy_id"],
                condition=Q(member__isnull=True, status__in=_OPEN),
                name="application_household_open_once",
            ),
            models.UniqueConstraint(
                fields=["household", "policy_id", "member"],
                condition=Q(member__isnull=False, status__in=_OPEN),
                name="application_member_open_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "org", "id"], name="application_status_idx"),
            models.Index(fields=["household", "policy_id"], name="application_household_idx"),
        ]

    def __str__(self) -> str:
        return f"申请 #{self.pk} {self.policy_name}"


class Decision(models.Model):
    """The engine's decision on an application at one stage, with what it was decided by."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField("阶段", max_length=16, choices=DecisionStage.choices)
    as_of = models.DateField("基准日")
    policy_version = models.CharField("政策版本", max_length=32)
    content_hash = models.CharField("政策文件哈希", max_length=64)
    parameters_hash = models.CharField("参数哈希", max_length=64, blank=True)
    status = models.CharField("结果", max_length=16)
    level = models.CharField("级别", max_length=32, blank=True)
    level_label = models.CharField("级别名称", max_length=32, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, null=True, blank=True)
    reasons = models.TextField("理由", blank=True)
    hint = models.TextField("如何符合", blank=True)
    missing_facts = models.JSONField("缺少的信息", default=list, blank=True)
    missing_documents = models.JSONField("缺少的材料", default=list, blank=True)
    checked_at = models.DateTimeField("核验时间")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = ScopeSpec(org="application__org", cadre=f"application__{_HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "政策核验结果"
        verbose_name_plural = "政策核验结果"
        ordering = ["checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.status}"

    @property
    def reason_list(self) -> list[str]:
        return [part for part in self.reasons.split("；") if part]


class Paper(models.Model):
    """One paper on an application's checklist: whether it is in, who holds it, its registry record."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField("材料名称", max_length=32)
    required = models.BooleanField("政策要求", default=True)
    status = models.CharField("状态", max_length=16, choices=PaperStatus.choices, default=PaperStatus.MISSING)
    holder = models.CharField("材料保管", max_length=16, choices=PaperHolder.choices, blank=True)
    received_on = models.DateField("收到日期", null=True, blank=True, validators=date_range())
    note = models.CharField("说明", max_length=200, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(org="application__org", cadre=f"application__{_HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="paper_once_per_application")]

    def __str__(self) -> str:
        return f"{self.kind}（{self.get_status_display()}）"


class PaperFile(models.Model):
    """An uploaded scan or photo of a paper (PDF, JPEG or PNG, checked by content); served by a scoped view."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to="assistance/papers/%Y/%m/", max_length=200)
    content_type = models.CharField("类型", max_length=32)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    original_name = models.CharField("原文件名", max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    scope = ScopeSpec(org="paper__application__org", cadre=f"paper__application__{_HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "材料文件"
        verbose_name_plural = "材料文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """One line of an application's timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    move = models.CharField("操作", max_length=24)
    from_status = models.CharField("原状态", max_length=16, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=ApplicationStatus.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    scope = ScopeSpec(org="application__org", cadre=f"application__{_HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "申请办理记录"
        verbose_name_plural = "申请办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.move} {self.at:%Y-%m-%d}"
