"""A real Chromium: the dashboard on a 375-px phone and on a desktop for a leader, the city admin and district
staff; a number clicked down to the list behind it. Screenshots under var/screenshots/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.registry.models import Enterprise
from niangjia.reports.services import campaign_refresh

pytestmark = pytest.mark.browser


@pytest.fixture
def ready(tree, registry, campaign, visits):  # type: ignore[no-untyped-def]
    places = {"阎良餐饮有限公司": ("34.662", "109.226"), "阎良物流有限公司": ("34.671", "109.241"),
              "雁塔科技有限公司": ("34.213", "108.948")}  # fmt: skip
    for name, (lat, lng) in places.items():
        Enterprise.objects.filter(name=name).update(lat=Decimal(lat), lng=Decimal(lng))
    campaign_refresh(campaign=campaign)
    return campaign


def test_a_leader_clicks_a_number_down_to_its_list_on_a_phone(browser, live_server, tree, ready) -> None:  # type: ignore[no-untyped-def]
    page = phone(browser)
    sign_in(page, live_server.url, "city_leader", PASSWORD)
    page.goto(f"{live_server.url}/")  # a leader's home page is the dashboard
    assert "西安市总工会 · 工作概览" in page.inner_text("h1")
    page.wait_for_selector("#chart-progress canvas")
    page.wait_for_selector("#map .leaflet-interactive")
    assert page.locator("#map .leaflet-interactive").count() == 3
    kpis = page.locator("[data-testid=kpis]")
    assert kpis.locator("[data-testid=cell-total-homes_visited]").inner_text() == "13"
    assert kpis.locator("[data-testid=cell-total-hardship_found]").inner_text() == "*"
    fits(page)
    shoot(page, "reports-dashboard-leader-375.png")
    assert axe_violations(page) == []
    progress = page.locator("[data-testid=progress-table]")
    progress.locator(f"[data-testid=cell-org{tree.yanliang.pk}-homes_visited]").click()
    page.wait_for_selector("[data-testid=records]")
    assert "入户走访家庭 · 阎良区总工会" in page.inner_text("[data-testid=records-title]")
    rows = page.locator("[data-testid=records] tbody tr")
    assert rows.count() == 7
    # A leader does not see the families' archive levels.
    assert "建档级别" not in page.inner_text("[data-testid=records] thead")
    fits(page)
    shoot(page, "reports-records-leader-375.png")
    assert axe_violations(page) == []


def test_the_city_admin_on_a_desktop_and_district_staff_on_a_phone(browser, live_server, tree, ready) -> None:  # type: ignore[no-untyped-def]
    desk = phone(browser, width=1280)
    sign_in(desk, live_server.url, "admin", PASSWORD)
    desk.goto(f"{live_server.url}/reports/")
    desk.wait_for_selector("#chart-trend canvas")
    assert desk.locator("[data-testid=kpis] [data-testid=cell-total-hardship_found]").inner_text() == "8"
    assert desk.is_visible("[data-testid=refresh]")
    shoot(desk, "reports-dashboard-admin-1280.png")
    assert axe_violations(desk) == []
    desk.click("[data-testid=full-table]")
    desk.wait_for_selector("[data-testid=table-1]")
    assert "发现的困难家庭中，活动开始前不在档案中的" in desk.inner_text("main")
    shoot(desk, "reports-table-admin-1280.png")
    assert axe_violations(desk) == []
    # Down to the households behind 阎良's hardship number, with their levels (the admin may see them).
    desk.locator(f"[data-testid=cell-org{tree.yanliang.pk}-hardship_found]").click()
    desk.wait_for_selector("[data-testid=records]")
    assert desk.locator("[data-testid=records] tbody tr").count() == 4
    assert "深度困难" in desk.inner_text("[data-testid=records]")

    staff = phone(browser)
    sign_in(staff, live_server.url, "yl_staff", PASSWORD)
    staff.goto(f"{live_server.url}/")  # district staff's home page: the dashboard, then the registry's counts
    staff.wait_for_selector("#chart-progress canvas")
    assert "阎良区总工会 · 工作台" in staff.inner_text("h1")
    assert "政策找人 · 待办" in staff.inner_text("main")
    assert staff.locator("[data-testid=kpis] [data-testid=cell-total-homes_visited]").inner_text() == "7"
    fits(staff)
    shoot(staff, "reports-dashboard-district-staff-375.png")
    assert axe_violations(staff) == []
    staff.goto(f"{live_server.url}/reports/c/{ready.pk}/bulletin/")
    assert "关于千名干部进千企进展情况的通报" in staff.inner_text("h1")
    fits(staff)
    shoot(staff, "reports-bulletin-district-staff-375.png")
    assert axe_violations(staff) == []
