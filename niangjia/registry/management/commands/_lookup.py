"""Command options that name a staff user or a union organization."""

from __future__ import annotations

from django.core.management.base import CommandError

from niangjia.orgs.models import StaffUser, UnionOrg


def staff_option(username: str | None) -> StaffUser | None:
    """The active staff user named by `--user`, or None (act as the system)."""
    if not username:
        return None
    user = StaffUser.objects.select_related("org").filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"找不到启用中的工作人员：{username}")
    return user


def org_option(org_id: int | None) -> UnionOrg | None:
    """The union organization named by `--org`, or None."""
    if org_id is None:
        return None
    org = UnionOrg.objects.select_related("area").filter(pk=org_id).first()
    if org is None:
        raise CommandError(f"找不到编号为 {org_id} 的工会组织")
    return org
