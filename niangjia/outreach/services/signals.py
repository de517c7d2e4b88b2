"""Hardship signals: the household facts a visit changes, and the conflicts it finds instead of overwriting.

Each fact a signal proposes is compared with what the registry holds now and what the cadre's
phone showed (`base`). Unchanged since the form was loaded → written through the registry's
services; already the proposed value → nothing to write; changed by someone else to another value
→ not written: a `FactConflict` waits for a person to choose (`conflict_resolve`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import FactConflict, Visit, VisitSignal
from niangjia.outreach.services.facts import EVENT_FACTS, FACTS, SIGNALS, as_json, current, parse, signal_values
from niangjia.outreach.visit_choices import ConflictChoice, ConflictStatus, SignalKind
from niangjia.registry.choices import EventKind
from niangjia.registry.models import Household, HouseholdMember
from niangjia.registry.services import (
    HouseholdFacts,
    MemberFacts,
    household_facts_update,
    member_facts_update,
)
from niangjia.registry.services.evidence import life_event_record

NO_BASE = object()


@dataclass
class SignalData:
    """One hardship signal: its kind, the member it concerns (household-wide signals: none),
    the facts the cadre gave and the values their phone showed for the facts it sets."""

    kind: str
    member: HouseholdMember | None = None
    values: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def signals_check(*, household: Household | None, signals: Sequence[SignalData], visit_year: int) -> None:
    """Refuse signals that do not fit the household or their kind, before anything is written."""
    for signal in signals:
        if signal.kind not in SIGNALS:
            raise ValidationError({"signals": "困难情况应为：" + "、".join(SignalKind.labels) + "。"})
        spec = SIGNALS[signal.kind]
        label = SignalKind(signal.kind).label
        if spec.member and (signal.member is None or household is None or signal.member.household_id != household.pk):
            raise ValidationError({"signals": f"“{label}”须选择本家庭的一名成员。"})
        if not spec.member and signal.member is not None:
            raise ValidationError({"signals": f"“{label}”是全家的情况，不选成员。"})
        if len(signal.note) > 200:
            raise ValidationError({"signals": "困难情况的说明最多 200 个字。"})
        values = signal_values(signal.kind, signal.values, visit_year=visit_year)
        unknown = sorted(set(signal.base) - set(values) - set(spec.required) - set(spec.optional))
        if unknown:
            raise ValidationError({"signals": f"“{label}”的原值不涉及这些情况：{'、'.join(unknown)}。"})
        for name, raw in signal.base.items():
            parse(name, raw)


def signals_apply(*, actor: StaffUser, visit: Visit, household: Household | None, signals: Sequence[SignalData]) -> int:
    """Write each signal's facts that nobody else changed meanwhile; record a conflict for the others.

    Call inside the visit's transaction with the household locked. Returns the number of conflicts.
    """
    if not signals:
        return 0
    assert household is not None
    conflicts = 0
    for signal in signals:
        values = signal_values(signal.kind, signal.values, visit_year=visit.date.year)
        event = {name: values.pop(name) for name in EVENT_FACTS if name in values}
        member = _fresh(signal.member)
        write: dict[str, Any] = {}
        found: list[FactConflict] = []
        for name, proposed in values.items():
            now = current(name, household=household, member=member)
            base = parse(name, signal.base[name]) if name in signal.base else NO_BASE
            if now == proposed:
                continue
            if base is not NO_BASE and base != now:
                found.append(
                    FactConflict(household=household, member=member, fact=name, base=as_json(base),
                                 proposed=as_json(proposed), current=as_json(now))
                )  # fmt: skip
            else:
                write[name] = proposed
        _write_facts(actor, household, member, write)
        if signal.kind == SignalKind.SUDDEN_EVENT:
            # Emergency relief reads events, not costs: the event, dated on the visit, as the cadre described it.
            life_event_record(
                actor=actor, household=household, kind=EventKind.SUDDEN_EVENT, on=visit.date,
                severity=int(event["event_severity"]), cause=event.get("event_cause") or "",
            )  # fmt: skip
        row = VisitSignal.objects.create(
            visit=visit,
            kind=signal.kind,
            member=member,
            note=signal.note.strip(),
            values={k: as_json(v) for k, v in (values | event).items()},
            base={k: v for k, v in signal.base.items()},
            applied=sorted(write),
        )
        for conflict in found:
            conflict.signal = row
        FactConflict.objects.bulk_create(found)
        conflicts += len(found)
    return conflicts


def _fresh(member: HouseholdMember | None) -> HouseholdMember | None:
    """The member as the database holds it now (the household is locked), with its circumstances."""
    if member is None:
        return None
    return HouseholdMember.objects.select_related("circumstances").get(pk=member.pk)


def _write_facts(
    actor: StaffUser, household: Household, member: HouseholdMember | None, values: dict[str, Any]
) -> None:
    """Write facts through the registry's services (they check, audit and stamp `facts_changed_at`)."""
    if not values:
        return
    try:
        if member is not None:
            member_facts_update(actor=actor, member=member, facts=MemberFacts(**values))
        else:
            household_facts_update(actor=actor, household=household, facts=HouseholdFacts(**values))
    except ValidationError as error:
        messages = "；".join(error.messages)
        raise ValidationError({"signals": f"困难情况未能写入家庭信息：{messages}"}) from error


def conflict_resolve(*, actor: StaffUser, conflict: FactConflict, choice: str) -> FactConflict:
    """Settle a conflict: write the value recorded on the visit, or keep the registry's; audited.

    Whoever may change the conflict (district staff of the household, the cadre of the visit) and
    the household decides; the fact changes only now, through the registry's services.
    """
    require(actor, Action.CHANGE, conflict)
    if choice not in ConflictChoice.values:
        raise ValidationError({"choice": "请选择采用走访时填报的值，或保留现有的值。"})
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=conflict.household_id)
        conflict = FactConflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.status != ConflictStatus.OPEN:
            raise ValidationError({"choice": "该冲突已经确认过了。"})
        if choice == ConflictChoice.PROPOSED:
            member = _fresh(conflict.member)
            _write_facts(actor, household, member, {conflict.fact: parse(conflict.fact, conflict.proposed)})
        conflict.status, conflict.choice = ConflictStatus.RESOLVED, choice
        conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
        conflict.save(update_fields=["status", "choice", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="outreach.conflict.resolve",
            target=conflict,
            old={"status": ConflictStatus.OPEN, conflict.fact: conflict.current},
            new={"status": conflict.status, "choice": choice, conflict.fact: conflict.proposed},
            target_label=f"家庭 {conflict.household_id} {FACTS[conflict.fact].label}",
        )
    return conflict
