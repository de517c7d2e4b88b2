"""What the pairing solver works on: a campaign's cadres and enterprises, where they are, their districts.

Not scoped to a user: the pairing services call these after checking that the actor may run the campaign.

Where a cadre is: the place of their union organization — an enterprise union's enterprise; otherwise its
area (the district and county centres are in the area table; streets have none, so a street is placed at
the centre of the enterprises registered in it); otherwise the nearest area above with a place. An
enterprise without coordinates is placed at its area the same way. Someone with no place at all is left
out of the run and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import Avg, Q, QuerySet

from niangjia.core.roles import Role
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.outreach.choices import EnterpriseGroup
from niangjia.outreach.models import Campaign, Pairing, PairingExclusion
from niangjia.outreach.solver import Problem
from niangjia.registry.choices import EnterpriseStatus, Ownership, SizeClass
from niangjia.registry.models import Enterprise
from niangjia.registry.selectors import area_prefix

Point = tuple[float, float]

GROUP_FILTERS = {
    EnterpriseGroup.NON_PUBLIC: Q(ownership__in=Ownership.non_public()),
    EnterpriseGroup.SMALL_MICRO: Q(size_class__in=[SizeClass.SMALL, SizeClass.MICRO]),
    EnterpriseGroup.PLATFORM: Q(is_platform=True),
}


def _scope(campaign: Campaign, *, org: str, area: str) -> Q:
    """Records under the campaign's scope organizations or areas, always inside its organizer's subtree."""
    inside = Q(**{f"{org}__path__startswith": campaign.org.path})
    orgs = list(campaign.orgs.all())
    areas = list(campaign.areas.all())
    if not orgs and not areas:
        return inside
    either = Q()
    for scope_org in orgs:
        either |= Q(**{f"{org}__path__startswith": scope_org.path})
    for scope_area in areas:
        either |= Q(**{f"{area}__code__startswith": area_prefix(scope_area.code)})
    return inside & either


def campaign_cadres(campaign: Campaign) -> QuerySet[StaffUser]:
    """The campaign's cadres: active staff users with the cadre role in its scope."""
    return StaffUser.objects.filter(_scope(campaign, org="org", area="org__area"), role=Role.CADRE, is_active=True)


def campaign_enterprises(campaign: Campaign) -> QuerySet[Enterprise]:
    """The campaign's enterprises: active ones in its scope, of any of its target groups (none = all)."""
    qs = Enterprise.objects.filter(_scope(campaign, org="org", area="area"), status=EnterpriseStatus.ACTIVE)
    groups = [GROUP_FILTERS[EnterpriseGroup(g)] for g in campaign.enterprise_groups if g in GROUP_FILTERS]
    if groups:
        either = Q()
        for condition in groups:
            either |= condition
        qs = qs.filter(either)
    return qs


def area_points(area_ids: Iterable[int]) -> dict[int, Point | None]:
    """The place of each area: its own, else the centre of its located enterprises, else its parent's."""
    areas: dict[int, tuple[int | None, Decimal | None, Decimal | None]] = {}
    todo = set(area_ids)
    while todo:
        rows = Area.objects.filter(pk__in=sorted(todo)).values_list("pk", "parent_id", "lng", "lat")
        for pk, parent, lng, lat in rows:
            areas[pk] = (parent, lng, lat)
        todo = {parent for parent, _, _ in areas.values() if parent is not None and parent not in areas}
    bare = [pk for pk, (_, lng, lat) in areas.items() if lng is None or lat is None]
    centres = {
        row["area_id"]: (float(row["lng"]), float(row["lat"]))
        for row in Enterprise.objects.filter(area_id__in=bare, lng__isnull=False, lat__isnull=False)
        .values("area_id")
        .annotate(lng=Avg("lng"), lat=Avg("lat"))
    }
    found: dict[int, Point | None] = {}

    def place(pk: int | None, depth: int = 0) -> Point | None:
        if pk is None or pk not in areas or depth > 10:
            return None
        if pk not in found:
            parent, lng, lat = areas[pk]
            own = (float(lng), float(lat)) if lng is not None and lat is not None else None
            found[pk] = own or centres.get(pk) or place(parent, depth + 1)
        return found[pk]

    return {pk: place(pk) for pk in areas}


