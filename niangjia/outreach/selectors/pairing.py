"""Pairing reads, each from the scoping chokepoint: a page of pairings (with their places, for the map),
the latest run's figures, exclusions, and look-ups of one enterprise or cadre for the manual changes."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.outreach.models import Campaign, Pairing, PairingExclusion, PairingRun
from niangjia.outreach.selectors.pairing_inputs import Districts, cadre_points, campaign_enterprises, enterprise_points
from niangjia.registry.models import Enterprise

PAGE_SIZE = 50
EXCLUSIONS_MAX = 200


def pairings_visible(*, user: StaffUser, campaign: Campaign, action: Action = Action.VIEW) -> QuerySet[Pairing]:
    """The campaign's pairings in the user's scope (a cadre: their own; staff: their subtree's enterprises)."""
    qs = Pairing.objects.filter(campaign=campaign).select_related("cadre__org", "enterprise__org")
    return restrict(qs, user, action)


def pairing_page(
    *, user: StaffUser, campaign: Campaign, district: UnionOrg | None = None, q: str = "", page: int = 1
) -> Page[Pairing]:
    """One page of pairings in scope, by district and enterprise; `q` matches the enterprise or the cadre."""
    qs = pairings_visible(user=user, campaign=campaign)
    if district is not None:
        qs = qs.filter(enterprise__org__path__startswith=district.path)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(enterprise__name__contains=q)
            | Q(enterprise__uscc=q.upper())
            | Q(cadre__username=q)
            | Q(cadre__display_name=q)
        )
    return Paginator(qs.order_by("enterprise__org__path", "enterprise_id"), PAGE_SIZE).get_page(page)


def pairing_list(
    *, user: StaffUser, campaign: Campaign, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Pairing]:
    """A keyset page of pairings in scope (the API's list), by id."""
    qs = pairings_visible(user=user, campaign=campaign)
    if after_id:
        qs = qs.filter(pk__gt=after_id)
    return list(qs.order_by("pk")[:limit])


def map_points(pairings: list[Pairing]) -> list[dict[str, Any]]:
    """The page's pairings as map points (JSON-ready); places from the same rules as the solver."""
    cadres = cadre_points(p.cadre_id for p in pairings)
    enterprises = enterprise_points(p.enterprise_id for p in pairings)
    points = []
    for p in pairings:
        start, end = cadres.get(p.cadre_id), enterprises.get(p.enterprise_id)
        if start is None or end is None:
            continue
        points.append(
            {
                "enterprise": p.enterprise.name,
                "cadre": str(p.cadre),
                "org": p.cadre.org.name if p.cadre.org else "",
                "e": [end[1], end[0]],
                "c": [start[1], start[0]],
                "km": float(p.distance_km) if p.distance_km is not None else None,
                "fixed": p.fixed,
            }
        )
    return points


def pairing_totals(*, user: StaffUser, campaign: Campaign) -> dict[str, Any]:
    """Counts and distances of the pairings in the user's scope (one aggregate query)."""
    totals = pairings_visible(user=user, campaign=campaign).aggregate(
        pairs=Count("id"),
        cadres=Count("cadre", distinct=True),
        fixed=Count("id", filter=Q(fixed=True)),
        total_km=Sum("distance_km"),
        mean_km=Avg("distance_km"),
    )
    return totals


def latest_run(*, campaign: Campaign) -> PairingRun | None:
    """The campaign's latest solver run (its figures concern no single person; the campaign was read in scope)."""
    return PairingRun.objects.filter(campaign=campaign).select_related("created_by").first()


def district_rows(*, user: StaffUser, run: PairingRun | None) -> list[dict[str, Any]]:
    """The run's figures per district that the user's organization covers or lies in."""
    if run is None:
        return []
    rows = run.districts or []
    if user.is_superuser or user.role == Role.CADRE or user.org is None:
        return rows if user.is_superuser else []
    paths = dict(UnionOrg.objects.filter(pk__in=[r["org_id"] for r in rows]).values_list("pk", "path"))
    mine = user.org.path
    return [
        r for r in rows if paths.get(r["org_id"], "").startswith(mine) or mine.startswith(paths.get(r["org_id"], "-"))
    ]


