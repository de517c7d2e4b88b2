"""A real task through the database queue, run by the real worker command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from niangjia.core.tasks import worker_heartbeat


@pytest.mark.django_db(transaction=True)
def test_task_runs_through_the_database_queue():
    result = worker_heartbeat.enqueue(note="ci")
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["note"] == "ci"
    assert result.return_value["vendor"] in {"sqlite", "postgresql"}
