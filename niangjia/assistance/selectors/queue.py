"""Reads of the work queue: one card per household, keyset pages, the filter declared once.

The page, its export, its rounds and the API read `QueueFilter` and `queue_queryset`, so they hold
the same households. Cards are for roles with `Action.SENSITIVE` (they show levels, amounts and
reasons derived from income and health).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from pydantic import Field

from niangjia.api_fields import Filter
from niangjia.assistance.choices import NOT_APPLIED, OPEN_APPLICATION, HardshipLevel, ItemStatus
from niangjia.assistance.models import Application, QueueEntry, QueueItem
from niangjia.assistance.services.funding import PROGRAMMES
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.models import Employment, Enterprise, Household, HouseholdMember
from niangjia.registry.selectors import area_prefix
from niangjia.screening.pack import current_policies, policy_names

PAGE_SIZE = 30
# Policies an application can be filed for (they pay money; the archive and its review have their own pages).
PAYABLE = frozenset(PROGRAMMES)


ASSIGNED_CHOICES: Choices = [("mine", "分派给我"), ("none", "未分派")]


class QueueFilter(ListFilter):
    """The work queue's filter (page, export, rounds and API)."""

    policy_id: Filter = Field("", title="政策")
    status: ItemStatus | None = Field(None, title="办理状态")
    not_applied: bool | None = Field(None, title="尚未申请")
    paper: Filter = Field("", title="缺少材料")
    level: HardshipLevel | None = Field(None, title="建档级别")
    area: Filter = Field("", title="区县", description="区划代码，含下级区划，如 610114")
    assigned: Filter = Field("", title="分派", description="mine：分派给我；none：未分派")

    def apply(self, qs: QuerySet[QueueEntry], user: Any = None) -> QuerySet[QueueEntry]:
        """The filter applied to an already scoped queryset of open cards."""
        if self.policy_id:
            qs = qs.filter(policies__contains=f"|{self.policy_id}|")
        if self.status is not None:
            qs = qs.filter(statuses__contains=f"|{self.status.value}|")
        if self.not_applied is not None:
            waiting = Q()
            for status in NOT_APPLIED:
                waiting |= Q(statuses__contains=f"|{status.value}|")
            qs = qs.filter(waiting) if self.not_applied else qs.exclude(waiting)
        if self.paper:
            qs = qs.filter(papers__contains=f"|{self.paper}|")
        if self.level is not None:
            qs = qs.filter(household__archive_level=self.level.value)
        if self.area:
            qs = qs.filter(area_code__startswith=area_prefix(self.area))
        if self.assigned == "mine" and user is not None:
            qs = qs.filter(assignee=user)
        elif self.assigned == "none":
            qs = qs.filter(assignee__isnull=True)
        return qs


def paper_kinds() -> list[str]:
    """Every paper a published policy may ask for (the 缺少材料 filter's options)."""
    return sorted({doc.kind for policy in current_policies() for doc in policy.documents})


def queue_choices(*, user: StaffUser) -> dict[str, Choices]:
    """The filter's options: the published policies that pay, the papers, the user's districts."""
    names = policy_names(current_policies())
    # A user's districts change when the union tree does, rarely: kept a few minutes, not asked on every page.
    areas: Choices = (
        cache.get_or_set(f"assistance:areas:{user.pk}", lambda: registry_selectors.area_choices(user=user), 300) or []
    )
    return {
        "policy_id": list(names.items()),
        "paper": [(kind, kind) for kind in paper_kinds()],
        "area": areas,
        "assigned": ASSIGNED_CHOICES,
    }


def queue_queryset(*, user: StaffUser, filters: QueueFilter) -> QuerySet[QueueEntry]:
    """The open cards in the user's scope that the filter chooses."""
    require_action(user, Action.SENSITIVE)
    return filters.apply(scoped(QueueEntry.objects.filter(is_open=True), user), user)


CADRE_IDS_MAX = 20_000


def scoped(qs: QuerySet[QueueEntry], user: StaffUser) -> QuerySet[QueueEntry]:
    """The cards `user` may see: staff by the organization path copied on the card (one indexed prefix);
    a cadre those of the households of the workers employed at the enterprises assigned to them.

    The cadre's rule is the household's own (`HOUSEHOLD_CADRE`: members → worker → employments → enterprise →
    assignments), started from the scoping chokepoint on enterprises and taken one hop at a time, so PostgreSQL
    plans three small joins instead of one of eight tables (planning it cost more than running it:
    docs/assistance.md, "Speed"). tests/test_queue.py checks both give the same cards.
    """
    if user.is_superuser or user.role != Role.CADRE:
        return restrict(qs, user, Action.VIEW)
    enterprises = restrict(Enterprise.objects.all(), user, Action.VIEW).values("pk")
    workers = Employment.objects.filter(enterprise_id__in=enterprises).values("worker_id")
    households = HouseholdMember.objects.filter(worker_id__in=workers).values("household_id")
    # Asked first, as a list of ids: given the subquery, PostgreSQL guessed a dozen times too many households and
    # joined every open card before filtering (0.5 s at 1,000,000 workers); given the ids, it looks each card up by
    # its key. A cadre's households are a few hundred; past CADRE_IDS_MAX the subquery is used as it is.
    ids = list(households.order_by().distinct()[: CADRE_IDS_MAX + 1].values_list("household_id", flat=True))
    return qs.filter(household_id__in=ids if len(ids) <= CADRE_IDS_MAX else households)


def cursor_of(entry: QueueEntry) -> str:
    return f"{entry.rank}.{entry.since:%Y%m%d}.{entry.household_id}"


