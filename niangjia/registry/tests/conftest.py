"""A small registry on the shared tree: one enterprise in each district, workers and a household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from niangjia.core.identifiers import make_id_number, make_uscc
from niangjia.orgs.models import Area
from niangjia.registry.choices import EmploymentForm, Industry, Ownership, Relation, SizeClass
from niangjia.registry.models import Enterprise, Household, Worker
from niangjia.registry.services import (
    EnterpriseData,
    HouseholdFacts,
    MemberData,
    MemberFacts,
    WorkerData,
    enterprise_assign,
    enterprise_create,
    household_create,
    member_add,
    worker_register,
)

YL_ID = make_id_number("610114", date(1985, 3, 7), 12, "M")
YL_ID2 = make_id_number("610114", date(1990, 11, 2), 40, "F")
YT_ID = make_id_number("610113", date(1979, 6, 30), 7, "F")
CHILD_ID = make_id_number("610114", date(2007, 9, 1), 3, "F")
YL_PHONE = "13812345678"


@dataclass
class Registry:
    yl_enterprise: Enterprise
    yl_enterprise2: Enterprise
    yt_enterprise: Enterprise
    yl_worker: Worker
    yl_worker2: Worker
    yt_worker: Worker
    yl_household: Household
    yt_household: Household


def _enterprise(org, area, name, serial):  # type: ignore[no-untyped-def]
    return enterprise_create(
        actor=None,
        org=org,
        data=EnterpriseData(
            name=name,
            uscc=make_uscc(f"91{area.code[:6]}MA{serial:07d}"),
            ownership=Ownership.PRIVATE,
            size_class=SizeClass.SMALL,
            industry=Industry.H,
            area=area,
        ),
    )


@pytest.fixture
def registry(tree) -> Registry:  # type: ignore[no-untyped-def]
    return build_registry(tree)


def build_registry(tree) -> Registry:  # type: ignore[no-untyped-def]
    """Create the small registry (also used where keys must be set first)."""
    yl_area = Area.objects.get(code="610114001")
    yt_area = Area.objects.get(code="610113001")
    yl_e = _enterprise(tree.yanliang_street, yl_area, "阎良餐饮有限公司", 1)
    yl_e2 = _enterprise(tree.yanliang_street, yl_area, "阎良物流有限公司", 2)
    yt_e = _enterprise(tree.yanta_street, yt_area, "雁塔科技有限公司", 3)
    enterprise_assign(actor=None, enterprise=yl_e, cadre=tree.yanliang_cadre)
    enterprise_assign(actor=None, enterprise=yl_e2, cadre=tree.yanliang_cadre2)
    yl_w, _, _ = worker_register(
        actor=None,
        data=WorkerData(
            name="冯建民",
            id_number=YL_ID,
            phone=YL_PHONE,
            enterprise=yl_e,
            union_member=True,
            address="阎良区人民路1号",
            bank_account="6222020200112233445",
        ),
    )
    yl_w2, _, _ = worker_register(
        actor=None,
        data=WorkerData(
            name="曾丽", id_number=YL_ID2, phone="13900001111", enterprise=yl_e2, form=EmploymentForm.GIG_RIDER
        ),
    )
    yt_w, _, _ = worker_register(
        actor=None, data=WorkerData(name="王芳", id_number=YT_ID, phone="13700002222", enterprise=yt_e)
    )
    facts = HouseholdFacts(area=yl_area, homes_owned=1, other_annual_income=Decimal("1200.00"))
    yl_h = household_create(actor=None, head=yl_w, facts=facts)
    member_add(
        actor=None,
        household=yl_h,
        data=MemberData(
            name="冯小雨", relation=Relation.CHILD, id_number=CHILD_ID, facts=MemberFacts(monthly_income=Decimal("0"))
        ),
    )
    yt_h = household_create(actor=None, head=yt_w, facts=HouseholdFacts(area=yt_area, homes_owned=1))
    return Registry(yl_e, yl_e2, yt_e, yl_w, yl_w2, yt_w, yl_h, yt_h)
