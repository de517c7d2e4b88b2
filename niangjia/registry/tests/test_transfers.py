"""No existence oracle: registering an ID number held by another union, and the transfer that answers it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client, override_settings

from niangjia.core.identifiers import make_id_number
from niangjia.core.models import AuditEntry
from niangjia.orgs.services import token_create
from niangjia.registry.choices import TransferStatus
from niangjia.registry.importing import ImportFileError, import_file
from niangjia.registry.models import Employment, Worker, WorkerTransfer
from niangjia.registry.tests.conftest import YT_ID
from niangjia.registry.tests.fixtures.sheets import write_xlsx

NEW_ID = make_id_number("610114", date(1992, 5, 5), 77, "M")


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    _, raw = token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _register(client: Client, enterprise_id: int, id_number: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    answer = client.post(
        "/api/registry/workers",
        {"name": "王芳", "id_number": id_number, "enterprise_id": enterprise_id},
        content_type="application/json",
    )
    return answer.status_code, answer.json()


@pytest.mark.django_db
def test_roles_that_cannot_register_get_one_answer_whether_or_not_the_number_exists(tree, registry):  # type: ignore[no-untyped-def]
    leader = _api(tree.yanliang_leader)
    staff = _api(tree.yanliang_staff)

    # A leader may not register: the enterprise is not theirs to change (404), whatever the number.
    held, unknown = (
        _register(leader, registry.yl_enterprise.pk, YT_ID),
        _register(leader, registry.yl_enterprise.pk, NEW_ID),
    )
    assert held == unknown and held[0] == 404
    # Nobody may register at an enterprise out of scope: the same 404 either way.
    held, unknown = (
        _register(staff, registry.yt_enterprise.pk, YT_ID),
        _register(staff, registry.yt_enterprise.pk, NEW_ID),
    )
    assert held == unknown and held[0] == 404
    assert Worker.objects.count() == 3
    assert not AuditEntry.objects.filter(action="registry.worker.found_elsewhere").exists()


@pytest.mark.django_db
@override_settings(NIANGJIA_DISCLOSURES_PER_HOUR=2)
def test_registering_a_number_held_elsewhere_is_a_budgeted_audited_disclosure(tree, registry):  # type: ignore[no-untyped-def]
    staff = _api(tree.yanliang_staff)

    answers = [_register(staff, registry.yl_enterprise.pk, YT_ID) for _ in range(3)]

    assert [status for status, _ in answers] == [409, 409, 429]
    assert answers[0][1]["error"]["code"] == "registered_elsewhere"
    assert "调动申请" in answers[0][1]["error"]["message"]
    assert AuditEntry.objects.filter(action="registry.worker.found_elsewhere", actor=tree.yanliang_staff).count() == 2
    assert Worker.objects.get(pk=registry.yt_worker.pk).org == registry.yt_worker.org  # nothing changed


@pytest.mark.django_db
def test_transfer_requested_approved_and_the_worker_moves(tree, registry):  # type: ignore[no-untyped-def]
    requester, holder = _api(tree.yanliang_staff), _api(tree.yanta_staff)
    payload = {"name": "王芳", "id_number": YT_ID, "enterprise_id": registry.yl_enterprise.pk, "post": "收银员"}

    created = requester.post("/api/registry/transfers", payload, content_type="application/json")
    again = requester.post("/api/registry/transfers", payload, content_type="application/json")
    incoming = holder.get("/api/registry/transfers", {"box": "incoming"}).json()
    # The requester's side cannot decide, and sees nothing of the record.
    refused = requester.post(
        f"/api/registry/transfers/{created.json()['id']}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    approved = holder.post(
        f"/api/registry/transfers/{created.json()['id']}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )

    assert created.status_code == 201 and created.json()["id_number"] == "6101**********" + YT_ID[-4:]
    assert again.status_code == 422 and "已经为该职工提交过" in again.json()["error"]["message"]
    assert [t["name"] for t in incoming] == ["王芳"]
    assert refused.status_code == 404
    assert approved.status_code == 200 and approved.json()["status"] == TransferStatus.APPROVED
    worker = Worker.objects.get(pk=registry.yt_worker.pk)
    assert worker.org == registry.yl_enterprise.org
    jobs = {(j.enterprise_id, j.end_date is None) for j in Employment.objects.filter(worker=worker)}
    assert jobs == {(registry.yt_enterprise.pk, False), (registry.yl_enterprise.pk, True)}
    assert requester.get(f"/api/registry/workers/{worker.pk}").status_code == 200
    assert holder.get(f"/api/registry/workers/{worker.pk}").status_code == 404
    # Decided once: a second decision changes nothing.
    twice = holder.post(
        f"/api/registry/transfers/{created.json()['id']}/decision",
        {"decision": "reject", "note": "x"},
        content_type="application/json",
    )
    assert twice.status_code == 422 and "已处理" in twice.json()["error"]["message"]
    assert WorkerTransfer.objects.get().status == TransferStatus.APPROVED


@pytest.mark.django_db
def test_transfer_for_a_number_nowhere_else_is_refused_and_counted(tree, registry):  # type: ignore[no-untyped-def]
    requester = _api(tree.yanliang_staff)
    answer = requester.post(
        "/api/registry/transfers",
        {"name": "无名", "id_number": NEW_ID, "enterprise_id": registry.yl_enterprise.pk},
        content_type="application/json",
    )
    assert answer.status_code == 422 and "无需调动" in answer.json()["error"]["message"]
    assert AuditEntry.objects.filter(action="registry.worker.found_elsewhere").count() == 1
    assert not WorkerTransfer.objects.exists()


@pytest.mark.django_db
def test_rejecting_needs_a_reason(tree, registry):  # type: ignore[no-untyped-def]
    requester, holder = _api(tree.yanliang_staff), _api(tree.yanta_staff)
    pk = requester.post(
        "/api/registry/transfers",
        {"name": "王芳", "id_number": YT_ID, "enterprise_id": registry.yl_enterprise.pk},
        content_type="application/json",
    ).json()["id"]

    bare = holder.post(
        f"/api/registry/transfers/{pk}/decision", {"decision": "reject"}, content_type="application/json"
    )
    still_pending = WorkerTransfer.objects.get(pk=pk).status
    with_note = holder.post(
        f"/api/registry/transfers/{pk}/decision",
        {"decision": "reject", "note": "该职工仍在本单位"},
        content_type="application/json",
    )

    assert bare.status_code == 422 and still_pending == TransferStatus.PENDING
    assert with_note.json()["status"] == TransferStatus.REJECTED
    outgoing = requester.get("/api/registry/transfers", {"box": "outgoing"}).json()
    assert [(t["status_label"], t["note"]) for t in outgoing] == [("已退回", "该职工仍在本单位")]


@pytest.mark.django_db
def test_web_register_offers_a_transfer(tree, registry):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tree.yanliang_staff)
    form = {"name": "王芳", "id_number": YT_ID, "form": "standard", "union_member": "on"}

    page = client.post(f"/registry/enterprises/{registry.yl_enterprise.pk}/register/", form)
    sent = client.post(f"/registry/enterprises/{registry.yl_enterprise.pk}/transfer/", form, follow=True)

    assert page.status_code == 422 and "提交调动申请" in page.content.decode()
    assert "调动申请已提交" in sent.content.decode()
    assert WorkerTransfer.objects.get().to_enterprise == registry.yl_enterprise


@pytest.mark.django_db
@override_settings(NIANGJIA_DISCLOSURES_PER_HOUR=1)
def test_import_counts_numbers_held_elsewhere_against_the_budget(tree, registry, tmp_path: Path):  # type: ignore[no-untyped-def]
    other = make_id_number("610113", date(1980, 1, 1), 5, "F")
    import_file(
        kind="workers",
        path=write_xlsx(tmp_path / "yt.xlsx", [["姓名", "身份证号", "工作单位"], ["乙", other, "雁塔科技有限公司"]]),
        user=None,
    )
    header = ["姓名", "身份证号", "工作单位"]
    one = write_xlsx(tmp_path / "one.xlsx", [header, ["王芳", YT_ID, "阎良餐饮有限公司"]])
    two = write_xlsx(
        tmp_path / "two.xlsx", [header, ["王芳", YT_ID, "阎良餐饮有限公司"], ["乙", other, "阎良餐饮有限公司"]]
    )

    preview = import_file(kind="workers", path=one, user=tree.yanliang_staff, dry_run=True)
    confirm = import_file(kind="workers", path=one, user=tree.yanliang_staff, disclosed=preview.found_elsewhere)
    with pytest.raises(ImportFileError, match="超过每小时可核对的次数"):
        import_file(kind="workers", path=two, user=tree.yanliang_staff, dry_run=True)

    assert "调动申请" in preview.errors[0].reason and confirm.errors[0].reason == preview.errors[0].reason
    # The preview told one record; confirming the same upload did not count it again; the refused
    # file's first record was told before the budget ran out, so it is audited too.
    assert AuditEntry.objects.filter(action="registry.worker.found_elsewhere").count() == 2
