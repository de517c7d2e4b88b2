"""Writes to the union tree and staff: each one transaction with its audit entry."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import ApiToken, Area, StaffUser, UnionOrg


class LoginRefused(Exception):
    """A login attempt was refused; the message is shown to the user."""


def org_create(
    *,
    name: str,
    level: str,
    area: Area,
    parent: UnionOrg | None,
    key: str | None = None,
    actor: StaffUser | None = None,
) -> UnionOrg:
    """Create a union organization under `parent` and give it its tree path."""
    if actor is not None and parent is not None:
        require(actor, Action.CHANGE, parent)
    with transaction.atomic():
        org = UnionOrg(name=name, level=level, area=area, parent=parent, key=key, path=f"tmp-{secrets.token_hex(8)}")
        org.full_clean(exclude=["path"])
        org.save()
        org.path = f"{parent.path if parent else '/'}{org.pk}/"
        org.depth = parent.depth + 1 if parent else 0
        UnionOrg.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
        audit_record(actor=actor, action="orgs.org.create", target=org, new={"name": name, "level": level})
    return org


def staff_create(
    *,
    username: str,
    password: str | None,
    role: str,
    org: UnionOrg,
    display_name: str = "",
    actor: StaffUser | None = None,
    validate_password: bool = True,
) -> StaffUser:
    """Create a staff user attached to `org` with `role`."""
    if actor is not None:
        require(actor, Action.CHANGE, org)
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色：{role}"})
    user = StaffUser(username=username, role=role, org=org, display_name=display_name)
    if password is None:
        user.set_unusable_password()
    else:
        if validate_password:
            from django.contrib.auth.password_validation import validate_password as check

            check(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="orgs.staff.create", target=user, new={"role": role, "org": org.name})
    return user


def staff_authenticate(*, request: HttpRequest | None, username: str, password: str) -> StaffUser:
    """Check a login, counting failures; lock the account after too many in a row."""
    user = StaffUser.objects.filter(username=username).select_related("org").first()
    now = timezone.now()
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginRefused(
            f"该账号因连续{settings.LOGIN_MAX_FAILURES}次密码错误已被锁定，请{minutes}分钟后再试或联系管理员。"
        )
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is not None:
            _record_failure(user)
        raise LoginRefused("用户名或密码错误。")
    assert isinstance(authenticated, StaffUser)
    with transaction.atomic():
        StaffUser.objects.filter(pk=authenticated.pk).update(failed_logins=0, locked_until=None)
        audit_record(actor=authenticated, action="orgs.staff.login", target=authenticated)
    return authenticated


def _record_failure(user: StaffUser) -> None:
    with transaction.atomic():
        # F() so that concurrent failures are all counted.
        StaffUser.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        place = user.org.path if user.org else ""
        audit_record(
            actor=None, action="orgs.staff.login_failed", target=user, new={"count": user.failed_logins}, org_path=place
        )
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            StaffUser.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            audit_record(
                actor=None, action="orgs.staff.locked", target=user, new={"until": until.isoformat()}, org_path=place
            )


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: StaffUser, name: str) -> tuple[ApiToken, str]:
    """Create an API token for `user`; return it with the plaintext, shown only once."""
    raw = f"nj_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, digest=_digest(raw), prefix=raw[:8])
        audit_record(actor=user, action="orgs.token.create", target=token)
    return token, raw


def token_authenticate(*, raw: str) -> StaffUser | None:
    """Return the active user owning the bearer token `raw`, or None."""
    token = (
        ApiToken.objects.filter(digest=_digest(raw), revoked=False, user__is_active=True)
        .select_related("user", "user__org")
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
