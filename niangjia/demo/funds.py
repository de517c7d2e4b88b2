"""Demo fund pools: 市、区两级统筹 for 2026, through the funds services.

The seed article: the city and district unions pooled 342万元 (3,420,000 yuan) for emergency relief (274 people)
and warmth grants (3,297 people). Here those two programmes hold exactly that between the city's pools and the
districts' (half each; the districts' half shared by population, rounded to the thousand yuan), and the city
also holds a school-aid and a medical mutual-aid pool. Only money goes in here: the assistance part's demo
approves and pays from these pools.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from niangjia.core.roles import Role
from niangjia.demo.orgs import TreeSeed
from niangjia.funds.choices import AllocationSource, Programme
from niangjia.funds.models import FundPool
from niangjia.funds.services import allocation_add, pool_create
from niangjia.orgs.areas import read_csv
from niangjia.orgs.models import StaffUser

YEAR = 2026
# The 342万元 of the seed, over its two programmes; the city holds half of each.
SEED_TOTALS = {Programme.EMERGENCY: Decimal("720000"), Programme.WARMTH: Decimal("2700000")}
CITY_SHARE = Decimal("0.5")
# The city's other pools (not part of the 342万).
CITY_ONLY = {Programme.SCHOOL_AID: Decimal("300000"), Programme.MEDICAL: Decimal("500000")}
THOUSAND = Decimal(1000)


def funds_seed(*, tree: TreeSeed, seed: int, workers: int | None = None, stdout: Any, **_: Any) -> None:
    """City and district pools for 2026 with their allocations (deterministic: no randomness needed)."""
    admin = StaffUser.objects.get(username="xa_admin")
    with transaction.atomic():
        for programme, total in SEED_TOTALS.items():
            city_part = (total * CITY_SHARE).quantize(THOUSAND)
            _pool(programme=programme, org=tree.city, actor=admin, budget=city_part, city=True)
            for code, amount in _district_shares(tree, total - city_part).items():
                district = tree.districts[code]
                staff = _staff_of(district) or admin
                _pool(programme=programme, org=district, actor=staff, budget=amount, city=False)
        for programme, total in CITY_ONLY.items():
            _pool(programme=programme, org=tree.city, actor=admin, budget=total, city=True)
    pools = FundPool.objects.filter(year=YEAR)
    seeded = sum((p.allocated for p in pools.filter(programme__in=list(SEED_TOTALS))), Decimal(0))
    everything = sum((p.allocated for p in pools), Decimal(0))
    stdout.write(
        f"帮扶资金：{pools.count()} 个 {YEAR} 年资金池（市级 {pools.filter(level='city').count()} 个），"
        f"拨入合计 ¥{everything:,.2f}，其中紧急救助和送温暖（市、区两级统筹）¥{seeded:,.2f}\n"
    )


def _district_shares(tree: TreeSeed, total: Decimal) -> dict[str, Decimal]:
    """`total` over the districts by population, in thousands of yuan; the remainder to the largest."""
    weights = {row["code"]: Decimal(row["population_10k"]) for row in read_csv("xian_population.csv")}
    weights = {code: w for code, w in weights.items() if code in tree.districts}
    if not weights:
        return {}
    whole = sum(weights.values())
    shares = {code: (total * w / whole / THOUSAND).to_integral_value() * THOUSAND for code, w in weights.items()}
    largest = max(weights, key=lambda code: (weights[code], code))
    shares[largest] += total - sum(shares.values())
    return dict(sorted(shares.items()))


def _staff_of(district: Any) -> StaffUser | None:
    staff = StaffUser.objects.filter(org=district, role=Role.DISTRICT_STAFF, is_active=True)
    return staff.order_by("username").first()


def _pool(*, programme: str, org: Any, actor: StaffUser, budget: Decimal, city: bool) -> FundPool:
    pool = pool_create(programme=programme, year=YEAR, org=org, actor=actor)
    if city:
        # The city's budget arrives in two parts: the local finance bureau's and the union's own dues.
        first = (budget * Decimal("0.6")).quantize(THOUSAND)
        parts = [(first, AllocationSource.LOCAL_BUDGET, date(YEAR, 1, 6)), (budget - first, AllocationSource.UNION_DUES, date(YEAR, 1, 20))]  # fmt: skip
    else:
        parts = [(budget, AllocationSource.UNION_DUES, date(YEAR, 1, 15))]
    for amount, source, received_on in parts:
        if amount > 0:
            allocation_add(pool=pool, amount=amount.quantize(Decimal("0.01")), source=source, received_on=received_on,
                           note=f"{YEAR}年{Programme(programme).label}资金", actor=actor)  # fmt: skip
    return pool
