"""Reads of the hardship archive: the list with its filter (incl. 一年未改, 未帮扶过, 待复核), one archive."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from pydantic import Field

from niangjia.api_fields import Filter
from niangjia.assistance.choices import IN_ARCHIVE, ArchiveStatus, HardshipLevel
from niangjia.assistance.models import HardshipArchive
from niangjia.assistance.services.archive import review_due_before
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.scoping import Action, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.models import HouseholdMember, ReceivedAid
from niangjia.registry.selectors import area_prefix
from niangjia.screening.models import ScreeningResult

PAGE_SIZE = 50
STALE_DAYS = 365


class ArchiveFilter(ListFilter):
    """The archive list's filter: status, level, area, and the three work queries."""

    status: ArchiveStatus | None = Field(None, title="状态")
    level: HardshipLevel | None = Field(None, title="困难类别")
    area: Filter = Field("", title="区县", description="区划代码，含下级区划")
    stale: bool | None = Field(None, title="一年未更新")
    never_helped: bool | None = Field(None, title="建档后未获帮扶")
    review_due: bool | None = Field(None, title="到期待复核")

    def apply(self, qs: QuerySet[HardshipArchive], today: date) -> QuerySet[HardshipArchive]:
        if self.status is not None:
            qs = qs.filter(status=self.status.value)
        if self.level is not None:
            qs = qs.filter(level=self.level.value)
        if self.area:
            qs = qs.filter(household__area__code__startswith=area_prefix(self.area))
        if self.stale is not None:
            cutoff = today - timedelta(days=STALE_DAYS)
            stale = {"status__in": list(IN_ARCHIVE), "updated_at__date__lt": cutoff}
            qs = qs.filter(**stale) if self.stale else qs.exclude(**stale)
        if self.never_helped is not None:
            helped = Exists(
                ReceivedAid.objects.filter(household=OuterRef("household"), paid_on__gte=OuterRef("archived_on"))
            )
            qs = qs.filter(status__in=list(IN_ARCHIVE))
            qs = qs.filter(~helped) if self.never_helped else qs.filter(helped)
        if self.review_due is not None:
            due = {"status": ArchiveStatus.ARCHIVED, "last_review_date__lt": review_due_before(today)}
            qs = qs.filter(**due) if self.review_due else qs.exclude(**due)
        return qs


def archive_choices(*, user: StaffUser) -> dict[str, Choices]:
    return {"area": registry_selectors.area_choices(user=user)}


def archive_queryset(*, user: StaffUser, filters: ArchiveFilter, today: date) -> QuerySet[HardshipArchive]:
    require_action(user, Action.SENSITIVE)
    return filters.apply(restrict(HardshipArchive.objects.all(), user, Action.VIEW), today)


def archive_list(
    *, user: StaffUser, filters: ArchiveFilter, today: date, before_id: int | None = None, limit: int = PAGE_SIZE
) -> list[HardshipArchive]:
    """One keyset page (newest first) with each household's head as `head`."""
    qs = archive_queryset(user=user, filters=filters, today=today)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    rows = list(qs.select_related("household__area").order_by("-id")[:limit])
    attach_heads(rows)
    return rows


def attach_heads(rows: list[Any]) -> None:
    """Give each row (with a household_id) its household's head as `head`."""
    heads = {
        m.household_id: m
        for m in HouseholdMember.objects.filter(household_id__in={r.household_id for r in rows}, relation="head")
    }
    for row in rows:
        row.head = heads.get(row.household_id)


def archive_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> HardshipArchive:
    require_action(user, Action.SENSITIVE)
    archive = restrict(HardshipArchive.objects.select_related("household__area", "household__org"), user, action)
    found = archive.filter(pk=pk).first()
    if found is None:
        raise Http404
    attach_heads([found])
    return found


def archive_detail(*, user: StaffUser, archive: HardshipArchive) -> dict[str, Any]:
    """The archive's history, notices with objections, and the aid the household received since archiving."""
    notices = list(archive.notices.prefetch_related("objections"))
    aid = ReceivedAid.objects.filter(household_id=archive.household_id).order_by("-paid_on")[:20]
    return {
        "events": list(archive.events.select_related("actor")),
        "notices": notices,
        "aid": list(aid),
    }


def archive_of_household(*, user: StaffUser, household_id: int) -> HardshipArchive | None:
    """The household's active archive, if any (in scope)."""
    from niangjia.assistance.choices import ACTIVE_ARCHIVE

    qs = restrict(HardshipArchive.objects.filter(household_id=household_id, status__in=list(ACTIVE_ARCHIVE)), user)
    return qs.first()


def archive_screening_result(*, user: StaffUser, household_id: int) -> ScreeningResult | None:
    """The household's current result for the archive's criteria; 404 unless the user may see the household."""
    registry_selectors.household_get(user=user, pk=household_id)
    return ScreeningResult.objects.filter(
        household_id=household_id, policy_id="hardship_archive", is_current=True
    ).first()