def org_points(org_ids: Iterable[int]) -> dict[int, Point | None]:
    """The place of each union organization (see the module docstring)."""
    org_ids = sorted(set(org_ids))
    orgs = dict(UnionOrg.objects.filter(pk__in=org_ids).values_list("pk", "area_id"))
    located = Enterprise.objects.filter(union_id__in=org_ids, lng__isnull=False, lat__isnull=False)
    own = {
        union: (float(lng), float(lat))
        for union, lng, lat in located.values_list("union_id", "lng", "lat")
        if lng is not None and lat is not None
    }
    areas = area_points(orgs.values())
    return {pk: own.get(pk) or areas.get(area) for pk, area in orgs.items()}


def cadre_points(cadre_ids: Iterable[int]) -> dict[int, Point | None]:
    """The place of each cadre: their organization's."""
    cadres = dict(StaffUser.objects.filter(pk__in=sorted(set(cadre_ids))).values_list("pk", "org_id"))
    orgs = org_points(org for org in cadres.values() if org is not None)
    return {pk: orgs.get(org) if org is not None else None for pk, org in cadres.items()}


def enterprise_points(enterprise_ids: Iterable[int]) -> dict[int, Point | None]:
    """The place of each enterprise: its coordinates, else its area's."""
    rows = list(
        Enterprise.objects.filter(pk__in=sorted(set(enterprise_ids))).values_list("pk", "lng", "lat", "area_id")
    )
    areas = area_points(area for _, lng, lat, area in rows if lng is None or lat is None)
    return {
        pk: (float(lng), float(lat)) if lng is not None and lat is not None else areas.get(area)
        for pk, lng, lat, area in rows
    }


@dataclass
class Districts:
    """The district (or zone) each organization belongs to, under a campaign's organizer."""

    root: UnionOrg
    names: dict[int, str] = field(default_factory=dict)
    _paths: dict[str, int] = field(default_factory=dict)

    @classmethod
    def under(cls, root: UnionOrg) -> Districts:
        """District federations under `root` (itself included), and, under a city, the city's direct children."""
        found = cls(root=root)
        levels = Q(level=OrgLevel.DISTRICT)
        if root.level != OrgLevel.DISTRICT:
            levels |= Q(depth=root.depth + 1)
        for pk, path, name in UnionOrg.objects.filter(levels, path__startswith=root.path).values_list(
            "pk", "path", "name"
        ):
            found._paths[path] = pk
            found.names[pk] = name
        found.names.setdefault(root.pk, root.name)
        return found

    def of(self, path: str) -> int:
        """The id of the nearest district-level organization at or above `path` (the organizer if none)."""
        parts = [p for p in path.split("/") if p]
        for end in range(len(parts), 0, -1):
            pk = self._paths.get("/" + "/".join(parts[:end]) + "/")
            if pk is not None:
                return pk
        return self.root.pk


@dataclass
class PairingInputs:
    """A campaign's solver problem and the ids behind its indices."""

    problem: Problem
    cadre_ids: list[int]
    enterprise_ids: list[int]
    group_org: dict[int, int]  # problem group → district org id
    districts: Districts
    fixed: list[tuple[int, int]]  # (cadre id, enterprise id) kept as they are
    cadres_in_scope: list[int]
    unlocated_cadres: int
    unlocated_enterprises: int


