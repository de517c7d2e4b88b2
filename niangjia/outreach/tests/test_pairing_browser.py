"""A real Chromium: the campaign pages and the pairing map at 375 px and on a desktop, for the city admin
and a district's staff; nothing wider than the phone, 44-px tap targets, axe clean, the map drawn.
Screenshots under var/screenshots/ (campaign-*.png, pairing-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.outreach.services.campaigns import campaign_activate
from niangjia.outreach.services.pairing import pairing_publish, pairing_run
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, ground

pytestmark = pytest.mark.browser
__all__ = ["ground"]  # the fixture, imported

DESKTOP = 1280


def _check(page: Any, name: str, width: int) -> None:
    if width < 768:
        fits(page)
    assert axe_violations(page) == [], name
    shoot(page, f"{name}-{width}.png")


@pytest.mark.parametrize("width", [375, DESKTOP])
def test_campaign_and_pairing_pages_on_a_phone_and_a_desktop(browser, live_server, ground: Ground, width: int) -> None:  # type: ignore[no-untyped-def]
    t = ground.tree
    campaign = city_campaign(t, enterprise_groups=["non_public", "small_micro", "platform"])
    campaign_activate(actor=t.city_admin, campaign=campaign)
    pairing_run(actor=t.city_admin, campaign=campaign)
    pairing_publish(actor=t.city_admin, campaign=campaign)

    admin = phone(browser, width)
    sign_in(admin, live_server.url, "admin", PASSWORD)
    admin.goto(f"{live_server.url}/outreach/campaigns/")
    assert "2026年大走访" in admin.inner_text("main")
    _check(admin, "campaign-list", width)
    admin.goto(f"{live_server.url}/outreach/campaigns/{campaign.pk}/")
    assert "各区县走访目标" in admin.inner_text("main") and "阎良区总工会" in admin.inner_text("main")
    _check(admin, "campaign-detail", width)
    admin.goto(f"{live_server.url}/outreach/campaigns/new/")
    assert admin.locator("[data-testid=target-row]").count() == 4  # 阎良, 雁塔 and two blank rows
    _check(admin, "campaign-form", width)
    admin.goto(f"{live_server.url}/outreach/campaigns/{campaign.pk}/pairing/")
    admin.wait_for_selector("#pairing-map path.leaflet-interactive", state="attached")
    assert admin.locator("#pairing-map path.leaflet-interactive").count() == 15  # 5 lines and 10 points
    assert "已证明最优" in admin.inner_text("main") and "轮流分配" in admin.inner_text("main")
    _check(admin, "pairing-admin", width)

    staff = phone(browser, width)
    sign_in(staff, live_server.url, "yl_staff", PASSWORD)
    staff.goto(f"{live_server.url}/outreach/campaigns/{campaign.pk}/pairing/")
    staff.wait_for_selector("#pairing-map path.leaflet-interactive", state="attached")
    assert staff.locator("#pairing-map path.leaflet-interactive").count() == 12  # 阎良's 4 pairings
    staff.fill("#id_swap-first", ground.a.name)
    staff.fill("#id_swap-second", ground.b.name)
    staff.click("[data-testid=swap-form] button[type=submit]")
    assert "已交换" in staff.inner_text("main")
    _check(staff, "pairing-district", width)