def _after(qs: QuerySet[QueueEntry], cursor: str) -> QuerySet[QueueEntry]:
    try:
        rank_text, day_text, pk_text = cursor.split(".")
        rank, since, pk = int(rank_text), date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:8])), int(pk_text)
    except (ValueError, IndexError):
        return qs
    return qs.filter(Q(rank__gt=rank) | Q(rank=rank, since__gt=since) | Q(rank=rank, since=since, household_id__gt=pk))


@dataclass
class Card:
    """One household's card: its head, place, assignee and open items."""

    entry: QueueEntry
    head: HouseholdMember | None
    items: list[QueueItem] = field(default_factory=list)

    @property
    def household_id(self) -> int:
        return self.entry.household_id

    @property
    def papers(self) -> list[str]:
        return [p for p in self.entry.papers.split("|") if p]


def queue_page(
    *, user: StaffUser, filters: QueueFilter, after: str = "", limit: int = PAGE_SIZE
) -> tuple[list[Card], str]:
    """One keyset page of cards (eligible with an amount first, then eligible, then possibly; oldest first),
    and the cursor of the next page ("" at the end)."""
    qs = queue_queryset(user=user, filters=filters)
    if after:
        qs = _after(qs, after)
    entries = _cadre_page(qs, limit) if user.role == Role.CADRE and not user.is_superuser else None
    if entries is None:
        entries = list(qs.select_related("household__area", "assignee").order_by(*ORDER)[: limit + 1])
    more = len(entries) > limit
    entries = entries[:limit]
    cards = cards_for(entries)
    return cards, cursor_of(entries[-1]) if more and entries else ""


ORDER = ("rank", "since", "household_id")


def _cadre_page(qs: QuerySet[QueueEntry], limit: int) -> list[QueueEntry] | None:
    """A cadre's page: the sort keys of all their cards (a few hundred, read by household id), the page cut from
    them, then its entries. Asked for the page in index order, PostgreSQL walked the whole queue looking for the
    cadre's households (0.1–0.4 s at 1,000,000 workers). None past CADRE_IDS_MAX cards: the usual query then."""
    keys = list(qs.order_by().values_list(*ORDER)[: CADRE_IDS_MAX + 1])
    if len(keys) > CADRE_IDS_MAX:
        return None
    chosen = [household_id for *_, household_id in sorted(keys)[: limit + 1]]
    found = qs.model.objects.select_related("household__area", "assignee").in_bulk(chosen)
    return [found[pk] for pk in chosen]


def cards_for(entries: list[QueueEntry]) -> list[Card]:
    """Cards of these entries: their heads, and their open items each with its application in progress (two queries)."""
    ids = [e.household_id for e in entries]
    heads = {m.household_id: m for m in HouseholdMember.objects.filter(household_id__in=ids, relation="head")}
    items = open_items(ids)
    for found in items.values():
        for item in found:
            item.payable = item.policy_id in PAYABLE  # type: ignore[attr-defined]
    return [Card(entry=e, head=heads.get(e.household_id), items=items.get(e.household_id, [])) for e in entries]


def open_items(household_ids: list[int]) -> dict[int, list[QueueItem]]:
    """The open items of these households (proposed and not settled, or applied), by household."""
    found: dict[int, list[QueueItem]] = {}
    # The household's (or that member's) application in progress for the item's policy.
    busy = (
        Application.objects.filter(
            household_id=OuterRef("household_id"), policy_id=OuterRef("policy_id"), status__in=OPEN_APPLICATION
        )
        .annotate(whom=Coalesce("member_id", 0))
        .filter(whom=Coalesce(OuterRef("member_id"), 0))
    )
    qs = QueueItem.objects.filter(household_id__in=household_ids).filter(
        Q(status=ItemStatus.APPLIED) | (Q(proposed=True) & ~Q(status__in=[ItemStatus.DONE, ItemStatus.DECLINED]))
    )
    qs = qs.annotate(application_id=Subquery(busy.order_by("-pk").values("pk")[:1]))
    for item in qs.select_related("member").order_by("policy_id", "member_id"):
        found.setdefault(item.household_id, []).append(item)
    return found


def queue_entry_get(*, user: StaffUser, household_id: int, action: Action = Action.VIEW) -> QueueEntry:
    """A household's card in scope (404 otherwise)."""
    from django.http import Http404

    require_action(user, Action.SENSITIVE)
    entry = restrict(QueueEntry.objects.all(), user, action).filter(household_id=household_id).first()
    if entry is None:
        raise Http404
    return entry


def queue_item_get(*, user: StaffUser, pk: int, action: Action = Action.VIEW) -> QueueItem:
    """One item in scope (404 otherwise)."""
    from django.http import Http404

    require_action(user, Action.SENSITIVE)
    item = restrict(QueueItem.objects.select_related("member"), user, action).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def assignable_cadres(*, user: StaffUser, household: Household) -> list[StaffUser]:
    """Cadres of the user's part of the tree who work on this household (the assignment's options)."""
    from niangjia.registry.models.household import HOUSEHOLD_CADRE

    field_name = HOUSEHOLD_CADRE.rsplit("__", 1)[0]
    cadre_ids = Household.objects.filter(pk=household.pk).values_list(f"{field_name}__cadre", flat=True)
    qs = StaffUser.objects.filter(pk__in=[c for c in cadre_ids if c], role=Role.CADRE, is_active=True)
    if user.org is not None and not user.is_superuser:
        qs = qs.filter(org__path__startswith=user.org.path)
    return list(qs.order_by("username")[:50])


def policy_label(policy_id: str) -> str:
    return policy_names(current_policies()).get(policy_id, policy_id)


def card_total(cards: list[Card]) -> Decimal:
    return sum((c.entry.amount for c in cards), Decimal(0))
