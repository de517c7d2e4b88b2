"""Household services. Every change to a fact a policy reads stamps `facts_changed_at`.

Each is `HouseholdBatch` (households_bulk.py) with one record: the same checks, writes and audit
entries as `household_bulk_register`, which the import calls.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from niangjia.core.audit import audit_record
from niangjia.core.disclosure import disclosure_check
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Household, HouseholdMember, Worker
from niangjia.registry.services.bulk import M, RowOutcome
from niangjia.registry.services.household_data import (
    ARCHIVE_FIELDS,
    HOUSEHOLD_FACTS,
    MEMBER_FACTS,
    MEMBER_FIELDS,
    HouseholdData,
    HouseholdFacts,
    MemberData,
    MemberFacts,
    facts_given,
)
from niangjia.registry.services.households_bulk import HouseholdBatch, OnFile, household_bulk_register

__all__ = [
    "ARCHIVE_FIELDS",
    "HOUSEHOLD_FACTS",
    "MEMBER_FACTS",
    "MEMBER_FIELDS",
    "HouseholdData",
    "HouseholdFacts",
    "MemberData",
    "MemberFacts",
    "household_bulk_register",
    "household_create",
    "household_facts_update",
    "member_add",
    "member_facts_update",
]


def household_create(*, actor: StaffUser | None, head: Worker, facts: HouseholdFacts | None = None) -> Household:
    """Create the household of `head` (a registered worker), with its facts (`facts.area`: default the head's union's)."""
    if actor is not None:
        require(actor, Action.CHANGE, head)
    if HouseholdMember.objects.filter(worker=head).exists():
        raise ValidationError({"head": f"{head.name} 已属于一个家庭，不能再建第二个家庭。"})
    batch, outcome = HouseholdBatch(), RowOutcome[Household]()
    try:
        values = facts_given(facts or HouseholdFacts())
    except ValidationError as error:
        outcome.refuse(error)
    else:
        batch.create_household(head, values, {}, [], outcome)
    return _written(batch, outcome, actor)


def household_facts_update(*, actor: StaffUser | None, household: Household, facts: HouseholdFacts) -> Household:
    """Change a household's economic or archive facts; record old and new values."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    batch, outcome = HouseholdBatch(), RowOutcome[Household]()
    try:
        values = facts_given(facts)
    except ValidationError as error:
        outcome.refuse(error)
    else:
        batch.change_household(household, values, outcome)
    return _written(batch, outcome, actor)


def member_add(*, actor: StaffUser | None, household: Household, data: MemberData) -> HouseholdMember:
    """Add a member to a household; a member with a known ID number is never entered twice.

    A number already in a household the actor may not change is a disclosure (budgeted and audited),
    as for workers (docs/personal-data.md, "Registered by another union").
    """
    if actor is not None:
        require(actor, Action.CHANGE, household)
    lookup = OnFile.load(actor, [], [data])
    batch, outcome = HouseholdBatch(), RowOutcome[HouseholdMember]()
    # Without an ID number a member is always added (two children may share a name).
    batch.member(household=household, siblings=[], data=data, outcome=outcome, lookup=lookup)
    if outcome.ok and outcome.record is not None and not outcome.record._state.adding:
        masked = outcome.record.id_number_masked or (
            outcome.record.worker.id_number_masked if outcome.record.worker else ""
        )
        outcome.refuse(ValidationError({"id_number": f"身份证号为 {masked} 的成员已在名册中，不能重复登记。"}))
    if outcome.elsewhere and actor is not None:
        _member_found_elsewhere(actor=actor, data=data)
    return _written(batch, outcome, actor)


def member_facts_update(*, actor: StaffUser | None, member: HouseholdMember, facts: MemberFacts) -> HouseholdMember:
    """Change a member's fields and facts (school, work, income, health…); record old and new values."""
    if actor is not None:
        require(actor, Action.CHANGE, member)
    batch, outcome = HouseholdBatch(), RowOutcome[HouseholdMember](record=member)
    try:
        values = facts_given(facts)
    except ValidationError as error:
        outcome.refuse(error)
    else:
        batch.change_member(member.household, member, values, outcome)
    return _written(batch, outcome, actor)


def _written(batch: HouseholdBatch, outcome: RowOutcome[M], actor: StaffUser | None) -> M:
    if outcome.error is not None:
        raise outcome.error
    with transaction.atomic():
        batch.write(actor=actor)
    assert outcome.record is not None
    return outcome.record


def _member_found_elsewhere(*, actor: StaffUser, data: MemberData) -> None:
    """Telling `actor` that another union holds this member is a disclosure: budgeted and audited."""
    disclosure_check(actor=actor)
    with transaction.atomic():
        audit_record(
            actor=actor, action="registry.worker.found_elsewhere", target_label=f"{data.name}（家庭成员）",
            new={"record": "member"},
        )  # fmt: skip
