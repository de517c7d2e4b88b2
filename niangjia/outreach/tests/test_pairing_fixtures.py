"""Fixtures of the campaign and pairing tests (no tests here; modules import what they use).

The shared tree (city → 阎良区, 雁塔区 → one street each), the small registry, and a pairing ground:
enterprises with coordinates, some with their own union, and cadres placed at those unions, so that every
cadre's place is an exact, known point.

阎良 (around 109.22 E, 34.66 N): enterprises A, B, C, D; cadre ca at A's union, cb at B's union, the
shared fixtures' yl_cadre and yl_cadre2 at the street union (placed at the centre of the street's
enterprises). 雁塔: enterprises Y1, Y2; cadre cy at Y1's union.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.conftest import make_user
from niangjia.core.identifiers import make_uscc
from niangjia.core.roles import Role
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.orgs.services import org_create
from niangjia.outreach.models import Campaign
from niangjia.outreach.services.campaigns import CampaignData, TargetData, campaign_create
from niangjia.outreach.solver import haversine_km
from niangjia.registry.choices import Industry, Ownership, SizeClass
from niangjia.registry.models import Enterprise
from niangjia.registry.services import EnterpriseData, enterprise_create
from niangjia.registry.tests.conftest import Registry, build_registry

# (name, lng, lat, ownership, size, platform)
YANLIANG = [
    ("阎良甲机械有限公司", "109.200000", "34.650000", Ownership.PRIVATE, SizeClass.SMALL, False),
    ("阎良乙物流有限公司", "109.260000", "34.680000", Ownership.PRIVATE, SizeClass.MICRO, False),
    ("阎良丙餐饮有限公司", "109.210000", "34.655000", Ownership.PRIVATE, SizeClass.SMALL, False),
    ("阎良丁配送站", "109.250000", "34.675000", Ownership.PRIVATE, SizeClass.MEDIUM, True),
]
YANTA = [
    ("雁塔甲科技有限公司", "108.940000", "34.210000", Ownership.PRIVATE, SizeClass.SMALL, False),
    ("雁塔乙集团有限公司", "108.950000", "34.220000", Ownership.STATE, SizeClass.LARGE, False),
]


@dataclass
class Ground:
    tree: Any
    registry: Registry
    a: Enterprise
    b: Enterprise
    c: Enterprise
    d: Enterprise
    y1: Enterprise
    y2: Enterprise
    ca: StaffUser
    cb: StaffUser
    cy: StaffUser

    def km(self, cadre: StaffUser, enterprise: Enterprise) -> Decimal:
        """The distance the services store for a pair whose cadre sits at an enterprise union."""
        place = Enterprise.objects.get(union=cadre.org)
        assert place.lng is not None and place.lat is not None and enterprise.lng is not None and enterprise.lat
        km = float(haversine_km(float(place.lng), float(place.lat), float(enterprise.lng), float(enterprise.lat)))
        return Decimal(km).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _enterprise(org: UnionOrg, area: Area, row: tuple[Any, ...], serial: int) -> Enterprise:
    name, lng, lat, ownership, size, platform = row
    return enterprise_create(
        actor=None,
        org=org,
        data=EnterpriseData(
            name=name, uscc=make_uscc(f"91{area.code[:6]}MA{serial:07d}"), ownership=ownership, size_class=size,
            is_platform=platform, industry=Industry.C, area=area, lng=Decimal(lng), lat=Decimal(lat),
        ),
    )  # fmt: skip


def _union_of(enterprise: Enterprise, parent: UnionOrg) -> UnionOrg:
    union = org_create(name=f"{enterprise.name}工会", level=OrgLevel.ENTERPRISE, area=enterprise.area, parent=parent)
    Enterprise.objects.filter(pk=enterprise.pk).update(union=union)
    return union


def build_ground(tree: Any) -> Ground:
    registry = build_registry(tree)
    yl_area = Area.objects.get(code="610114001")
    yt_area = Area.objects.get(code="610113001")
    yl = [_enterprise(tree.yanliang_street, yl_area, row, 100 + i) for i, row in enumerate(YANLIANG)]
    yt = [_enterprise(tree.yanta_street, yt_area, row, 200 + i) for i, row in enumerate(YANTA)]
    ca = make_user("ca", Role.CADRE, _union_of(yl[0], tree.yanliang_street))
    cb = make_user("cb", Role.CADRE, _union_of(yl[1], tree.yanliang_street))
    cy = make_user("cy", Role.CADRE, _union_of(yt[0], tree.yanta_street))
    a, b, c, d = yl
    y1, y2 = yt
    return Ground(tree, registry, a, b, c, d, y1, y2, ca, cb, cy)


@pytest.fixture
def ground(tree: Any) -> Ground:
    return build_ground(tree)


def city_campaign(tree: Any, **fields: Any) -> Campaign:
    """A draft city campaign over the last and next 30 days, every enterprise (no target groups)."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name": "2026年大走访",
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=30),
        "org": tree.city,
        "targets": [TargetData(org=tree.yanliang, enterprises=6, homes=2), TargetData(org=tree.yanta, enterprises=3)],
    } | fields
    return campaign_create(actor=tree.city_admin, data=CampaignData(**values))


def client_for(user: StaffUser) -> Client:
    client = Client()
    client.force_login(user)
    return client
