"""Visits (走企 / 入户) and what they bring back: photos, needs as tickets, hardship signals, fact conflicts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.core.ranges import LAT_RANGE, LNG_RANGE, date_range, number_range
from niangjia.core.scoping import ScopeSpec
from niangjia.outreach.visit_choices import ConflictChoice, ConflictStatus, NeedKind, SignalKind, VisitKind

PEOPLE_MET_MAX = 9999


class Visit(models.Model):
    """One visit to an enterprise (走企) or a worker's home (入户) during a campaign.

    `client_id` is the id the phone generated when the form was filled (offline too): a sync
    retried any number of times finds the visit it already created. `org` is the organization
    responsible for what was visited (the enterprise's or the household's), copied at recording
    so that scoping and the progress figures group visits without a join through the registry.
    """

    client_id = models.UUIDField("客户端编号", unique=True, editable=False)
    campaign = models.ForeignKey(
        "outreach.Campaign", verbose_name="走访活动", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField("走访类型", max_length=12, choices=VisitKind.choices)
    date = models.DateField("走访日期", validators=date_range())
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name="家庭", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey("orgs.UnionOrg", verbose_name="负责工会", on_delete=models.PROTECT, related_name="+")
    cadres = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="走访干部", related_name="visits")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    people_met = models.PositiveSmallIntegerField(
        "见到人数", default=0, validators=number_range(0, PEOPLE_MET_MAX, "见到人数")
    )
    people_notes = models.CharField("见到的人", max_length=200, blank=True)
    lat = models.DecimalField(
        "纬度", max_digits=9, decimal_places=6, null=True, blank=True, validators=number_range(*LAT_RANGE, "纬度")
    )
    lng = models.DecimalField(
        "经度", max_digits=9, decimal_places=6, null=True, blank=True, validators=number_range(*LNG_RANGE, "经度")
    )
    # The 三清 checklist of a home visit: 基本情况清、困难情况清、已获帮扶清.
    basic_clear = models.BooleanField("基本情况清", default=False)
    hardship_clear = models.BooleanField("困难情况清", default=False)
    aid_clear = models.BooleanField("已获帮扶清", default=False)
    follow_up = models.BooleanField("回访", default=False, help_text="此前在本次活动中已走访过同一企业或家庭")
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=number_range(1, 5, "满意度")
    )
    notes = models.TextField("走访情况", max_length=2000, blank=True)
    recorded_at = models.DateTimeField("填报时间", help_text="手机上填写表单的时间（离线时早于同步）")
    synced_at = models.DateTimeField("同步时间", auto_now_add=True)

    scope = ScopeSpec(org="org", cadre="cadres")

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["campaign", "enterprise", "date"], name="visit_enterprise_idx"),
            models.Index(fields=["campaign", "household", "date"], name="visit_household_idx"),
            models.Index(fields=["campaign", "org"], name="visit_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=VisitKind.ENTERPRISE, enterprise__isnull=False, household__isnull=True))
                | Q(kind=VisitKind.HOME, household__isnull=False, enterprise__isnull=True),
                name="visit_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="visit_satisfaction_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


def photo_path(instance: VisitPhoto, filename: str) -> str:
    """Where a photo is kept under MEDIA_ROOT: by visit month, named by its client id (never the upload's name)."""
    day = instance.visit.date
    return f"outreach/visits/{day:%Y/%m}/{instance.client_id}.jpg"


class VisitPhoto(models.Model):
    """A photo taken on a visit: checked by content, resized, stripped of EXIF, stored as JPEG."""

    visit = models.ForeignKey(Visit, verbose_name="走访记录", on_delete=models.CASCADE, related_name="photos")
    client_id = models.UUIDField("客户端编号", editable=False)
    image = models.FileField("照片", upload_to=photo_path, max_length=200)
    width = models.PositiveSmallIntegerField("宽")
    height = models.PositiveSmallIntegerField("高")
    bytes = models.PositiveIntegerField("大小(字节)")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope = ScopeSpec(org="visit__org", cadre="visit__cadres")

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"
        constraints = [models.UniqueConstraint(fields=["visit", "client_id"], name="visit_photo_once")]

    def __str__(self) -> str:
        return f"照片 {self.client_id}"


class VisitNeed(models.Model):
    """A need or an enterprise problem raised on a visit, and the ticket it became."""

    visit = models.ForeignKey(Visit, verbose_name="走访记录", on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField("类型", max_length=24, choices=NeedKind.choices)
    ticket = models.OneToOneField(
        "tickets.Ticket", verbose_name="诉求工单", on_delete=models.PROTECT, related_name="visit_need"
    )

    scope = ScopeSpec(org="visit__org", cadre="visit__cadres")

    class Meta:
        verbose_name = "走访收集的需求"
        verbose_name_plural = "走访收集的需求"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → 诉求 #{self.ticket_id}"


class VisitSignal(models.Model):
    """A hardship signal noticed on a home visit and the household facts it proposed.

    `values` are the facts the signal sets ({fact: value}); `base` the values the cadre's phone
    showed when the form was loaded. Facts whose server value had moved away from `base` are
    not written: each becomes a `FactConflict` for a person to settle.
    """

    visit = models.ForeignKey(Visit, verbose_name="走访记录", on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField("困难情况", max_length=16, choices=SignalKind.choices)
    member = models.ForeignKey(
        "registry.HouseholdMember",
        verbose_name="家庭成员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    values = models.JSONField("填报的情况", default=dict)
    base = models.JSONField("填报时看到的原值", default=dict)
    applied = models.JSONField("已写入的情况", default=list)

    scope = ScopeSpec(org="visit__org", cadre="visit__cadres")

    class Meta:
        verbose_name = "困难信号"
        verbose_name_plural = "困难信号"

    def __str__(self) -> str:
        return self.get_kind_display()


class FactConflict(models.Model):
    """Two edits of one household fact that disagree; the fact waits until a person chooses.

    `base` is what the visiting cadre saw, `proposed` what they recorded, `current` what the
    registry held when the visit synced. Values are kept as JSON text of the fact's value.
    """

    signal = models.ForeignKey(VisitSignal, verbose_name="困难信号", on_delete=models.CASCADE, related_name="conflicts")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        "registry.HouseholdMember",
        verbose_name="家庭成员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    fact = models.CharField("情况项", max_length=32)
    base = models.JSONField("填报时的原值", null=True, blank=True)
    proposed = models.JSONField("走访填报的值", null=True, blank=True)
    current = models.JSONField("系统中的值", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    choice = models.CharField("确认结果", max_length=12, choices=ConflictChoice.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    # District staff see the conflicts of their households; a cadre those of their own visits.
    scope = ScopeSpec(org="household__org", cadre="signal__visit__cadres")

    class Meta:
        verbose_name = "情况冲突"
        verbose_name_plural = "情况冲突"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "id"], name="conflict_status_idx")]

    def __str__(self) -> str:
        return f"家庭 {self.household_id} {self.fact}"
