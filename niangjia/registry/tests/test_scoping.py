"""Scoping of registry records through every door: selectors, services, web and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from niangjia.core.models import AuditEntry
from niangjia.registry import selectors
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.services import (
    EnterpriseData,
    HouseholdFacts,
    WorkerData,
    enterprise_update,
    household_facts_update,
    reveal,
    worker_update,
)


def test_district_staff_lists_only_own_district(tree, registry):
    names = {e.name for e in selectors.enterprise_list(user=tree.yanliang_staff, filters=selectors.EnterpriseFilter())}
    assert names == {"阎良餐饮有限公司", "阎良物流有限公司"}
    workers = {w.name for w in selectors.worker_list(user=tree.yanliang_staff, filters=selectors.WorkerFilter())}
    assert workers == {"冯建民", "曾丽"}


def test_district_staff_cannot_open_other_district(tree, registry):
    with pytest.raises(Http404):
        selectors.enterprise_get(user=tree.yanliang_staff, pk=registry.yt_enterprise.pk)
    with pytest.raises(Http404):
        selectors.worker_get(user=tree.yanliang_staff, pk=registry.yt_worker.pk)
    with pytest.raises(Http404):
        selectors.household_get(user=tree.yanliang_staff, pk=registry.yt_household.pk)
    assert selectors.worker_search(user=tree.yanliang_staff, q="王芳") == []


def test_cadre_sees_only_assigned_enterprise_and_its_people(tree, registry):
    enterprises = selectors.enterprise_list(user=tree.yanliang_cadre, filters=selectors.EnterpriseFilter())
    assert [e.name for e in enterprises] == ["阎良餐饮有限公司"]
    workers = selectors.worker_list(user=tree.yanliang_cadre, filters=selectors.WorkerFilter())
    assert [w.name for w in workers] == ["冯建民"]
    assert selectors.household_get(user=tree.yanliang_cadre, pk=registry.yl_household.pk)["household"]
    with pytest.raises(Http404):
        selectors.worker_get(user=tree.yanliang_cadre, pk=registry.yl_worker2.pk)


def test_leader_reads_never_writes_and_nothing_changes(tree, registry):
    assert selectors.enterprise_get(user=tree.yanliang_leader, pk=registry.yl_enterprise.pk)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        enterprise_update(
            actor=tree.yanliang_leader, enterprise=registry.yl_enterprise, data=EnterpriseData(name="改名")
        )
    with pytest.raises(PermissionDenied):
        worker_update(actor=tree.yanliang_leader, worker=registry.yl_worker, data=WorkerData(name="改名"))
    with pytest.raises(PermissionDenied):
        reveal(actor=tree.yanliang_leader, obj=registry.yl_worker, field="id_number")
    assert Enterprise.objects.get(pk=registry.yl_enterprise.pk).name == "阎良餐饮有限公司"
    assert Worker.objects.get(pk=registry.yl_worker.pk).name == "冯建民"
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("who", ["yanliang_staff", "yanliang_cadre", "yanliang_leader"])
def test_refused_writes_on_other_district_leave_database_unchanged(tree, registry, who):
    actor = getattr(tree, who)
    snapshot = (
        list(Enterprise.objects.values_list("id", "name", "uscc", "updated_at").order_by("id")),
        list(Worker.objects.values_list("id", "name", "phone_hash", "updated_at").order_by("id")),
        AuditEntry.objects.count(),
    )
    with pytest.raises(PermissionDenied):
        enterprise_update(actor=actor, enterprise=registry.yt_enterprise, data=EnterpriseData(name="越权"))
    with pytest.raises(PermissionDenied):
        worker_update(actor=actor, worker=registry.yt_worker, data=WorkerData(name="王芳", phone="13600000000"))
    with pytest.raises(PermissionDenied):
        household_facts_update(actor=actor, household=registry.yt_household, facts=HouseholdFacts(homes_owned=3))
    after = (
        list(Enterprise.objects.values_list("id", "name", "uscc", "updated_at").order_by("id")),
        list(Worker.objects.values_list("id", "name", "phone_hash", "updated_at").order_by("id")),
        AuditEntry.objects.count(),
    )
    assert after == snapshot


def test_web_pages_refuse_other_district(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    assert client.get(f"/registry/enterprises/{registry.yt_enterprise.pk}/").status_code == 404
    assert client.get(f"/registry/workers/{registry.yt_worker.pk}/").status_code == 404
    assert client.get(f"/registry/households/{registry.yt_household.pk}/").status_code == 404
    listing = client.get("/registry/enterprises/").content.decode()
    assert "阎良餐饮有限公司" in listing and "雁塔科技有限公司" not in listing
    assert client.post(f"/registry/reveal/worker/{registry.yt_worker.pk}/phone/").status_code == 404


def test_api_refuses_other_district(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    assert client.get(f"/api/registry/enterprises/{registry.yt_enterprise.pk}").status_code == 404
    assert client.get(f"/api/registry/workers/{registry.yt_worker.pk}").status_code == 404
    names = {w["name"] for w in client.get("/api/registry/workers").json()}
    assert names == {"冯建民", "曾丽"}
    response = client.patch(
        f"/api/registry/enterprises/{registry.yt_enterprise.pk}", {"name": "越权"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Enterprise.objects.get(pk=registry.yt_enterprise.pk).name == "雁塔科技有限公司"


def test_api_leader_cannot_write(client, tree, registry):
    client.force_login(tree.yanliang_leader)
    response = client.patch(
        f"/api/registry/enterprises/{registry.yl_enterprise.pk}", {"name": "领导改名"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Enterprise.objects.get(pk=registry.yl_enterprise.pk).name == "阎良餐饮有限公司"
