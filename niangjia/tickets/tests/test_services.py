"""Ticket services: the workflow, illegal moves, scope, transfer, rating and escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.tickets.choices import Channel, EventKind, Kind, Status, TicketClass
from niangjia.tickets.followups import followup_record
from niangjia.tickets.models import Ticket, TicketEvent
from niangjia.tickets.selectors import ticket_list, ticket_public_status
from niangjia.tickets.services import (
    code_hash,
    ticket_create,
    ticket_requester_rate,
    ticket_transfer,
    ticket_transition,
)
from niangjia.tickets.tasks import tickets_escalate


def _ticket(tree, **kw):  # type: ignore[no-untyped-def]
    args = {
        "actor": tree.yanliang_staff,
        "channel": Channel.WALK_IN,
        "kind": Kind.NEED,
        "category": "housing",
        "title": "公租房申请咨询",
        "org": tree.yanliang_street,
        **kw,
    }
    return ticket_create(**args)


@pytest.mark.django_db
def test_create_stores_the_code_hashed_and_records_the_event(tree) -> None:  # type: ignore[no-untyped-def]
    ticket, code = _ticket(tree)
    assert len(code) >= 16 and ticket.code_hash == code_hash(code) and code not in ticket.code_hash
    assert ticket.status == Status.RECEIVED
    assert ticket.due_at - ticket.received_at == timedelta(days=5)
    assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert AuditEntry.objects.filter(action="tickets.ticket.create", target_id=str(ticket.pk)).count() == 1
    assert _ticket(tree)[1] != code


@pytest.mark.django_db
def test_the_whole_workflow_with_reopen_and_rating(tree) -> None:  # type: ignore[no-untyped-def]
    ticket, _ = _ticket(tree, handler=tree.yanliang_cadre)
    cadre, staff = tree.yanliang_cadre, tree.yanliang_staff
    ticket = ticket_transition(actor=cadre, ticket=ticket, move="accept")
    ticket = ticket_transition(actor=cadre, ticket=ticket, move="start")
    ticket = ticket_transition(actor=cadre, ticket=ticket, move="resolve", note="已协调街道办理")
    assert ticket.status == Status.RESOLVED and ticket.resolution == "已协调街道办理"
    ticket = ticket_transition(actor=staff, ticket=ticket, move="reopen", note="回访不满意")
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None
    ticket = ticket_transition(actor=cadre, ticket=ticket, move="resolve", note="已落实")
    followup_record(actor=staff, ticket=ticket, called_at=timezone.now(), reached=True, satisfaction=5, close=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.satisfaction == 5
    assert ticket.events.count() == 8
    with pytest.raises(ValidationError, match="已评价"):
        ticket_requester_rate(ticket=ticket, satisfaction=4)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moves", "illegal", "message"),
    [
        (["accept"], "resolve", "须填写说明"),
        ([], "resolve", "不能“办结”"),
        ([], "close", "不能“回访结案”"),
        (["accept"], "accept", "当前为“已受理”"),
        ([], "fly", "没有“fly”"),
    ],
)
def test_an_illegal_move_is_refused_in_chinese_and_changes_nothing(tree, moves, illegal, message) -> None:  # type: ignore[no-untyped-def]
    ticket, _ = _ticket(tree)
    for move in moves:
        ticket = ticket_transition(actor=tree.yanliang_staff, ticket=ticket, move=move)
    before = (ticket.status, ticket.events.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match=message):
        ticket_transition(actor=tree.yanliang_staff, ticket=ticket, move=illegal)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.events.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_a_cadre_may_not_close_and_a_leader_may_not_move(tree) -> None:  # type: ignore[no-untyped-def]
    ticket, _ = _ticket(tree, handler=tree.yanliang_cadre)
    ticket = ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="accept")
    ticket = ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="resolve", note="已答复")
    with pytest.raises(ValidationError, match="您的角色不能"):
        ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="close")
    with pytest.raises(PermissionDenied):
        ticket_transition(actor=tree.yanliang_leader, ticket=ticket, move="close")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


@pytest.mark.django_db
def test_scope_an_org_sees_its_subtree_and_a_cadre_what_is_assigned(tree) -> None:  # type: ignore[no-untyped-def]
    mine, _ = _ticket(tree, handler=tree.yanliang_cadre)
    other, _ = _ticket(tree)
    yanta, _ = _ticket(tree, actor=tree.yanta_staff, org=tree.yanta_street)
    assert {t.pk for t in ticket_list(user=tree.yanliang_staff)} == {mine.pk, other.pk}
    assert {t.pk for t in ticket_list(user=tree.yanliang_cadre)} == {mine.pk}
    assert {t.pk for t in ticket_list(user=tree.city_admin)} == {mine.pk, other.pk, yanta.pk}
    with pytest.raises(PermissionDenied):
        ticket_transition(actor=tree.yanta_staff, ticket=mine, move="accept")
    with pytest.raises(PermissionDenied):
        _ticket(tree, actor=tree.yanta_staff)  # registering for an org outside one's own tree
    mine.refresh_from_db()
    assert mine.status == Status.RECEIVED


@pytest.mark.django_db
def test_transfer_keeps_the_history(tree) -> None:  # type: ignore[no-untyped-def]
    ticket, _ = _ticket(tree, handler=tree.yanliang_cadre)
    ticket = ticket_transfer(actor=tree.city_admin, ticket=ticket, org=tree.yanta_street, note="企业在雁塔区")
    assert ticket.org == tree.yanta_street and ticket.handler is None
    event = ticket.events.get(kind=EventKind.TRANSFER)
    assert (event.from_org, event.to_org, event.actor) == (tree.yanliang_street, tree.yanta_street, tree.city_admin)
    assert ticket_list(user=tree.yanliang_staff) == []
    with pytest.raises(ValidationError, match="须说明原因"):
        ticket_transfer(actor=tree.city_admin, ticket=ticket, org=tree.yanliang, note=" ")


@pytest.mark.django_db
def test_an_overdue_ticket_is_escalated_exactly_once_when_the_task_runs_twice(tree) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(days=6)
    overdue, _ = _ticket(tree, now=start, handler=tree.yanliang_cadre)
    on_time, _ = _ticket(tree, ticket_class=TicketClass.DIFFICULT, now=start)
    now = timezone.now()
    assert tickets_escalate(now) == 1
    assert tickets_escalate(now) == 0
    assert tickets_escalate(now + timedelta(hours=1)) == 0
    overdue.refresh_from_db()
    assert overdue.org == tree.yanliang and overdue.handler is None and overdue.escalations == 1
    assert TicketEvent.objects.filter(ticket=overdue, kind=EventKind.ESCALATED).count() == 1
    assert AuditEntry.objects.filter(action="tickets.ticket.escalate").count() == 1
    on_time.refresh_from_db()
    assert on_time.org == tree.yanliang_street
    # A full period later at the district, it moves up once more; the city has no level above.
    assert tickets_escalate(now + timedelta(days=5)) == 1
    assert tickets_escalate(now + timedelta(days=20)) == 1  # on_time is now overdue too
    assert tickets_escalate(now + timedelta(days=60)) == 1
    assert tickets_escalate(now + timedelta(days=90)) == 0
    assert Ticket.objects.get(pk=overdue.pk).org == tree.city


@pytest.mark.django_db
def test_public_status_shows_nothing_personal(tree, registry) -> None:  # type: ignore[no-untyped-def]
    ticket, code = _ticket(tree, worker=registry.yl_worker, handler=tree.yanliang_cadre)
    status = ticket_public_status(code=code)
    assert status is not None and status["status_label"] == "已接收"
    text = str(status)
    assert registry.yl_worker.name not in text and "yl_cadre" not in text and ticket.title not in text
    assert ticket_public_status(code=code + "x") is None and ticket_public_status(code="") is None
