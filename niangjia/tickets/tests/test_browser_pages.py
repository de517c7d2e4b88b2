"""Debian's Chromium at 375 px and 1280 px: the pages issue 12 changed, as district staff and as a cadre.

A worker reports a hazard with two photos; the cadre verifies it with a photo; an enterprise problem is
matched with a partner and closed after a follow-up call; the report is filtered. Every page fits the phone,
has no serious accessibility violation, and is saved under var/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.tickets.choices import Channel, Kind
from niangjia.tickets.hazards import hazard_rectification_order, hazard_triage
from niangjia.tickets.models import Ticket
from niangjia.tickets.services import ticket_create, ticket_transfer, ticket_transition
from niangjia.tickets.tests.files import jpeg, png

pytestmark = pytest.mark.browser
DESKTOP = 1280


def _check(page, name: str, width: int = 375) -> None:  # type: ignore[no-untyped-def]
    if width == 375:
        fits(page)
    shoot(page, name)
    assert axe_violations(page) == []


def _images_load(page, where: str) -> None:  # type: ignore[no-untyped-def]
    """The thumbnails in `where` load (they are lazy: scrolled into view first) and are real images."""
    page.locator(where).scroll_into_view_if_needed()
    page.wait_for_function(
        f"[...document.querySelectorAll('{where} img')].every(i => i.complete && i.naturalWidth > 0)", timeout=15000
    )


def test_photos_cooperation_calls_and_the_report_on_a_phone_and_a_desk(
    browser, live_server, tree, registry, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = live_server.url
    (tmp_path / "IMG_0412.jpg").write_bytes(jpeg(1200, 900, gps=True))
    (tmp_path / "screenshot.png").write_bytes(png(800, 600))
    (tmp_path / "after.jpg").write_bytes(jpeg(1200, 900, colour="green"))

    worker = phone(browser)
    worker.goto(f"{url}/t/new/")
    worker.select_option("#id_kind", "hazard")
    worker.select_option("#id_org", label="阎良区总工会")
    worker.fill("#id_title", "仓库货物堆放超高")
    worker.set_input_files("#id_photos", [str(tmp_path / "IMG_0412.jpg"), str(tmp_path / "screenshot.png")])
    _check(worker, "issue12-report-photos-375.png")
    worker.click("button[type=submit]")
    code = worker.inner_text("code")
    hazard = Ticket.objects.get(kind="hazard")
    assert hazard.attachments.count() == 2

    staff, cadre = tree.yanliang_staff, tree.yanliang_cadre
    ticket_transfer(actor=staff, ticket=hazard, org=tree.yanliang_street, handler=cadre, note="由街道核实")
    hazard_triage(actor=cadre, ticket=hazard, grade="general", note="已核实")
    ticket_transition(actor=cadre, ticket=hazard, move="start")
    hazard_rectification_order(
        actor=cadre, ticket=hazard, rectify_by=timezone.localdate(), enterprise=registry.yl_enterprise
    )

    cadre_page = phone(browser)
    sign_in(cadre_page, url, "yl_cadre", PASSWORD)
    cadre_page.goto(f"{url}/tickets/{hazard.pk}/")
    cadre_page.fill("#move-note", "复查：货物已降至限高线以下。")
    cadre_page.set_input_files("#move-photos", str(tmp_path / "after.jpg"))
    cadre_page.click("button[name=move][value=verify]")
    assert "整改验收照片" in cadre_page.inner_text("[data-testid=files]")
    assert cadre_page.locator("[data-testid=files] img").count() == 3
    _images_load(cadre_page, "[data-testid=files]")
    _check(cadre_page, "issue12-hazard-cadre-375.png")

    problem = ticket_create(actor=staff, channel=Channel.VISIT, kind=Kind.ENTERPRISE_PROBLEM, title="企业通信网络不稳定",
                            org=tree.yanliang_street, enterprise=registry.yl_enterprise, handler=cadre)[0]  # fmt: skip
    ticket_transition(actor=cadre, ticket=problem, move="accept")
    cadre_page.goto(f"{url}/tickets/{problem.pk}/")
    cadre_page.click("[data-testid=cooperation] summary")
    cadre_page.fill("#id_coop-partner", "西安电信南高新运营中心")
    cadre_page.fill("#id_coop-work", "提供专线接入和通信保障方案")
    cadre_page.click("[data-testid=cooperation-form] button[type=submit]")
    assert "已对接西安电信南高新运营中心" in cadre_page.inner_text("main")
    cadre_page.click("[data-testid=cooperation] details summary")
    cadre_page.fill("textarea[name=done-result]", "双方签署战略合作协议")
    _check(cadre_page, "issue12-cooperation-cadre-375.png")
    cadre_page.click("[data-testid=cooperation] details button[type=submit]")
    assert "双方签署战略合作协议" in cadre_page.inner_text("[data-testid=cooperation]")
    cadre_page.fill("#move-note", "经对接电信运营中心解决")
    cadre_page.click("button[name=move][value=resolve]")
    assert "回访后结案" not in cadre_page.inner_text("main")  # closing is a supervisor's
    _check(cadre_page, "issue12-followup-cadre-375.png")

    desk = phone(browser, DESKTOP)
    sign_in(desk, url, "yl_staff", PASSWORD)
    desk.goto(f"{url}/tickets/{problem.pk}/")
    desk.check("#id_call-reached_0")
    desk.select_option("#id_call-satisfaction", "5")
    desk.fill("#id_call-note", "企业负责人表示满意")
    desk.check("#id_call-close")
    _check(desk, "issue12-followup-staff-1280.png", DESKTOP)
    desk.click("[data-testid=followup-form] button[type=submit]")
    assert "已记录回访并结案" in desk.inner_text("main") and "已结案" in desk.inner_text("main")
    desk.goto(f"{url}/tickets/{hazard.pk}/")
    _check(desk, "issue12-hazard-staff-1280.png", DESKTOP)
    desk.goto(f"{url}/tickets/report/?received_from={timezone.localdate():%Y-%m-%d}&org={tree.yanliang.pk}")
    assert "承办组织：阎良区总工会" in desk.inner_text("[data-testid=filtered-by]")
    assert desk.locator("[data-testid=export]").count() == 1
    _check(desk, "issue12-report-staff-1280.png", DESKTOP)

    staff_phone = phone(browser)
    sign_in(staff_phone, url, "yl_staff", PASSWORD)
    staff_phone.goto(f"{url}/tickets/report/")
    staff_phone.fill("#received_from", f"{timezone.localdate():%Y-%m-%d}")
    staff_phone.select_option("#f-org", label="阎良街道工会")
    staff_phone.click("[data-testid=report-filters] button[type=submit]")
    assert "阎良街道工会" in staff_phone.inner_text("[data-testid=filtered-by]")
    assert re.search(
        r"其中经对接合作解决\s*少于 5|其中经对接合作解决\s*1", staff_phone.inner_text("[data-testid=report-total]")
    )
    _check(staff_phone, "issue12-report-staff-375.png")
    staff_phone.goto(f"{url}/tickets/{hazard.pk}/")
    _check(staff_phone, "issue12-hazard-staff-375.png")

    cadre_page.goto(f"{url}/tickets/report/")
    assert cadre_page.locator("[data-testid=export]").count() == 0
    _check(cadre_page, "issue12-report-cadre-375.png")
    cadre_desk = phone(browser, DESKTOP)
    sign_in(cadre_desk, url, "yl_cadre", PASSWORD)
    cadre_desk.goto(f"{url}/tickets/{hazard.pk}/")
    _check(cadre_desk, "issue12-hazard-cadre-1280.png", DESKTOP)

    worker.goto(f"{url}/t/{code}/")
    assert worker.locator("[data-testid=public-photos] img").count() == 2  # not the verification photo
    _images_load(worker, "[data-testid=public-photos]")
    _check(worker, "issue12-public-photos-375.png")
