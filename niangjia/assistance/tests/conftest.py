"""Fixtures of assistance: the shared tree and small registry, a household hit by an accident, fund pools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from niangjia.funds.choices import AllocationSource, Programme
from niangjia.funds.models import FundPool
from niangjia.funds.services import allocation_add, pool_create
from niangjia.registry.models import LifeEvent
from niangjia.registry.tests.conftest import Registry, build_registry
from niangjia.screening.services import household_rescreen


@dataclass
class Pools:
    yanliang_relief: FundPool
    yanliang_warmth: FundPool
    city_warmth: FundPool
    city_relief: FundPool


@pytest.fixture
def registry(tree: Any) -> Registry:
    return build_registry(tree)


def accident(household: Any, *, severity: int = 2, days_ago: int = 10) -> LifeEvent:
    """A sudden accident of the household within 90 days: emergency relief (一般 1000, 严重 2000, 特别严重 3000)."""
    return LifeEvent.objects.create(
        household=household, kind="sudden_event", date=timezone.localdate() - timedelta(days=days_ago),
        severity=severity, cause="accident",
    )  # fmt: skip


@pytest.fixture
def relief(registry: Registry) -> Registry:
    """The 阎良 household hit by a serious accident ten days ago, screened: emergency relief ¥2,000."""
    accident(registry.yl_household)
    household_rescreen(household_id=registry.yl_household.pk)
    return registry


@pytest.fixture
def pools(tree: Any) -> Pools:
    year = timezone.localdate().year

    def pool(programme: str, org: Any, actor: Any, amount: str) -> FundPool:
        created = pool_create(programme=programme, year=year, org=org, actor=actor)
        allocation_add(pool=created, amount=Decimal(amount), source=AllocationSource.UNION_DUES, actor=actor)
        return FundPool.objects.get(pk=created.pk)

    return Pools(
        yanliang_relief=pool(Programme.EMERGENCY, tree.yanliang, tree.yanliang_staff, "20000.00"),
        yanliang_warmth=pool(Programme.WARMTH, tree.yanliang, tree.yanliang_staff, "10000.00"),
        city_warmth=pool(Programme.WARMTH, tree.city, tree.city_admin, "100000.00"),
        city_relief=pool(Programme.EMERGENCY, tree.city, tree.city_admin, "100000.00"),
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """`with committed():` runs what a service schedules after commit (re-screening after a payment) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def today() -> date:
    return timezone.localdate()
