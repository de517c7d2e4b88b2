"""Indicator tables: a row per organization one level below a base (or per cadre), a column per indicator.

Read from the pre-aggregated counts (to date, or summed over the days up to an as-of date), grouped in SQL
by which child organization's path prefixes a count's path. For roles without `Action.SENSITIVE`, and in
anything published, counts of people are protected (suppression.py). Which cells are hidden does not
depend on who looks: a table's total is hidden whenever that organization's row is hidden in the table
above it, down from the root of the tree, so no two views — or two viewers — can be set side by side to
give a hidden cell back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any, cast
from urllib.parse import urlencode

from django.urls import reverse

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.reports import indicators
from niangjia.reports.choices import Grouping, Measure
from niangjia.reports.formatting import cell_text
from niangjia.reports.indicators import Indicator
from niangjia.reports.selectors.campaigns import child_orgs
from niangjia.reports.selectors.counts import Raw, cadre_names, counts_by_cadre, counts_by_org, raw_sum
from niangjia.reports.suppression import Cell as Protected
from niangjia.reports.suppression import Line, Mark, suppress

TOTAL = "total"
DIRECT = "direct"
REST = "rest"
SHOWN_LEVELS = ("district", "street")


@dataclass(slots=True)
class Cell:
    """One number of a table, as shown (`text`), with the link to what is behind it."""

    code: str
    measure: str
    unit: str
    raw: Any = None
    count: int = 0
    mark: str = ""
    link: str | None = None

    @property
    def text(self) -> str:
        return cell_text(self.measure, self.raw, self.mark, unit=self.unit)

    @property
    def hidden(self) -> bool:
        return bool(self.mark)

    @property
    def suffix(self) -> str:
        """The unit printed after a count ("家", "人"); money, rates and means carry theirs in the text."""
        return (
            self.unit
            if self.measure in (Measure.COUNT, Measure.SUM, Measure.TARGET) and not self.hidden and self.raw is not None
            else ""
        )


@dataclass
class Row:
    key: str
    label: str
    org: UnionOrg | None = None
    cadre_id: int | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    drill: str | None = None


@dataclass
class Table:
    campaign: Campaign
    base: UnionOrg
    by: str
    as_of: date | None
    indicators: list[Indicator]
    rows: list[Row]
    total: Row
    protected: bool

    @property
    def lines(self) -> list[tuple[Row, list[Cell]]]:
        """The rows and then the total, each with its cells in the order of the columns."""
        return [(row, [row.cells[item.code] for item in self.indicators]) for row in [*self.rows, self.total]]

    @property
    def hidden_any(self) -> bool:
        return any(cell.hidden for row in [*self.rows, self.total] for cell in row.cells.values())


def needed_codes(items: list[Indicator]) -> list[str]:
    """The codes to read for `items`: theirs and those their rates are made of."""
    codes: list[str] = []
    for item in items:
        for code in (item.code, *(item.of or ()), *(code for parts in item.identities for code in parts)):
            if code not in codes:
                codes.append(code)
    return codes


# Plain strings of the measures: compared once per cell, for tables of a thousand cadres.
_COUNT, _MONEY, _SUM, _MEAN, _TARGET = (
    str(m.value) for m in (Measure.COUNT, Measure.MONEY, Measure.SUM, Measure.MEAN, Measure.TARGET)
)


def _cell(item: Indicator, raw: Raw, measure: str) -> Cell:
    n, t = raw.get(item.code, (0, None))
    cell = Cell(item.code, measure, item.unit, None, n)
    if measure == _COUNT:
        cell.raw = n
    elif measure == _MONEY:
        cell.raw = t or Decimal(0)
    elif measure == _SUM:
        cell.raw = cell.count = int(t or 0)
    elif measure == _MEAN:
        cell.raw = (Decimal(t) / n) if n and t is not None else None
    elif measure == _TARGET:
        cell.raw = n or None
    return cell


def _ratio(item: Indicator, cells: dict[str, Cell]) -> Cell:
    assert item.of is not None
    top, bottom = cells[item.of[0]], cells[item.of[1]]
    cell = Cell(code=item.code, measure=item.measure, unit=item.unit, count=bottom.count)
    if top.raw is not None and bottom.raw:
        cell.raw = 100 * float(top.raw) / float(bottom.raw)
    if top.hidden or bottom.hidden:
        cell.mark = Mark.SMALL if Mark.SMALL in (top.mark, bottom.mark) else Mark.COMPLEMENT
    return cell


def _protect(rows: list[Row], total: Row, items: list[Indicator], forced: dict[str, str], rest: Raw | None) -> None:
    """Hide small counts of people and their complements (suppression.py), and the rates made of them."""
    cells: dict[Any, Protected] = {}
    lines: list[Line] = []
    everything = [*rows, total]
    for item in items:
        if not item.people or item.measure not in (Measure.COUNT, Measure.SUM, Measure.MONEY):
            continue
        for row in everything:
            cell = row.cells[item.code]
            cells[(row.key, item.code)] = Protected(cell.raw or 0, cell.count, money=item.measure == Measure.MONEY)
        parts = [(row.key, item.code) for row in rows]
        if rest is not None:
            n, t = rest.get(item.code, (0, None))
            known = (t or 0) if item.measure in (Measure.MONEY, Measure.SUM) else n
            cells[(REST, item.code)] = Protected(known, 0, fixed=True)
            parts.append((REST, item.code))
        lines.append(Line(total=(TOTAL, item.code), parts=tuple(parts)))
    for item in items:
        for split in item.identities:
            if (TOTAL, item.code) in cells and all((TOTAL, part) in cells for part in split):
                for row in everything:
                    lines.append(Line(total=(row.key, item.code), parts=tuple((row.key, part) for part in split)))
    marks = suppress(cells, lines, {(TOTAL, code): Mark(mark) for code, mark in forced.items() if mark})
    by_key = {row.key: row for row in everything}
    for found, mark in marks.items():
        key, code = cast(tuple[str, str], found)
        if key in by_key:
            by_key[key].cells[code].mark = mark
    for row in everything:
        for item in items:
            cell = row.cells[item.code]
            if item.measure == Measure.MEAN and item.people and 0 < cell.count < 5:
                cell.mark = Mark.SMALL


def _build(
    items: list[Indicator],
    keyed: list[tuple[Row, Raw]],
    total_raw: Raw,
    *,
    protect: bool,
    forced: dict[str, str],
    rest: Raw | None,
) -> tuple[list[Row], Row]:
    everything = [row for row, _ in keyed]
    total = Row(key=TOTAL, label="合计")
    plain = [(item, str(item.measure.value)) for item in items if item.measure != Measure.RATIO]
    for row, raw in [*keyed, (total, total_raw)]:
        row.cells = {item.code: _cell(item, raw, measure) for item, measure in plain}
    readable = [item for item in items if item.measure != Measure.RATIO]
    if protect:
        _protect(everything, total, readable, forced, rest)
    ratios = [item for item in items if item.measure == Measure.RATIO]
    for row in [*everything, total]:
        for item in ratios:
            row.cells[item.code] = _ratio(item, row.cells)
    return everything, total


def _org_rows(base: UnionOrg, children: list[UnionOrg], raw: dict[int, Raw]) -> list[tuple[Row, Raw]]:
    keyed = []
    for child in children:
        data = raw.get(child.pk, {})
        if child.level in SHOWN_LEVELS or any(n for n, _ in data.values()):
            keyed.append((Row(key=f"org{child.pk}", label=child.name, org=child), data))
    if any(n for n, _ in raw.get(0, {}).values()):
        keyed.append((Row(key=DIRECT, label=f"{base.name}（本级）", org=base), raw[0]))
    return keyed


def inherited_marks(campaign: Campaign, base: UnionOrg, items: list[Indicator], as_of: date | None) -> dict[str, str]:
    """The marks `base`'s own numbers carry in the tables above it, down from the root of the tree."""
    path_ids = [int(part) for part in base.path.split("/") if part]
    chain = {org.pk: org for org in UnionOrg.objects.filter(pk__in=path_ids)}
    forced: dict[str, str] = {}
    codes = needed_codes(items)
    for upper_id, lower_id in pairwise(path_ids):
        upper = chain[upper_id]
        children = child_orgs(org=upper)
        raw = counts_by_org(campaign, upper, children, codes, as_of, None)
        rows, _total = _build(
            items,
            _org_rows(upper, children, raw),
            raw_sum(list(raw.values()), codes),
            protect=True,
            forced=forced,
            rest=None,
        )
        lower_row = next(
            (row for row in rows if row.org is not None and row.org.pk == lower_id and row.key != DIRECT), None
        )
        if lower_row is None:  # an enterprise union: it counts within the row above
            break
        forced = {code: cell.mark for code, cell in lower_row.cells.items() if cell.mark}
    return forced


