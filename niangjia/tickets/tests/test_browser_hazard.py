"""A real Chromium on a 375-px phone: a worker reports a hazard without logging in and gets a tracking code;
district staff triage it, order it rectified, verify and resolve it; the worker follows it by the code,
rates it, and sees it closed. Screenshots of each page under var/screenshots/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.tickets.models import Ticket

pytestmark = pytest.mark.browser


def test_a_hazard_from_a_phone_report_to_the_reporter_seeing_it_closed(browser, live_server, tree):  # type: ignore[no-untyped-def]
    worker = phone(browser)
    worker.goto(f"{live_server.url}/t/new/")
    worker.select_option("#id_kind", "hazard")
    worker.select_option("#id_org", label="阎良区总工会")
    worker.fill("#id_title", "车间消防通道被货物堵塞")
    worker.fill("#id_description", "二号车间东侧通道，堆放纸箱已一周。")
    assert worker.is_checked("#id_anonymous")
    fits(worker)
    shoot(worker, "hazard-report-375.png")
    worker.click("button[type=submit]")
    code = worker.inner_text("code")
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", code)
    fits(worker)
    shoot(worker, "hazard-code-375.png")
    ticket = Ticket.objects.get()
    assert ticket.anonymous and ticket.kind == "hazard"

    staff = phone(browser)
    sign_in(staff, live_server.url, "yl_staff", PASSWORD)
    staff.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    staff.check("#id_triage-grade_0")  # 一般事故隐患
    staff.fill("#id_triage-note", "已到现场核实，通道确被堵塞。")
    fits(staff)
    shoot(staff, "hazard-triage-375.png")
    staff.click("[data-testid=triage-form] button[type=submit]")
    assert "一般事故隐患" in staff.inner_text("[data-testid=hazard]")
    staff.click("button[name=move][value=start]")
    staff.fill("#id_rectify-rectify_by", (timezone.localdate() + timedelta(days=3)).isoformat())
    staff.click("[data-testid=rectify-form] button[type=submit]")
    assert "未下达" not in staff.inner_text("[data-testid=hazard]")
    staff.fill("#move-note", "复查：纸箱已清走，通道畅通。")
    staff.click("button[name=move][value=verify]")
    assert "未验收" not in staff.inner_text("[data-testid=hazard]")
    staff.fill("#move-note", "企业已清理通道并设置禁止堆放标识。")
    staff.click("button[name=move][value=resolve]")
    assert "已办结" in staff.inner_text("main")
    fits(staff)
    shoot(staff, "hazard-resolved-375.png")
    assert axe_violations(staff) == []

    worker.goto(f"{live_server.url}/t/{code}/")
    assert "已办结" in worker.inner_text("[data-testid=public-status]")
    assert "二号车间" not in worker.content() and "阎良" not in worker.inner_text("main")
    worker.check("#id_satisfaction_0")  # 5 分
    fits(worker)
    shoot(worker, "hazard-rate-375.png")
    worker.click("[data-testid=rate-form] button[type=submit]")
    assert "已结案" in worker.inner_text("[data-testid=public-status]")
    assert "感谢您的评价" in worker.inner_text("main") and not worker.is_visible("[data-testid=rate-form]")
    assert axe_violations(worker) == []
    shoot(worker, "hazard-closed-375.png")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == ("closed", 5)
