"""The OpenAPI document names each schema once: two classes of one name would be merged into one component,
and one of the endpoints would be documented (and fuzzed) with the other's fields."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema


def _schema_classes(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        if sub.__module__.startswith("niangjia."):
            found.append(sub)
        found.extend(_schema_classes(sub))
    return found


def test_every_api_schema_has_its_own_name() -> None:
    from niangjia.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes(Schema):
        modules[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(found) for name, found in modules.items() if len(found) > 1}
    assert clashes == {}, f"schema names defined in more than one module: {clashes}"
    # The walk saw the API's schemas (it would pass vacuously on an empty list).
    assert {"TicketMoveIn", "MoveIn", "ReportCampaignOut", "CampaignOut"} <= set(modules) & set(components)
