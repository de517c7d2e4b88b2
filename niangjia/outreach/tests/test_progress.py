"""Campaign progress: coverage by district and cadre counted from the records, the list behind each number,
small counts of people withheld from roles without SENSITIVE."""

from __future__ import annotations

import pytest

from niangjia.outreach.models import CampaignTarget
from niangjia.outreach.selectors.progress import progress, progress_list
from niangjia.outreach.services.signals import SignalData
from niangjia.outreach.services.visits import visit_record
from niangjia.outreach.tests.visits_fixtures import (
    NeedData,
    World,
    client_for,
    enterprise_visit,
    home_visit,
    new_id,
    visit_urls,
    world,
)

__all__ = ["visit_urls", "world"]
pytestmark = pytest.mark.usefixtures("visit_urls")


@pytest.fixture
def visited(world: World) -> World:
    cadre = world.tree.yanliang_cadre
    CampaignTarget.objects.create(campaign=world.campaign, org=world.tree.yanliang, enterprises=10, homes=20)
    visit_record(
        actor=cadre, client_id=new_id(), data=enterprise_visit(world, needs=[NeedData(kind="need", title="技能培训")])
    )
    head = world.member("冯建民")
    visit_record(
        actor=cadre,
        client_id=new_id(),
        data=home_visit(world, signals=[SignalData(kind="illness", member=head, base={"health": ""})]),
    )
    return world


def test_coverage_by_district_and_cadre(visited: World) -> None:
    world = visited
    found = progress(user=world.tree.city_admin, campaign=world.campaign, parent=world.tree.city)
    rows = {row["org"].name: row for row in found.rows}
    assert set(rows) == {"阎良区总工会", "雁塔区总工会"}
    yanliang = {k: v for k, v in rows["阎良区总工会"].items() if k != "org"}
    assert yanliang == {
        "enterprises_target": 10, "paired": 2, "enterprises_visited": 1, "enterprises_not_visited": 1,
        "homes_target": 20, "homes_visited": 1, "hardship_found": 1, "hardship_new": 1, "hardship_archived": 0,
        "needs": 1, "needs_resolved": 0,
    }  # fmt: skip
    assert rows["雁塔区总工会"]["paired"] == 0 and rows["雁塔区总工会"]["homes_visited"] == 0
    assert found.total["enterprises_visited"] == 1 and found.total["needs"] == 1
    cadres = {row["name"]: row for row in found.cadres}
    assert (
        cadres["yl_cadre"]["enterprises_visited"],
        cadres["yl_cadre"]["homes_visited"],
        cadres["yl_cadre"]["needs"],
    ) == (1, 1, 1)
    assert (cadres["yl_cadre2"]["paired"], cadres["yl_cadre2"]["enterprises_not_visited"]) == (1, 1)


def test_small_counts_of_people_are_withheld_without_sensitive(visited: World) -> None:
    world = visited
    found = progress(user=world.tree.yanliang_leader, campaign=world.campaign, parent=world.tree.yanliang)
    assert (found.total["homes_visited"], found.total["hardship_new"], found.total["needs"]) == (None, None, None)
    assert (found.total["enterprises_visited"], found.total["paired"]) == (1, 2)  # enterprises are not people
    page = client_for(world.tree.yanliang_leader).get(f"/outreach/progress/{world.campaign.pk}/").content.decode()
    assert "少于5" in page
    with pytest.raises(Exception, match="无权"):
        progress_list(
            user=world.tree.yanliang_leader, campaign=world.campaign, metric="homes_visited", org=world.tree.yanliang
        )


def test_the_list_behind_each_number(visited: World) -> None:
    world = visited
    staff = world.tree.yanliang_staff

    def names(metric: str) -> list[str]:
        rows = progress_list(user=staff, campaign=world.campaign, metric=metric, org=world.tree.yanliang)
        return [r.name for r in rows]

    assert names("enterprises_not_visited") == ["阎良物流有限公司"]
    assert names("enterprises_visited") == ["阎良餐饮有限公司"]
    homes = progress_list(user=staff, campaign=world.campaign, metric="hardship_new", org=world.tree.yanliang)
    assert [h.pk for h in homes] == [world.household.pk]
    tickets = progress_list(user=staff, campaign=world.campaign, metric="needs", org=world.tree.yanliang)
    assert [t.title for t in tickets] == ["技能培训"]
    client = client_for(staff)
    page = client.get(f"/outreach/progress/{world.campaign.pk}/").content.decode()
    assert f"/outreach/progress/{world.campaign.pk}/list/?metric=enterprises_not_visited" in page
    listed = client.get(
        f"/outreach/progress/{world.campaign.pk}/list/?metric=enterprises_not_visited&org={world.tree.yanliang.pk}"
    )
    assert "阎良物流有限公司" in listed.content.decode()
    assert (
        client_for(world.tree.yanta_staff)
        .get(f"/outreach/progress/{world.campaign.pk}/list/?metric=enterprises_visited&org={world.tree.yanliang.pk}")
        .status_code
        == 404
    )
    yanta = progress(user=world.tree.yanta_staff, campaign=world.campaign, parent=world.tree.yanta)
    assert yanta.total["enterprises_visited"] == 0 and yanta.total["homes_visited"] == 0


def test_the_progress_api(visited: World) -> None:
    world = visited
    url = f"/api/outreach/progress/{world.campaign.pk}"
    found = client_for(world.tree.city_admin).get(url).json()
    rows = {row["org_name"]: row["figures"] for row in found["rows"]}
    assert (rows["阎良区总工会"]["enterprises_visited"], rows["阎良区总工会"]["hardship_new"]) == (1, 1)
    assert found["labels"]["homes_visited"] == "已入户家庭"
    leader = client_for(world.tree.yanliang_leader).get(url).json()
    assert (leader["total"]["homes_visited"], leader["total"]["paired"]) == (None, 2)
    listed = client_for(world.tree.yanliang_staff).get(f"{url}/list?metric=enterprises_not_visited").json()
    assert [item["name"] for item in listed] == ["阎良物流有限公司"]
    assert client_for(world.tree.yanliang_leader).get(f"{url}/list?metric=homes_visited").status_code == 403
    assert client_for(world.tree.yanliang_staff).get(f"{url}/list?metric=nothing").status_code == 422
    assert client_for(world.tree.yanta_staff).get(f"{url}?org_id={world.tree.yanliang.pk}").status_code == 404
