"""Campaign reads: which campaigns a user sees, one campaign, and the choices of the campaign form.

A campaign is seen by the staff of organizations above or below its organizer (a district sees the city's
campaign, the city sees a district's) and by the cadres paired in it. Who may change it is decided by the
services (`services.campaigns.require_runner`).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.choices import AreaLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.outreach.choices import CampaignStatus
from niangjia.outreach.models import Campaign, CampaignTarget, Pairing
from niangjia.outreach.services.campaigns import ORGANIZER_LEVELS, TARGET_LEVELS, is_runner
from niangjia.registry.selectors import area_prefix

PAGE_SIZE = 20
CHOICES_MAX = 500


def ancestor_paths(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def campaigns_visible(*, user: StaffUser) -> QuerySet[Campaign]:
    """Campaigns the user sees (see the module docstring); none for a role without VIEW."""
    qs = Campaign.objects.select_related("org")
    if user.is_superuser:
        return qs
    if not allows(user, Action.VIEW) or user.org is None:
        return qs.none()
    paired = Q(pk__in=Pairing.objects.filter(cadre=user).values("campaign_id"))
    if user.role == Role.CADRE:
        return qs.filter(paired)
    return qs.filter(paired | Q(org__path__in=ancestor_paths(user.org.path)) | Q(org__path__startswith=user.org.path))


def campaign_page(*, user: StaffUser, status: str = "", page: int = 1) -> Page[Campaign]:
    """One page of the campaigns the user sees, latest first; `status` one of CampaignStatus or ""."""
    qs = campaigns_visible(user=user)
    if status in CampaignStatus.values:
        qs = qs.filter(status=status)
    return Paginator(qs.order_by("-starts_on", "-id"), PAGE_SIZE).get_page(page)


def campaign_list(*, user: StaffUser, after_id: int | None = None, limit: int = PAGE_SIZE) -> list[Campaign]:
    """A keyset page of the campaigns the user sees, newest first (the API's list)."""
    qs = campaigns_visible(user=user)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    return list(qs.order_by("-id")[:limit])


def campaign_get(*, user: StaffUser, pk: int) -> Campaign:
    """A campaign the user sees, or 404."""
    campaign = campaigns_visible(user=user).select_related("org__area").filter(pk=pk).first()
    if campaign is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return campaign


def may_run(*, user: StaffUser, campaign: Campaign) -> bool:
    """Whether the user may change the campaign and run its pairing (staff at or above its organizer)."""
    return is_runner(user) and (user.is_superuser or (user.org is not None and user.org.contains(campaign.org)))


def campaign_targets(*, campaign: Campaign) -> list[CampaignTarget]:
    """The campaign's targets by district, in tree order."""
    return list(CampaignTarget.objects.filter(campaign=campaign).select_related("org").order_by("org__path"))


def campaign_scope(*, campaign: Campaign) -> dict[str, list[Any]]:
    """The organizations and areas the campaign covers (empty lists: the organizer's whole subtree)."""
    return {"orgs": list(campaign.orgs.order_by("path")), "areas": list(campaign.areas.order_by("code"))}


def organizer_choices(*, user: StaffUser) -> list[UnionOrg]:
    """Organizations the user may run a campaign for: city, district and zone federations in their subtree."""
    if not is_runner(user):
        return []
    qs = restrict(UnionOrg.objects.filter(level__in=ORGANIZER_LEVELS), user, Action.CHANGE)
    return list(qs.order_by("path")[:CHOICES_MAX])


def scope_org_choices(*, user: StaffUser) -> list[UnionOrg]:
    """Organizations a campaign of the user may cover: districts, zones and streets of their subtree."""
    qs = restrict(UnionOrg.objects.filter(level__in=TARGET_LEVELS), user, Action.CHANGE)
    return list(qs.order_by("path")[:CHOICES_MAX])


def area_choices(*, user: StaffUser) -> list[Area]:
    """Counties and streets within the user's own area."""
    if user.org is None:
        return []
    prefix = area_prefix(user.org.area.code)
    qs = Area.objects.filter(code__startswith=prefix, level__in=[AreaLevel.COUNTY, AreaLevel.STREET])
    return list(qs.order_by("code")[:CHOICES_MAX])


def target_org_choices(*, user: StaffUser, organizer: UnionOrg | None = None) -> list[UnionOrg]:
    """Organizations a target row may name: the organizer's districts, zones and streets (or the organizer)."""
    qs = restrict(UnionOrg.objects.filter(level__in=TARGET_LEVELS), user, Action.CHANGE)
    if organizer is not None:
        qs = qs.filter(path__startswith=organizer.path)
    return list(qs.order_by("path")[:CHOICES_MAX])


def default_target_orgs(*, organizer: UnionOrg) -> list[UnionOrg]:
    """The rows a new campaign's target table starts with: the districts and zones under the organizer
    (a district's campaign: the district itself)."""
    children = UnionOrg.objects.filter(parent=organizer, level__in=TARGET_LEVELS[:2]).order_by("path")
    return list(children[:CHOICES_MAX]) or [organizer]
