"""Periodic work of tickets: thin wrappers that pass ids and times, never objects.

django-tasks has no scheduler: `niangjia tickets_tick` runs `tickets_tick(now)` from cron or a systemd
timer every few minutes (docs/tickets.md, "Periodic work"); the task `tick` does the same from a worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from niangjia.tickets import services
from niangjia.tickets.ratelimit import hits_prune

# One escalation pass takes at most this many tickets; a tick runs passes until one finds fewer.
BATCH = 1000
MAX_BATCHES = 100
# The rate limit counts per hour: a counter older than a day limits nothing.
HITS_KEPT = timedelta(days=1)


def tickets_escalate(now: datetime | None = None) -> int:
    """Escalate overdue tickets one level up (the periodic job); return how many moved."""
    now = now or timezone.now()
    moved = 0
    for _ in range(MAX_BATCHES):
        batch = services.tickets_escalate_overdue(now=now, limit=BATCH)
        moved += batch
        if batch < BATCH:
            break
    return moved


def tickets_tick(now: datetime | None = None) -> dict[str, int]:
    """The periodic job: escalate what is overdue, and delete the public pages' counters older than a day."""
    now = now or timezone.now()
    return {"escalated": tickets_escalate(now), "pruned": hits_prune(before=now - HITS_KEPT)}


@task()
def escalate_overdue() -> dict[str, object]:
    """Escalate overdue tickets as of now."""
    return {"escalated": tickets_escalate()}


@task()
def tick() -> dict[str, int]:
    """The periodic job as a task, for a worker that schedules it."""
    return tickets_tick()
