"""Background tasks of assistance: thin wrappers that pass ids, never objects."""

from __future__ import annotations

from django_tasks import task

from niangjia.assistance.services.queue import queue_follow
from niangjia.assistance.services.rounds import round_run


@task()
def run_round(*, round_id: int) -> dict[str, object]:
    """Work through a round of filings, approvals or payments."""
    batch = round_run(round_id=round_id)
    return {"round": batch.pk, "succeeded": batch.succeeded, "failed": batch.failed}


@task()
def follow_screening() -> dict[str, object]:
    """Bring the work queue in line with the households screened since the last call."""
    return {"households": queue_follow()}
