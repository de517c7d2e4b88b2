"""Indicators over the campaign's visits (走企 / 入户): coverage, 三清, hardship found, needs, satisfaction.

A visit counts under the organization responsible for what was visited (`Visit.org`, copied when it was
recorded, as the outreach part's progress page groups it) and for each cadre who made it. Enterprises and
households count once, on the day of their first visit that qualifies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from niangjia.outreach.models import Campaign, Visit, VisitNeed
from niangjia.outreach.visit_choices import NeedKind, VisitKind
from niangjia.registry.models import Enterprise, Household
from niangjia.reports.choices import Measure
from niangjia.reports.indicators.base import Column, Indicator, Listing, Source

COVERAGE = "走访进度"
HARDSHIP = "困难职工"
NEEDS = "问需解难"
SATISFACTION = "满意度"

ENTERPRISES = Listing(
    model=Enterprise,
    columns=(
        Column("企业", lambda e: e.name),
        Column("负责工会", lambda e: e.org.name),
        Column("所在区划", lambda e: e.area.name),
    ),
    related=("org", "area"),
    link=lambda e: reverse("registry:enterprise_detail", args=[e.pk]),
)
HOUSEHOLDS = Listing(
    model=Household,
    columns=(
        Column("家庭", lambda h: f"家庭 #{h.pk}"),
        Column("负责工会", lambda h: h.org.name),
        Column("所在区划", lambda h: h.area.name),
        Column("建档级别", lambda h: h.get_archive_level_display() or "未建档", sensitive=True),
        Column("建档日期", lambda h: h.archived_on or "", sensitive=True),
    ),
    related=("org", "area"),
    link=lambda h: reverse("registry:household_detail", args=[h.pk]),
)
VISITS = Listing(
    model=Visit,
    columns=(
        Column("走访日期", lambda v: v.date),
        Column("类型", lambda v: v.get_kind_display()),
        Column("对象", lambda v: v.enterprise.name if v.enterprise_id else f"家庭 #{v.household_id}"),
        Column("负责工会", lambda v: v.org.name),
        Column("回访", lambda v: "是" if v.follow_up else "否"),
        Column("满意度", lambda v: f"{v.satisfaction} 分" if v.satisfaction else "未评价"),
    ),
    related=("org", "enterprise"),
)
NEED_LIST = Listing(
    model=VisitNeed,
    columns=(
        Column("诉求", lambda n: f"#{n.ticket_id}"),
        Column("类型", lambda n: n.get_kind_display()),
        Column("事由", lambda n: n.ticket.title),
        Column("走访日期", lambda n: n.visit.date),
        Column("负责工会", lambda n: n.visit.org.name),
        Column("状态", lambda n: n.ticket.get_status_display()),
    ),
    related=("ticket", "visit__org"),
    link=lambda n: reverse("tickets:detail", args=[n.ticket_id]),
)


def visits(campaign: Campaign) -> QuerySet[Visit]:
    return Visit.objects.filter(campaign=campaign)


def _visits(**filters: Any) -> Any:
    return lambda campaign: visits(campaign).filter(**filters)


def _where(condition: Q, **filters: Any) -> Any:
    return lambda campaign: visits(campaign).filter(condition, **filters)


def _visit_source(
    records: Any, *, subject: str | None = None, listing: Listing = VISITS, amount: str | None = None
) -> Source:
    return Source(
        records=records, day="date", org="org", cadre="cadres", subject=subject, amount=amount, listing=listing
    )


def _needs(kind: str, **filters: Any) -> Any:
    return lambda campaign: VisitNeed.objects.filter(visit__campaign=campaign, kind=kind, **filters)


def _need_source(records: Any, day: str) -> Source:
    return Source(records=records, day=day, org="visit__org", cadre="visit__cadres", listing=NEED_LIST)


# Hardship among the households visited: in the archive before the campaign began ("原已建档"), or not
# then but a hardship signal on a campaign visit or archived since ("新识别"). Both together: "发现".
def _archived_before(campaign: Campaign) -> Q:
    return Q(household__archive_level__gt="") & (
        Q(household__archived_on__lt=campaign.starts_on) | Q(household__archived_on__isnull=True)
    )


def _found_new(campaign: Campaign) -> Q:
    return ~_archived_before(campaign) & (
        Q(signals__isnull=False) | Q(household__archive_level__gt="", household__archived_on__gte=campaign.starts_on)
    )


def _hardship(which: str) -> Any:
    def records(campaign: Campaign) -> QuerySet[Visit]:
        home = visits(campaign).filter(kind=VisitKind.HOME)
        if which == "archived":
            return home.filter(_archived_before(campaign))
        if which == "new":
            return home.filter(_found_new(campaign))
        return home.filter(_archived_before(campaign) | _found_new(campaign))

    return records


INDICATORS = [
    Indicator(
        code="enterprises_visited",
        label="走访企业",
        definition="本活动中至少走访过一次的企业数（走企），每家只计一次，以首次走访日期计。",
        unit="家",
        measure=Measure.COUNT,
        part="outreach",
        section=COVERAGE,
        source=_visit_source(_visits(kind=VisitKind.ENTERPRISE), subject="enterprise_id", listing=ENTERPRISES),
        headline=True,
    ),
    Indicator(
        code="enterprises_progress",
        label="走访企业完成率",
        definition="走访企业数 ÷ 走访企业目标（只有下达了目标的区县有完成率）。",
        unit="%",
        measure=Measure.RATIO,
        part="outreach",
        section=COVERAGE,
        of=("enterprises_visited", "enterprises_target"),
    ),
    Indicator(
        code="homes_visited",
        label="入户走访家庭",
        definition="本活动中至少入户走访过一次的职工家庭数，每户只计一次，以首次入户日期计。",
        unit="户",
        measure=Measure.COUNT,
        part="outreach",
        section=COVERAGE,
        people=True,
        source=_visit_source(_visits(kind=VisitKind.HOME), subject="household_id", listing=HOUSEHOLDS),
        headline=True,
    ),
    Indicator(
        code="homes_progress",
        label="入户走访完成率",
        definition="入户走访家庭数 ÷ 入户走访目标。",
        unit="%",
        measure=Measure.RATIO,
        part="outreach",
        section=COVERAGE,
        people=True,
        of=("homes_visited", "homes_target"),
    ),
    Indicator(
        code="homes_three_clear",
        label="入户“三清”家庭",
        definition="入户走访中做到基本情况清、困难情况清、已获帮扶清（三项都勾选）的家庭数，每户只计一次。",
        unit="户",
        measure=Measure.COUNT,
        part="outreach",
        section=COVERAGE,
        people=True,
        source=_visit_source(
            _visits(kind=VisitKind.HOME, basic_clear=True, hardship_clear=True, aid_clear=True),
            subject="household_id",
            listing=HOUSEHOLDS,
        ),
    ),
    Indicator(
        code="workers_visited",
        label="见到职工",
        definition="各次走访填报的“见到人数”之和（人次；同一职工多次见到按多次计）。",
        unit="人次",
        measure=Measure.SUM,
        part="outreach",
        section=COVERAGE,
        people=True,
        source=_visit_source(_visits(people_met__gt=0), amount="people_met"),
        headline=True,
    ),
    Indicator(
        code="hardship_found",
        label="发现困难家庭",
        definition="入户走访的家庭中，活动开始前已在困难职工档案中、或走访时发现困难情况、或活动期间新建档的家庭数，每户只计一次，以首次这样的走访日期计。",
        unit="户",
        measure=Measure.COUNT,
        part="outreach",
        section=HARDSHIP,
        people=True,
        sensitive=True,
        source=_visit_source(_hardship("found"), subject="household_id", listing=HOUSEHOLDS),
        parts=("hardship_new", "hardship_archived"),
        headline=True,
    ),
    Indicator(
        code="hardship_new",
        label="新识别困难家庭",
        definition="发现的困难家庭中，活动开始前不在档案中的（走访时发现困难情况，或活动期间建档）。",
        unit="户",
        measure=Measure.COUNT,
        part="outreach",
        section=HARDSHIP,
        people=True,
        sensitive=True,
        source=_visit_source(_hardship("new"), subject="household_id", listing=HOUSEHOLDS),
    ),
    Indicator(
        code="hardship_archived",
        label="原已建档困难家庭",
        definition="发现的困难家庭中，活动开始前已在困难职工档案中的。",
        unit="户",
        measure=Measure.COUNT,
        part="outreach",
        section=HARDSHIP,
        people=True,
        sensitive=True,
        source=_visit_source(_hardship("archived"), subject="household_id", listing=HOUSEHOLDS),
    ),
    Indicator(
        code="needs_raised",
        label="收集职工需求",
        definition="走访中收集、转为诉求工单的职工需求件数，以走访日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="outreach",
        section=NEEDS,
        people=True,
        source=_need_source(_needs(NeedKind.NEED), "visit__date"),
        headline=True,
    ),
    Indicator(
        code="needs_resolved",
        label="需求已解决",
        definition="上述职工需求中诉求工单已办结的件数，以办结日期计。",
        unit="件",
        measure=Measure.COUNT,
        part="outreach",
        section=NEEDS,
        people=True,
        source=_need_source(_needs(NeedKind.NEED, ticket__resolved_at__isnull=False), "ticket__resolved_at"),
        headline=True,
    ),
    Indicator(
        code="problems_raised",
        label="收集企业问题",
        definition="走访企业时收集、转为诉求工单的企业问题件数，以走访日期计。",
        unit="项",
        measure=Measure.COUNT,
        part="outreach",
        section=NEEDS,
        source=_need_source(_needs(NeedKind.ENTERPRISE_PROBLEM), "visit__date"),
    ),
    Indicator(
        code="problems_solved",
        label="为企业解决问题",
        definition="上述企业问题中诉求工单已办结的件数，以办结日期计。",
        unit="项",
        measure=Measure.COUNT,
        part="outreach",
        section=NEEDS,
        source=_need_source(
            _needs(NeedKind.ENTERPRISE_PROBLEM, ticket__resolved_at__isnull=False), "ticket__resolved_at"
        ),
        headline=True,
    ),
    Indicator(
        code="satisfaction_first",
        label="首次走访满意度",
        definition="首次走访（非回访）时被走访对象给出的满意度平均分（1–5 分），按走访次数平均。",
        unit="分",
        measure=Measure.MEAN,
        part="outreach",
        section=SATISFACTION,
        people=True,
        source=_visit_source(_visits(follow_up=False, satisfaction__isnull=False), amount="satisfaction"),
        headline=True,
    ),
    Indicator(
        code="satisfaction_followup",
        label="回访满意度",
        definition="回访（此前在本活动中已走访过同一企业或家庭）时的满意度平均分（1–5 分）。",
        unit="分",
        measure=Measure.MEAN,
        part="outreach",
        section=SATISFACTION,
        people=True,
        source=_visit_source(_visits(follow_up=True, satisfaction__isnull=False), amount="satisfaction"),
        headline=True,
    ),
]
