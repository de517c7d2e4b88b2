"""List pages and endpoints cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

from datetime import date

import pytest

from niangjia.core.identifiers import make_id_number
from niangjia.registry.services import WorkerData, worker_register


@pytest.fixture
def many_workers(tree, registry):  # type: ignore[no-untyped-def]
    for i in range(30):
        worker_register(
            actor=None,
            data=WorkerData(
                name=f"职工{i}",
                id_number=make_id_number("610114", date(1980, 1, 1), 100 + i, "M"),
                enterprise=registry.yl_enterprise,
            ),
        )
    return registry


@pytest.mark.parametrize(
    "url",
    [
        "/registry/workers/",
        "/registry/enterprises/",
        "/api/registry/workers",
        "/api/registry/enterprises",
        "/registry/workers/?form=gig",
        "/api/registry/workers/search?q=zg",
    ],
)
def test_list_query_count_is_flat(client, tree, many_workers, django_assert_max_num_queries, url):
    client.force_login(tree.yanliang_staff)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_worker_list_does_not_grow_with_rows(client, tree, registry, django_assert_num_queries):
    client.force_login(tree.yanliang_staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/registry/workers/")
    for i in range(20):
        worker_register(
            actor=None,
            data=WorkerData(
                name=f"新人{i}",
                id_number=make_id_number("610114", date(1991, 1, 1), 200 + i, "F"),
                enterprise=registry.yl_enterprise,
            ),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/registry/workers/")
    assert len(many) == len(few)
