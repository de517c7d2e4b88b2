"""A real Chromium on a 375-px phone records home visits without a network (issue 13, "Done when").

1. The cadre opens the visit form online (the service worker keeps it), goes offline, records a home visit
   with a need, a hardship signal and a photo, comes back online: the visit is on the server exactly once
   (a retried sync too), the need is a ticket, and the household is re-screened as the follow loop would.
2. Two visits recorded offline change the same fact of one household member: the second is not applied
   silently; the conflict is offered to a person, who chooses.
Screenshots in var/screenshots/.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from niangjia.browser_testing import axe_violations, fits, phone, shoot, sign_in
from niangjia.conftest import PASSWORD
from niangjia.outreach.models import FactConflict, Visit, VisitPhoto, VisitSignal
from niangjia.outreach.tests.visits_fixtures import World, visit_urls, world
from niangjia.registry.models import Household, MemberCircumstances
from niangjia.screening.models import HouseholdScreenState
from niangjia.screening.services import changed_households, changed_rescreen
from niangjia.tickets.models import Ticket

__all__ = ["visit_urls", "world"]
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("visit_urls")]


def _photo() -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (40, 120, 200)).save(out, format="PNG")
    return {"name": "home.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _open_form(browser: Any, url: str, world: World) -> Any:
    page = phone(browser)
    sign_in(page, url, "yl_cadre", PASSWORD)
    page.goto(f"{url}/outreach/visits/record/{world.campaign.pk}/")
    page.wait_for_selector("#visit-app[data-offline=ready]", timeout=15000)
    page.wait_for_selector("#visit-app[data-targets=loaded]")
    return page


def _choose_home(page: Any, world: World) -> None:
    page.click("label[for=kind-home]")
    page.select_option("#target", str(world.household.pk))


def _add_signal(page: Any, kind: str, member: str, fields: dict[str, str]) -> None:
    page.click("#add-signal")
    block = page.locator("#signals .signal").last
    block.locator("select[data-role=signal-kind]").select_option(kind)
    block.locator("select[data-role=member]").select_option(label=member)
    for name, value in fields.items():
        field = block.locator(f"[data-field={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _wait_synced(page: Any, count: int) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('#queue-list li[data-status=synced]').length === {count}", timeout=20000
    )


def test_an_offline_home_visit_syncs_once_with_its_need_and_rescreens_the_household(  # type: ignore[no-untyped-def]
    browser, live_server, world: World
) -> None:
    changed_rescreen()  # the registry screened once: what the visit changes is picked up next
    page = _open_form(browser, live_server.url, world)
    page.context.set_offline(True)
    page.reload()  # the service worker answers: the form, its files and the offline list
    page.wait_for_selector("#visit-app[data-targets=loaded]")
    assert page.inner_text("[data-testid=net-status]") == "离线"

    _choose_home(page, world)
    assert "本次活动首次走访" in page.inner_text("[data-testid=last-visit]")
    page.check("#basic_clear")
    page.check("#hardship_clear")
    _add_signal(page, "illness", "冯建民（户主）", {"illness_name": "尿毒症"})
    page.click("#add-need")
    need = page.locator("#needs .need").last
    need.locator("[data-role=category]").select_option("medical")
    need.locator("[data-role=title]").fill("透析费用负担重，希望申请医疗救助")
    page.click("label[for=sat-5]")
    page.set_input_files("#photos", files=[_photo()])
    page.wait_for_selector("#photo-previews img")
    page.fill("#notes", "户主确诊尿毒症，每周透析三次。")
    fits(page)
    shoot(page, "visit-offline-form-375.png")
    page.click("#save")
    page.wait_for_selector("#queue-list li[data-status=queued]")
    assert "本机有 1 条走访待同步" in page.inner_text("#queue-status")
    shoot(page, "visit-offline-queued-375.png")
    assert Visit.objects.count() == 0

    page.context.set_offline(False)  # the online event sends the queue
    _wait_synced(page, 1)
    assert "本机走访已全部同步" in page.inner_text("#queue-status")
    shoot(page, "visit-synced-375.png")
    assert axe_violations(page) == []

    # A retried sync (the phone never heard the answer) finds the same visit.
    page.evaluate(
        "() => new Dexie('niangjia-visits').open().then(db => db.table('visits').toCollection()"
        ".modify({status: 'queued'}))"
    )
    page.click("#sync-now")
    _wait_synced(page, 1)

    visit = Visit.objects.get()
    assert (visit.kind, visit.household_id, visit.satisfaction, visit.basic_clear, visit.aid_clear) == (
        "home", world.household.pk, 5, True, False
    )  # fmt: skip
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.kind, ticket.category, ticket.title) == (
        "visit", "need", "medical", "透析费用负担重，希望申请医疗救助"
    )  # fmt: skip
    assert ticket.handler_id == world.tree.yanliang_cadre.pk
    photo = VisitPhoto.objects.get(visit=visit)
    assert (photo.width, photo.height) == (1600, 1200)
    assert VisitSignal.objects.get(visit=visit).applied == ["health", "illness_name", "major_illness"]
    facts = MemberCircumstances.objects.get(member=world.member("冯建民"))
    assert (facts.health, facts.illness_name) == ("major_illness", "尿毒症")

    # What `niangjia screen --follow` does every few seconds: re-screen the households that changed.
    assert changed_households() == [world.household.pk]
    run = changed_rescreen()
    assert run is not None and run.households == 1
    household = Household.objects.get(pk=world.household.pk)
    assert HouseholdScreenState.objects.get(household=household).screened_at >= household.facts_changed_at

    page.goto(f"{live_server.url}/outreach/visits/{visit.pk}/")
    assert "透析费用负担重" in page.inner_text("[data-testid=visit-needs]")
    fits(page)
    shoot(page, "visit-detail-375.png")


def test_two_offline_edits_of_one_fact_are_offered_to_a_person(  # type: ignore[no-untyped-def]
    browser, live_server, world: World
) -> None:
    page = _open_form(browser, live_server.url, world)
    page.context.set_offline(True)
    # Two visits on this phone, both from the facts loaded before going offline (冯小雨: work status empty).
    _choose_home(page, world)
    _add_signal(page, "job_loss", "冯小雨（子女）", {})
    page.click("#save")
    page.wait_for_selector("#queue-list li[data-status=queued]")
    _choose_home(page, world)
    _add_signal(page, "school_start", "冯小雨（子女）", {"school_stage": "undergraduate"})
    page.click("#save")
    page.wait_for_function("document.querySelectorAll('#queue-list li[data-status=queued]').length === 2")
    shoot(page, "visit-two-offline-375.png")

    page.context.set_offline(False)
    _wait_synced(page, 2)
    child = world.member("冯小雨")
    assert child.work_status == "unemployed"  # the first to sync; the second is held, not written over it
    conflict = FactConflict.objects.get()
    assert (conflict.fact, conflict.base, conflict.current, conflict.proposed, conflict.status) == (
        "work_status", "", "unemployed", "student", "open"
    )  # fmt: skip

    page.goto(f"{live_server.url}/outreach/conflicts/")
    assert "冯小雨的工作状态" in page.inner_text("[data-testid=conflicts]")
    fits(page)
    shoot(page, "visit-conflicts-375.png")
    page.click("[data-testid=conflicts] a")
    page.check("input[name=choice][value=proposed]")
    fits(page)
    shoot(page, "visit-conflict-choose-375.png")
    assert axe_violations(page) == []
    page.click("[data-testid=conflict-form] button[type=submit]")
    assert "已确认：冯小雨的工作状态" in page.inner_text("main")
    child.refresh_from_db()
    conflict.refresh_from_db()
    assert (child.work_status, conflict.status, conflict.choice) == ("student", "resolved", "proposed")
