"""Facts with dates that policies read: life events, documents on file, aid received."""

from __future__ import annotations

from django.db import models

from niangjia.core.ranges import EVENT_DAYS_MAX, date_range, money_range, number_range, year_range
from niangjia.core.scoping import ScopeSpec
from niangjia.registry.choices import EventCause, EventKind, Severity
from niangjia.registry.models.household import HOUSEHOLD_CADRE, Household, HouseholdMember

_SCOPE = ScopeSpec(org="household__org", cadre=f"household__{HOUSEHOLD_CADRE}")


class LifeEvent(models.Model):
    """Something that happened to a member: an illness, a stay in hospital, an accident…"""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    member = models.ForeignKey(HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件类型", max_length=24, choices=EventKind.choices)
    date = models.DateField("日期", validators=date_range())
    severity = models.PositiveSmallIntegerField("严重程度", choices=Severity.choices, null=True, blank=True)
    cause = models.CharField("原因", max_length=24, choices=EventCause.choices, blank=True)
    days = models.PositiveSmallIntegerField(
        "天数", null=True, blank=True, validators=number_range(0, EVENT_DAYS_MAX, "天数")
    )
    amount = models.DecimalField(
        "金额", max_digits=12, decimal_places=2, null=True, blank=True, validators=money_range()
    )

    scope = _SCOPE

    class Meta:
        verbose_name = "家庭事件"
        verbose_name_plural = "家庭事件"
        indexes = [models.Index(fields=["household", "kind", "date"], name="event_household_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Document(models.Model):
    """Evidence on file for a household or one member (收入证明, 户口本, 病历…)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents")
    member = models.ForeignKey(
        HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("材料名称", max_length=32)
    received_on = models.DateField("收到日期", validators=date_range())
    note = models.CharField("说明", max_length=200, blank=True)

    scope = _SCOPE

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料"

    def __str__(self) -> str:
        return f"{self.kind}（{self.received_on}）"


class ReceivedAid(models.Model):
    """Assistance already paid to a household or member (history, and later the fund ledger's mirror)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="aid_received")
    member = models.ForeignKey(HouseholdMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    policy_id = models.CharField("政策编号", max_length=64)
    paid_on = models.DateField("发放日期", validators=date_range())
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2, validators=money_range())
    period = models.PositiveSmallIntegerField("所属年度/季", null=True, blank=True, validators=year_range())
    event = models.ForeignKey(LifeEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField("来源", max_length=64, blank=True)

    scope = _SCOPE

    class Meta:
        verbose_name = "已获帮扶"
        verbose_name_plural = "已获帮扶"
        indexes = [models.Index(fields=["household", "policy_id", "paid_on"], name="aid_household_idx")]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.amount}"
