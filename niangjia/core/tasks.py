"""Background tasks of core."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django_tasks import task


@task(queue_name="default")
def worker_heartbeat(*, note: str = "") -> dict[str, str]:
    """Prove a worker is alive and reaches the database: return its view of both."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor, "at": timezone.now().isoformat(), "note": note}