def protects(user: Any, *, published: bool = False) -> bool:
    """Whether small counts are withheld: in anything published, and from roles without SENSITIVE."""
    return published or not allows(user, Action.SENSITIVE)


def indicator_table(
    *,
    user: Any,
    campaign: Campaign,
    base: UnionOrg,
    items: list[Indicator],
    by: str = Grouping.ORG,
    as_of: date | None = None,
    published: bool = False,
) -> Table:
    """The table of `items` for the organizations below `base` (or its cadres), within the user's scope.

    `campaign` and `base` come from the campaign selectors (already within the user's reach). `user` None is
    the system publishing (the bulletin command): the whole of `base`, protected.
    """
    codes = needed_codes(items)
    items_all = [indicators.indicator(code) for code in codes]
    protect = protects(user, published=published)
    forced = inherited_marks(campaign, base, items_all, as_of) if protect else {}
    children = child_orgs(org=base)
    org_raw = counts_by_org(campaign, base, children, codes, as_of, user)
    org_total = raw_sum(list(org_raw.values()), codes)
    if by == Grouping.CADRE:
        if protect:
            _org_rows_built, org_table_total = _build(
                items_all, _org_rows(base, children, org_raw), org_total, protect=True, forced=forced, rest=None
            )
            forced = {code: cell.mark for code, cell in org_table_total.cells.items() if cell.mark}
        cadre_raw = counts_by_cadre(campaign, base, codes, as_of, user)
        names = cadre_names(list(cadre_raw))
        keyed = [
            (Row(key=f"cadre{pk}", label=names.get(pk, f"干部 #{pk}"), cadre_id=pk), data)
            for pk, data in sorted(cadre_raw.items(), key=lambda kv: (names.get(kv[0], ""), kv[0]))
        ]
        cadre_sum = raw_sum([data for _, data in keyed], codes)
        rest: Raw | None = {
            code: (org_total[code][0] - cadre_sum[code][0], _minus(org_total[code][1], cadre_sum[code][1]))
            for code in codes
        }
        if user is not None and user.role == Role.CADRE:  # a cadre reads their own row only: the total is theirs
            org_total, rest = cadre_sum, None
        rows, total = _build(items_all, keyed, org_total, protect=protect, forced=forced, rest=rest)
    else:
        rows, total = _build(
            items_all, _org_rows(base, children, org_raw), org_total, protect=protect, forced=forced, rest=None
        )
    table = Table(campaign, base, by, as_of, items, rows, total, protect)
    _link(table, user)
    return table


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None and b is None:
        return None
    return (a or Decimal(0)) - (b or Decimal(0))


