"""The scoping chokepoint on the union tree itself (registry records are tested in registry)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from niangjia.core.scoping import Action, can, restrict
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import UnionOrg
from niangjia.orgs.services import org_create


def names(qs: object) -> set[str]:
    return {o.name for o in qs}  # type: ignore[attr-defined]


def test_district_staff_sees_only_own_subtree(tree):
    visible = names(restrict(UnionOrg.objects.all(), tree.yanliang_staff))
    assert visible == {"阎良区总工会", "阎良街道工会"}


def test_city_admin_sees_everything(tree):
    assert names(restrict(UnionOrg.objects.all(), tree.city_admin)) == {
        "西安市总工会",
        "阎良区总工会",
        "雁塔区总工会",
        "阎良街道工会",
        "雁塔街道工会",
    }


def test_leader_reads_but_never_writes(tree):
    assert can(tree.yanliang_leader, Action.VIEW, tree.yanliang_street)
    assert not can(tree.yanliang_leader, Action.CHANGE, tree.yanliang_street)
    assert restrict(UnionOrg.objects.all(), tree.city_leader, Action.CHANGE).count() == 0


def test_cadre_sees_no_organization_records_without_assignment(tree):
    assert restrict(UnionOrg.objects.all(), tree.yanliang_cadre).count() == 0


@pytest.mark.parametrize("parent_name", ["yanta", "yanta_street", "city"])
def test_refused_write_leaves_database_unchanged(tree, parent_name):
    before = UnionOrg.objects.count()
    with pytest.raises(PermissionDenied):
        org_create(
            name="越权组织",
            level=OrgLevel.STREET,
            area=tree.yanta.area,
            parent=getattr(tree, parent_name),
            actor=tree.yanliang_staff,
        )
    assert UnionOrg.objects.count() == before
    assert not UnionOrg.objects.filter(name="越权组织").exists()


def test_leader_write_refused(tree):
    with pytest.raises(PermissionDenied):
        org_create(
            name="x", level=OrgLevel.STREET, area=tree.yanliang.area, parent=tree.yanliang, actor=tree.yanliang_leader
        )
    assert not UnionOrg.objects.filter(name="x").exists()


def test_allowed_write_gets_tree_path(tree):
    org = org_create(
        name="新街道工会",
        level=OrgLevel.STREET,
        area=tree.yanliang.area,
        parent=tree.yanliang,
        actor=tree.yanliang_staff,
    )
    assert org.path == f"{tree.yanliang.path}{org.pk}/"
    assert org.depth == 2
    assert tree.yanliang.contains(org) and not tree.yanta.contains(org)


def test_web_org_list_is_scoped(client, tree):
    client.force_login(tree.yanliang_staff)
    page = client.get("/orgs/").content.decode()
    assert "阎良街道工会" in page
    assert "雁塔" not in page


def test_api_refuses_other_district(client, tree):
    client.force_login(tree.yanliang_staff)
    response = client.get(f"/api/orgs/{tree.yanta.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ok = client.get(f"/api/orgs/{tree.yanliang_street.pk}")
    assert ok.status_code == 200 and ok.json()["name"] == "阎良街道工会"
    listed = {o["name"] for o in client.get("/api/orgs/").json()}
    assert listed == {"阎良区总工会", "阎良街道工会"}
