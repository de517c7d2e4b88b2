"""Importing households: one row per member, household facts from the head's row, money as Decimal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from niangjia.conftest import Tree
from niangjia.registry.importing import import_file
from niangjia.registry.models import Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances
from niangjia.registry.tests.fixtures.sheets import WORKER_HEADER, enterprise, person_id, write_xlsx

HEADER = ["户主身份证号", "成员姓名", "与户主关系", "成员身份证号", "出生日期", "学段", "月收入", "健康状况",
          "残疾等级", "住房类型", "其他年收入", "近12个月医疗支出", "所在区划"]  # fmt: skip
HEAD = person_id(1)
CHILD = person_id(2, sex="F", born=date(2010, 5, 6))


@pytest.fixture
def head(tree: Tree, tmp_path: Path) -> None:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    rows = [WORKER_HEADER, ["王强", HEAD, "13800000001", "阎良航空配件厂", "", "", "是"]]
    result = import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=tree.yanliang_staff)
    assert result.committed


def household_rows(**head_changes: object) -> list[list[object]]:
    head_row = dict(zip(HEADER, [HEAD, "王强", "本人", "", None, None, "3,200.50元", "慢性病", None, "租房",
                                 "1,234.50", 880, "610114001"], strict=True))  # fmt: skip
    head_row.update(head_changes)
    return [
        HEADER,
        [head_row[h] for h in HEADER],
        [HEAD, "王小红", "女儿", CHILD, None, "初中", None, "健康", None, None, None, None, None],
        [HEAD, "李芳", "配偶", "", "1992年2月3日", None, "0", "残疾", "二级", None, None, None, None],
    ]


def run(tmp_path: Path, tree: Tree, rows: list[list[object]], **kwargs: object):  # type: ignore[no-untyped-def]
    path = write_xlsx(tmp_path / "h.xlsx", rows)
    return import_file(kind="households", path=path, user=tree.yanliang_staff, **kwargs)  # type: ignore[arg-type]


def test_household_with_members_and_facts(tmp_path: Path, tree: Tree, head: None) -> None:
    result = run(tmp_path, tree, household_rows())

    assert (result.committed, result.new, result.error_rows) == (True, 3, 0), result.errors
    assert result.extra == {"households_new": 1}
    household = Household.objects.get()
    facts = HouseholdCircumstances.objects.get(household=household)
    assert (facts.housing_type, facts.other_annual_income, facts.rigid_medical_12m) == (
        "rented",
        Decimal("1234.50"),
        Decimal("880.00"),
    )
    assert household.area.code == "610114001" and household.org == tree.yanliang_street
    head_member = HouseholdMember.objects.get(relation="head")
    assert MemberCircumstances.objects.get(member=head_member).monthly_income == Decimal("3200.50")
    child = HouseholdMember.objects.get(name="王小红")
    assert (child.relation, child.birth_date, child.sex, child.school_stage) == (
        "child",
        date(2010, 5, 6),
        "F",
        "junior",
    )
    assert child.id_number_masked.endswith(CHILD[-4:])
    spouse = HouseholdMember.objects.get(name="李芳")
    assert (spouse.birth_date, spouse.circumstances.disability_grade, spouse.circumstances.health) == (
        date(1992, 2, 3),
        2,
        "disabled",
    )


def test_reimport_is_idempotent(tmp_path: Path, tree: Tree, head: None) -> None:
    run(tmp_path, tree, household_rows())
    stamp = Household.objects.get().facts_changed_at

    again = run(tmp_path, tree, household_rows())

    assert (again.new, again.updated, again.unchanged) == (0, 0, 3), again.errors
    assert HouseholdMember.objects.count() == 3 and Household.objects.get().facts_changed_at == stamp


def test_changed_income_updates_the_household(tmp_path: Path, tree: Tree, head: None) -> None:
    run(tmp_path, tree, household_rows())

    again = run(tmp_path, tree, household_rows(其他年收入="2000"))

    assert (again.updated, again.unchanged) == (1, 2)
    assert HouseholdCircumstances.objects.get().other_annual_income == Decimal("2000.00")


def test_unknown_head_and_bad_money(tmp_path: Path, tree: Tree, head: None) -> None:
    rows = household_rows(月收入="三千")
    rows.append([person_id(3), "张三", "户主", "", None, None, None, None, None, None, None, None, None])

    result = run(tmp_path, tree, rows)

    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons == {
        (2, "月收入"): "“三千”不是数字，请填写如 1234.50 这样的数字。",
        (
            5,
            "户主身份证号",
        ): "在您管辖的职工中没有找到该户主，请先导入职工名册（户主须是您管辖范围内已登记的职工），或核对身份证号。",
    }
    assert not Household.objects.exists()


def test_head_outside_scope(tmp_path: Path, tree: Tree, head: None) -> None:
    """A head held by another union gets the answer of a head not on file: no existence oracle."""
    path = write_xlsx(tmp_path / "h.xlsx", household_rows())

    result = import_file(kind="households", path=path, user=tree.yanta_staff)

    assert {e.reason for e in result.errors} == {
        "在您管辖的职工中没有找到该户主，请先导入职工名册（户主须是您管辖范围内已登记的职工），或核对身份证号。"
    }
    assert not Household.objects.exists()


def test_dry_run_rolls_back(tmp_path: Path, tree: Tree, head: None) -> None:
    result = run(tmp_path, tree, household_rows(), dry_run=True)

    assert (result.new, result.committed) == (3, False)
    assert not Household.objects.exists() and not HouseholdMember.objects.exists()


def test_worker_change_stamps_the_household(tmp_path: Path, tree: Tree, head: None) -> None:
    run(tmp_path, tree, household_rows())
    Household.objects.update(facts_changed_at=timezone.make_aware(datetime(2020, 1, 1)))
    rows = [WORKER_HEADER, ["王强", HEAD, "13900000001", "阎良航空配件厂", "", "", "是"]]

    result = import_file(kind="workers", path=write_xlsx(tmp_path / "w2.xlsx", rows), user=tree.yanliang_staff)

    assert result.updated == 1
    assert Household.objects.get().facts_changed_at > timezone.now() - timedelta(minutes=5)
    assert result.extra == {}
