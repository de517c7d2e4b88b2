"""What each role's home page shows: figures of the user's own part of the tree."""

from __future__ import annotations

from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count

from niangjia.core.roles import Role
from niangjia.orgs.models import StaffUser
from niangjia.orgs.selectors import org_children_counts, org_list, staff_list
from niangjia.registry import selectors as registry_selectors
from niangjia.screening import selectors as screening_selectors
from niangjia.screening.pack import current_policies, policy_names

COUNTS_SECONDS = 120


def _scope_key(user: StaffUser) -> str:
    """Users who see the same records share cached figures: role and organization (a cadre: themself)."""
    return f"{user.role}:{user.org.path if user.org else ''}:{user.pk if user.role == Role.CADRE else ''}"


def _registry_counts(user: StaffUser) -> list[tuple[str, int]]:
    """Enterprises, workers and households in scope; counted at most every two minutes per scope.

    A city's COUNT over millions of rows costs a second; a home page must not pay it each time.
    """
    key = f"home-counts:{_scope_key(user)}"

    return cast(
        list[tuple[str, int]],
        cache.get_or_set(key, lambda: registry_selectors.registry_counts(user=user), COUNTS_SECONDS),
    )


def home_context(*, user: StaffUser) -> dict[str, Any]:
    """Return the figures for the user's home page, all within their scope."""
    staff = staff_list(user=user).order_by()
    role_counts = {row["role"]: row["n"] for row in staff.values("role").annotate(n=Count("id"))}
    summary = cast(
        list[dict[str, Any]],
        cache.get_or_set(
            f"home-worklist:{_scope_key(user)}",
            lambda: screening_selectors.worklist_summary(user=user, filters=screening_selectors.WorklistFilter()),
            COUNTS_SECONDS,
        ),
    )
    names = policy_names(current_policies())
    context: dict[str, Any] = {
        "org": user.org,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
        "org_count": org_list(user=user).count(),
        "staff_by_role": [(label, role_counts.get(value, 0)) for value, label in Role.choices],
        "children": org_children_counts(user=user)[:40] if user.org else [],
        "registry_counts": _registry_counts(user),
        "worklist": [{**row, "name": names.get(str(row["policy_id"]), row["policy_id"])} for row in summary],
    }
    if user.role == Role.CADRE:
        context["my_enterprises"] = registry_selectors.enterprise_list(
            user=user, filters=registry_selectors.EnterpriseFilter(), limit=20
        )
    return context
