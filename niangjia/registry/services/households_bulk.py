"""Registering many households at once: each household, its head's facts and its members.

`household_bulk_register` checks every household as the single services do (scope, the facts'
ranges and choices, one person once), looks up what is on file in a few queries for all the
rows, plans each change with `HouseholdBatch` (which the single services use with one record),
and writes the good ones in bulk with one audit entry per created or changed household and
member. Households it changes get `facts_changed_at`, so screening picks them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from niangjia.core.audit import audit_entry, audit_records
from niangjia.core.identifiers import id_number_birth_date, id_number_sex, validate_id_number
from niangjia.core.inserting import insert_records
from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.choices import Relation
from niangjia.registry.identity import ID_NUMBER, id_digest, set_protected
from niangjia.registry.models import Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances, Worker
from niangjia.registry.services.bulk import BATCH_SIZE, NEW, UNCHANGED, UPDATED, BulkOutcome, Changes, RowOutcome
from niangjia.registry.services.household_data import (
    ARCHIVE_FIELDS,
    MEMBER_FACTS,
    HouseholdData,
    HouseholdFacts,
    MemberData,
    MemberFacts,
    assign,
    facts_given,
)

HOUSEHOLD_REFUSED = "household_refused"
IN_ANOTHER_HOUSEHOLD = "该成员已登记在另一个家庭中，不能重复登记。"
ELSEWHERE = "该成员已由其他工会登记在另一个家庭中，不能重复登记；如号码有误，请核对身份证。"
# Checked elsewhere: foreign keys come from scoped lookups, the ID hash from the lookup by hash.
_EXCLUDE: dict[type[models.Model], list[str]] = {
    Household: ["area", "org"],
    HouseholdCircumstances: ["household"],
    HouseholdMember: ["household", "worker", "id_number_hash"],
    MemberCircumstances: ["member"],
}


@dataclass
class HouseholdOutcome(RowOutcome[Household]):
    """A household's outcome (its facts and its head's), with one outcome per member given."""

    members: list[RowOutcome[HouseholdMember]] = field(default_factory=list)


def household_bulk_register(
    *, actor: StaffUser | None, rows: Sequence[HouseholdData], write: bool = True
) -> BulkOutcome[Household]:
    """Create or update each row's household and members; one outcome per household, one per member.

    The actor must be allowed to change each head. A member found in another household is refused;
    when that household is out of the actor's scope, `elsewhere` names it ("member:7") and the caller
    decides how much to tell (an import counts it against the disclosure budget). With
    `write=False` every row is checked and counted and nothing is written.
    """
    outcomes = [HouseholdOutcome(members=[RowOutcome() for _ in data.members]) for data in rows]
    lookup = OnFile.load(actor, [data.head for data in rows], [m for data in rows for m in data.members])
    batch, heads_seen = HouseholdBatch(), set()
    for data, outcome in zip(rows, outcomes, strict=True):
        siblings: list[HouseholdMember] = []
        household = lookup.households.get(data.head.pk)
        if not _may_change(lookup, data.head, household):
            outcome.refuse(PermissionDenied("无权修改该职工的家庭。"))
        elif data.head.pk in heads_seen:
            outcome.refuse(ValidationError({"head": "同一户主在本次登记中出现了两次。"}))
        else:
            heads_seen.add(data.head.pk)
            siblings = lookup.members.get(household.pk, []) if household is not None else siblings
            _plan_household(batch, lookup, data, household, siblings, outcome)
        for member, member_outcome in zip(data.members, outcome.members, strict=True):
            if outcome.ok:
                assert outcome.record is not None
                batch.member(household=outcome.record, siblings=siblings, data=member, outcome=member_outcome,
                             lookup=lookup)  # fmt: skip
            else:
                member_outcome.refuse(ValidationError("户主所在家庭未能登记，该成员未登记。", code=HOUSEHOLD_REFUSED))
    if write:
        with transaction.atomic():
            batch.write(actor=actor)
    return BulkOutcome(list(outcomes))


def _may_change(lookup: OnFile, head: Worker, household: Household | None) -> bool:
    if head.pk not in lookup.heads_allowed:
        return False
    return household is None or household.pk in lookup.households_allowed


def _plan_household(
    batch: HouseholdBatch,
    lookup: OnFile,
    data: HouseholdData,
    household: Household | None,
    siblings: list[HouseholdMember],
    outcome: RowOutcome[Household],
) -> None:
    """Plan the household of `data.head` (new, or the one on file with `siblings` its members), its facts and the head's."""
    try:
        facts, head_facts = facts_given(data.facts), facts_given(data.head_facts)
    except ValidationError as error:
        outcome.refuse(error)
        return
    if household is None:
        batch.create_household(lookup.heads.get(data.head.pk, data.head), facts, head_facts, siblings, outcome)
        return
    batch.change_household(household, facts, outcome)
    head_member = next((m for m in siblings if m.worker_id == data.head.pk), None)
    if outcome.ok and head_member is not None and head_facts:
        batch.change_member(household, head_member, head_facts, outcome)


