"""What the home pages show beside the dashboard: figures of the user's own part of the tree."""

from __future__ import annotations

from typing import Any, cast

from django.core.cache import cache

from niangjia.core.roles import Role
from niangjia.orgs.models import StaffUser
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


def registry_panel(*, user: StaffUser) -> dict[str, Any]:
    """The registry's counts and the 政策找人 summary in the user's scope (each cached per scope)."""
    summary = cast(
        list[dict[str, Any]],
        cache.get_or_set(
            f"home-worklist:{_scope_key(user)}",
            lambda: screening_selectors.worklist_summary(user=user, filters=screening_selectors.WorklistFilter()),
            COUNTS_SECONDS,
        ),
    )
    names = policy_names(current_policies())
    return {
        "registry_counts": _registry_counts(user),
        "worklist": [{**row, "name": names.get(str(row["policy_id"]), row["policy_id"])} for row in summary],
    }


def home_context(*, user: StaffUser) -> dict[str, Any]:
    """Return the figures for the home page of a cadre or an enterprise chair, all within their scope."""
    context: dict[str, Any] = {
        "org": user.org,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
        **registry_panel(user=user),
    }
    if user.role == Role.CADRE:
        context["my_enterprises"] = registry_selectors.enterprise_list(
            user=user, filters=registry_selectors.EnterpriseFilter(), limit=20
        )
    return context
