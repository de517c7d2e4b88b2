"""Background tasks of tickets: thin wrappers that pass ids and times, never objects."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from niangjia.tickets import services


def tickets_escalate(now: datetime | None = None) -> int:
    """Escalate overdue tickets one level up (the periodic job); return how many moved."""
    return services.tickets_escalate_overdue(now=now or timezone.now())


@task()
def escalate_overdue() -> dict[str, object]:
    """The periodic task: escalate overdue tickets as of now."""
    return {"escalated": tickets_escalate()}
