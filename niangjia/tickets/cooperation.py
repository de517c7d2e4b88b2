"""对接合作: an enterprise's problem matched with a partner enterprise or a service provider, and its outcome.

The seed's case: the 高新区 union, visiting an engineering consultancy with communication problems, matched
it with a telecom operations centre and the two signed a cooperation agreement. `cooperation_start` records
the match (the partner from the registry, or a provider by name, what they are to do, from when);
`cooperation_finish` records when it ended and what came of it. An enterprise problem resolved with a
finished cooperation counts in the report as solved through a partner.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import EventKind, Kind, Status
from niangjia.tickets.events import event_write
from niangjia.tickets.models import Cooperation, Ticket


def cooperation_start(
    *,
    actor: StaffUser,
    ticket: Ticket,
    work: str,
    started_on: date,
    partner: Enterprise | None = None,
    partner_name: str = "",
    now: datetime | None = None,
) -> Cooperation:
    """Match an open enterprise problem with a partner (a registry enterprise, or a provider by name)."""
    require(actor, Action.CHANGE, ticket)
    if partner is not None:
        require(actor, Action.VIEW, partner)
    partner_name = "" if partner is not None else partner_name.strip()
    if partner is None and not partner_name:
        raise ValidationError({"partner_name": "请填写合作方：名册中的企业，或服务机构的名称。"})
    if not work.strip():
        raise ValidationError({"work": "请写明合作方将为企业做什么。"})
    now = now or timezone.now()
    if started_on > timezone.localdate(now):
        raise ValidationError({"started_on": "开始日期不能晚于今天。"})
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status not in (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS):
            raise ValidationError({"partner_name": "诉求办结或结案后不能再对接合作方；如需继续，请先重新办理。"})
        if partner is not None and partner.pk == ticket.enterprise_id:
            raise ValidationError({"partner_name": "合作方不能是提出问题的企业本身。"})
        cooperation = Cooperation(ticket=ticket, partner=partner, partner_name=partner_name, work=work.strip(),
                                  started_on=started_on, recorded_by=actor, created_at=now)  # fmt: skip
        cooperation.full_clean()
        cooperation.save()
        event_write(ticket, actor=actor, kind=EventKind.COOPERATION, at=now,
                    note=f"对接{cooperation.partner_label}：{cooperation.work}")  # fmt: skip
        audit_record(actor=actor, action="tickets.cooperation.start", target=cooperation,
                     new={"ticket": ticket.pk, "partner": partner.pk if partner else None, "partner_name": partner_name,
                          "started_on": started_on.isoformat()}, org_path=ticket.org.path)  # fmt: skip
    return cooperation


def cooperation_finish(
    *, actor: StaffUser, cooperation: Cooperation, finished_on: date, result: str, now: datetime | None = None
) -> Cooperation:
    """Record that a cooperation ended, when, and what came of it (once)."""
    require(actor, Action.CHANGE, cooperation)
    if not result.strip():
        raise ValidationError({"result": "请写明合作成效，如签署协议、解决了什么问题。"})
    now = now or timezone.now()
    if finished_on > timezone.localdate(now):
        raise ValidationError({"finished_on": "完成日期不能晚于今天。"})
    with transaction.atomic():
        ticket = _locked(cooperation.ticket)
        cooperation = (
            Cooperation.objects.select_for_update(of=("self",)).select_related("partner").get(pk=cooperation.pk)
        )
        if cooperation.finished_on is not None:
            raise ValidationError({"finished_on": "该合作已记录完成。"})
        if ticket.status == Status.CLOSED:
            raise ValidationError({"finished_on": "诉求已结案，不能再修改合作记录。"})
        if finished_on < cooperation.started_on:
            raise ValidationError({"finished_on": f"完成日期不能早于开始日期（{cooperation.started_on:%Y-%m-%d}）。"})
        cooperation.finished_on, cooperation.result = finished_on, result.strip()
        cooperation.full_clean()
        cooperation.save(update_fields=["finished_on", "result"])
        event_write(ticket, actor=actor, kind=EventKind.COOPERATION, at=now,
                    note=f"与{cooperation.partner_label}的合作完成：{cooperation.result}")  # fmt: skip
        audit_record(actor=actor, action="tickets.cooperation.finish", target=cooperation,
                     new={"ticket": ticket.pk, "finished_on": finished_on.isoformat(), "result": cooperation.result},
                     org_path=ticket.org.path)  # fmt: skip
    return cooperation


def _locked(ticket: Ticket) -> Ticket:
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("org").get(pk=ticket.pk)
    if locked.kind != Kind.ENTERPRISE_PROBLEM:
        raise ValidationError({"kind": "只有企业问题才对接合作方。"})
    return locked
