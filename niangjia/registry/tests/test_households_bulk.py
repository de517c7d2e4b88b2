"""household_bulk_register: the household services' checks for many rows, one audit entry per record."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied

from niangjia.core.models import AuditEntry
from niangjia.registry.choices import Relation
from niangjia.registry.importing import import_file
from niangjia.registry.models import Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances
from niangjia.registry.services import (
    HouseholdData,
    HouseholdFacts,
    MemberData,
    MemberFacts,
    household_bulk_register,
)
from niangjia.registry.services.households_bulk import ELSEWHERE, IN_ANOTHER_HOUSEHOLD
from niangjia.registry.tests.conftest import CHILD_ID, YL_ID2, YT_ID
from niangjia.registry.tests.fixtures.sheets import person_id, write_xlsx

SPOUSE = person_id(31, sex="F")


def _new_household(registry, **members: object) -> HouseholdData:  # type: ignore[no-untyped-def]
    return HouseholdData(
        head=registry.yl_worker2,
        facts=HouseholdFacts(homes_owned=1, other_annual_income=Decimal("300.00")),
        head_facts=MemberFacts(monthly_income=Decimal("2800.00")),
        members=[
            MemberData(name="赵敏", relation=Relation.SPOUSE, id_number=SPOUSE, facts=MemberFacts(able_to_work=None)),
            MemberData(name="赵小宝", relation=Relation.CHILD, facts=MemberFacts(school_stage="primary")),
        ],
    )


def test_creates_household_members_and_facts_with_one_audit_entry_each(tree, registry):
    before = AuditEntry.objects.count()

    outcome = household_bulk_register(actor=tree.yanliang_staff, rows=[_new_household(registry)])

    (row,) = outcome.rows
    assert (row.status, [m.status for m in row.members]) == ("new", ["new", "new"])  # type: ignore[attr-defined]
    household = Household.objects.get(members__worker=registry.yl_worker2)
    assert (household.org, household.area) == (registry.yl_worker2.org, registry.yl_worker2.org.area)
    facts = HouseholdCircumstances.objects.get(household=household)
    assert (facts.homes_owned, facts.other_annual_income) == (1, Decimal("300.00"))
    head = HouseholdMember.objects.get(household=household, relation=Relation.HEAD)
    assert MemberCircumstances.objects.get(member=head).monthly_income == Decimal("2800.00")
    spouse = HouseholdMember.objects.get(household=household, name="赵敏")
    assert (spouse.sex, spouse.id_number_masked[-4:], spouse.able_to_work) == ("F", SPOUSE[-4:], None)
    actions = sorted(AuditEntry.objects.filter(pk__gt=0).order_by("pk").values_list("action", flat=True)[before:])
    # The household, the head's facts, and each added member: one entry per record.
    assert actions == ["registry.household.create", "registry.member.change", "registry.member.change",
                       "registry.member.change"]  # fmt: skip


def test_again_changes_nothing_and_audits_nothing(tree, registry):
    household_bulk_register(actor=tree.yanliang_staff, rows=[_new_household(registry)])
    before = AuditEntry.objects.count()

    outcome = household_bulk_register(actor=tree.yanliang_staff, rows=[_new_household(registry)])

    (row,) = outcome.rows
    assert (row.status, [m.status for m in row.members]) == ("unchanged", ["unchanged", "unchanged"])  # type: ignore[attr-defined]
    assert AuditEntry.objects.count() == before
    assert HouseholdMember.objects.filter(household__members__worker=registry.yl_worker2).count() == 3


def test_a_bad_fact_refuses_its_record_only(tree, registry):
    data = _new_household(registry)
    data.members[1].facts = MemberFacts(disability_grade=7)
    bad = HouseholdData(head=registry.yl_worker, facts=HouseholdFacts(homes_owned=100))

    outcome = household_bulk_register(actor=tree.yanliang_staff, rows=[data, bad])

    good, refused = outcome.rows
    assert good.status == "new" and [m.status for m in good.members] == ["new", "error"]  # type: ignore[attr-defined]
    assert "disability_grade" in good.members[0 + 1].error.message_dict  # type: ignore[attr-defined, union-attr]
    assert refused.status == "error" and "homes_owned" in refused.error.message_dict  # type: ignore[union-attr]
    assert HouseholdCircumstances.objects.get(household=registry.yl_household).homes_owned == 1
    assert not HouseholdMember.objects.filter(name="赵小宝").exists()


def test_a_head_out_of_scope_is_refused_and_nothing_is_written(tree, registry):
    before = (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count())

    outcome = household_bulk_register(actor=tree.yanta_staff, rows=[_new_household(registry)])

    (row,) = outcome.rows
    assert isinstance(row.error, PermissionDenied)
    assert [m.error.code for m in row.members] == ["household_refused", "household_refused"]  # type: ignore[attr-defined, union-attr]
    assert (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count()) == before


def test_a_member_held_elsewhere_is_named_for_the_caller_to_budget(tree, registry):
    data = _new_household(registry)
    data.members = [
        MemberData(name="王芳", relation=Relation.SPOUSE, id_number=YT_ID),  # 雁塔's head: out of scope
        MemberData(name="冯小雨", relation=Relation.CHILD, id_number=CHILD_ID),  # 阎良's household: in scope
    ]

    outcome = household_bulk_register(actor=tree.yanliang_staff, rows=[data])

    elsewhere, inside = outcome.rows[0].members  # type: ignore[attr-defined]
    yt_head = HouseholdMember.objects.get(worker=registry.yt_worker)
    assert (elsewhere.elsewhere, elsewhere.error.message_dict) == (f"member:{yt_head.pk}", {"id_number": [ELSEWHERE]})
    assert (inside.elsewhere, inside.error.message_dict) == ("", {"id_number": [IN_ANOTHER_HOUSEHOLD]})


def test_a_dry_run_counts_and_writes_nothing(tree, registry):
    before = (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count())

    outcome = household_bulk_register(actor=tree.yanliang_staff, rows=[_new_household(registry)], write=False)

    assert outcome.counts() == {"new": 1, "updated": 0, "unchanged": 0, "error": 0}
    assert (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count()) == before


def test_import_counts_a_member_held_elsewhere_against_the_budget(tree, registry, tmp_path: Path):
    rows = [["户主身份证号", "成员姓名", "与户主关系", "成员身份证号"], [YL_ID2, "冯丽", "户主", ""],
            [YL_ID2, "王芳", "配偶", YT_ID]]  # fmt: skip
    path = write_xlsx(tmp_path / "h.xlsx", rows)

    result = import_file(kind="households", path=path, user=tree.yanliang_staff, good_rows_only=True)

    yt_head = HouseholdMember.objects.get(worker=registry.yt_worker)
    assert (result.committed, result.new, result.error_rows) == (True, 1, 1)
    assert result.found_elsewhere == [f"member:{yt_head.pk}"]
    assert [e.reason for e in result.errors] == [ELSEWHERE]
    assert AuditEntry.objects.filter(action="registry.worker.found_elsewhere", actor=tree.yanliang_staff).count() == 1
