"""Indicators over assistance and its money: applications (代办 or not), approvals, payments, money paid
by programme and by level (市、区两级统筹), households helped by emergency relief and by 送温暖.

An application belongs to a campaign when it was filed within the campaign's period in its area; a payment
when it was paid within the period to a household of the area. Both count under the application's
organization and for the staff member who filed it. Money is the paid disbursements (returned ones are not).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from niangjia.assistance.choices import ApplicationStatus
from niangjia.assistance.models import Application
from niangjia.funds.choices import DisbursementStatus, PoolLevel, Programme
from niangjia.outreach.models import Campaign
from niangjia.registry.models import Household
from niangjia.reports.choices import Measure
from niangjia.reports.indicators.base import Column, Indicator, Listing, Source, campaign_area, campaign_period

APPLICATIONS_SECTION = "帮扶申请"
MONEY_SECTION = "帮扶资金"

APPLICATIONS = Listing(
    model=Application,
    columns=(
        Column("申请", lambda a: f"#{a.pk}"),
        Column("政策", lambda a: a.policy_name),
        Column("负责工会", lambda a: a.org.name),
        Column("干部代办", lambda a: "是" if a.filed_by_proxy else "否"),
        Column("状态", lambda a: a.get_status_display()),
        Column("登记时间", lambda a: timezone.localtime(a.filed_at).strftime("%Y-%m-%d")),
        Column("金额", lambda a: a.approved_amount if a.approved_amount is not None else a.amount, sensitive=True),
    ),
    related=("org",),
)
PAYMENTS = Listing(
    model=Application,
    columns=(
        Column("申请", lambda a: f"#{a.pk}"),
        Column("政策", lambda a: a.policy_name),
        Column("负责工会", lambda a: a.org.name),
        Column("资金池", lambda a: a.disbursement.pool.name if a.disbursement_id else ""),
        Column("发放日期", lambda a: a.paid_on or ""),
        Column("金额", lambda a: a.disbursement.amount if a.disbursement_id else "", sensitive=True),
    ),
    related=("org", "disbursement__pool"),
)
HOUSEHOLDS = Listing(
    model=Household,
    columns=(
        Column("家庭", lambda h: f"家庭 #{h.pk}"),
        Column("负责工会", lambda h: h.org.name),
        Column("所在区划", lambda h: h.area.name),
    ),
    related=("org", "area"),
    link=lambda h: reverse("registry:household_detail", args=[h.pk]),
)


def filed(campaign: Campaign) -> QuerySet[Application]:
    """Applications filed within the campaign's period in its area."""
    return Application.objects.filter(
        campaign_period(campaign, "filed_at", is_datetime=True), campaign_area(campaign, "org")
    )


def paid(campaign: Campaign) -> QuerySet[Application]:
    """Applications paid (and not returned) within the campaign's period, to households of its area."""
    return Application.objects.filter(
        campaign_period(campaign, "disbursement__paid_at", is_datetime=True),
        campaign_area(campaign, "org"),
        disbursement__status=DisbursementStatus.PAID,
    )


def _filed(**filters: Any) -> Any:
    return lambda campaign: filed(campaign).filter(**filters)


def _paid(**filters: Any) -> Any:
    return lambda campaign: paid(campaign).filter(**filters)


def _application_source(records: Any, day: str) -> Source:
    return Source(records=records, day=day, org="org", cadre="filed_by", listing=APPLICATIONS)


def _money_source(records: Any) -> Source:
    return Source(
        records=records,
        day="disbursement__paid_at",
        org="org",
        cadre="filed_by",
        amount="disbursement__amount",
        listing=PAYMENTS,
    )


def _money(code: str, label: str, definition: str, **filters: Any) -> Indicator:
    return Indicator(
        code=code,
        label=label,
        definition=definition,
        unit="元",
        measure=Measure.MONEY,
        part="funds",
        section=MONEY_SECTION,
        people=True,
        sensitive=True,
        source=_money_source(_paid(**filters)),
    )


LEVELS = [(PoolLevel.CITY, "money_city"), (PoolLevel.DISTRICT, "money_district")]
PROGRAMMES = [(programme, f"money_{programme.value}") for programme in Programme]