@dataclass
class OnFile:
    """What the database holds for a set of rows, fetched in a few queries."""

    heads_allowed: set[int] = field(default_factory=set)
    heads: dict[int, Worker] = field(default_factory=dict)  # with their union and its area
    households_allowed: set[int] = field(default_factory=set)
    households: dict[int, Household] = field(default_factory=dict)  # by head worker id
    members: dict[int, list[HouseholdMember]] = field(default_factory=dict)  # by household id
    by_digest: dict[str, HouseholdMember] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    members_allowed: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, actor: StaffUser | None, heads: Sequence[Worker], members: Sequence[MemberData]) -> OnFile:
        """The heads' households and members, and the members on file with the given ID numbers."""
        found = cls()
        head_ids = [head.pk for head in heads if head.pk is not None]
        if head_ids:
            found._load_households(actor, head_ids)
        digests = [id_digest(number) for number in _member_numbers(members)]
        if digests:
            held = HouseholdMember.objects.filter(Q(id_number_hash__in=digests) | Q(worker__id_number_hash__in=digests))
            for member in held.select_related("circumstances", "worker"):
                digest = member.id_number_hash or (member.worker.id_number_hash if member.worker else None)
                found.by_digest[digest or ""] = member
            found.workers = {w.id_number_hash or "": w for w in Worker.objects.filter(id_number_hash__in=digests)}
            elsewhere = [m.pk for m in found.by_digest.values()]
            found.members_allowed = set(
                _changeable(HouseholdMember.objects.filter(pk__in=elsewhere), actor).values_list("pk", flat=True)
            )
        return found

    def _load_households(self, actor: StaffUser | None, head_ids: list[int]) -> None:
        on_file = Worker.objects.filter(pk__in=head_ids)
        self.heads_allowed = set(_changeable(on_file, actor).values_list("pk", flat=True))
        self.heads = {head.pk: head for head in on_file.select_related("org__area")}
        memberships = HouseholdMember.objects.filter(worker_id__in=head_ids).select_related(
            "household__area", "household__circumstances"
        )
        self.households = {m.worker_id: m.household for m in memberships if m.worker_id is not None}
        households = Household.objects.filter(pk__in=[h.pk for h in self.households.values()])
        self.households_allowed = set(_changeable(households, actor).values_list("pk", flat=True))
        members = HouseholdMember.objects.filter(household_id__in=[h.pk for h in self.households.values()])
        for member in members.select_related("circumstances").order_by("pk"):
            self.members.setdefault(member.household_id, []).append(member)


def _changeable(queryset: models.QuerySet[Any], actor: StaffUser | None) -> models.QuerySet[Any]:
    return queryset if actor is None else restrict(queryset, actor, Action.CHANGE)


def _member_numbers(members: Sequence[MemberData]) -> set[str]:
    numbers = set()
    for member in members:
        try:
            numbers.add(validate_id_number(member.id_number or ""))
        except ValidationError:
            continue  # reported when the member is planned
    return numbers


