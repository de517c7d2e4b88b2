"""The cadre's day and the campaign's progress through the API: the workspace, coverage, the lists behind it.

Scoped like the pages (outreach/views/workspace.py and progress.py): a figure under 5 people is withheld from
roles without SENSITIVE.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Id, PageSize
from niangjia.orgs.auth import staff_of
from niangjia.outreach.selectors import progress as progress_selectors
from niangjia.outreach.selectors import visits as selectors
from niangjia.outreach.selectors import workspace as workspace_selectors

router = Router(tags=["大走访"])


class WorkspaceCampaign(Schema):
    id: int
    name: str


class WorkspaceEnterprise(Schema):
    pairing_id: int
    campaign_id: int
    enterprise_id: int
    name: str
    last_visit: date | None
    due: bool


class WorkspaceHome(Schema):
    household_id: int
    label: str
    reasons: list[str]
    last_visit: date | None


class WorkspaceTicket(Schema):
    id: int
    title: str
    status: str
    due_at: datetime


class WorkspaceOut(Schema):
    today: date
    campaigns: list[WorkspaceCampaign]
    enterprises: list[WorkspaceEnterprise]
    enterprises_due: int
    homes: list[WorkspaceHome]
    homes_due: int
    tickets: list[WorkspaceTicket]
    conflict_ids: list[int]


@router.get(
    "/workspace",
    response={200: WorkspaceOut, **errors(403)},
    summary="今日工作：我的结对企业及上次走访、待入户家庭、待走访数、我的待办诉求、待确认冲突",
)
def workspace_today(request: HttpRequest) -> WorkspaceOut:
    found = workspace_selectors.workspace(user=staff_of(request), today=timezone.localdate())
    return WorkspaceOut(
        today=found.today,
        campaigns=[WorkspaceCampaign(id=c.pk, name=c.name) for c in found.campaigns],
        enterprises=[
            WorkspaceEnterprise(
                pairing_id=p.pk,
                campaign_id=p.campaign_id,
                enterprise_id=p.enterprise_id,
                name=p.enterprise.name,
                last_visit=getattr(p, "last_visit", None),
                due=getattr(p, "due", False),
            )
            for p in found.enterprises
        ],
        enterprises_due=found.enterprises_due,
        homes=[
            WorkspaceHome(
                household_id=h["household"].pk, label=h["label"], reasons=h["reasons"], last_visit=h["last_visit"]
            )
            for h in found.homes
        ],
        homes_due=found.homes_due,
        tickets=[WorkspaceTicket(id=t.pk, title=t.title, status=t.status, due_at=t.due_at) for t in found.tickets],
        conflict_ids=[c.pk for c in found.conflicts],
    )


Count = Annotated[int, Field(ge=0)] | None


class ProgressRow(Schema):
    org_id: int
    org_name: str
    figures: dict[str, Count] = Field(description="各项数字；null 表示不显示（少于 5，或无目标）")


class ProgressCadre(Schema):
    cadre_id: int
    name: str
    figures: dict[str, Count]


class ProgressOut(Schema):
    campaign_id: int
    org_id: int
    org_name: str
    labels: dict[str, str]
    total: dict[str, Count]
    rows: list[ProgressRow]
    cadres: list[ProgressCadre]
    cadres_more: bool


class ProgressItem(Schema):
    id: int
    name: str


Metric = Literal[
    "paired", "enterprises_visited", "enterprises_not_visited", "homes_visited", "hardship_found", "hardship_new",
    "hardship_archived", "needs", "needs_resolved",
]  # fmt: skip


def _figures(row: dict[str, Any]) -> dict[str, int | None]:
    return {key: row[key] for key, _, _ in progress_selectors.METRICS if key in row}


@router.get(
    "/progress/{campaign_id}",
    response={200: ProgressOut, **errors(403, 404)},
    summary="走访进度：某组织下各下级组织和各干部的覆盖情况（由记录统计；少于 5 的人数对无敏感权限的角色不显示）",
)
def campaign_progress(
    request: HttpRequest,
    campaign_id: Path[Id],
    org_id: Id | None = None,
    cadres_from: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
) -> ProgressOut:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    parent = progress_selectors.progress_parent(user=user, campaign=campaign, org_id=org_id)
    found = progress_selectors.progress(user=user, campaign=campaign, parent=parent, cadre_offset=cadres_from)
    return ProgressOut(
        campaign_id=campaign.pk,
        org_id=parent.pk,
        org_name=parent.name,
        labels={key: label for key, label, _ in progress_selectors.METRICS},
        total=_figures(found.total),
        rows=[ProgressRow(org_id=r["org"].pk, org_name=r["org"].name, figures=_figures(r)) for r in found.rows],
        cadres=[ProgressCadre(cadre_id=r["cadre_id"], name=r["name"], figures=_figures(r)) for r in found.cadres],
        cadres_more=found.cadres_more,
    )


@router.get(
    "/progress/{campaign_id}/list",
    response={200: list[ProgressItem], **errors(403, 404)},
    summary="进度数字背后的明细：企业、家庭或诉求（after_id 翻页；家庭和诉求须有敏感信息权限）",
)
def campaign_progress_list(
    request: HttpRequest,
    campaign_id: Path[Id],
    metric: Metric,
    org_id: Id | None = None,
    cadre_id: Id | None = None,
    after_id: Cursor | None = None,
    limit: PageSize = 50,
) -> list[ProgressItem]:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    org = progress_selectors.progress_parent(user=user, campaign=campaign, org_id=org_id)
    rows = progress_selectors.progress_list(
        user=user, campaign=campaign, metric=metric, org=org, cadre_id=cadre_id, after_id=after_id, limit=limit
    )
    return [
        ProgressItem(id=r.pk, name=getattr(r, "name", None) or getattr(r, "title", None) or f"家庭 {r.pk}")
        for r in rows
    ]
