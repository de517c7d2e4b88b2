"""Campaigns and pairing through the API: create, update, list and detail in scope; pair, publish, swap and
fix; out-of-scope or role-refused calls answer 403/404/422 and write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.outreach.models import Campaign, Pairing, PairingRun
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, client_for, ground
from niangjia.registry.models import EnterpriseAssignment

__all__ = ["ground"]  # the fixture, imported


def _call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json()


def _body(tree: Any, **fields: Any) -> dict[str, Any]:
    return {"name": "阎良区企业走访", "org_id": tree.yanliang.pk, "starts_on": "2026-03-01", "ends_on": "2026-04-30",
            "enterprise_groups": ["platform"], "worker_groups": ["archived"], "area_codes": ["610114001"],
            "targets": [{"org_id": tree.yanliang.pk, "enterprises": 12, "homes": 4}], **fields}  # fmt: skip


@pytest.mark.django_db
def test_campaigns_are_created_updated_and_read_in_scope(tree) -> None:  # type: ignore[no-untyped-def]
    staff = client_for(tree.yanliang_staff)
    status, created = _call(staff, "post", "/api/outreach/campaigns", _body(tree))
    assert status == 201 and created["status"] == "draft" and created["area_codes"] == ["610114001"]
    assert created["targets"] == [{"org_id": tree.yanliang.pk, "enterprises": 12, "homes": 4}]
    pk = created["id"]
    status, changed = _call(
        staff, "put", f"/api/outreach/campaigns/{pk}", _body(tree, name="阎良区春季走访", targets=[])
    )
    assert status == 200 and changed["name"] == "阎良区春季走访" and changed["targets"] == []
    assert [c["id"] for c in _call(staff, "get", "/api/outreach/campaigns")[1]] == [pk]
    yanta = client_for(tree.yanta_staff)
    assert _call(yanta, "get", f"/api/outreach/campaigns/{pk}")[0] == 404
    assert _call(yanta, "get", "/api/outreach/campaigns")[1] == []
    assert _call(yanta, "put", f"/api/outreach/campaigns/{pk}", _body(tree, name="改名"))[0] == 404
    assert _call(client_for(tree.city_leader), "get", f"/api/outreach/campaigns/{pk}")[0] == 200
    assert _call(client_for(tree.city_leader), "post", f"/api/outreach/campaigns/{pk}/activate")[0] == 403
    assert _call(staff, "post", f"/api/outreach/campaigns/{pk}/activate")[1]["status"] == "active"
    closed = _call(staff, "post", f"/api/outreach/campaigns/{pk}/close", {"keep_pairing": False})
    assert closed[1]["status"] == "closed"
    assert Campaign.objects.get().name == "阎良区春季走访"


@pytest.mark.django_db
def test_refused_campaign_writes_answer_in_chinese_and_write_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    staff = client_for(tree.yanliang_staff)
    cases = [
        (_body(tree, org_id=tree.city.pk), 404),  # the city is not among a district's organizers
        (_body(tree, area_codes=["610113"]), 404),  # 雁塔 is outside 阎良
        (_body(tree, ends_on="2026-02-01"), 422),
        (_body(tree, enterprises_per_cadre=0), 422),
        (_body(tree, targets=[{"org_id": tree.yanliang.pk, "homes": 1_000_001}]), 422),
        (_body(tree, enterprise_groups=["state"]), 422),
        (_body(tree, name="\x00"), 422),
    ]
    for body, expected in cases:
        status, answer = _call(staff, "post", "/api/outreach/campaigns", body)
        assert status == expected and answer["error"]["message"], body
    status, answer = _call(staff, "post", "/api/outreach/campaigns", _body(tree, ends_on="2026-02-01"))
    assert "结束日期不能早于开始日期" in answer["error"]["message"]
    assert _call(client_for(tree.yanliang_cadre), "post", "/api/outreach/campaigns", _body(tree))[0] == 403
    assert not Campaign.objects.exists() and not AuditEntry.objects.filter(action__startswith="outreach").exists()


@pytest.mark.django_db
def test_pair_publish_list_swap_and_fix_through_the_api(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    admin = client_for(t.city_admin)
    base = f"/api/outreach/campaigns/{campaign.pk}"
    status, tried = _call(admin, "post", f"{base}/pair", {"dry_run": True})
    assert status == 200 and tried["dry_run"] and tried["run_id"] is None and not Pairing.objects.exists()
    status, run = _call(admin, "post", f"{base}/pair", {"enterprises_per_cadre": 1})
    assert status == 200 and run["paired"] == 5 and run["total_km"] == 0 and run["optimal"] and run["method"] == "dense"
    assert run["baseline_total_km"] > 0 and run["run_id"] == PairingRun.objects.get().pk
    assert _call(admin, "post", f"{base}/publish")[0] == 200
    cadre_rows = _call(client_for(ground.cb), "get", f"{base}/pairings")[1]
    assert [(p["cadre_id"], p["enterprise_id"]) for p in cadre_rows] == [(ground.cb.pk, ground.b.pk)]
    staff = client_for(t.yanliang_staff)
    rows = _call(staff, "get", f"{base}/pairings")[1]
    assert len(rows) == 4 and all(p["enterprise_id"] != ground.y1.pk for p in rows)
    a, b = (Pairing.objects.get(enterprise=e).pk for e in (ground.a, ground.b))
    status, swapped = _call(staff, "post", f"{base}/pairings/swap", {"first_id": a, "second_id": b})
    assert status == 200 and [(p["enterprise_id"], p["cadre_id"], p["fixed"]) for p in swapped] == [
        (ground.a.pk, ground.cb.pk, True), (ground.b.pk, ground.ca.pk, True)
    ]  # fmt: skip
    assert set(EnterpriseAssignment.objects.filter(cadre=ground.ca).values_list("enterprise", flat=True)) == {
        ground.b.pk
    }
    status, pinned = _call(staff, "post", f"{base}/pairings/fix", {"enterprise_id": ground.c.pk,
                                                                   "cadre_id": t.yanliang_cadre.pk})  # fmt: skip
    assert status == 422 and "上限" in pinned["error"]["message"]


@pytest.mark.django_db
def test_pairing_calls_out_of_scope_or_role_are_refused_and_write_nothing(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    base = f"/api/outreach/campaigns/{campaign.pk}"
    staff = client_for(t.yanliang_staff)
    assert _call(staff, "post", f"{base}/pair", {})[0] == 403
    assert _call(client_for(t.yanliang_cadre), "post", f"{base}/pair", {})[0] == 404
    assert _call(staff, "post", f"{base}/pair", {"enterprises_per_cadre": 51})[0] == 422
    assert not Pairing.objects.exists() and not PairingRun.objects.exists()
    _call(client_for(t.city_admin), "post", f"{base}/pair", {})
    y1 = Pairing.objects.get(enterprise=ground.y1).pk
    a = Pairing.objects.get(enterprise=ground.a).pk
    before = list(Pairing.objects.order_by("pk").values_list("cadre", flat=True))
    assert _call(staff, "post", f"{base}/pairings/swap", {"first_id": a, "second_id": y1})[0] == 404
    assert _call(client_for(t.city_leader), "post", f"{base}/pairings/swap", {"first_id": a, "second_id": y1})[0] == 403
    status, answer = _call(client_for(t.city_admin), "post", f"{base}/pairings/swap", {"first_id": a, "second_id": y1})
    assert status == 422 and "不在同一区县" in answer["error"]["message"]
    fix = {"enterprise_id": ground.y1.pk, "cadre_id": ground.ca.pk}
    assert _call(staff, "post", f"{base}/pairings/fix", fix)[0] == 404
    assert list(Pairing.objects.order_by("pk").values_list("cadre", flat=True)) == before
    assert _call(staff, "get", "/api/outreach/campaigns/999999/pairings")[0] == 404
