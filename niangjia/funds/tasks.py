"""Background work of funds: the ledger check, from a worker or `niangjia funds_check` (cron, nightly)."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from niangjia.funds.integrity import ledger_check

log = logging.getLogger(__name__)


def ledger_check_report() -> dict[str, Any]:
    """Run the check; log an error naming what disagrees; return it as plain data."""
    check = ledger_check()
    report = {
        "ok": check.ok,
        "unbalanced": check.unbalanced,
        "mismatched": {
            str(pk): {"cached": str(cached), "ledger": str(truth)} for pk, (cached, truth) in check.mismatched.items()
        },
    }
    if not check.ok:
        log.error("funds ledger check failed: %s", report)
    return report


@task(queue_name="default")
def ledger_check_task() -> dict[str, Any]:
    """The ledger check as a django-tasks task."""
    return ledger_check_report()
