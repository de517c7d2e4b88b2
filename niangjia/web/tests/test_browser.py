"""A real Chromium, driven by Playwright: a district staff member logs in on a phone-sized screen."""

from __future__ import annotations

import pytest

from niangjia.browser_testing import SHOTS
from niangjia.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_district_staff_logs_in_and_sees_district_home(page, live_server, tree):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "yl_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    assert page.inner_text("[data-testid=home-title]") == "阎良区总工会 · 工作台"
    # The layout fits a 375-px phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "district-home-375.png"), full_page=True)
    assert (SHOTS / "district-home-375.png").stat().st_size > 10_000


def test_cadre_finds_a_household_in_the_work_list(page, live_server, tree):  # type: ignore[no-untyped-def]
    from datetime import date

    from niangjia.registry.tests.conftest import build_registry
    from niangjia.screening.services import screening_run
    from niangjia.screening.tests.test_screening import _make_deep

    registry = build_registry(tree)
    _make_deep(registry)
    screening_run(as_of=date(2026, 12, 1))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "yl_cadre")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(f"{live_server.url}/screening/?policy_id=warmth")
    assert "送温暖" in page.inner_text("#rows") and "¥2,000.00" in page.inner_text("#rows")
    page.click("text=去办理")
    # 去办理 opens the application for that household and policy, prefilled with the engine's outcome.
    page.wait_for_selector("[data-testid=apply-amount]")
    assert f"household={registry.yl_household.pk}" in page.url
    assert page.inner_text("h1") == "申请送温暖"
    assert page.inner_text("[data-testid=apply-amount]") == "¥2,000.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SHOTS / "cadre-household-375.png"), full_page=True)


def test_staff_filters_workers_and_the_export_holds_the_filtered_rows(page, live_server, tree):  # type: ignore[no-untyped-def]
    """Issue 11: filtering without a reload, then 导出 Excel, gives exactly the rows on screen."""
    import io
    from datetime import date

    from python_calamine import CalamineWorkbook

    from niangjia.core.identifiers import make_id_number
    from niangjia.registry.services import WorkerData, worker_register
    from niangjia.registry.tests.conftest import build_registry

    registry = build_registry(tree)
    for i in range(7):
        worker_register(
            actor=None,
            data=WorkerData(
                name=f"农民工{i}", id_number=make_id_number("610114", date(1985, 1, 1), 300 + i, "M"),
                enterprise=registry.yl_enterprise, is_migrant=i < 4,
            ),
        )  # fmt: skip
    page.goto(f"{live_server.url}/login/?next=/registry/workers/")
    page.fill("#id_username", "yl_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=export]")
    assert "is_migrant" not in page.get_attribute("[data-testid=export]", "href")

    page.select_option("select[name=is_migrant]", "1")  # HTMX swaps the list, no reload
    page.wait_for_selector("[data-testid=filtered-by]:has-text('农民工：是')")
    assert "is_migrant=1" in page.url
    assert page.locator("#rows tr").count() == 4
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.value.path().read_bytes())).get_sheet_by_index(0)
    table = rows.to_python()
    assert "筛选：农民工：是 · 共 4 行" in str(table[0][0])
    assert sorted(str(row[0]) for row in table[2:-2]) == [f"农民工{i}" for i in range(4)]

    page.fill("input[name=q]", "农民工1")  # a name search keeps the chosen filter
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("[data-testid=filtered-by]:has-text('查找：农民工1')")
    assert "农民工：是" in page.inner_text("[data-testid=filtered-by]")
    assert page.locator("#rows tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SHOTS / "worker-list-filtered-375.png"), full_page=True)
