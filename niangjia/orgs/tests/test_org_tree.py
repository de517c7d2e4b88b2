"""The union tree's pages: search, an organization with breadcrumbs, children, counts and staff."""

from __future__ import annotations

from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.services import org_create


def test_org_page_breadcrumbs_stop_at_the_viewers_root(tree, client):
    client.force_login(tree.yanliang_staff)
    page = client.get(f"/orgs/{tree.yanliang_street.pk}/")
    assert [org.name for org in page.context["breadcrumbs"]] == ["阎良区总工会"]
    client.force_login(tree.city_admin)
    page = client.get(f"/orgs/{tree.yanliang_street.pk}/")
    assert [org.name for org in page.context["breadcrumbs"]] == ["西安市总工会", "阎良区总工会"]


def test_org_page_children_and_counts(tree, client):
    org_create(name="阎良某企业工会", level=OrgLevel.ENTERPRISE, area=tree.yanliang.area, parent=tree.yanliang_street)
    client.force_login(tree.city_admin)
    page = client.get(f"/orgs/{tree.city.pk}/")
    children = {child.name: counts for child, counts in page.context["children"]}
    assert children == {
        "阎良区总工会": {"staff": 4, "enterprises": 0, "workers": 0},
        "雁塔区总工会": {"staff": 1, "enterprises": 0, "workers": 0},
    }
    assert page.context["totals"]["staff"] == 7
    staff = [person.username for person, _, _ in page.context["staff"]]
    assert staff == ["admin", "city_leader"]


def test_other_subtrees_and_cadres_get_404(tree, client):
    client.force_login(tree.yanliang_staff)
    assert client.get(f"/orgs/{tree.yanta.pk}/").status_code == 404
    assert client.get(f"/orgs/{tree.city.pk}/").status_code == 404
    client.force_login(tree.yanliang_cadre)
    assert client.get(f"/orgs/{tree.yanliang_street.pk}/").status_code == 404


def test_leader_sees_the_page_without_buttons(tree, client):
    client.force_login(tree.yanliang_leader)
    page = client.get(f"/orgs/{tree.yanliang.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "阎良街道工会" in html
    assert "添加工作人员" not in html and "/orgs/staff/" not in html
    client.force_login(tree.yanliang_staff)
    html = client.get(f"/orgs/{tree.yanliang.pk}/").content.decode()
    assert "添加工作人员" in html and f"/orgs/staff/{tree.yanliang_cadre.pk}/" not in html  # cadres sit in the street
    html = client.get(f"/orgs/{tree.yanliang_street.pk}/").content.decode()
    assert f"/orgs/staff/{tree.yanliang_cadre.pk}/" in html


def test_search_by_name_is_scoped(tree, client):
    client.force_login(tree.yanliang_staff)
    found = client.get("/orgs/", {"q": "街道"}).context["found"]
    assert [org.name for org in found] == ["阎良街道工会"]
    client.force_login(tree.city_admin)
    found = client.get("/orgs/", {"q": "街道"}).context["found"]
    assert [org.name for org in found] == ["阎良街道工会", "雁塔街道工会"]


def test_org_list_links_to_the_org_page(tree, client):
    client.force_login(tree.yanliang_staff)
    assert f'href="/orgs/{tree.yanliang_street.pk}/"' in client.get("/orgs/").content.decode()
