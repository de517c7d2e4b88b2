"""Who imports, and the lookups every kind shares: areas, owning orgs, scope checks.

`user=None` is the system (the CLI without --user): everything is in scope and
audit entries carry no actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models

from niangjia.core.scoping import Action, restrict
from niangjia.core.tabular.cells import CellError, fold
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg

M = TypeVar("M", bound=models.Model)
# Organizations that can own enterprises, workers and households by area.
_AREA_LEVELS = [OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.ZONE, OrgLevel.STREET]


@dataclass
class ImportContext:
    """The importing user (None = system) and the organization new records fall back to."""

    user: StaffUser | None
    org: UnionOrg | None = None
    _areas: dict[str, Area] | None = field(default=None, repr=False)
    _areas_by_name: dict[str, list[Area]] = field(default_factory=dict, repr=False)
    _areas_by_id: dict[int, Area] = field(default_factory=dict, repr=False)
    _org_by_area: dict[int, UnionOrg] | None = field(default=None, repr=False)
    _changeable_orgs: dict[int, bool] = field(default_factory=dict, repr=False)

    @property
    def fallback_org(self) -> UnionOrg | None:
        """The organization records without a better owner go to: --org, else the user's."""
        if self.org is not None:
            return self.org
        return self.user.org if self.user is not None else None

    def changeable(self, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """Narrow a queryset to what the importing user may change (all of it for the system)."""
        return queryset if self.user is None else restrict(queryset, self.user, Action.CHANGE)

    def may_change_org(self, org: UnionOrg) -> bool:
        """Whether new records may be placed under `org`."""
        if self.user is None:
            return True
        if org.pk not in self._changeable_orgs:
            self._changeable_orgs[org.pk] = self.changeable(UnionOrg.objects.filter(pk=org.pk)).exists()
        return self._changeable_orgs[org.pk]

    def area(self, text: str) -> Area:
        """Resolve a 区划 cell: a GB/T 2260 code, or a name (unique, or unique in the user's district)."""
        areas = self._load_areas()
        value = fold(text).replace(" ", "")
        if value.isdigit():
            found = areas.get(value[:9] if len(value) == 12 and value.endswith("000") else value)
            if found is None:
                raise CellError(f"区划代码“{value}”不存在，请填写 6 位或 9 位行政区划代码，如 610113001。")
            return found
        candidates = self._areas_by_name.get(value, [])
        if len(candidates) > 1 and self.fallback_org is not None:
            inside = [a for a in candidates if self._within(a, self.fallback_org.area_id)]
            candidates = inside or candidates
        if not candidates:
            raise CellError(f"找不到名为“{value}”的区划，请填写区划代码（如 610113001）或完整的区县/街道名称。")
        if len(candidates) > 1:
            codes = "、".join(a.code for a in candidates[:5])
            raise CellError(f"区划名称“{value}”不唯一（{codes}），请改填区划代码。")
        return candidates[0]

    def _load_areas(self) -> dict[str, Area]:
        if self._areas is None:
            self._areas = {}
            for area in Area.objects.only("id", "code", "name", "parent_id"):
                self._areas[area.code] = area
                self._areas_by_id[area.pk] = area
                self._areas_by_name.setdefault(area.name, []).append(area)
        return self._areas

    def _within(self, area: Area, ancestor_id: int) -> bool:
        current: Area | None = area
        while current is not None:
            if current.pk == ancestor_id:
                return True
            current = self._areas_by_id.get(current.parent_id) if current.parent_id else None
        return False

    def org_for_area(self, area: Area) -> UnionOrg | None:
        """The owning org of a record in `area`.

        --org if given; else the union org (in the user's scope) of the area, or of
        the county or city above it; else the user's own org when the area lies in
        its territory; else None (the caller reports the row).
        """
        if self.org is not None:
            return self.org
        if self._org_by_area is None:
            orgs = self.changeable(UnionOrg.objects.filter(level__in=_AREA_LEVELS)).order_by("-depth")
            # Deepest first, so the shallowest org of an area (the district federation,
            # not a zone sharing its area) is the one kept.
            self._org_by_area = {org.area_id: org for org in orgs}
        self._load_areas()
        current: Area | None = area
        while current is not None:
            org = self._org_by_area.get(current.pk)
            if org is not None:
                return org
            current = self._areas_by_id.get(current.parent_id) if current.parent_id else None
        fallback = self.fallback_org
        if fallback is not None and self._within(area, fallback.area_id):
            return fallback
        return None
