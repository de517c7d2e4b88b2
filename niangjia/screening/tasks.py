"""Background tasks of screening: thin wrappers that pass ids and dates, never objects."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from niangjia.screening import services


@task(queue_name="screening")
def screen_partition(*, area_prefix: str, as_of: str) -> dict[str, object]:
    """Screen the households of one area partition as of an ISO date."""
    run = services.screening_run(as_of=date.fromisoformat(as_of), area_prefix=area_prefix)
    return {"run": run.pk, "households": run.households, "seconds": run.seconds}


@task(queue_name="screening")
def rescreen_changed() -> dict[str, object]:
    """Re-screen households whose facts changed since they were last screened."""
    run = services.changed_rescreen()
    return {"run": run.pk if run else None, "households": run.households if run else 0}
