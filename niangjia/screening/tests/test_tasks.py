"""Screening through the task queue: the 重新筛查 button queues partitions, a real worker runs them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from niangjia.registry.tests.conftest import build_registry
from niangjia.screening.models import ScreeningRun


@pytest.mark.django_db(transaction=True)
def test_run_button_queues_partitions_and_worker_screens_them(client, tree):
    build_registry(tree)
    client.force_login(tree.yanliang_staff)
    response = client.post("/screening/run/")
    assert response.status_code == 302
    assert ScreeningRun.objects.count() == 0  # queued, not run in the request
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0", verbosity=0)
    runs = list(ScreeningRun.objects.all())
    assert [(r.area_prefix, r.status, r.households) for r in runs] == [("610114", "done", 1)]


def test_only_federation_staff_may_queue(client, tree):
    client.force_login(tree.yanliang_cadre)
    assert client.post("/screening/run/").status_code == 403
    client.force_login(tree.yanliang_leader)
    assert client.post("/screening/run/").status_code == 403
