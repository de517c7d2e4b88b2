"""A real Chromium on a 375-px phone: district staff add a cadre and reset their password; the cadre must
set their own at first login; the organization page's breadcrumbs and children. Screenshots at 375 and 1366 px."""

from __future__ import annotations

import pytest

from niangjia.browser_testing import fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_district_staff_adds_a_cadre_who_must_set_their_own_password(browser, live_server, tree):  # type: ignore[no-untyped-def]
    page = phone(browser)
    sign_in(page, live_server.url, "yl_staff", PASSWORD)
    page.click(".navbar-toggler")
    page.click("nav >> text=工作人员")
    page.wait_for_selector("[data-testid=staff-rows]")
    fits(page)
    shoot(page, "staff-list-375.png")
    page.click("[data-testid=staff-create]")
    roles = page.eval_on_selector_all("#id_role option", "options => options.map(o => o.textContent)")
    assert "市总工会管理员" not in roles and "工会干部" in roles
    page.fill("#id_username", "lisi")
    page.fill("#id_display_name", "李四")
    page.select_option("#id_role", "cadre")
    page.select_option("#id_org", label="\u3000阎良街道工会")
    page.fill("#id_phone", "13800001234")
    fits(page)
    shoot(page, "staff-create-375.png")
    page.click("[data-testid=staff-form] button[type=submit]")
    first = page.inner_text("[data-testid=otp-password]")
    assert len(first) == 20
    fits(page)
    shoot(page, "staff-password-375.png")
    page.click("text=已记下，返回")
    page.wait_for_selector("[data-testid=staff-title]")
    assert "待本人修改初始密码" in page.inner_text("main")
    fits(page)
    shoot(page, "staff-detail-375.png")
    page.click("[data-testid=staff-reset]")
    second = page.inner_text("[data-testid=otp-password]")
    assert second != first
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav.show")  # the menu fully open: a click while it unfolds may land on nothing
    page.click("#nav button:has-text('退出')")
    page.wait_for_selector("#id_username")  # signed out: the next sign-in must not cut the sign-out short

    sign_in(page, live_server.url, "lisi", first)
    assert "用户名或密码错误" in page.inner_text("main")  # the reset replaced it
    sign_in(page, live_server.url, "lisi", second)
    page.wait_for_selector("[data-testid=password-title]")
    assert page.inner_text("[data-testid=password-title]") == "请设置您自己的密码"
    page.goto(f"{live_server.url}/registry/workers/")
    assert page.url.endswith("/orgs/password/")
    fits(page)
    shoot(page, "password-change-375.png")
    page.fill("#id_new_password1", "Lisi-own-2026")
    page.fill("#id_new_password2", "Lisi-own-2026")
    page.click("[data-testid=password-form] button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
    assert "密码已修改" in page.inner_text("main")


def test_org_page_breadcrumbs_and_children(browser, live_server, tree):  # type: ignore[no-untyped-def]
    for width in (375, 1366):
        page = phone(browser, width)
        sign_in(page, live_server.url, "admin", PASSWORD)
        page.goto(f"{live_server.url}/orgs/?q=阎良")
        page.click("[data-testid=org-found] >> text=阎良街道工会")
        page.wait_for_selector("[data-testid=org-breadcrumbs]")
        crumbs = page.locator("[data-testid=org-breadcrumbs] li").all_inner_texts()
        assert crumbs == ["组织", "西安市总工会", "阎良区总工会", "阎良街道工会"]
        assert "yl_cadre" in page.inner_text("[data-testid=org-staff]")
        page.click("[data-testid=org-breadcrumbs] >> text=西安市总工会")
        page.wait_for_selector("[data-testid=org-children]")
        children = page.inner_text("[data-testid=org-children]")
        assert "阎良区总工会" in children and "雁塔区总工会" in children and "工作人员 4" in children
        fits(page, width)
        shoot(page, f"org-city-{width}.png")
        page.click("[data-testid=org-children] >> text=阎良区总工会")
        page.wait_for_selector("[data-testid=org-title]")
        assert page.inner_text("[data-testid=org-title]") == "阎良区总工会"
        shoot(page, f"org-district-{width}.png")
        page.context.close()


def test_a_leader_sees_the_org_page_without_buttons(browser, live_server, tree):  # type: ignore[no-untyped-def]
    page = phone(browser)
    sign_in(page, live_server.url, "yl_leader", PASSWORD)
    page.goto(f"{live_server.url}/orgs/{tree.yanliang.pk}/")
    page.wait_for_selector("[data-testid=org-title]")
    crumbs = page.locator("[data-testid=org-breadcrumbs] li").all_inner_texts()
    assert crumbs == ["组织", "阎良区总工会"]  # never above what the leader may see
    assert page.locator("[data-testid=org-add-staff]").count() == 0
    assert page.locator("main .btn").count() == 0
    fits(page)
    shoot(page, "org-leader-375.png")
