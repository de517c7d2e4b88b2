"""Who may give which role, at which level of the tree, and manage whom (docs/operations.md, "Staff").

A city admin may give any role, a city admin's included; district staff may give district
staff, cadre, enterprise chair and leader, never city admin. Either only inside their own
subtree (the MANAGE_STAFF action of the scoping chokepoint). A user is managed by whoever
could have given them their role there, so district staff cannot touch a city admin, and
nobody changes their own role, organization or active state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, can
from niangjia.orgs.choices import OrgLevel

if TYPE_CHECKING:
    from niangjia.orgs.models import StaffUser, UnionOrg

GRANTABLE: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(Role.values),
    Role.DISTRICT_STAFF: frozenset({Role.DISTRICT_STAFF, Role.CADRE, Role.ENTERPRISE_CHAIR, Role.LEADER}),
}

# The levels of organization each role belongs at; a role not listed may sit at any level.
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset({OrgLevel.CITY}),
    Role.DISTRICT_STAFF: frozenset({OrgLevel.DISTRICT, OrgLevel.ZONE}),
    Role.ENTERPRISE_CHAIR: frozenset({OrgLevel.ENTERPRISE}),
}


def role_label(role: str) -> str:
    """The Chinese name of a role (the value itself if unknown)."""
    return str(Role(role).label) if role in Role.values else role


def grantable_roles(actor: Any) -> list[str]:
    """The roles `actor` may give, in the order of `Role`."""
    if not allows(actor, Action.MANAGE_STAFF):
        return []
    allowed = frozenset(Role.values) if actor.is_superuser else GRANTABLE.get(actor.role, frozenset())
    return [role for role in Role.values if role in allowed]


def may_manage(actor: Any, target: StaffUser) -> bool:
    """Return whether `actor` may edit, deactivate, unlock or reset `target`."""
    if target.org_id is None and not getattr(actor, "is_superuser", False):
        return False
    return target.role in grantable_roles(actor) and can(actor, Action.MANAGE_STAFF, target)


def check_manage(actor: Any, target: StaffUser) -> None:
    """Raise PermissionDenied unless `actor` may manage `target`."""
    if not may_manage(actor, target):
        raise PermissionDenied("无权管理该工作人员：超出您所在组织的管辖范围或您可授予的角色。")


def check_grant(actor: Any, *, role: str, org: UnionOrg) -> None:
    """Raise unless `actor` may put a user with `role` at `org` (PermissionDenied), and the level fits (ValidationError)."""
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色：{role}"})
    if actor is not None:
        if role not in grantable_roles(actor):
            raise PermissionDenied(f"您无权授予“{role_label(role)}”角色。")
        if not can(actor, Action.MANAGE_STAFF, org):
            raise PermissionDenied(f"无权在“{org.name}”添加或调入工作人员：超出您所在组织的管辖范围。")
    check_level(role=role, org=org)


def check_level(*, role: str, org: UnionOrg) -> None:
    """Raise ValidationError when `role` does not belong at `org`'s level."""
    levels = ROLE_LEVELS.get(role)
    if levels is not None and org.level not in levels:
        names = "、".join(str(OrgLevel(level).label) for level in sorted(levels))
        raise ValidationError(
            {"org": f"“{role_label(role)}”只能设在{names}，“{org.name}”是{OrgLevel(org.level).label}。"}
        )
