"""Campaign progress for staff: coverage by district, street and cadre, and the list behind every number.

Every figure is counted from the records in SQL (one GROUP BY per kind of record, the rows being the
children of the organization looked at), within the user's scope; none is typed in. Counts that
come from people (homes, hardship households, needs) under `SMALL_COUNT` are withheld from roles
without `Action.SENSITIVE`, and so is whatever would give them back (the column's total, the other
half of new + already archived); the lists behind those numbers are for roles with SENSITIVE.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.outreach.models import Campaign, CampaignTarget, Pairing, Visit, VisitNeed
from niangjia.outreach.selectors.visits import campaigns_for
from niangjia.outreach.visit_choices import VisitKind
from niangjia.registry.models import Enterprise, Household
from niangjia.tickets.choices import Status
from niangjia.tickets.models import Ticket

SMALL_COUNT = 5
PAGE_SIZE = 50
ROW_LEVELS = ("city", "district", "zone", "street", "industry")
ROWS_MAX = 60

# (key, label, counts people): the columns of the progress table, in order.
METRICS: list[tuple[str, str, bool]] = [
    ("enterprises_target", "走访企业目标", False),
    ("paired", "结对企业", False),
    ("enterprises_visited", "已走访企业", False),
    ("enterprises_not_visited", "未走访企业", False),
    ("homes_target", "入户目标", False),
    ("homes_visited", "已入户家庭", True),
    ("hardship_found", "发现困难家庭", True),
    ("hardship_new", "其中未建档", True),
    ("hardship_archived", "其中已建档", True),
    ("needs", "收集需求", True),
    ("needs_resolved", "需求已办结", True),
]
LISTED = {key for key, _, _ in METRICS if not key.endswith("_target")}
PEOPLE = {key for key, _, people in METRICS if people}


@dataclass
class Progress:
    campaign: Campaign
    parent: UnionOrg
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    cadres: list[dict[str, Any]]
    cadres_more: bool
    sensitive: bool


def progress_parent(*, user: StaffUser, campaign: Campaign, org_id: int | None) -> UnionOrg:
    """The organization whose children are the rows: the one asked for if in scope, else the user's own."""
    if org_id is not None:
        org = restrict(UnionOrg.objects.all(), user, Action.VIEW).filter(pk=org_id).first()
        if org is None:
            raise Http404("记录不存在或不在您的管辖范围内。")
        return org
    if user.org is None:
        return campaign.org
    return user.org


def progress(
    *, user: StaffUser, campaign: Campaign, parent: UnionOrg, cadre_offset: int = 0, cadre_limit: int = PAGE_SIZE
) -> Progress:
    """The progress table under `parent`: one row per child organization, the total, and the cadres' rows."""
    require_action(user, Action.VIEW)
    children = list(UnionOrg.objects.filter(parent=parent, level__in=ROW_LEVELS).order_by("path")[:ROWS_MAX])
    groups = {child.pk: _empty() for child in children}
    total = _empty()
    _count(user, campaign, parent, children, groups, total)
    targets = CampaignTarget.objects.filter(campaign=campaign, org__in=[parent, *children])
    for target in targets:
        holder = total if target.org_id == parent.pk else groups[target.org_id]
        holder["enterprises_target"], holder["homes_target"] = target.enterprises, target.homes
    sensitive = allows(user, Action.SENSITIVE)
    rows = [{"org": child, **groups[child.pk]} for child in children]
    cadres, more = _cadres(user, campaign, parent, cadre_offset, cadre_limit)
    if not sensitive:
        for row in [*rows, *cadres]:
            _withhold(row)
        _withhold(total)
        for key in PEOPLE:
            if any(row[key] is None for row in rows):
                total[key] = None
    return Progress(campaign, parent, rows, total, cadres, more, sensitive)


def _empty() -> dict[str, Any]:
    return {key: 0 for key, _, _ in METRICS} | {"enterprises_target": None, "homes_target": None}


