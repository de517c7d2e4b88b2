"""Staff pages and API: who gets 403 or 404, what a leader sees, the forced password change."""

from __future__ import annotations

import pytest

from niangjia.conftest import PASSWORD
from niangjia.core.roles import Role
from niangjia.orgs.models import StaffUser
from niangjia.orgs.services import staff_password_reset, token_create


@pytest.fixture
def as_user(client):  # type: ignore[no-untyped-def]
    def sign_in(user: StaffUser):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize("who", ["yanliang_cadre", "yanliang_leader", "city_leader"])
def test_staff_pages_refuse_roles_that_do_not_manage_staff(tree, as_user, who):
    client = as_user(getattr(tree, who))
    for url in ("/orgs/staff/", "/orgs/staff/new/", f"/orgs/staff/{tree.yanliang_cadre.pk}/", "/orgs/staff/import/"):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/orgs/staff/{tree.yanliang_cadre.pk}/password/")
    assert response.status_code == 403
    assert "工作人员" not in [label for label, _ in client.get("/orgs/").context["nav_items"]]


def test_another_district_is_a_404_and_nothing_changes(tree, as_user):
    client = as_user(tree.yanta_staff)
    target = tree.yanliang_cadre
    assert client.get(f"/orgs/staff/{target.pk}/").status_code == 404
    assert client.post(f"/orgs/staff/{target.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/orgs/staff/{target.pk}/password/").status_code == 404
    target.refresh_from_db()
    assert target.is_active and not target.must_change_password


def test_staff_list_is_scoped_searchable_and_paged(tree, as_user):
    client = as_user(tree.yanliang_staff)
    page = client.get("/orgs/staff/").content.decode()
    assert "yl_cadre" in page and "yt_staff" not in page and "city_leader" not in page
    found = client.get("/orgs/staff/", {"q": "cadre2"}).content.decode()
    assert "yl_cadre2" in found and "yl_leader" not in found
    leaders = client.get("/orgs/staff/", {"role": "leader"}).content.decode()
    assert "yl_leader" in leaders and "yl_cadre" not in leaders
    outside = client.get("/orgs/staff/", {"org": tree.yanta.pk}).content.decode()
    assert "yt_staff" not in outside and "没有符合条件的工作人员" in outside
    from niangjia.orgs import selectors

    rows, after = selectors.staff_page(user=tree.yanliang_staff, filters=selectors.StaffFilter(), limit=2)
    assert [r.username for r in rows] == ["yl_cadre", "yl_cadre2"] and after == "yl_cadre2"
    rows, after = selectors.staff_page(user=tree.yanliang_staff, filters=selectors.StaffFilter(), after=after, limit=2)
    assert [r.username for r in rows] == ["yl_leader", "yl_staff"] and after == ""


def test_create_offers_only_grantable_roles_and_own_subtree(tree, as_user):
    client = as_user(tree.yanliang_staff)
    form = client.get("/orgs/staff/new/").context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [
        "district_staff",
        "cadre",
        "enterprise_chair",
        "leader",
    ]
    assert {label.strip("\u3000") for _, label in form.fields["org"].choices} == {"阎良区总工会", "阎良街道工会"}
    refused = client.post("/orgs/staff/new/", {"username": "x", "display_name": "某", "role": "city_admin",
                                               "org": tree.yanliang.pk})  # fmt: skip
    assert refused.status_code == 400 and not StaffUser.objects.filter(username="x").exists()
    refused = client.post("/orgs/staff/new/", {"username": "x", "display_name": "某", "role": "cadre",
                                               "org": tree.yanta_street.pk})  # fmt: skip
    assert refused.status_code == 400 and not StaffUser.objects.filter(username="x").exists()
    made = client.post("/orgs/staff/new/", {"username": "lisi", "display_name": "李四", "role": "cadre",
                                            "org": tree.yanliang_street.pk, "phone": ""})  # fmt: skip
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    password = made.context["password"]
    assert StaffUser.objects.get(username="lisi").check_password(password)


def test_district_staff_sees_a_city_admin_nowhere_and_cannot_edit_it(tree, as_user):
    client = as_user(tree.yanliang_staff)
    assert client.get(f"/orgs/staff/{tree.city_admin.pk}/").status_code == 404
    assert client.get(f"/orgs/staff/{tree.city_admin.pk}/edit/").status_code == 404


