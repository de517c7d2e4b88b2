"""Fuzzing the whole API against its own OpenAPI document (schemathesis).

Every operation and method gets a bounded number of generated requests (NIANGJIA_FUZZ_EXAMPLES,
25 by default) on the test database with a small realistic registry, as a district staff
user and as a leader. A 5xx, an undeclared status code or content type, or a body that does
not match the declared schema fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from niangjia.api import api
from niangjia.core.identifiers import make_id_number
from niangjia.orgs.services import token_create
from niangjia.registry.tests.conftest import YL_ID, build_registry

MAX_EXAMPLES = int(os.environ.get("NIANGJIA_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()

# Real records, so generated requests sometimes name one (filled by the `fuzz_data` fixture):
# ids in paths by collection, and values of body and query fields by name.
KNOWN: dict[str, list[Any]] = {}


def _sometimes_known(values: dict[str, Any] | None, choices: dict[str, list[Any]]) -> st.SearchStrategy:
    if not isinstance(values, dict):
        return st.just(values)
    known = {key: choices[key] for key in values if choices.get(key)}
    if not known:
        return st.just(values)
    swaps = st.fixed_dictionaries({}, optional={key: st.sampled_from(options) for key, options in known.items()})
    return swaps.map(lambda swap: {**values, **swap})


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> st.SearchStrategy:
    collection = next((part for part in context.operation.path.split("/") if part in KNOWN), "")
    return _sometimes_known(path_parameters, {"pk": KNOWN.get(collection, []), "org_id": KNOWN.get("orgs", [])})


@schema.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy:
    return _sometimes_known(body, KNOWN)


@schema.hook
def flatmap_query(context: Any, query: dict[str, Any] | None) -> st.SearchStrategy:
    return _sometimes_known(query, KNOWN)


@pytest.fixture
def fuzz_data(tree) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """A small registry and a bearer token per role; the WSGI handler keeps the test's connection."""
    registry = build_registry(tree)
    KNOWN.update(
        enterprises=[registry.yl_enterprise.pk, registry.yt_enterprise.pk],
        workers=[registry.yl_worker.pk, registry.yt_worker.pk],
        households=[registry.yl_household.pk, registry.yt_household.pk],
        orgs=[tree.yanliang.pk, tree.yanta.pk],
        org_id=[tree.yanliang_street.pk, tree.yanta_street.pk],
        enterprise_id=[registry.yl_enterprise.pk, registry.yt_enterprise.pk],
        area_code=["610114001", "610113001"],
        id_number=[YL_ID, make_id_number("610114", date(1995, 1, 2), 55, "M")],
    )
    tokens = {
        "staff": token_create(user=tree.yanliang_staff, name="fuzz")[1],
        "leader": token_create(user=tree.city_leader, name="fuzz")[1],
    }
    # Django's test client does the same: closing "old" connections would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield tokens
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        KNOWN.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ["staff", "leader"])
def test_api_conforms_to_its_schema(case: Any, fuzz_data: dict[str, str], role: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_data[role]}"}, checks=CHECKS)
