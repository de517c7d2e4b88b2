"""Tickets API: scoped list and detail, create with its code once, moves refused in Chinese."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.tickets.choices import Status
from niangjia.tickets.models import Ticket


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_create_list_detail_and_move(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = _client(tree.yanliang_staff)
    body = {
        "channel": "phone_12351",
        "kind": "women_consultation",
        "title": "产假工资咨询",
        "org_id": tree.yanliang_street.pk,
        "handler_id": tree.yanliang_cadre.pk,
        "worker_id": registry.yl_worker.pk,
    }
    status, created = _post(staff, "/api/tickets", body)
    assert status == 201 and len(created["tracking_code"]) >= 16 and created["status"] == "received"
    pk = created["id"]
    assert [t["id"] for t in staff.get("/api/tickets").json()] == [pk]
    assert staff.get(f"/api/tickets/{pk}").json()["events"][0]["kind"] == "created"
    assert "tracking_code" not in staff.get(f"/api/tickets/{pk}").json()
    cadre = _client(tree.yanliang_cadre)
    status, moved = _post(cadre, f"/api/tickets/{pk}/transition", {"move": "accept"})
    assert status == 200 and moved["status"] == "accepted" and len(moved["events"]) == 2
    status, refused = _post(cadre, f"/api/tickets/{pk}/transition", {"move": "close"})
    assert status == 422 and "不能“回访结案”" in refused["error"]["message"]
    assert Ticket.objects.get().status == Status.ACCEPTED


@pytest.mark.django_db
def test_out_of_scope_is_not_found_and_a_leader_cannot_write(tree, registry) -> None:  # type: ignore[no-untyped-def]
    body = {"channel": "window", "kind": "need", "title": "求职登记", "org_id": tree.yanliang_street.pk}
    _, created = _post(_client(tree.yanliang_staff), "/api/tickets", body)
    pk = created["id"]
    yanta = _client(tree.yanta_staff)
    assert yanta.get(f"/api/tickets/{pk}").status_code == 404
    assert yanta.get("/api/tickets").json() == []
    assert _post(yanta, f"/api/tickets/{pk}/transition", {"move": "accept"})[0] == 404
    assert _post(yanta, "/api/tickets", body)[0] == 404
    assert _post(yanta, "/api/tickets", {**body, "org_id": tree.yanta.pk, "worker_id": registry.yl_worker.pk})[0] == 404
    leader = _client(tree.yanliang_leader)
    assert _post(leader, f"/api/tickets/{pk}/transition", {"move": "accept"})[0] == 403
    assert Ticket.objects.get().status == Status.RECEIVED and Ticket.objects.count() == 1


@pytest.mark.django_db
def test_transfer_and_the_follow_up_call_through_the_api(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = _client(tree.yanliang_staff)
    body = {"channel": "window", "kind": "need", "title": "求职登记", "org_id": tree.yanliang_street.pk}
    pk = _post(staff, "/api/tickets", body)[1]["id"]
    status, refused = _post(staff, f"/api/tickets/{pk}/transfer", {"org_id": tree.yanliang_street.pk, "note": "x"})
    assert status == 422 and "已由该组织承办" in refused["error"]["message"]
    status, moved = _post(staff, f"/api/tickets/{pk}/transfer", {"org_id": tree.yanliang.pk, "note": "需区总协调"})
    assert status == 200 and moved["org_id"] == tree.yanliang.pk and moved["events"][-1]["kind"] == "transfer"
    call = {"called_at": timezone.now().isoformat(), "reached": True, "satisfaction": 4, "note": "回访满意"}
    status, refused = _post(staff, f"/api/tickets/{pk}/followups", call)
    assert status == 422 and "办结后才能回访" in refused["error"]["message"]  # not resolved yet
    for move, note in (("accept", ""), ("resolve", "已登记")):
        assert _post(staff, f"/api/tickets/{pk}/transition", {"move": move, "note": note})[0] == 200
    assert _post(staff, f"/api/tickets/{pk}/transition", {"move": "confirm"})[0] == 422  # the requester's move
    assert _post(_client(tree.yanta_staff), f"/api/tickets/{pk}/followups", call)[0] == 404
    status, rated = _post(
        staff, f"/api/tickets/{pk}/followups", {**call, "called_at": timezone.now().isoformat(), "close": True}
    )
    assert status == 200 and rated["satisfaction"] == 4 and rated["status"] == "closed"
    assert [(f["reached"], f["satisfaction"], f["note"]) for f in rated["followups"]] == [(True, 4, "回访满意")]
    assert Ticket.objects.get().satisfaction == 4


@pytest.mark.django_db
def test_the_hazard_steps_through_the_api(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = _client(tree.yanliang_staff)
    body = {"channel": "phone_12351", "kind": "hazard", "title": "配电箱未上锁", "org_id": tree.yanliang_street.pk}
    pk = _post(staff, "/api/tickets", body)[1]["id"]
    assert _post(staff, f"/api/tickets/{pk}/transition", {"move": "accept"})[0] == 422
    status, triaged = _post(staff, f"/api/tickets/{pk}/hazard/triage", {"grade": "major", "note": "核实属实"})
    assert status == 200 and triaged["hazard_grade"] == "major" and triaged["status"] == "accepted"
    rectify = {"rectify_by": "2099-12-31", "enterprise_id": registry.yl_enterprise.pk}
    status, ordered = _post(staff, f"/api/tickets/{pk}/hazard/rectify", rectify)
    assert status == 200 and ordered["rectify_by"] == "2099-12-31"
    assert ordered["hazard_enterprise_id"] == registry.yl_enterprise.pk
    assert _post(staff, f"/api/tickets/{pk}/hazard/refer", {"note": "报区应急管理局"})[1]["referred_at"]
    assert _post(staff, f"/api/tickets/{pk}/hazard/refer", {"note": "再报"})[0] == 422
    status, checked = _post(staff, f"/api/tickets/{pk}/hazard/checklist", {"cause_found": True})
    assert status == 200 and checked["cause_found"] and not checked["people_educated"]
    yanta = _client(tree.yanta_staff)
    assert _post(yanta, f"/api/tickets/{pk}/hazard/checklist", {"people_educated": True})[0] == 404
    leader = _client(tree.yanliang_leader)
    assert _post(leader, f"/api/tickets/{pk}/hazard/checklist", {"people_educated": True})[0] == 403
    assert not Ticket.objects.get().people_educated