def table_url(campaign: Campaign, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("reports:table", args=[campaign.pk]) + (f"?{query}" if query else "")


def records_url(campaign: Campaign, code: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("reports:records", args=[campaign.pk, code]) + (f"?{query}" if query else "")


def _link(table: Table, user: Any) -> None:
    """Each shown number links to the records behind it (indicators whose records the role may list) or,
    for an organization, to the table one level down. (URLs reversed once per indicator, not per cell.)"""
    sensitive = allows(user, Action.SENSITIVE)
    as_of = table.as_of.isoformat() if table.as_of else None
    lists: dict[str, str | None] = {}
    for code in table.total.cells:
        item = indicators.indicator(code)
        listed = item.code if item.measure != Measure.RATIO else (item.of or ("",))[0]
        found = indicators.BY_CODE.get(listed)
        if found is None or found.source is None:
            lists[code] = None
        elif found.sensitive and not sensitive:
            lists[code] = ""  # one level down instead
        else:
            lists[code] = reverse("reports:records", args=[table.campaign.pk, listed])
    for row in [*table.rows, table.total]:
        params: dict[str, Any] = {"org": table.base.pk, "as_of": as_of}
        if row.key == DIRECT:
            params["direct"] = 1
        elif row.org is not None:
            params["org"] = row.org.pk
            row.drill = table_url(table.campaign, org=row.org.pk, as_of=as_of)
        if row.cadre_id is not None:
            params["cadre"] = row.cadre_id
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        for cell in row.cells.values():
            target = lists.get(cell.code)
            if cell.hidden or not cell.raw or target is None:
                continue
            cell.link = f"{target}?{query}" if target else row.drill
