"""Writing one household's rows through the household services, counting what changed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from niangjia.registry.choices import Relation
from niangjia.registry.identity import id_digest
from niangjia.registry.importing.result import validation_messages
from niangjia.registry.importing.rows import Row
from niangjia.registry.importing.run import ImportRun
from niangjia.registry.models import Household, HouseholdCircumstances, HouseholdMember, Worker
from niangjia.registry.services import household_create, household_facts_update, member_add, member_facts_update
from niangjia.registry.services.households import HOUSEHOLD_FACTS, MEMBER_FACTS

MEMBER_VALUES = ["birth_date", "work_status", "able_to_work", "school_stage", "admission_year", "admission_kind"]
# The file's column for each field a service may complain about.
ERROR_COLUMNS = {"head": "head_id", "id_number": "id_number", "__all__": "name"}


def household_write(head: Worker, rows: list[Row], run: ImportRun) -> None:
    """Create or update the household of `head` and each member row; count new/updated/unchanged."""
    head_row = next((row for row in rows if row.values["relation"] == Relation.HEAD), None)
    membership = HouseholdMember.objects.filter(worker=head).select_related("household").first()
    household = membership.household if membership is not None else None
    try:
        with transaction.atomic():
            household, outcome = _head_write(head, household, head_row, run)
    except (ValidationError, PermissionDenied) as exc:
        _fail(head_row or rows[0], exc, run)
        for row in rows:
            if row is not head_row and row is not rows[0]:
                run.reject(
                    row, "head_id", f"户主所在家庭未能导入（见第 {(head_row or rows[0]).number} 行），该成员未导入。"
                )
                _settle_late(row, run)
        return
    if membership is None:
        run.result.extra["households_new"] = run.result.extra.get("households_new", 0) + 1
    if outcome:
        setattr(run.result, outcome, getattr(run.result, outcome) + 1)
    for row in rows:
        if row is not head_row:
            _member_row(household, row, run)


def _head_write(
    head: Worker, household: Household | None, head_row: Row | None, run: ImportRun
) -> tuple[Household, str]:
    """Create the household, or update its facts and the head's own facts from the head's row.

    Returns the household and how the head's row counts ("" when there is no head row).
    """
    if household is None:
        household = _create(head, head_row, run)
        if head_row is None:
            return household, ""
        head_member = HouseholdMember.objects.get(household=household, worker=head)
        _update_member(head_member, _member_values(head_row, head=True), run)
        return household, "new"
    if head_row is None:
        return household, ""
    changed = _update_household(household, head_row, run)
    head_member = HouseholdMember.objects.get(household=household, worker=head)
    changed = _update_member(head_member, _member_values(head_row, head=True), run) or changed
    return household, "updated" if changed else "unchanged"


def _create(head: Worker, row: Row | None, run: ImportRun) -> Household:
    facts = _household_values(row) if row is not None else {}
    area = facts.pop("area", None) or head.org.area
    household = household_create(actor=run.ctx.user, head=head, area=area, **facts)
    return household


def _update_household(household: Household, row: Row, run: ImportRun) -> bool:
    values = _household_values(row)
    circumstances = HouseholdCircumstances.objects.filter(household=household).first()
    changed = any(
        getattr(household if name == "area" else circumstances, name, None) != value for name, value in values.items()
    )
    if changed:
        household_facts_update(actor=run.ctx.user, household=household, **values)
    return changed


def _member_row(household: Household, row: Row, run: ImportRun) -> None:
    values = _member_values(row, head=False)
    try:
        member = existing_member(household.pk, row.values)
        if member is not None and member.household_id != household.pk:
            if run.ctx.changeable(HouseholdMember.objects.filter(pk=member.pk)).exists():
                run.reject(row, "id_number", "该成员已登记在另一个家庭中，不能重复登记。")
            else:
                run.found_elsewhere(
                    row,
                    f"member:{member.pk}",
                    reason="该成员已由其他工会登记在另一个家庭中，不能重复登记；如号码有误，请核对身份证。",
                )
            _settle_late(row, run)
            return
        if member is None:
            _add(household, row, values, run)
            run.result.new += 1
        else:
            _count(run, _update_member(member, {"name": row.values["name"], **values}, run))
    except (ValidationError, PermissionDenied) as exc:
        _fail(row, exc, run)


def _add(household: Household, row: Row, values: dict[str, Any], run: ImportRun) -> None:
    facts = {name: values.pop(name) for name in list(values) if name in MEMBER_FACTS}
    values.pop("relation", None)
    member_id = row.values.get("id_number")
    worker = Worker.objects.filter(id_number_hash=id_digest(member_id)).first() if member_id else None
    member_add(
        actor=run.ctx.user, household=household, name=row.values["name"], relation=row.values["relation"],
        id_number=None if worker is not None else member_id, worker=worker, facts=facts, **values,
    )  # fmt: skip


def _update_member(member: HouseholdMember, values: dict[str, Any], run: ImportRun) -> bool:
    circumstances = getattr(member, "circumstances", None) if hasattr(member, "circumstances") else None
    changed = any(
        getattr(circumstances if name in MEMBER_FACTS else member, name, None) != value
        for name, value in values.items()
    )
    if changed:
        member_facts_update(actor=run.ctx.user, member=member, **values)
    return changed


def _member_values(row: Row, *, head: bool) -> dict[str, Any]:
    names = [*MEMBER_VALUES, *MEMBER_FACTS] if not head else [*MEMBER_VALUES[1:], *MEMBER_FACTS]
    if not head:
        names.append("relation")
    return {name: row.values[name] for name in names if row.values.get(name) is not None}


def _household_values(row: Row) -> dict[str, Any]:
    names = [*HOUSEHOLD_FACTS, "area"]
    return {name: row.values[name] for name in names if row.values.get(name) is not None}


def _count(run: ImportRun, changed: bool) -> None:
    if changed:
        run.result.updated += 1
    else:
        run.result.unchanged += 1


def _fail(row: Row, exc: ValidationError | PermissionDenied, run: ImportRun) -> None:
    messages = validation_messages(exc) if isinstance(exc, ValidationError) else {"head": str(exc)}
    for name, message in messages.items():
        run.reject(row, ERROR_COLUMNS.get(name, name if name in row.values else "name"), message)
    _settle_late(row, run)


def _settle_late(row: Row, run: ImportRun) -> None:
    """Count as bad a row that passed its own checks but failed when written."""
    run.result.error_rows += 1
    for error in row.errors:
        run.result.add_error(error)


def existing_member(household_id: int | None, values: dict[str, Any]) -> HouseholdMember | None:
    """The member a row names: by ID number (own, or as a registered worker), else by name in the household."""
    member_id = values.get("id_number")
    if member_id:
        digest = id_digest(member_id)
        found = HouseholdMember.objects.filter(id_number_hash=digest).first()
        return found or HouseholdMember.objects.filter(worker__id_number_hash=digest).first()
    if household_id is None:
        return None
    return HouseholdMember.objects.filter(household_id=household_id, name=values["name"], id_number_hash=None).first()
