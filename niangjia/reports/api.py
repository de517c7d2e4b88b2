"""统计报表 API: the indicators and the records behind them, scoped and protected like the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import StringConstraints

from niangjia.api_errors import errors
from niangjia.api_fields import NO_NUL, Cursor, Day, Id
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.reports import indicators
from niangjia.reports.choices import Grouping
from niangjia.reports.selectors import campaigns as campaign_selectors
from niangjia.reports.selectors import records as record_selectors
from niangjia.reports.selectors.tables import Table, indicator_table
from niangjia.reports.services import refresh_request

router = Router()

Code = Path[Annotated[str, StringConstraints(min_length=1, max_length=48, pattern=r"^[a-z_]+$")]]


class IndicatorOut(Schema):
    code: str
    label: str
    definition: str
    unit: str
    measure: str
    section: str
    people: bool
    sensitive: bool


class ReportCampaignOut(Schema):
    id: int
    name: str
    org_id: int
    org: str
    starts_on: date
    ends_on: date
    status: str


class CellOut(Schema):
    value: float | None
    text: str
    hidden: Literal["", "small", "complement"]


class RowOut(Schema):
    key: str
    label: str
    org_id: int | None
    cadre_id: int | None
    cells: dict[str, CellOut]


class TableOut(Schema):
    campaign_id: int
    org_id: int
    org: str
    by: str
    section: str
    as_of: date | None
    updated_at: datetime | None
    protected: bool
    indicators: list[str]
    rows: list[RowOut]
    total: RowOut


class RecordsOut(Schema):
    indicator: str
    columns: list[str]
    rows: list[list[str]]
    next_after: int | None


class TableQuery(Schema):
    org: Id | None = None
    by: Grouping = Grouping.ORG
    as_of: Day | None = None
    section: Annotated[str, StringConstraints(max_length=40, pattern=NO_NUL)] = ""


class RecordsQuery(Schema):
    org: Id | None = None
    direct: bool = False
    cadre: Id | None = None
    as_of: Day | None = None
    after: Cursor | None = None


class RefreshOut(Schema):
    id: int
    status: str
    requested_at: datetime


@router.get("/indicators", response={200: list[IndicatorOut]}, summary="全部指标：名称、定义、单位（每项只定义一次）")
def indicator_list(request: HttpRequest) -> list[IndicatorOut]:
    return [
        IndicatorOut(
            code=i.code,
            label=i.label,
            definition=i.definition,
            unit=i.unit,
            measure=i.measure,
            section=i.section,
            people=i.people,
            sensitive=i.sensitive,
        )
        for i in indicators.INDICATORS
    ]


@router.get("/campaigns", response={200: list[ReportCampaignOut], **errors(403)}, summary="可查看统计的走访活动")
def campaign_list(request: HttpRequest) -> list[ReportCampaignOut]:
    return [
        ReportCampaignOut(
            id=c.pk,
            name=c.name,
            org_id=c.org_id,
            org=c.org.name,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            status=c.status,
        )
        for c in campaign_selectors.campaign_list(user=staff_of(request))[:200]
    ]


def _row(row: object, table: Table) -> RowOut:
    cells = {
        code: CellOut(
            value=None if cell.hidden or cell.raw is None else float(cell.raw), text=cell.text, hidden=cell.mark or ""
        )
        for code, cell in row.cells.items()  # type: ignore[attr-defined]
        if code in {item.code for item in table.indicators}
    }
    org = getattr(row, "org", None)
    return RowOut(
        key=row.key,  # type: ignore[attr-defined]
        label=row.label,  # type: ignore[attr-defined]
        org_id=org.pk if org is not None else None,
        cadre_id=row.cadre_id,  # type: ignore[attr-defined]
        cells=cells,
    )


@router.get(
    "/campaigns/{pk}/tables",
    response={200: list[TableOut], **errors(403, 404)},
    summary="指标统计表：按下一级组织或按干部，每个指标分组一张表；与页面、导出同样的数字（领导角色不足 5 人的数字隐去）",
)
def tables(request: HttpRequest, pk: Path[Id], query: Query[TableQuery]) -> list[TableOut]:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    base = campaign.org if user.role == Role.CADRE else campaign_selectors.base_org(user=user, pk=query.org)
    by = Grouping.CADRE if user.role == Role.CADRE else query.by
    refresh = campaign_selectors.last_refresh(campaign=campaign)
    found = []
    for section, items in indicators.sections():
        if query.section and section != query.section:
            continue
        table = indicator_table(user=user, campaign=campaign, base=base, items=items, by=by, as_of=query.as_of)
        found.append(
            TableOut(
                campaign_id=campaign.pk,
                org_id=base.pk,
                org=base.name,
                by=by,
                section=section,
                as_of=query.as_of,
                updated_at=refresh.finished_at if refresh else None,
                protected=table.protected,
                indicators=[item.code for item in table.indicators],
                rows=[_row(row, table) for row in table.rows],
                total=_row(table.total, table),
            )
        )
    return found


@router.get(
    "/campaigns/{pk}/records/{code}",
    response={200: RecordsOut, **errors(403, 404)},
    summary="一个数字背后的记录（按编号翻页，after 为上页最后一条的编号）；涉及困难情况的指标仅限可查看家庭情况的角色",
)
def records(request: HttpRequest, pk: Path[Id], code: Code, query: Query[RecordsQuery]) -> RecordsOut:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    item = indicators.BY_CODE.get(code)
    if item is None or item.source is None:
        raise ValidationError({"code": f"没有可列出记录的指标“{code[:48]}”。"})
    base = campaign.org if user.role == Role.CADRE else campaign_selectors.base_org(user=user, pk=query.org)
    qs = record_selectors.cell_queryset(
        user=user,
        campaign=campaign,
        item=item,
        base=base,
        direct=query.direct,
        cadre_id=query.cadre,
        as_of=query.as_of,
    )
    page = record_selectors.cell_records(qs=qs, item=item, sensitive=allows(user, Action.SENSITIVE), after=query.after)
    return RecordsOut(
        indicator=code, columns=page.columns, rows=[values for values, _ in page.rows], next_after=page.next_after
    )


@router.post(
    "/campaigns/{pk}/refresh",
    response={202: RefreshOut, **errors(403, 404)},
    summary="刷新活动的统计数据（市、区县总工会工作人员；排队执行，2 分钟内不重复）",
)
def refresh(request: HttpRequest, pk: Path[Id]) -> Status[RefreshOut]:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    done = refresh_request(campaign=campaign, actor=user, now=timezone.now())
    return Status(202, RefreshOut(id=done.pk, status=done.status, requested_at=done.requested_at))
