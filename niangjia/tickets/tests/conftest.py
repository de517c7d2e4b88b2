"""Fixtures of tickets: the shared tree and small registry."""

from __future__ import annotations

import pytest

from niangjia.registry.tests.conftest import Registry, build_registry


@pytest.fixture
def registry(tree) -> Registry:  # type: ignore[no-untyped-def]
    return build_registry(tree)