INDICATORS = [
    Indicator(
        code="applications_filed",
        label="登记帮扶申请",
        definition="活动期间在活动范围内登记的帮扶申请件数（含后来退回、撤回的），以登记日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="assistance",
        section=APPLICATIONS_SECTION,
        people=True,
        sensitive=True,
        source=_application_source(_filed(), "filed_at"),
        parts=("applications_proxy", "applications_self"),
    ),
    Indicator(
        code="applications_proxy",
        label="其中干部代办",
        definition="上述申请中由工会干部代职工办理（跑腿代办）的件数。",
        unit="件",
        measure=Measure.COUNT,
        part="assistance",
        section=APPLICATIONS_SECTION,
        people=True,
        sensitive=True,
        source=_application_source(_filed(filed_by_proxy=True), "filed_at"),
    ),
    Indicator(
        code="applications_self",
        label="其中职工自行申请",
        definition="上述申请中职工本人申请、由工作人员登记的件数。",
        unit="件",
        measure=Measure.COUNT,
        part="assistance",
        section=APPLICATIONS_SECTION,
        people=True,
        sensitive=True,
        source=_application_source(_filed(filed_by_proxy=False), "filed_at"),
    ),
    Indicator(
        code="applications_approved",
        label="审批通过",
        definition="上述申请中已审批通过的件数（含已发放的），以审批日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="assistance",
        section=APPLICATIONS_SECTION,
        people=True,
        sensitive=True,
        source=_application_source(
            _filed(decided_at__isnull=False, status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID]),
            "decided_at",
        ),
    ),
    Indicator(
        code="applications_paid",
        label="已发放",
        definition="上述申请中已发放到户的件数，以发放日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="assistance",
        section=APPLICATIONS_SECTION,
        people=True,
        sensitive=True,
        source=_application_source(_filed(status=ApplicationStatus.PAID, paid_on__isnull=False), "paid_on"),
    ),
    Indicator(
        code="money_paid",
        label="发放帮扶资金",
        definition="活动期间向活动范围内家庭发放（未退回）的帮扶资金合计，市、区两级资金池均计，以发放时间计。",
        unit="元",
        measure=Measure.MONEY,
        part="funds",
        section=MONEY_SECTION,
        people=True,
        sensitive=True,
        source=_money_source(_paid()),
        parts=tuple(code for _, code in LEVELS),
        splits=(tuple(code for _, code in PROGRAMMES),),
        headline=True,
    ),
    *[
        _money(
            code, f"{level.label}资金", f"上述资金中由{level.label}资金池发放的部分。", disbursement__pool__level=level
        )
        for level, code in LEVELS
    ],
    *[
        _money(
            code,
            f"{programme.label}资金",
            f"上述资金中{programme.label}项目资金池发放的部分。",
            disbursement__pool__programme=programme,
        )
        for programme, code in PROGRAMMES
    ],
    Indicator(
        code="helped_emergency",
        label="紧急救助",
        definition="活动期间获紧急救助项目资金发放的家庭数，每户只计一次，以首次发放时间计。",
        unit="户",
        measure=Measure.COUNT,
        part="funds",
        section=MONEY_SECTION,
        people=True,
        sensitive=True,
        source=Source(
            records=_paid(disbursement__pool__programme=Programme.EMERGENCY),
            day="disbursement__paid_at",
            org="household__org",
            cadre="filed_by",
            subject="household_id",
            listing=HOUSEHOLDS,
        ),
        headline=True,
    ),
    Indicator(
        code="helped_warmth",
        label="送温暖帮扶",
        definition="活动期间获送温暖项目资金发放的家庭数，每户只计一次，以首次发放时间计。",
        unit="户",
        measure=Measure.COUNT,
        part="funds",
        section=MONEY_SECTION,
        people=True,
        sensitive=True,
        source=Source(
            records=_paid(disbursement__pool__programme=Programme.WARMTH),
            day="disbursement__paid_at",
            org="household__org",
            cadre="filed_by",
            subject="household_id",
            listing=HOUSEHOLDS,
        ),
        headline=True,
    ),
]
