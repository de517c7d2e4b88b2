"""Every funds page, for each role that has them: Chinese, no raw codes, money as ¥1,234.50 (the crawler's checks)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from niangjia.funds import choices as funds_choices
from niangjia.funds.models import Allocation
from niangjia.funds.services import PayeeLine, commitment_create, disbursement_pay, payment_batch_create
from niangjia.web.tests.test_every_page import _raw_codes, problems


def _funds_codes() -> set[str]:
    codes = set()
    for value in vars(funds_choices).values():
        if isinstance(value, type) and hasattr(value, "values") and hasattr(value, "choices"):
            codes |= {str(v) for v in value.values if str(v).isascii() and len(str(v)) > 1}
    return codes - {"xlsx", "csv"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["city_admin", "yanliang_staff", "yanliang_leader", "city_leader"])
def test_every_funds_page_reads_as_chinese(tree, pools, role) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    pool = pools.yanliang_relief
    made = [
        commitment_create(pool=pool, amount=Decimal("1234.50"), household_id=i, beneficiary_ref=f"household:{i}",
                          period="2026", reference=f"application:{i}", actor=staff)
        for i in (1, 2)
    ]  # fmt: skip
    disbursement_pay(commitment=made[0], idempotency_key="k", actor=staff)
    payee = PayeeLine("张三", "6101**********1234", "中国银行", "6222020200112233445", Decimal("1234.50"), "紧急救助")
    batch = payment_batch_create(commitments=[made[1]], payees=[payee], actor=staff)
    allocation = Allocation.objects.filter(pool=pool).first()
    client = Client()
    client.force_login(getattr(tree, role))
    urls = ["/funds/", f"/funds/{pool.pk}/", f"/funds/{pool.pk}/ledger/", "/funds/batches/",
            f"/funds/batches/{batch.pk}/", "/funds/report/", "/funds/report/?year=2026"]  # fmt: skip
    if role.endswith("staff") or role == "city_admin":
        urls += ["/funds/new/", f"/funds/allocations/{allocation.pk}/reverse/"]
    raw = _raw_codes() | _funds_codes()
    report = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # The test users' names (admin…) are data, shown in the navigation bar.
        found = [p for p in problems(response.content.decode(), raw) if p != "English word: admin"]
        report += [f"{url}: {p}" for p in found]
    assert not report, "\n".join(report)