def district_choices(*, user: StaffUser, campaign: Campaign) -> list[UnionOrg]:
    """The districts of the campaign the user's pairings lie in (the page's filter)."""
    districts = Districts.under(campaign.org)
    ids = [pk for pk in districts.names if pk != campaign.org_id]
    orgs = UnionOrg.objects.filter(pk__in=ids).order_by("path")
    if user.is_superuser or user.org is None:
        return list(orgs)
    return [o for o in orgs if o.path.startswith(user.org.path) or user.org.path.startswith(o.path)]


def district_get(*, campaign: Campaign, pk: int | None) -> UnionOrg | None:
    """A district of the campaign named by the filter, or None."""
    if pk is None:
        return None
    return UnionOrg.objects.filter(pk=pk, path__startswith=campaign.org.path).first()


def pairing_get(*, user: StaffUser, campaign: Campaign, pk: int, action: Action = Action.VIEW) -> Pairing:
    """One pairing of the campaign in scope, or 404."""
    found = pairings_visible(user=user, campaign=campaign, action=action).filter(pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


def pairing_of_enterprise(*, user: StaffUser, campaign: Campaign, text: str) -> Pairing:
    """The pairing of the enterprise named (exact name or credit code) in scope, or 404."""
    text = text.strip()
    qs = pairings_visible(user=user, campaign=campaign, action=Action.CHANGE)
    found = (
        qs.filter(Q(enterprise__name=text) | Q(enterprise__uscc=text.upper())).order_by("pk").first() if text else None
    )
    if found is None:
        raise Http404(f"本活动中没有您管辖范围内的“{text}”的结对。")
    return found


def enterprise_find(*, user: StaffUser, text: str) -> Enterprise:
    """The enterprise in the user's scope with this exact name or credit code, or 404."""
    text = text.strip()
    qs = restrict(Enterprise.objects.select_related("org"), user, Action.CHANGE)
    found = qs.filter(Q(name=text) | Q(uscc=text.upper())).order_by("pk").first() if text else None
    if found is None:
        raise Http404(f"您管辖范围内没有名称或统一社会信用代码为“{text}”的企业。")
    return found


def enterprise_get(*, user: StaffUser, pk: int) -> Enterprise:
    """An enterprise the user may change, or 404."""
    found = restrict(Enterprise.objects.select_related("org"), user, Action.CHANGE).filter(pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


def cadre_find(*, user: StaffUser, text: str = "", pk: int | None = None) -> StaffUser:
    """An active cadre of the user's subtree, by username, name or id; 404 otherwise."""
    qs = restrict(StaffUser.objects.select_related("org").filter(role=Role.CADRE, is_active=True), user, Action.CHANGE)
    text = text.strip()
    if pk is not None:
        found = qs.filter(pk=pk).first()
    else:
        found = qs.filter(Q(username=text) | Q(display_name=text)).order_by("pk").first() if text else None
    if found is None:
        raise Http404(
            f"您管辖范围内没有用户名或姓名为“{text}”的在职工会干部。"
            if pk is None
            else "记录不存在或不在您的管辖范围内。"
        )
    return found


def exclusions(*, user: StaffUser, campaign: Campaign) -> list[PairingExclusion]:
    """The campaign's exclusions in the user's scope (the latest first, at most 200)."""
    qs = restrict(PairingExclusion.objects.filter(campaign=campaign), user, Action.VIEW)
    return list(qs.select_related("cadre", "enterprise").order_by("-created_at", "-id")[:EXCLUSIONS_MAX])


def exclusion_get(*, user: StaffUser, campaign: Campaign, pk: int) -> PairingExclusion:
    """One exclusion of the campaign the user may change, or 404."""
    qs = restrict(PairingExclusion.objects.filter(campaign=campaign), user, Action.CHANGE)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


def campaign_size(*, campaign: Campaign) -> int:
    """How many enterprises the campaign's pairing covers (to bound what a web request solves)."""
    return campaign_enterprises(campaign).count()
