"""Fund reports: by programme, by federation (the pool's owner: the city or a district) and by month.

One filter (`FundReportFilter`) for the page, the xlsx export and the API. Money sums come from the
pools' balances (allocated, committed, paid, available) and from the disbursements (paid by month);
aggregated in SQL within the user's scope. A count of households paid under 5 is withheld from roles
without `Action.SENSITIVE` (a small count can point at a family), as in the other reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from pydantic import Field

from niangjia.api_fields import Id
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.ranges import YEAR_MAX, YEAR_MIN
from niangjia.core.scoping import Action, allows, restrict
from niangjia.funds.choices import DisbursementStatus, PoolLevel, Programme
from niangjia.funds.models import Disbursement, FundPool
from niangjia.orgs.models import UnionOrg

SMALL_COUNT = 5
WITHHELD = "少于 5"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_KEYS = ("allocated", "committed", "paid", "available")
MONTHS_SHOWN = 36


class FundReportFilter(ListFilter):
    """The report's filter: a year, a programme, and a federation (one in the user's scope)."""

    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, title="年度")
    programme: Programme | None = Field(None, title="项目")
    org: Id | None = Field(None, title="资金所属工会")

    def pools(self, *, user: Any) -> QuerySet[FundPool]:
        """The pools counted: in scope, as filtered."""
        qs = restrict(FundPool.objects.all(), user, Action.VIEW)
        if self.year is not None:
            qs = qs.filter(year=self.year)
        if self.programme is not None:
            qs = qs.filter(programme=self.programme)
        if self.org is not None:
            qs = qs.filter(org_id=self.org)
        return qs


def report_choices(*, user: Any) -> dict[str, Choices]:
    """The options of the filter that depend on the user: years with pools, federations owning pools."""
    pools = restrict(FundPool.objects.all(), user, Action.VIEW)
    years = pools.values_list("year", flat=True).distinct().order_by("-year")[:30]
    orgs = restrict(UnionOrg.objects.filter(level__in=PoolLevel.values), user, Action.VIEW).order_by("path")
    return {
        "year": [(str(y), f"{y} 年") for y in years],
        "org": [(str(pk), name) for pk, name in orgs.values_list("pk", "name")[:300]],
    }


_BALANCES = {
    "allocated": Sum("allocated", default=ZERO),
    "committed": Sum("committed", default=ZERO),
    "paid": Sum("paid", default=ZERO),
    "available": Sum("available", default=ZERO),
    "pools": Count("id"),
}


@dataclass(frozen=True)
class Table:
    """A table as a person reads it; the page and the export print exactly these rows."""

    title: str
    key: str
    header: list[str]
    rows: list[list[str | Decimal | int]]


def _cents(value: Decimal | None) -> Decimal:
    """A sum to the fen (SQLite sums lose the scale: 600 for 600.00)."""
    return (value or ZERO).quantize(CENT)


def _households(count: int, *, sensitive: bool) -> str | int:
    return WITHHELD if not sensitive and 0 < count < SMALL_COUNT else count


def fund_report(*, user: Any, filters: FundReportFilter | None = None) -> dict[str, Any]:
    """Balances by programme and by federation, payments by month, and the totals."""
    filters = filters or FundReportFilter()
    pools = filters.pools(user=user)
    sensitive = allows(user, Action.SENSITIVE)
    programmes = dict(Programme.choices)
    by_programme: list[list[str | Decimal | int]] = [
        [programmes[r["programme"]], *(_cents(r[k]) for k in MONEY_KEYS)]
        for r in pools.values("programme").annotate(**_BALANCES).order_by("programme")
    ]
    by_org: list[list[str | Decimal | int]] = [
        [r["org__name"], *(_cents(r[k]) for k in MONEY_KEYS)]
        for r in pools.values("org_id", "org__name", "org__path").annotate(**_BALANCES).order_by("org__path")[:300]
    ]
    paid = Disbursement.objects.filter(pool__in=pools.values("pk"), status=DisbursementStatus.PAID)
    month = TruncMonth("paid_at", tzinfo=timezone.get_default_timezone())
    monthly = (
        paid.annotate(month=month)
        .values("month", "pool__programme")
        .annotate(amount=Sum("amount"), households=Count("household_id", distinct=True))
        .order_by("-month", "pool__programme")[: MONTHS_SHOWN * len(programmes)]
    )
    by_month = [
        [f"{r['month']:%Y 年 %m 月}", programmes[r["pool__programme"]], _cents(r["amount"]),
         _households(r["households"], sensitive=sensitive)]
        for r in monthly
    ]  # fmt: skip
    total = pools.aggregate(**_BALANCES)
    total.update({k: _cents(total[k]) for k in MONEY_KEYS})
    households = paid.aggregate(n=Count("household_id", distinct=True))["n"]
    balance_header = ["拨入合计", "已审批待发放", "已发放", "可用余额"]
    return {
        "total": total,
        "households": _households(households, sensitive=sensitive),
        "tables": [
            Table("按项目", "programme", ["项目", *balance_header], by_programme),
            Table("按资金所属工会", "org", ["工会", *balance_header], by_org),
            Table("按月发放", "month", ["月份", "项目", "发放金额", "受助户数"], by_month),
        ],
    }
