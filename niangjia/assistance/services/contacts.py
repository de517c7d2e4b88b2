"""One-to-one contact households: start, change, end, and log each contact (a campaign home visit counts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance.choices import FREQUENCY_DAYS, ContactChannel, ContactFrequency
from niangjia.assistance.models import ContactHousehold, ContactLog
from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, can, require
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Visit
from niangjia.registry.models import Household


def _due(start: date, frequency: str) -> date:
    return start + timedelta(days=FREQUENCY_DAYS[ContactFrequency(frequency)])


def _check_cadre(cadre: StaffUser, household: Household) -> None:
    if cadre.role != Role.CADRE or not cadre.is_active:
        raise ValidationError({"cadre": "联系干部须是在职的工会干部。"})
    if not can(cadre, Action.VIEW, household):
        raise ValidationError({"cadre": f"{cadre.display_name or cadre.username} 不联系该家庭所在企业，不能结对。"})


def contact_start(
    *,
    actor: StaffUser | None,
    household: Household,
    cadre: StaffUser,
    frequency: str,
    reason: str,
    started_on: date | None = None,
) -> ContactHousehold:
    """Make a household a one-to-one contact household of `cadre`, to be contacted at `frequency`."""
    if actor is not None:
        require(actor, Action.CHANGE, household)
    if frequency not in ContactFrequency.values:
        raise ValidationError({"frequency": "请选择联系频次。"})
    _check_cadre(cadre, household)
    if ContactHousehold.objects.filter(household=household, active=True).exists():
        raise ValidationError({"household": "该家庭已是一对一联系户。"})
    started_on = started_on or timezone.localdate()
    contact = ContactHousehold(
        household=household, cadre=cadre, frequency=frequency, reason=reason.strip(), started_on=started_on,
        next_due_on=_due(started_on, frequency),
    )  # fmt: skip
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        audit_record(
            actor=actor, action="assistance.contact.start", target=contact, org_path=household.org.path,
            new={"household": household.pk, "cadre": cadre.pk, "frequency": frequency},
        )  # fmt: skip
    return contact


def contact_update(
    *, actor: StaffUser, contact: ContactHousehold, cadre: StaffUser, frequency: str
) -> ContactHousehold:
    """Hand a contact household to another cadre or change how often it is contacted."""
    require(actor, Action.CHANGE, contact)
    if frequency not in ContactFrequency.values:
        raise ValidationError({"frequency": "请选择联系频次。"})
    if not contact.active:
        raise ValidationError({"contact": "该联系户已结束联系。"})
    _check_cadre(cadre, contact.household)
    old = {"cadre": contact.cadre_id, "frequency": contact.frequency}
    with transaction.atomic():
        contact = ContactHousehold.objects.select_for_update().get(pk=contact.pk)
        contact.cadre, contact.frequency = cadre, frequency
        contact.next_due_on = _due(contact.last_contact_on or contact.started_on, frequency)
        contact.full_clean()
        contact.save()
        audit_record(actor=actor, action="assistance.contact.update", target=contact, old=old,
                     new={"cadre": cadre.pk, "frequency": frequency})  # fmt: skip
    return contact


def contact_end(
    *, actor: StaffUser, contact: ContactHousehold, reason: str, ended_on: date | None = None
) -> ContactHousehold:
    """Stop the one-to-one contact (the household left hardship, moved…), with the reason."""
    require(actor, Action.CHANGE, contact)
    if not reason.strip():
        raise ValidationError({"reason": "请填写结束联系的原因。"})
    with transaction.atomic():
        contact = ContactHousehold.objects.select_for_update().get(pk=contact.pk)
        if not contact.active:
            raise ValidationError({"contact": "该联系户已结束联系。"})
        contact.active, contact.ended_on = False, ended_on or timezone.localdate()
        contact.end_reason = reason.strip()[:200]
        contact.full_clean()
        contact.save()
        audit_record(actor=actor, action="assistance.contact.end", target=contact, new={"reason": contact.end_reason})
    return contact


def contact_log(
    *,
    household: Household,
    cadre: StaffUser,
    at: datetime,
    via_visit_id: int | None = None,
    note: str = "",
    channel: str | None = None,
) -> ContactLog | None:
    """Log a contact with a household; None when it is not a one-to-one contact household.

    For the outreach part: a campaign home visit is a contact — call this with the visit's id
    (`via_visit_id`); calling it again for the same visit returns the same log (once per visit).
    `cadre` is whoever made the contact and must have the household in scope.
    """
    require(cadre, Action.VIEW, household)
    if via_visit_id is not None:
        existing = ContactLog.objects.filter(via_visit_id=via_visit_id).first()
        if existing is not None:
            return existing
    channel = channel or (ContactChannel.CAMPAIGN_VISIT if via_visit_id is not None else ContactChannel.HOME_VISIT)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": "请选择联系方式。"})
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"at": "联系时间不能晚于现在。"})
    with transaction.atomic():
        contact = ContactHousehold.objects.select_for_update().filter(household=household, active=True).first()
        if contact is None:
            return None
        log = ContactLog(contact=contact, cadre=cadre, at=at, channel=channel, via_visit_id=via_visit_id,
                         note=note.strip())  # fmt: skip
        log.full_clean()
        log.save()
        day = timezone.localtime(at).date()
        if contact.last_contact_on is None or day > contact.last_contact_on:
            contact.last_contact_on = day
            contact.next_due_on = _due(day, contact.frequency)
            contact.save(update_fields=["last_contact_on", "next_due_on"])
        audit_record(
            actor=cadre, action="assistance.contact.log", target=log,
            new={"contact": contact.pk, "channel": channel, "via_visit_id": via_visit_id},
        )  # fmt: skip
    return log


def home_visits_heard(visits: Sequence[Visit]) -> None:
    """Outreach's listener: a campaign home visit to a one-to-one contact household is a contact, logged once
    per visit by whoever recorded it, on the visit's day (registered in `AssistanceConfig.ready`)."""
    contacted = set(
        ContactHousehold.objects.filter(active=True, household_id__in={v.household_id for v in visits}).values_list(
            "household_id", flat=True
        )
    )
    for visit in visits:
        if visit.household_id not in contacted:
            continue
        at = visit.recorded_at
        if timezone.localtime(at).date() != visit.date:  # recorded on the phone later: the visit's day, at noon
            at = min(timezone.make_aware(datetime.combine(visit.date, time(12))), timezone.now())
        assert visit.household is not None
        contact_log(household=visit.household, cadre=visit.recorded_by, at=at, via_visit_id=visit.pk)
