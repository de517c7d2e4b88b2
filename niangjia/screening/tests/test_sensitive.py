"""Sensitive facts (income, health, disability, and the outcomes derived from them) only for roles allowed them."""

from __future__ import annotations

import pytest
from django.test import Client

from niangjia.core.scoping import Action, allows
from niangjia.orgs.services import token_create
from niangjia.registry.tests.conftest import build_registry
from niangjia.screening import selectors
from niangjia.screening.models import ScreeningResult
from niangjia.screening.services import screening_run
from niangjia.screening.tests.test_screening import AS_OF, _make_deep


@pytest.fixture
def screened(tree):  # type: ignore[no-untyped-def]
    registry = build_registry(tree)
    _make_deep(registry)
    screening_run(as_of=AS_OF)
    assert ScreeningResult.objects.filter(household=registry.yl_household, status="eligible").exists()
    return registry


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    _, raw = token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_roles_and_the_sensitive_action(tree):  # type: ignore[no-untyped-def]
    may = {
        user.username: allows(user, Action.SENSITIVE)
        for user in (tree.city_admin, tree.yanliang_staff, tree.yanliang_cadre, tree.yanliang_leader)
    }
    assert may == {"admin": True, "yl_staff": True, "yl_cadre": True, "yl_leader": False}


@pytest.mark.django_db
def test_leader_gets_counts_not_households_income_or_reasons(tree, screened):  # type: ignore[no-untyped-def]
    leader, staff = _api(tree.yanliang_leader), _api(tree.yanliang_staff)
    household = screened.yl_household.pk

    assert leader.get("/api/screening/worklist").status_code == 403
    assert leader.get(f"/api/screening/households/{household}").status_code == 403
    assert staff.get(f"/api/screening/households/{household}").status_code == 200
    staff_rows = staff.get("/api/screening/worklist").json()
    assert staff_rows and any(r["reasons"] for r in staff_rows)

    browser = Client()
    browser.force_login(tree.yanliang_leader)
    worklist = browser.get("/screening/").content.decode()
    household_page = browser.get(f"/screening/households/{household}/")
    registry_page = browser.get(f"/registry/households/{household}/").content.decode()

    assert 'data-testid="summary-only"' in worklist
    for reason in {r for row in staff_rows for r in row["reasons"]}:
        assert reason not in worklist
    assert household_page.status_code == 403
    assert "月收入" not in registry_page and "1000" not in registry_page


@pytest.mark.django_db
def test_small_counts_are_withheld_from_roles_without_sensitive(tree, screened):  # type: ignore[no-untyped-def]
    leader = selectors.worklist_summary(user=tree.yanliang_leader, filters=selectors.WorklistFilter())
    staff = selectors.worklist_summary(user=tree.yanliang_staff, filters=selectors.WorklistFilter())

    assert staff and all(row["n"] >= 1 for row in staff)
    # The demo registry is tiny: every count is under 5, so the leader sees "fewer than 5", no amount.
    assert leader and all(row["n"] is None and row["total"] is None and row["few"] for row in leader)
    api = _api(tree.yanliang_leader).get("/api/screening/summary").json()
    assert api and all(r["count"] is None and r["amount"] is None and r["few"] for r in api)