def test_own_page_offers_no_role_org_or_deactivation(tree, as_user):
    client = as_user(tree.yanliang_staff)
    page = client.get(f"/orgs/staff/{tree.yanliang_staff.pk}/").content.decode()
    assert "停用账号" not in page and "重置密码" not in page and "修改我的密码" in page
    form = client.get(f"/orgs/staff/{tree.yanliang_staff.pk}/edit/").context["form"]
    assert "role" not in form.fields and "org" not in form.fields
    assert client.post(f"/orgs/staff/{tree.yanliang_staff.pk}/active/", {"active": "0"}).status_code == 403


def test_a_reset_user_is_sent_to_change_the_password_until_they_do(tree, client):
    password = staff_password_reset(actor=tree.yanliang_staff, user=tree.yanliang_cadre)
    response = client.post("/login/", {"username": "yl_cadre", "password": password})
    assert response.status_code == 302
    assert client.get("/").url == "/orgs/password/"
    assert client.get("/registry/workers/").url == "/orgs/password/"
    api = client.get("/api/orgs/me")
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    page = client.get("/orgs/password/")
    assert "old_password" not in page.context["form"].fields and "请设置您自己的密码" in page.content.decode()
    weak = client.post("/orgs/password/", {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 400
    done = client.post("/orgs/password/", {"new_password1": "Cadre-own-2026", "new_password2": "Cadre-own-2026"})
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").status_code == 200  # still signed in, no longer redirected
    user = StaffUser.objects.get(pk=tree.yanliang_cadre.pk)
    assert not user.must_change_password and user.check_password("Cadre-own-2026")


def test_a_voluntary_change_needs_the_current_password(tree, as_user):
    client = as_user(tree.yanliang_cadre)
    wrong = client.post("/orgs/password/", {"old_password": "nope", "new_password1": "Cadre-own-2026",
                                            "new_password2": "Cadre-own-2026"})  # fmt: skip
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.content.decode()
    right = client.post("/orgs/password/", {"old_password": PASSWORD, "new_password1": "Cadre-own-2026",
                                            "new_password2": "Cadre-own-2026"})  # fmt: skip
    assert right.status_code == 302


def test_staff_api(tree, client):
    _, raw = token_create(user=tree.yanliang_staff, name="t")
    auth = {"Authorization": f"Bearer {raw}"}
    listed = client.get("/api/orgs/staff", {"role": "cadre"}, headers=auth).json()
    assert [item["username"] for item in listed["items"]] == ["yl_cadre", "yl_cadre2"]
    made = client.post("/api/orgs/staff", {"username": "lisi", "display_name": "李四", "org_id": tree.yanliang_street.pk},
                       content_type="application/json", headers=auth)  # fmt: skip
    assert made.status_code == 201 and made.json()["staff"]["role"] == Role.CADRE
    assert StaffUser.objects.get(username="lisi").check_password(made.json()["password"])
    above = client.post("/api/orgs/staff", {"username": "boss", "display_name": "某", "role": "city_admin",
                                            "org_id": tree.yanliang.pk}, content_type="application/json", headers=auth)  # fmt: skip
    assert above.status_code == 403
    outside = client.patch(f"/api/orgs/staff/{tree.yanta_staff.pk}", {"display_name": "x"},
                           content_type="application/json", headers=auth)  # fmt: skip
    assert outside.status_code == 404
    reset = client.post(f"/api/orgs/staff/{tree.yanliang_cadre.pk}/password-reset", headers=auth)
    assert reset.status_code == 200 and reset.json()["staff"]["must_change_password"]
    off = client.post(f"/api/orgs/staff/{tree.yanliang_cadre.pk}/deactivate", headers=auth)
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert client.post(f"/api/orgs/staff/{tree.yanliang_cadre.pk}/unlock", headers=auth).json() == {"cleared": 0}
    _, leader = token_create(user=tree.yanliang_leader, name="t")
    assert client.get("/api/orgs/staff", headers={"Authorization": f"Bearer {leader}"}).status_code == 403
