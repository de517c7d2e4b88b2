"""One-to-one contact households API: due and overdue list, start, one household, log a contact, end."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import AwareDatetime

from niangjia.api_errors import errors
from niangjia.api_fields import Id
from niangjia.assistance.api.fields import Reason, Text1000
from niangjia.assistance.choices import ContactChannel, ContactFrequency
from niangjia.assistance.models import ContactHousehold
from niangjia.assistance.selectors import contacts as selectors
from niangjia.assistance.selectors.queue import assignable_cadres
from niangjia.assistance.services import contact_end, contact_log, contact_start
from niangjia.core.ranges import DATE_MIN
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors

router = Router()


class LogOut(Schema):
    at: datetime
    channel: str
    cadre_id: int
    via_visit_id: int | None
    note: str


class ContactOut(Schema):
    id: int
    household_id: int
    head: str | None
    cadre_id: int
    frequency: ContactFrequency
    reason: str
    started_on: date
    last_contact_on: date | None
    next_due_on: date
    overdue: bool
    active: bool


class ContactDetailOut(ContactOut):
    logs: list[LogOut]


class StartIn(Schema):
    household_id: Id
    cadre_id: Id
    frequency: ContactFrequency
    reason: Reason


class LogIn(Schema):
    at: AwareDatetime
    channel: ContactChannel = ContactChannel.HOME_VISIT
    note: Text1000 = ""


class EndIn(Schema):
    reason: Reason


def out(c: ContactHousehold) -> ContactOut:
    head = getattr(c, "head", None)
    return ContactOut(
        id=c.pk, household_id=c.household_id, head=head.name if head else None, cadre_id=c.cadre_id,
        frequency=ContactFrequency(c.frequency), reason=c.reason, started_on=c.started_on,
        last_contact_on=c.last_contact_on, next_due_on=c.next_due_on,
        overdue=c.active and c.next_due_on < timezone.localdate(), active=c.active,
    )  # fmt: skip


def detail(request: HttpRequest, pk: int) -> ContactDetailOut:
    user = staff_of(request)
    contact = selectors.contact_get(user=user, pk=pk)
    logs = [LogOut(at=l.at, channel=l.channel, cadre_id=l.cadre_id, via_visit_id=l.via_visit_id, note=l.note)
            for l in selectors.contact_logs(user=user, contact=contact)]  # fmt: skip  # noqa: E741
    return ContactDetailOut(**out(contact).model_dump(), logs=logs)


@router.get(
    "/contacts",
    response={200: list[ContactOut], **errors(403)},
    summary="一对一联系户（逾期在前）：due=overdue 已逾期、soon 7 天内到期",
)
def contact_list(request: HttpRequest, filters: Query[selectors.ContactFilter]) -> list[ContactOut]:
    return [out(c) for c in selectors.contact_list(user=staff_of(request), filters=filters, today=timezone.localdate())]


@router.post(
    "/contacts",
    response={201: ContactDetailOut, **errors(403, 404)},
    summary="设为一对一联系户：联系干部须联系该家庭所在企业",
)
def contact_new(request: HttpRequest, data: StartIn) -> Status[ContactDetailOut]:
    user = staff_of(request)
    household = registry_selectors.household_get(user=user, pk=data.household_id)["household"]
    cadre = next((c for c in assignable_cadres(user=user, household=household) if c.pk == data.cadre_id), None)
    if cadre is None:
        raise ValidationError({"cadre_id": "请从联系该家庭企业的工会干部中选择。"})
    contact = contact_start(actor=user, household=household, cadre=cadre, frequency=data.frequency, reason=data.reason)
    return Status(201, detail(request, contact.pk))


@router.get("/contacts/{pk}", response={200: ContactDetailOut, **errors(403, 404)}, summary="一户联系户及其联系记录")
def contact_detail(request: HttpRequest, pk: Path[Id]) -> ContactDetailOut:
    return detail(request, pk)


@router.post(
    "/contacts/{pk}/logs",
    response={200: ContactDetailOut, **errors(403, 404)},
    summary="记录一次联系（时间不能晚于现在）",
)
def contact_logged(request: HttpRequest, pk: Path[Id], data: LogIn) -> ContactDetailOut:
    user = staff_of(request)
    contact = selectors.contact_get(user=user, pk=pk, action=Action.CHANGE)
    if data.at.date() < DATE_MIN:
        raise ValidationError({"at": f"联系时间不能早于 {DATE_MIN.isoformat()}。"})
    contact_log(household=contact.household, cadre=user, at=data.at, note=data.note, channel=data.channel)
    return detail(request, pk)


@router.post(
    "/contacts/{pk}/end", response={200: ContactDetailOut, **errors(403, 404)}, summary="结束一对一联系（须说明原因）"
)
def contact_ended(request: HttpRequest, pk: Path[Id], data: EndIn) -> ContactDetailOut:
    user = staff_of(request)
    contact_end(actor=user, contact=selectors.contact_get(user=user, pk=pk, action=Action.CHANGE), reason=data.reason)
    return detail(request, pk)
