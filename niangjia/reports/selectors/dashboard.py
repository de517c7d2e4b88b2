"""The leaders' dashboard: headline figures, progress against targets, the weekly trend, the map, money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.registry.models import Enterprise
from niangjia.reports import indicators
from niangjia.reports.choices import Grouping
from niangjia.reports.indicators import Indicator
from niangjia.reports.models import IndicatorCount
from niangjia.reports.selectors.campaigns import last_refresh, pending_refresh
from niangjia.reports.selectors.tables import Table, indicator_table, protects
from niangjia.reports.suppression import Cell, Line, suppress

MAP_LIMIT = 500


@dataclass
class Series:
    indicator: Indicator
    values: list[int | None]


def progress_items() -> list[tuple[Indicator, Indicator, Indicator | None]]:
    """(done, target, rate) of each target the dashboard tracks."""
    found = []
    for done, target, rate in indicators.PROGRESS:
        if done in indicators.BY_CODE and target in indicators.BY_CODE:
            found.append((indicators.BY_CODE[done], indicators.BY_CODE[target], indicators.BY_CODE.get(rate)))
    return found


def weeks(campaign: Campaign, until_day: date) -> list[date]:
    """The Mondays of the campaign's weeks, up to `until_day`."""
    first = campaign.starts_on - timedelta(days=campaign.starts_on.weekday())
    last = min(until_day, campaign.ends_on)
    found = []
    while first <= last:
        found.append(first)
        first += timedelta(days=7)
    return found


