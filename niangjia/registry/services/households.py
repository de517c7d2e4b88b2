"""Household services. Every change to a fact a policy reads stamps `facts_changed_at`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.identifiers import id_number_birth_date, id_number_sex, validate_id_number
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import Area, StaffUser
from niangjia.registry.choices import Relation
from niangjia.registry.identity import ID_NUMBER, id_digest, set_protected
from niangjia.registry.models import (
    Household,
    HouseholdCircumstances,
    HouseholdMember,
    MemberCircumstances,
    Worker,
)

HOUSEHOLD_FACTS = [f.name for f in HouseholdCircumstances._meta.fields if f.name != "household"]
MEMBER_FACTS = [f.name for f in MemberCircumstances._meta.fields if f.name != "member"]
MEMBER_FIELDS = [
    "name",
    "relation",
    "sex",
    "birth_date",
    "work_status",
    "able_to_work",
    "school_stage",
    "admission_year",
    "admission_kind",
]
ARCHIVE_FIELDS = ["archive_level", "archived_on", "last_review_date", "area"]
_NOT_NULL = {
    f.name
    for model in (Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances)
    for f in model._meta.concrete_fields
    if not f.null
}


def _split(values: dict[str, Any], allowed: list[str], what: str) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")
    # full_clean() lets None through on blank fields; the database would refuse it with a 500.
    nulls = {name: "不能为空值（null）。" for name, value in values.items() if value is None and name in _NOT_NULL}
    if nulls:
        raise ValidationError(nulls)
    return values


def _assign(values: dict[str, Any], holder: Callable[[str], Any]) -> dict[str, Any]:
    """Set each value on the object `holder(name)` that keeps it; return the old values of what changed."""
    old: dict[str, Any] = {}
    for name, value in values.items():
        target = holder(name)
        if getattr(target, name) != value:
            old[name] = getattr(target, name)
            setattr(target, name, value)
    return old


def household_create(*, actor: StaffUser | None, head: Worker, area: Area, **facts: Any) -> Household:
    """Create the household of `head` (a registered worker), with its economic facts."""
    if actor is not None:
        require(actor, Action.CHANGE, head)
    if HouseholdMember.objects.filter(worker=head).exists():
        raise ValidationError({"head": f"{head.name} 已属于一个家庭，不能再建第二个家庭。"})
    household_facts = _split(facts, HOUSEHOLD_FACTS + ARCHIVE_FIELDS, "household")
    archive = {k: household_facts.pop(k) for k in list(household_facts) if k in ARCHIVE_FIELDS}
    household = Household(area=area, org=head.org, facts_changed_at=timezone.now(), **archive)
    household.full_clean()
    circumstances = HouseholdCircumstances(household=household, **household_facts)
    circumstances.full_clean(exclude=["household"])
    with transaction.atomic():
        household.save()
        circumstances.household = household
        circumstances.save()
        HouseholdMember.objects.create(
            household=household,
            worker=head,
            name=head.name,
            relation=Relation.HEAD,
            sex=head.sex,
            birth_date=head.birth_date,
        )
        audit_record(actor=actor, action="registry.household.create", target=household, new={"head": head.name})
    return household


def member_add(
    *,
    actor: StaffUser | None,
    household: Household,
    name: str,
    relation: str,
    id_number: str | None = None,
    worker: Worker | None = None,
    facts: dict[str, Any] | None = None,
    **values: Any,
) -> HouseholdMember:
    """Add a member to a household; a member with a known ID number is never entered twice."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    _split(values, MEMBER_FIELDS, "member")
    member = HouseholdMember(household=household, name=name.strip(), relation=relation, worker=worker, **values)
    if worker is not None:
        member.sex, member.birth_date = worker.sex, worker.birth_date
    if id_number:
        cleaned = validate_id_number(id_number)
        if HouseholdMember.objects.filter(id_number_hash=id_digest(cleaned)).exists():
            raise ValidationError(
                {"id_number": f"身份证号为 {ID_NUMBER.mask(cleaned)} 的成员已在名册中，不能重复登记。"}
            )
        set_protected(member, ID_NUMBER, cleaned)
        member.birth_date, member.sex = id_number_birth_date(cleaned), id_number_sex(cleaned)
    member.full_clean(exclude=["id_number_hash"])
    with transaction.atomic():
        member.save()
        circumstances = MemberCircumstances(member=member, **_split(facts or {}, MEMBER_FACTS, "member facts"))
        circumstances.full_clean()
        circumstances.save()
        Household.objects.filter(pk=household.pk).update(facts_changed_at=timezone.now())
        audit_record(actor=actor, action="registry.member.change", target=member, new={"relation": relation})
    return member


def household_facts_update(*, actor: StaffUser | None, household: Household, **values: Any) -> Household:
    """Change a household's economic or archive facts; record old and new values."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    _split(values, HOUSEHOLD_FACTS + ARCHIVE_FIELDS, "household")
    circumstances = HouseholdCircumstances.objects.filter(household=household).first() or HouseholdCircumstances(
        household=household
    )
    old = _assign(values, lambda name: household if name in ARCHIVE_FIELDS else circumstances)
    if not old:
        return household
    household.full_clean()
    circumstances.full_clean()
    with transaction.atomic():
        circumstances.save()
        household.facts_changed_at = timezone.now()
        household.save()
        audit_record(
            actor=actor,
            action="registry.household.change",
            target=household,
            old=old,
            new={k: values[k] for k in old},
        )
    return household


def member_facts_update(*, actor: StaffUser | None, member: HouseholdMember, **values: Any) -> HouseholdMember:
    """Change a member's facts (school, work, income, health…); record old and new values."""
    if actor is not None:
        require(actor, Action.CHANGE, member)
    _split(values, MEMBER_FIELDS + MEMBER_FACTS, "member")
    circumstances = MemberCircumstances.objects.filter(member=member).first() or MemberCircumstances(member=member)
    old = _assign(values, lambda name: circumstances if name in MEMBER_FACTS else member)
    if not old:
        return member
    member.full_clean(exclude=["id_number_hash"])
    circumstances.full_clean()
    with transaction.atomic():
        member.save()
        circumstances.save()
        Household.objects.filter(pk=member.household_id).update(facts_changed_at=timezone.now())
        audit_record(
            actor=actor, action="registry.member.change", target=member, old=old, new={k: values[k] for k in old}
        )
    return member
