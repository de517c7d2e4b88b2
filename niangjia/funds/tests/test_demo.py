"""The demo's pools: 市、区两级统筹 of 342万元 for emergency relief and warmth, written through the services."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db.models import Sum

from niangjia.core.models import AuditEntry
from niangjia.demo.funds import funds_seed
from niangjia.demo.orgs import tree_seed
from niangjia.funds.integrity import ledger_check
from niangjia.funds.models import Allocation, FundPool


@pytest.mark.django_db
def test_the_demo_pools_hold_the_seeds_342_wan_between_city_and_districts() -> None:
    tree = tree_seed(seed=11)
    out = io.StringIO()
    funds_seed(tree=tree, seed=11, workers=None, stdout=out)
    pools = FundPool.objects.filter(year=2026)
    seeded = pools.filter(programme__in=["emergency", "warmth"])
    assert seeded.aggregate(s=Sum("allocated"))["s"] == Decimal("3420000.00")
    assert pools.filter(org=tree.city).count() == 4
    assert seeded.filter(level="district").count() == 2 * len(tree.districts)
    for programme, total in (("emergency", Decimal("720000.00")), ("warmth", Decimal("2700000.00"))):
        assert seeded.filter(programme=programme).aggregate(s=Sum("allocated"))["s"] == total
        assert seeded.get(programme=programme, org=tree.city).allocated == total / 2
    assert pools.aggregate(s=Sum("allocated"))["s"] == Decimal("4220000.00")
    assert all(p.available == p.allocated and p.committed == p.paid == 0 for p in pools)
    assert ledger_check().ok
    assert AuditEntry.objects.filter(action="funds.allocation.add").count() == Allocation.objects.count()
    assert "紧急救助和送温暖（市、区两级统筹）¥3,420,000.00" in out.getvalue()
