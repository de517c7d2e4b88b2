"""What each role's home page shows: figures of the user's own part of the tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from niangjia.core.roles import Role
from niangjia.core.scoping import restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.orgs.selectors import org_children_counts


def home_context(*, user: StaffUser) -> dict[str, Any]:
    """Return the figures for the user's home page, all within their scope."""
    staff = restrict(StaffUser.objects.all(), user)
    role_counts = {row["role"]: row["n"] for row in staff.values("role").annotate(n=Count("id"))}
    return {
        "org": user.org,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
        "org_count": restrict(UnionOrg.objects.all(), user).count(),
        "staff_by_role": [(label, role_counts.get(value, 0)) for value, label in Role.choices],
        "children": org_children_counts(user=user)[:40] if user.org else [],
    }
