"""Evidence another part records in the registry: a life event, a paper received, aid paid.

The outreach part records a sudden event a cadre found on a visit; the assistance part a paper that
comes in for an application and a payment made — so the engine sees them (`events`, `documents` and
`payments`, screening/extract.py). Each stamps the
household's `facts_changed_at`, so screening re-screens it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Document, Household, HouseholdMember, LifeEvent, ReceivedAid


def _member_of(household: Household, member: HouseholdMember | None, field: str) -> None:
    if member is not None and member.household_id != household.pk:
        raise ValidationError({field: "该成员不属于这个家庭。"})


def _record(actor: StaffUser | None, household: Household, record: Any, action: str, new: dict[str, Any]) -> None:
    """Save a piece of evidence checked by the caller, stamp the household's facts as changed, audit it; one
    transaction. The household and member are records in hand (checked), not ids to look up."""
    with transaction.atomic():
        record.save()
        Household.objects.filter(pk=household.pk).update(facts_changed_at=timezone.now())
        audit_record(actor=actor, action=action, target=record, new=new)


def life_event_record(
    *,
    actor: StaffUser | None,
    household: Household,
    kind: str,
    on: date,
    member: HouseholdMember | None = None,
    severity: int | None = None,
    cause: str = "",
) -> LifeEvent:
    """Record something that happened to a household (or one member) on a day; the household's facts changed."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    _member_of(household, member, "member")
    event = LifeEvent(household=household, member=member, kind=kind, date=on, severity=severity, cause=cause)
    event.full_clean(exclude=["household", "member"])
    _record(actor, household, event, "registry.event.record",
            {"household": household.pk, "member": member.pk if member else None, "kind": kind,
             "date": on.isoformat(), "severity": severity, "cause": cause})  # fmt: skip
    return event


def document_record(
    *,
    actor: StaffUser | None,
    household: Household,
    kind: str,
    received_on: date,
    member: HouseholdMember | None = None,
    note: str = "",
) -> Document:
    """Record a paper received for a household (or one member); the household's facts changed."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    _member_of(household, member, "member")
    document = Document(household=household, member=member, kind=kind.strip(), received_on=received_on, note=note)
    document.full_clean(exclude=["household", "member"])
    _record(actor, household, document, "registry.document.record",
            {"household": household.pk, "member": member.pk if member else None, "kind": document.kind,
             "received_on": received_on.isoformat()})  # fmt: skip
    return document


def aid_record(
    *,
    actor: StaffUser | None,
    household: Household,
    policy_id: str,
    paid_on: date,
    amount: Decimal,
    period: int | None = None,
    member: HouseholdMember | None = None,
    event: LifeEvent | None = None,
    source: str = "",
) -> ReceivedAid:
    """Record aid paid to a household (or one member): the engine's `payments`, so it is not proposed again."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    _member_of(household, member, "member")
    if event is not None and event.household_id != household.pk:
        raise ValidationError({"event": "该事件不属于这个家庭。"})
    aid = ReceivedAid(
        household=household, member=member, policy_id=policy_id, paid_on=paid_on, amount=amount, period=period,
        event=event, source=source,
    )  # fmt: skip
    aid.full_clean(exclude=["household", "member", "event"])
    _record(actor, household, aid, "registry.aid.record",
            {"household": household.pk, "policy_id": policy_id, "amount": amount, "paid_on": paid_on.isoformat(),
             "period": period, "source": source})  # fmt: skip
    return aid


def aid_remove(*, actor: StaffUser | None, aid: ReceivedAid, reason: str) -> None:
    """Remove aid recorded as paid that came back (a failed or returned payment); audited with its values."""
    if actor is not None:
        require(actor, Action.CHANGE, aid)
    household_id = aid.household_id
    old = {"household": household_id, "policy_id": aid.policy_id, "amount": aid.amount,
           "paid_on": aid.paid_on.isoformat(), "source": aid.source}  # fmt: skip
    with transaction.atomic():
        audit_record(actor=actor, action="registry.aid.remove", target=aid, old=old, new={"reason": reason[:200]})
        aid.delete()
        Household.objects.filter(pk=household_id).update(facts_changed_at=timezone.now())
