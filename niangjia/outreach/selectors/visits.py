"""Reads of visits: the campaigns a user takes part in, visits, photos, conflicts, and the phone's offline list.

Every read starts from the scoping chokepoint. The offline list (`visit_targets`) is what the phone
keeps for a campaign: the cadre's enterprises and households with what the cadre already knows
(members and the facts a signal may change, the last visit's checklist), so the form is short and
works without a network.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign, FactConflict, Pairing, Visit, VisitPhoto
from niangjia.outreach.services.facts import HOUSEHOLD_FACT_NAMES, MEMBER_FACT_NAMES, as_json, current, shown
from niangjia.outreach.visit_choices import ConflictStatus
from niangjia.registry.models import Enterprise, Household, HouseholdMember

PAGE_SIZE = 50
# The most targets of each kind the phone keeps offline (a cadre has a handful; district staff use the pages).
OFFLINE_MAX = 500


def campaigns_for(*, user: StaffUser, active_only: bool = False) -> QuerySet[Campaign]:
    """Campaigns the user takes part in: paired in it (a cadre), or run by an organization above or below theirs."""
    qs = Campaign.objects.select_related("org")
    if active_only:
        qs = qs.filter(status="active")
    if user.is_superuser:
        return qs
    if not allows(user, Action.VIEW) or user.org is None:
        return qs.none()
    paired = Q(pk__in=Pairing.objects.filter(cadre=user).values("campaign_id"))
    if user.role == "cadre":
        return qs.filter(paired)
    ancestors = [p for p in _ancestor_paths(user.org.path)]
    return qs.filter(paired | Q(org__path__in=ancestors) | Q(org__path__startswith=user.org.path))


def _ancestor_paths(path: str) -> list[str]:
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def campaign_get(*, user: StaffUser, pk: int) -> Campaign:
    """A campaign the user takes part in, or 404."""
    campaign = campaigns_for(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return campaign


def visit_list(
    *, user: StaffUser, campaign: Campaign | None = None, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Visit]:
    """Visits in scope, latest first (keyset pages on id)."""
    qs = restrict(Visit.objects.all(), user, Action.VIEW)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    qs = qs.select_related("campaign", "enterprise", "household", "recorded_by").prefetch_related("cadres")
    return list(qs.order_by("-id")[:limit])


def visit_get(*, user: StaffUser, pk: int) -> Visit:
    """One visit in scope with its needs, signals and photos, or 404."""
    qs = restrict(Visit.objects.all(), user, Action.VIEW).select_related(
        "campaign", "enterprise", "household", "recorded_by", "org"
    )
    qs = qs.prefetch_related("cadres", "needs__ticket", "signals__member", "signals__conflicts", "photos")
    visit = qs.filter(pk=pk).first()
    if visit is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return visit


def photo_get(*, user: StaffUser, pk: int) -> VisitPhoto:
    """A visit photo in scope (photos of homes are people data), or 404."""
    photo = restrict(VisitPhoto.objects.select_related("visit"), user, Action.VIEW).filter(pk=pk).first()
    if photo is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return photo


def conflict_list(
    *, user: StaffUser, open_only: bool = True, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[FactConflict]:
    """Fact conflicts in scope, newest first: district staff see their households', a cadre their visits'.

    The values are household facts (health, income…): only for roles with `Action.SENSITIVE`.
    """
    require_action(user, Action.SENSITIVE)
    qs = restrict(FactConflict.objects.all(), user, Action.VIEW)
    if open_only:
        qs = qs.filter(status=ConflictStatus.OPEN)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    qs = qs.select_related("member", "household", "signal__visit__recorded_by", "resolved_by")
    return list(qs.order_by("-id")[:limit])


def conflict_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> FactConflict:
    """One conflict in scope (roles with `Action.SENSITIVE`), or 404."""
    require_action(user, Action.SENSITIVE)
    qs = restrict(FactConflict.objects.all(), user, action)
    conflict = qs.select_related("member", "household", "signal__visit__recorded_by").filter(pk=pk).first()
    if conflict is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return conflict


def conflict_rows(conflicts: Iterable[FactConflict]) -> list[dict[str, Any]]:
    """What a person needs to choose: the fact, whose, and the three values as they read them."""
    from niangjia.outreach.services.facts import FACTS

    return [
        {
            "conflict": c,
            "fact": FACTS[c.fact].label if c.fact in FACTS else c.fact,
            "who": c.member.name if c.member else "全家",
            "base": shown(c.fact, c.base),
            "proposed": shown(c.fact, c.proposed),
            "current": shown(c.fact, c.current),
            "visit": c.signal.visit,
        }
        for c in conflicts
    ]


def household_label(head: HouseholdMember | None, household: Household) -> str:
    return f"{head.name}家" if head is not None else f"家庭 {household.pk}"


def visit_targets(*, user: StaffUser, campaign: Campaign) -> dict[str, Any]:
    """The offline list of a campaign for the user: enterprises and households with what the form prefills.

    Enterprises are the user's pairings in the campaign (staff: the campaign's pairings in their scope);
    households those in the user's scope. Member facts (health, work, school) only for roles with
    `Action.SENSITIVE`.
    """
    pairings = restrict(Enterprise.objects.all(), user, Action.CHANGE).filter(pairings__campaign=campaign)
    if user.role == "cadre":
        pairings = pairings.filter(pairings__cadre=user)
    enterprises = list(pairings.select_related("area").order_by("name", "pk").distinct()[:OFFLINE_MAX])
    households = list(
        restrict(Household.objects.all(), user, Action.CHANGE)
        .select_related("area", "circumstances")
        .order_by("pk")[:OFFLINE_MAX]
    )
    sensitive = allows(user, Action.SENSITIVE)
    last = _last_visits(campaign, enterprises, households)
    members = _members(households, sensitive)
    return {
        "campaign": {
            "id": campaign.pk,
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        },
        "enterprises": [
            {"id": e.pk, "name": e.name, "address": e.address, "area": e.area.name, "last": last.get(("e", e.pk))}
            for e in enterprises
        ],
        "households": [_household(h, members.get(h.pk, []), last.get(("h", h.pk)), sensitive) for h in households],
        "sensitive": sensitive,
        "truncated": len(enterprises) == OFFLINE_MAX or len(households) == OFFLINE_MAX,
    }


def _household(h: Household, members: list[HouseholdMember], last: Any, sensitive: bool) -> dict[str, Any]:
    head = next((m for m in members if m.relation == "head"), None)
    facts = {name: as_json(current(name, household=h, member=None)) for name in HOUSEHOLD_FACT_NAMES}
    return {
        "id": h.pk,
        "label": household_label(head, h),
        "area": h.area.name,
        "archive_level": h.get_archive_level_display() if sensitive else "",
        "facts": facts if sensitive else {},
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "relation": m.get_relation_display(),
                "facts": {n: as_json(current(n, household=h, member=m)) for n in MEMBER_FACT_NAMES}
                if sensitive
                else {},
            }
            for m in members
        ],
        "last": last,
    }


def _members(households: list[Household], sensitive: bool) -> dict[int, list[HouseholdMember]]:
    qs = HouseholdMember.objects.filter(household__in=[h.pk for h in households]).order_by("household_id", "id")
    if sensitive:
        qs = qs.select_related("circumstances")
    found: dict[int, list[HouseholdMember]] = {}
    for member in qs:
        found.setdefault(member.household_id, []).append(member)
    return found


def _last_visits(
    campaign: Campaign, enterprises: list[Enterprise], households: list[Household]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The latest visit of the campaign to each target: its date and what the form carries over."""
    rows = Visit.objects.filter(campaign=campaign).filter(
        Q(enterprise__in=[e.pk for e in enterprises]) | Q(household__in=[h.pk for h in households])
    )
    found: dict[tuple[str, int], dict[str, Any]] = {}
    fields = ("enterprise_id", "household_id", "date", "people_met", "people_notes", "basic_clear",
              "hardship_clear", "aid_clear")  # fmt: skip
    for row in rows.order_by("-date", "-id").values(*fields):
        key = ("e", row["enterprise_id"]) if row["enterprise_id"] else ("h", row["household_id"])
        if key not in found:
            found[key] = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()
                          if k not in ("enterprise_id", "household_id")}  # fmt: skip
    return found


