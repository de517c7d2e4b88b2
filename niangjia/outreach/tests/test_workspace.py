"""The cadre's workspace, /outreach/today/: my enterprises with their last visit, homes to visit, what is due,
my open tickets; scoped per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.outreach.selectors.workspace import workspace
from niangjia.outreach.services.visits import visit_record
from niangjia.outreach.tests.visits_fixtures import (
    NeedData,
    World,
    client_for,
    enterprise_visit,
    new_id,
    visit_urls,
    world,
)
from niangjia.registry.services import HouseholdFacts, household_facts_update

__all__ = ["visit_urls", "world"]
pytestmark = pytest.mark.usefixtures("visit_urls")


def _archive(world: World) -> None:
    household_facts_update(actor=None, household=world.household, facts=HouseholdFacts(archive_level="relative"))


def test_what_a_cadre_does_today(world: World) -> None:
    _archive(world)
    cadre = world.tree.yanliang_cadre
    today = timezone.localdate()
    world.campaign.starts_on = today - timedelta(days=60)
    world.campaign.save()
    found = workspace(user=cadre, today=today)
    assert [c.pk for c in found.campaigns] == [world.campaign.pk]
    assert [(p.enterprise.name, p.last_visit, p.due) for p in found.enterprises] == [("阎良餐饮有限公司", None, True)]  # type: ignore[attr-defined]
    assert [(h["label"], h["reasons"], h["last_visit"]) for h in found.homes] == [
        ("冯建民家", ["已建档：相对困难"], None)
    ]
    assert (found.enterprises_due, found.homes_due, found.tickets) == (1, 1, [])

    visit_record(
        actor=cadre,
        client_id=new_id(),
        data=enterprise_visit(
            world, date=today - timedelta(days=31), needs=[NeedData(kind="enterprise_problem", title="招工难")]
        ),
    )
    found = workspace(user=cadre, today=today)
    [pairing] = found.enterprises
    assert (pairing.last_visit, pairing.due) == (today - timedelta(days=31), True)  # type: ignore[attr-defined]  # a follow-up is due
    assert [t.title for t in found.tickets] == ["招工难"]
    visit_record(actor=cadre, client_id=new_id(), data=enterprise_visit(world))
    assert workspace(user=cadre, today=today).enterprises_due == 0


def test_the_page_for_each_role(world: World) -> None:
    _archive(world)
    page = client_for(world.tree.yanliang_cadre).get("/outreach/today/").content.decode()
    assert "阎良餐饮有限公司" in page and "尚未走访" in page and "冯建民家" in page and "已建档：相对困难" in page
    assert f"/outreach/visits/record/{world.campaign.pk}/" in page and "待走访企业 1" in page
    other = client_for(world.tree.yanliang_cadre2).get("/outreach/today/").content.decode()
    assert "阎良物流有限公司" in other and "冯建民家" not in other
    yanta = client_for(world.tree.yanta_staff).get("/outreach/today/").content.decode()
    assert "冯建民家" not in yanta and "阎良餐饮有限公司" not in yanta
    leader = client_for(world.tree.yanliang_leader).get("/outreach/today/").content.decode()
    assert "记录走访" not in leader and "待入户家庭" not in leader and "冯建民家" not in leader


def test_the_workspace_api(world: World) -> None:
    _archive(world)
    found = client_for(world.tree.yanliang_cadre).get("/api/outreach/workspace").json()
    assert [(e["name"], e["last_visit"], e["due"]) for e in found["enterprises"]] == [("阎良餐饮有限公司", None, True)]
    assert [(h["label"], h["reasons"]) for h in found["homes"]] == [("冯建民家", ["已建档：相对困难"])]
    assert (found["enterprises_due"], found["homes_due"], found["tickets"]) == (1, 1, [])
    leader = client_for(world.tree.yanliang_leader).get("/api/outreach/workspace").json()
    assert leader["homes"] == [] and leader["enterprises"] == []
