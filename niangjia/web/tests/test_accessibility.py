"""Each role's main pages on a 375-px phone: axe-core finds no serious or critical WCAG 2.1 AA violation,
nothing is wider than the screen, and every button and field is a 44 px tap target."""

from __future__ import annotations

from datetime import date

import pytest

from niangjia.browser_testing import axe_violations, fits, shoot, sign_in
from niangjia.conftest import PASSWORD, make_user
from niangjia.core.roles import Role
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.services import org_create
from niangjia.registry.tests.conftest import build_registry
from niangjia.screening.services import screening_run
from niangjia.screening.tests.test_screening import _make_deep

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(tree):  # type: ignore[no-untyped-def]
    registry = build_registry(tree)
    _make_deep(registry)
    screening_run(as_of=date(2026, 12, 1))
    union = org_create(
        name="阎良餐饮有限公司工会",
        level=OrgLevel.ENTERPRISE,
        area=tree.yanliang_street.area,
        parent=tree.yanliang_street,
    )
    make_user("yl_chair", Role.ENTERPRISE_CHAIR, union)
    return registry


PAGES = {
    "admin": ["/", "/registry/workers/", "/audit/"],
    "yl_staff": ["/", "/screening/", "/registry/enterprises/", "/registry/transfers/"],
    "yl_cadre": ["/", "/screening/", "/registry/households/{household}/", "/screening/households/{household}/"],
    "yl_chair": ["/", "/registry/workers/"],
    "city_leader": ["/", "/screening/", "/orgs/"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_main_pages_of_each_role(page, live_server, demo, username):  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, username, PASSWORD)
    problems = []
    for path in PAGES[username]:
        page.goto(live_server.url + path.format(household=demo.yl_household.pk))
        page.wait_for_load_state()
        assert page.locator("main").count() == 1, path
        fits(page)
        problems += [f"{path}: {v}" for v in axe_violations(page)]
    shoot(page, f"a11y-{username}-375.png")
    assert problems == []