def household_find(*, user: StaffUser, pk: int) -> Household:
    """A household the user may change (a visit's target), or 404."""
    household = restrict(Household.objects.select_related("org"), user, Action.CHANGE).filter(pk=pk).first()
    if household is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return household


def member_find(*, user: StaffUser, pk: int) -> HouseholdMember:
    """A household member the user may change (the member a signal concerns), or 404."""
    member = restrict(HouseholdMember.objects.all(), user, Action.CHANGE).filter(pk=pk).first()
    if member is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return member


def enterprise_find(*, user: StaffUser, pk: int) -> Enterprise:
    """An enterprise the user may change (a visit's target), or 404."""
    enterprise = restrict(Enterprise.objects.select_related("org"), user, Action.CHANGE).filter(pk=pk).first()
    if enterprise is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return enterprise


def campaign_cadres(*, user: StaffUser, campaign: Campaign, ids: Iterable[int]) -> list[StaffUser]:
    """The cadres among `ids` paired in the campaign (a visit's companions); ids of anyone else are dropped."""
    wanted = sorted(set(ids))[:50]
    if not wanted:
        return []
    paired = Pairing.objects.filter(campaign=campaign, cadre_id__in=wanted).values("cadre_id")
    return list(StaffUser.objects.filter(pk__in=paired, is_active=True).order_by("pk"))


def visit_by_client(*, user: StaffUser, client_id: Any, own: bool = False) -> Visit | None:
    """The visit a phone's client id created, if in scope (`own`: only if the user recorded it)."""
    qs = restrict(Visit.objects.all(), user, Action.VIEW).filter(client_id=client_id)
    if own:
        qs = qs.filter(recorded_by=user)
    return qs.first()


def not_found() -> Http404:
    return Http404("记录不存在或不在您的管辖范围内。")


def conflicts_of_visit(*, user: StaffUser, visit: Visit) -> list[FactConflict]:
    """The conflicts a visit's signals found, in scope."""
    qs = restrict(FactConflict.objects.filter(signal__visit=visit), user, Action.VIEW)
    return list(qs.select_related("member", "household", "signal__visit__recorded_by").order_by("id"))
