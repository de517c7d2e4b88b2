"""Done when (issue 14): a household from the work queue through 去办理, a paper uploaded, filed on the worker's
behalf by a cadre on a 375-px phone, approved and paid by district staff at a desk, and then the household is no
longer proposed for that policy (the payment re-screens it). Screenshots of each role's pages at 375 px and 1280 px
under var/screenshots/, axe checks on each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from niangjia.assistance.models import Application, QueueItem
from niangjia.assistance.services import queue_rebuild
from niangjia.assistance.tests.test_uploads import PDF
from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.registry.models import ReceivedAid
from niangjia.screening.models import ScreeningResult

pytestmark = pytest.mark.browser
DESK = 1280


def test_from_the_queue_to_payment_and_no_longer_proposed(
    browser, live_server, tree, relief, pools, tmp_path, settings
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    queue_rebuild()
    household = relief.yl_household

    cadre = phone(browser)
    cadre.set_default_timeout(120_000)  # the live server shares two cores with other test runs
    sign_in(cadre, live_server.url, "yl_cadre", PASSWORD)
    cadre.goto(f"{live_server.url}/assistance/")
    card = cadre.locator(f"[data-testid=queue-card][data-household='{household.pk}']")
    assert "冯建民" in card.inner_text() and "紧急救助" in card.inner_text() and "¥2,000.00" in card.inner_text()
    fits(cadre)
    assert axe_violations(cadre) == []
    shoot(cadre, "assistance-queue-cadre-375.png")
    card.locator("a[data-testid=go][href*='emergency_relief']").click()
    assert "¥2,000.00" in cadre.inner_text("[data-testid=apply-amount]")
    assert "事故证明" in cadre.inner_text("[data-testid=checklist]")
    cadre.check("input[name=filed_by_proxy][value='1']")
    cadre.select_option("#id_authorisation", "written")
    cadre.fill("#id_authorised_on", timezone.localdate().isoformat())
    cadre.fill("#id_authorisation_note", "冯建民住院，委托联系干部代办")
    fits(cadre)
    assert axe_violations(cadre) == []
    shoot(cadre, "assistance-apply-cadre-375.png")
    cadre.click("[data-testid=apply-form] button[type=submit]")
    application = Application.objects.get()
    assert application.filed_by_proxy and application.authorisation == "written"
    paper = cadre.locator("[data-testid=papers] .list-group-item", has_text="事故证明")
    paper.locator("input[type=file]").set_input_files(
        files=[{"name": "事故认定书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    paper.locator("button", has_text="上传").click()
    assert "已收到" in cadre.inner_text("[data-testid=papers]") and "事故认定书.pdf" in cadre.inner_text(
        "[data-testid=papers]"
    )
    assert cadre.locator("button[value=approve]").count() == 0
    cadre.click("button[name=move][value=submit]")
    assert cadre.inner_text("[data-testid=status]") == "待审批"
    fits(cadre)
    assert axe_violations(cadre) == []
    shoot(cadre, "assistance-application-cadre-375.png")

    staff = phone(browser, width=DESK)
    staff.set_default_timeout(120_000)
    sign_in(staff, live_server.url, "yl_staff", PASSWORD)
    staff.goto(f"{live_server.url}/assistance/applications/?to_approve=1")
    assert "冯建民" in staff.inner_text("main")
    shoot(staff, "assistance-to-approve-district-1280.png")
    staff.click("[data-testid=application-row]")
    staff.click("button[name=move][value=approve]")
    assert staff.inner_text("[data-testid=status]") == "已批准待发放"
    assert axe_violations(staff) == []
    shoot(staff, "assistance-approved-district-1280.png")
    staff.click("button[name=move][value=pay]")
    assert staff.inner_text("[data-testid=status]") == "已发放"
    shoot(staff, "assistance-paid-district-1280.png")

    aid = ReceivedAid.objects.get(household=household)
    assert (aid.policy_id, str(aid.amount)) == ("emergency_relief", "2000.00")
    # The payment re-screened the household: the engine no longer proposes emergency relief this period.
    assert not ScreeningResult.objects.filter(
        household=household, policy_id="emergency_relief", is_current=True
    ).exists()
    assert QueueItem.objects.get(household=household, policy_id="emergency_relief").status == "done"
    cadre.goto(f"{live_server.url}/assistance/?policy_id=emergency_relief")
    assert cadre.locator(f"[data-testid=queue-card][data-household='{household.pk}']").count() == 0
    cadre.goto(f"{live_server.url}/screening/?policy_id=emergency_relief")
    assert "冯建民" not in cadre.inner_text("main")
    shoot(cadre, "assistance-queue-after-cadre-375.png")


def test_each_role_sees_the_assistance_pages_fitting_phone_and_desk(browser, live_server, tree, relief, pools):  # type: ignore[no-untyped-def]
    queue_rebuild()
    pages = ["/assistance/", "/assistance/applications/", "/assistance/archive/", "/assistance/contacts/",
             "/assistance/rounds/"]  # fmt: skip
    for username, role in (("yl_cadre", "cadre"), ("yl_staff", "district"), ("admin", "city")):
        for width in (375, DESK):
            page = phone(browser, width=width)
            page.set_default_timeout(120_000)
            sign_in(page, live_server.url, username, PASSWORD)
            for path in pages:
                page.goto(f"{live_server.url}{path}")
                assert page.locator("main h1").count() == 1
                if width == 375:
                    fits(page)
                assert axe_violations(page) == [], f"{username} {path}"
                name = path.strip("/").replace("/", "-") or "queue"
                shoot(page, f"{name}-{role}-{width}.png")
            page.context.close()
