"""The records behind one cell of an indicator table: the same filter as the count, scoped, by keyset pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from niangjia.core.scoping import Action, require_action, restrict
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.reports.indicators import Indicator
from niangjia.reports.indicators.base import Column, until
from niangjia.reports.selectors.campaigns import child_orgs

PAGE_SIZE = 50


@dataclass
class RecordPage:
    """One page of the list behind a cell."""

    indicator: Indicator
    columns: list[str]
    rows: list[tuple[list[str], str | None]]
    next_after: int | None


def cell_queryset(
    *,
    user: Any,
    campaign: Campaign,
    item: Indicator,
    base: UnionOrg,
    direct: bool = False,
    cadre_id: int | None = None,
    as_of: date | None = None,
) -> QuerySet[Any]:
    """What one cell counts, as a queryset the user may read: the records, or the subjects counted once.

    Indicators whose records reveal hardship, income or health are listed only to roles with SENSITIVE.
    """
    source = item.source
    if source is None:
        raise ValueError(f"{item.code} has no records to list")
    if item.sensitive:
        require_action(user, Action.SENSITIVE)
    prefix = f"{source.org}__" if source.org else ""
    records = source.records(campaign).filter(**{f"{prefix}path__startswith": base.path})
    if direct:
        below = Q()
        for child in child_orgs(org=base):
            below |= Q(**{f"{prefix}path__startswith": child.path})
        if below:
            records = records.exclude(below)
    if cadre_id is not None and source.cadre:
        records = records.filter(**{source.cadre: cadre_id})
    if as_of is not None:
        records = records.filter(until(records.model, source.day, as_of))
    if source.subject is None:
        return restrict(records, user, Action.VIEW)
    model = source.listing.model
    return restrict(model._default_manager.filter(pk__in=records.values(source.subject)), user, Action.VIEW)


def visible_columns(item: Indicator, *, sensitive: bool) -> list[Column]:
    assert item.source is not None
    return [column for column in item.source.listing.columns if sensitive or not column.sensitive]


def cell_records(
    *, qs: QuerySet[Any], item: Indicator, sensitive: bool, after: int | None = None, limit: int = PAGE_SIZE
) -> RecordPage:
    """One keyset page (by id) of a cell's queryset, as the list page and the export print it."""
    assert item.source is not None
    listing = item.source.listing
    columns = visible_columns(item, sensitive=sensitive)
    if after is not None:
        qs = qs.filter(pk__gt=after)
    found = list(qs.select_related(*listing.related).order_by("pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    rows = [
        ([str(column.value(obj)) for column in columns], listing.link(obj) if listing.link else None) for obj in found
    ]
    return RecordPage(item, [column.label for column in columns], rows, found[-1].pk if more else None)
