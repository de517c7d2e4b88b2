"""Funds pages for each role: balances as ¥1,234.50, forms only where the role may use them, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from niangjia.core.models import AuditEntry
from niangjia.funds.models import Allocation, FundPool, PaymentBatch
from niangjia.funds.services import PayeeLine, commitment_create, payment_batch_create

D = Decimal


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_city_admin_sees_every_pool_and_the_totals(tree, pools) -> None:  # type: ignore[no-untyped-def]
    html = _client(tree.city_admin).get(reverse("funds:pool_list")).content.decode()
    assert "2026年西安市总工会送温暖资金" in html and "2026年雁塔区总工会紧急救助资金" in html
    assert "¥125,000.00" in html  # 100,000 + 20,000 + 5,000
    assert "新建资金池" in html


@pytest.mark.django_db
def test_district_staff_see_their_district_only(tree, pools) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.yanliang_staff)
    html = client.get(reverse("funds:pool_list")).content.decode()
    assert "阎良区总工会紧急救助" in html and "雁塔区" not in html and "西安市总工会送温暖" not in html
    assert "¥20,000.00" in html
    assert client.get(reverse("funds:pool_detail", args=[pools.yanta_relief.pk])).status_code == 404
    assert client.get(reverse("funds:pool_ledger", args=[pools.city_warmth.pk])).status_code == 404
    response = client.post(reverse("funds:allocate", args=[pools.yanta_relief.pk]), {"amount": "1", "source": "other",
                                                                                  "received_on": "2026-03-01"})  # fmt: skip
    assert response.status_code == 404
    assert FundPool.objects.get(pk=pools.yanta_relief.pk).allocated == D("5000.00")


@pytest.mark.django_db
def test_staff_allocate_into_their_pool_and_a_bad_amount_is_refused_in_chinese(tree, pools) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.yanliang_staff)
    url = reverse("funds:allocate", args=[pools.yanliang_relief.pk])
    bad = client.post(url, {"amount": "12.345", "source": "donation", "received_on": "2026-03-01"})
    assert bad.status_code == 400 and "金额最多保留两位小数" in bad.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    ok = client.post(url, {"amount": "1234.50", "source": "donation", "received_on": "2026-03-01", "note": "爱心企业"})
    assert ok.status_code == 302
    html = client.get(reverse("funds:pool_detail", args=[pools.yanliang_relief.pk])).content.decode()
    assert "¥21,234.50" in html and "¥1,234.50" in html and "社会捐赠 · 爱心企业" in html
    assert Allocation.objects.filter(pool=pools.yanliang_relief).count() == 2


@pytest.mark.django_db
def test_a_leader_reads_without_forms(tree, pools) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.city_leader)
    html = client.get(reverse("funds:pool_detail", args=[pools.yanliang_relief.pk])).content.decode()
    assert "¥20,000.00" in html
    assert "登记拨入资金" not in html and "冲销这笔拨入" not in html
    assert "新建资金池" not in client.get(reverse("funds:pool_list")).content.decode()
    assert client.get(reverse("funds:pool_create")).status_code == 403
    allocation = Allocation.objects.filter(pool=pools.yanliang_relief).first()
    assert client.post(reverse("funds:allocation_reverse", args=[allocation.pk]), {"reason": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_pool_is_created_from_the_form_at_an_allowed_federation_only(tree) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.yanliang_staff)
    page = client.get(reverse("funds:pool_create")).content.decode()
    assert "阎良区总工会" in page and "西安市总工会" not in page
    refused = client.post(reverse("funds:pool_create"), {"programme": "warmth", "year": "2026", "org": tree.city.pk})
    assert refused.status_code == 400 and not FundPool.objects.exists()
    made = client.post(reverse("funds:pool_create"), {"programme": "warmth", "year": "2026", "org": tree.yanliang.pk})
    assert made.status_code == 302 and FundPool.objects.get().name == "2026年阎良区总工会送温暖资金"


@pytest.mark.django_db
def test_the_ledger_page_pages_by_keyset(tree, pools) -> None:  # type: ignore[no-untyped-def]
    for i in range(55):
        commitment_create(pool=pools.yanliang_relief, amount=D("10.00"), household_id=500 + i,
                          beneficiary_ref=f"household:{500 + i}", period="2026", reference=f"application:{i}",
                          actor=tree.yanliang_staff)  # fmt: skip
    client = _client(tree.yanliang_staff)
    url = reverse("funds:pool_ledger", args=[pools.yanliang_relief.pk])
    first = client.get(url).content.decode()
    assert first.count("审批占用</td>") == 50 and "更早的记录" in first and "申请 #54" in first
    older = client.get(url + "?before=" + first.split("?before=")[1].split('"')[0]).content.decode()
    assert older.count("审批占用</td>") == 5 and "资金拨入" in older and "更早的记录" not in older


@pytest.mark.django_db
def test_the_batch_page_masks_accounts_and_the_export_is_a_post(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commitment = commitment_create(pool=pools.yanliang_relief, amount=D("800.00"), household_id=1,
                                   beneficiary_ref="household:1", period="2026", reference="application:1",
                                   actor=tree.yanliang_staff)  # fmt: skip
    payee = PayeeLine("张三", "6101**********1234", "中国银行", "6222020200112233445", D("800.00"), "紧急救助")
    batch = payment_batch_create(commitments=[commitment], payees=[payee], actor=tree.yanliang_staff)
    client = _client(tree.yanliang_staff)
    html = client.get(reverse("funds:batch_detail", args=[batch.pk])).content.decode()
    assert "6222****3445" in html and "6222020200112233445" not in html and "导出 CSV" in html
    url = reverse("funds:batch_export", args=[batch.pk, "csv"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200 and "6222020200112233445" in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="funds.batch.export").count() == 1
    leader = _client(tree.yanliang_leader)
    page = leader.get(reverse("funds:batch_detail", args=[batch.pk])).content.decode()
    assert "6222****3445" in page and "导出银行代发文件" not in page
    assert "导入回执" not in page
    assert leader.post(url).status_code == 404
    assert _client(tree.yanta_staff).get(reverse("funds:batch_detail", args=[batch.pk])).status_code == 404
    assert PaymentBatch.objects.get().exports == 1


@pytest.mark.django_db
def test_the_result_upload_lists_bad_rows_and_writes_nothing(tree, pools) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    commitment = commitment_create(pool=pools.yanliang_relief, amount=D("800.00"), household_id=1,
                                   beneficiary_ref="household:1", period="2026", reference="application:1",
                                   actor=tree.yanliang_staff)  # fmt: skip
    payee = PayeeLine("张三", "6101**********1234", "中国银行", "6222020200112233445", D("800.00"))
    batch = payment_batch_create(commitments=[commitment], payees=[payee], actor=tree.yanliang_staff)
    client = _client(tree.yanliang_staff)
    url = reverse("funds:batch_import", args=[batch.pk])
    bad = SimpleUploadedFile("r.csv", f"流水号,支付结果\n{batch.code}-0001,未知\n".encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "第 2 行“支付结果”（未知）：“未知”不是支付结果" in response.content.decode()
    good = SimpleUploadedFile("r.csv", f"流水号,支付结果\n{batch.code}-0001,成功\n".encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert PaymentBatch.objects.get().status == "settled"


@pytest.mark.django_db
def test_the_report_for_each_role_and_its_export(tree, pools) -> None:  # type: ignore[no-untyped-def]
    from niangjia.funds.services import disbursement_pay

    for i in range(3):
        c = commitment_create(pool=pools.yanliang_relief, amount=D("1000.00"), household_id=10 + i,
                              beneficiary_ref=f"household:{10 + i}", period="2026", reference=f"application:{i}",
                              actor=tree.yanliang_staff)  # fmt: skip
        disbursement_pay(commitment=c, idempotency_key=f"k{i}", actor=tree.yanliang_staff)
    staff = _client(tree.yanliang_staff).get(reverse("funds:report")).content.decode()
    assert "¥3,000.00" in staff and 'data-testid="report-households">3<' in staff
    leader = _client(tree.yanliang_leader).get(reverse("funds:report")).content.decode()
    assert "¥3,000.00" in leader and 'data-testid="report-households">少于 5<' in leader and "导出 Excel" not in leader
    city = _client(tree.city_admin).get(reverse("funds:report")).content.decode()
    assert "¥125,000.00" in city
    response = _client(tree.city_admin).get(reverse("funds:report_export") + "?year=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action="core.export", target_label="帮扶资金统计").count() == 1
    assert _client(tree.yanliang_leader).get(reverse("funds:report_export")).status_code == 403
