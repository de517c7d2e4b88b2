"""Tickets (诉求工单) and their timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from niangjia.core.ranges import date_range
from niangjia.core.scoping import ScopeSpec
from niangjia.tickets.choices import (
    AttachmentPurpose,
    Channel,
    EventKind,
    HazardGrade,
    Kind,
    NeedCategory,
    Status,
    TicketClass,
)


class Ticket(models.Model):
    """One request that needs an answer, from intake to close.

    The requester's tracking code is shown once and stored only as its SHA-256 (`code_hash`).
    `escalate_after` is when the handling organization's time runs out: the deadline at first,
    a fresh period after each escalation, so a ticket moves up one level per period at most.
    """

    code_hash = models.CharField("查询码摘要", max_length=64, unique=True, editable=False)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    category = models.CharField("需求类别", max_length=16, choices=NeedCategory.choices, blank=True)
    title = models.CharField("事由", max_length=200)
    description = models.TextField("详细情况", max_length=2000, blank=True)
    worker = models.ForeignKey(
        "registry.Worker", verbose_name="职工", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anonymous = models.BooleanField("匿名", default=False)
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="承办组织", on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets_handled",
    )
    ticket_class = models.CharField("类别", max_length=16, choices=TicketClass.choices, default=TicketClass.ORDINARY)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField("接收时间")
    due_at = models.DateTimeField("办理期限")
    escalate_after = models.DateTimeField("上提时间")
    escalations = models.PositiveSmallIntegerField("上提次数", default=0)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    resolution = models.TextField("办理结果", max_length=2000, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Safety hazards only (kind "hazard"): triage, the enterprise told to rectify by a date, verification,
    # the referral to 应急管理部门, and the accident checklist 四不放过.
    hazard_grade = models.CharField("隐患等级", max_length=8, choices=HazardGrade.choices, blank=True)
    hazard_enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="涉及企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    verified_at = models.DateTimeField("整改验收时间", null=True, blank=True)
    referred_at = models.DateTimeField("移交应急管理部门时间", null=True, blank=True)
    cause_found = models.BooleanField("原因未查清不放过", default=False)
    responsible_dealt = models.BooleanField("责任人员未处理不放过", default=False)
    measures_done = models.BooleanField("整改措施未落实不放过", default=False)
    people_educated = models.BooleanField("有关人员未受到教育不放过", default=False)

    scope = ScopeSpec(org="org", cadre="handler")

    class Meta:
        verbose_name = "诉求工单"
        verbose_name_plural = "诉求工单"
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "escalate_after"], name="ticket_escalation_idx"),
            models.Index(fields=["org", "status", "due_at"], name="ticket_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="ticket_satisfaction_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"诉求 #{self.pk} {self.title}"


class TicketEvent(models.Model):
    """One line of a ticket's timeline: a transition, transfer, escalation, note or rating."""

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("事项", max_length=16, choices=EventKind.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices, blank=True)
    from_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="原承办组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.UnionOrg", verbose_name="新承办组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For an escalation: the ticket's escalation count after it, so one level is taken once.
    level = models.PositiveSmallIntegerField("上提层次", null=True, blank=True)
    note = models.TextField("说明", max_length=2000, blank=True)

    scope = ScopeSpec(org="ticket__org", cadre="ticket__handler")

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "level"], condition=Q(kind="escalated"), name="ticket_escalated_once_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PublicHit(models.Model):
    """How many public submissions or look-ups one client address made in one hour (rate limit)."""

    address_hash = models.CharField("地址摘要", max_length=64)
    bucket = models.CharField("用途", max_length=8)
    hour = models.DateTimeField("小时")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "公开页面访问计数"
        verbose_name_plural = "公开页面访问计数"
        constraints = [
            models.UniqueConstraint(fields=["address_hash", "bucket", "hour"], name="publichit_address_hour")
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.hour:%Y-%m-%d %H}:00 {self.count}"


class TicketAttachment(models.Model):
    """A photo or a paper of a ticket, checked by its content and stored under MEDIA_ROOT by its digest.

    Photos are re-encoded as JPEG without any metadata (no EXIF: no GPS, no device) and come with a
    thumbnail; a PDF is kept as sent. `size` and `sha256` are those of the stored file. The file's
    name as sent is never used for storing it.
    """

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField("用途", max_length=24, choices=AttachmentPurpose.choices)
    file = models.FileField("文件", max_length=120)
    thumb = models.FileField("缩略图", max_length=120, blank=True)
    content_type = models.CharField("文件类型", max_length=32)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    name = models.CharField("原文件名", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间")

    scope = ScopeSpec(org="ticket__org", cadre="ticket__handler")

    class Meta:
        verbose_name = "诉求附件"
        verbose_name_plural = "诉求附件"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "purpose"], name="ticket_attachment_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


class Cooperation(models.Model):
    """对接合作: a partner enterprise of the registry, or a provider by name, matched with an enterprise's problem,
    what it was to do, and — once finished — what came of it."""

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.CASCADE, related_name="cooperations")
    partner = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="合作企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner_name = models.CharField("合作方", max_length=200, blank=True)
    work = models.TextField("合作内容", max_length=2000)
    started_on = models.DateField("开始日期", validators=date_range())
    finished_on = models.DateField("完成日期", null=True, blank=True, validators=date_range())
    result = models.TextField("合作成效", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间")

    scope = ScopeSpec(org="ticket__org", cadre="ticket__handler")

    class Meta:
        verbose_name = "对接合作"
        verbose_name_plural = "对接合作"
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(partner_name=""), name="cooperation_names_a_partner"
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=F("started_on")),
                name="cooperation_finishes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"对接合作 {self.partner_label}"

    @property
    def partner_label(self) -> str:
        return self.partner.name if self.partner is not None else self.partner_name


class FollowUpCall(models.Model):
    """回访: a call to the requester after the ticket was resolved — who called, when, whether they were
    reached, and the satisfaction they gave on the call."""

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.CASCADE, related_name="followups")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField("回访时间")
    reached = models.BooleanField("联系上")
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField("回访情况", max_length=2000, blank=True)
    created_at = models.DateTimeField("记录时间")

    scope = ScopeSpec(org="ticket__org", cadre="ticket__handler")

    class Meta:
        verbose_name = "回访记录"
        verbose_name_plural = "回访记录"
        ordering = ["called_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(reached=True, satisfaction__gte=1, satisfaction__lte=5),
                name="followup_satisfaction_when_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"回访 {self.called_at:%Y-%m-%d %H:%M}"
