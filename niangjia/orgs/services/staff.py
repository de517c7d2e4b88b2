"""Writes to staff users: create, edit, deactivate, unlock, reset and change passwords.

Each checks who may do it (orgs/granting.py) before its transaction, and audits inside it.
The passwords themselves are never audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from niangjia.core.audit import audit_entry, audit_record, audit_records
from niangjia.core.identifiers import mask_phone, normalize_phone
from niangjia.core.keys import protect
from niangjia.core.scoping import Action, restrict
from niangjia.orgs.granting import check_grant, check_level, check_manage, grantable_roles, role_label
from niangjia.orgs.models import ApiToken, StaffUser, UnionOrg
from niangjia.orgs.services.login import login_throttle_clear
from niangjia.orgs.services.passwords import one_time_hash, one_time_password

PHONE_CONTEXT = "orgs.staff.phone"
# Typed on a phone's keyboard at every login: ASCII only.
USERNAME_RE = re.compile(r"^[A-Za-z0-9._@+-]{1,150}$")
USERNAME_MESSAGE = "用户名只能包含英文字母、数字和 . _ - @ +，不能有空格或汉字。"


def staff_create(
    *,
    username: str,
    password: str | None,
    role: str,
    org: UnionOrg,
    display_name: str = "",
    phone: str = "",
    actor: StaffUser | None = None,
    validate_password: bool = True,
) -> StaffUser:
    """Create a staff user attached to `org` with `role` and a password of their own (or none)."""
    check_grant(actor, role=role, org=org)
    user = StaffUser(username=username.strip(), role=role, org=org, display_name=display_name.strip())
    _check_username(user.username)
    staff_phone_set(user, phone)
    if password is None:
        user.set_unusable_password()
    else:
        if validate_password:
            _check_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        _audit_create(actor, user)
    return user


def staff_onboard(
    *, actor: StaffUser | None, username: str, role: str, org: UnionOrg, display_name: str, phone: str = ""
) -> tuple[StaffUser, str]:
    """Create a staff user with a one-time password; return the user and the password (shown once)."""
    check_grant(actor, role=role, org=org)
    user = StaffUser(username=username.strip(), role=role, org=org, display_name=display_name.strip())
    _check_username(user.username)
    staff_phone_set(user, phone)
    password = one_time_password()
    user.password = one_time_hash(password)
    user.must_change_password = True
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        _audit_create(actor, user)
    return user, password


def staff_update(
    *,
    actor: StaffUser | None,
    user: StaffUser,
    display_name: str | None = None,
    role: str | None = None,
    org: UnionOrg | None = None,
    phone: str | None = None,
) -> StaffUser:
    """Change a user's name, role, organization or phone; None leaves a value as it is."""
    if actor is not None:
        check_manage(actor, user)
    new_role = role if role is not None else user.role
    new_org = org if org is not None else user.org
    moved = new_role != user.role or (new_org is not None and new_org.pk != user.org_id)
    if moved:
        if actor is not None and actor.pk == user.pk:
            raise PermissionDenied("不能修改自己的角色或所属组织，请联系上级管理员。")
        if new_org is None:
            raise ValidationError({"org": "请选择所属组织。"})
        check_grant(actor, role=new_role, org=new_org)
    elif new_org is not None:
        check_level(role=new_role, org=new_org)
    old = _snapshot(user)
    if display_name is not None:
        user.display_name = display_name.strip()
    user.role, user.org = new_role, new_org
    if phone is not None:
        staff_phone_set(user, phone)
    user.full_clean(exclude=["password"])
    new = _snapshot(user)
    if new == old:
        return user
    with transaction.atomic():
        user.save()
        changed = [key for key in new if new[key] != old[key]]
        audit_record(
            actor=actor,
            action="orgs.staff.change",
            target=user,
            old={key: old[key] for key in changed},
            new={key: new[key] for key in changed},
            org_path=_place(user),
        )
    return user


def staff_set_active(*, actor: StaffUser | None, user: StaffUser, active: bool) -> StaffUser:
    """Deactivate a user (they can no longer sign in; sessions and tokens stop working) or reactivate them."""
    if actor is not None:
        check_manage(actor, user)
        if actor.pk == user.pk:
            raise PermissionDenied("不能停用或启用自己的账号。")
    if user.is_active == active:
        return user
    with transaction.atomic():
        StaffUser.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        audit_record(
            actor=actor,
            action="orgs.staff.reactivate" if active else "orgs.staff.deactivate",
            target=user,
            org_path=_place(user),
        )
    return user


def staff_unlock(*, actor: StaffUser | None, user: StaffUser) -> int:
    """Forget the failed logins on `user`'s account, from every address; return how many."""
    if actor is not None:
        check_manage(actor, user)
    return login_throttle_clear(username=user.username, actor=actor)


