"""What an indicator is: its name and definition, and where its records are.

An indicator is defined once, as an `Indicator`: code name, Chinese label, the definition text shown beside
it on every page, unit and measure, and a `Source` saying which records of which part it counts, on which
day each counts, under which organization and for which cadre, and — when it counts subjects (enterprises,
households) rather than records — which subject, so that each counts once, on the day of its first record.
The same `Source` gives the pre-aggregated daily counts (services.py), the counts computed straight from the
records (selectors/live.py) and the list of the records behind one cell (selectors/records.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from niangjia.orgs.choices import OrgLevel
from niangjia.outreach.models import Campaign
from niangjia.reports.choices import Measure

# Records of an enterprise union count under the organization above it (a street, a zone, an industry
# union, a district): the pre-aggregates and the tables stop there, and a deeper chain than this many
# enterprise unions above one another is not expected (a group company's unions).
ENTERPRISE_CHAIN = 3


@dataclass(frozen=True)
class Column:
    """One column of the list behind a cell; `sensitive` ones only for roles with Action.SENSITIVE."""

    label: str
    value: Callable[[Any], Any]
    sensitive: bool = False


@dataclass(frozen=True)
class Listing:
    """What one row of the list behind a cell is: a record, or a subject counted once."""

    model: type[models.Model]
    columns: tuple[Column, ...]
    related: tuple[str, ...] = ()
    link: Callable[[Any], str | None] | None = None


@dataclass(frozen=True)
class Source:
    """Where an indicator's records are, and how one is dated, placed and counted."""

    records: Callable[[Campaign], QuerySet[Any]]
    day: str
    org: str
    listing: Listing
    cadre: str | None = None
    subject: str | None = None
    amount: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One indicator, defined once (see the module's docstring)."""

    code: str
    label: str
    definition: str
    unit: str
    measure: Measure
    part: str
    section: str
    people: bool = False
    sensitive: bool = False
    source: Source | None = None
    of: tuple[str, str] | None = None
    parts: tuple[str, ...] = ()
    splits: tuple[tuple[str, ...], ...] = ()
    target_field: str = ""
    headline: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def identities(self) -> list[tuple[str, ...]]:
        """The ways this indicator is a sum of others (each a line a reader can use)."""
        return ([self.parts] if self.parts else []) + list(self.splits)

    @property
    def additive(self) -> bool:
        """Whether rows add up to the total (counts and money; not means, rates or targets' rates)."""
        return self.measure in (Measure.COUNT, Measure.SUM, Measure.MONEY, Measure.TARGET)


def campaign_area(campaign: Campaign, org: str) -> Q:
    """The records of the campaign's area: under its organizations in scope, or the whole of its `org`."""
    prefix = f"{org}__" if org else ""
    paths = [o.path for o in campaign.orgs.all()] or [campaign.org.path]
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def day_start(day: date) -> datetime:
    """Midnight beginning `day`, Asia/Shanghai."""
    return timezone.make_aware(datetime.combine(day, time.min))


def campaign_period(campaign: Campaign, lookup: str, *, is_datetime: bool) -> Q:
    """The records whose `lookup` falls within the campaign's period (whole days, Asia/Shanghai)."""
    if is_datetime:
        return Q(
            **{
                f"{lookup}__gte": day_start(campaign.starts_on),
                f"{lookup}__lt": day_start(campaign.ends_on + timedelta(1)),
            }
        )
    return Q(**{f"{lookup}__gte": campaign.starts_on, f"{lookup}__lte": campaign.ends_on})


def field_of(model: type[models.Model], lookup: str) -> models.Field[Any, Any]:
    """The model field a `a__b__c` lookup ends on."""
    parts = lookup.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model._meta.get_field(parts[-1])  # type: ignore[return-value]


def is_datetime(model: type[models.Model], lookup: str) -> bool:
    return isinstance(field_of(model, lookup), models.DateTimeField)


def day_of(model: type[models.Model], lookup: str) -> Any:
    """The record's day as an expression: the local date of a time, or the date itself."""
    return TruncDate(lookup) if is_datetime(model, lookup) else F(lookup)


def until(model: type[models.Model], lookup: str, as_of: date) -> Q:
    """The records of `as_of` and before."""
    if is_datetime(model, lookup):
        return Q(**{f"{lookup}__lt": day_start(as_of + timedelta(1))})
    return Q(**{f"{lookup}__lte": as_of})


def rollup(org: str) -> Case:
    """The organization a record counts under: its own, or above a chain of enterprise unions, the first
    organization that is not one (SQL: a CASE over the parent links, no loop)."""
    prefix = f"{org}__" if org else ""
    whens = []
    chain = ""
    for _ in range(ENTERPRISE_CHAIN + 1):
        whens.append(When(~Q(**{f"{prefix}{chain}level": OrgLevel.ENTERPRISE}), then=F(f"{prefix}{chain}id")))
        chain += "parent__"
    return Case(*whens, default=F(f"{prefix}{chain}id"), output_field=models.BigIntegerField())
