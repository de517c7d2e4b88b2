"""Background tasks of reports: thin wrappers that pass ids, never objects."""

from __future__ import annotations

from django_tasks import task

from niangjia.reports import services
from niangjia.reports.models import Refresh


@task()
def refresh_campaign(*, refresh_id: int) -> dict[str, object]:
    """Run a queued refresh of one campaign's pre-aggregated counts."""
    refresh = Refresh.objects.select_related("campaign").get(pk=refresh_id)
    done = services.campaign_refresh(campaign=refresh.campaign, refresh=refresh)
    return {"refresh": done.pk, "rows": done.rows, "seconds": done.seconds}
