"""Real Chromium: district staff on a 375-px phone and the city admin on a desktop look at the funds pages.

Staff put money into their district's pool through the form and see the balance as ¥…; the ledger,
a payment batch with masked accounts, and the report. The city admin sees every pool and the report.
Screenshots under var/screenshots/funds-*.png; every page fits the phone and passes axe (serious, critical).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.funds.services import PayeeLine, commitment_create, disbursement_pay, payment_batch_create

pytestmark = pytest.mark.browser
D = Decimal


def _activity(tree, pools) -> int:  # type: ignore[no-untyped-def]
    """A few grants paid, two waiting in a batch for the bank; returns the batch id."""
    staff = tree.yanliang_staff
    commitments = [
        commitment_create(pool=pools.yanliang_relief, amount=D(f"{1000 + 200 * i}.00"), household_id=100 + i,
                          beneficiary_ref=f"household:{100 + i}", period="2026", reference=f"application:{i}",
                          actor=staff)
        for i in range(8)
    ]  # fmt: skip
    for i, commitment in enumerate(commitments[:6]):
        disbursement_pay(commitment=commitment, idempotency_key=f"pay-{i}", actor=staff)
    payees = [
        PayeeLine(
            "张建国", "6101**********3456", "中国工商银行西安阎良支行", "6222020200112233445", D("2200.00"), "紧急救助"
        ),
        PayeeLine(
            "李秀兰", "6101**********0021", "中国建设银行西安阎良支行", "6217000010002223334", D("2400.00"), "紧急救助"
        ),
    ]
    return payment_batch_create(commitments=commitments[6:], payees=payees, actor=staff).pk


def test_district_staff_on_a_phone_and_the_city_admin_on_a_desktop(browser, live_server, tree, pools):  # type: ignore[no-untyped-def]
    batch = _activity(tree, pools)
    pool = pools.yanliang_relief.pk
    staff = phone(browser)
    sign_in(staff, live_server.url, "yl_staff", PASSWORD)
    staff.goto(f"{live_server.url}/funds/")
    cards = staff.inner_text("[data-testid=pool-cards]")
    assert "阎良区总工会紧急救助资金" in cards and "雁塔区" not in cards
    assert "可用余额 ¥6,400.00" in cards
    fits(staff)
    assert axe_violations(staff) == []
    shoot(staff, "funds-pools-375.png")

    staff.goto(f"{live_server.url}/funds/{pool}/")
    staff.fill("#id_amount", "1234.50")
    staff.select_option("#id_source", label="社会捐赠")
    staff.fill("#id_received_on", "2026-03-02")
    staff.fill("#id_note", "爱心企业捐赠")
    fits(staff)
    staff.click("[data-testid=allocation-form] button[type=submit]")
    balances = staff.inner_text("[data-testid=balances]")
    assert "¥21,234.50" in balances and "¥7,634.50" in balances
    assert "已拨入 ¥1,234.50" in staff.inner_text("main")
    fits(staff)
    assert axe_violations(staff) == []
    shoot(staff, "funds-pool-375.png")

    staff.goto(f"{live_server.url}/funds/{pool}/ledger/")
    fits(staff)
    assert "已发放\n+¥2,000.00" in staff.inner_text("[data-testid=ledger-cards]")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(staff, "funds-ledger-375.png")

    staff.goto(f"{live_server.url}/funds/batches/{batch}/")
    main = staff.inner_text("main")
    assert "6222****3445" in main and "6222020200112233445" not in main
    fits(staff)
    assert axe_violations(staff) == []
    shoot(staff, "funds-batch-375.png")

    staff.goto(f"{live_server.url}/funds/report/")
    assert "¥21,234.50" in staff.inner_text("[data-testid=report-total]")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(staff) == []
    shoot(staff, "funds-report-375.png")

    admin = phone(browser, width=1280)
    sign_in(admin, live_server.url, "admin", PASSWORD)
    admin.goto(f"{live_server.url}/funds/")
    table = admin.inner_text("[data-testid=pool-table]")
    assert "2026年西安市总工会送温暖资金" in table and "2026年雁塔区总工会紧急救助资金" in table
    assert "¥126,234.50" in admin.inner_text("[data-testid=pool-totals]")
    assert axe_violations(admin) == []
    shoot(admin, "funds-pools-desktop.png")
    admin.goto(f"{live_server.url}/funds/{pool}/")
    shoot(admin, "funds-pool-desktop.png")
    admin.goto(f"{live_server.url}/funds/report/?year=2026")
    assert "送温暖" in admin.inner_text("[data-testid=report-programme]")
    assert axe_violations(admin) == []
    shoot(admin, "funds-report-desktop.png")
    admin.goto(f"{live_server.url}/funds/batches/{batch}/")
    shoot(admin, "funds-batch-desktop.png")
