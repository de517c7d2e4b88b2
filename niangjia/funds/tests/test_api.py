"""Funds API: scoped reads, writes refused out of scope with nothing written, money as exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from niangjia.funds.models import Allocation, Disbursement, FundPool, LedgerEntry
from niangjia.funds.services import PayeeLine, commitment_create, payment_batch_create

D = Decimal


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _commit(tree, pools, i: int = 1, amount: str = "600.00"):  # type: ignore[no-untyped-def]
    return commitment_create(pool=pools.yanliang_relief, amount=D(amount), household_id=i,
                             beneficiary_ref=f"household:{i}", period="2026", reference=f"application:{i}",
                             actor=tree.yanliang_staff)  # fmt: skip


@pytest.mark.django_db
def test_pools_are_listed_within_scope_with_exact_balances(tree, pools) -> None:  # type: ignore[no-untyped-def]
    rows = _client(tree.yanliang_staff).get("/api/funds/pools").json()
    assert [(r["name"], r["available"]) for r in rows] == [("2026年阎良区总工会紧急救助资金", "20000.00")]
    city = _client(tree.city_admin).get("/api/funds/pools?programme=warmth").json()
    assert [r["programme"] for r in city] == ["warmth"]
    assert _client(tree.yanliang_staff).get(f"/api/funds/pools/{pools.yanta_relief.pk}").status_code == 404
    ledger = _client(tree.yanliang_staff).get(f"/api/funds/pools/{pools.yanliang_relief.pk}/ledger").json()
    assert ledger[0]["kind"] == "allocation"
    assert sorted((line["account"], line["amount"]) for line in ledger[0]["lines"]) == [
        ("available", "20000.00"),
        ("source", "-20000.00"),
    ]


@pytest.mark.django_db
def test_allocating_out_of_scope_or_as_a_leader_is_refused_and_writes_nothing(tree, pools) -> None:  # type: ignore[no-untyped-def]
    body = {"amount": "100.00", "source": "donation"}
    lines = LedgerEntry.objects.count()
    url = f"/api/funds/pools/{pools.yanta_relief.pk}/allocations"
    assert _client(tree.yanliang_staff).post(url, body, content_type="application/json").status_code == 404
    assert _client(tree.city_leader).post(url, body, content_type="application/json").status_code == 404
    bad = _client(tree.yanta_staff).post(
        url, {"amount": "1.001", "source": "donation"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert LedgerEntry.objects.count() == lines
    ok = _client(tree.yanta_staff).post(url, body, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["amount"] == "100.00"
    assert FundPool.objects.get(pk=pools.yanta_relief.pk).available == D("5100.00")
    reverse = _client(tree.yanta_staff).post(f"/api/funds/allocations/{ok.json()['id']}/reverse",
                                             {"reason": "重复登记"}, content_type="application/json")  # fmt: skip
    assert reverse.status_code == 200 and reverse.json()["reversal_id"] is not None
    assert Allocation.objects.get(pk=ok.json()["id"]).reversal_reason == "重复登记"


@pytest.mark.django_db
def test_a_pool_is_created_at_a_federation_in_scope(tree) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.yanliang_staff)
    body = {"programme": "school_aid", "year": 2026, "org_id": tree.city.pk}
    assert client.post("/api/funds/pools", body, content_type="application/json").status_code == 404
    body["org_id"] = tree.yanliang_street.pk
    street = client.post("/api/funds/pools", body, content_type="application/json")
    assert street.status_code == 422 and "市总工会或区县总工会" in street.json()["error"]["message"]
    body["org_id"] = tree.yanliang.pk
    made = client.post("/api/funds/pools", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["available"] == "0.00"
    assert client.post("/api/funds/pools", body, content_type="application/json").status_code == 422


@pytest.mark.django_db
def test_paying_through_the_api_is_idempotent(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commitment = _commit(tree, pools)
    client = _client(tree.yanliang_staff)
    url = f"/api/funds/commitments/{commitment.pk}/pay"
    first = client.post(url, {"idempotency_key": "req-1"}, content_type="application/json")
    again = client.post(url, {"idempotency_key": "req-1"}, content_type="application/json")
    assert first.status_code == again.status_code == 200 and first.json()["id"] == again.json()["id"]
    other = client.post(url, {"idempotency_key": "req-2"}, content_type="application/json")
    assert other.status_code == 422 and other.json()["error"]["details"] == {
        "commitment": ["该笔已发放，不能重复发放。"]
    }
    assert Disbursement.objects.count() == 1
    assert (
        _client(tree.yanta_staff).post(url, {"idempotency_key": "x"}, content_type="application/json").status_code
        == 404
    )
    returned = client.post(f"/api/funds/disbursements/{first.json()['id']}/return", {"reason": "退票"},
                           content_type="application/json")  # fmt: skip
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert FundPool.objects.get(pk=pools.yanliang_relief.pk).available == D("20000.00")


@pytest.mark.django_db
def test_commitments_are_read_and_released_within_scope(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commitment = _commit(tree, pools)
    rows = _client(tree.yanliang_staff).get("/api/funds/commitments?status=open").json()
    assert [(r["id"], r["amount"], r["household_id"]) for r in rows] == [(commitment.pk, "600.00", 1)]
    assert _client(tree.yanta_staff).get("/api/funds/commitments").json() == []
    url = f"/api/funds/commitments/{commitment.pk}/release"
    assert _client(tree.yanliang_leader).post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    released = _client(tree.yanliang_staff).post(url, {"reason": "申请撤回"}, content_type="application/json")
    assert released.status_code == 200 and released.json()["status"] == "released"


@pytest.mark.django_db
def test_a_batch_is_exported_and_its_result_imported_through_the_api(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commitment = _commit(tree, pools)
    payee = PayeeLine("张三", "6101**********1234", "中国银行", "6222020200112233445", D("600.00"))
    batch = payment_batch_create(commitments=[commitment], payees=[payee], actor=tree.yanliang_staff)
    client = _client(tree.yanliang_staff)
    lines = client.get(f"/api/funds/batches/{batch.pk}/lines").json()
    assert lines[0]["account_masked"] == "6222****3445" and "account" not in lines[0]
    exported = client.post(f"/api/funds/batches/{batch.pk}/export?fmt=csv")
    assert exported.status_code == 200 and "6222020200112233445" in exported.content.decode("utf-8-sig")
    assert _client(tree.city_leader).post(f"/api/funds/batches/{batch.pk}/export?fmt=csv").status_code == 404
    bad = SimpleUploadedFile("r.csv", f"流水号,支付结果,金额\n{batch.code}-0001,成功,1.00\n".encode())
    refused = client.post(f"/api/funds/batches/{batch.pk}/results", {"file": bad})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {"file": ["第 2 行“金额”：金额与代发文件不符（应为 600.00）。"]}
    good = SimpleUploadedFile("r.csv", f"流水号,支付结果\n{batch.code}-0001,失败\n".encode())
    done = client.post(f"/api/funds/batches/{batch.pk}/results", {"file": good})
    assert done.json() == {"rows": 1, "paid": 0, "failed": 1, "unchanged": 0}
    assert client.get(f"/api/funds/batches/{batch.pk}").json()["status"] == "settled"
    assert FundPool.objects.get(pk=pools.yanliang_relief.pk).available == D("20000.00")


@pytest.mark.django_db
def test_the_report_withholds_small_household_counts_from_leaders(tree, pools) -> None:  # type: ignore[no-untyped-def]
    from niangjia.funds.services import disbursement_pay

    disbursement_pay(commitment=_commit(tree, pools), idempotency_key="k", actor=tree.yanliang_staff)
    staff = _client(tree.yanliang_staff).get("/api/funds/report?year=2026").json()
    assert (staff["paid"], staff["households"]) == ("600.00", 1)
    month = next(t for t in staff["tables"] if t["key"] == "month")
    assert month["rows"][0][1:] == ["紧急救助", "600.00", 1]
    leader = _client(tree.yanliang_leader).get("/api/funds/report").json()
    assert (leader["paid"], leader["households"]) == ("600.00", "少于 5")
