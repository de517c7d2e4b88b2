"""One-to-one contact households (一对一联系户) and the contacts made with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from niangjia.assistance.choices import ContactChannel, ContactFrequency
from niangjia.core.ranges import date_range
from niangjia.core.scoping import ScopeSpec
from niangjia.registry.models import Household


class ContactHousehold(models.Model):
    """A household one cadre keeps in regular touch with, at a set frequency.

    `next_due_on` (the last contact, or the start, plus the frequency) is kept by the services,
    so the due and overdue lists are one indexed range.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="联系干部", on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField("联系频次", max_length=16, choices=ContactFrequency.choices)
    reason = models.CharField("结对原因", max_length=200)
    started_on = models.DateField("开始日期", validators=date_range())
    ended_on = models.DateField("结束日期", null=True, blank=True, validators=date_range())
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    last_contact_on = models.DateField("上次联系", null=True, blank=True, validators=date_range())
    next_due_on = models.DateField("下次应联系", validators=date_range())
    active = models.BooleanField("联系中", default=True)

    scope = ScopeSpec(org="household__org", cadre="cadre")

    class Meta:
        verbose_name = "一对一联系户"
        verbose_name_plural = "一对一联系户"
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(active=True), name="contact_one_active")
        ]
        indexes = [
            models.Index(fields=["cadre", "active", "next_due_on"], name="contact_cadre_due_idx"),
            models.Index(fields=["active", "next_due_on"], name="contact_due_idx"),
        ]

    def __str__(self) -> str:
        return f"联系户 家庭{self.household_id}"


class ContactLog(models.Model):
    """One contact with a contact household; a campaign home visit is one (`via_visit_id`, once)."""

    contact = models.ForeignKey(ContactHousehold, on_delete=models.CASCADE, related_name="logs")
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="联系人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("联系时间")
    channel = models.CharField("方式", max_length=16, choices=ContactChannel.choices)
    via_visit_id = models.BigIntegerField("走访记录编号", null=True, blank=True, unique=True)
    note = models.CharField("情况", max_length=1000, blank=True)

    scope = ScopeSpec(org="contact__household__org", cadre="contact__cadre")

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"联系 {self.at:%Y-%m-%d}"