def weekly_trend(
    *, user: Any, campaign: Campaign, base: UnionOrg, as_of: date | None = None
) -> tuple[list[date], list[Series]]:
    """Each trend indicator's count per campaign week under `base`, within the user's scope.

    For protected viewers, weeks of 1–4 people are hidden (None) with their complements, as in a table.
    """
    items = [indicators.BY_CODE[code] for code in indicators.TREND if code in indicators.BY_CODE]
    mondays = weeks(campaign, as_of or timezone.localdate())
    qs = IndicatorCount.objects.filter(
        campaign=campaign,
        indicator__in=[item.code for item in items],
        org_path__startswith=base.path,
        cadre__isnull=True,
        day__isnull=False,
    )
    if as_of is not None:
        qs = qs.filter(day__lte=as_of)
    qs = restrict(qs, user, Action.VIEW)
    per_week: dict[tuple[str, int], int] = {}
    for row in qs.values("indicator", "day").annotate(n=Sum("value")).order_by():
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(str(row["day"]))
        index = max(0, min(len(mondays) - 1, (day - mondays[0]).days // 7)) if mondays else 0
        per_week[(row["indicator"], index)] = per_week.get((row["indicator"], index), 0) + row["n"]
    series = []
    protect = protects(user)
    for item in items:
        values: list[int | None] = [per_week.get((item.code, i), 0) for i in range(len(mondays))]
        if protect and item.people:
            cells: dict[Any, Cell] = {i: Cell(v or 0, v or 0) for i, v in enumerate(values)}
            cells["total"] = Cell(sum(v or 0 for v in values), sum(v or 0 for v in values))
            marks = suppress(cells, [Line("total", tuple(range(len(values))))])
            values = [None if i in marks else v for i, v in enumerate(values)]
        series.append(Series(item, values))
    return mondays, series


def map_points(*, user: Any, campaign: Campaign, base: UnionOrg) -> list[dict[str, Any]]:
    """Enterprises of the map indicator (those visited) under `base` that have coordinates, at most
    MAP_LIMIT: found by walking the enterprises in id order and probing the campaign's records of each
    (an index lookup), so the cost does not grow with the visits."""
    item = indicators.BY_CODE.get(indicators.MAP)
    if item is None or item.source is None or item.source.subject is None:
        return []
    source, subject = item.source, str(item.source.subject)
    prefix = f"{source.org}__" if source.org else ""
    records = source.records(campaign).filter(**{subject: OuterRef("pk"), f"{prefix}path__startswith": base.path})
    qs = restrict(Enterprise.objects.filter(lat__isnull=False, lng__isnull=False), user, Action.VIEW)
    qs = qs.filter(Exists(records))
    return [
        {"name": name, "lat": float(lat or 0), "lng": float(lng or 0), "org": org}
        for name, lat, lng, org in qs.order_by("pk").values_list("name", "lat", "lng", "org__name")[:MAP_LIMIT]
    ]


def dashboard_data(*, user: Any, campaign: Campaign, base: UnionOrg, as_of: date | None = None) -> dict[str, Any]:
    """Everything the dashboard shows, within the user's scope."""
    progress = progress_items()
    headline = [item for item in indicators.INDICATORS if item.headline]
    items: list[Indicator] = []
    for done, target, rate in progress:
        items += [done, target] + ([rate] if rate else [])
    items += [item for item in headline if item not in items]
    money = [indicators.BY_CODE[code] for code in indicators.MONEY if code in indicators.BY_CODE]
    items += [item for item in money if item not in items]
    table: Table = indicator_table(user=user, campaign=campaign, base=base, items=items, by=Grouping.ORG, as_of=as_of)
    mondays, series = weekly_trend(user=user, campaign=campaign, base=base, as_of=as_of)
    points = map_points(user=user, campaign=campaign, base=base)
    columns = [item for trio in progress for item in trio if item is not None]
    rows = [(row, [row.cells[item.code] for item in columns]) for row in [*table.rows, table.total]]
    map_item = indicators.BY_CODE.get(indicators.MAP)
    return {
        "table": table,
        "kpis": [(item, table.total.cells[item.code]) for item in headline],
        "money": [(item, table.total.cells[item.code]) for item in money],
        "progress": progress,
        "progress_heads": [item.label for item in columns],
        "progress_rows": rows,
        "weeks": mondays,
        "series": series,
        "trend_rows": [(week, [s.values[i] for s in series]) for i, week in enumerate(mondays)],
        "points": points,
        "map_limit": MAP_LIMIT,
        "map_label": map_item.label if map_item else "",
        "map_list": table.total.cells[map_item.code].link if map_item and map_item.code in table.total.cells else None,
        "refresh": last_refresh(campaign=campaign),
        "pending": pending_refresh(campaign=campaign),
        "chart_data": _chart_data(table, progress, mondays, series, points, base, money),
    }


def _chart_data(
    table: Table,
    progress: list[tuple[Indicator, Indicator, Indicator | None]],
    mondays: list[date],
    series: list[Series],
    points: list[dict[str, Any]],
    base: UnionOrg,
    money: list[Indicator],
) -> dict[str, Any]:
    """What the charts and the map draw (hidden numbers as null), with where a click goes."""
    bars = []
    if progress:
        done, target, _rate = progress[0]
        for row in table.rows:
            cell, goal = row.cells[done.code], row.cells[target.code]
            bars.append(
                {
                    "name": row.label,
                    "done": None if cell.hidden else cell.raw,
                    "target": goal.raw,
                    "url": row.drill or cell.link,
                }
            )
    center = None
    if base.area.lat is not None and base.area.lng is not None:
        center = [float(base.area.lat), float(base.area.lng)]
    return {
        "progress": {
            "done": progress[0][0].label if progress else "",
            "target": progress[0][1].label if progress else "",
            "bars": bars,
        },
        "trend": {
            "weeks": [f"{week:%m-%d}" for week in mondays],
            "series": [{"name": s.indicator.label, "values": s.values} for s in series],
        },
        "map": {"points": points, "center": center, "tiles": settings.MAP_TILE_URL},
        "money": [
            {
                "name": item.label.removesuffix("资金"),
                "value": None if table.total.cells[item.code].hidden else float(table.total.cells[item.code].raw or 0),
                "url": table.total.cells[item.code].link,
            }
            for item in money
        ],
    }