def pairing_inputs(campaign: Campaign, *, enterprises_per_cadre: int, cross_district: bool) -> PairingInputs:
    """Build the solver's problem for a campaign (fixed pairs taken out, exclusions forbidden)."""
    districts = Districts.under(campaign.org)
    cadre_rows = list(campaign_cadres(campaign).order_by("pk").values_list("pk", "org__path", "org_id"))
    enterprise_rows = list(
        campaign_enterprises(campaign).order_by("pk").values_list("pk", "org__path", "lng", "lat", "area_id")
    )
    fixed = list(Pairing.objects.filter(campaign=campaign, fixed=True).values_list("cadre_id", "enterprise_id"))
    fixed_enterprises = {enterprise for _, enterprise in fixed}
    taken: dict[int, int] = {}
    for cadre, _ in fixed:
        taken[cadre] = taken.get(cadre, 0) + 1
    orgs = org_points(org for _, _, org in cadre_rows if org is not None)
    areas = area_points(area for _, _, lng, lat, area in enterprise_rows if lng is None or lat is None)
    cadres = [(pk, path, orgs.get(org)) for pk, path, org in cadre_rows]
    enterprises = [
        (pk, path, (float(lng), float(lat)) if lng is not None and lat is not None else areas.get(area))
        for pk, path, lng, lat, area in enterprise_rows
        if pk not in fixed_enterprises
    ]
    located_cadres = [(pk, path, point) for pk, path, point in cadres if point is not None]
    located = [(pk, path, point) for pk, path, point in enterprises if point is not None]
    group_index: dict[int, int] = {}

    def group(path: str) -> int:
        return group_index.setdefault(districts.of(path), len(group_index))

    cadre_group = [group(path) for _, path, _ in located_cadres]
    enterprise_group = [group(path) for _, path, _ in located]
    cadre_ids = [pk for pk, _, _ in located_cadres]
    enterprise_ids = [pk for pk, _, _ in located]
    problem = Problem(
        cadre_lng=np.array([p[0] for _, _, p in located_cadres], dtype=np.float64),
        cadre_lat=np.array([p[1] for _, _, p in located_cadres], dtype=np.float64),
        cadre_capacity=np.array([max(0, enterprises_per_cadre - taken.get(pk, 0)) for pk in cadre_ids], dtype=np.int64),
        cadre_group=np.array(cadre_group, dtype=np.int64),
        enterprise_lng=np.array([p[0] for _, _, p in located], dtype=np.float64),
        enterprise_lat=np.array([p[1] for _, _, p in located], dtype=np.float64),
        enterprise_group=np.array(enterprise_group, dtype=np.int64),
        forbidden=_forbidden(campaign, cadre_ids, enterprise_ids),
        cross_group=cross_district,
    )
    return PairingInputs(
        problem=problem,
        cadre_ids=cadre_ids,
        enterprise_ids=enterprise_ids,
        group_org={index: org for org, index in group_index.items()},
        districts=districts,
        fixed=fixed,
        cadres_in_scope=[pk for pk, _, _ in cadres],
        unlocated_cadres=len(cadres) - len(located_cadres),
        unlocated_enterprises=len(enterprises) - len(located),
    )


def _forbidden(campaign: Campaign, cadre_ids: list[int], enterprise_ids: list[int]) -> np.ndarray:
    cadre_index = {pk: i for i, pk in enumerate(cadre_ids)}
    enterprise_index = {pk: i for i, pk in enumerate(enterprise_ids)}
    pairs = [
        (enterprise_index[enterprise], cadre_index[cadre])
        for cadre, enterprise in PairingExclusion.objects.filter(campaign=campaign).values_list(
            "cadre_id", "enterprise_id"
        )
        if cadre in cadre_index and enterprise in enterprise_index
    ]
    return np.array(pairs, dtype=np.int64).reshape(len(pairs), 2)


def district_of(campaign: Campaign, org_paths: Iterable[str]) -> list[int]:
    """The district org id of each path, under the campaign's organizer."""
    districts = Districts.under(campaign.org)
    return [districts.of(path) for path in org_paths]