def _group(path: str, children: Iterable[UnionOrg]) -> Case:
    """The child organization a record's org path falls under (NULL: the parent itself, or an enterprise union)."""
    whens = [When(**{f"{path}__startswith": child.path}, then=Value(child.pk)) for child in children]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _visits(user: StaffUser, campaign: Campaign, parent: UnionOrg) -> QuerySet[Visit]:
    return restrict(Visit.objects.filter(campaign=campaign, org__path__startswith=parent.path), user, Action.VIEW)


def _count(
    user: StaffUser,
    campaign: Campaign,
    parent: UnionOrg,
    children: list[UnionOrg],
    groups: dict[int, dict[str, Any]],
    total: dict[str, Any],
) -> None:
    """Fill each group's counts and the total: one grouped query per kind of record."""
    pairings = restrict(
        Pairing.objects.filter(campaign=campaign, enterprise__org__path__startswith=parent.path), user, Action.VIEW
    )
    visited = Visit.objects.filter(campaign=campaign, kind=VisitKind.ENTERPRISE).values("enterprise_id")
    paired = (
        pairings.annotate(g=_group("enterprise__org__path", children))
        .values("g")
        .annotate(
            paired=Count("enterprise", distinct=True),
            enterprises_not_visited=Count("enterprise", distinct=True, filter=~Q(enterprise__in=visited)),
        )
    )
    hardship = Q(household__archive_level__gt="") | Q(signals__isnull=False)
    visits = (
        _visits(user, campaign, parent)
        .annotate(g=_group("org__path", children))
        .values("g")
        .annotate(
            enterprises_visited=Count("enterprise", distinct=True),
            homes_visited=Count("household", distinct=True),
            hardship_found=Count("household", distinct=True, filter=hardship),
            hardship_new=Count(
                "household", distinct=True, filter=Q(household__archive_level="", signals__isnull=False)
            ),
            hardship_archived=Count("household", distinct=True, filter=Q(household__archive_level__gt="")),
        )
    )
    needs = (
        restrict(
            VisitNeed.objects.filter(visit__campaign=campaign, visit__org__path__startswith=parent.path),
            user,
            Action.VIEW,
        )
        .annotate(g=_group("visit__org__path", children))
        .values("g")
        .annotate(
            needs=Count("id"), needs_resolved=Count("id", filter=Q(ticket__status__in=[Status.RESOLVED, Status.CLOSED]))
        )
    )
    for query in (paired, visits, needs):
        for row in query:
            group = row.pop("g")
            for key, value in row.items():
                total[key] += value
                if group in groups:
                    groups[group][key] += value


