"""Demo step of the reports part: the pre-aggregated counts of every campaign, once the other parts have
written theirs (the dashboard and the bulletin read them)."""

from __future__ import annotations

from typing import Any

from niangjia.demo.orgs import TreeSeed
from niangjia.outreach.models import Campaign
from niangjia.reports.services import campaign_refresh


def reports_seed(*, tree: TreeSeed, seed: int, stdout: Any, **_: Any) -> None:
    """Refresh the counts of every campaign from the demo records."""
    for campaign in Campaign.objects.order_by("pk"):
        refresh = campaign_refresh(campaign=campaign)
        stdout.write(f"统计报表：{campaign.name}，预汇总 {refresh.rows} 行（{refresh.seconds:.1f} 秒）\n")
