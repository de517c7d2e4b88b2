"""The work list costs a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.registry.tests.conftest import build_registry
from niangjia.screening.services import screening_run
from niangjia.screening.tests.test_screening import _make_deep


def test_worklist_queries_do_not_grow_with_rows(client, tree):
    registry = build_registry(tree)
    client.force_login(tree.yanliang_staff)
    screening_run(as_of=date(2026, 12, 1))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/screening/").status_code == 200
    _make_deep(registry)
    screening_run(as_of=date(2026, 12, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/screening/")
    assert "送温暖" in page.content.decode()
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as api:
        assert client.get("/api/screening/worklist").status_code == 200
    assert len(api) <= 8
