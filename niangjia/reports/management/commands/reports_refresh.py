"""`niangjia reports_refresh [CAMPAIGN ...]`: recompute the pre-aggregated indicators (cron, e.g. every 15 minutes).

Without arguments, every active campaign and those closed within the last week (late records still arrive).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from niangjia.outreach.choices import CampaignStatus
from niangjia.outreach.models import Campaign
from niangjia.reports.management.commands.bulletin import find_campaign
from niangjia.reports.services import campaign_refresh

LATE_DAYS = 7


class Command(BaseCommand):
    help = "刷新走访活动的统计数据（默认：进行中的活动和一周内结束的活动）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaigns", nargs="*", help="活动编号或完整名称；不给则刷新进行中的活动")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["campaigns"]:
            campaigns = [find_campaign(text) for text in options["campaigns"]]
        else:
            recent = timezone.localdate() - timedelta(days=LATE_DAYS)
            campaigns = list(
                Campaign.objects.filter(
                    Q(status=CampaignStatus.ACTIVE) | Q(status=CampaignStatus.CLOSED, ends_on__gte=recent)
                ).order_by("pk")
            )
        for campaign in campaigns:
            refresh = campaign_refresh(campaign=campaign)
            self.stdout.write(f"{campaign.name}：{refresh.rows} 行，用时 {refresh.seconds:.1f} 秒")
        if not campaigns:
            self.stdout.write("没有需要刷新的活动。")
