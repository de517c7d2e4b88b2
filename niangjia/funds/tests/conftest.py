"""Fixtures of funds: the shared tree with a city pool and two district pools."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from niangjia.funds.choices import AllocationSource, Programme
from niangjia.funds.models import FundPool
from niangjia.funds.services import allocation_add, pool_create


@dataclass
class Pools:
    city_warmth: FundPool
    yanliang_relief: FundPool
    yanta_relief: FundPool


@pytest.fixture
def pools(tree: Any) -> Pools:
    city = pool_create(programme=Programme.WARMTH, year=2026, org=tree.city, actor=tree.city_admin)
    yanliang = pool_create(programme=Programme.EMERGENCY, year=2026, org=tree.yanliang, actor=tree.yanliang_staff)
    yanta = pool_create(programme=Programme.EMERGENCY, year=2026, org=tree.yanta, actor=tree.yanta_staff)
    allocation_add(pool=city, amount=Decimal("100000.00"), source=AllocationSource.LOCAL_BUDGET, actor=tree.city_admin)
    allocation_add(pool=yanliang, amount=Decimal("20000.00"), source=AllocationSource.UNION_DUES, actor=tree.yanliang_staff)  # fmt: skip
    allocation_add(pool=yanta, amount=Decimal("5000.00"), source=AllocationSource.UNION_DUES, actor=tree.yanta_staff)
    return Pools(
        city_warmth=FundPool.objects.get(pk=city.pk),
        yanliang_relief=FundPool.objects.get(pk=yanliang.pk),
        yanta_relief=FundPool.objects.get(pk=yanta.pk),
    )


@pytest.fixture(autouse=True)
def _no_outside_listeners() -> Iterator[None]:
    """Funds' tests hear no listener registered by a higher part (each test adds its own)."""
    from niangjia.funds import listeners

    saved = list(listeners._listeners)
    listeners._listeners.clear()
    yield
    listeners._listeners[:] = saved
