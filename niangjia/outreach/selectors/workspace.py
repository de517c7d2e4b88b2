"""The cadre's workspace: one page that answers "what do I do today".

My enterprises (current pairings) with their last visit, the homes to visit (the campaigns' target
worker groups and the households 政策找人 found), what is due, my open tickets and the conflicts
waiting for me — each a bounded query within the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign, Pairing, Visit
from niangjia.outreach.selectors.visits import campaigns_for, conflict_list, household_label
from niangjia.registry.choices import ArchiveLevel, EventKind
from niangjia.registry.models import Household, HouseholdMember, LifeEvent
from niangjia.screening.selectors import WorklistFilter, worklist_choices, worklist_queryset
from niangjia.tickets import selectors as tickets_selectors

# An enterprise not visited for this long in a running campaign is due for a follow-up visit.
FOLLOW_UP_DAYS = 30
# A sudden event this recent puts the household among the homes to visit (the 突发困难 group).
SUDDEN_DAYS = 90
HOMES_SHOWN = 30
DUE_COUNT_MAX = 1000


@dataclass
class Workspace:
    today: date
    campaigns: list[Campaign]
    enterprises: list[Pairing] = field(default_factory=list)
    homes: list[dict[str, Any]] = field(default_factory=list)
    homes_due: int = 0
    enterprises_due: int = 0
    tickets: list[Any] = field(default_factory=list)
    conflicts: list[Any] = field(default_factory=list)
    can_record: bool = False
    sensitive: bool = False


def workspace(*, user: StaffUser, today: date) -> Workspace:
    """Everything the workspace shows for `user` on `today`."""
    campaigns = list(
        campaigns_for(user=user, active_only=True).filter(starts_on__lte=today, ends_on__gte=today).order_by("pk")[:5]
    )
    found = Workspace(today=today, campaigns=campaigns, can_record=allows(user, Action.CHANGE))
    found.sensitive = allows(user, Action.SENSITIVE)
    found.tickets = tickets_selectors.ticket_list(user=user, limit=10)
    if not campaigns:
        return found
    found.enterprises = my_enterprises(user=user, campaigns=campaigns, today=today)
    found.enterprises_due = len([p for p in found.enterprises if getattr(p, "due", False)])
    if found.sensitive:
        homes = homes_to_visit(user=user, campaigns=campaigns, today=today)
        found.homes = home_rows(user=user, households=list(homes[:HOMES_SHOWN]), today=today)
        found.homes_due = homes.filter(**{"last_visit__isnull": True})[:DUE_COUNT_MAX].count()
        found.conflicts = conflict_list(user=user, limit=10)
    return found


def my_enterprises(*, user: StaffUser, campaigns: list[Campaign], today: date, limit: int = 100) -> list[Pairing]:
    """The user's pairings in the campaigns, each with its last visit (`last_visit`) and whether one is `due`."""
    last = Visit.objects.filter(campaign=OuterRef("campaign"), enterprise=OuterRef("enterprise")).order_by("-date")
    rows: list[Pairing] = list(
        Pairing.objects.filter(campaign__in=campaigns, cadre=user)
        .select_related("enterprise__area", "campaign")
        .annotate(last_visit=Subquery(last.values("date")[:1]))
        .order_by(F("last_visit").asc(nulls_first=True), "enterprise__name", "pk")[:limit]
    )
    for row in rows:
        last_visit = getattr(row, "last_visit", None)
        ends = row.campaign.ends_on
        row.due = last_visit is None or (  # type: ignore[attr-defined]
            last_visit < today - timedelta(days=FOLLOW_UP_DAYS) and ends >= today
        )
    return rows


def homes_to_visit(*, user: StaffUser, campaigns: list[Campaign], today: date) -> QuerySet[Household]:
    """Households in scope in a campaign's target worker groups or found by 政策找人, not yet visited first."""
    groups = {g for c in campaigns for g in c.worker_groups}
    found = worklist_queryset(user=user, filters=WorklistFilter()).values("household_id")
    condition = Q(pk__in=found)
    if "archived" in groups:
        condition |= ~Q(archive_level="")
    if "sudden" in groups:
        recent = LifeEvent.objects.filter(kind=EventKind.SUDDEN_EVENT, date__gte=today - timedelta(days=SUDDEN_DAYS))
        condition |= Q(archive_level=ArchiveLevel.SUDDEN) | Q(pk__in=recent.values("household_id"))
    last = Visit.objects.filter(campaign__in=campaigns, household=OuterRef("pk")).order_by("-date")
    qs = restrict(Household.objects.all(), user, Action.VIEW).filter(condition)
    return qs.annotate(last_visit=Subquery(last.values("date")[:1])).order_by(
        F("last_visit").asc(nulls_first=True), "pk"
    )


def home_rows(*, user: StaffUser, households: list[Household], today: date) -> list[dict[str, Any]]:
    """Each household with its head's name and why it is on the list (archive level, sudden event, 政策找人)."""
    ids = [h.pk for h in households]
    heads = {m.household_id: m for m in HouseholdMember.objects.filter(household__in=ids, relation="head")}
    names = dict(worklist_choices(user=user)["policy_id"])
    found: dict[int, list[str]] = {}
    results = worklist_queryset(user=user, filters=WorklistFilter()).filter(household__in=ids)
    for household_id, policy_id, status in results.values_list("household_id", "policy_id", "status").distinct():
        label = names.get(policy_id, policy_id)
        found.setdefault(household_id, []).append(f"政策找人：{label}{'（可能符合）' if status == 'possibly' else ''}")
    sudden = set(
        LifeEvent.objects.filter(
            household__in=ids, kind=EventKind.SUDDEN_EVENT, date__gte=today - timedelta(days=SUDDEN_DAYS)
        ).values_list("household_id", flat=True)
    )
    rows = []
    for h in households:
        reasons = []
        if h.archive_level:
            reasons.append(f"已建档：{h.get_archive_level_display()}")
        if h.pk in sudden:
            reasons.append("近期突发困难")
        reasons += sorted(found.get(h.pk, []))
        rows.append({"household": h, "label": household_label(heads.get(h.pk), h), "reasons": reasons,
                     "last_visit": h.last_visit})  # type: ignore[attr-defined]  # fmt: skip
    return rows
