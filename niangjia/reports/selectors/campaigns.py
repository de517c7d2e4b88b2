"""Which campaigns and organizations a user may read reports of, and how fresh the counts are."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.reports.choices import RefreshStatus
from niangjia.reports.models import Refresh


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    ids = [part for part in path.split("/") if part]
    return ["/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids))]


def campaign_list(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns the user reads reports of: run by their organization or one above it (they see their own
    part of it), run within their subtree, or — a cadre — the ones they are paired in."""
    if not allows(user, Action.VIEW):
        return Campaign.objects.none()
    own = restrict(Campaign.objects.all(), user, Action.VIEW)
    if user.is_superuser or user.org is None:
        return own.select_related("org").order_by("-starts_on", "id")
    above = Campaign.objects.filter(org__path__in=_ancestor_paths(user.org.path))
    return (
        Campaign.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=above.values("pk")))
        .select_related("org")
        .order_by("-starts_on", "id")
    )


def campaign_get(*, user: Any, pk: int) -> Campaign:
    """One campaign the user reads reports of; Http404 otherwise."""
    campaign = campaign_list(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return campaign


def campaign_default(*, user: Any) -> Campaign | None:
    """The campaign a dashboard opens on: the latest active one, else the latest."""
    campaigns = campaign_list(user=user)
    return campaigns.filter(status="active").first() or campaigns.first()


def base_org(*, user: Any, pk: int | None) -> UnionOrg:
    """The organization a table is about: the user's own, or one in their subtree; Http404 otherwise."""
    if pk is None:
        if user.org is None:
            raise Http404("您没有所属组织。")
        return user.org  # type: ignore[no-any-return]
    org = restrict(UnionOrg.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if org is None and user.role == Role.CADRE and user.org is not None and user.org.pk == pk:
        org = user.org
    if org is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return org


def child_orgs(*, org: UnionOrg) -> list[UnionOrg]:
    """The organizations one level below, whose rows a table shows (enterprise unions count above them)."""
    return list(UnionOrg.objects.filter(parent=org).exclude(level=OrgLevel.ENTERPRISE).order_by("path"))


def breadcrumbs(*, user: Any, org: UnionOrg) -> list[UnionOrg]:
    """The organizations from the user's own down to `org`, for the way back up."""
    top = user.org.path if user.org is not None else "/"
    paths = [p for p in _ancestor_paths(org.path) if p.startswith(top)]
    found = {o.path: o for o in UnionOrg.objects.filter(path__in=paths)}
    return [found[p] for p in paths if p in found]


def last_refresh(*, campaign: Campaign) -> Refresh | None:
    """The latest finished refresh of the campaign's counts (what the pages read), or None."""
    return Refresh.objects.filter(campaign=campaign, status=RefreshStatus.DONE).order_by("-finished_at", "-id").first()


def pending_refresh(*, campaign: Campaign) -> Refresh | None:
    """A refresh of the campaign asked for and not yet finished, or None."""
    return (
        Refresh.objects.filter(campaign=campaign, status__in=[RefreshStatus.QUEUED, RefreshStatus.RUNNING])
        .order_by("-requested_at")
        .first()
    )