def staff_password_reset(*, actor: StaffUser | None, user: StaffUser) -> str:
    """Give `user` a new one-time password and return it (shown once); they must change it at next login.

    The user's sessions end (their password hash changed) and their API tokens are revoked.
    """
    if actor is not None:
        check_manage(actor, user)
        if actor.pk == user.pk:
            raise PermissionDenied("不能在这里重置自己的密码，请使用“修改密码”。")
    password = one_time_password()
    with transaction.atomic():
        user.password = one_time_hash(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        revoked = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        audit_record(
            actor=actor,
            action="orgs.staff.password_reset",
            target=user,
            new={"tokens_revoked": revoked},
            org_path=_place(user),
        )
    return password


def staff_password_change(*, user: StaffUser, new_password: str) -> StaffUser:
    """Set the user's own new password (validated) and lift `must_change_password`."""
    _check_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        was_forced = user.must_change_password
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(actor=user, action="orgs.staff.password_change", target=user, new={"forced": was_forced})
    return user


def staff_phone_set(user: StaffUser, phone: str) -> None:
    """Store a phone number encrypted and masked (blank clears it); raise ValidationError if malformed."""
    phone = phone.strip()
    if not phone:
        user.phone_enc = user.phone_masked = ""
        return
    try:
        cleaned = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages[0]}) from exc
    stored = protect(cleaned, context=PHONE_CONTEXT, mask=mask_phone)
    user.phone_enc, user.phone_masked = stored.token, stored.masked


def _check_username(username: str) -> None:
    if not USERNAME_RE.fullmatch(username):
        raise ValidationError({"username": USERNAME_MESSAGE})


def _check_password(password: str, user: StaffUser) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _audit_create(actor: StaffUser | None, user: StaffUser) -> None:
    audit_record(
        actor=actor,
        action="orgs.staff.create",
        target=user,
        new={"role": role_label(user.role), "org": user.org.name if user.org else ""},
        org_path=_place(user),
    )


def _snapshot(user: StaffUser) -> dict[str, str]:
    return {
        "display_name": user.display_name,
        "role": role_label(user.role),
        "org": user.org.name if user.org else "",
        "phone": user.phone_masked,
    }


def _place(user: StaffUser) -> str | None:
    """Audit entries about a user are placed at the user's organization, so their district sees them."""
    return user.org.path if user.org else None


@dataclass(frozen=True)
class StaffDraft:
    """One account to create in bulk, already parsed (the phone normalized)."""

    username: str
    display_name: str
    role: str
    org: UnionOrg
    phone: str = ""


def staff_bulk_onboard(*, actor: StaffUser | None, drafts: list[StaffDraft], file_label: str = "") -> dict[str, str]:
    """Create many accounts with one-time passwords in one transaction; return {username: password}.

    The bulk form of `staff_onboard` (the roster import): the same grant, level and field checks,
    made set-wise; one audit entry per account and one for the whole import.
    """
    _check_bulk_grant(actor, drafts)
    passwords: dict[str, str] = {}
    users = []
    for draft in drafts:
        check_level(role=draft.role, org=draft.org)
        user = StaffUser(
            username=draft.username, display_name=draft.display_name, role=draft.role, org=draft.org,
            must_change_password=True,
        )  # fmt: skip
        staff_phone_set(user, draft.phone)
        passwords[draft.username] = one_time_password()
        user.password = one_time_hash(passwords[draft.username])
        user.clean_fields(exclude=["password"])
        users.append(user)
    with transaction.atomic():
        created = StaffUser.objects.bulk_create(users, batch_size=500)
        if any(user.pk is None for user in created):
            created = list(StaffUser.objects.filter(username__in=[u.username for u in users]).select_related("org"))
        audit_records(
            audit_entry(
                actor=actor, action="orgs.staff.create", target=user, org_path=_place(user),
                new={"role": role_label(user.role), "org": user.org.name if user.org else ""},
            )
            for user in created
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="orgs.staff.import",
            target_label=f"导入{file_label}" if file_label else "导入工作人员名册",
            new={"created": len(created)},
        )
    return passwords


def _check_bulk_grant(actor: StaffUser | None, drafts: list[StaffDraft]) -> None:
    if actor is None:
        return
    roles = {draft.role for draft in drafts}
    allowed = set(grantable_roles(actor))
    if not roles <= allowed:
        refused = "、".join(role_label(role) for role in sorted(roles - allowed))
        raise PermissionDenied(f"您无权授予“{refused}”角色。")
    org_ids = {draft.org.pk for draft in drafts}
    in_scope = restrict(UnionOrg.objects.filter(pk__in=org_ids), actor, Action.MANAGE_STAFF).count()
    if in_scope != len(org_ids):
        raise PermissionDenied("名册中有组织超出您所在组织的管辖范围。")
