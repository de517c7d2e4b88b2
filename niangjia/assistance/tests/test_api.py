"""The assistance API: scoped like the pages, refusals write nothing, the whole flow from queue to payment."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from niangjia.assistance.models import Application, ContactHousehold, HardshipArchive, QueueItem
from niangjia.assistance.services import queue_rebuild
from niangjia.assistance.tests.conftest import today
from niangjia.assistance.tests.test_uploads import PDF
from niangjia.core.models import AuditEntry

pytestmark = pytest.mark.django_db
API = "/api/assistance"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict) -> tuple[int, dict]:  # type: ignore[type-arg]
    answer = client.post(API + path, json.dumps(body), content_type="application/json")
    return answer.status_code, answer.json()


def test_queue_cards_scoped(tree, relief) -> None:
    queue_rebuild()
    page = client_for(tree.yanliang_cadre).get(f"{API}/queue", {"policy_id": "emergency_relief"}).json()
    assert [c["head"] for c in page["cards"]] == ["冯建民"] and page["next"] is None
    item = next(i for i in page["cards"][0]["items"] if i["policy_id"] == "emergency_relief")
    assert (item["amount"], item["missing_documents"], item["status"]) == ("2000.00", ["事故证明"], "pending")
    assert client_for(tree.yanta_staff).get(f"{API}/queue").json()["cards"] == []
    assert client_for(tree.yanliang_leader).get(f"{API}/queue").status_code == 403
    assert client_for(tree.yanta_staff).get(f"{API}/queue/{relief.yl_household.pk}").status_code == 404


def test_status_and_assignment(tree, relief) -> None:
    queue_rebuild()
    item = QueueItem.objects.get(policy_id="emergency_relief")
    before = AuditEntry.objects.count()
    status, body = post(client_for(tree.yanta_staff), f"/queue/items/{item.pk}/status", {"status": "contacted"})
    assert status == 404 and AuditEntry.objects.count() == before
    status, body = post(client_for(tree.yanliang_cadre), f"/queue/items/{item.pk}/status", {"status": "declined"})
    assert status == 422 and "须填写原因" in body["error"]["message"]
    status, body = post(client_for(tree.yanliang_cadre), f"/queue/items/{item.pk}/status", {"status": "done"})
    assert status == 422
    status, body = post(client_for(tree.yanliang_cadre), f"/queue/items/{item.pk}/status", {"status": "contacted"})
    assert (status, body["status"]) == (200, "contacted")
    status, body = post(client_for(tree.yanliang_staff), f"/queue/{relief.yl_household.pk}/assign",
                        {"assignee_id": tree.yanliang_cadre2.pk})  # fmt: skip
    assert status == 422
    status, body = post(client_for(tree.yanliang_staff), f"/queue/{relief.yl_household.pk}/assign",
                        {"assignee_id": tree.yanliang_cadre.pk})  # fmt: skip
    assert (status, body["assignee_id"]) == (200, tree.yanliang_cadre.pk)


def test_file_upload_approve_pay_through_the_api(tree, relief, pools, settings, tmp_path, committed) -> None:
    settings.MEDIA_ROOT = tmp_path
    cadre, staff = client_for(tree.yanliang_cadre), client_for(tree.yanliang_staff)
    status, body = post(cadre, "/applications", {"household_id": relief.yl_household.pk, "policy_id": "emergency_relief",
                                                 "filed_by_proxy": True, "authorisation": "verbal_witnessed",
                                                 "authorised_on": today().isoformat()})  # fmt: skip
    assert status == 201, body
    pk, paper = body["id"], body["papers"][0]
    assert (body["amount"], body["status"], paper["kind"], paper["status"]) == (
        "2000.00",
        "draft",
        "事故证明",
        "missing",
    )
    assert body["decisions"][0]["status"] == "eligible" and body["decisions"][0]["content_hash"]
    answer = cadre.post(
        f"{API}/papers/{paper['id']}/files", {"file": SimpleUploadedFile("a.pdf", PDF), "holder": "office"}
    )
    assert answer.status_code == 201 and answer.json()["papers"][0]["status"] == "received"
    assert post(cadre, f"/applications/{pk}/move", {"move": "submit"})[1]["status"] == "submitted"
    status, body = post(cadre, f"/applications/{pk}/move", {"move": "approve"})
    assert status == 422 and "角色不能" in body["error"]["message"]
    assert post(staff, f"/applications/{pk}/move", {"move": "approve"})[1]["approved_amount"] == "2000.00"
    with committed():
        status, body = post(staff, f"/applications/{pk}/move", {"move": "pay"})
    assert (status, body["status"], body["paid_on"]) == (200, "paid", today().isoformat())
    assert [d["stage"] for d in body["decisions"]] == ["filed", "approval", "payment"]
    again = post(staff, f"/applications/{pk}/move", {"move": "pay"})
    assert again[0] == 200 and Application.objects.get().approved_amount == Decimal("2000.00")


def test_out_of_scope_filing_writes_nothing(tree, relief) -> None:
    before = (Application.objects.count(), AuditEntry.objects.count())
    status, _ = post(client_for(tree.yanta_staff), "/applications",
                     {"household_id": relief.yl_household.pk, "policy_id": "emergency_relief"})  # fmt: skip
    assert status == 404
    status, _ = post(client_for(tree.yanliang_leader), "/applications",
                     {"household_id": relief.yl_household.pk, "policy_id": "emergency_relief"})  # fmt: skip
    assert status == 403
    status, _ = post(client_for(tree.yanliang_staff), "/applications",
                        {"household_id": relief.yl_household.pk, "policy_id": "NOT A POLICY"})  # fmt: skip
    assert status == 422
    assert (Application.objects.count(), AuditEntry.objects.count()) == before


def test_archive_and_contacts_through_the_api(tree, registry) -> None:
    cadre, staff = client_for(tree.yanliang_cadre), client_for(tree.yanliang_staff)
    status, body = post(cadre, "/archive", {"household_id": registry.yl_household.pk, "level": "deep",
                                            "main_cause": "serious_illness", "secondary_causes": ["schooling"]})  # fmt: skip
    assert status == 201 and body["status"] == "suspected" and body["secondary_causes"] == ["schooling"]
    status, body = post(cadre, "/archive", {"household_id": registry.yl_household.pk, "level": "deep",
                                            "main_cause": "other", "secondary_causes": ["laid_off"] * 4})  # fmt: skip
    assert status == 422
    pk = HardshipArchive.objects.get().pk
    assert post(cadre, f"/archive/{pk}/move", {"move": "verify", "note": "入户"})[1]["status"] == "verified"
    assert post(client_for(tree.yanta_staff), f"/archive/{pk}/move", {"move": "dismiss", "note": "x"})[0] == 404
    status, body = post(staff, "/contacts", {"household_id": registry.yl_household.pk, "cadre_id": tree.yanliang_cadre.pk,
                                             "frequency": "monthly", "reason": "残疾成员"})  # fmt: skip
    assert status == 201 and body["frequency"] == "monthly"
    contact = ContactHousehold.objects.get()
    status, body = post(cadre, f"/contacts/{contact.pk}/logs", {"at": f"{today().isoformat()}T00:00:00+08:00",
                                                                "channel": "phone", "note": "电话问候"})  # fmt: skip
    assert status == 200 and body["logs"][0]["note"] == "电话问候"
    assert client_for(tree.yanliang_cadre2).get(f"{API}/contacts/{contact.pk}").status_code == 404
