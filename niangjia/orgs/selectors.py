"""Reads of the union tree, always through the scoping chokepoint."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import Area, StaffUser, UnionOrg


def org_list(*, user: StaffUser, action: Action = Action.VIEW) -> QuerySet[UnionOrg]:
    """Organizations the user may see, in tree order."""
    return restrict(UnionOrg.objects.select_related("area", "parent"), user, action).order_by("path")


def org_children_counts(*, user: StaffUser) -> QuerySet[UnionOrg]:
    """The user's own organization's children, with how many staff each has."""
    return (
        restrict(UnionOrg.objects.all(), user)
        .filter(parent=user.org)
        .annotate(staff_count=Count("staff"))
        .select_related("area")
        .order_by("name")
    )


def staff_list(*, user: StaffUser) -> QuerySet[StaffUser]:
    """Staff the user may see."""
    return restrict(StaffUser.objects.select_related("org"), user).order_by("org__path", "username")


def area_descendants(*, area: Area) -> QuerySet[Area]:
    """Areas whose code starts with the area's significant digits (GB/T 2260 prefixes)."""
    code = area.code.rstrip("0") if len(area.code) == 6 else area.code
    if len(code) % 2:
        code += "0"
    return Area.objects.filter(code__startswith=code)
