"""Indicators over the campaign itself: targets and 一人一企 pairings (visits: see visits.py)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign, Pairing
from niangjia.reports.choices import Measure
from niangjia.reports.indicators.base import Column, Indicator, Listing, Source

SECTION = "走访进度"

PAIRINGS = Listing(
    model=Pairing,
    columns=(
        Column("企业", lambda p: p.enterprise.name),
        Column("负责工会", lambda p: p.enterprise.org.name),
        Column("工会干部", lambda p: str(p.cadre)),
        Column("结对时间", lambda p: timezone.localtime(p.created_at).strftime("%Y-%m-%d")),
    ),
    related=("enterprise__org", "cadre"),
)


CADRES = Listing(
    model=StaffUser,
    columns=(Column("姓名", lambda s: str(s)), Column("所属组织", lambda s: s.org.name if s.org else "")),
    related=("org",),
)


def campaign_pairings(campaign: Campaign) -> QuerySet[Pairing]:
    return Pairing.objects.filter(campaign=campaign)


INDICATORS = [
    Indicator(
        code="enterprises_target",
        label="走访企业目标",
        definition="活动为各区县（开发区）下达的走访企业数目标；街道和干部无分解目标。",
        unit="家",
        measure=Measure.TARGET,
        part="outreach",
        section=SECTION,
        target_field="enterprises",
    ),
    Indicator(
        code="homes_target",
        label="入户走访目标",
        definition="活动为各区县（开发区）下达的入户走访户数目标。",
        unit="户",
        measure=Measure.TARGET,
        part="outreach",
        section=SECTION,
        target_field="homes",
    ),
    Indicator(
        code="enterprises_paired",
        label="一人一企结对企业",
        definition="本活动中与工会干部结对的企业数，按企业的负责工会统计，以结对日期计。",
        unit="家",
        measure=Measure.COUNT,
        part="outreach",
        section=SECTION,
        source=Source(
            records=campaign_pairings, day="created_at", org="enterprise__org", cadre="cadre", listing=PAIRINGS
        ),
    ),
    Indicator(
        code="cadres_paired",
        label="结对工会干部",
        definition="本活动中与企业结对的工会干部人数，按干部所属工会统计，以首次结对日期计，每人只计一次。",
        unit="名",
        measure=Measure.COUNT,
        part="outreach",
        section=SECTION,
        source=Source(
            records=campaign_pairings,
            day="created_at",
            org="cadre__org",
            cadre="cadre",
            subject="cadre_id",
            listing=CADRES,
        ),
    ),
]
