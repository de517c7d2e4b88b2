"""The household page shows how each result was computed, from the engine's own evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from niangjia.registry.services import HouseholdFacts, MemberFacts, household_facts_update, member_facts_update
from niangjia.registry.tests.conftest import build_registry
from niangjia.screening.selectors import household_outcomes


@pytest.fixture
def household(tree):  # type: ignore[no-untyped-def]
    """冯建民 (born 1985, able to work, no job, 500 recorded) and 冯小雨 (a student); 15,320 of medical spending."""
    household = build_registry(tree).yl_household
    facts = HouseholdFacts(
        homes_owned=1,
        owns_shop_or_employs=False,
        private_car_non_work=False,
        child_private_or_abroad=False,
        other_annual_income=Decimal("1200"),
        rigid_medical_12m=Decimal("15320"),
        rigid_education_12m=Decimal("0"),
        rigid_other_12m=Decimal("0"),
        hardship_costs_12m=Decimal("0"),
    )
    household_facts_update(actor=None, household=household, facts=facts)
    head = household.members.get(relation="head")
    head_facts = MemberFacts(monthly_income=Decimal("500"), work_status="unemployed", able_to_work=True)
    member_facts_update(actor=None, member=head, facts=head_facts)
    child = household.members.exclude(pk=head.pk).get()
    member_facts_update(actor=None, member=child, facts=MemberFacts(monthly_income=Decimal("0"), work_status="student"))
    return household


def test_selector_gives_each_outcome_its_arithmetic_with_member_names(tree, household):  # type: ignore[no-untyped-def]
    outcomes = household_outcomes(user=tree.yanliang_staff, pk=household.pk, as_of=date(2026, 6, 1))
    hardship = next(o for o in outcomes[1] if o["policy_id"] == "hardship_archive")
    # (12 × 2160 + 1200 − 15320) ÷ 2 ÷ 12 = 491.67 < 880: 深度困难
    assert (hardship["status"], hardship["level"]) == ("eligible", "deep")
    rows = {r["label"]: (r["value"], r["note"]) for r in hardship["arithmetic"]}
    assert rows["冯建民"] == (
        "2,160.00 元/月",
        "有劳动能力未就业（18–59 岁、非在校），按最低工资 2,160.00 元计，不看登记收入",
    )
    assert rows["冯小雨"] == ("0.00 元/月", "按登记月收入计")
    assert rows["扣除医疗刚性支出"][0] == "15,320.00 元" and rows["家庭人口"][0] == "2 人"
    assert rows["家庭月人均纯收入"][0] == "491.67 元" and rows["低保标准"][0] == "880.00 元"
    assert "家庭月人均纯收入 491.67 元" in hardship["reasons"]
    warmth = next(o for o in outcomes[1] if o["policy_id"] == "warmth")
    assert warmth["arithmetic"] == []  # a lookup, no arithmetic section


def test_household_page_shows_the_arithmetic_to_district_staff(client, tree, household):  # type: ignore[no-untyped-def]
    client.force_login(tree.yanliang_staff)
    response = client.get(f"/screening/households/{household.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "怎么算的" in page
    assert "按最低工资 2,160.00 元计" in page and "冯建民" in page
    assert "扣除医疗刚性支出" in page and "15,320.00 元" in page
    assert "家庭人口" in page and "2 人" in page
    assert "低保标准" in page and "880.00 元" in page


def test_leader_may_not_see_the_household_page(client, tree, household):  # type: ignore[no-untyped-def]
    client.force_login(tree.yanliang_leader)
    assert client.get(f"/screening/households/{household.pk}/").status_code == 403
