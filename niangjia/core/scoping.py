"""The one scoping chokepoint: what a user may read or write.

Every selector of people data starts from `restrict(queryset, user, action)`,
and every service that writes checks `require(user, action, obj)` first.
A model says how it is reached through a class attribute `scope`:

    scope = ScopeSpec(org="org", cadre="cadre_links__cadre")

`org` is the lookup from the model to its owning `UnionOrg`; `cadre` (optional)
is the lookup to the staff users assigned to the record. Staff at an
organization see its whole subtree; a cadre sees only what is assigned to them;
a leader reads and never writes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from niangjia.core.roles import Role


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    REVEAL = "reveal"
    # Income, health, disability and what is derived from them (screening reasons, levels, hints).
    SENSITIVE = "sensitive"
    # Queue a screening of the user's part of the map (a city- or district-wide run).
    SCREEN = "screen"
    AUDIT = "audit"
    # Create, edit, deactivate, unlock and reset the passwords of staff users in the subtree.
    MANAGE_STAFF = "manage_staff"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CITY_ADMIN: frozenset(Action),
    Role.DISTRICT_STAFF: frozenset(Action),
    Role.CADRE: frozenset({Action.VIEW, Action.CHANGE, Action.REVEAL, Action.SENSITIVE}),
    Role.ENTERPRISE_CHAIR: frozenset({Action.VIEW, Action.CHANGE, Action.EXPORT}),
    Role.LEADER: frozenset({Action.VIEW}),
}

ACTION_LABELS = {
    Action.VIEW: "查看",
    Action.CHANGE: "修改",
    Action.EXPORT: "导出",
    Action.REVEAL: "查看完整敏感信息",
    Action.SENSITIVE: "查看收入、健康等家庭情况",
    Action.SCREEN: "发起政策筛查",
    Action.AUDIT: "查询审计记录",
    Action.MANAGE_STAFF: "管理工作人员",
}


@dataclass(frozen=True)
class ScopeSpec:
    """How a model is reached: lookup to its owning org, and to assigned cadres."""

    org: str
    cadre: str | None = None
    # Lookup of a denormalized path string, for records that copy their org's path.
    path: str | None = None


M = TypeVar("M", bound=models.Model)


def _spec(model: type[models.Model]) -> ScopeSpec:
    spec = getattr(model, "scope", None)
    if not isinstance(spec, ScopeSpec):
        raise TypeError(f"{model.__name__} declares no `scope = ScopeSpec(...)`; it cannot be scoped")
    return spec


def allows(user: Any, action: Action) -> bool:
    """Return whether the user's role permits `action` at all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return action in ROLE_ACTIONS.get(user.role, frozenset()) and user.org_id is not None


def scope_q(model: type[models.Model], user: Any, action: Action) -> Q | None:
    """Return the filter selecting what `user` may `action` on `model`; None = nothing."""
    if not allows(user, action):
        return None
    if user.is_superuser:
        return Q()
    spec = _spec(model)
    if user.role == Role.CADRE:
        if spec.cadre is None:
            return None
        # A subquery, not a join: an assignment table must never duplicate rows.
        assigned = model._default_manager.filter(**{spec.cadre: user}).values("pk")
        return Q(pk__in=assigned)
    if spec.path is not None:
        return Q(**{f"{spec.path}__startswith": user.org.path})
    prefix = f"{spec.org}__" if spec.org else ""
    return Q(**{f"{prefix}path__startswith": user.org.path})


def restrict(queryset: models.QuerySet[M], user: Any, action: Action = Action.VIEW) -> models.QuerySet[M]:
    """Narrow `queryset` to what `user` may `action`; the start of every people selector."""
    condition = scope_q(queryset.model, user, action)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def can(user: Any, action: Action, obj: models.Model) -> bool:
    """Return whether `user` may `action` on one record."""
    condition = scope_q(type(obj), user, action)
    if condition is None:
        return False
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def require(user: Any, action: Action, obj: models.Model) -> None:
    """Raise PermissionDenied (with a Chinese message) unless `user` may `action` on `obj`."""
    if not can(user, action, obj):
        raise PermissionDenied(f"无权{ACTION_LABELS[action]}该记录：超出您所在组织的管辖范围或角色权限。")


def require_action(user: Any, action: Action) -> None:
    """Raise PermissionDenied unless the user's role allows `action` somewhere."""
    if not allows(user, action):
        raise PermissionDenied(f"您的角色无权{ACTION_LABELS[action]}。")
