"""Ticket pages: the queue, a ticket's buttons by role, intake, and the public pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from niangjia.tickets.choices import Channel, Kind, Status
from niangjia.tickets.hazards import hazard_triage
from niangjia.tickets.models import Ticket
from niangjia.tickets.services import ticket_create, ticket_transition


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _ticket(tree, **kw):  # type: ignore[no-untyped-def]
    args = {"actor": tree.yanliang_staff, "channel": Channel.WINDOW, "kind": Kind.NEED, "title": "技能培训报名"}
    return ticket_create(**{**args, "org": tree.yanliang_street, **kw})[0]


@pytest.mark.django_db
def test_the_queue_puts_the_overdue_first_and_marks_it(tree) -> None:  # type: ignore[no-untyped-def]
    later = _ticket(tree, title="稍后到期")
    _ticket(tree, title="早已超期", now=timezone.now() - timedelta(days=9))
    html = _client(tree.yanliang_staff).get("/tickets/").content.decode()
    assert html.index("早已超期") < html.index("稍后到期") and "已超期" in html
    assert later.title in html


@pytest.mark.django_db
def test_a_ticket_shows_only_the_moves_the_role_may_make(tree) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(tree, handler=tree.yanliang_cadre)
    ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="accept")
    ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="resolve", note="已答复")
    url = f"/tickets/{ticket.pk}/"
    staff = _client(tree.yanliang_staff).get(url).content.decode()
    cadre = _client(tree.yanliang_cadre).get(url).content.decode()
    leader = _client(tree.yanliang_leader).get(url).content.decode()
    assert 'value="close"' in staff and 'value="reopen"' in staff
    assert 'value="close"' not in cadre and 'name="move"' not in cadre
    assert 'name="move"' not in leader and "转办" not in leader
    assert _client(tree.yanta_staff).get(url).status_code == 404


@pytest.mark.django_db
def test_a_refused_move_posted_anyway_changes_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(tree)
    response = _client(tree.yanliang_staff).post(f"/tickets/{ticket.pk}/move/", {"move": "close"}, follow=True)
    assert "不能“回访结案”" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED


@pytest.mark.django_db
def test_staff_register_a_walk_in_and_get_its_code(tree) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.yanliang_staff)
    assert client.get("/tickets/new/").status_code == 200
    data = {
        "channel": "walk_in",
        "kind": "need",
        "category": "housing",
        "title": "住房困难",
        "ticket_class": "ordinary",
    }
    response = client.post("/tickets/new/", {**data, "org": tree.yanliang_street.pk}, follow=True)
    ticket = Ticket.objects.get()
    assert ticket.channel == "walk_in" and "查询码" in response.content.decode()
    assert _client(tree.yanliang_leader).get("/tickets/new/").status_code == 403


@pytest.mark.django_db
def test_a_worker_reports_without_login_and_follows_it_by_code(tree, registry) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.get("/t/new/").status_code == 200
    data = {"kind": "hazard", "org": tree.yanliang.pk, "title": "车间消防通道堵塞", "anonymous": "on"}
    html = client.post("/t/new/", data).content.decode()
    code = re.search(r"<code>([^<]+)</code>", html).group(1)  # type: ignore[union-attr]
    ticket = Ticket.objects.get()
    assert ticket.anonymous and ticket.channel == "online" and ticket.kind == "hazard"
    hazard_triage(actor=tree.yanliang_staff, ticket=ticket, grade="general")
    page = client.get(f"/t/{code}/").content.decode()
    assert "已受理" in page and "车间消防通道堵塞" not in page and "yl_staff" not in page and "阎良" not in page
    assert client.get("/t/not-a-code/").status_code == 404


@pytest.mark.django_db
@override_settings(TICKET_PUBLIC_SUBMISSIONS_PER_HOUR=2)
def test_public_submissions_are_rate_limited_per_address_politely(tree) -> None:  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR="203.0.113.9")
    data = {"kind": "need", "org": tree.yanliang.pk, "title": "想参加技能培训"}
    assert [client.post("/t/new/", data).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.post("/t/new/", data)
    assert refused.status_code == 429 and "请稍后再试" in refused.content.decode()
    assert Ticket.objects.count() == 2
    assert Client(REMOTE_ADDR="203.0.113.10").post("/t/new/", data).status_code == 200


@pytest.mark.django_db
def test_the_requester_rates_a_resolved_ticket_once_and_it_closes(tree) -> None:  # type: ignore[no-untyped-def]
    ticket, code = ticket_create(
        actor=None, channel=Channel.ONLINE, kind=Kind.NEED, title="想参加电工培训", org=tree.yanliang, anonymous=True
    )
    client = Client()
    assert 'data-testid="rate-form"' not in client.get(f"/t/{code}/").content.decode()
    assert client.post(f"/t/{code}/", {"satisfaction": "5"}).status_code == 200  # not resolved: no form, no change
    ticket_transition(actor=tree.yanliang_staff, ticket=ticket, move="accept")
    ticket_transition(actor=tree.yanliang_staff, ticket=ticket, move="resolve", note="已报名夜校电工班")
    assert 'data-testid="rate-form"' in client.get(f"/t/{code}/").content.decode()
    assert client.post(f"/t/{code}/", {"satisfaction": "9"}).status_code == 200
    response = client.post(f"/t/{code}/", {"satisfaction": "4", "note": "处理及时"}, follow=True)
    page = response.content.decode()
    assert "已结案" in page and "感谢您的评价" in page and "rate-form" not in page and "处理及时" not in page
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (Status.CLOSED, 4) and ticket.closed_at is not None
    kinds = list(ticket.events.values_list("kind", "to_status", "actor"))
    assert kinds[-2:] == [("transition", "closed", None), ("rated", "", None)]
    client.post(f"/t/{code}/", {"satisfaction": "1"})
    ticket.refresh_from_db()
    assert ticket.satisfaction == 4 and ticket.events.count() == 5


def test_a_bad_public_report_is_a_400_in_chinese_and_writes_nothing(client, tree):  # type: ignore[no-untyped-def]
    from niangjia.tickets.models import Ticket

    answers = [
        client.post("/t/new/", data)
        for data in ({}, {"kind": "nope", "title": "x" * 201}, {"kind": "hazard", "title": "有隐患", "org": "999999"})
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert all("这个字段是必填项" in a.content.decode() or "选择" in a.content.decode() for a in answers)
    assert not Ticket.objects.exists()