def _cadres(
    user: StaffUser, campaign: Campaign, parent: UnionOrg, offset: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the cadres paired in the campaign under `parent`: their enterprises, homes and needs."""
    pairings = restrict(
        Pairing.objects.filter(campaign=campaign, enterprise__org__path__startswith=parent.path), user, Action.VIEW
    )
    visited = Visit.objects.filter(campaign=campaign, kind=VisitKind.ENTERPRISE).values("enterprise_id")
    page = list(
        pairings.values("cadre_id", "cadre__username", "cadre__display_name")
        .annotate(paired=Count("enterprise", distinct=True),
                  enterprises_not_visited=Count("enterprise", distinct=True, filter=~Q(enterprise__in=visited)))
        .order_by("cadre_id")[offset : offset + limit + 1]
    )  # fmt: skip
    more, page = len(page) > limit, page[:limit]
    ids = [row["cadre_id"] for row in page]
    visits = _visits(user, campaign, parent).filter(cadres__in=ids)
    by_cadre = {
        row["cadres"]: row
        for row in visits.values("cadres").annotate(
            enterprises_visited=Count("enterprise", distinct=True),
            homes_visited=Count("household", distinct=True),
            hardship_found=Count(
                "household", distinct=True, filter=Q(household__archive_level__gt="") | Q(signals__isnull=False)
            ),
        )
    }
    needs = {
        row["visit__recorded_by"]: row
        for row in restrict(VisitNeed.objects.filter(visit__campaign=campaign, visit__recorded_by__in=ids), user,
                            Action.VIEW)
        .values("visit__recorded_by")
        .annotate(needs=Count("id"),
                  needs_resolved=Count("id", filter=Q(ticket__status__in=[Status.RESOLVED, Status.CLOSED])))
    }  # fmt: skip
    rows = []
    for row in page:
        found, asked = by_cadre.get(row["cadre_id"], {}), needs.get(row["cadre_id"], {})
        rows.append({
            "cadre_id": row["cadre_id"],
            "name": row["cadre__display_name"] or row["cadre__username"],
            "paired": row["paired"],
            "enterprises_not_visited": row["enterprises_not_visited"],
            "enterprises_visited": found.get("enterprises_visited", 0),
            "homes_visited": found.get("homes_visited", 0),
            "hardship_found": found.get("hardship_found", 0),
            "needs": asked.get("needs", 0),
            "needs_resolved": asked.get("needs_resolved", 0),
        })  # fmt: skip
    return rows, more


def _withhold(row: dict[str, Any]) -> None:
    """Withhold people counts under SMALL_COUNT, and the half of a split that would give one back."""
    for key in PEOPLE:
        if key in row and row[key] is not None and 0 < row[key] < SMALL_COUNT:
            row[key] = None
    if row.get("hardship_new", 0) is None or row.get("hardship_archived", 0) is None:
        row["hardship_new"] = row["hardship_archived"] = None


def progress_list(
    *,
    user: StaffUser,
    campaign: Campaign,
    metric: str,
    org: UnionOrg,
    cadre_id: int | None = None,
    after_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Any]:
    """The records behind one number: enterprises, households or tickets (keyset pages on id)."""
    if metric not in LISTED:
        raise Http404("没有这一项统计。")
    if metric in PEOPLE:
        require_action(user, Action.SENSITIVE)
    visits = _visits(user, campaign, org)
    if cadre_id is not None:
        visits = visits.filter(cadres=cadre_id)
    qs: QuerySet[Any]
    if metric in ("paired", "enterprises_visited", "enterprises_not_visited"):
        pairings = Pairing.objects.filter(campaign=campaign)
        if cadre_id is not None:
            pairings = pairings.filter(cadre_id=cadre_id)
        enterprise_visits = Visit.objects.filter(campaign=campaign, kind=VisitKind.ENTERPRISE).values("enterprise_id")
        qs = restrict(Enterprise.objects.filter(org__path__startswith=org.path), user, Action.VIEW)
        if metric == "enterprises_visited":
            qs = qs.filter(pk__in=visits.filter(kind=VisitKind.ENTERPRISE).values("enterprise_id"))
        else:
            qs = qs.filter(pk__in=pairings.values("enterprise_id"))
            if metric == "enterprises_not_visited":
                qs = qs.exclude(pk__in=enterprise_visits)
        qs = qs.select_related("area")
    elif metric in ("needs", "needs_resolved"):
        needs = VisitNeed.objects.filter(visit__in=visits.values("pk"))
        if metric == "needs_resolved":
            needs = needs.filter(ticket__status__in=[Status.RESOLVED, Status.CLOSED])
        qs = restrict(Ticket.objects.filter(pk__in=needs.values("ticket_id")), user, Action.VIEW)
    else:
        homes = visits.filter(kind=VisitKind.HOME)
        if metric == "hardship_found":
            homes = homes.filter(Q(household__archive_level__gt="") | Q(signals__isnull=False))
        elif metric == "hardship_new":
            homes = homes.filter(household__archive_level="", signals__isnull=False)
        elif metric == "hardship_archived":
            homes = homes.filter(household__archive_level__gt="")
        qs = restrict(Household.objects.filter(pk__in=homes.values("household_id")), user, Action.VIEW)
        qs = qs.select_related("area")
    if after_id:
        qs = qs.filter(pk__gt=after_id)
    return list(qs.order_by("pk")[:limit])


def metric_label(metric: str) -> str:
    return next((label for key, label, _ in METRICS if key == metric), metric)


def progress_campaigns(*, user: StaffUser) -> list[Campaign]:
    """The campaigns whose progress the user may look at (those they take part in), newest first."""
    return list(campaigns_for(user=user).order_by("-starts_on", "-pk")[:50])
