"""Staff management services: who may give which role where, audit, one-time passwords."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.keys import unprotect
from niangjia.core.models import AuditEntry
from niangjia.core.roles import Role
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.granting import grantable_roles, may_manage
from niangjia.orgs.models import ApiToken, LoginAttempt, StaffUser
from niangjia.orgs.services import (
    org_create,
    staff_onboard,
    staff_password_change,
    staff_password_reset,
    staff_set_active,
    staff_unlock,
    staff_update,
    token_create,
)
from niangjia.orgs.services.staff import PHONE_CONTEXT


def test_grantable_roles_per_role(tree):
    assert grantable_roles(tree.city_admin) == list(Role.values)
    assert grantable_roles(tree.yanliang_staff) == [
        Role.DISTRICT_STAFF, Role.CADRE, Role.ENTERPRISE_CHAIR, Role.LEADER,
    ]  # fmt: skip
    for user in (tree.yanliang_cadre, tree.yanliang_leader):
        assert grantable_roles(user) == []


def test_district_staff_creates_a_cadre_with_a_one_time_password(tree):
    user, password = staff_onboard(
        actor=tree.yanliang_staff, username="li_si", role=Role.CADRE, org=tree.yanliang_street,
        display_name="李四", phone="１３８ ００００ １２３４",
    )  # fmt: skip
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)
    assert len(password) == 20 and password.count("-") == 2
    assert user.phone_masked == "138****1234"
    assert unprotect(user.phone_enc, context=PHONE_CONTEXT) == "13800001234"
    entry = AuditEntry.objects.get(action="orgs.staff.create", target_id=str(user.pk))
    assert entry.actor == tree.yanliang_staff and entry.org_path == tree.yanliang_street.path
    assert entry.new_values == {"role": "工会干部", "org": "阎良街道工会"}
    assert password not in str(entry.new_values)


def test_district_staff_cannot_grant_city_admin_nor_reach_another_district(tree):
    with pytest.raises(PermissionDenied):
        staff_onboard(actor=tree.yanliang_staff, username="x1", role=Role.CITY_ADMIN, org=tree.yanliang,
                      display_name="甲")  # fmt: skip
    with pytest.raises(PermissionDenied):
        staff_onboard(actor=tree.yanliang_staff, username="x2", role=Role.CADRE, org=tree.yanta_street,
                      display_name="乙")  # fmt: skip
    assert not StaffUser.objects.filter(username__in=["x1", "x2"]).exists()
    assert not AuditEntry.objects.filter(action="orgs.staff.create").exists()


def test_other_roles_cannot_create_staff(tree):
    for actor in (tree.yanliang_cadre, tree.yanliang_leader, tree.city_leader):
        with pytest.raises(PermissionDenied):
            staff_onboard(actor=actor, username="x3", role=Role.CADRE, org=tree.yanliang_street, display_name="丙")


def test_roles_belong_at_their_level(tree):
    with pytest.raises(ValidationError) as caught:
        staff_onboard(actor=tree.city_admin, username="x4", role=Role.DISTRICT_STAFF, org=tree.yanliang_street,
                      display_name="丁")  # fmt: skip
    assert "区县总工会" in caught.value.message_dict["org"][0]
    with pytest.raises(ValidationError):
        staff_onboard(actor=tree.city_admin, username="x5", role=Role.CITY_ADMIN, org=tree.yanliang, display_name="戊")


def test_username_is_ascii_and_unique(tree):
    with pytest.raises(ValidationError) as caught:
        staff_onboard(actor=tree.city_admin, username="张三", role=Role.CADRE, org=tree.yanliang, display_name="张三")
    assert "英文字母" in caught.value.message_dict["username"][0]
    with pytest.raises(ValidationError):
        staff_onboard(actor=tree.city_admin, username="yl_cadre", role=Role.CADRE, org=tree.yanliang,
                      display_name="重复")  # fmt: skip


def test_nobody_edits_themselves_into_a_higher_role_or_another_subtree(tree):
    me = tree.yanliang_staff
    with pytest.raises(PermissionDenied):
        staff_update(actor=me, user=me, role=Role.CITY_ADMIN)
    with pytest.raises(PermissionDenied):
        staff_update(actor=me, user=me, org=tree.yanta)
    with pytest.raises(PermissionDenied):
        staff_set_active(actor=me, user=me, active=False)
    staff_update(actor=me, user=me, display_name="阎良工作人员")
    me.refresh_from_db()
    assert (me.role, me.org, me.display_name) == (Role.DISTRICT_STAFF, tree.yanliang, "阎良工作人员")


def test_city_admin_cannot_promote_themselves_either(tree):
    with pytest.raises(PermissionDenied):
        staff_update(actor=tree.city_admin, user=tree.city_admin, org=tree.yanliang)


def test_district_staff_cannot_touch_a_city_admin_or_another_district(tree):
    assert not may_manage(tree.yanliang_staff, tree.city_admin)
    assert not may_manage(tree.yanliang_staff, tree.yanta_staff)
    assert may_manage(tree.yanliang_staff, tree.yanliang_cadre)
    assert may_manage(tree.city_admin, tree.yanta_staff)
    for call in (
        lambda: staff_password_reset(actor=tree.yanliang_staff, user=tree.city_admin),
        lambda: staff_set_active(actor=tree.yanliang_staff, user=tree.yanta_staff, active=False),
        lambda: staff_unlock(actor=tree.yanliang_staff, user=tree.yanta_staff),
        lambda: staff_update(actor=tree.yanliang_staff, user=tree.yanta_staff, display_name="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    tree.yanta_staff.refresh_from_db()
    assert tree.yanta_staff.is_active and tree.yanta_staff.display_name == "yt_staff"


def test_district_staff_cannot_move_a_cadre_out_of_the_district(tree):
    with pytest.raises(PermissionDenied):
        staff_update(actor=tree.yanliang_staff, user=tree.yanliang_cadre, org=tree.yanta_street)
    tree.yanliang_cadre.refresh_from_db()
    assert tree.yanliang_cadre.org == tree.yanliang_street


def test_update_is_audited_with_old_and_new(tree):
    enterprise = org_create(
        name="阎良某企业工会", level=OrgLevel.ENTERPRISE, area=tree.yanliang.area, parent=tree.yanliang_street
    )
    staff_update(actor=tree.yanliang_staff, user=tree.yanliang_cadre, role=Role.ENTERPRISE_CHAIR, org=enterprise)
    entry = AuditEntry.objects.get(action="orgs.staff.change")
    assert entry.old_values == {"role": "工会干部", "org": "阎良街道工会"}
    assert entry.new_values == {"role": "企业工会主席", "org": "阎良某企业工会"}


def test_password_reset_forces_a_change_ends_tokens_and_is_audited(tree):
    target = tree.yanliang_cadre
    token, _raw = token_create(user=target, name="手机")
    password = staff_password_reset(actor=tree.yanliang_staff, user=target)
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(password)
    assert ApiToken.objects.get(pk=token.pk).revoked
    entry = AuditEntry.objects.get(action="orgs.staff.password_reset")
    assert entry.new_values == {"tokens_revoked": 1} and password not in str(entry.new_values)
    staff_password_change(user=target, new_password="Cadre-own-2026")
    target.refresh_from_db()
    assert not target.must_change_password and target.check_password("Cadre-own-2026")
    assert AuditEntry.objects.get(action="orgs.staff.password_change").new_values == {"forced": True}


def test_a_weak_new_password_is_refused(tree):
    with pytest.raises(ValidationError):
        staff_password_change(user=tree.yanliang_cadre, new_password="12345678")


def test_deactivate_and_reactivate(tree):
    staff_set_active(actor=tree.yanliang_staff, user=tree.yanliang_cadre, active=False)
    assert not StaffUser.objects.get(pk=tree.yanliang_cadre.pk).is_active
    staff_set_active(actor=tree.yanliang_staff, user=tree.yanliang_cadre, active=True)
    assert StaffUser.objects.get(pk=tree.yanliang_cadre.pk).is_active
    entries = AuditEntry.objects.filter(target_type="orgs.staffuser", target_id=str(tree.yanliang_cadre.pk))
    actions = list(entries.order_by("id").values_list("action", flat=True))
    assert actions == ["orgs.staff.deactivate", "orgs.staff.reactivate"]


def test_unlock_clears_failed_logins_of_the_account(tree, client):
    for _ in range(3):
        client.post("/login/", {"username": "yl_cadre", "password": "wrong-password"})
    assert LoginAttempt.objects.filter(ok=False).count() == 3
    assert staff_unlock(actor=tree.yanliang_staff, user=tree.yanliang_cadre) == 3
    assert LoginAttempt.objects.filter(ok=False).count() == 0
    assert AuditEntry.objects.filter(action="orgs.staff.unlock", actor=tree.yanliang_staff).count() == 1