@dataclass
class HouseholdBatch:
    """The writes planned for a set of households and members, validated record by record."""

    now: Any = field(default_factory=timezone.now)
    new: list[models.Model] = field(default_factory=list)  # in insertion order: parents first
    changed: dict[type[models.Model], dict[int, tuple[models.Model, set[str]]]] = field(default_factory=dict)
    touched: dict[int, Household] = field(default_factory=dict)  # existing households whose facts changed
    audits: list[tuple[str, models.Model, Changes, dict[str, Any] | None]] = field(default_factory=list)
    digests: set[str] = field(default_factory=set)

    def create_household(
        self,
        head: Worker,
        facts: dict[str, Any],
        head_facts: dict[str, Any],
        siblings: list[HouseholdMember],
        outcome: RowOutcome[Household],
    ) -> None:
        """Plan a new household of `head` with its facts, its head member (appended to `siblings`) and theirs."""
        archive = {name: facts.pop(name) for name in list(facts) if name in ARCHIVE_FIELDS}
        archive.setdefault("area", head.org.area)
        household = Household(org=head.org, facts_changed_at=self.now, **archive)
        circumstances = HouseholdCircumstances(household=household, **facts)
        head_member = HouseholdMember(household=household, worker=head, name=head.name, relation=Relation.HEAD,
                                      sex=head.sex, birth_date=head.birth_date)  # fmt: skip
        member_values = {k: v for k, v in head_facts.items() if k not in MEMBER_FACTS}
        assign(member_values, lambda name: head_member)
        records: list[models.Model] = [household, circumstances, head_member]
        member_facts = {k: v for k, v in head_facts.items() if k in MEMBER_FACTS}
        if member_facts:
            records.append(MemberCircumstances(member=head_member, **member_facts))
        if not all(_valid(record, outcome) for record in records):
            return
        siblings.append(head_member)
        outcome.status, outcome.record = NEW, household
        outcome.changes = {name: (None, value) for name, value in {**archive, **facts, **head_facts}.items()}
        self.new.extend(records)
        self.audits.append(("registry.household.create", household, {}, {"head": head.name, **archive, **facts}))
        if head_facts:
            self.audits.append(("registry.member.change", head_member, {}, head_facts))

    def change_household(self, household: Household, facts: dict[str, Any], outcome: RowOutcome[Household]) -> None:
        """Plan a change to a household's facts and archive fields."""
        outcome.record, outcome.status = household, UNCHANGED
        circumstances = _circumstances(household)
        changes = assign(facts, lambda name: household if name in ARCHIVE_FIELDS else circumstances)
        if not changes:
            return
        if not (_valid(household, outcome) and _valid(circumstances, outcome)):
            return
        outcome.status, outcome.changes = UPDATED, changes
        self._changed(household, [n for n in changes if n in ARCHIVE_FIELDS])
        self._changed(circumstances, [n for n in changes if n not in ARCHIVE_FIELDS])
        self.touched[household.pk] = household
        self.audits.append(("registry.household.change", household, changes, None))

    def change_member(
        self, household: Household, member: HouseholdMember, values: dict[str, Any], outcome: RowOutcome[Any]
    ) -> Changes:
        """Plan a change to a member's fields and facts; mark the outcome updated when anything changed."""
        circumstances = _circumstances(member)
        changes = assign(values, lambda name: circumstances if name in MEMBER_FACTS else member)
        if not changes or not (_valid(member, outcome) and _valid(circumstances, outcome)):
            return {}
        if outcome.status == UNCHANGED or outcome.record is None:
            outcome.status = UPDATED
        outcome.record = outcome.record or member
        outcome.changes = {**outcome.changes, **changes}
        self._changed(member, [n for n in changes if n not in MEMBER_FACTS])
        self._changed(circumstances, [n for n in changes if n in MEMBER_FACTS])
        self.touched[household.pk] = household
        self.audits.append(("registry.member.change", member, changes, None))
        return changes

    def member(
        self,
        *,
        household: Household,
        siblings: list[HouseholdMember],
        data: MemberData,
        outcome: RowOutcome[HouseholdMember],
        lookup: OnFile,
    ) -> None:
        """Plan one member of `household`: found (by ID number, else by name among `siblings`) and updated, or added."""
        try:
            values = facts_given(data.facts)
            number = validate_id_number(data.id_number) if data.id_number else None
        except ValidationError as error:
            outcome.refuse(error)
            return
        digest = id_digest(number) if number else None
        if digest is not None:
            if digest in self.digests:
                outcome.refuse(ValidationError({"id_number": "同一身份证号在本次登记中出现了两次。"}))
                return
            self.digests.add(digest)
            found = lookup.by_digest.get(digest)
        else:
            found = next((m for m in siblings if m.name == data.name and m.id_number_hash is None), None)
        if found is not None and found.household_id != household.pk:
            if found.pk in lookup.members_allowed:
                outcome.refuse(ValidationError({"id_number": IN_ANOTHER_HOUSEHOLD}))
            else:
                outcome.refuse(ValidationError({"id_number": ELSEWHERE}), elsewhere=f"member:{found.pk}")
            return
        if found is not None:
            outcome.record, outcome.status = found, UNCHANGED
            self.change_member(household, found, {"name": data.name, "relation": data.relation, **values}, outcome)
            return
        worker = data.worker or (lookup.workers.get(digest) if digest else None)
        member = self.add_member(household, data, number if worker is None else None, worker, values, outcome)
        if member is not None:
            siblings.append(member)

    def add_member(
        self,
        household: Household,
        data: MemberData,
        number: str | None,
        worker: Worker | None,
        values: dict[str, Any],
        outcome: RowOutcome[HouseholdMember],
    ) -> HouseholdMember | None:
        """Plan a new member (and their facts) of `household`; None if refused."""
        member = HouseholdMember(household=household, name=data.name.strip(), relation=data.relation, worker=worker)
        facts = {k: v for k, v in values.items() if k in MEMBER_FACTS}
        assign({k: v for k, v in values.items() if k not in MEMBER_FACTS}, lambda name: member)
        if worker is not None:
            member.sex, member.birth_date = worker.sex, worker.birth_date
        if number:
            set_protected(member, ID_NUMBER, number)
            member.birth_date, member.sex = id_number_birth_date(number), id_number_sex(number)
        circumstances = MemberCircumstances(member=member, **facts)
        if not (_valid(member, outcome) and _valid(circumstances, outcome)):
            return None
        outcome.status, outcome.record = NEW, member
        outcome.changes = {name: (None, value) for name, value in values.items()}
        self.new.extend([member, circumstances])
        if household.pk is not None:
            self.touched[household.pk] = household
        self.audits.append(("registry.member.change", member, {}, {"relation": data.relation}))
        return member

    def _changed(self, record: models.Model, names: list[str]) -> None:
        if not names:
            return
        if record._state.adding:
            if record not in self.new:
                self.new.append(record)
            return
        planned = self.changed.setdefault(type(record), {})
        _, columns = planned.setdefault(record.pk, (record, set()))
        columns.update(names)

    def write(self, *, actor: StaffUser | None) -> None:
        """Insert the new records, update the changed ones, stamp the households, audit each record."""
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for record in self.new:
            by_model.setdefault(type(record), []).append(record)
        for parent_first in (Household, HouseholdCircumstances, HouseholdMember, MemberCircumstances):
            insert_records(by_model.get(parent_first, []))
        for model, planned in self.changed.items():
            columns = sorted({name for _, names in planned.values() for name in names})
            records = [record for record, _ in planned.values()]
            manager: models.Manager[Any] = model._default_manager
            manager.bulk_update(records, columns, batch_size=BATCH_SIZE)
        if self.touched:
            Household.objects.filter(pk__in=list(self.touched)).update(facts_changed_at=self.now)
        audit_records(
            audit_entry(actor=actor, action=action, target=target, old={k: v[0] for k, v in changes.items()} or None,
                        new=new if new is not None else {k: v[1] for k, v in changes.items()})
            for action, target, changes, new in self.audits
        )  # fmt: skip


_CIRCUMSTANCES: dict[type[models.Model], tuple[type[models.Model], str]] = {
    Household: (HouseholdCircumstances, "household"),
    HouseholdMember: (MemberCircumstances, "member"),
}


def _circumstances(record: Household | HouseholdMember) -> Any:
    """The household's or member's circumstances; a new (unsaved) row when there is none yet."""
    try:
        return record.circumstances
    except ObjectDoesNotExist:
        model, name = _CIRCUMSTANCES[type(record)]
        record.circumstances = model(**{name: record})  # type: ignore[assignment]
        return record.circumstances


def _valid(record: models.Model, outcome: RowOutcome[Any]) -> bool:
    """Check a record's fields (full_clean without the lookups done in bulk); refuse the row if bad."""
    try:
        record.full_clean(exclude=_EXCLUDE[type(record)], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        outcome.refuse(error)
        return False
    return True


__all__ = ["HouseholdFacts", "MemberFacts", "household_bulk_register"]
