"""Reads of the union tree and its staff, always through the scoping chokepoint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet

from niangjia.core.ranges import ID_MAX
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import Area, StaffUser, UnionOrg

STAFF_PAGE = 50
ORG_SEARCH_MAX = 50


def org_list(*, user: StaffUser, action: Action = Action.VIEW) -> QuerySet[UnionOrg]:
    """Organizations the user may see, in tree order."""
    return restrict(UnionOrg.objects.select_related("area", "parent"), user, action).order_by("path")


def org_search(*, user: StaffUser, q: str, limit: int = ORG_SEARCH_MAX) -> list[UnionOrg]:
    """Organizations in scope whose name (or key) contains `q`, shallowest first."""
    q = q.strip()
    if not q:
        return []
    found = org_list(user=user).filter(Q(name__contains=q) | Q(key=q)).order_by("depth", "name", "pk")
    return list(found[:limit])


def org_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> UnionOrg:
    """One organization in scope; UnionOrg.DoesNotExist otherwise (the views answer 404)."""
    return org_list(user=user, action=action).get(pk=pk)


def org_breadcrumbs(*, user: StaffUser, org: UnionOrg) -> list[UnionOrg]:
    """The organizations above `org` that the user may see, from the user's root down (`org` excluded)."""
    ancestor_ids = [int(part) for part in org.path.strip("/").split("/")[:-1] if part]
    return list(org_list(user=user).filter(pk__in=ancestor_ids).order_by("depth"))


def org_children(*, user: StaffUser, org: UnionOrg) -> list[UnionOrg]:
    """The organization's children in scope, each with `child_count` (its own children)."""
    children = org_list(user=user).filter(parent=org).annotate(child_count=Count("children")).order_by("name", "pk")
    return list(children)


def staff_per_child(*, user: StaffUser, org: UnionOrg) -> dict[int, int]:
    """How many staff in scope work in each child's subtree (org's own staff under org.pk)."""
    scoped = restrict(StaffUser.objects.filter(org__path__startswith=org.path), user)
    by_path = dict(scoped.values("org__path").annotate(n=Count("id")).values_list("org__path", "n"))
    return fold_counts(org=org, counts_by_path=by_path)


def fold_counts(*, org: UnionOrg, counts_by_path: dict[str, int]) -> dict[int, int]:
    """Sum counts by organization path into `org`'s children (by id); `org`'s own rows under its id."""
    folded: dict[int, int] = {}
    for path, count in counts_by_path.items():
        rest = path[len(org.path) :].split("/", 1)[0]
        key = int(rest) if rest else org.pk
        folded[key] = folded.get(key, 0) + count
    return folded


def org_choices(*, user: StaffUser, action: Action = Action.MANAGE_STAFF, limit: int = 2000) -> list[tuple[str, str]]:
    """The organizations a form may offer, indented by depth below the user's root."""
    base = user.org.depth if user.org else 0
    rows = org_list(user=user, action=action).values_list("pk", "name", "depth")[:limit]
    return [(str(pk), "\u3000" * max(depth - base, 0) + name) for pk, name, depth in rows]


@dataclass(frozen=True)
class StaffFilter:
    """The staff list's filter, one for the page and the API: name or username, role, organization (with its subtree), active."""

    q: str = ""
    role: str = ""
    org: int | None = None
    active: bool | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> StaffFilter:
        """The filter a query string asks for; an invalid value means "all" for that field."""
        org = str(query.get("org", "")).strip()
        active = {"1": True, "0": False}.get(str(query.get("active", "")).strip())
        role = str(query.get("role", "")).strip()
        return cls(
            q=str(query.get("q", "")).strip()[:100],
            role=role if role in Role.values else "",
            org=int(org) if org.isdigit() and 0 < int(org) <= ID_MAX else None,
            active=active,
        )

    def query(self) -> str:
        """The query string of the chosen fields (for the next page's link)."""
        chosen = {"q": self.q, "role": self.role, "org": self.org or "", "active": _flag(self.active)}
        return urlencode({key: value for key, value in chosen.items() if value != ""})

    def apply(self, qs: QuerySet[StaffUser], *, user: StaffUser) -> QuerySet[StaffUser]:
        """The filter applied to an already scoped queryset (the org must be in the user's scope)."""
        if self.role:
            qs = qs.filter(role=self.role)
        if self.active is not None:
            qs = qs.filter(is_active=self.active)
        if self.org is not None:
            org = org_list(user=user).filter(pk=self.org).values_list("path", flat=True).first()
            qs = qs.filter(org__path__startswith=org) if org else qs.none()
        if self.q.strip():
            text = self.q.strip()
            qs = qs.filter(Q(username__icontains=text) | Q(display_name__contains=text))
        return qs


def staff_queryset(
    *, user: StaffUser, filters: StaffFilter | None = None, action: Action = Action.VIEW
) -> QuerySet[StaffUser]:
    """Staff in scope matching the filters, by username (the keyset of the list)."""
    qs = restrict(StaffUser.objects.select_related("org"), user, action)
    if filters is not None:
        qs = filters.apply(qs, user=user)
    return qs.order_by("username")


def staff_page(
    *, user: StaffUser, filters: StaffFilter, after: str = "", limit: int = STAFF_PAGE, action: Action = Action.VIEW
) -> tuple[list[StaffUser], str]:
    """One page of the staff list after the username `after`; return it and the next page's cursor ("" at the end)."""
    qs = staff_queryset(user=user, filters=filters, action=action)
    if after:
        qs = qs.filter(username__gt=after)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].username if more and rows else ""


def org_staff(*, user: StaffUser, org: UnionOrg, limit: int = STAFF_PAGE) -> list[StaffUser]:
    """The staff of `org` itself (not its subtree) the user may see: active first, then by role and username."""
    qs = restrict(StaffUser.objects.filter(org=org), user).order_by("-is_active", "role", "username")
    return list(qs[:limit])


def staff_list(*, user: StaffUser) -> QuerySet[StaffUser]:
    """Staff the user may see."""
    return restrict(StaffUser.objects.select_related("org"), user).order_by("org__path", "username")


def staff_get(*, user: StaffUser, pk: int, action: Action = Action.MANAGE_STAFF) -> StaffUser:
    """One staff user in scope; StaffUser.DoesNotExist otherwise (the views answer 404)."""
    return restrict(StaffUser.objects.select_related("org"), user, action).get(pk=pk)


def area_descendants(*, area: Area) -> QuerySet[Area]:
    """Areas whose code starts with the area's significant digits (GB/T 2260 prefixes)."""
    code = area.code.rstrip("0") if len(area.code) == 6 else area.code
    if len(code) % 2:
        code += "0"
    return Area.objects.filter(code__startswith=code)


def _flag(value: bool | None) -> str:
    return "" if value is None else "1" if value else "0"
