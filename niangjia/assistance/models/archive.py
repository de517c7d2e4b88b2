"""The hardship archive (困难职工档案): one active archive per household, its history, notices and reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.assistance.choices import (
    ACTIVE_ARCHIVE,
    ArchiveSource,
    ArchiveStatus,
    Cause,
    ExitRoute,
    HardshipLevel,
    NoticeStatus,
    ObjectionOutcome,
)
from niangjia.core.ranges import date_range
from niangjia.core.scoping import ScopeSpec
from niangjia.registry.models import Household
from niangjia.registry.models.household import HOUSEHOLD_CADRE

_SCOPE = ScopeSpec(org="household__org", cadre=f"household__{HOUSEHOLD_CADRE}")


class HardshipArchive(models.Model):
    """A household's hardship archive: level, causes, evidence and where it stands.

    Created from a screening result or a cadre's assessment as 疑似困难; archived after
    verification and a public notice without an upheld objection. While archived (and under
    review) the household's `archive_level` in the registry is this archive's level — the
    fact the engine reads.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=ArchiveStatus.choices, default=ArchiveStatus.SUSPECTED)
    level = models.CharField("困难类别", max_length=16, choices=HardshipLevel.choices)
    main_cause = models.CharField("主要致困原因", max_length=24, choices=Cause.choices)
    secondary_causes = models.JSONField("次要致困原因", default=list, blank=True)
    cause_note = models.CharField("致困原因说明", max_length=200, blank=True)
    evidence = models.TextField("核实依据", max_length=2000, blank=True)
    source = models.CharField("来源", max_length=16, choices=ArchiveSource.choices)
    # The engine's decision when the archive came from a screening result (policy, version, hash, reasons).
    screening = models.JSONField("筛查依据", default=dict, blank=True)
    archived_on = models.DateField("建档日期", null=True, blank=True, validators=date_range())
    last_review_date = models.DateField("上次复核日期", null=True, blank=True, validators=date_range())
    exit_route = models.CharField("脱困途径", max_length=16, choices=ExitRoute.choices, blank=True)
    closed_reason = models.CharField("脱困或注销原因", max_length=200, blank=True)
    closed_on = models.DateField("脱困或注销日期", null=True, blank=True, validators=date_range())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间")

    scope = _SCOPE

    class Meta:
        verbose_name = "困难职工档案"
        verbose_name_plural = "困难职工档案"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=[s.value for s in ACTIVE_ARCHIVE]),
                name="archive_one_active_per_household",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_review_date"], name="archive_review_idx"),
            models.Index(fields=["status", "updated_at"], name="archive_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"困难档案 #{self.pk}（{self.get_level_display()}，{self.get_status_display()}）"

    @property
    def secondary_labels(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(code, code)) for code in self.secondary_causes]


class ArchiveEvent(models.Model):
    """One line of an archive's status history: a move with its reason, or a change of level or causes."""

    archive = models.ForeignKey(HardshipArchive, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    move = models.CharField("操作", max_length=24)
    from_status = models.CharField("原状态", max_length=16, choices=ArchiveStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=ArchiveStatus.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    scope = ScopeSpec(org="archive__household__org", cadre=f"archive__household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "档案状态记录"
        verbose_name_plural = "档案状态记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.move} {self.at:%Y-%m-%d}"


class PublicNotice(models.Model):
    """公示: where and from when to when an archive was made public, and its result."""

    archive = models.ForeignKey(HardshipArchive, on_delete=models.CASCADE, related_name="notices")
    starts_on = models.DateField("公示开始", validators=date_range())
    ends_on = models.DateField("公示结束", validators=date_range())
    place = models.CharField("公示地点", max_length=100)
    status = models.CharField("结果", max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    closed_at = models.DateTimeField("结束登记时间", null=True, blank=True)

    scope = ScopeSpec(org="archive__household__org", cadre=f"archive__household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "建档公示"
        verbose_name_plural = "建档公示"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"公示 {self.starts_on}–{self.ends_on}"


class NoticeObjection(models.Model):
    """An objection raised during a public notice, and what checking it found."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField("收到日期", validators=date_range())
    content = models.CharField("异议内容", max_length=500)
    outcome = models.CharField(
        "核查结果", max_length=16, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING
    )
    finding = models.CharField("核查情况", max_length=500, blank=True)

    scope = ScopeSpec(org="notice__archive__household__org", cadre=f"notice__archive__household__{HOUSEHOLD_CADRE}")

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"异议 {self.received_on}"
