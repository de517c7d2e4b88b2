"""What indicator tables are made of: the pre-aggregated counts (or, per cadre as of a past day, the records)
summed per child organization or per cadre, and the targets. {key: {code: (value, total)}}, scoped by the
user unless user is None (the suppression pattern of the trees above, which must not depend on the viewer).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Case, Count, DecimalField, QuerySet, Sum, Value, When

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.outreach.models import Campaign, CampaignTarget
from niangjia.reports import indicators
from niangjia.reports.choices import Measure
from niangjia.reports.indicators.base import until
from niangjia.reports.models import IndicatorCount

Raw = dict[str, tuple[int, Decimal | None]]


def count_rows(campaign: Campaign, base: UnionOrg, codes: list[str], as_of: date | None) -> QuerySet[IndicatorCount]:
    qs = IndicatorCount.objects.filter(campaign=campaign, indicator__in=codes, org_path__startswith=base.path)
    return qs.filter(day__isnull=False, day__lte=as_of) if as_of else qs.filter(day__isnull=True)


def group_by_child(children: list[UnionOrg], field_name: str) -> Any:
    whens = [When(**{f"{field_name}__startswith": child.path}, then=Value(child.pk)) for child in children]
    if not whens:
        return Value(0, output_field=BigIntegerField())
    return Case(*whens, default=Value(0), output_field=BigIntegerField())


def counts_by_org(
    campaign: Campaign, base: UnionOrg, children: list[UnionOrg], codes: list[str], as_of: date | None, user: Any
) -> dict[int, Raw]:
    """{child id (0: the base itself): {code: (value, total)}}; within the user's scope unless user is None."""
    qs = count_rows(campaign, base, codes, as_of).filter(cadre__isnull=True)
    if user is not None:
        qs = restrict(qs, user, Action.VIEW)
    grouped = qs.annotate(g=group_by_child(children, "org_path")).values("g", "indicator")
    found: dict[int, Raw] = defaultdict(dict)
    for row in grouped.annotate(n=Sum("value"), t=Sum("total")).order_by():
        found[row["g"]][row["indicator"]] = (row["n"] or 0, row["t"])
    _add_targets(found, campaign, base, children, codes)
    return found


def _add_targets(
    found: dict[int, Raw], campaign: Campaign, base: UnionOrg, children: list[UnionOrg], codes: list[str]
) -> None:
    """Targets are set per district (not people, not from records): each under the row that holds it."""
    targets = [item for item in indicators.INDICATORS if item.measure == Measure.TARGET and item.code in codes]
    if not targets:
        return
    qs = CampaignTarget.objects.filter(campaign=campaign, org__path__startswith=base.path)
    # The base's own target belongs to the total only (key -1: never a row of its own).
    group = Case(
        When(org=base, then=Value(-1)), default=group_by_child(children, "org__path"), output_field=BigIntegerField()
    )
    rows = qs.annotate(g=group).values("g").order_by()
    sums = rows.annotate(**{item.code: Sum(item.target_field) for item in targets})
    for row in sums:
        for item in targets:
            found[row["g"]][item.code] = (row[item.code] or 0, None)


def counts_by_cadre(
    campaign: Campaign, base: UnionOrg, codes: list[str], as_of: date | None, user: Any
) -> dict[int, Raw]:
    """{cadre id: {code: (value, total)}} for the cadres counted under `base`: the pre-aggregates to date,
    or — as of a past day, which they do not keep per cadre — counted from the records."""
    if as_of is not None:
        return _live_by_cadre(campaign, base, codes, as_of, user)
    qs = IndicatorCount.objects.filter(
        campaign=campaign, indicator__in=codes, org_path__startswith=base.path, cadre__isnull=False, day__isnull=True
    )
    if user is not None:
        qs = restrict(qs, user, Action.VIEW)
    found: dict[int, Raw] = defaultdict(dict)
    for row in qs.values("cadre_id", "indicator").annotate(n=Sum("value"), t=Sum("total")).order_by():
        found[row["cadre_id"]][row["indicator"]] = (row["n"] or 0, row["t"])
    return found


def cadre_names(ids: list[int]) -> dict[int, str]:
    """Staff names of the cadres of a table (names of staff are not withheld; one query, no id list)."""
    names: dict[int, str] = {}
    for chunk in range(0, len(ids), 500):
        rows = StaffUser.objects.filter(pk__in=ids[chunk : chunk + 500]).values_list("pk", "display_name", "username")
        names.update({pk: display or username for pk, display, username in rows})
    return names


def _live_by_cadre(campaign: Campaign, base: UnionOrg, codes: list[str], as_of: date, user: Any) -> dict[int, Raw]:
    """Per cadre as of a day, straight from each indicator's records (one grouped query per indicator)."""
    found: dict[int, Raw] = defaultdict(dict)
    for code in codes:
        source = indicators.BY_CODE[code].source
        if source is None or not source.cadre:
            continue
        prefix = f"{source.org}__" if source.org else ""
        records = source.records(campaign).filter(**{f"{prefix}path__startswith": base.path})
        records = records.filter(until(records.model, source.day, as_of), **{f"{source.cadre}__isnull": False})
        if user is not None:
            records = restrict(records, user, Action.VIEW)
        counted = Count(source.subject, distinct=True) if source.subject else Count("pk")
        total = Sum(source.amount) if source.amount else Value(None, output_field=DecimalField())
        for row in records.values(source.cadre).annotate(n=counted, t=total).order_by():
            found[row[source.cadre]][code] = (row["n"], row["t"])
    return found


def raw_sum(raws: list[Raw], codes: list[str]) -> Raw:
    total: Raw = {}
    for code in codes:
        values = [raw[code] for raw in raws if code in raw]
        amounts = [t for _, t in values if t is not None]
        total[code] = (sum(n for n, _ in values), sum(amounts, Decimal(0)) if amounts else None)
    return total
