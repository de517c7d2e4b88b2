"""Work queue API: the cards (the page's filter), a policy's status, a household's assignment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from niangjia.api_errors import errors
from niangjia.api_fields import Id, PageSize
from niangjia.assistance.api.fields import Cursor, Text200
from niangjia.assistance.choices import SETTABLE, ItemStatus
from niangjia.assistance.selectors import queue as selectors
from niangjia.assistance.services import queue_assign, queue_item_set_status
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of

router = Router()


class ItemOut(Schema):
    id: int
    policy_id: str
    member_id: int | None
    member_name: str | None
    outcome: str
    level_label: str
    amount: Decimal | None
    missing_documents: list[str]
    missing_facts: list[str]
    status: ItemStatus
    reason: str
    application_id: int | None


class CardOut(Schema):
    household_id: int
    head: str | None
    area_code: str
    area: str
    rank: int
    since: date
    amount: Decimal
    status: ItemStatus
    assignee_id: int | None
    papers: list[str]
    items: list[ItemOut]


class QueuePageOut(Schema):
    cards: list[CardOut]
    next: str | None


class StatusIn(Schema):
    status: ItemStatus
    reason: Text200 = ""


class AssignIn(Schema):
    assignee_id: Id | None = None


def card_out(card: selectors.Card) -> CardOut:
    entry = card.entry
    return CardOut(
        household_id=entry.household_id, head=card.head.name if card.head else None, area_code=entry.area_code,
        area=entry.household.area.name, rank=entry.rank, since=entry.since, amount=entry.amount,
        status=ItemStatus(entry.status), assignee_id=entry.assignee_id, papers=card.papers,
        items=[item_out(i) for i in card.items],
    )  # fmt: skip


def item_out(item) -> ItemOut:  # type: ignore[no-untyped-def]
    return ItemOut(
        id=item.pk, policy_id=item.policy_id, member_id=item.member_id,
        member_name=item.member.name if item.member else None, outcome=item.outcome, level_label=item.level_label,
        amount=item.amount, missing_documents=list(item.missing_documents), missing_facts=list(item.missing_facts),
        status=ItemStatus(item.status), reason=item.reason, application_id=getattr(item, "application_id", None),
    )  # fmt: skip


@router.get(
    "/queue",
    response={200: QueuePageOut, **errors(403)},
    summary="帮扶待办：每户一张卡片（有金额的符合在前，其次符合、可能符合，同类中早提出的在前）；next 翻页",
)
def queue(
    request: HttpRequest, filters: Query[selectors.QueueFilter], after: Cursor = "", limit: PageSize = 30
) -> QueuePageOut:
    cards, cursor = selectors.queue_page(user=staff_of(request), filters=filters, after=after, limit=min(limit, 200))
    return QueuePageOut(cards=[card_out(c) for c in cards], next=cursor or None)


@router.get("/queue/{household_id}", response={200: CardOut, **errors(403, 404)}, summary="一户的帮扶待办卡片")
def queue_card(request: HttpRequest, household_id: Path[Id]) -> CardOut:
    entry = selectors.queue_entry_get(user=staff_of(request), household_id=household_id)
    return card_out(selectors.cards_for([entry])[0])


@router.post(
    "/queue/items/{pk}/status",
    response={200: ItemOut, **errors(403, 404)},
    summary="更新一户一项政策的办理状态：待核实、已联系、材料收集中、不申请（须填原因）；已申请、已办结随申请自动更新",
)
def item_status(request: HttpRequest, pk: Path[Id], data: StatusIn) -> ItemOut:
    user = staff_of(request)
    item = selectors.queue_item_get(user=user, pk=pk, action=Action.CHANGE)
    if data.status not in SETTABLE:
        raise ValidationError({"status": "“已申请”“已办结”由申请自动更新，不能手动设置。"})
    changed = queue_item_set_status(actor=user, item=item, status=data.status, reason=data.reason)
    return item_out(selectors.queue_item_get(user=user, pk=changed.pk))


@router.post(
    "/queue/{household_id}/assign",
    response={200: CardOut, **errors(403, 404)},
    summary="把一户分派给联系其企业的工会干部（assignee_id 为空则取消分派）",
)
def assign(request: HttpRequest, household_id: Path[Id], data: AssignIn) -> CardOut:
    user = staff_of(request)
    entry = selectors.queue_entry_get(user=user, household_id=household_id, action=Action.CHANGE)
    assignee = None
    if data.assignee_id is not None:
        assignee = next((c for c in selectors.assignable_cadres(user=user, household=entry.household)
                         if c.pk == data.assignee_id), None)  # fmt: skip
        if assignee is None:
            raise ValidationError({"assignee_id": "请从联系该家庭企业的工会干部中选择。"})
    queue_assign(actor=user, entry=entry, assignee=assignee)
    fresh = selectors.queue_entry_get(user=user, household_id=household_id)
    return card_out(selectors.cards_for([fresh])[0])
