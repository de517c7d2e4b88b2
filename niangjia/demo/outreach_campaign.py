"""Demo campaign of the outreach part: the city's 2026年大走访, its targets per district, and its
一人一企 pairing solved and published — all through the outreach services, as the city admin."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from niangjia.core.roles import Role
from niangjia.demo.orgs import TreeSeed
from niangjia.orgs.models import StaffUser
from niangjia.outreach.choices import EnterpriseGroup, WorkerGroup
from niangjia.outreach.models import Campaign
from niangjia.outreach.selectors.pairing_inputs import campaign_enterprises
from niangjia.outreach.services.campaigns import (
    CampaignData,
    TargetData,
    campaign_activate,
    campaign_create,
    campaign_update,
)
from niangjia.outreach.services.pairing import pairing_publish, pairing_run
from niangjia.registry.models import Household

CAMPAIGN_NAME = "2026年大走访"
# About two months, most of it behind the demo date, so that visits can be spread over it.
DAYS_BEFORE = 55
DAYS = 61


def campaign_seed(*, tree: TreeSeed, seed: int, stdout: Any, today: date | None = None) -> Campaign:
    """Create, start, pair and publish the city campaign over the demo registry; return it."""
    started = time.monotonic()
    today = today or timezone.localdate()
    admin = StaffUser.objects.select_related("org").get(role=Role.CITY_ADMIN, org=tree.city, username="xa_admin")
    starts_on = today - timedelta(days=DAYS_BEFORE)
    draft = CampaignData(
        name=CAMPAIGN_NAME,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=DAYS),
        org=tree.city,
        enterprise_groups=[g.value for g in EnterpriseGroup],
        worker_groups=[g.value for g in WorkerGroup],
        enterprises_per_cadre=1,
    )
    campaign = campaign_create(actor=admin, data=draft)
    draft.targets = _targets(tree, campaign)
    campaign = _with_targets(admin, campaign, draft)
    campaign = campaign_activate(actor=admin, campaign=campaign)
    outcome = pairing_run(actor=admin, campaign=campaign, polish_seconds=5.0)
    campaign = pairing_publish(actor=admin, campaign=campaign)
    found = outcome.solution
    saving = (1 - found.mean_km / found.baseline_mean_km) * 100 if found.mean_km and found.baseline_mean_km else 0.0
    stdout.write(
        f"走访活动：{campaign.name}，一人一企结对 {found.paired:,} 对，平均距离 {found.mean_km or 0:.2f} 公里"
        f"（轮流分配 {found.baseline_mean_km or 0:.2f} 公里，少 {saving:.1f}%），已发布"
        f"（{time.monotonic() - started:.1f} 秒）\n"
    )
    return campaign


def _targets(tree: TreeSeed, campaign: Campaign) -> list[TargetData]:
    """Each district visits every targeted enterprise and the homes of its archived hardship households."""
    targets = []
    enterprises = campaign_enterprises(campaign)
    for district in tree.districts.values():
        under = {"org__path__startswith": district.path}
        targets.append(
            TargetData(
                org=district,
                enterprises=enterprises.filter(**under).count(),
                homes=Household.objects.filter(**under).exclude(archive_level="").count(),
            )
        )
    return targets


def _with_targets(admin: StaffUser, campaign: Campaign, draft: CampaignData) -> Campaign:
    """The targets need the campaign's own scope to count its enterprises: set them once it exists."""
    return campaign_update(actor=admin, campaign=campaign, data=draft)
