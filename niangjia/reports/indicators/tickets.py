"""Indicators over tickets (诉求工单): safety hazards and deadlines (needs raised on visits: visits.py).

A ticket belongs to a campaign when it was received within the campaign's period in its area; it counts
under the organization handling it now and for its handler. Tickets are not linked to a campaign by a key.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from niangjia.outreach.models import Campaign
from niangjia.reports.choices import Measure
from niangjia.reports.indicators.base import Column, Indicator, Listing, Source, campaign_area, campaign_period
from niangjia.tickets.choices import Kind
from niangjia.tickets.models import Ticket


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


TICKETS = Listing(
    model=Ticket,
    columns=(
        Column("编号", lambda t: f"#{t.pk}"),
        Column("类型", lambda t: t.get_kind_display()),
        Column("事由", lambda t: t.title),
        Column("承办组织", lambda t: t.org.name),
        Column("状态", lambda t: t.get_status_display()),
        Column("收到时间", lambda t: _local(t.received_at)),
        Column("办结时间", lambda t: _local(t.resolved_at)),
        Column("办理期限", lambda t: _local(t.due_at)),
    ),
    related=("org",),
    link=lambda t: reverse("tickets:detail", args=[t.pk]),
)


def campaign_tickets(campaign: Campaign) -> QuerySet[Ticket]:
    """The tickets received within the campaign's period in its area."""
    return Ticket.objects.filter(
        campaign_period(campaign, "received_at", is_datetime=True), campaign_area(campaign, "org")
    )


def _kind(kind: str, **filters: Any) -> Any:
    return lambda campaign: campaign_tickets(campaign).filter(kind=kind, **filters)


def _source(records: Any, day: str) -> Source:
    return Source(records=records, day=day, org="org", cadre="handler", listing=TICKETS)


SECTION = "问需解难"
INDICATORS = [
    Indicator(
        code="hazards_reported",
        label="排查安全隐患",
        definition="活动期间在活动范围内收到的安全隐患报告件数（含匿名举报），以收到日期计。",
        unit="处",
        measure=Measure.COUNT,
        part="tickets",
        section=SECTION,
        source=_source(_kind(Kind.HAZARD), "received_at"),
    ),
    Indicator(
        code="hazards_rectified",
        label="隐患整改验收",
        definition="上述安全隐患中已整改并经验收的件数，以验收日期计。",
        unit="处",
        measure=Measure.COUNT,
        part="tickets",
        section=SECTION,
        source=_source(_kind(Kind.HAZARD, verified_at__isnull=False), "verified_at"),
        headline=True,
    ),
    Indicator(
        code="tickets_resolved",
        label="诉求办结",
        definition="活动期间在活动范围内收到、已办结的诉求件数（各类型），以办结日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="tickets",
        section=SECTION,
        people=True,
        source=_source(lambda c: campaign_tickets(c).filter(resolved_at__isnull=False), "resolved_at"),
    ),
    Indicator(
        code="tickets_on_time",
        label="按期办结",
        definition="上述办结诉求中在办理期限内办结的件数（办结时间不晚于办理期限）。",
        unit="件",
        measure=Measure.COUNT,
        part="tickets",
        section=SECTION,
        people=True,
        source=_source(lambda c: campaign_tickets(c).filter(resolved_at__lte=F("due_at")), "resolved_at"),
    ),
    Indicator(
        code="tickets_on_time_rate",
        label="按期办结率",
        definition="按期办结件数 ÷ 诉求办结件数。",
        unit="%",
        measure=Measure.RATIO,
        part="tickets",
        section=SECTION,
        of=("tickets_on_time", "tickets_resolved"),
        headline=True,
    ),
]
