"""What a household service is given: `HouseholdData`, `MemberData` and their facts.

A fact not given is `UNSET`; `None` is a value ("unknown", e.g. whether a member is able to
work), so an update can set a fact back to unknown. Shared by the single-record services
(`households.py`) and the bulk one (`households_bulk.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from niangjia.orgs.models import Area
from niangjia.registry.models import (
    Household,
    HouseholdCircumstances,
    HouseholdMember,
    MemberCircumstances,
    Worker,
)
from niangjia.registry.services.bulk import UNSET, Unset, given

HOUSEHOLD_FACTS = [f.name for f in HouseholdCircumstances._meta.fields if f.name != "household"]
MEMBER_FACTS = [f.name for f in MemberCircumstances._meta.fields if f.name != "member"]
ARCHIVE_FIELDS = ["archive_level", "archived_on", "last_review_date", "area"]
MEMBER_FIELDS = ["name", "relation", "sex", "birth_date", "work_status", "able_to_work", "school_stage",
                 "admission_year", "admission_kind"]  # fmt: skip
_NOT_NULL = {
    f.name
    for model in (Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances)
    for f in model._meta.concrete_fields
    if not f.null
}


@dataclass
class HouseholdFacts:
    """A household's economic facts (`HouseholdCircumstances`) and its archive fields."""

    housing_type: str | Unset = UNSET
    homes_owned: int | Unset | None = UNSET
    owns_shop_or_employs: bool | Unset | None = UNSET
    private_car_non_work: bool | Unset | None = UNSET
    child_private_or_abroad: bool | Unset | None = UNSET
    other_annual_income: Decimal | Unset | None = UNSET
    rigid_medical_12m: Decimal | Unset | None = UNSET
    rigid_education_12m: Decimal | Unset | None = UNSET
    rigid_other_12m: Decimal | Unset | None = UNSET
    hardship_costs_12m: Decimal | Unset | None = UNSET
    archive_level: str | Unset = UNSET
    archived_on: date | Unset | None = UNSET
    last_review_date: date | Unset | None = UNSET
    area: Area | Unset = UNSET


@dataclass
class MemberFacts:
    """A member's own fields and circumstances (work, school, income, health, disability)."""

    name: str | Unset = UNSET
    relation: str | Unset = UNSET
    sex: str | Unset = UNSET
    birth_date: date | Unset | None = UNSET
    work_status: str | Unset = UNSET
    able_to_work: bool | Unset | None = UNSET
    school_stage: str | Unset = UNSET
    admission_year: int | Unset | None = UNSET
    admission_kind: str | Unset = UNSET
    monthly_income: Decimal | Unset | None = UNSET
    health: str | Unset = UNSET
    major_illness: bool | Unset | None = UNSET
    illness_name: str | Unset = UNSET
    disability_type: str | Unset = UNSET
    disability_grade: int | Unset | None = UNSET
    work_injury_disabled: bool | Unset | None = UNSET


@dataclass
class MemberData:
    """A member to add, or to find and update: by ID number (own, or as a registered worker), else by name.

    `worker` links a member who is a registered worker (found by `id_number` when not given).
    """

    name: str
    relation: str
    id_number: str | None = None
    worker: Worker | None = None
    facts: MemberFacts = field(default_factory=MemberFacts)


@dataclass
class HouseholdData:
    """The household of `head` (a registered worker): created when the head has none, else updated.

    `area` places a new household (default: the head's union's area); `facts` are the household's,
    `head_facts` the head's own; `members` are the other members.
    """

    head: Worker
    facts: HouseholdFacts = field(default_factory=HouseholdFacts)
    head_facts: MemberFacts = field(default_factory=MemberFacts)
    members: list[MemberData] = field(default_factory=list)


def facts_given(facts: HouseholdFacts | MemberFacts) -> dict[str, Any]:
    """The facts given, as {name: value}; None in a NOT NULL column is refused."""
    values = given(facts)
    # full_clean() lets None through on blank fields; the database would refuse it with a 500.
    nulls = {name: "不能为空值（null）。" for name, value in values.items() if value is None and name in _NOT_NULL}
    if nulls:
        raise ValidationError(nulls)
    return values


def assign(values: dict[str, Any], holder: Any) -> dict[str, tuple[Any, Any]]:
    """Set each value on the record `holder(name)` keeps it in; return {name: (old, new)} of what changed."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        target: models.Model = holder(name)
        old = getattr(target, name)
        if old != value:
            changes[name] = (old, value)
            setattr(target, name, value)
    return changes
